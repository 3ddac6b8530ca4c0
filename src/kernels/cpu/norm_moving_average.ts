/**
 * BatchNorm's moving-statistics update, in place: the running mean and variance become
 *
 *     moving[c] = moving[c]·momentum + batch[c]·(1 − momentum)
 *
 * from the batch statistics the normalization kernel left behind (float64, biased variance),
 * computed in float64 and rounded once to float32.
 */
import { GluonError } from '../../core/errors';

/**
 * Updates `movingMean` and `movingVar` (length ≥ `mean.length`) in place from the batch's `mean`
 * and `variance`; `momentum` is the weight of the old values.
 *
 * @example
 * const movingMean = new Float32Array([1]), movingVar = new Float32Array([4]);
 * updateMovingStatistics(movingMean, movingVar, new Float64Array([2]), new Float64Array([1]), 0.75);
 * // movingMean = [1.25], movingVar = [3.25]
 */
export function updateMovingStatistics(movingMean: Float32Array, movingVar: Float32Array, mean: Float64Array, variance: Float64Array, momentum: number): void {
  const n = mean.length;
  if (movingMean.length < n || movingVar.length < n || variance.length < n) {
    throw new GluonError(`updateMovingStatistics: expected ${n} values in every array, but got moving mean ${movingMean.length}, moving var ${movingVar.length}, variance ${variance.length}`);
  }
  const keep = momentum, take = 1 - momentum;
  for (let c = 0; c < n; c++) {
    movingMean[c] = movingMean[c] * keep + mean[c] * take;
    movingVar[c] = movingVar[c] * keep + variance[c] * take;
  }
}
