/**
 * MXNet's `BatchNorm` on the shared normalization kernel: batch statistics in training (and the
 * moving statistics updated in place, as MXNet's FMutateInputs), the moving statistics otherwise.
 * Its documentation is in NormalizationSignatures (normalization.ts).
 */
import { normApply, normForward } from '../kernels/cpu/normalization';
import { updateMovingStatistics } from '../kernels/cpu/norm_moving_average';
import { writeStatistics } from '../kernels/cpu/norm_statistics_out';
import { NDArray } from '../ndarray/ndarray';
import { BATCH_NORM_GRAD, NormSaved, constantStatistics, normGradients } from './norm_backward';
import { BATCH_NORM_ATTRS, BatchNormAttrs, NormPlan, NormStatistics, inferBatchNorm } from './norm_plan';
import { ForwardContext, Operator, defineOperator } from './operator';

/** MXNet's `BatchNorm(data, gamma, beta, moving_mean, moving_var)`; see NormalizationSignatures.BatchNorm. */
export const BATCH_NORM: Operator = defineOperator({
  name: 'BatchNorm',
  aliases: ['_npx_batch_norm'],
  attrs: BATCH_NORM_ATTRS,
  inputs: ['data', 'gamma', 'beta', 'moving_mean', 'moving_var'],
  auxStates: 2,
  outputs: (a) => (a.outputMeanVar ? ['output', 'mean', 'var'] : ['output']),
  hiddenOutputs: (a) => (a.outputMeanVar ? 0 : 2),
  mutates: [3, 4],
  // The kernel normalizes in place correctly (statistics first, then the apply).
  inplace: [[0, 0]],
  fusesActivation: true,
  inferShape: (a, shapes, who) => inferBatchNorm(who, a, shapes),
  forward: (ctx) => batchNormForward(ctx),
  backward: (ctx, F) => {
    const { attrs, saved, inputs } = ctx;
    // On moving statistics, the backward reads the values the forward used (copied then), not later updates.
    const moving = saved.fixedStatistics
      ? [saved.statistics.mean, saved.statistics.variance].map((s) => new NDArray(Float32Array.from(s), [s.length]))
      : inputs.slice(3);
    const options = { ...attrs, useGlobalStats: saved.fixedStatistics };
    const grads = normGradients(F, ctx, { op: BATCH_NORM_GRAD, options, eps: attrs.eps, moving, spread: 'invstd' });
    // The moving statistics are auxiliary states: no gradient, as MXNet.
    return [...grads, undefined, undefined];
  },
});

/**
 * Training (and not useGlobalStats): the batch's mean and biased variance, then the in-place
 * update of the moving statistics (not for an empty batch); otherwise the moving statistics.
 * With `fixGamma` gamma is taken as 1 (and never written).
 */
function batchNormForward(ctx: ForwardContext<BatchNormAttrs, NormPlan>): NormSaved {
  const { attrs: a, plan, inputs: [x, gamma, beta, movingMean, movingVar], outputs: [y, meanOut, varOut], training, activation } = ctx;
  const g = a.fixGamma ? new Float32Array(gamma.size).fill(1) : gamma.data;
  const batch = training && !a.useGlobalStats;
  let statistics: NormStatistics;
  if (batch) {
    const channels = plan.layout.channels;
    statistics = { mean: new Float64Array(channels), variance: new Float64Array(channels) };
    normForward(x.data, 0, y.data, 0, plan.layout, statistics.mean, statistics.variance, a.eps, g, beta.data, activation);
    if (x.size > 0) updateMovingStatistics(movingMean.data, movingVar.data, statistics.mean, statistics.variance, a.momentum);
  } else {
    statistics = constantStatistics(movingMean, movingVar);
    normApply(x.data, 0, y.data, 0, plan.layout, statistics.mean, statistics.variance, a.eps, g, beta.data, activation);
  }
  // MXNet's `var` output holds the inverse standard deviation 1/sqrt(var + eps), in both modes.
  if (varOut !== undefined) writeStatistics(statistics.mean, statistics.variance, a.eps, 'invstd', meanOut.data, varOut.data);
  return { statistics, fixedStatistics: !batch };
}
