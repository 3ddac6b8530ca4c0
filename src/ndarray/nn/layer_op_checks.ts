/**
 * Argument checks shared by the operators behind Dense, convolution and pooling layers
 * (`nd.FullyConnected`, `nd.Convolution`, `nd.Deconvolution`, `nd.Pooling`). Each throws a
 * GluonError naming the operator (or the layer that called it), the argument, what was expected
 * and what was given, and returns the valid value.
 */
import { GluonError, formatShape } from '../../core/errors';
import { NDArray } from '../ndarray';
import { describeValue } from '../../core/checks';
import { checkArray } from './op_checks';

/** Channels-first layouts by number of spatial dims (1, 2, 3), then their channels-last twins. */
export const CHANNELS_FIRST = ['NCW', 'NCHW', 'NCDHW'] as const;
export const CHANNELS_LAST = ['NWC', 'NHWC', 'NDHWC'] as const;
export type ConvLayout = (typeof CHANNELS_FIRST)[number] | (typeof CHANNELS_LAST)[number];

/** An integer ≥ `min` (counts, sizes). */
export function checkIntAtLeast(who: string, option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new GluonError(`${who}: expected ${option} to be an integer >= ${min}, but got ${describeValue(value)}`);
  }
  return value;
}

/** true or false. */
export function checkFlag(who: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new GluonError(`${who}: expected ${option} to be true or false, but got ${describeValue(value)}`);
  return value;
}

/**
 * A tuple of `rank` integers ≥ `min` (one per spatial dimension), or `fallback` repeated when
 * absent or empty (MXNet's `()` default).
 */
export function checkSpatialTuple(who: string, option: string, value: unknown, rank: number, min: number, fallback: number): number[] {
  if (value === undefined || (Array.isArray(value) && value.length === 0)) return new Array<number>(rank).fill(fallback);
  const ok = Array.isArray(value) && value.length === rank && value.every((v) => Number.isInteger(v) && v >= min);
  if (!ok) {
    const shown = Array.isArray(value) ? `[${value.map(String).join(', ')}]` : describeValue(value);
    throw new GluonError(`${who}: expected ${option} to be ${rank} integers >= ${min} (one per spatial dimension), but got ${shown}`);
  }
  return value.slice();
}

/**
 * The layout for `rank` spatial dims: the channels-first one by default; returns whether it is
 * channels-last.
 */
export function checkLayout(who: string, layout: unknown, rank: number): { layout: ConvLayout; channelsLast: boolean } {
  const first = CHANNELS_FIRST[rank - 1];
  const last = CHANNELS_LAST[rank - 1];
  if (layout === undefined || layout === first) return { layout: first, channelsLast: false };
  if (layout === last) return { layout: last, channelsLast: true };
  throw new GluonError(`${who}: expected layout '${first}' or '${last}' for ${rank} spatial dimension(s), but got ${describeValue(layout)}`);
}

/** Checks a weight against the shape its input and options require, naming both shapes. */
export function checkWeightShape(who: string, weight: NDArray, expected: readonly number[], data: NDArray): void {
  if (weight.ndim !== expected.length || weight.shape.some((d, i) => d !== expected[i])) {
    throw new GluonError(
      `${who}: expected weight of shape ${formatShape(expected)} for data of shape ${formatShape(data.shape)}, but got ${formatShape(weight.shape)}`,
    );
  }
}

/**
 * Resolves an operator's optional bias: undefined when there is none, else the checked array of
 * shape (channels,). `noBias` defaults to `bias === undefined`; an explicit value must agree.
 */
export function checkBias(who: string, bias: NDArray | undefined, noBias: unknown, channels: number): NDArray | undefined {
  const none = checkFlag(who, 'noBias', noBias ?? bias === undefined);
  if (none) {
    if (bias !== undefined) throw new GluonError(`${who}: expected no bias with noBias = true, but got ${describeValue(bias)}`);
    return undefined;
  }
  const b = checkArray(who, 'bias (noBias is false)', bias);
  if (b.ndim !== 1 || b.size !== channels) throw new GluonError(`${who}: expected bias of shape (${channels},), but got ${formatShape(b.shape)}`);
  return b;
}
