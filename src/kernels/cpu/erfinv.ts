/**
 * The inverse error function in float64, for the `erfinv` operator: Winitzki's closed-form
 * approximation (~2e-3 relative) refined by three Halley steps on erf(y) = x, which triple the
 * correct digits each (to ~1e-16). In the tail the residual is taken as (1 − x) − erfc(y), exact
 * there since 1 − x is exact for a float32 x, so erfinv keeps full precision up to x = 1 − 2⁻²⁴.
 */
import { erf, erfc } from './erf';

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
/** Winitzki's constant a of erf(x) ≈ sign(x)·√(1 − exp(−x²·(4/π + ax²)/(1 + ax²))). */
const WINITZKI_A = 0.147;
const HALLEY_STEPS = 3;

/** The inverse of Winitzki's approximation, for 0 < a < 1. */
function initialGuess(a: number): number {
  const log = Math.log((1 - a) * (1 + a));
  const b = 2 / (Math.PI * WINITZKI_A) + log / 2;
  return Math.sqrt(Math.sqrt(b * b - log / WINITZKI_A) - b);
}

/**
 * erfinv(x), the y with erf(y) = x: ±Infinity at ±1, NaN outside [−1, 1], ±0 at ±0.
 * Halley's step for g(y) = erf(y) − x (g′ = 2/√π·e^(−y²), g″ = −2y·g′) is y −= u/(1 + y·u), u = g/g′.
 */
export function erfinv(x: number): number {
  const a = Math.abs(x);
  if (!(a < 1)) return a === 1 ? x * Infinity : NaN;
  if (a === 0) return x;
  let y = initialGuess(a);
  for (let step = 0; step < HALLEY_STEPS; step++) {
    const residual = a < 0.5 ? erf(y) - a : 1 - a - erfc(y);
    const u = residual / (TWO_OVER_SQRT_PI * Math.exp(-y * y));
    y -= u / (1 + y * u);
  }
  return x < 0 ? -y : y;
}
