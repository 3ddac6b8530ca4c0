/**
 * Attributes and shape inference of the four normalization operators (`InstanceNorm`,
 * `BatchNorm`, `LayerNorm`, `GroupNorm`) and of their `_backward_*` operators: the one place
 * their inputs are checked. Each returns the kernel's view of the data (a NormLayout, built
 * without checking again) and what the composites of the second derivatives need.
 */
import { GluonError, formatShape } from '../core/errors';
import { normalizeAxis } from '../core/shape';
import { batchNormView, groupNormView, instanceNormView, layerNormView } from '../kernels/cpu/norm_layouts';
import type { NormLayout } from '../kernels/cpu/normalization';
import { AttrValues, boolAttr, floatAttr, intAttr, optionalAttr } from './attrs';
import type { MaybeShape, Shape, ShapeInference } from './operator';
import { expectShape } from './shape_checks';

/** MXNet 1.9's InstanceNormParam, plus tsgluon's `axis` (see InstanceNormOptions). */
export const INSTANCE_NORM_ATTRS = {
  eps: floatAttr({ default: 1e-3 }),
  axis: intAttr({ default: 1 }),
};

/** MXNet 1.9's BatchNormParam, in its declaration order. */
export const BATCH_NORM_ATTRS = {
  eps: floatAttr({ default: 1e-3 }),
  momentum: floatAttr({ default: 0.9 }),
  fixGamma: boolAttr({ default: true }),
  useGlobalStats: boolAttr({ default: false }),
  outputMeanVar: boolAttr({ default: false }),
  axis: intAttr({ default: 1 }),
  cudnnOff: boolAttr({ default: false, ignored: true }),
  // Read only by MXNet's quantization pass (quantized_batch_norm); its float BatchNorm ignores them too.
  minCalibRange: optionalAttr(floatAttr(), { default: null, ignored: true }),
  maxCalibRange: optionalAttr(floatAttr(), { default: null, ignored: true }),
};

/** MXNet 1.9's LayerNormParam. */
export const LAYER_NORM_ATTRS = {
  axis: intAttr({ default: -1 }),
  eps: floatAttr({ default: 1e-5 }),
  outputMeanVar: boolAttr({ default: false }),
};

/** MXNet 1.9's GroupNormParam. */
export const GROUP_NORM_ATTRS = {
  numGroups: intAttr({ default: 1, min: 1 }),
  eps: floatAttr({ default: 1e-5 }),
  outputMeanVar: boolAttr({ default: false }),
};

export type InstanceNormAttrs = AttrValues<typeof INSTANCE_NORM_ATTRS>;
export type BatchNormAttrs = AttrValues<typeof BATCH_NORM_ATTRS>;
export type LayerNormAttrs = AttrValues<typeof LAYER_NORM_ATTRS>;
export type GroupNormAttrs = AttrValues<typeof GROUP_NORM_ATTRS>;

/** Per-group float64 mean and biased variance, as the kernel computes them (length outer·channels). */
export interface NormStatistics {
  readonly mean: Float64Array;
  readonly variance: Float64Array;
}

/** What the forward, the backward and the composites need beyond the attributes. */
export interface NormPlan {
  /** The kernel's view of the data. */
  readonly layout: NormLayout;
  /** The data as (outer, reduceOuter, channels, reduceInner): one group per (outer, channel), over axes 1 and 3. */
  readonly view: Shape;
  /** The axis of `view` along which gamma and beta vary. */
  readonly affineAxis: 1 | 2 | 3;
  /** The shape of the statistics outputs (mean, var/std): one value per group. */
  readonly statisticsShape: Shape;
}

/** A backward operator's plan: the forward's, with its float64 statistics when the rule has them. */
export interface NormGradPlan extends NormPlan {
  readonly statistics?: NormStatistics;
}

/** An inference: the inputs' shapes (affine ones filled in from the data), the visible outputs, the plan. */
type NormInference = ShapeInference<NormPlan>;

function makePlan(layout: NormLayout, affineAxis: 1 | 2 | 3, statisticsShape: Shape): NormPlan {
  return { layout, view: [layout.outer, layout.reduceOuter, layout.channels, layout.reduceInner], affineAxis, statisticsShape };
}

function checkEps(who: string, eps: number): void {
  if (eps < 0) throw new GluonError(`${who}: expected eps to be a finite number >= 0, but got ${eps}`);
}

function checkRank(who: string, data: Shape, min: number, message = `expected an input of rank >= ${min}`): void {
  if (data.length < min) throw new GluonError(`${who}: ${message}, but got an input of shape ${formatShape(data)}`);
}

/** Checks the given affine inputs (gamma, beta, moving statistics) against their required shape. */
function checkAffine(who: string, names: readonly string[], shapes: readonly MaybeShape[], expected: Shape, data: Shape): void {
  names.forEach((name, i) => {
    const shape = shapes[i];
    if (shape !== undefined) expectShape(who, name, shape, expected, data);
  });
}

/** Nothing can be inferred before the data's shape is known (as MXNet). */
function unknownData(shapes: readonly MaybeShape[], outputMeanVar: boolean): NormInference {
  return { inputs: shapes, outputs: outputMeanVar ? [undefined, undefined, undefined] : [undefined] };
}

/** The visible outputs: the data's shape, then mean and var/std when `outputMeanVar`. */
function outputs(data: Shape, statisticsShape: Shape, outputMeanVar: boolean): Shape[] {
  return outputMeanVar ? [data, statisticsShape, statisticsShape] : [data];
}

/** InstanceNorm(data, gamma, beta): rank ≥ 3, a channel axis other than 0, gamma/beta (C,). */
export function inferInstanceNorm(who: string, a: InstanceNormAttrs, shapes: readonly MaybeShape[]): NormInference {
  checkEps(who, a.eps);
  const [data, gamma, beta] = shapes;
  if (data === undefined) return unknownData(shapes, false);
  checkRank(who, data, 3, 'InstanceNorm only supports input tensors of rank >= 3');
  const axis = normalizeAxis(a.axis, data.length, who);
  if (axis === 0) {
    throw new GluonError(`${who}: expected a channel axis other than the batch axis 0, but got axis ${a.axis} for an input of rank ${data.length}`);
  }
  const affine = [data[axis]];
  checkAffine(who, ['gamma', 'beta'], [gamma, beta], affine, data);
  return { inputs: [data, affine, affine], outputs: [data], plan: makePlan(instanceNormView(data, axis), 2, [data[0], data[axis]]) };
}

/** BatchNorm(data, gamma, beta, moving_mean, moving_var): rank ≥ 1, the four vectors (C,), C = data[axis]. */
export function inferBatchNorm(who: string, a: BatchNormAttrs, shapes: readonly MaybeShape[]): NormInference {
  checkEps(who, a.eps);
  const data = shapes[0];
  if (data === undefined) return unknownData(shapes, a.outputMeanVar);
  checkRank(who, data, 1);
  const axis = normalizeAxis(a.axis, data.length, who);
  const affine = [data[axis]];
  checkAffine(who, ['gamma', 'beta', 'moving_mean', 'moving_var'], shapes.slice(1), affine, data);
  return {
    inputs: [data, affine, affine, affine, affine],
    outputs: outputs(data, affine, a.outputMeanVar),
    plan: makePlan(batchNormView(data, axis), 2, affine),
  };
}

/** LayerNorm(data, gamma, beta): rank ≥ 1, gamma/beta (F,), F = data[axis]; statistics of data's shape with data[axis] = 1. */
export function inferLayerNorm(who: string, a: LayerNormAttrs, shapes: readonly MaybeShape[]): NormInference {
  checkEps(who, a.eps);
  const [data, gamma, beta] = shapes;
  if (data === undefined) return unknownData(shapes, a.outputMeanVar);
  checkRank(who, data, 1);
  const axis = normalizeAxis(a.axis, data.length, who);
  const affine = [data[axis]];
  checkAffine(who, ['gamma', 'beta'], [gamma, beta], affine, data);
  const layout = layerNormView(data, axis);
  // The last axis (or nothing after it) is one run per group, gamma along it; otherwise gamma follows reduceOuter.
  const affineAxis = layout.channels === 1 && layout.reduceOuter === 1 ? 3 : 1;
  const statisticsShape = data.map((d, i) => (i === axis ? 1 : d));
  return { inputs: [data, affine, affine], outputs: outputs(data, statisticsShape, a.outputMeanVar), plan: makePlan(layout, affineAxis, statisticsShape) };
}

/** GroupNorm(data, gamma, beta): rank ≥ 3, numGroups dividing data[1], gamma/beta (numGroups,); statistics (N, numGroups). */
export function inferGroupNorm(who: string, a: GroupNormAttrs, shapes: readonly MaybeShape[]): NormInference {
  checkEps(who, a.eps);
  const [data, gamma, beta] = shapes;
  if (data === undefined) return unknownData(shapes, a.outputMeanVar);
  checkRank(who, data, 3);
  if (data[1] % a.numGroups !== 0) {
    throw new GluonError(
      `${who}: expected a channel count divisible by numGroups ${a.numGroups}, but got ${data[1]} channels (axis 1) in an input of shape ${formatShape(data)}`,
    );
  }
  const affine = [a.numGroups];
  checkAffine(who, ['gamma', 'beta'], [gamma, beta], affine, data);
  const statisticsShape = [data[0], a.numGroups];
  return { inputs: [data, affine, affine], outputs: outputs(data, statisticsShape, a.outputMeanVar), plan: makePlan(groupNormView(data, a.numGroups), 2, statisticsShape) };
}

/**
 * Shape inference of `_backward_X(ograd, data, gamma[, moving_mean, moving_var])`: the forward's
 * on (data, gamma[, …]), and ograd of data's shape; outputs (data_grad, gamma_grad, beta_grad).
 */
export function inferNormGrad<A>(
  infer: (who: string, a: A, shapes: readonly MaybeShape[]) => NormInference, who: string, a: A, shapes: readonly MaybeShape[],
): ShapeInference<NormGradPlan> {
  const [ograd, data, gamma, ...moving] = shapes;
  const forward = infer(who, a, [data, gamma, undefined, ...moving]);
  const [dataShape, gammaShape] = forward.inputs;
  if (ograd !== undefined && dataShape !== undefined) expectShape(who, 'ograd', ograd, dataShape, dataShape);
  return {
    inputs: [ograd ?? dataShape, dataShape, gammaShape, ...forward.inputs.slice(3)],
    outputs: [dataShape, gammaShape, gammaShape],
    plan: forward.plan,
  };
}
