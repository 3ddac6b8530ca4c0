/**
 * The Gaussian error function and the standard normal distribution in float64, for GELU (the
 * LeakyReLU kernels).
 * JavaScript has no `Math.erf`; these are accurate to ~1e-14 relative (a few ulps of float64 for
 * erf), so a float32 result rounded from them is the correctly rounded value but in rare ties.
 */

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const ONE_OVER_SQRT_PI = 1 / Math.sqrt(Math.PI);
const SQRT_HALF = Math.SQRT1_2;
const ONE_OVER_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Below this |z| the Maclaurin series is used; above, the continued fraction. */
const SERIES_LIMIT = 1.5;

/**
 * (2/√π)·(−1)ⁿ/(n!·(2n+1)), the Maclaurin coefficients of erf in powers z^(2n+1). 30 terms
 * reach 1e-17 at |z| = 1.5, where cancellation between terms costs about one digit.
 */
const MACLAURIN = Array.from({ length: 30 }, (_, n) => {
  let factorial = 1;
  for (let k = 2; k <= n; k++) factorial *= k;
  return (TWO_OVER_SQRT_PI * (n % 2 === 0 ? 1 : -1)) / (factorial * (2 * n + 1));
});

/** erf(z) for |z| < 1.5: the Maclaurin series by Horner's rule in z² (no division, no exp). */
function erfSeries(z: number): number {
  const z2 = z * z;
  let sum = 0;
  for (let n = MACLAURIN.length - 1; n >= 0; n--) sum = sum * z2 + MACLAURIN[n];
  return z * sum;
}

/**
 * erfc(z) for z ≥ 1.5 by the continued fraction e^(−z²)/√π · 1/(z + ½/(z + 1/(z + 3⁄2/(z + …)))),
 * evaluated bottom-up. It keeps full relative precision in the tail, where 1 − erf(z) would
 * cancel (erfc(5) ≈ 1.5e-12). It converges faster as z grows: 200/z² + 8 terms reach 1e-15.
 */
function erfcFraction(z: number): number {
  const terms = Math.min(100, Math.ceil(200 / (z * z)) + 8);
  let f = z;
  for (let k = terms; k >= 1; k--) f = z + k / 2 / f;
  return (ONE_OVER_SQRT_PI * Math.exp(-z * z)) / f;
}

/** The complementary error function erfc(z) = 1 − erf(z), with full relative precision for large z. */
export function erfc(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (Math.abs(z) < SERIES_LIMIT) return 1 - erfSeries(z);
  return z > 0 ? erfcFraction(z) : 2 - erfcFraction(-z);
}

/** The error function erf(z) = (2/√π) ∫₀ᶻ e^(−t²) dt. */
export function erf(z: number): number {
  if (Math.abs(z) < SERIES_LIMIT) return erfSeries(z);
  return 1 - erfc(z);
}

/** Φ(x), the standard normal CDF: ½·erfc(−x/√2), relatively exact far into the left tail. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x * SQRT_HALF);
}

/** φ(x), the standard normal density e^(−x²/2)/√(2π). */
export function normalPdf(x: number): number {
  return ONE_OVER_SQRT_2PI * Math.exp(-0.5 * x * x);
}
