import { GluonError, formatShape } from './errors';

/** The number of elements of an array of this shape (1 for a 0-d shape). */
export function shapeSize(shape: readonly number[]): number {
  let size = 1;
  for (const dim of shape) size *= dim;
  return size;
}

/** Row-major strides, in elements, of a contiguous array of this shape. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = stride;
    stride *= shape[i];
  }
  return strides;
}

/** Largest element count an NDArray may hold: a Float32Array's limit on every platform. */
export const MAX_ARRAY_SIZE = 2 ** 31 - 1;

/**
 * Checks that `shape` is a list of non-negative integers whose product fits in a Float32Array;
 * `what` names the caller in the error (e.g. `nd.zeros`).
 */
export function checkShape(shape: readonly number[], what: string): void {
  if (!Array.isArray(shape)) {
    throw new GluonError(`${what}: expected a shape (an array of non-negative integers), but got ${String(shape)}`);
  }
  let size = 1;
  for (const dim of shape) {
    if (!Number.isInteger(dim) || dim < 0) {
      throw new GluonError(`${what}: expected a shape of non-negative integers, but got ${formatShape(shape)}`);
    }
    size *= dim;
  }
  if (size > MAX_ARRAY_SIZE) {
    throw new GluonError(`${what}: shape ${formatShape(shape)} has ${size} elements, more than the ${MAX_ARRAY_SIZE} an NDArray can hold`);
  }
}

/**
 * Resolves a possibly negative axis against a rank (`-1` is the last axis), throwing a
 * `GluonError` that names `what` when it is out of range.
 */
export function normalizeAxis(axis: number, ndim: number, what: string): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new GluonError(`${what}: expected an axis in [${-ndim}, ${ndim - 1}] for an input of rank ${ndim}, but got ${axis}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

export function shapesEqual(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

/**
 * The shape two operands broadcast to, by numpy's rule: align the shapes at their last axis;
 * each pair of dimensions must be equal or one of them 1 (a missing leading axis counts as 1).
 *
 * @example
 * broadcastShape('add', [2, 1, 3], [4, 1]); // [2, 4, 3]
 */
export function broadcastShape(op: string, a: readonly number[], b: readonly number[]): number[] {
  const ndim = Math.max(a.length, b.length);
  const out = new Array<number>(ndim);
  for (let i = 1; i <= ndim; i++) {
    const da = i <= a.length ? a[a.length - i] : 1;
    const db = i <= b.length ? b[b.length - i] : 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new GluonError(
        `${op}: operands could not be broadcast together with shapes ${formatShape(a)} ${formatShape(b)}: ` +
          `expected each pair of trailing dimensions to be equal or 1, but got ${da} and ${db}`,
      );
    }
    out[ndim - i] = da === 1 ? db : da;
  }
  return out;
}
