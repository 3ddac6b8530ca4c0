/**
 * The `nd` namespace, as `mxnet.nd`: NDArray creation, files and random draws (from the ndarray
 * layer) and every registered operator, bound to NDArrays: each call runs the operator
 * imperatively (src/ops/invoke.ts) and records it when autograd needs it.
 */
import * as base from '../ndarray';
import * as legacyNn from '../ndarray/nn';
import { NDArray } from '../ndarray/ndarray';
import type * as convolution from './convolution';
import type * as dotOps from './dot';
import type * as fullyConnected from './fully_connected';
import type * as layouts from './layout_checks';
import { OpCaller, bindFrontends } from './frontend';
import { invoke } from './invoke';
import { tensorMethods } from './methods';
import type { TensorMethods } from './methods';
import { FRONTENDS, OperatorSignatures } from './signatures';

/** The operators of `nd`, as the backward rules and the cached graph use them. */
export type Nd = OperatorSignatures<NDArray>;

const CALLER: OpCaller<NDArray> = {
  kind: 'an NDArray',
  isTensor: (value): value is NDArray => value instanceof NDArray,
  call: (op, inputs, attrs) => invoke(operators, op, inputs, attrs),
};

const operators = bindFrontends<Nd, NDArray>(FRONTENDS, CALLER);

declare module '../ndarray/ndarray' {
  // The arithmetic methods are the operators', installed below: NDArray's own layer cannot import them.
  // eslint-disable-next-line @typescript-eslint/no-empty-interface
  interface NDArray extends TensorMethods<NDArray> {}
}
Object.assign(NDArray.prototype, tensorMethods(operators));

/**
 * `nd`: creation (`nd.array`, `nd.zeros`, …), files (`nd.save`, `nd.load`), `nd.random`, and the
 * operators (`nd.add`, `nd.Convolution`, …; see OperatorSignatures for each one's documentation).
 */
export const nd = Object.freeze({ ...base, ...legacyNn, ...operators });

// Types under `nd.` as well, for code written against `mxnet.nd`.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace nd {
  export type DType = base.DType;
  export type NestedArray = base.NestedArray;
  export type ArrayOptions = base.ArrayOptions;
  export type NDArrays = base.NDArrays;
  export type ActType = legacyNn.ActType;
  export type ActivationOpOptions = legacyNn.ActivationOpOptions;
  export type LeakyReLUActType = legacyNn.LeakyReLUActType;
  export type LeakyReLUOpOptions = legacyNn.LeakyReLUOpOptions;
  export type PadMode = legacyNn.PadMode;
  export type PadOptions = legacyNn.PadOptions;
  export type UpSamplingOpOptions = legacyNn.UpSamplingOpOptions;
  export type UpSamplingSampleType = legacyNn.UpSamplingSampleType;
  export type PoolingOpOptions = legacyNn.PoolingOpOptions;
  export type ConvLayout = layouts.ConvLayout;
  export type ConvolutionOptions = convolution.ConvolutionOptions;
  export type DeconvolutionOptions = convolution.DeconvolutionOptions;
  export type FullyConnectedOptions = fullyConnected.FullyConnectedOptions;
  export type DotOptions = dotOps.DotOptions;
}
