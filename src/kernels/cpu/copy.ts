/**
 * Strided copies: the data movement of transpose, broadcast_to and the other layout operators.
 */
import { shapeSize } from '../../core/shape';
import { forEachRun, innerStrides, planStrided } from './strided';

/**
 * `out` (row-major of `shape`) = `x` read with `strides` (in elements, one per axis of `shape`;
 * 0 repeats, a permutation of x's strides transposes).
 */
export function gather(x: Float32Array, strides: readonly number[], shape: readonly number[], out: Float32Array): void {
  if (shapeSize(shape) === 0) return;
  const plan = planStrided(shape, strides);
  const [step] = innerStrides(plan);
  forEachRun(plan, (o, xi, _, n) => copyRun(out, o, x, xi, step, n));
}

/** `out[o + i] = x[xi + i*step]`; a separate function so V8 keeps the arrays in registers. */
function copyRun(out: Float32Array, o: number, x: Float32Array, xi: number, step: number, n: number): void {
  for (let i = 0; i < n; i++, xi += step) out[o + i] = x[xi];
}

/** Copies `x` into `out` unless they are the same storage (an in-place reshape). */
export function copyInto(x: Float32Array, out: Float32Array): void {
  if (out !== x) out.set(x);
}
