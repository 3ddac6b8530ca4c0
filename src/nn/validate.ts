import { GluonError } from '../errors';

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
