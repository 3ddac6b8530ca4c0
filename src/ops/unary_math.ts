/**
 * MXNet's elementwise math operators (`log1p`, `sin`, `arctanh`, `floor`, `erf`, `gamma`, …),
 * over the loops of kernels/cpu/unary_math.ts. Each gradient is written with registered
 * operators, so it is differentiable again; the rounding functions and `logical_not` are
 * piecewise constant and pass a zero gradient (MXNet's). The gradients of `gamma` and `gammaln`
 * use the digamma function through the internal `_polygamma` operator, whose own gradient is
 * the polygamma function of the next order.
 */
import { MATH_KERNELS, polygammaKernel } from '../kernels/cpu/unary_math';
import type { NDArray } from '../ndarray/ndarray';
import { intAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import type { Nd } from './nd';
import { Operator, defineOperator } from './operator';
import { runInto } from './run_into';
import { SMOOTH_L1 } from './scalar';
import { UnaryPartial, unaryOperator } from './unary';

/**
 * A math operator over its loop. 'zero': piecewise constant, yet recorded, so an input reached
 * only through floor gets a zero gradient written.
 */
function mathOperator(name: string, kernel: keyof typeof MATH_KERNELS, partial: UnaryPartial | 'zero', aliases: readonly string[] = []): Operator {
  return unaryOperator(name, MATH_KERNELS[kernel], partial === 'zero' ? (_dy, x, _y, F) => F.zerosLike(x) : partial, aliases);
}

/**
 * `_polygamma(data, n)`: ψ⁽ⁿ⁾(x), the (n+1)-th derivative of ln Γ (n = 0: the digamma function);
 * NaN at the poles 0, −1, −2, …. Internal (MXNet has no such operator): the gradients of gamma
 * and gammaln use it. Gradient: dy·ψ⁽ⁿ⁺¹⁾(x).
 */
export const POLYGAMMA: Operator = defineOperator({
  name: '_polygamma',
  attrs: { n: intAttr({ min: 0 }) },
  inputs: ['data'],
  inplace: [[0, 0]],
  inferShape: (_, shapes) => ({ inputs: shapes, outputs: [shapes[0]] }),
  forward: ({ attrs, inputs: [x], outputs: [y] }) => polygammaKernel(attrs.n)(x.data, y.data),
  backward: ({ attrs, inputs: [x], outputGrads: [dy] }, F) => [F.multiply(dy, polygammaOf(F, x, attrs.n + 1))],
});

/** ψ⁽ⁿ⁾(x), recorded when autograd records (a higher derivative). */
function polygammaOf(F: Nd, x: NDArray, n: number): NDArray {
  return runInto(F, POLYGAMMA, [x], { n });
}

/** 1/√(s·(1 − x²)) style helpers: dy / √(a + b·x²). */
const overRoot = (F: Nd, dy: NDArray, x: NDArray, a: number, b: number): NDArray => F.divide(dy, F.sqrt(F.add(F.multiply(F.square(x), b), a)));

/** The math operators, by frontend name (MXNet's names in the registry). */
export const UNARY_MATH = {
  log1p: mathOperator('log1p', 'log1p', (dy, x, _y, F) => F.divide(dy, F.add(x, 1))),
  expm1: mathOperator('expm1', 'expm1', (dy, _x, y, F) => F.multiply(dy, F.add(y, 1))),
  log2: mathOperator('log2', 'log2', (dy, x, _y, F) => F.divide(dy, F.multiply(x, Math.LN2))),
  log10: mathOperator('log10', 'log10', (dy, x, _y, F) => F.divide(dy, F.multiply(x, Math.LN10))),
  sin: mathOperator('sin', 'sin', (dy, x, _y, F) => F.multiply(dy, F.cos(x))),
  cos: mathOperator('cos', 'cos', (dy, x, _y, F) => F.negative(F.multiply(dy, F.sin(x)))),
  tan: mathOperator('tan', 'tan', (dy, _x, y, F) => F.multiply(dy, F.add(F.square(y), 1))),
  arcsin: mathOperator('arcsin', 'arcsin', (dy, x, _y, F) => overRoot(F, dy, x, 1, -1)),
  arccos: mathOperator('arccos', 'arccos', (dy, x, _y, F) => F.negative(overRoot(F, dy, x, 1, -1))),
  arctan: mathOperator('arctan', 'arctan', (dy, x, _y, F) => F.divide(dy, F.add(F.square(x), 1))),
  sinh: mathOperator('sinh', 'sinh', (dy, x, _y, F) => F.multiply(dy, F.cosh(x))),
  cosh: mathOperator('cosh', 'cosh', (dy, x, _y, F) => F.multiply(dy, F.sinh(x))),
  arcsinh: mathOperator('arcsinh', 'arcsinh', (dy, x, _y, F) => overRoot(F, dy, x, 1, 1)),
  arccosh: mathOperator('arccosh', 'arccosh', (dy, x, _y, F) => overRoot(F, dy, x, -1, 1)),
  arctanh: mathOperator('arctanh', 'arctanh', (dy, x, _y, F) => F.divide(dy, F.subtract(1, F.square(x)))),
  degrees: mathOperator('degrees', 'degrees', (dy, _x, _y, F) => F.multiply(dy, 180 / Math.PI)),
  radians: mathOperator('radians', 'radians', (dy, _x, _y, F) => F.multiply(dy, Math.PI / 180)),
  reciprocal: mathOperator('reciprocal', 'reciprocal', (dy, _x, y, F) => F.negative(F.multiply(dy, F.square(y)))),
  rsqrt: mathOperator('rsqrt', 'rsqrt', (dy, _x, y, F) => F.multiply(F.multiply(dy, F.multiply(F.square(y), y)), -0.5)),
  cbrt: mathOperator('cbrt', 'cbrt', (dy, _x, y, F) => F.divide(dy, F.multiply(F.square(y), 3))),
  rcbrt: mathOperator('rcbrt', 'rcbrt', (dy, x, y, F) => F.negative(F.divide(F.multiply(dy, y), F.multiply(x, 3)))),
  erf: mathOperator('erf', 'erf', (dy, x, _y, F) => F.multiply(dy, F.multiply(F.exp(F.negative(F.square(x))), 2 / Math.sqrt(Math.PI)))),
  erfinv: mathOperator('erfinv', 'erfinv', (dy, _x, y, F) => F.multiply(dy, F.multiply(F.exp(F.square(y)), Math.sqrt(Math.PI) / 2)), ['_npx_erfinv']),
  gamma: mathOperator('gamma', 'gamma', (dy, x, y, F) => F.multiply(F.multiply(dy, y), polygammaOf(F, x, 0)), ['_npx_gamma']),
  gammaln: mathOperator('gammaln', 'gammaln', (dy, x, _y, F) => F.multiply(dy, polygammaOf(F, x, 0)), ['_npx_gammaln']),
  floor: mathOperator('floor', 'floor', 'zero'),
  ceil: mathOperator('ceil', 'ceil', 'zero'),
  round: mathOperator('round', 'round', 'zero'),
  rint: mathOperator('rint', 'rint', 'zero'),
  fix: mathOperator('fix', 'fix', 'zero'),
  trunc: mathOperator('trunc', 'trunc', 'zero'),
  logicalNot: mathOperator('logical_not', 'logicalNot', 'zero'),
} as const;

/**
 * Elementwise math of `nd` and `sym` (MXNet's operators of the same names; `logicalNot` is
 * `logical_not`). Each takes one array and gives one of the same shape, computed in float64 and
 * rounded once to float32. Gradients: the derivative of each function (log1p: dy/(1 + x), sin:
 * dy·cos x, arctanh: dy/(1 − x²), erf: dy·2/√π·e^(−x²), …), themselves differentiable; the
 * rounding functions and logicalNot pass zero.
 *
 * @example
 * nd.round(nd.array([-2.5, 0.5, 1.5])).toArray();  // [-3, 1, 2]  (halves away from zero, as C's round)
 * nd.rint(nd.array([-2.5, 0.5, 1.5])).toArray();   // [-2, 0, 2]  (halves to even)
 * nd.log1p(nd.array([0])).toArray();               // [0]
 */
export interface UnaryMathSignatures<T> {
  /** ln(1 + x), exact near 0. */
  log1p(data: T, options?: NameOption): T;
  /** eˣ − 1, exact near 0. */
  expm1(data: T, options?: NameOption): T;
  /** log₂ x. */
  log2(data: T, options?: NameOption): T;
  /** log₁₀ x. */
  log10(data: T, options?: NameOption): T;
  /** sine. */
  sin(data: T, options?: NameOption): T;
  /** cosine. */
  cos(data: T, options?: NameOption): T;
  /** tangent. */
  tan(data: T, options?: NameOption): T;
  /** inverse sine. */
  arcsin(data: T, options?: NameOption): T;
  /** inverse cosine. */
  arccos(data: T, options?: NameOption): T;
  /** inverse tangent. */
  arctan(data: T, options?: NameOption): T;
  /** hyperbolic sine. */
  sinh(data: T, options?: NameOption): T;
  /** hyperbolic cosine. */
  cosh(data: T, options?: NameOption): T;
  /** inverse hyperbolic sine. */
  arcsinh(data: T, options?: NameOption): T;
  /** inverse hyperbolic cosine. */
  arccosh(data: T, options?: NameOption): T;
  /** inverse hyperbolic tangent. */
  arctanh(data: T, options?: NameOption): T;
  /** radians to degrees. */
  degrees(data: T, options?: NameOption): T;
  /** degrees to radians. */
  radians(data: T, options?: NameOption): T;
  /** 1/x. */
  reciprocal(data: T, options?: NameOption): T;
  /** 1/√x. */
  rsqrt(data: T, options?: NameOption): T;
  /** ∛x. */
  cbrt(data: T, options?: NameOption): T;
  /** 1/∛x. */
  rcbrt(data: T, options?: NameOption): T;
  /** the error function. */
  erf(data: T, options?: NameOption): T;
  /**
   * The inverse error function: erfinv(erf(x)) = x; ±Infinity at ±1, NaN outside [−1, 1]
   * (MXNet's `erfinv`). Gradient: dy·√π/2·exp(erfinv(x)²).
   * @example nd.erfinv(nd.array([0, 0.5, -1])).toArray(); // [0, 0.47693628, -Infinity]
   */
  erfinv(data: T, options?: NameOption): T;
  /**
   * The gamma function Γ(x) (C's tgamma; MXNet's `gamma`): ±Infinity at ±0, NaN at −1, −2, …,
   * Infinity past x ≈ 35.04 (float32). Gradient: dy·Γ(x)·ψ(x), ψ the digamma function.
   * @example nd.gamma(nd.array([0.5, 5])).toArray(); // [1.7724539, 24]  (√π and 4!)
   */
  gamma(data: T, options?: NameOption): T;
  /**
   * ln|Γ(x)| (C's lgamma; MXNet's `gammaln`): Infinity at the poles 0, −1, −2, …. Gradient:
   * dy·ψ(x) (NaN at the poles, where MXNet's psi gives its largest float).
   * @example nd.gammaln(nd.array([1, 2, 10])).toArray(); // [0, 0, 12.801827]  (ln 9!)
   */
  gammaln(data: T, options?: NameOption): T;
  /**
   * MXNet's `smooth_l1`: with σ = `scalar` (default 1, rounded to float32), ½(σx)² where
   * |x| ≤ 1/σ², else |x| − ½/σ² (the Huber loss of R-CNN). Gradient: dy·σ²x inside, dy·sign(x) outside.
   * @example nd.smoothL1(nd.array([0.5, -2]), { scalar: 1 }).toArray(); // [0.125, 1.5]
   */
  smoothL1(data: T, options?: { scalar?: number } & NameOption): T;
  /** ⌊x⌋. */
  floor(data: T, options?: NameOption): T;
  /** ⌈x⌉. */
  ceil(data: T, options?: NameOption): T;
  /** nearest integer, halves away from zero (C's round). */
  round(data: T, options?: NameOption): T;
  /** nearest integer, halves to even (C's rint). */
  rint(data: T, options?: NameOption): T;
  /** toward zero. */
  fix(data: T, options?: NameOption): T;
  /** toward zero. */
  trunc(data: T, options?: NameOption): T;
  /** 1 where x = 0, else 0 (MXNet's logical_not). */
  logicalNot(data: T, options?: NameOption): T;
}

export const UNARY_MATH_FRONTENDS: FrontendTable<UnaryMathSignatures<unknown>> = {
  log1p: standard(UNARY_MATH.log1p),
  expm1: standard(UNARY_MATH.expm1),
  log2: standard(UNARY_MATH.log2),
  log10: standard(UNARY_MATH.log10),
  sin: standard(UNARY_MATH.sin),
  cos: standard(UNARY_MATH.cos),
  tan: standard(UNARY_MATH.tan),
  arcsin: standard(UNARY_MATH.arcsin),
  arccos: standard(UNARY_MATH.arccos),
  arctan: standard(UNARY_MATH.arctan),
  sinh: standard(UNARY_MATH.sinh),
  cosh: standard(UNARY_MATH.cosh),
  arcsinh: standard(UNARY_MATH.arcsinh),
  arccosh: standard(UNARY_MATH.arccosh),
  arctanh: standard(UNARY_MATH.arctanh),
  degrees: standard(UNARY_MATH.degrees),
  radians: standard(UNARY_MATH.radians),
  reciprocal: standard(UNARY_MATH.reciprocal),
  rsqrt: standard(UNARY_MATH.rsqrt),
  cbrt: standard(UNARY_MATH.cbrt),
  rcbrt: standard(UNARY_MATH.rcbrt),
  erf: standard(UNARY_MATH.erf),
  erfinv: standard(UNARY_MATH.erfinv),
  gamma: standard(UNARY_MATH.gamma),
  gammaln: standard(UNARY_MATH.gammaln),
  smoothL1: standard(SMOOTH_L1),
  floor: standard(UNARY_MATH.floor),
  ceil: standard(UNARY_MATH.ceil),
  round: standard(UNARY_MATH.round),
  rint: standard(UNARY_MATH.rint),
  fix: standard(UNARY_MATH.fix),
  trunc: standard(UNARY_MATH.trunc),
  logicalNot: standard(UNARY_MATH.logicalNot),
};
