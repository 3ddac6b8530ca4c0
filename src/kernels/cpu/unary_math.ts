/**
 * The elementwise math functions of MXNet's `nd` (log1p, sin, floor, erf, gamma, …) as loops over
 * whole arrays. Each computes in float64 with JavaScript's Math and rounds once to float32 (MXNet
 * calls the float32 C functions, which may differ from these in the last bit). Each reads x[i]
 * before writing out[i], so the output may be the input itself.
 */
import { roundHalfEven } from '../../core/rounding';
import { erf } from './erf';
import { erfinv } from './erfinv';
import { gamma, lgamma, polygamma } from './gamma';
import type { UnaryKernel } from './unary';

/** The loop `out[i] = f(x[i])`. */
function elementwise(f: (v: number) => number): UnaryKernel {
  return (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = f(x[i]);
  };
}

/** C's `round`: halves away from zero (Math.round rounds halves up). */
function roundHalfAway(v: number): number {
  return Math.sign(v) * Math.round(Math.abs(v));
}

export const MATH_KERNELS = {
  log1p: elementwise(Math.log1p),
  expm1: elementwise(Math.expm1),
  log2: elementwise(Math.log2),
  log10: elementwise(Math.log10),
  sin: elementwise(Math.sin),
  cos: elementwise(Math.cos),
  tan: elementwise(Math.tan),
  arcsin: elementwise(Math.asin),
  arccos: elementwise(Math.acos),
  arctan: elementwise(Math.atan),
  sinh: elementwise(Math.sinh),
  cosh: elementwise(Math.cosh),
  arcsinh: elementwise(Math.asinh),
  arccosh: elementwise(Math.acosh),
  arctanh: elementwise(Math.atanh),
  degrees: elementwise((v) => (v * 180) / Math.PI),
  radians: elementwise((v) => (v * Math.PI) / 180),
  reciprocal: elementwise((v) => 1 / v),
  rsqrt: elementwise((v) => 1 / Math.sqrt(v)),
  cbrt: elementwise(Math.cbrt),
  rcbrt: elementwise((v) => 1 / Math.cbrt(v)),
  erf: elementwise(erf),
  erfinv: elementwise(erfinv),
  gamma: elementwise(gamma),
  gammaln: elementwise(lgamma),
  floor: elementwise(Math.floor),
  ceil: elementwise(Math.ceil),
  round: elementwise(roundHalfAway),
  rint: elementwise(roundHalfEven),
  fix: elementwise(Math.trunc),
  trunc: elementwise(Math.trunc),
  logicalNot: elementwise((v) => (v === 0 ? 1 : 0)),
} as const;

/** The loop `out[i] = ψ⁽ⁿ⁾(x[i])`, the polygamma function of order n. */
export function polygammaKernel(n: number): UnaryKernel {
  return elementwise((v) => polygamma(n, v));
}
