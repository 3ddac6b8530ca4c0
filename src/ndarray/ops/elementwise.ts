/**
 * Binary elementwise ops with numpy broadcasting: arithmetic, maximum/minimum, comparisons.
 *
 * Either operand may be a JavaScript number; it is rounded to float32 first, as MXNet casts
 * scalars to the array's dtype. Each op is a named function over a run kernel: one tight,
 * monomorphic loop per op (a shared loop calling a per-element callback is ~8x slower in V8).
 *
 * The arithmetic ops and maximum/minimum record their gradients (`recordBinary`); the
 * comparisons are piecewise constant, have no gradient and are never recorded.
 */
import { GluonError } from '../../core/errors';
import { isRecording, recordOp, requiresGrad } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { shapeSize } from '../../core/shape';
import { broadcastShape } from '../../core/shape';
import { broadcastStrides, forEachRun, innerStrides, planStrided } from '../../kernels/cpu/strided';
import { reduceToShape } from './reduce';
import { describeValue } from './validate';

/** An operand of a binary op: an array, or a number broadcast to the other operand's shape. */
export type Operand = NDArray | number;

/**
 * Computes `out[o + i] = f(x[xi + i*sx], y[yi + i*sy])` for `i < n`: one run of a binary op.
 * @internal
 */
export type BinaryKernel = (
  out: Float32Array, o: number,
  x: Float32Array, xi: number, sx: number,
  y: Float32Array, yi: number, sy: number, n: number,
) => void;

interface Values {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}

function valuesOf(op: string, value: unknown, what: string): Values {
  if (value instanceof NDArray) return value;
  if (typeof value === 'number') return { data: Float32Array.of(value), shape: [] };
  throw new GluonError(`${op}: expected ${what} to be an NDArray or a number, but got ${describeValue(value)}`);
}

/**
 * Applies a binary run kernel over the broadcast of `a` and `b` into a new array.
 * @internal
 */
export function broadcastBinary(op: string, a: Operand, b: Operand, kernel: BinaryKernel): NDArray {
  const x = valuesOf(op, a, 'lhs');
  const y = valuesOf(op, b, 'rhs');
  if (!(a instanceof NDArray) && !(b instanceof NDArray)) {
    throw new GluonError(`${op}: expected at least one operand to be an NDArray, but got two numbers (${a}, ${b})`);
  }
  const shape = broadcastShape(op, x.shape, y.shape);
  const out = new Float32Array(shapeSize(shape));
  const plan = planStrided(shape, broadcastStrides(x.shape, shape), broadcastStrides(y.shape, shape));
  const [sx, sy] = innerStrides(plan);
  const xd = x.data;
  const yd = y.data;
  forEachRun(plan, (o, xi, yi, n) => kernel(out, o, xd, xi, sx, yd, yi, sy, n));
  return new NDArray(out, shape);
}

/** The gradient of a binary op's output with respect to one operand, over the broadcast shape. */
type PartialGrad = (outputGrad: NDArray) => NDArray;

/**
 * Records `out = op(a, b)`: `da`/`db` map the output gradient to each operand's gradient over
 * the broadcast shape, and `reduceToShape` sums it back to the operand's own shape. A number
 * operand gets no gradient; neither does an array that needs none (its partial is never run).
 */
function recordBinary(op: string, out: NDArray, a: Operand, b: Operand, da: PartialGrad, db: PartialGrad): NDArray {
  if (!isRecording()) return out;
  const partials: [NDArray, PartialGrad][] = [];
  if (a instanceof NDArray) partials.push([a, da]);
  if (b instanceof NDArray) partials.push([b, db]);
  return recordOp(op, out, partials.map(([x]) => x), (dy) =>
    partials.map(([x, partial]) => (requiresGrad(x) ? reduceToShape(partial(dy), x.shape) : undefined)),
  );
}

const ADD: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] + y[yi];
};
const SUBTRACT: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] - y[yi];
};
const MULTIPLY: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] * y[yi];
};
const DIVIDE: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] / y[yi];
};
const POWER: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = x[xi] ** y[yi];
};
// V8 compiles `?:` to a branch, which mispredicts on random data (about 3x slower), so the
// selecting kernels pick from a 2-slot table with a 0/1 flag: PICK[0] = y, PICK[1] = x.
// Kernels run to completion on one thread, so one shared table is safe.
const PICK = new Float64Array(2);
// NaN propagates from either side, as numpy's maximum/minimum: a NaN x is picked by the flag,
// a NaN y by default since no comparison with it is true.
const MAXIMUM: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) {
    const p = x[xi];
    const q = y[yi];
    PICK[0] = q;
    PICK[1] = p;
    out[o + i] = PICK[+(p > q) | +(p !== p)];
  }
};
const MINIMUM: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) {
    const p = x[xi];
    const q = y[yi];
    PICK[0] = q;
    PICK[1] = p;
    out[o + i] = PICK[+(p < q) | +(p !== p)];
  }
};
// `+(a > b)` compiles to a flag set (setcc), not a branch; see PICK above.
const EQUAL: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] === y[yi]);
};
const NOT_EQUAL: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] !== y[yi]);
};
const GREATER: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] > y[yi]);
};
const GREATER_EQUAL: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] >= y[yi]);
};
const LESSER: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] < y[yi]);
};
const LESSER_EQUAL: BinaryKernel = (out, o, x, xi, sx, y, yi, sy, n) => {
  for (let i = 0; i < n; i++, xi += sx, yi += sy) out[o + i] = +(x[xi] <= y[yi]);
};

/**
 * `a + b` elementwise, broadcasting as numpy (shapes aligned at the last axis; dimensions
 * must be equal or 1). Either operand may be a number. Returns a new array.
 * Gradient: `da = db = dy`, each summed over the axes its operand was broadcast along.
 *
 * @example
 * nd.add(nd.array([[1, 2], [3, 4]]), nd.array([10, 20])).toArray(); // [[11, 22], [13, 24]]
 * nd.add(nd.array([1, 2]), 1).toArray();                            // [2, 3]
 */
export function add(a: Operand, b: Operand): NDArray {
  const out = broadcastBinary('add', a, b, ADD);
  return recordBinary('add', out, a, b, (dy) => dy, (dy) => dy);
}

/**
 * `a - b` elementwise with broadcasting; either operand may be a number.
 * Gradient: `da = dy`, `db = -dy`.
 * @example nd.subtract(1, nd.array([1, 2])).toArray(); // [0, -1]
 */
export function subtract(a: Operand, b: Operand): NDArray {
  const out = broadcastBinary('subtract', a, b, SUBTRACT);
  return recordBinary('subtract', out, a, b, (dy) => dy, (dy) => dy.neg());
}

/**
 * `a * b` elementwise with broadcasting; either operand may be a number.
 * Gradient: `da = dy · b`, `db = dy · a`.
 * @example nd.multiply(nd.array([[1], [2]]), nd.array([3, 4])).toArray(); // [[3, 4], [6, 8]]
 */
export function multiply(a: Operand, b: Operand): NDArray {
  const out = broadcastBinary('multiply', a, b, MULTIPLY);
  return recordBinary('multiply', out, a, b, (dy) => dy.mul(b), (dy) => dy.mul(a));
}

/**
 * `a / b` elementwise with broadcasting (IEEE: `x / 0` is ±Infinity, `0 / 0` NaN).
 * Gradient: `da = dy / b`, `db = -dy · (a / b) / b`.
 * @example nd.divide(nd.array([1, 2]), 4).toArray(); // [0.25, 0.5]
 */
export function divide(a: Operand, b: Operand): NDArray {
  const out = broadcastBinary('divide', a, b, DIVIDE);
  return recordBinary('divide', out, a, b, (dy) => dy.div(b), (dy) => dy.mul(out).div(b).neg());
}

/**
 * `a ** b` elementwise with broadcasting (a negative base with a fractional exponent is NaN).
 * Gradient: `da = dy · b · a^(b-1)`, `db = dy · a^b · ln a` (NaN for a base <= 0, as MXNet).
 * @example nd.power(nd.array([2, 3]), 2).toArray(); // [4, 9]
 */
export function power(a: Operand, b: Operand): NDArray {
  const out = broadcastBinary('power', a, b, POWER);
  return recordBinary(
    'power', out, a, b,
    (dy) => dy.mul(b).mul(power(a, typeof b === 'number' ? b - 1 : b.sub(1))),
    (dy) => dy.mul(out).mul(typeof a === 'number' ? Math.log(a) : a.log()),
  );
}

/**
 * `max(a, b)` elementwise with broadcasting; a NaN on either side gives NaN.
 * Gradient, as MXNet: to `a` where `a >= b` (so a tie goes to `a`), to `b` where `a < b`;
 * where either is NaN, to neither.
 * @example nd.maximum(nd.array([1, 5]), 3).toArray(); // [3, 5]
 */
export function maximum(a: Operand, b: Operand): NDArray {
  const out = broadcastBinary('maximum', a, b, MAXIMUM);
  return recordBinary('maximum', out, a, b, (dy) => dy.mul(greaterEqual(a, b)), (dy) => dy.mul(lesser(a, b)));
}

/**
 * `min(a, b)` elementwise with broadcasting; a NaN on either side gives NaN.
 * Gradient, as MXNet: to `a` where `a <= b` (a tie goes to `a`), to `b` where `a > b`.
 * @example nd.minimum(nd.array([1, 5]), 3).toArray(); // [1, 3]
 */
export function minimum(a: Operand, b: Operand): NDArray {
  const out = broadcastBinary('minimum', a, b, MINIMUM);
  return recordBinary('minimum', out, a, b, (dy) => dy.mul(lesserEqual(a, b)), (dy) => dy.mul(greater(a, b)));
}

/**
 * `a == b` elementwise with broadcasting, as float 1 or 0 (MXNet's `broadcast_equal`).
 * @example nd.equal(nd.array([1, 2]), 2).toArray(); // [0, 1]
 */
export function equal(a: Operand, b: Operand): NDArray {
  return broadcastBinary('equal', a, b, EQUAL);
}

/**
 * `a != b` elementwise with broadcasting, as float 1 or 0.
 * @example nd.notEqual(nd.array([1, 2]), 2).toArray(); // [1, 0]
 */
export function notEqual(a: Operand, b: Operand): NDArray {
  return broadcastBinary('notEqual', a, b, NOT_EQUAL);
}

/**
 * `a > b` elementwise with broadcasting, as float 1 or 0.
 * @example nd.greater(nd.array([1, 2, 3]), 2).toArray(); // [0, 0, 1]
 */
export function greater(a: Operand, b: Operand): NDArray {
  return broadcastBinary('greater', a, b, GREATER);
}

/**
 * `a >= b` elementwise with broadcasting, as float 1 or 0.
 * @example nd.greaterEqual(nd.array([1, 2, 3]), 2).toArray(); // [0, 1, 1]
 */
export function greaterEqual(a: Operand, b: Operand): NDArray {
  return broadcastBinary('greaterEqual', a, b, GREATER_EQUAL);
}

/**
 * `a < b` elementwise with broadcasting, as float 1 or 0.
 * @example nd.lesser(nd.array([1, 2, 3]), 2).toArray(); // [1, 0, 0]
 */
export function lesser(a: Operand, b: Operand): NDArray {
  return broadcastBinary('lesser', a, b, LESSER);
}

/**
 * `a <= b` elementwise with broadcasting, as float 1 or 0.
 * @example nd.lesserEqual(nd.array([1, 2, 3]), 2).toArray(); // [1, 1, 0]
 */
export function lesserEqual(a: Operand, b: Operand): NDArray {
  return broadcastBinary('lesserEqual', a, b, LESSER_EQUAL);
}
