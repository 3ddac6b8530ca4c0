import { GluonError, formatShape } from '../core/errors';

/**
 * Checks of layer options shared by every layer: each throws a GluonError naming the layer, the
 * option, what was expected and what was given, and returns the value when it is valid.
 */

export function checkBoolean(layer: string, option: string, value: boolean): boolean {
  if (typeof value !== 'boolean') throw new GluonError(`${layer}: expected ${option} to be true or false, but got ${String(value)}`);
  return value;
}

/** A finite number ≥ 0 (epsilon, rates, slopes). */
export function checkNonNegative(layer: string, option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new GluonError(`${layer}: expected ${option} to be a finite number >= 0, but got ${String(value)}`);
  }
  return value;
}

/** An integer ≥ `min` (sizes, counts; 0 often means "infer"). */
export function checkInteger(layer: string, option: string, value: number, min = 0): number {
  if (!Number.isInteger(value) || value < min) {
    throw new GluonError(`${layer}: expected ${option} to be an integer >= ${min}, but got ${String(value)}`);
  }
  return value;
}

/** A channel axis: an integer other than the batch axis 0 (negative counts from the end). */
export function checkChannelAxis(layer: string, axis: number): number {
  if (!Number.isInteger(axis) || axis === 0) {
    throw new GluonError(`${layer}: expected an integer axis other than the batch axis 0, but got ${String(axis)}`);
  }
  return axis;
}

/**
 * After a layer inferred its channel count, every input must have it on the channel axis:
 * `<layer>: expected 3 channels on axis 1 (as at initialization), but got 4 in an input of shape (1, 4, 4)`.
 */
export function checkChannelCount(layer: string, axis: number, expected: number, shape: readonly number[]): void {
  if (shape[axis] !== expected) {
    throw new GluonError(`${layer}: expected ${expected} channels on axis ${axis} (as at initialization), but got ${shape[axis]} in an input of shape ${formatShape(shape)}`);
  }
}

/** An axis of any sign (negative counts from the end); checked against the input's rank at forward. */
export function checkAxis(layer: string, axis: number): number {
  if (!Number.isInteger(axis)) throw new GluonError(`${layer}: expected an integer axis, but got ${String(axis)}`);
  return axis;
}

/** A finite number of any sign (ELU's alpha, Swish's beta). */
export function checkFiniteNumber(layer: string, option: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GluonError(`${layer}: expected ${option} to be a finite number, but got ${String(value)}`);
  }
  return value;
}

/**
 * A size per spatial dimension (kernel sizes, strides, padding), given as one integer for every
 * dimension or a list of `rank` integers, each ≥ `min`; returns the list.
 */
export function checkSpatialSize(layer: string, option: string, value: number | readonly number[], rank: number, min: number): number[] {
  const values: readonly number[] = typeof value === 'number' ? new Array<number>(rank).fill(value) : value;
  if (!Array.isArray(values) || values.length !== rank || !values.every((v) => Number.isInteger(v) && v >= min)) {
    const shown = Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
    throw new GluonError(`${layer}: expected ${option} to be an integer >= ${min} or a list of ${rank} such integers, but got ${shown}`);
  }
  return values.slice();
}
