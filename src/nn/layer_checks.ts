/**
 * Checks only layers make: spatial sizes, layouts, channel axes, the channel count an input must
 * keep and initializer options.
 * The generic checks (integers, flags, ranges, options objects) are in src/core/checks.ts; these
 * follow their form, `${layer}: expected <what>, but got ${describeValue(value)}`.
 */
import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { InitializerSpec, checkInitializerSpec } from '../init/registry';
import { CHANNELS_FIRST, CHANNELS_LAST, ConvLayout } from '../ops/layout_checks';

/** A channel axis: an integer other than the batch axis 0 (negative counts from the end). */
export function checkChannelAxis(layer: string, axis: unknown): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis === 0) {
    throw new GluonError(`${layer}: expected axis to be an integer other than the batch axis 0, but got ${describeValue(axis)}`);
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

/**
 * A size per spatial dimension (kernel sizes, strides, padding), given as one integer for every
 * dimension or a list of `rank` integers, each ≥ `min`; returns the list.
 *
 * @example
 * checkSpatialSize('conv0', 'strides', 2, 2, 1);        // [2, 2]
 * checkSpatialSize('conv0', 'strides', [1, 0], 2, 1);
 * // GluonError: conv0: expected strides to be an integer >= 1 or a list of 2 such integers, but got [1, 0]
 */
export function checkSpatialSize(layer: string, option: string, value: unknown, rank: number, min: number): number[] {
  const values: unknown = typeof value === 'number' ? new Array<number>(rank).fill(value) : value;
  if (!Array.isArray(values) || values.length !== rank || !values.every((v) => typeof v === 'number' && Number.isInteger(v) && v >= min)) {
    throw new GluonError(`${layer}: expected ${option} to be an integer >= ${min} or a list of ${rank} such integers, but got ${describeValue(value)}`);
  }
  return values.slice() as number[];
}

/** An initializer option of a layer (`weightInitializer`): absent, or a spec `init.create` takes. */
export function checkInitializerOption(layer: string, option: string, value: unknown): InitializerSpec | undefined {
  return value === undefined ? undefined : checkInitializerSpec(layer, option, value);
}

/** A layer's layout option for `rank` spatial dims: the channels-first one when absent, or the channels-last one. */
export function checkLayerLayout(layer: string, layout: unknown, rank: number): ConvLayout {
  const [first, last] = [CHANNELS_FIRST[rank - 1], CHANNELS_LAST[rank - 1]];
  if (layout === undefined || layout === first) return first;
  if (layout === last) return last;
  throw new GluonError(`${layer}: expected layout '${first}' or '${last}' for ${rank} spatial dimension(s), but got ${describeValue(layout)}`);
}
