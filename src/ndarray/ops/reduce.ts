/**
 * Reductions: sum, mean, max, min over any set of axes, and argmax/argmin along one axis.
 *
 * Shapes follow MXNet's legacy NDArray: reducing every axis without `keepdims` gives shape
 * `(1,)`, never a 0-d array, and `axis = []` means every axis (MXNet's `axis=()`).
 *
 * Each differentiable reduction records its backward rule beside its forward; argmax/argmin
 * return indices and have no gradient, so they are never recorded.
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { normalizeAxis, rowMajorStrides, shapeSize, shapesEqual } from '../../core/shape';
import { forEachRun, planStrided } from '../../kernels/cpu/strided';
import { equal } from './elementwise';
import { reshapeTo } from './transform';
import { AxisSpec, atLeast1d, axisView, checkInteger, checkNDArray, normalizeAxes } from './validate';

/** How a reduction folds values: an identity and two run loops. */
interface Reducer {
  /** The accumulator's start value; with `needsValues` it is never a result. */
  readonly identity: number;
  /** Max and min have no value for an empty slice: reducing an empty axis is an error. */
  readonly needsValues: boolean;
  /** Folds `x[xi .. xi + n)` into `acc` and returns it (a reduced innermost axis). */
  fold(acc: number, x: Float32Array, xi: number, n: number): number;
  /** `acc[ai + i] ⊕= x[xi + i]` for `i < n` (a kept innermost axis). */
  combine(acc: Float64Array, ai: number, x: Float32Array, xi: number, n: number): void;
}

const SUM: Reducer = {
  identity: 0,
  needsValues: false,
  fold(acc, x, xi, n) {
    for (let i = xi; i < xi + n; i++) acc += x[i];
    return acc;
  },
  combine(acc, ai, x, xi, n) {
    for (let i = 0; i < n; i++) acc[ai + i] += x[xi + i];
  },
};

// `v !== v`: a NaN wins and then stays, since no comparison with NaN is true.
const MAX: Reducer = {
  identity: -Infinity,
  needsValues: true,
  fold(acc, x, xi, n) {
    for (let i = xi; i < xi + n; i++) if (x[i] > acc || x[i] !== x[i]) acc = x[i];
    return acc;
  },
  combine(acc, ai, x, xi, n) {
    for (let i = 0; i < n; i++) if (x[xi + i] > acc[ai + i] || x[xi + i] !== x[xi + i]) acc[ai + i] = x[xi + i];
  },
};

const MIN: Reducer = {
  identity: Infinity,
  needsValues: true,
  fold(acc, x, xi, n) {
    for (let i = xi; i < xi + n; i++) if (x[i] < acc || x[i] !== x[i]) acc = x[i];
    return acc;
  },
  combine(acc, ai, x, xi, n) {
    for (let i = 0; i < n; i++) if (x[xi + i] < acc[ai + i] || x[xi + i] !== x[xi + i]) acc[ai + i] = x[xi + i];
  },
};

/** A reduction's result before rounding: float64 accumulators and the output shape. */
interface Reduced {
  readonly acc: Float64Array;
  readonly shape: number[];
  /** The reduced axes of the input, non-negative and ascending. */
  readonly axes: readonly number[];
  /** How many input values fed each accumulator. */
  readonly count: number;
}

/**
 * Reduces `x` over `axis` with one pass over the input in memory order: the accumulator
 * strides are 0 along reduced axes, so each input run folds into one accumulator or combines
 * into a contiguous run of them.
 */
function reduceAxes(op: string, x: NDArray, axis: AxisSpec, keepdims: boolean, reducer: Reducer): Reduced {
  checkNDArray(x, op);
  const axes = normalizeAxes(op, axis, x.ndim);
  const reduced = x.shape.map((_, d) => axes.includes(d));
  const kept = x.shape.map((dim, d) => (reduced[d] ? 1 : dim));
  if (reducer.needsValues && shapeSize(kept) > 0 && axes.some((d) => x.shape[d] === 0)) {
    throw new GluonError(`${op}: expected non-empty axes to reduce, but got shape ${formatShape(x.shape)} reduced over axes ${formatShape(axes)}`);
  }
  const keptStrides = rowMajorStrides(kept);
  const acc = new Float64Array(shapeSize(kept)).fill(reducer.identity);
  const plan = planStrided(x.shape, keptStrides.map((s, d) => (reduced[d] ? 0 : s)));
  const data = x.data;
  if (plan.strides0[plan.strides0.length - 1] === 0) {
    forEachRun(plan, (xi, ai, _, n) => {
      acc[ai] = reducer.fold(acc[ai], data, xi, n);
    });
  } else {
    forEachRun(plan, (xi, ai, _, n) => reducer.combine(acc, ai, data, xi, n));
  }
  const shape = atLeast1d(keepdims ? kept : x.shape.filter((_, d) => !reduced[d]));
  return { acc, shape, axes, count: shapeSize(x.shape.filter((_, d) => reduced[d])) };
}

function toNDArray({ acc, shape }: Reduced, divisor = 1): NDArray {
  const out = new Float32Array(acc.length);
  for (let i = 0; i < acc.length; i++) out[i] = acc[i] / divisor;
  return new NDArray(out, shape);
}

/**
 * Sum over `axis` (one axis, several, or all when absent; negative axes count from the end),
 * accumulated in float64. `keepdims` keeps reduced axes with length 1. A full reduction gives
 * shape `(1,)`, as MXNet. Gradient: `dx = dy` repeated over the reduced axes.
 *
 * @example
 * const x = nd.array([[1, 2, 3], [4, 5, 6]]);
 * nd.sum(x).toArray();            // [21]
 * nd.sum(x, 1).toArray();         // [6, 15]
 * nd.sum(x, -1, true).shape;      // [2, 1]
 */
export function sum(x: NDArray, axis?: AxisSpec, keepdims = false): NDArray {
  const reduced = reduceAxes('sum', x, axis, keepdims, SUM);
  const { axes } = reduced; // the rule keeps only what it needs alive, not the accumulators
  return recordOp('sum', toNDArray(reduced), [x], (dy) => [keptShape(dy, x, axes).broadcastTo(x.shape)]);
}

/**
 * Mean over `axis` (as `sum`), accumulated in float64. The mean of nothing is NaN.
 * Gradient: `dx = dy / n` repeated over the reduced axes, n the number of values averaged.
 * @example nd.mean(nd.array([[1, 2], [3, 4]]), 0).toArray(); // [2, 3]
 */
export function mean(x: NDArray, axis?: AxisSpec, keepdims = false): NDArray {
  const reduced = reduceAxes('mean', x, axis, keepdims, SUM);
  const { axes, count } = reduced;
  return recordOp('mean', toNDArray(reduced, count), [x], (dy) => [keptShape(dy, x, axes).div(count).broadcastTo(x.shape)]);
}

/**
 * Maximum over `axis` (as `sum`); NaN if any value in the slice is NaN. Reducing an empty axis
 * throws, as there is no maximum of nothing.
 *
 * Gradient, as MXNet's `_backward_max`: `dx = dy · (x == max)`, so every input equal to its
 * slice's maximum receives the whole output gradient (ties are not split), and a slice whose
 * maximum is NaN passes no gradient.
 * @example nd.max(nd.array([[1, 5], [3, 4]]), 1).toArray(); // [5, 4]
 */
export function max(x: NDArray, axis?: AxisSpec, keepdims = false): NDArray {
  return recordExtremum('max', x, reduceAxes('max', x, axis, keepdims, MAX));
}

/**
 * Minimum over `axis` (as `max`; its gradient, too, reaches every input equal to the minimum).
 * @example nd.min(nd.array([[1, 5], [3, 4]]), 1).toArray(); // [1, 3]
 */
export function min(x: NDArray, axis?: AxisSpec, keepdims = false): NDArray {
  return recordExtremum('min', x, reduceAxes('min', x, axis, keepdims, MIN));
}

/** A reduction's output (or its gradient) laid out with the reduced axes of `x` kept as length 1. */
function keptShape(y: NDArray, x: NDArray, axes: readonly number[]): NDArray {
  return reshapeTo(y, x.shape.map((dim, d) => (axes.includes(d) ? 1 : dim)));
}

/** Rounds a max or min and records its gradient `dx = dy · (x == y)`, broadcast over the reduced axes. */
function recordExtremum(op: string, x: NDArray, reduced: Reduced): NDArray {
  const y = toNDArray(reduced);
  const { axes } = reduced;
  return recordOp(op, y, [x], (dy) => [equal(x, keptShape(y, x, axes)).mul(keptShape(dy, x, axes))]);
}

/**
 * Sums `grad`, shaped like the result of a broadcast, back to `shape`, an operand that was
 * broadcast to it: over the leading axes `shape` lacks and the axes where `shape` has length 1.
 * This is the gradient of every broadcast operand. Returns `grad` itself when the shapes match.
 *
 * @example
 * reduceToShape(nd.ones([2, 3]), [3]).toArray();    // [2, 2, 2]
 * reduceToShape(nd.ones([2, 3]), [2, 1]).toArray(); // [[3], [3]]
 */
export function reduceToShape(grad: NDArray, shape: readonly number[]): NDArray {
  if (shapesEqual(grad.shape, shape)) return grad;
  const lead = grad.ndim - shape.length;
  if (lead < 0 || shape.some((dim, d) => dim !== 1 && dim !== grad.shape[d + lead])) {
    throw new GluonError(
      `reduceToShape: expected a shape that broadcasts to ${formatShape(grad.shape)}, but got ${formatShape(shape)}`,
    );
  }
  const axes = grad.shape.flatMap((dim, d) => (d < lead || (shape[d - lead] === 1 && dim !== 1) ? [d] : []));
  return reshapeTo(sum(grad, axes, true), shape);
}

/**
 * Index of the maximum along one `axis` (of the flattened array when absent), as float32
 * values like MXNet. Ties pick the first index; a NaN counts as the maximum (its first
 * occurrence wins), as numpy. A 1-D input or a flattened search gives shape `(1,)`.
 *
 * @example
 * nd.argmax(nd.array([[1, 7, 7], [9, 2, 3]]), 1).toArray(); // [1, 0]
 */
export function argmax(x: NDArray, axis?: number, keepdims = false): NDArray {
  return argSearch('argmax', x, axis, keepdims, 1);
}

/**
 * Index of the minimum along one `axis` (as `argmax`; ties pick the first index).
 * @example nd.argmin(nd.array([[1, 0, 0], [9, 2, 3]]), 1).toArray(); // [1, 1]
 */
export function argmin(x: NDArray, axis?: number, keepdims = false): NDArray {
  return argSearch('argmin', x, axis, keepdims, -1);
}

function argSearch(op: string, x: NDArray, axis: number | undefined, keepdims: boolean, direction: number): NDArray {
  checkNDArray(x, op);
  if (axis !== undefined) checkInteger(axis, op, 'axis');
  const flat = axis === undefined;
  const shape = flat ? [x.size] : x.shape;
  const a = flat ? 0 : normalizeAxis(axis, x.ndim, op);
  if (shape[a] === 0) {
    throw new GluonError(`${op}: expected a non-empty axis to search, but got shape ${formatShape(x.shape)} along axis ${flat ? 'None (flattened)' : a}`);
  }
  const { outer, length, inner } = axisView(shape, a);
  const out = searchLanes(x.data, outer, length, inner, direction);
  const kept = flat ? x.shape.map(() => 1) : x.shape.map((dim, d) => (d === a ? 1 : dim));
  const outShape = flat || x.ndim === 1 ? [1] : x.shape.filter((_, d) => d !== a);
  return new NDArray(out, atLeast1d(keepdims ? kept : outShape));
}

/**
 * For each (outer, inner) lane of a row-major (outer, length, inner) view, the first index
 * of the largest `direction * value` (a NaN beats any number). Walks rows contiguously.
 */
function searchLanes(x: Float32Array, outer: number, length: number, inner: number, direction: number): Float32Array {
  const out = new Float32Array(outer * inner);
  const best = new Float32Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * length * inner;
    best.set(x.subarray(base, base + inner));
    for (let k = 1; k < length; k++) {
      const row = base + k * inner;
      for (let j = 0; j < inner; j++) {
        const v = x[row + j];
        const b = best[j];
        if (direction * v > direction * b || (v !== v && b === b)) {
          best[j] = v;
          out[o * inner + j] = k;
        }
      }
    }
  }
  return out;
}
