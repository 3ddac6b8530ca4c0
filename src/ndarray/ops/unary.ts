/**
 * Unary elementwise ops and activations. Each computes in float64 and rounds once to float32,
 * so results are the correctly rounded (or nearly so) float32 value of the exact function.
 *
 * Each op records its gradient beside its forward, written with NDArray ops; where the
 * derivative is a function of the output (exp, sqrt, sigmoid, tanh) the rule reuses `y`.
 */
import { GluonError } from '../../core/errors';
import { recordOp } from '../../autograd/tape';
import { zeros } from '../creation';
import { NDArray } from '../ndarray';
import { add, equal, greater, lesser } from './elementwise';
import { checkNDArray, describeValue } from './validate';

/** Computes `out[i] = f(x[i])` over whole arrays. @internal */
export type UnaryKernel = (x: Float32Array, out: Float32Array) => void;

/** Applies a unary kernel to `x` into a new array of the same shape. @internal */
export function mapUnary(op: string, x: NDArray, kernel: UnaryKernel): NDArray {
  checkNDArray(x, op);
  const out = new Float32Array(x.size);
  kernel(x.data, out);
  return new NDArray(out, x.shape);
}

const NEGATIVE: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = -x[i];
};
const ABS: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]);
};
const EXP: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]);
};
const LOG: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]);
};
const SQRT: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]);
};
const SQUARE: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = x[i] * x[i];
};
const SIGN: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.sign(x[i]);
};
// A branch on the sign mispredicts on activations half the time and V8 emits no conditional
// move for `?:`, so the value is picked from [0, v] by a 0/1 flag (about 3x faster).
// `v !== v` keeps NaN: a NaN input must not turn into a silent 0.
const RELU: UnaryKernel = (x, out) => {
  const pick = new Float64Array(2);
  for (let i = 0; i < x.length; i++) {
    const v = (pick[1] = x[i]);
    out[i] = pick[+(v > 0) | +(v !== v)];
  }
};
// exp(-v) overflows to Infinity for v < -709 and the quotient correctly becomes 0.
const SIGMOID: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = 1 / (1 + Math.exp(-x[i]));
};
const TANH: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]);
};
// log(1 + e^v) = max(v, 0) + log1p(e^-|v|): never overflows, exact for large |v|.
const SOFTRELU: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    out[i] = v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v));
  }
};
// v / (1 + |v|) is Infinity/Infinity at ±Infinity; the limit there is ±1.
const SOFTSIGN: UnaryKernel = (x, out) => {
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]);
    out[i] = a === Infinity ? Math.sign(x[i]) : x[i] / (1 + a);
  }
};

/** `-x` elementwise; gradient `-dy`. @example nd.negative(nd.array([1, -2])).toArray(); // [-1, 2] */
export function negative(x: NDArray): NDArray {
  const y = mapUnary('negative', x, NEGATIVE);
  return recordOp('negative', y, [x], (dy) => [dy.neg()]);
}

/**
 * `|x|` elementwise; gradient `dy · sign(x)` (0 at 0, as MXNet).
 * @example nd.abs(nd.array([1, -2])).toArray(); // [1, 2]
 */
export function abs(x: NDArray): NDArray {
  const y = mapUnary('abs', x, ABS);
  return recordOp('abs', y, [x], (dy) => [dy.mul(sign(x))]);
}

/** `e^x` elementwise; gradient `dy · e^x`. @example nd.exp(nd.array([0])).toArray(); // [1] */
export function exp(x: NDArray): NDArray {
  const y = mapUnary('exp', x, EXP);
  return recordOp('exp', y, [x], (dy) => [dy.mul(y)]);
}

/**
 * Natural logarithm elementwise (`log 0 = -Infinity`, negative → NaN); gradient `dy / x`.
 * @example nd.log(nd.array([1])).toArray(); // [0]
 */
export function log(x: NDArray): NDArray {
  const y = mapUnary('log', x, LOG);
  return recordOp('log', y, [x], (dy) => [dy.div(x)]);
}

/**
 * `√x` elementwise (negative → NaN); gradient `dy / (2√x)`.
 * @example nd.sqrt(nd.array([4, 9])).toArray(); // [2, 3]
 */
export function sqrt(x: NDArray): NDArray {
  const y = mapUnary('sqrt', x, SQRT);
  return recordOp('sqrt', y, [x], (dy) => [dy.div(y.mul(2))]);
}

/** `x²` elementwise; gradient `2x · dy`. @example nd.square(nd.array([-3])).toArray(); // [9] */
export function square(x: NDArray): NDArray {
  const y = mapUnary('square', x, SQUARE);
  return recordOp('square', y, [x], (dy) => [dy.mul(x).mul(2)]);
}

/**
 * `sign(x)` elementwise: -1, 0 or 1 (NaN stays NaN). Piecewise constant: its gradient is zero
 * (recorded, so an input reached only through sign still gets a zero gradient written).
 * @example nd.sign(nd.array([-2, 0, 5])).toArray(); // [-1, 0, 1]
 */
export function sign(x: NDArray): NDArray {
  const y = mapUnary('sign', x, SIGN);
  return recordOp('sign', y, [x], () => [zeros(x.shape)]);
}

/**
 * `max(x, 0)` elementwise (NaN stays NaN); gradient `dy` where `x > 0`, else 0 (also at 0
 * and for NaN, as MXNet).
 * @example nd.relu(nd.array([-1, 2])).toArray(); // [0, 2]
 */
export function relu(x: NDArray): NDArray {
  const y = mapUnary('relu', x, RELU);
  return recordOp('relu', y, [x], (dy) => [dy.mul(greater(y, 0))]);
}

/**
 * `σ(x) = 1 / (1 + e^-x)` elementwise; gradient `dy · σ(x)(1 - σ(x))`.
 * @example nd.sigmoid(nd.array([0])).toArray(); // [0.5]
 */
export function sigmoid(x: NDArray): NDArray {
  const y = mapUnary('sigmoid', x, SIGMOID);
  return recordOp('sigmoid', y, [x], (dy) => [dy.mul(y).mul(negative(y).add(1))]);
}

/** Hyperbolic tangent elementwise; gradient `dy · (1 - tanh²x)`. @example nd.tanh(nd.array([0])).toArray(); // [0] */
export function tanh(x: NDArray): NDArray {
  const y = mapUnary('tanh', x, TANH);
  return recordOp('tanh', y, [x], (dy) => [dy.mul(square(y).neg().add(1))]);
}

/**
 * Softplus, `log(1 + e^x)`, elementwise (MXNet's `softrelu`), computed as
 * `max(x, 0) + log1p(e^-|x|)` so that large inputs neither overflow nor lose precision.
 * Gradient: `dy · σ(x)`.
 * @example nd.softrelu(nd.array([0, 100])).toArray(); // [0.6931472, 100]
 */
export function softrelu(x: NDArray): NDArray {
  const y = mapUnary('softrelu', x, SOFTRELU);
  return recordOp('softrelu', y, [x], (dy) => [dy.mul(sigmoid(x))]);
}

/**
 * `x / (1 + |x|)` elementwise (±1 at ±Infinity); gradient `dy / (1 + |x|)²`.
 * @example nd.softsign(nd.array([1, -3])).toArray(); // [0.5, -0.75]
 */
export function softsign(x: NDArray): NDArray {
  const y = mapUnary('softsign', x, SOFTSIGN);
  return recordOp('softsign', y, [x], (dy) => [dy.div(square(abs(x).add(1)))]);
}

/**
 * Limits every value to `[min, max]`: `min(max(x, min), max)`, as `mx.nd.clip(x, a_min, a_max)`.
 * NaN stays NaN. The bounds are rounded to float32 and must satisfy `min <= max`.
 * Gradient, as MXNet: `dy` where `min <= x <= max` (bounds included) or x is NaN, 0 where x
 * was clipped.
 *
 * @example
 * nd.clip(nd.array([-2, 0.5, 3]), 0, 1).toArray(); // [0, 0.5, 1]
 */
export function clip(x: NDArray, min: number, max: number): NDArray {
  checkNDArray(x, 'clip');
  if (typeof min !== 'number' || typeof max !== 'number' || !(min <= max)) {
    const show = (v: unknown): string => (typeof v === 'number' ? String(v) : describeValue(v));
    throw new GluonError(`clip: expected numbers min <= max, but got min=${show(min)}, max=${show(max)}`);
  }
  const lo = Math.fround(min);
  const hi = Math.fround(max);
  // Branch-free as RELU: pick[0] = v, pick[1] = lo, pick[2] = hi; NaN sets neither flag.
  const pick = Float64Array.of(0, lo, hi);
  const y = mapUnary('clip', x, (data, out) => {
    for (let i = 0; i < data.length; i++) {
      const v = (pick[0] = data[i]);
      out[i] = pick[+(v < lo) | (+(v > hi) << 1)];
    }
  });
  // (x > hi) + (x < lo) is 1 exactly where x was clipped (never both, since lo <= hi).
  return recordOp('clip', y, [x], (dy) => [dy.mul(equal(add(greater(x, hi), lesser(x, lo)), 0))]);
}
