/**
 * The statistics a normalization operator shows as outputs (MXNet's `output_mean_var`): the
 * per-group mean, and from the biased variance either the standard deviation sqrt(var + eps)
 * (LayerNorm, GroupNorm) or its inverse 1/sqrt(var + eps) (BatchNorm), each computed in float64
 * and rounded once to float32.
 */
import { GluonError } from '../../core/errors';

/** Which function of the variance the second output holds. */
export type SpreadKind = 'std' | 'invstd';

/**
 * Writes `meanOut[g] = mean[g]` and `spreadOut[g]` = sqrt(variance[g] + eps) (`'std'`) or
 * 1/sqrt(variance[g] + eps) (`'invstd'`) for every group g < meanOut.length.
 *
 * @example
 * const m = new Float32Array(1), s = new Float32Array(1);
 * writeStatistics(new Float64Array([2]), new Float64Array([3]), 1, 'std', m, s); // m = [2], s = [2]
 */
export function writeStatistics(mean: Float64Array, variance: Float64Array, eps: number, kind: SpreadKind, meanOut: Float32Array, spreadOut: Float32Array): void {
  const n = meanOut.length;
  if (mean.length < n || variance.length < n || spreadOut.length !== n) {
    throw new GluonError(`writeStatistics: expected ${n} statistics and ${n} outputs, but got mean ${mean.length}, variance ${variance.length}, spread ${spreadOut.length}`);
  }
  for (let g = 0; g < n; g++) {
    const std = Math.sqrt(variance[g] + eps);
    meanOut[g] = mean[g];
    spreadOut[g] = kind === 'std' ? std : 1 / std;
  }
}
