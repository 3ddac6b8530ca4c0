/**
 * The gamma function family in float64, for the `gamma`, `gammaln` and `_polygamma` operators:
 * Γ(x) by Lanczos' approximation, ln|Γ(x)| by a series around 2 (where it has its zeros at 1 and
 * 2) and Lanczos above, and the polygamma functions ψ⁽ⁿ⁾(x) = dⁿ⁺¹/dxⁿ⁺¹ ln Γ(x) by recurrence
 * and the asymptotic series. Negative arguments go through the reflection formulas. Each is
 * accurate to ~1e-14 relative (absolute near a zero), so a float32 result rounded from it is the
 * correctly rounded value but in rare ties — except ln|Γ| next to its zeros at negative x
 * (−2.457…, −2.747…, …), where the reflection formula cancels.
 */

/** Lanczos' g = 7, n = 9 coefficients (Numerical Recipes, Godfrey): ~1e-15 relative for x ≥ ½. */
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const SQRT_TWO_PI = Math.sqrt(2 * Math.PI);
const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const EULER_GAMMA = 0.5772156649015329;
/** Γ(x) overflows float64 above 171.62…; beyond, t^(x−½) would overflow while e^(−t) underflows. */
const MAX_GAMMA_ARGUMENT = 172;

/** The Lanczos sum A(x) of Γ(x) = √(2π)·t^(x−½)·e^(−t)·A(x), t = x + g − ½, for x ≥ ½. */
function lanczosSum(x: number): number {
  let sum = LANCZOS[0];
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (x - 1 + i);
  return sum;
}

/**
 * sin(πx) without the rounding of πx far from 0: x is reduced exactly to r ∈ [−½, ½] around the
 * nearest integer (Sterbenz), so sinPi is exact at the integers and relatively exact near them.
 */
function sinPi(x: number): number {
  const n = Math.round(x);
  const r = x - n;
  const s = Math.sin(Math.PI * r);
  return n % 2 === 0 ? s : -s;
}

/** cot(πx), reduced the same way (cot has period 1). */
function cotPi(x: number): number {
  return 1 / Math.tan(Math.PI * (x - Math.round(x)));
}

/** x is a pole of Γ: 0, −1, −2, … */
function isPole(x: number): boolean {
  return x <= 0 && Number.isInteger(x);
}

/**
 * Γ(x), C's `tgamma`: ±Infinity at ±0, NaN at the negative integers and −Infinity, Infinity
 * from x ≈ 171.6 (and, once rounded to float32, from x ≈ 35.04).
 */
export function gamma(x: number): number {
  if (Number.isNaN(x) || x === -Infinity) return NaN;
  if (isPole(x)) return x === 0 ? 1 / x : NaN;
  // Reflection: Γ(x)·Γ(1 − x) = π / sin(πx); 1 − x is exact for a float32 x.
  if (x < 0.5) return Math.PI / (sinPi(x) * gamma(1 - x));
  if (x > MAX_GAMMA_ARGUMENT) return Infinity;
  const t = x + LANCZOS_G - 0.5;
  // t^(x−½) in two halves, so that it cannot overflow before e^(−t) scales it down.
  const half = Math.pow(t, (x - 0.5) / 2);
  return SQRT_TWO_PI * half * (Math.exp(-t) * half) * lanczosSum(x);
}

/**
 * ζ(k) − 1 = Σ_{m≥2} m^(−k) for k ≥ 2: the sum up to N − 1 plus the Euler–Maclaurin tail from N
 * (Bernoulli numbers B₂ … B₁₀), exact to ~1e-18 with N = 20.
 */
function zetaMinusOne(k: number): number {
  const N = 20;
  let sum = 0;
  for (let m = N - 1; m >= 2; m--) sum += Math.pow(m, -k);
  const bernoulli = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66];
  let tail = Math.pow(N, 1 - k) / (k - 1) + Math.pow(N, -k) / 2;
  // Term j: B_2j/(2j)! · k(k+1)…(k+2j−2) · N^(−k−2j+1).
  let rising = k;
  let factorial = 2;
  for (let j = 1; j <= bernoulli.length; j++) {
    tail += (bernoulli[j - 1] / factorial) * rising * Math.pow(N, -k - 2 * j + 1);
    rising *= (k + 2 * j - 1) * (k + 2 * j);
    factorial *= (2 * j + 1) * (2 * j + 2);
  }
  return sum + tail;
}

/**
 * Taylor coefficients of ln Γ(2 + z) = (1 − γ)z + Σ_{k≥2} (−1)^k (ζ(k) − 1)/k · z^k; for |z| ≤ ½
 * the terms fall like 4^(−k), so 30 reach 1e-19.
 */
const LGAMMA_NEAR_2 = [0, 1 - EULER_GAMMA, ...Array.from({ length: 29 }, (_, i) => ((i % 2 === 0 ? 1 : -1) * zetaMinusOne(i + 2)) / (i + 2))];

/** ln Γ(x) for x ∈ [1.5, 2.5]: the series around 2, relatively exact at the zero x = 2. */
function lgammaNear2(x: number): number {
  const z = x - 2;
  let sum = 0;
  for (let k = LGAMMA_NEAR_2.length - 1; k >= 1; k--) sum = (sum + LGAMMA_NEAR_2[k]) * z;
  return sum;
}

/**
 * ln|Γ(x)|, C's `lgamma`: +Infinity at the poles and at ±Infinity. The zeros at 1 and 2 are
 * relatively exact (the series around 2; ln Γ(x) = ln Γ(x + 1) − ln x below 1.5).
 */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (!Number.isFinite(x) || isPole(x)) return Infinity;
  if (x < 0.5) return Math.log(Math.PI / Math.abs(sinPi(x))) - lgamma(1 - x);
  if (x < 1.5) return lgammaNear2(x + 1) - Math.log(x);
  if (x <= 2.5) return lgammaNear2(x);
  const t = x + LANCZOS_G - 0.5;
  return HALF_LOG_TWO_PI + (x - 0.5) * Math.log(t) - t + Math.log(lanczosSum(x));
}

/** B₂ … B₁₆, for the asymptotic series of ψ⁽ⁿ⁾. */
const BERNOULLI = [1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6, -3617 / 510];

/** n! as a float64 (exact up to 22!). */
function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * ψ⁽ⁿ⁾(y) by its asymptotic series, for y ≥ 20 + n (where 8 Bernoulli terms reach 1e-17):
 * ψ(y) ~ ln y − 1/(2y) − Σ B₂ⱼ/(2j·y²ʲ); for n ≥ 1,
 * ψ⁽ⁿ⁾(y) ~ (−1)ⁿ⁺¹ [(n−1)!/yⁿ + n!/(2yⁿ⁺¹) + Σ B₂ⱼ·(2j+n−1)!/((2j)!·y²ʲ⁺ⁿ)].
 */
function polygammaAsymptotic(n: number, y: number): number {
  const inv2 = 1 / (y * y);
  let series = 0;
  let power = Math.pow(y, -n) * inv2;
  // (2j + n − 1)!/(2j)!, updated from j to j + 1.
  let ratio = n === 0 ? 1 / 2 : factorial(n + 1) / 2;
  for (let j = 1; j <= BERNOULLI.length; j++) {
    series += BERNOULLI[j - 1] * ratio * power;
    power *= inv2;
    ratio *= n === 0 ? (2 * j) / (2 * j + 2) : ((2 * j + n) * (2 * j + n + 1)) / ((2 * j + 1) * (2 * j + 2));
  }
  if (n === 0) return Math.log(y) - 0.5 / y - series;
  const leading = factorial(n - 1) * Math.pow(y, -n) + (factorial(n) / 2) * Math.pow(y, -n - 1);
  return (n % 2 === 1 ? 1 : -1) * (leading + series);
}

/**
 * dⁿ/dxⁿ cot(πx) = πⁿ·Qₙ(cot πx): the coefficients of Qₙ (Q₀ = c, Qₙ₊₁ = −(1 + c²)·Qₙ′), cached.
 */
const COT_DERIVATIVES: number[][] = [[0, 1]];
function cotDerivative(n: number): readonly number[] {
  for (let m = COT_DERIVATIVES.length; m <= n; m++) {
    const q = COT_DERIVATIVES[m - 1];
    const next = new Array<number>(q.length + 1).fill(0);
    for (let i = 1; i < q.length; i++) {
      next[i - 1] -= i * q[i];
      next[i + 1] -= i * q[i];
    }
    COT_DERIVATIVES.push(next);
  }
  return COT_DERIVATIVES[n];
}

/** Horner's rule on coefficients in increasing powers. */
function polynomial(coefficients: readonly number[], c: number): number {
  let value = 0;
  for (let i = coefficients.length - 1; i >= 0; i--) value = value * c + coefficients[i];
  return value;
}

/**
 * The polygamma function ψ⁽ⁿ⁾(x) (n = 0: the digamma function ψ = Γ′/Γ), NaN at the poles and
 * at −Infinity. Positive x is shifted up past 20 + n by ψ⁽ⁿ⁾(x) = ψ⁽ⁿ⁾(x+1) − (−1)ⁿ·n!·x^(−n−1);
 * negative x is reflected: ψ⁽ⁿ⁾(x) = (−1)ⁿ·ψ⁽ⁿ⁾(1 − x) − πⁿ⁺¹·Qₙ(cot πx).
 */
export function polygamma(n: number, x: number): number {
  if (Number.isNaN(x) || x === -Infinity || isPole(x)) return NaN;
  if (x === Infinity) return n === 0 ? Infinity : 0;
  if (x < 0) {
    const reflected = polygamma(n, 1 - x);
    return (n % 2 === 0 ? reflected : -reflected) - Math.pow(Math.PI, n + 1) * polynomial(cotDerivative(n), cotPi(x));
  }
  const threshold = 20 + n;
  let shift = 0;
  let y = x;
  for (; y < threshold; y++) shift += Math.pow(y, -n - 1);
  const scale = (n % 2 === 0 ? 1 : -1) * factorial(n);
  return polygammaAsymptotic(n, y) - scale * shift;
}
