import { isTraining } from '../../autograd/mode';
import { recordOp } from '../../autograd/tape';
import { GluonError } from '../../core/errors';
import { batchNormLayout } from '../../kernels/cpu/norm_layouts';
import { NDArray } from '../ndarray';
import { normalizeAxis } from '../../core/shape';
import { NormStatistics, checkNormData, checkNormEps, checkNormVector, normGradients, normalizeWithBatchStatistics, normalizeWithStatistics } from './norm_common';

/** Options of the `nd.BatchNorm` operator; the defaults are MXNet's operator's (not the layer's). */
export interface BatchNormOpOptions {
  /** Added to the variance. Default 1e-3 (the layer passes its epsilon, 1e-5 by default). */
  eps?: number;
  /** Weight of the old moving statistics in their update, in [0, 1]. Default 0.9. */
  momentum?: number;
  /** Treat gamma as 1 (its gradient is 0). Default true, as MXNet's operator; the layer passes `!scale`. */
  fixGamma?: boolean;
  /** Normalize with the moving statistics even in training mode. Default false. */
  useGlobalStats?: boolean;
  /** The channel axis; negative counts from the end. Default 1. */
  axis?: number;
  /**
   * Receives the updated moving statistics (shape (C,)) whenever the batch statistics are used.
   * MXNet updates its moving arrays in place; tsgluon arrays are immutable, so the caller stores
   * them (the BatchNorm layer puts them into its runningMean/runningVar Parameters).
   */
  onMovingStats?: (movingMean: NDArray, movingVar: NDArray) => void;
}

/**
 * MXNet's `BatchNorm` operator: `out = (x − mean) / sqrt(var + eps) · gamma[c] + beta[c]` with one
 * mean and variance per channel c = index along `axis`, over every other axis (the whole batch).
 * Shapes: data of rank ≥ 1, gamma, beta, movingMean and movingVar (C,); the output has data's shape.
 *
 * Which statistics (MXNet's rule): in training mode (`autograd.isTraining()`, i.e. inside
 * `autograd.record` or `autograd.trainMode`) and not `useGlobalStats`, the batch's mean and
 * **biased** variance, and the moving statistics are updated as
 *
 *     moving = moving·momentum + batch·(1 − momentum)
 *
 * and handed to `onMovingStats`; otherwise movingMean and movingVar, unchanged. MXNet 1.9's CPU
 * operators (native and oneDNN) also use the biased variance (they recover it from the saved
 * 1/sqrt(var + eps)), but apply the update in the *backward* pass; tsgluon updates in the forward,
 * as PyTorch and MXNet's cuDNN path do, so a training-mode forward without backward updates too.
 * PyTorch differs in two ways: its momentum is MXNet's 1 − momentum, and its running variance
 * uses the unbiased variance (÷ (n − 1)).
 *
 * `fixGamma` uses gamma = 1 (MXNet's operator also overwrites its gamma input with 1 when gamma's
 * gradient is requested; tsgluon never mutates inputs). An empty batch gives an empty output and no
 * update. Differentiable with respect to data, gamma and beta: with batch statistics the full
 * normalization gradient, with moving statistics dx = gamma·dy/sqrt(movingVar + eps); dgamma is 0
 * when `fixGamma`. The moving statistics get no gradient.
 *
 * @example
 * const y = autograd.trainMode(() => nd.BatchNorm(x, gamma, beta, movingMean, movingVar, {
 *   eps: 1e-5, fixGamma: false, onMovingStats: (mean, variance) => { movingMean = mean; movingVar = variance; },
 * }));
 */
export function BatchNorm(data: NDArray, gamma: NDArray, beta: NDArray, movingMean: NDArray, movingVar: NDArray, options: BatchNormOpOptions = {}): NDArray {
  const { eps = 1e-3, momentum = 0.9, fixGamma = true, useGlobalStats = false, axis = 1, onMovingStats } = options;
  checkNormData('BatchNorm', data, 1);
  const channelAxis = normalizeAxis(axis, data.ndim, 'BatchNorm');
  const channels = data.shape[channelAxis];
  const vectors = [['gamma', gamma], ['beta', beta], ['movingMean', movingMean], ['movingVar', movingVar]] as const;
  for (const [name, value] of vectors) checkNormVector('BatchNorm', name, value, channels, data);
  checkBatchNormOptions(eps, momentum, fixGamma, useGlobalStats, onMovingStats);

  const layout = batchNormLayout(data.shape, channelAxis);
  const gammaUsed = fixGamma ? new Float32Array(channels).fill(1) : gamma.data;
  const batchStatistics = isTraining() && !useGlobalStats;
  let output: NDArray, statistics: NormStatistics;
  if (batchStatistics) {
    ({ output, statistics } = normalizeWithBatchStatistics(data, layout, eps, gammaUsed, beta.data));
    if (data.size > 0 && onMovingStats) {
      onMovingStats(movingAverage(movingMean, statistics.mean, momentum), movingAverage(movingVar, statistics.variance, momentum));
    }
  } else {
    statistics = { mean: Float64Array.from(movingMean.data), variance: Float64Array.from(movingVar.data) };
    output = normalizeWithStatistics(data, layout, statistics, eps, gammaUsed, beta.data);
  }
  return recordOp('BatchNorm', output, [data, gamma, beta], (dy, into) => {
    const [dx, dgamma, dbeta] = normGradients(data, dy, layout, statistics, eps, gammaUsed, !batchStatistics, into[0]);
    return [dx, fixGamma ? new NDArray(new Float32Array(channels), [channels]) : dgamma, dbeta];
  });
}

/** moving·momentum + batch·(1 − momentum), in float64, rounded once. */
function movingAverage(moving: NDArray, batch: Float64Array, momentum: number): NDArray {
  const out = new Float32Array(moving.size);
  for (let c = 0; c < out.length; c++) out[c] = moving.data[c] * momentum + batch[c] * (1 - momentum);
  return new NDArray(out, moving.shape);
}

function checkBatchNormOptions(eps: number, momentum: number, fixGamma: boolean, useGlobalStats: boolean, onMovingStats: unknown): void {
  checkNormEps('BatchNorm', eps);
  if (typeof momentum !== 'number' || !(momentum >= 0 && momentum <= 1)) {
    throw new GluonError(`BatchNorm: expected a momentum in [0, 1], but got ${String(momentum)}`);
  }
  for (const [name, value] of [['fixGamma', fixGamma], ['useGlobalStats', useGlobalStats]] as const) {
    if (typeof value !== 'boolean') throw new GluonError(`BatchNorm: expected ${name} to be true or false, but got ${String(value)}`);
  }
  if (onMovingStats !== undefined && typeof onMovingStats !== 'function') {
    throw new GluonError(`BatchNorm: expected onMovingStats to be a function, but got ${typeof onMovingStats}`);
  }
}
