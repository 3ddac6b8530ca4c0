/**
 * The `nd` namespace, as `mxnet.nd`: NDArray creation, files and random draws (from the ndarray
 * layer) and every registered operator, bound to NDArrays: each call runs the operator
 * imperatively (src/ops/invoke.ts) and records it when autograd needs it.
 */
import * as base from '../ndarray';
import { NDArray } from '../ndarray/ndarray';
import type * as activation from './activation';
import type * as convolution from './convolution';
import type * as dotOps from './dot';
import type * as dropout from './dropout';
import type * as embedding from './embedding';
import type * as fullyConnected from './fully_connected';
import type * as indexOps from './index_ops';
import type * as joinOps from './join';
import type * as l2Normalization from './l2_normalization';
import type * as layouts from './layout_checks';
import type * as leakyRelu from './leaky_relu';
import type * as normalization from './normalization';
import type * as padOps from './pad';
import type * as pooling from './pooling';
import type * as sequence from './sequence';
import { OpCaller, bindFrontends } from './frontend';
import { invoke } from './invoke';
import { tensorMethods } from './methods';
import type { TensorMethods } from './methods';
import { FRONTENDS, OperatorSignatures } from './signatures';
import type * as sliceOps from './slice';
import type * as softmax from './softmax';
import type * as softmaxOutput from './softmax_output';
import type * as upsampling from './upsampling';

/** The operators of `nd`, as the backward rules and the cached graph use them. */
export type Nd = OperatorSignatures<NDArray>;

const CALLER: OpCaller<NDArray> = {
  kind: 'an NDArray',
  makesAbsentInputs: false,
  isTensor: (value): value is NDArray => value instanceof NDArray,
  call: (op, inputs, attrs) => invoke(operators, op, inputs, attrs),
};

const operators = bindFrontends<Nd, NDArray>(FRONTENDS, CALLER);

declare module '../ndarray/ndarray' {
  // The arithmetic methods are the operators', installed below: NDArray's own layer cannot import them.
  interface NDArray extends TensorMethods<NDArray> {}
}
Object.assign(NDArray.prototype, tensorMethods(operators));

/**
 * `nd`: creation (`nd.array`, `nd.zeros`, …), files (`nd.save`, `nd.load`), `nd.random`, and the
 * operators (`nd.add`, `nd.Convolution`, …; see OperatorSignatures for each one's documentation).
 */
export const nd = Object.freeze({ ...base, ...operators });

// Types under `nd.` as well, for code written against `mxnet.nd`.
// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace nd {
  export type DType = base.DType;
  export type NestedArray = base.NestedArray;
  export type ArrayOptions = base.ArrayOptions;
  export type NDArrays = base.NDArrays;
  export type ActType = activation.ActType;
  export type ActivationOptions = activation.ActivationOptions;
  export type LeakyReLUActType = leakyRelu.LeakyReLUActType;
  export type LeakyReLUOptions = leakyRelu.LeakyReLUOptions;
  export type DropoutMode = dropout.DropoutMode;
  export type DropoutOptions = dropout.DropoutOptions;
  export type SoftmaxOptions = softmax.SoftmaxOptions;
  export type SoftmaxActivationMode = softmax.SoftmaxActivationMode;
  export type SoftmaxActivationOptions = softmax.SoftmaxActivationOptions;
  export type SoftmaxOutputOptions = softmaxOutput.SoftmaxOutputOptions;
  export type L2NormalizationMode = l2Normalization.L2NormalizationMode;
  export type L2NormalizationOptions = l2Normalization.L2NormalizationOptions;
  export type PadMode = padOps.PadMode;
  export type PadOptions = padOps.PadOptions;
  export type UpSamplingOptions = upsampling.UpSamplingOptions;
  export type UpSamplingSampleType = upsampling.UpSamplingSampleType;
  export type UpSamplingMultiInputMode = upsampling.UpSamplingMultiInputMode;
  export type PoolingOptions = pooling.PoolingOptions;
  export type PoolType = pooling.PoolType;
  export type PoolingConvention = pooling.PoolingConvention;
  export type EmbeddingOptions = embedding.EmbeddingOptions;
  export type ConvLayout = layouts.ConvLayout;
  export type ConvolutionOptions = convolution.ConvolutionOptions;
  export type DeconvolutionOptions = convolution.DeconvolutionOptions;
  export type FullyConnectedOptions = fullyConnected.FullyConnectedOptions;
  export type DotOptions = dotOps.DotOptions;
  export type ConcatOptions = joinOps.ConcatOptions;
  export type StackOptions = joinOps.StackOptions;
  export type SplitOptions = joinOps.SplitOptions;
  export type SliceAxisOptions = sliceOps.SliceAxisOptions;
  export type SliceOptions = sliceOps.SliceOptions;
  export type PickOptions = indexOps.PickOptions;
  export type TakeOptions = indexOps.TakeOptions;
  export type OneHotOptions = indexOps.OneHotOptions;
  export type InstanceNormOptions = normalization.InstanceNormOptions;
  export type BatchNormOptions = normalization.BatchNormOptions;
  export type LayerNormOptions = normalization.LayerNormOptions;
  export type GroupNormOptions = normalization.GroupNormOptions;
  export type SequenceOptions = sequence.SequenceOptions;
  export type SequenceMaskOptions = sequence.SequenceMaskOptions;
}
