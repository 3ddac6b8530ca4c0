/**
 * The `nd` namespace: NDArray creation and operations, as `mxnet.nd`.
 */
export { NDArray } from './ndarray';
export type { DType, NestedArray } from './ndarray';
export { array, zeros, ones, full, arange } from './creation';
export type { ArrayOptions } from './creation';
export * from './ops';
export * as random from './random';
export { save, load } from './io/fs';
export { saveBytes, loadBytes } from './io/params_file';
export type { NDArrays } from './io/params_file';
export * from './nn';
