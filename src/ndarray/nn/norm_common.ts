/**
 * What the normalization operators (InstanceNorm, BatchNorm, LayerNorm, GroupNorm) share: input
 * checks with the operator's name in every message, the forward through the one kernel keeping
 * its statistics, and the gradients through the kernel's backward. The operators themselves only
 * choose a layout and the statistics; none has a statistics loop of its own.
 */
import { GluonError, formatShape } from '../../core/errors';
import { NormLayout, normApply, normForward } from '../../kernels/cpu/normalization';
import { normBackward, normBackwardFixedStatistics } from '../../kernels/cpu/normalization_backward';
import { NDArray } from '../ndarray';

/** Per-group float64 mean and biased variance, as the kernel computes (length outer·channels). */
export interface NormStatistics {
  mean: Float64Array;
  variance: Float64Array;
}

/** Checks that `data` is an NDArray of rank ≥ `minRank`. */
export function checkNormData(op: string, data: NDArray, minRank: number): void {
  if (!(data instanceof NDArray)) throw new GluonError(`${op}: expected an NDArray input, but got ${typeof data}`);
  if (data.ndim < minRank) {
    throw new GluonError(`${op}: expected an input of rank >= ${minRank}, but got an input of shape ${formatShape(data.shape)}`);
  }
}

/** Checks that `value` (gamma, beta, a moving statistic) is an NDArray of shape (length,). */
export function checkNormVector(op: string, name: string, value: NDArray, length: number, data: NDArray): void {
  if (!(value instanceof NDArray) || value.ndim !== 1 || value.size !== length) {
    const given = value instanceof NDArray ? `shape ${formatShape(value.shape)}` : typeof value;
    throw new GluonError(`${op}: expected ${name} of shape (${length},) for data of shape ${formatShape(data.shape)}, but got ${given}`);
  }
}

/** Checks eps: a finite number ≥ 0. */
export function checkNormEps(op: string, eps: number): void {
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new GluonError(`${op}: expected a finite eps >= 0, but got ${String(eps)}`);
  }
}

/**
 * out = (x − mean)/sqrt(var + eps)·gamma + beta with the statistics of `data` itself, computed by
 * the kernel and returned for the backward.
 */
export function normalizeWithBatchStatistics(data: NDArray, layout: NormLayout, eps: number, gamma: Float32Array, beta: Float32Array):
  { output: NDArray; statistics: NormStatistics } {
  const groups = layout.outer * layout.channels;
  const statistics: NormStatistics = { mean: new Float64Array(groups), variance: new Float64Array(groups) };
  const out = new Float32Array(data.size);
  normForward(data.data, 0, out, 0, layout, statistics.mean, statistics.variance, eps, gamma, beta);
  return { output: new NDArray(out, data.shape), statistics };
}

/** The same with given (constant) statistics, e.g. BatchNorm's moving mean and variance. */
export function normalizeWithStatistics(data: NDArray, layout: NormLayout, statistics: NormStatistics, eps: number,
  gamma: Float32Array, beta: Float32Array): NDArray {
  const out = new Float32Array(data.size);
  normApply(data.data, 0, out, 0, layout, statistics.mean, statistics.variance, eps, gamma, beta);
  return new NDArray(out, data.shape);
}

/**
 * [dx, dgamma, dbeta] of a normalization given the output gradient `dy`, through the kernel's
 * backward: with `fixedStatistics` the statistics are constants (dx = rstd·gamma·dy), otherwise
 * they are functions of `data` (the full normalization gradient). dgamma/dbeta have gamma's length.
 * `dxInto` (data.size values), when backward offers one, receives dx instead of a fresh array:
 * it is data's own attached gradient (see `gradDestinations` in autograd/backward.ts).
 */
export function normGradients(data: NDArray, dy: NDArray, layout: NormLayout, statistics: NormStatistics, eps: number,
  gamma: Float32Array, fixedStatistics: boolean, dxInto?: Float32Array): [NDArray, NDArray, NDArray] {
  const dx = dxInto ?? new Float32Array(data.size);
  const dgamma = new Float32Array(gamma.length);
  const dbeta = new Float32Array(gamma.length);
  const kernel = fixedStatistics ? normBackwardFixedStatistics : normBackward;
  kernel(data.data, 0, dy.data, 0, dx, 0, layout, statistics.mean, statistics.variance, eps, gamma, dgamma, dbeta);
  return [new NDArray(dx, data.shape), new NDArray(dgamma, [gamma.length]), new NDArray(dbeta, [gamma.length])];
}
