/**
 * Naive float64 references for the activation operators, written from the textbook formulas
 * and independently of src/ (no expm1/log1p tricks, a numerically integrated normal CDF), so a
 * shared mistake is unlikely. Accurate to ~1e-12 relative, far below float32 rounding.
 */

export const SELU_SCALE = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

export const refRelu = (v: number): number => Math.max(v, 0);
export const refSigmoid = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
export const refTanh = (v: number): number => {
  const t = Math.exp(-2 * Math.abs(v));
  return Math.sign(v) * ((1 - t) / (1 + t));
};
export const refSoftsign = (v: number): number => v / (1 + Math.abs(v));

/** log(1 + eᵛ): the series Σ (−1)^(k+1) e^(kv)/k in the left tail, where 1 + eᵛ would round. */
export function refSoftrelu(v: number): number {
  if (v > -5) return v > 30 ? v + Math.exp(-v) : Math.log(1 + Math.exp(v));
  let sum = 0;
  for (let k = 1; k <= 12; k++) sum += ((k % 2 === 1 ? 1 : -1) * Math.exp(k * v)) / k;
  return sum;
}

export const refLeaky = (slope: number) => (v: number): number => (v > 0 ? v : slope * v);
export const refElu = (alpha: number) => (v: number): number => (v > 0 ? v : alpha * (Math.exp(v) - 1));
export const refSelu = (v: number): number => SELU_SCALE * (v > 0 ? v : SELU_ALPHA * (Math.exp(v) - 1));
export const refSwish = (beta: number) => (v: number): number => v / (1 + Math.exp(-beta * v));

/**
 * Φ(x) = ∫_{−∞}^{x} φ(t) dt by composite Simpson's rule over [x − 13, x] (for x ≤ 0 the mass
 * below is < e^−84 of the rest) with step 1/500, and 1 − Φ(−x) above: relatively exact (~1e-9)
 * in the left tail.
 */
export function refNormalCdf(x: number): number {
  if (x > 0) return 1 - refNormalCdf(-x);
  const span = 13;
  const steps = 6500;
  const h = span / steps;
  const phi = (t: number): number => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  let sum = phi(x - span) + phi(x);
  for (let k = 1; k < steps; k++) sum += (k % 2 === 1 ? 4 : 2) * phi(x - span + k * h);
  return (sum * h) / 3;
}
/** Memoized: gradient checks re-evaluate every unchanged element for each perturbed one. */
const cdfCache = new Map<number, number>();
export function refGelu(v: number): number {
  let cdf = cdfCache.get(v);
  if (cdf === undefined) cdfCache.set(v, (cdf = refNormalCdf(v)));
  return v * cdf;
}

/** Applies a scalar reference to float32 values, giving float64 results. */
export function mapRef(f: (v: number) => number, xs: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs, f);
}
