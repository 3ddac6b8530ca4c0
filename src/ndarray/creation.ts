import { GluonError, formatShape } from '../core/errors';
import { NDArray, NestedArray } from './ndarray';
import { checkShape, shapeSize } from '../core/shape';

/** Options of `nd.array`. */
export interface ArrayOptions {
  /** The shape of a flat `Float32Array` or `number[]` source; inferred from nesting when absent. */
  shape?: readonly number[];
}

/**
 * Creates a float32 NDArray from nested arrays, from a flat `Float32Array`/`number[]` with a
 * `shape`, or from another NDArray. The values are always copied.
 *
 * @example
 * nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]).shape;           // [2, 1, 2]
 * nd.array(new Float32Array(6), { shape: [2, 3] }).shape; // [2, 3]
 */
export function array(source: NestedArray | Float32Array | NDArray, options: ArrayOptions = {}): NDArray {
  if (source instanceof NDArray) return fromFlat(source.data, options.shape ?? source.shape);
  if (source instanceof Float32Array) return fromFlat(source, options.shape ?? [source.length]);
  if (options.shape !== undefined) {
    if (!Array.isArray(source) || !source.every((v) => typeof v === 'number')) {
      throw new GluonError('nd.array: with a shape, expected a flat number[] or Float32Array, but got nested arrays');
    }
    return fromFlat(source as number[], options.shape);
  }
  const shape = inferShape(source);
  checkShape(shape, 'nd.array');
  const data = new Float32Array(shapeSize(shape));
  fill(source, shape, 0, data, 0);
  return new NDArray(data, shape);
}

function fromFlat(values: ArrayLike<number>, shape: readonly number[]): NDArray {
  checkShape(shape, 'nd.array');
  if (shapeSize(shape) !== values.length) {
    throw new GluonError(`nd.array: expected ${shapeSize(shape)} values for shape ${formatShape(shape)}, but got ${values.length}`);
  }
  return new NDArray(Float32Array.from(values), shape);
}

function inferShape(source: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = source;
  while (Array.isArray(level)) {
    shape.push(level.length);
    if (level.length === 0) break;
    level = level[0];
  }
  return shape;
}

/** Copies nested values into `out`, checking that every level is as long as the first. */
function fill(level: NestedArray, shape: number[], axis: number, out: Float32Array, offset: number): number {
  if (axis === shape.length) {
    if (typeof level !== 'number') throw new GluonError(`nd.array: expected a number at depth ${axis}, but got ${describe(level)}`);
    out[offset] = level;
    return offset + 1;
  }
  if (!Array.isArray(level) || level.length !== shape[axis]) {
    throw new GluonError(`nd.array: ragged nested array: expected length ${shape[axis]} at depth ${axis}, but got ${describe(level)}`);
  }
  for (const item of level) offset = fill(item, shape, axis + 1, out, offset);
  return offset;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? `an array of length ${value.length}` : `${typeof value} ${String(value)}`;
}

/** An array of `shape` filled with `value`. */
export function full(shape: readonly number[], value: number): NDArray {
  checkShape(shape, 'nd.full');
  return new NDArray(new Float32Array(shapeSize(shape)).fill(value), shape);
}

/** An array of `shape` filled with zeros. */
export function zeros(shape: readonly number[]): NDArray {
  return full(shape, 0);
}

/** An array of `shape` filled with ones. */
export function ones(shape: readonly number[]): NDArray {
  return full(shape, 1);
}

/**
 * Evenly spaced values in [start, stop) as a 1-d array, like `mx.nd.arange`/`numpy.arange`.
 * With one argument it counts from 0: `arange(3)` is [0, 1, 2].
 */
export function arange(start: number, stop?: number, step = 1): NDArray {
  if (stop === undefined) [start, stop] = [0, start];
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new GluonError(`nd.arange: expected finite start, stop and a non-zero step, but got (${start}, ${stop}, ${step})`);
  }
  const length = Math.max(0, Math.ceil((stop - start) / step));
  checkShape([length], 'nd.arange');
  const data = new Float32Array(length);
  for (let i = 0; i < length; i++) data[i] = start + i * step;
  return new NDArray(data, [length]);
}
