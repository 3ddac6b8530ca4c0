/**
 * Reduction loops: sum, max, min, prod and the NaN-skipping nansum and nanprod over any set of
 * axes in one pass over the input in memory order (float64 accumulators), the search of
 * argmax/argmin along one axis, and the broadcast of a reduced array back over the reduced axes
 * (the backward of a reduction).
 */
import { rowMajorStrides, shapeSize } from '../../core/shape';
import { forEachRun, innerStrides, planStrided } from './strided';

/** How a reduction folds values: an identity and two run loops. */
export interface Reducer {
  /** The accumulator's start value; with `needsValues` it is never a result. */
  readonly identity: number;
  /** Max and min have no value for an empty slice: reducing an empty axis is an error. */
  readonly needsValues: boolean;
  /** Folds `x[xi .. xi + n)` into `acc` and returns it (a reduced innermost axis). */
  fold(acc: number, x: Float32Array, xi: number, n: number): number;
  /** `acc[ai + i] ⊕= x[xi + i]` for `i < n` (a kept innermost axis). */
  combine(acc: Float64Array, ai: number, x: Float32Array, xi: number, n: number): void;
}

export const SUM: Reducer = {
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
export const MAX: Reducer = {
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

export const MIN: Reducer = {
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

export const PROD: Reducer = {
  identity: 1,
  needsValues: false,
  fold(acc, x, xi, n) {
    for (let i = xi; i < xi + n; i++) acc *= x[i];
    return acc;
  },
  combine(acc, ai, x, xi, n) {
    for (let i = 0; i < n; i++) acc[ai + i] *= x[xi + i];
  },
};

// The NaN-skipping reducers (numpy's nansum/nanprod): a NaN counts as the identity, so a slice
// of NaNs only sums to 0 and multiplies to 1.
export const NANSUM: Reducer = {
  identity: 0,
  needsValues: false,
  fold(acc, x, xi, n) {
    for (let i = xi; i < xi + n; i++) if (x[i] === x[i]) acc += x[i];
    return acc;
  },
  combine(acc, ai, x, xi, n) {
    for (let i = 0; i < n; i++) if (x[xi + i] === x[xi + i]) acc[ai + i] += x[xi + i];
  },
};

export const NANPROD: Reducer = {
  identity: 1,
  needsValues: false,
  fold(acc, x, xi, n) {
    for (let i = xi; i < xi + n; i++) if (x[i] === x[i]) acc *= x[i];
    return acc;
  },
  combine(acc, ai, x, xi, n) {
    for (let i = 0; i < n; i++) if (x[xi + i] === x[xi + i]) acc[ai + i] *= x[xi + i];
  },
};

/**
 * Reduces `x` (row-major of `shape`) over the axes where `reduced[d]` into float64 accumulators
 * laid out row-major over the kept shape (reduced axes of length 1), starting from the identity.
 * The accumulator strides are 0 along reduced axes, so each input run folds into one accumulator
 * or combines into a contiguous run of them.
 */
export function reduceAxes(reducer: Reducer, x: Float32Array, shape: readonly number[], reduced: readonly boolean[]): Float64Array {
  const kept = shape.map((dim, d) => (reduced[d] ? 1 : dim));
  const keptStrides = rowMajorStrides(kept);
  const acc = new Float64Array(shapeSize(kept)).fill(reducer.identity);
  const plan = planStrided(shape, keptStrides.map((s, d) => (reduced[d] ? 0 : s)));
  if (plan.strides0[plan.strides0.length - 1] === 0) {
    forEachRun(plan, (xi, ai, _, n) => {
      acc[ai] = reducer.fold(acc[ai], x, xi, n);
    });
  } else {
    forEachRun(plan, (xi, ai, _, n) => reducer.combine(acc, ai, x, xi, n));
  }
  return acc;
}

/**
 * `out` (row-major of `shape`) = `y` (row-major of the kept shape: `shape` with the reduced axes
 * of length 1) repeated along the reduced axes.
 */
export function broadcastReduced(y: Float32Array, out: Float32Array, shape: readonly number[], reduced: readonly boolean[]): void {
  const keptStrides = rowMajorStrides(shape.map((dim, d) => (reduced[d] ? 1 : dim)));
  const plan = planStrided(shape, keptStrides.map((s, d) => (reduced[d] ? 0 : s)));
  const [step] = innerStrides(plan);
  forEachRun(plan, (o, yi, _, n) => {
    for (let i = 0; i < n; i++, yi += step) out[o + i] = y[yi];
  });
}

/**
 * For each (outer, inner) lane of a row-major (outer, length, inner) view, the first index of
 * the largest `direction * value` (a NaN beats any number), written to `out` (outer·inner).
 * Walks rows contiguously; `length` must be ≥ 1.
 */
export function searchLanes(x: Float32Array, outer: number, length: number, inner: number, direction: number, out: Float32Array): void {
  out.fill(0);
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
}
