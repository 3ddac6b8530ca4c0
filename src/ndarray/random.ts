/**
 * `nd.random`: arrays of random draws from the global seeded generator (see `random.seed`), with
 * MXNet's argument order `mx.nd.random.uniform(low, high, shape)`.
 */
import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';
import { fillNormal, fillUniform } from '../random';
import { NDArray } from './ndarray';
import { checkShape, shapeSize } from '../core/shape';

/**
 * Draws from the uniform distribution U(low, high): every value is `low + (high - low) · u` with
 * u uniform in [0, 1), rounded to float32.
 *
 * @param low lower bound, default 0.
 * @param high upper bound, default 1; must be ≥ `low`.
 * @param shape the output shape, a number for 1-d; default `[1]` (as MXNet).
 * @example
 * nd.random.uniform(-1, 1, [2, 3]).shape; // [2, 3]
 */
export function uniform(low = 0, high = 1, shape: number | readonly number[] = [1]): NDArray {
  const what = 'nd.random.uniform';
  checkFinite(low, 'low', what);
  checkFinite(high, 'high', what);
  if (low > high) throw new GluonError(`${what}: expected low <= high, but got low=${low}, high=${high}`);
  const dims = checkedShape(shape, what);
  const out = new Float32Array(shapeSize(dims));
  fillUniform(out, low, high);
  return new NDArray(out, dims);
}

/**
 * Draws from the normal distribution N(loc, scale²): every value is `loc + scale · z` with z
 * standard normal, rounded to float32.
 *
 * @param loc the mean, default 0.
 * @param scale the standard deviation, default 1; must be ≥ 0.
 * @param shape the output shape, a number for 1-d; default `[1]` (as MXNet).
 * @example
 * nd.random.normal(0, 0.01, [64, 3]).shape; // [64, 3]
 */
export function normal(loc = 0, scale = 1, shape: number | readonly number[] = [1]): NDArray {
  const what = 'nd.random.normal';
  checkFinite(loc, 'loc', what);
  checkFinite(scale, 'scale', what);
  if (scale < 0) throw new GluonError(`${what}: expected a non-negative scale, but got ${scale}`);
  const dims = checkedShape(shape, what);
  const out = new Float32Array(shapeSize(dims));
  fillNormal(out, loc, scale);
  return new NDArray(out, dims);
}

function checkFinite(value: number, name: string, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GluonError(`${what}: expected a finite number for ${name}, but got ${describeValue(value)}`);
  }
}

/** A number is a 1-d shape; the shape is validated before anything is allocated. */
function checkedShape(shape: number | readonly number[], what: string): readonly number[] {
  const dims = typeof shape === 'number' ? [shape] : shape;
  checkShape(dims, what);
  return dims;
}
