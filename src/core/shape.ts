import { describeValue } from './checks';
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

/** The default size limit: 2³⁰ elements (4 GiB of float32) per array. */
export const DEFAULT_MAX_ELEMENTS = 2 ** 30;

let maxElements = DEFAULT_MAX_ELEMENTS;

/**
 * Sets the largest number of elements one array may have (default 2³⁰, 4 GiB of float32; at most
 * 2³¹ − 1, a Float32Array's limit). Every operation computes its output size first and refuses
 * a larger one with a GluonError before allocating, so a hostile shape (in a `.params` file, a
 * broadcast, a `dot` of two empty matrices) cannot exhaust memory.
 *
 * @example
 * nd.setMaxElements(2 ** 20);   // refuse arrays over 4 MiB
 */
export function setMaxElements(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_ARRAY_SIZE) {
    throw new GluonError(`nd.setMaxElements: expected an integer in [0, ${MAX_ARRAY_SIZE}], but got ${describeValue(n)}`);
  }
  maxElements = n;
}

/** The current size limit (see `setMaxElements`). */
export function getMaxElements(): number {
  return maxElements;
}

/**
 * Checks that `shape` is a list of non-negative integers whose product is within the size limit
 * (`setMaxElements`); `what` names the caller in the error (e.g. `nd.zeros`).
 */
export function checkShape(shape: readonly number[], what: string): void {
  if (!Array.isArray(shape) || shape.length > MAX_RANK) {
    throw new GluonError(`${what}: expected a shape (an array of at most ${MAX_RANK} non-negative integers), but got ${describeValue(shape)}`);
  }
  // A plain loop: every NDArray and every operator output passes here.
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const dim: unknown = shape[i];
    if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 0) {
      // A list of numbers reads best as a shape; anything else is named where it stands.
      const shown = shape.every((d: unknown) => typeof d === 'number') ? formatShape(shape) : `${describeValue(dim)} at index ${i}`;
      throw new GluonError(`${what}: expected a shape of non-negative integers, but got ${shown}`);
    }
    size *= dim;
  }
  checkSize(size, shape, what);
}

/** Refuses an array of `size` elements over the limit, naming the shape and how to raise it. */
export function checkSize(size: number, shape: readonly number[], what: string): void {
  if (size > maxElements) throw new GluonError(`${what}: ${overLimitText(shape)}`);
}

/**
 * 'shape (46341, 46341) has 2147488281 elements, more than the limit of … per array (nd.setMaxElements
 * raises it, …)': the one text of the size limit, its count exact however large the dims (a file's header).
 */
export function overLimitText(shape: readonly number[]): string {
  const count = shape.reduce((product, dim) => product * BigInt(dim), 1n);
  return `shape ${formatShape(shape)} has ${count} elements, more than the limit of ${maxElements} per array ` +
    `(nd.setMaxElements raises it, up to ${MAX_ARRAY_SIZE})`;
}

/** The most dimensions an array may have (MXNet's limit is 32 as well). */
export const MAX_RANK = 32;

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
