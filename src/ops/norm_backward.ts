/**
 * The normalizations' gradients.
 *
 * First order: `_backward_InstanceNorm`, `_backward_BatchNorm`, `_backward_LayerNorm` and
 * `_backward_GroupNorm` (ograd, data, gamma[, moving_mean, moving_var]) → (data_grad, gamma_grad,
 * beta_grad) run the shared kernel's backward — `normBackward`, or `normBackwardFixedStatistics`
 * for BatchNorm on its moving statistics — on the float64 statistics the forward kept (handed
 * over in the plan, so the data is not measured twice), writing dx into the storage autograd
 * offers. Per group of n elements, x̂ = (x − mean)·rstd, rstd = 1/sqrt(var + eps):
 *
 *     dx = rstd·(γ·dy − mean(γ·dy) − x̂·mean(γ·dy·x̂))     (batch statistics)
 *     dx = rstd·γ·dy                                      (constant statistics)
 *     dgamma[a] = Σ dy·x̂,   dbeta[a] = Σ dy               (over the elements of affine index a)
 *
 * Second order: each backward operator's own gradient differentiates a composite that restates
 * those formulas with registered operators (mean, subtract, square, sqrt, divide, multiply, sum
 * on the data reshaped to (outer, reduceOuter, channels, reduceInner)), so a derivative of a
 * derivative is exact while the first-order path stays the fused kernel.
 */
import { normBackward, normBackwardFixedStatistics } from '../kernels/cpu/normalization_backward';
import { normStatistics } from '../kernels/cpu/normalization';
import type { SpreadKind } from '../kernels/cpu/norm_statistics_out';
import { NDArray } from '../ndarray/ndarray';
import type { AttrTable, AttrValues } from './attrs';
import { Composite, compositeGradients } from './composite';
import { runOperator } from './invoke';
import type { Nd } from './nd';
import { MaybeShape, Operator, ShapeInference, defineOperator } from './operator';
import {
  BATCH_NORM_ATTRS, GROUP_NORM_ATTRS, INSTANCE_NORM_ATTRS, LAYER_NORM_ATTRS, NormGradPlan, NormPlan, NormStatistics,
  inferBatchNorm, inferGroupNorm, inferInstanceNorm, inferLayerNorm, inferNormGrad,
} from './norm_plan';

/** How the forward normalized: its eps, whether gamma was taken as 1, whether the statistics were constants. */
interface NormMode {
  readonly eps: number;
  readonly fixGamma: boolean;
  readonly fixedStatistics: boolean;
}

interface GradSpec<T extends AttrTable> {
  readonly name: string;
  readonly attrs: T;
  readonly infer: (who: string, a: AttrValues<T>, shapes: readonly MaybeShape[]) => ShapeInference<NormPlan>;
  readonly moving: boolean;
  readonly mode: (a: AttrValues<T>) => NormMode;
}

/** A `_backward_X` operator: the forward's attributes, the fused kernel, the composite's gradient. */
function gradOperator<T extends AttrTable>(spec: GradSpec<T>): Operator {
  return defineOperator<T, NormGradPlan, void>({
    name: spec.name,
    attrs: spec.attrs,
    inputs: spec.moving ? ['ograd', 'data', 'gamma', 'moving_mean', 'moving_var'] : ['ograd', 'data', 'gamma'],
    outputs: ['data_grad', 'gamma_grad', 'beta_grad'],
    inferShape: (a, shapes, who) => inferNormGrad(spec.infer, who, a, shapes),
    forward: ({ attrs, plan, inputs, outputs }) => fusedBackward(plan, spec.mode(attrs), inputs, outputs),
    backward: ({ attrs, plan, inputs, outputGrads, needsGrad }, F) => {
      const grads = compositeGradients(F, backwardComposite(plan, spec.mode(attrs)), inputs, outputGrads);
      return grads.map((g, i) => (needsGrad[i] ? g : undefined));
    },
  });
}

/** `_backward_InstanceNorm(ograd, data, gamma)`: InstanceNorm's attributes. */
export const INSTANCE_NORM_GRAD: Operator = gradOperator({
  name: '_backward_InstanceNorm', attrs: INSTANCE_NORM_ATTRS, infer: inferInstanceNorm, moving: false,
  mode: (a) => ({ eps: a.eps, fixGamma: false, fixedStatistics: false }),
});

/**
 * `_backward_BatchNorm(ograd, data, gamma, moving_mean, moving_var)`: BatchNorm's attributes, where
 * `useGlobalStats` says which statistics the forward used (true: the moving ones, constants; false:
 * the batch's) — unlike BatchNorm, it does not look at the training mode, which may have changed
 * between a forward and its backward. With `fixGamma`, gamma is taken as 1 and gamma_grad is 0.
 */
export const BATCH_NORM_GRAD: Operator = gradOperator({
  name: '_backward_BatchNorm', attrs: BATCH_NORM_ATTRS, infer: inferBatchNorm, moving: true,
  mode: (a) => ({ eps: a.eps, fixGamma: a.fixGamma, fixedStatistics: a.useGlobalStats }),
});

/** `_backward_LayerNorm(ograd, data, gamma)`: LayerNorm's attributes. */
export const LAYER_NORM_GRAD: Operator = gradOperator({
  name: '_backward_LayerNorm', attrs: LAYER_NORM_ATTRS, infer: inferLayerNorm, moving: false,
  mode: (a) => ({ eps: a.eps, fixGamma: false, fixedStatistics: false }),
});

/** `_backward_GroupNorm(ograd, data, gamma)`: GroupNorm's attributes. */
export const GROUP_NORM_GRAD: Operator = gradOperator({
  name: '_backward_GroupNorm', attrs: GROUP_NORM_ATTRS, infer: inferGroupNorm, moving: false,
  mode: (a) => ({ eps: a.eps, fixGamma: false, fixedStatistics: false }),
});

/** The kernel's backward into (dx, dgamma, dbeta), on the plan's statistics or, without them, recomputed ones. */
function fusedBackward(plan: NormGradPlan, mode: NormMode, inputs: readonly NDArray[], outputs: readonly NDArray[]): void {
  const [dy, x, gamma, movingMean, movingVar] = inputs;
  const [dx, dgamma, dbeta] = outputs;
  if (x.size === 0) {
    // The kernel leaves an empty view's outputs untouched; the storage may hold older values.
    dgamma.data.fill(0);
    dbeta.data.fill(0);
    return;
  }
  const g = mode.fixGamma ? new Float32Array(gamma.size).fill(1) : gamma.data;
  const statistics = plan.statistics ?? (mode.fixedStatistics ? constantStatistics(movingMean, movingVar) : measure(x, plan));
  const kernel = mode.fixedStatistics ? normBackwardFixedStatistics : normBackward;
  kernel(x.data, 0, dy.data, 0, dx.data, 0, plan.layout, statistics.mean, statistics.variance, mode.eps, g, dgamma.data, dbeta.data);
  if (mode.fixGamma) dgamma.data.fill(0);
}

/** The statistics of `x` (when a backward operator runs without the forward's). */
function measure(x: NDArray, plan: NormPlan): NormStatistics {
  const groups = plan.layout.outer * plan.layout.channels;
  const statistics = { mean: new Float64Array(groups), variance: new Float64Array(groups) };
  normStatistics(x.data, 0, plan.layout, statistics.mean, statistics.variance);
  return statistics;
}

/** Given mean and variance arrays (BatchNorm's moving statistics), in float64. */
export function constantStatistics(mean: NDArray, variance: NDArray): NormStatistics {
  return { mean: Float64Array.from(mean.data), variance: Float64Array.from(variance.data) };
}

// ---------------------------------------------------------------------------------------------
// The composites (second derivatives).

const GROUP_AXES = { axis: [1, 3], keepdims: true };

/** gamma's shape in the (outer, reduceOuter, channels, reduceInner) view: its length on the affine axis, 1 elsewhere. */
function affineShape(plan: NormPlan, length: number): number[] {
  const shape = [1, 1, 1, 1];
  shape[plan.affineAxis] = length;
  return shape;
}

/** x − mean and rstd of the data's own groups (in the view). */
function batchMoments(F: Nd, eps: number, x4: NDArray): { centered: NDArray; mean: NDArray; variance: NDArray; rstd: NDArray } {
  const mean = F.mean(x4, GROUP_AXES);
  const centered = F.subtract(x4, mean);
  const variance = F.mean(F.square(centered), GROUP_AXES);
  return { centered, mean, variance, rstd: F.divide(1, F.sqrt(F.add(variance, eps))) };
}

/** x − mean and rstd with given per-channel statistics (BatchNorm's moving ones). */
function fixedMoments(F: Nd, plan: NormPlan, eps: number, x4: NDArray, mean: NDArray, variance: NDArray): { centered: NDArray; rstd: NDArray } {
  const shape = { shape: affineShape(plan, mean.size) };
  return { centered: F.subtract(x4, F.reshape(mean, shape)), rstd: F.divide(1, F.sqrt(F.add(F.reshape(variance, shape), eps))) };
}

/** dx = rstd·(γdy − mean(γdy) − x̂·mean(γdy·x̂)), in the view. */
function batchDataGrad(F: Nd, gDy: NDArray, xHat: NDArray, rstd: NDArray): NDArray {
  const projected = F.multiply(xHat, F.mean(F.multiply(gDy, xHat), GROUP_AXES));
  return F.multiply(rstd, F.subtract(F.subtract(gDy, F.mean(gDy, GROUP_AXES)), projected));
}

/** The backward (ograd, data, gamma[, moving_mean, moving_var]) → (dx, dgamma, dbeta), restated with operators. */
function backwardComposite(plan: NormPlan, mode: NormMode): Composite {
  return (F, inputs) => {
    const [dy, x, gamma, movingMean, movingVar] = inputs;
    if (x.size === 0) return [F.zerosLike(x), F.zerosLike(gamma), F.zerosLike(gamma)];
    const view = { shape: plan.view };
    const x4 = F.reshape(x, view), dy4 = F.reshape(dy, view);
    const { centered, rstd } = mode.fixedStatistics ? fixedMoments(F, plan, mode.eps, x4, movingMean, movingVar) : batchMoments(F, mode.eps, x4);
    const xHat = F.multiply(centered, rstd);
    const gDy = mode.fixGamma ? dy4 : F.multiply(dy4, F.reshape(gamma, { shape: affineShape(plan, gamma.size) }));
    const dx4 = mode.fixedStatistics ? F.multiply(gDy, rstd) : batchDataGrad(F, gDy, xHat, rstd);
    const perAffine = { axis: [plan.affineAxis], exclude: true };
    return [
      F.reshape(dx4, { shape: x.shape }),
      mode.fixGamma ? F.zerosLike(gamma) : F.sum(F.multiply(dy4, xHat), perAffine),
      F.sum(dy4, perAffine),
    ];
  };
}

/** The statistics outputs (mean, std or 1/std) as functions of the data, restated with operators. */
function statisticsComposite(plan: NormPlan, eps: number, spread: SpreadKind): Composite {
  return (F, [x]) => {
    const { mean, variance } = batchMoments(F, eps, F.reshape(x, { shape: plan.view }));
    const std = F.sqrt(F.add(variance, eps));
    const shape = { shape: plan.statisticsShape };
    return [F.reshape(mean, shape), F.reshape(spread === 'std' ? std : F.divide(1, std), shape)];
  };
}

// ---------------------------------------------------------------------------------------------
// The forward operators' backward rule.

/** What a normalization's forward keeps for its backward. */
export interface NormSaved {
  /** The statistics it normalized with (float64): the batch's, or the moving ones copied at forward time. */
  readonly statistics: NormStatistics;
  /** Whether those were constants (BatchNorm on its moving statistics). */
  readonly fixedStatistics: boolean;
}

/** The parts of a normalization's backward context the rule reads. */
export interface NormRuleContext {
  readonly plan: NormPlan;
  readonly saved: NormSaved;
  readonly inputs: readonly NDArray[];
  readonly outputGrads: readonly NDArray[];
  readonly needsGrad: readonly boolean[];
  readonly into: readonly (Float32Array | undefined)[];
  readonly who: string;
}

/** How a normalization's rule calls its backward operator. */
export interface NormRuleSpec {
  /** The `_backward_X` operator, and its attributes (option names, resolved values). */
  readonly op: Operator;
  readonly options: Readonly<Record<string, unknown>>;
  readonly eps: number;
  /** The moving statistics (BatchNorm's last two inputs), as the backward operator takes them. */
  readonly moving?: readonly NDArray[];
  /** What the visible statistics outputs hold (with `outputMeanVar`), for their gradient. */
  readonly spread?: SpreadKind;
}

/**
 * The gradients of (data, gamma, beta) — none for the moving statistics, which are auxiliary
 * states — from the fused backward operator, with dx written into autograd's storage when it
 * offers one, plus the gradient that reaches the data through visible mean/std outputs.
 */
export function normGradients(F: Nd, ctx: NormRuleContext, spec: NormRuleSpec): (NDArray | undefined)[] {
  const { plan, saved, inputs: [x, gamma], outputGrads: [dy, ...statisticsGrads], needsGrad, into, who } = ctx;
  const spread = spec.spread;
  const throughStatistics = spread !== undefined && !saved.fixedStatistics && needsGrad[0] && statisticsGrads.some(isNonZero);
  // dx alone is not x's whole gradient when the statistics outputs add to it: it cannot go into x's storage.
  const storage = [throughStatistics ? undefined : into[0], into[1], into[2]];
  const outputs = [x, gamma, gamma].map((like, i) => new NDArray(storage[i] ?? new Float32Array(like.size), like.shape));
  const gradPlan: NormGradPlan = { ...plan, statistics: saved.statistics };
  const inputs = [dy, x, gamma, ...(spec.moving ?? [])];
  const [dx, dgamma, dbeta] = runOperator(F, spec.op, spec.op.resolveOptions(spec.options, who), inputs, outputs, gradPlan, who);
  const dxTotal = throughStatistics
    ? F.add(dx, compositeGradients(F, statisticsComposite(plan, spec.eps, spread), [x], statisticsGrads)[0])
    : dx;
  return [needsGrad[0] ? dxTotal : undefined, needsGrad[1] ? dgamma : undefined, needsGrad[2] ? dbeta : undefined];
}

function isNonZero(g: NDArray): boolean {
  const values = g.data;
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return true;
  return false;
}
