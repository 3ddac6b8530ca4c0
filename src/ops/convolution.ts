/**
 * MXNet's `Convolution` and `Deconvolution` (transposed convolution) on the CPU conv kernels,
 * and tsgluon's `_backward_Convolution_weight`. Attributes and shape inference: convolution_plan.ts.
 *
 * The backward rules are the three operators themselves, so every derivative is differentiable
 * again: the two ops are each other's adjoint in the data (a convolution's data gradient is the
 * deconvolution of dy with the same weight, and the other way round), and both weight gradients
 * are `_backward_Convolution_weight`, which is bilinear in (data, ograd) and differentiates to a
 * convolution and a deconvolution. The bias gradient is a sum. Each runs the same kernel the
 * first-order backward always ran (the plans coincide), straight into the gradient's storage.
 */
import { convForward, convTransposeForward } from '../kernels/cpu/conv';
import { convBackwardWeight } from '../kernels/cpu/conv_backward';
import type { NDArray } from '../ndarray/ndarray';
import {
  CONVOLUTION_ATTRS, ConvolutionPlan, DECONVOLUTION_ATTRS, WEIGHT_GRAD_ATTRS, convolutionRemainder, inferConvolution,
  inferWeightGradient, windowOptions,
} from './convolution_plan';
import { FrontendTable, NameOption, standard } from './frontend';
import type { ConvLayout } from './layout_checks';
import type { Nd } from './nd';
import { Operator, defineOperator } from './operator';
import { REDUCE } from './reduce';
import { runInto } from './run_into';

const dataInputs = (noBias: boolean): string[] => (noBias ? ['data', 'weight'] : ['data', 'weight', 'bias']);
type Into = readonly (Float32Array | undefined)[];

/** MXNet's `Convolution` (see ConvolutionSignatures for the maths and shapes). */
export const CONVOLUTION: Operator = defineOperator({
  name: 'Convolution',
  aliases: ['_npx_convolution'],
  attrs: CONVOLUTION_ATTRS,
  inputs: (a) => dataInputs(a.noBias),
  inferShape: (a, shapes, who) => inferConvolution(who, a, false, shapes),
  fusesActivation: true,
  fusesInputPad: true,
  forward: ({ plan, inputs: [x, w, b], outputs: [y], activation, inputPad }) =>
    convForward(plan.params, x.data, 0, w.data, 0, b === undefined ? null : b.data, 0, y.data, 0, activation, inputPad),
  backward: ({ plan, inputs: [x, w], outputGrads: [dy], needsGrad, into }, F) => [
    needsGrad[0] ? convolutionDataGrad(F, plan, dy, w, into[0]) : undefined,
    needsGrad[1] ? runInto(F, CONVOLUTION_WEIGHT_GRAD, [x, dy], windowOptions(plan, plan.params.outChannels), into[1]) : undefined,
    ...biasGrad(F, plan, dy, needsGrad, into),
  ],
});

/** MXNet's `Deconvolution` (see ConvolutionSignatures). */
export const DECONVOLUTION: Operator = defineOperator({
  name: 'Deconvolution',
  aliases: ['_npx_deconvolution'],
  attrs: DECONVOLUTION_ATTRS,
  inputs: (a) => dataInputs(a.noBias),
  inferShape: (a, shapes, who) => inferConvolution(who, a, true, shapes),
  fusesActivation: true,
  forward: ({ plan, inputs: [x, w, b], outputs: [y], activation }) =>
    convTransposeForward(plan.params, x.data, 0, w.data, 0, b === undefined ? null : b.data, 0, y.data, 0, activation),
  // The convolution with this geometry maps the output back to the input: its data gradient.
  backward: ({ plan, inputs: [x, w], outputGrads: [dy], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, CONVOLUTION, [dy, w], { ...windowOptions(plan, plan.params.inChannels), noBias: true }, into[0]) : undefined,
    needsGrad[1] ? runInto(F, CONVOLUTION_WEIGHT_GRAD, [dy, x], windowOptions(plan, plan.params.inChannels), into[1]) : undefined,
    ...biasGrad(F, plan, dy, needsGrad, into),
  ],
});

/**
 * `_backward_Convolution_weight(data, ograd)`: the weight gradient of `Convolution(data, ·)` at
 * output gradient `ograd`, dW[o, c, t] = Σ_{n, y} ograd[n, o, y] · data[n, g·C/G + c, y·s − p + t·d]
 * (channels-first; the weight laid out as Convolution's). A deconvolution's weight gradient is
 * the same operator with the roles of data and ograd exchanged. Bilinear: its gradient is
 * Deconvolution(ograd, G) for data and Convolution(data, G) for ograd.
 */
export const CONVOLUTION_WEIGHT_GRAD: Operator = defineOperator({
  name: '_backward_Convolution_weight',
  attrs: WEIGHT_GRAD_ATTRS,
  inputs: ['data', 'ograd'],
  inferShape: (a, shapes, who) => inferWeightGradient(who, a, shapes),
  forward: ({ plan, inputs: [x, dy], outputs: [dw] }) => convBackwardWeight(plan.params, x.data, 0, dy.data, 0, dw.data, 0),
  backward: ({ plan, inputs: [x, dy], outputGrads: [g], needsGrad, into }, F) => [
    needsGrad[0] ? convolutionDataGrad(F, plan, dy, g, into[0]) : undefined,
    needsGrad[1] ? runInto(F, CONVOLUTION, [x, g], { ...windowOptions(plan, plan.params.outChannels), noBias: true }, into[1]) : undefined,
  ],
});

/** A convolution's data gradient: the deconvolution of dy with w, adj set to come back to the input size. */
function convolutionDataGrad(F: Nd, plan: ConvolutionPlan, dy: NDArray, w: NDArray, storage: Float32Array | undefined): NDArray {
  const options = { ...windowOptions(plan, plan.params.inChannels), adj: convolutionRemainder(plan.params), noBias: true };
  return runInto(F, DECONVOLUTION, [dy, w], options, storage);
}

/** The bias gradient (when there is a bias): dy summed over every axis but the channel axis. */
function biasGrad(F: Nd, plan: ConvolutionPlan, dy: NDArray, needsGrad: readonly boolean[], into: Into): (NDArray | undefined)[] {
  if (needsGrad.length < 3) return [];
  return [needsGrad[2] ? runInto(F, REDUCE.sum, [dy], { axis: [plan.layout.channelAxis], exclude: true }, into[2]) : undefined];
}

/** Options of `Convolution` (MXNet's attributes in camelCase; tuples have one value per spatial dimension). */
export interface ConvolutionOptions extends NameOption {
  /** Kernel size, 1 to 3 values: their count is the number of spatial dimensions. Required. */
  kernel: readonly number[];
  /** Default 1 per dimension (`[]`). */
  stride?: readonly number[];
  /** Dilation. Default 1 per dimension. */
  dilate?: readonly number[];
  /** Zero padding on both sides. Default 0 per dimension. */
  pad?: readonly number[];
  /** Output channels. Required. */
  numFilter: number;
  /** Channels split into numGroup independent convolutions. Default 1. */
  numGroup?: number;
  /** GPU scratch limit in MB: accepted and ignored on the CPU. Default 1024 (Deconvolution 512). */
  workspace?: number;
  /** Default: true exactly when `bias` is absent. */
  noBias?: boolean;
  /** cuDNN's algorithm search: accepted and ignored. Default null. */
  cudnnTune?: 'off' | 'limited_workspace' | 'fastest' | null;
  /** Accepted and ignored. Default false. */
  cudnnOff?: boolean;
  /**
   * 'NCW', 'NCHW', 'NCDHW' (null, the default, picks the one for the rank) or channels-last
   * 'NWC', 'NHWC', 'NDHWC', computed natively (MXNet runs those on the GPU only and has no 'NWC').
   */
  layout?: ConvLayout | null;
}

/** Options of `Deconvolution`: a convolution's, plus `adj` and `targetShape`. */
export interface DeconvolutionOptions extends ConvolutionOptions {
  /** Extra output size at the end of each dimension (Gluon's outputPadding), each < stride. Default 0s. */
  adj?: readonly number[];
  /** The output's spatial size; when given (not all 0) pad and adj are derived from it, as MXNet. Default none. */
  targetShape?: readonly number[];
}

/** The convolutions of `nd` and `sym`. */
export interface ConvolutionSignatures<T> {
  /**
   * MXNet's `Convolution` on 1-3 spatial dimensions:
   * out[n, o, y] = bias[o] + Σ_{c ∈ group(o), t} weight[o, c, t] · data[n, c, y·stride − pad + t·dilate]
   * (zero outside the input), output size floor((in + 2·pad − dilate·(kernel − 1) − 1)/stride) + 1.
   *
   * Shapes (channels-first; channels-last moves C last in data and output, and C/numGroup last
   * in the weight): data (N, C, *in); weight (numFilter, C/numGroup, *kernel), inferred from the
   * data by shape inference; bias (numFilter,) unless absent (`noBias`); output (N, numFilter, *out).
   * Products accumulate in float64 within GEMM panels. Gradients: data by Deconvolution, weight
   * by `_backward_Convolution_weight`, bias by a sum — all differentiable again.
   *
   * @example
   * nd.Convolution(nd.array([[[1, 2, 3, 4]]]), nd.array([[[1, -1]]]), { kernel: [2], numFilter: 1 }).toArray();
   * // [[[-1, -1, -1]]]
   */
  Convolution(data: T, weight: T, bias: T | undefined, options: ConvolutionOptions): T;
  Convolution(data: T, weight: T, options: ConvolutionOptions): T;
  /** `sym` only (as MXNet): the weight and bias become variables `<name>_weight`, `<name>_bias`. */
  Convolution(data: T, options: ConvolutionOptions): T;
  /**
   * MXNet's `Deconvolution` (transposed convolution), the adjoint of `Convolution` in its data:
   * out[n, o, y·stride − pad + t·dilate] += Σ_{c ∈ group(o)} weight[c, o, t] · data[n, c, y], plus
   * bias[o]; output size (in − 1)·stride − 2·pad + dilate·(kernel − 1) + adj + 1, or `targetShape`.
   *
   * Shapes (channels-first; channels-last moves C last in data and output, and numFilter/numGroup
   * last in the weight): data (N, C, *in); weight (C, numFilter/numGroup, *kernel); bias
   * (numFilter,) when given — MXNet's `no_bias` defaults to true here; output (N, numFilter, *out).
   * Gradients: data by Convolution, weight by `_backward_Convolution_weight`, bias by a sum.
   * MXNet's CPU build refuses 3-D deconvolution (and 3-D dilation); tsgluon runs every rank.
   *
   * @example
   * nd.Deconvolution(nd.array([[[1, 2]]]), nd.array([[[1, 1]]]), { kernel: [2], stride: [2], numFilter: 1 }).toArray();
   * // [[[1, 1, 2, 2]]]
   */
  Deconvolution(data: T, weight: T, bias: T | undefined, options: DeconvolutionOptions): T;
  Deconvolution(data: T, weight: T, options: DeconvolutionOptions): T;
  /** `sym` only (as MXNet): the weight and bias become variables `<name>_weight`, `<name>_bias`. */
  Deconvolution(data: T, options: DeconvolutionOptions): T;
}

/** An absent bias sets `noBias` (a given bias clears Deconvolution's default `no_bias = True`). */
const biasPresence = (present: readonly boolean[]) => ({ noBias: present[2] !== true });

export const CONVOLUTION_FRONTENDS: FrontendTable<ConvolutionSignatures<unknown>> = {
  Convolution: standard(CONVOLUTION, biasPresence),
  Deconvolution: standard(DECONVOLUTION, biasPresence),
};
