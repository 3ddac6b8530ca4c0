/**
 * Mean and biased variance of one group from its sums of d = x − shift (Σd, Σd², n values):
 *   mean = shift + Σd/n,   variance = (Σd² − (Σd)²/n)/n, clamped at 0 (NaN stays NaN).
 * Shared by the JavaScript and the SIMD statistics loops, so both finish a group identically.
 */
export function finishMoments(shift: number, sum: number, squares: number, n: number, mean: Float64Array, variance: Float64Array, g: number): void {
  const offsetMean = sum / n;
  mean[g] = shift + offsetMean;
  variance[g] = Math.max(0, (squares - sum * offsetMean) / n);
}
