/**
 * MXNet's normalization operators — `InstanceNorm`, `BatchNorm` (batch_norm.ts), `LayerNorm`,
 * `GroupNorm` — on the one shared CPU kernel (src/kernels/cpu/normalization.ts): each only picks
 * the kernel's view of its data (norm_plan.ts). Statistics are accumulated in float64
 * (cancellation-safe) and every output is rounded once, so results are closer to exact than
 * MXNet's float32 kernels. Gradients: norm_backward.ts.
 */
import { normForward } from '../kernels/cpu/normalization';
import { SpreadKind, writeStatistics } from '../kernels/cpu/norm_statistics_out';
import { BATCH_NORM } from './batch_norm';
import { FrontendTable, NameOption, standard } from './frontend';
import { GROUP_NORM_GRAD, INSTANCE_NORM_GRAD, LAYER_NORM_GRAD, NormSaved, normGradients } from './norm_backward';
import {
  GROUP_NORM_ATTRS, INSTANCE_NORM_ATTRS, LAYER_NORM_ATTRS, NormPlan, inferGroupNorm, inferInstanceNorm, inferLayerNorm,
} from './norm_plan';
import { ForwardContext, Operator, defineOperator } from './operator';

export { BATCH_NORM } from './batch_norm';

/**
 * out = (x − mean)/sqrt(var + eps)·gamma + beta with the data's own statistics; the mean and
 * `spread` (std) go to the visible statistics outputs when there are any.
 */
function normalize(ctx: ForwardContext<{ readonly eps: number }, NormPlan>, spread: SpreadKind): NormSaved {
  const { attrs: { eps }, plan, inputs: [x, gamma, beta], outputs: [y, meanOut, spreadOut], activation } = ctx;
  const groups = plan.layout.outer * plan.layout.channels;
  const statistics = { mean: new Float64Array(groups), variance: new Float64Array(groups) };
  normForward(x.data, 0, y.data, 0, plan.layout, statistics.mean, statistics.variance, eps, gamma.data, beta.data, activation);
  if (spreadOut !== undefined) writeStatistics(statistics.mean, statistics.variance, eps, spread, meanOut.data, spreadOut.data);
  return { statistics, fixedStatistics: false };
}

/** MXNet's `InstanceNorm(data, gamma, beta)`; see NormalizationSignatures.InstanceNorm. */
export const INSTANCE_NORM: Operator = defineOperator({
  name: 'InstanceNorm',
  attrs: INSTANCE_NORM_ATTRS,
  inputs: ['data', 'gamma', 'beta'],
  // MXNet's `mean` and `var`, (N, C) each, never visible.
  hiddenOutputs: 2,
  // The kernel normalizes in place correctly (each group measured before it is written).
  inplace: [[0, 0]],
  fusesActivation: true,
  inferShape: (a, shapes, who) => inferInstanceNorm(who, a, shapes),
  forward: (ctx) => normalize(ctx, 'std'),
  backward: (ctx, F) => normGradients(F, ctx, { op: INSTANCE_NORM_GRAD, options: ctx.attrs, eps: ctx.attrs.eps }),
});

/** MXNet's `LayerNorm(data, gamma, beta)`; see NormalizationSignatures.LayerNorm. */
export const LAYER_NORM: Operator = defineOperator({
  name: 'LayerNorm',
  aliases: ['_npx_layer_norm'],
  attrs: LAYER_NORM_ATTRS,
  inputs: ['data', 'gamma', 'beta'],
  outputs: (a) => (a.outputMeanVar ? ['output', 'mean', 'std'] : ['output']),
  hiddenOutputs: (a) => (a.outputMeanVar ? 0 : 2),
  inplace: [[0, 0]],
  fusesActivation: true,
  inferShape: (a, shapes, who) => inferLayerNorm(who, a, shapes),
  forward: (ctx) => normalize(ctx, 'std'),
  backward: (ctx, F) => normGradients(F, ctx, { op: LAYER_NORM_GRAD, options: ctx.attrs, eps: ctx.attrs.eps, spread: 'std' }),
});

/** MXNet 1.9's `GroupNorm(data, gamma, beta)`; see NormalizationSignatures.GroupNorm. */
export const GROUP_NORM: Operator = defineOperator({
  name: 'GroupNorm',
  attrs: GROUP_NORM_ATTRS,
  inputs: ['data', 'gamma', 'beta'],
  outputs: (a) => (a.outputMeanVar ? ['output', 'mean', 'std'] : ['output']),
  hiddenOutputs: (a) => (a.outputMeanVar ? 0 : 2),
  inplace: [[0, 0]],
  fusesActivation: true,
  inferShape: (a, shapes, who) => inferGroupNorm(who, a, shapes),
  forward: (ctx) => normalize(ctx, 'std'),
  backward: (ctx, F) => normGradients(F, ctx, { op: GROUP_NORM_GRAD, options: ctx.attrs, eps: ctx.attrs.eps, spread: 'std' }),
});

/** Options of `InstanceNorm`. */
export interface InstanceNormOptions extends NameOption {
  /** Added to the variance. Default 1e-3 (MXNet's operator; Gluon's layer passes 1e-5). */
  eps?: number;
  /**
   * The channel axis (any but 0; negative counts from the end). Default 1. A tsgluon extension:
   * MXNet's operator has no axis (always 1; Gluon's layer swaps axes around it), while tsgluon's
   * kernel reads any axis in place through strides. `nn.InstanceNorm` passes it only when it is
   * not 1, so exported graphs of the default layout stay readable by MXNet.
   */
  axis?: number;
}

/** Options of `BatchNorm` (MXNet 1.9's attributes, camelCase; the defaults are the operator's, not the layer's). */
export interface BatchNormOptions extends NameOption {
  /** Added to the variance. Default 1e-3 (`nn.BatchNorm` passes its epsilon, 1e-5 by default). */
  eps?: number;
  /** Weight of the old moving statistics in their update; every finite number is accepted, as MXNet (`nn.BatchNorm` requires [0, 1]). Default 0.9. */
  momentum?: number;
  /** Treat gamma as 1 (gamma gets a zero gradient and is never written). Default true, as MXNet's operator. */
  fixGamma?: boolean;
  /** Normalize with the moving statistics in training mode too (and leave them as they are). Default false. */
  useGlobalStats?: boolean;
  /** Also return the mean and the inverse standard deviation 1/sqrt(var + eps), (C,) each. Default false. */
  outputMeanVar?: boolean;
  /** The channel axis; negative counts from the end. Default 1. */
  axis?: number;
  /** cuDNN switch: accepted and ignored. Default false. */
  cudnnOff?: boolean;
  /**
   * Calibration range of the output, read only by MXNet's quantization pass (quantized_batch_norm);
   * the float BatchNorm ignores them, in MXNet as here. Accepted, kept in exported graphs, not used. Default null.
   */
  minCalibRange?: number | null;
  /** See minCalibRange. Default null. */
  maxCalibRange?: number | null;
}

/** Options of `LayerNorm` (MXNet's defaults). */
export interface LayerNormOptions extends NameOption {
  /** The normalized axis; negative counts from the end. Default -1. */
  axis?: number;
  /** Added to the variance. Default 1e-5. */
  eps?: number;
  /** Also return the mean and the standard deviation sqrt(var + eps), of data's shape with axis of length 1. Default false. */
  outputMeanVar?: boolean;
}

/** Options of `GroupNorm` (MXNet 1.9's defaults). */
export interface GroupNormOptions extends NameOption {
  /** Groups the channel axis 1 is split into; must divide the channel count. Default 1. */
  numGroups?: number;
  /** Added to the variance. Default 1e-5. */
  eps?: number;
  /** Also return the mean and the standard deviation sqrt(var + eps), (N, numGroups) each. Default false. */
  outputMeanVar?: boolean;
}

/** Options that make an operator return its statistics too. */
type WithStatistics<O> = O & { outputMeanVar: true };

/** The normalizations of `nd` and `sym`. */
export interface NormalizationSignatures<T> {
  /**
   * MXNet's `InstanceNorm`: out = (x − mean)/sqrt(var + eps)·gamma[c] + beta[c], with mean and
   * biased variance per sample and channel c (the index along `axis`) over every other axis but 0.
   * Shapes: data of rank ≥ 3; gamma and beta (C,), C = data.shape[axis] (inferred from the data by
   * shape inference); output data's shape. MXNet's hidden mean/var outputs are counted in exported
   * graphs but never visible. Gradients: the shared kernel's backward (`_backward_InstanceNorm`),
   * differentiable again.
   *
   * @example
   * nd.InstanceNorm(nd.array([[[1, 3]]]), nd.ones([1]), nd.zeros([1]), { eps: 0 }).toArray(); // [[[-1, 1]]]
   */
  InstanceNorm(data: T, gamma: T, beta: T, options?: InstanceNormOptions): T;
  /** `sym` only (as MXNet): gamma and beta become variables `<name>_gamma`, `<name>_beta`. */
  InstanceNorm(data: T, options?: InstanceNormOptions): T;
  /**
   * MXNet's `BatchNorm`: out = (x − mean[c])/sqrt(var[c] + eps)·gamma[c] + beta[c], one mean and
   * variance per channel c (the index along `axis`) over every other axis.
   *
   * Which statistics (MXNet's rule): in training mode (`autograd.record`, `autograd.trainMode`)
   * and not `useGlobalStats`, the batch's mean and **biased** variance, and movingMean and
   * movingVar are updated **in place** (they are auxiliary states, MXNet's mutated inputs):
   * moving = moving·momentum + batch·(1 − momentum) (not for an empty batch); otherwise the moving
   * statistics, unchanged. MXNet's CPU operator also uses the biased variance but updates in the
   * backward; tsgluon updates in the forward, as MXNet's cuDNN path and PyTorch (whose momentum is
   * MXNet's 1 − momentum, and whose running variance is unbiased). `fixGamma` (the operator's
   * default) takes gamma as 1. With eps = 0 a constant channel gives 0/0 = NaN in training, where
   * MXNet's CPU kernel special-cases it to beta.
   *
   * Shapes: data of rank ≥ 1; gamma, beta, movingMean, movingVar (C,), C = data.shape[axis];
   * output data's shape; with `outputMeanVar` also the mean and the inverse standard deviation
   * 1/sqrt(var + eps) used (C,) each, as MXNet. Gradients (`_backward_BatchNorm`, differentiable
   * again): with batch statistics the full normalization gradient, with moving statistics
   * dx = gamma·dy/sqrt(movingVar + eps); dgamma is 0 with fixGamma; none for the moving statistics.
   *
   * @example
   * const movingMean = nd.zeros([2]), movingVar = nd.ones([2]);
   * autograd.trainMode(() => nd.BatchNorm(nd.array([[1, 10], [3, 30]]), nd.ones([2]), nd.zeros([2]), movingMean, movingVar, { eps: 0 }));
   * // [[-1, -1], [1, 1]]; movingMean is now [0.2, 2], movingVar [1, 10.9]
   */
  BatchNorm(data: T, gamma: T, beta: T, movingMean: T, movingVar: T, options: WithStatistics<BatchNormOptions>): [T, T, T];
  BatchNorm(data: T, gamma: T, beta: T, movingMean: T, movingVar: T, options?: BatchNormOptions): T;
  /** `sym` only (as MXNet): gamma, beta and the moving statistics become variables `<name>_gamma`, …, `<name>_moving_var`. */
  BatchNorm(data: T, options?: BatchNormOptions): T;
  /**
   * MXNet's `LayerNorm` (Ba et al.): every position of the other axes is normalized over `axis`,
   * then scaled and shifted per feature: out = (x − mean)/sqrt(var + eps)·gamma[k] + beta[k], k the
   * index along `axis`, biased variance. Shapes: data of rank ≥ 1; gamma and beta (C,),
   * C = data.shape[axis]; output data's shape; with `outputMeanVar` also the mean and the standard
   * deviation sqrt(var + eps), of data's shape with data.shape[axis] = 1. Gradients:
   * `_backward_LayerNorm` (differentiable again), plus the statistics outputs' own.
   *
   * @example
   * nd.LayerNorm(nd.array([[1, 3]]), nd.array([2, 1]), nd.array([0, 5]), { eps: 0 }).toArray(); // [[-2, 6]]
   */
  LayerNorm(data: T, gamma: T, beta: T, options: WithStatistics<LayerNormOptions>): [T, T, T];
  LayerNorm(data: T, gamma: T, beta: T, options?: LayerNormOptions): T;
  /**
   * MXNet 1.9's `GroupNorm` (Wu & He): the channels (axis 1) are split into `numGroups` groups of
   * consecutive channels and each (sample, group) is normalized over its channels and every
   * spatial position: x' = x.reshape(N, G, C/G, …), out = (x' − mean)/sqrt(var + eps)·gamma[g] + beta[g].
   * **gamma and beta have one value per group, (numGroups,)**, as MXNet 1.x (MXNet 2.0 and PyTorch
   * have one per channel). Shapes: data (N, C, …) of rank ≥ 3, numGroups dividing C; output data's
   * shape; with `outputMeanVar` also the mean and sqrt(var + eps), (N, numGroups) each. Gradients:
   * `_backward_GroupNorm` (differentiable again), plus the statistics outputs' own.
   *
   * @example
   * nd.GroupNorm(nd.array([[[1], [3], [5], [7]]]), nd.ones([2]), nd.zeros([2]), { numGroups: 2, eps: 0 }).toArray();
   * // [[[-1], [1], [-1], [1]]]
   */
  GroupNorm(data: T, gamma: T, beta: T, options: WithStatistics<GroupNormOptions>): [T, T, T];
  GroupNorm(data: T, gamma: T, beta: T, options?: GroupNormOptions): T;
}

export const NORMALIZATION_FRONTENDS: FrontendTable<NormalizationSignatures<unknown>> = {
  InstanceNorm: standard(INSTANCE_NORM),
  BatchNorm: standard(BATCH_NORM),
  LayerNorm: standard(LAYER_NORM),
  GroupNorm: standard(GROUP_NORM),
};
