import { GluonError, formatShape } from '../../core/errors';
import { NDArray } from '../ndarray';
import { normalizeAxis } from '../../core/shape';

/** Axis arguments of reductions: one axis, several, or all of them when absent. */
export type AxisSpec = number | readonly number[] | undefined;

/** Describes a bad argument for an error message: its type and, for short values, the value. */
export function describeValue(value: unknown): string {
  if (value instanceof NDArray) return `an NDArray of shape ${formatShape(value.shape)}`;
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (value === null || value === undefined) return String(value);
  return typeof value === 'object' ? `an object (${value.constructor?.name ?? 'Object'})` : `${typeof value} ${String(value)}`;
}

/** Throws unless `value` is an NDArray; `what` names the argument (e.g. `input`, `lhs`). */
export function checkNDArray(value: unknown, op: string, what = 'input'): asserts value is NDArray {
  if (!(value instanceof NDArray)) {
    throw new GluonError(`${op}: expected ${what} to be an NDArray, but got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is an integer; used for axes and slice bounds. */
export function checkInteger(value: unknown, op: string, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new GluonError(`${op}: expected ${what} to be an integer, but got ${describeValue(value)}`);
  }
}

/**
 * Resolves reduction axes against a rank: negative axes count from the end and the result is
 * sorted ascending. `undefined` or `[]` means every axis (MXNet's `axis=()`).
 */
export function normalizeAxes(op: string, axis: AxisSpec, ndim: number): number[] {
  if (axis === undefined) return allAxes(ndim);
  const list = typeof axis === 'number' ? [axis] : axis;
  if (!Array.isArray(list)) {
    throw new GluonError(`${op}: expected axis to be an integer or an array of integers, but got ${describeValue(axis)}`);
  }
  if (list.length === 0) return allAxes(ndim);
  const axes = list.map((a: number) => normalizeAxis(a, ndim, op)).sort((a: number, b: number) => a - b);
  for (let i = 1; i < axes.length; i++) {
    if (axes[i] === axes[i - 1]) {
      throw new GluonError(`${op}: expected distinct axes, but got ${formatShape(list)} for an input of rank ${ndim}`);
    }
  }
  return axes;
}

function allAxes(ndim: number): number[] {
  return Array.from({ length: ndim }, (_, i) => i);
}

/**
 * MXNet's legacy NDArray has no 0-d arrays: an op whose result would have no dimensions
 * (a full reduction, a squeeze of `(1, 1)`) returns shape `(1,)` instead.
 */
export function atLeast1d(shape: number[]): number[] {
  return shape.length === 0 ? [1] : shape;
}

/** Splits `shape` around `axis` into (outer, length, inner) extents of a row-major view. */
export function axisView(shape: readonly number[], axis: number): { outer: number; length: number; inner: number } {
  let outer = 1;
  let inner = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  return { outer, length: shape[axis], inner };
}
