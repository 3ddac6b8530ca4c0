import { checkFinite, checkFlag, checkIntAtLeast, checkOptionsObject, describeValue, isTypedArray } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { MAX_RANK, checkShape, shapeSize } from '../core/shape';
import { DType, checkDType, toStorage } from './dtype';
import { NDArray, NestedArray } from './ndarray';

/** Options of `nd.array`. */
export interface ArrayOptions {
  /** The shape of a flat source (a typed array or `number[]`); inferred from nesting when absent. */
  shape?: readonly number[];
  /**
   * The element type (ndarray/dtype.ts): default 'float32', or an NDArray source's own dtype.
   * Values convert as `astype` does (an integer dtype rejects values it cannot hold).
   */
  dtype?: DType;
}

/** The dtype option of the creation functions. */
export interface DTypeOptions {
  /** The element type. Default 'float32'. */
  dtype?: DType;
}

const ARRAY_OPTION_KEYS = ['shape', 'dtype'];

/**
 * Creates a float32 NDArray from nested arrays of numbers (whose innermost level may be typed
 * arrays), from a flat typed array (any numeric kind: Float64Array, Int32Array, Uint8Array, … —
 * converted to float32, as MXNet's `nd.array` does without a dtype) or `number[]` with a
 * `shape`, from a number (a 0-d array), or from another NDArray. The values are always copied.
 * Nesting deeper than 32 levels (MXNet's rank limit), a cycle, a ragged level or a non-number
 * value is a GluonError.
 *
 * @example
 * nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]).shape;           // [2, 1, 2]
 * nd.array(new Float64Array(6), { shape: [2, 3] }).shape; // [2, 3]
 * nd.array([Int32Array.of(1, 2), Int32Array.of(3, 4)]).shape; // [2, 2]
 */
export function array(source: NestedArray | ArrayLike<number> | readonly ArrayLike<number>[] | NDArray, options: ArrayOptions = {}): NDArray {
  const { shape, dtype } = checkOptionsObject('nd.array', options, ARRAY_OPTION_KEYS);
  const given = shape as readonly number[] | undefined;
  const target = dtype === undefined ? (source instanceof NDArray ? source.dtype : 'float32') : checkDType('nd.array', dtype);
  if (source instanceof NDArray) {
    const copy = source.astype(target);
    return given === undefined ? copy : new NDArray(copy.values, sized(given, copy.size), target);
  }
  // Gathered exactly (in float64) for another dtype, which then converts as astype does.
  const kind = target === 'float32' ? Float32Array : Float64Array;
  const gathered = gather(source, given, kind);
  if (target === 'float32') return new NDArray(gathered.values as Float32Array, gathered.shape);
  return new NDArray(toStorage('nd.array', target, gathered.values), gathered.shape, target);
}

/** `shape`, checked to hold `count` values. */
function sized(shape: readonly number[], count: number): readonly number[] {
  checkShape(shape, 'nd.array');
  if (shapeSize(shape) !== count) throw new GluonError(`nd.array: expected ${shapeSize(shape)} values for shape ${formatShape(shape)}, but got ${count}`);
  return shape;
}

/** The values of a non-NDArray source in a new typed array of `kind`, and their shape. */
function gather(source: unknown, given: readonly number[] | undefined, kind: typeof Float32Array | typeof Float64Array): { values: Float32Array | Float64Array; shape: readonly number[] } {
  if (isTypedArray(source)) return { values: kind.from(source), shape: sized(given ?? [source.length], source.length) };
  if (given !== undefined) {
    if (!Array.isArray(source) || !source.every((v) => typeof v === 'number')) {
      throw new GluonError(`nd.array: with a shape, expected a flat number[] or typed array, but got ${describeValue(source)}`);
    }
    return { values: kind.from(source as number[]), shape: sized(given, source.length) };
  }
  if (typeof source !== 'number' && !Array.isArray(source)) {
    throw new GluonError(`nd.array: expected nested arrays of numbers, a typed array, a number or an NDArray, but got ${describeValue(source)}`);
  }
  const inferred = inferShape(source as NestedArray);
  checkShape(inferred, 'nd.array');
  const values = new kind(shapeSize(inferred));
  fill(source as NestedArray, inferred, 0, values, 0);
  return { values, shape: inferred };
}

function inferShape(source: NestedArray): number[] {
  const shape: number[] = [];
  let level: NestedArray = source;
  while (Array.isArray(level) || isTypedArray(level)) {
    if (shape.length === MAX_RANK) {
      throw new GluonError(`nd.array: expected at most ${MAX_RANK} levels of nesting (the largest rank), but got more (a nested array that contains itself?)`);
    }
    shape.push(level.length);
    // A typed array is an innermost level: its elements are numbers.
    if (level.length === 0 || isTypedArray(level)) break;
    level = level[0];
  }
  return shape;
}

/** Copies nested values into `out`, checking that every level is as long as the first. */
function fill(level: NestedArray, shape: number[], axis: number, out: Float32Array | Float64Array, offset: number): number {
  if (isTypedArray(level) && axis === shape.length - 1 && level.length === shape[axis]) {
    out.set(level, offset);
    return offset + level.length;
  }
  if (axis === shape.length) {
    if (typeof level !== 'number') throw new GluonError(`nd.array: expected a number at depth ${axis}, but got ${describeValue(level)}`);
    out[offset] = level;
    return offset + 1;
  }
  if (!Array.isArray(level) || level.length !== shape[axis]) {
    throw new GluonError(`nd.array: ragged nested array: expected length ${shape[axis]} at depth ${axis}, but got ${describeValue(level)}`);
  }
  for (const item of level) offset = fill(item, shape, axis + 1, out, offset);
  return offset;
}

/** An array of `shape` filled with `value` (of `dtype`, default float32). @example nd.full([2], 7).toArray(); // [7, 7] */
export function full(shape: readonly number[], value: number, options: DTypeOptions = {}): NDArray {
  if (typeof value !== 'number') throw new GluonError(`nd.full: expected the fill value to be a number, but got ${describeValue(value)}`);
  return filled(shape, value, 'nd.full', options);
}

/** An array of `shape` filled with zeros. @example nd.zeros([2], { dtype: 'int32' }).toArray(); // [0, 0] */
export function zeros(shape: readonly number[], options: DTypeOptions = {}): NDArray {
  return filled(shape, 0, 'nd.zeros', options);
}

/** An array of `shape` filled with ones. @example nd.ones([2, 1]).toArray(); // [[1], [1]] */
export function ones(shape: readonly number[], options: DTypeOptions = {}): NDArray {
  return filled(shape, 1, 'nd.ones', options);
}

function filled(shape: readonly number[], value: number, who: string, options: DTypeOptions = {}): NDArray {
  checkShape(shape, who);
  const { dtype } = checkOptionsObject(who, options, DTYPE_OPTION_KEYS);
  const values = new Float32Array(shapeSize(shape)).fill(value);
  if (dtype === undefined || dtype === 'float32') return new NDArray(values, shape);
  const target = checkDType(who, dtype);
  return new NDArray(toStorage(who, target, new Float64Array(values.length).fill(value)), shape, target);
}

const DTYPE_OPTION_KEYS = ['dtype'];

/**
 * Evenly spaced values in [start, stop) as a 1-d array, like `mx.nd.arange`/`numpy.arange`.
 * With one argument it counts from 0: `arange(3)` is [0, 1, 2].
 */
export function arange(start: number, stop?: number, step = 1): NDArray {
  if (stop === undefined) [start, stop] = [0, start];
  if (!Number.isFinite(start) || !Number.isFinite(stop) || !Number.isFinite(step) || step === 0) {
    throw new GluonError(`nd.arange: expected finite start, stop and a non-zero step, but got ${[start, stop, step].map(describeValue).join(', ')}`);
  }
  const length = Math.max(0, Math.ceil((stop - start) / step));
  checkShape([length], 'nd.arange');
  const data = new Float32Array(length);
  for (let i = 0; i < length; i++) data[i] = start + i * step;
  return new NDArray(data, [length]);
}

/**
 * The (N, M) matrix with ones on diagonal k (0: the main one, > 0 above, < 0 below) and zeros
 * elsewhere, as `mx.nd.eye(N, M=0, k=0)`; M = 0 means N.
 *
 * @example nd.eye(2, 3, 1).toArray(); // [[0, 1, 0], [0, 0, 1]]
 */
export function eye(n: number, m = 0, k = 0): NDArray {
  checkIntAtLeast('nd.eye', 'N', n, 0);
  checkIntAtLeast('nd.eye', 'M', m, 0);
  checkIntAtLeast('nd.eye', 'k', k, -Infinity);
  const cols = m === 0 ? n : m;
  const out = filled([n, cols], 0, 'nd.eye');
  for (let i = Math.max(0, -k); i < n && i + k < cols; i++) out.data[i * cols + i + k] = 1;
  return out;
}

/**
 * `num` evenly spaced values from `start` to `stop` (included unless `endpoint` is false), as
 * `mx.nd.linspace`; value i = start + i·step, step = (stop − start)/(num − 1) (or /num without
 * the endpoint), computed in float64 and rounded once.
 *
 * @example nd.linspace(0, 1, 5).toArray(); // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num: number, endpoint = true): NDArray {
  checkFinite('nd.linspace', 'start', start);
  checkFinite('nd.linspace', 'stop', stop);
  checkIntAtLeast('nd.linspace', 'num', num, 0);
  checkFlag('nd.linspace', 'endpoint', endpoint);
  const out = filled([num], 0, 'nd.linspace');
  const intervals = endpoint ? num - 1 : num;
  const step = intervals > 0 ? (stop - start) / intervals : 0;
  for (let i = 0; i < num; i++) out.data[i] = start + i * step;
  return out;
}

/** An array of `like`'s shape filled with `value` (MXNet's `full_like`). @example nd.fullLike(nd.zeros([2]), 7).toArray(); // [7, 7] */
export function fullLike(like: NDArray, value: number): NDArray {
  if (!(like instanceof NDArray)) throw new GluonError(`nd.fullLike: expected an NDArray, but got ${describeValue(like)}`);
  return full(like.shape, value, { dtype: like.dtype });
}
