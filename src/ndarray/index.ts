/**
 * The ndarray layer's part of the `nd` namespace: NDArray creation, files and random draws. The
 * operators join them in src/ops/nd.ts.
 */
export { NDArray } from './ndarray';
export type { DType, NestedArray } from './ndarray';
export { array, zeros, ones, full, arange, eye, linspace, fullLike } from './creation';
export { setMaxElements, getMaxElements } from '../core/shape';
export type { ArrayOptions } from './creation';
export * as random from './random';
export { save, load } from './io/fs';
export { saveBytes, loadBytes } from './io/params_file';
export type { NDArrays } from './io/params_file';
