/**
 * The strided slice of MXNet's `slice` (numpy's `x[b0:e0:s0, b1:e1:s1, …]`, negative steps
 * included) and its adjoint. The slice is described by the flat position of its first element
 * and, per axis of the result, the step between neighbours in x (x's row-major stride times the
 * slice's step, negative for a reversed axis).
 */
import { shapeSize } from '../../core/shape';
import { forEachRun, innerStrides, planStrided } from './strided';

/**
 * `out` (row-major of `shape`) = x read from `base` with `strides` (one per axis of `shape`, in
 * elements, possibly negative).
 *
 * @example
 * // x = [0, 1, 2, 3, 4] sliced [3:0:-2] → [3, 1]
 * gatherStrided(x, 3, [-2], [2], out);
 */
export function gatherStrided(x: Float32Array, base: number, strides: readonly number[], shape: readonly number[], out: Float32Array): void {
  if (shapeSize(shape) === 0) return;
  const plan = planStrided(shape, strides);
  const [step] = innerStrides(plan);
  forEachRun(plan, (o, xi, _, n) => readRun(out, o, x, base + xi, step, n));
}

/**
 * The adjoint of `gatherStrided`: `out` (x's size) is zero except at the positions the slice
 * read, which receive dy's values (each position is read at most once, steps being non-zero).
 */
export function scatterStrided(dy: Float32Array, base: number, strides: readonly number[], shape: readonly number[], out: Float32Array): void {
  out.fill(0);
  assignStrided(dy, base, strides, shape, out);
}

/**
 * Writes `values` (the slice's shape) at the positions a strided slice reads in `out`, leaving
 * the other positions as they are (`_slice_assign`).
 */
export function assignStrided(values: Float32Array, base: number, strides: readonly number[], shape: readonly number[], out: Float32Array): void {
  if (shapeSize(shape) === 0) return;
  const plan = planStrided(shape, strides);
  const [step] = innerStrides(plan);
  forEachRun(plan, (o, xi, _, n) => writeRun(out, base + xi, step, values, o, n));
}

/** `out[o + i] = x[xi + i·step]`. */
function readRun(out: Float32Array, o: number, x: Float32Array, xi: number, step: number, n: number): void {
  for (let i = 0; i < n; i++, xi += step) out[o + i] = x[xi];
}

/** `out[oi + i·step] = dy[d + i]`. */
function writeRun(out: Float32Array, oi: number, step: number, dy: Float32Array, d: number, n: number): void {
  for (let i = 0; i < n; i++, oi += step) out[oi] = dy[d + i];
}
