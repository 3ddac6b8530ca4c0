/**
 * Builders of the {@link NormLayout} each normalization operator hands to the shared kernel, from
 * a row-major input shape and the operator's axis. They only describe the view: the operators keep
 * their own checks (rank, channel counts) and error texts.
 *
 * Two forms of each: `instanceNormLayout(shape, axis)` checks its arguments (for direct kernel
 * callers, tests and benchmarks); `instanceNormView(shape, axis)` trusts a shape and a resolved,
 * non-negative axis its caller has checked already (the operators' shape inference), so an input
 * is checked once on its way to the kernel.
 */
import { GluonError, formatShape } from '../../core/errors';
import { checkShape, normalizeAxis, shapeSize } from '../../core/shape';
import type { NormLayout } from './normalization';

/**
 * InstanceNorm: statistics per (sample, channel) over every axis except 0 and `axis`;
 * gamma/beta of length `shape[axis]`. Channels-last (`axis = -1`) gives reduceInner = 1.
 *
 * @example
 * instanceNormLayout([8, 64, 32, 32], 1);
 * // {outer: 8, reduceOuter: 1, channels: 64, reduceInner: 1024, affineStride: 1024, affineCount: 64}
 * instanceNormLayout([8, 32, 32, 64], -1);
 * // {outer: 8, reduceOuter: 1024, channels: 64, reduceInner: 1, affineStride: 1, affineCount: 64}
 */
export function instanceNormLayout(shape: readonly number[], axis: number): NormLayout {
  const what = 'instanceNormLayout';
  const a = checkShapeAndAxis(shape, axis, 2, what);
  if (a === 0) {
    throw new GluonError(`${what}: expected a channel axis other than 0 (the batch axis), but got ${axis} for shape ${formatShape(shape)}`);
  }
  return instanceNormView(shape, a);
}

/** {@link instanceNormLayout} of a checked shape (rank ≥ 2) and resolved axis in [1, rank). */
export function instanceNormView(shape: readonly number[], axis: number): NormLayout {
  const channels = shape[axis];
  const reduceInner = shapeSize(shape.slice(axis + 1));
  return { outer: shape[0], reduceOuter: shapeSize(shape.slice(1, axis)), channels, reduceInner, affineStride: reduceInner, affineCount: channels };
}

/**
 * BatchNorm: statistics per channel `shape[axis]` over every other axis (the whole batch);
 * gamma/beta of length `shape[axis]`.
 *
 * @example
 * batchNormLayout([8, 64, 32, 32], 1);
 * // {outer: 1, reduceOuter: 8, channels: 64, reduceInner: 1024, affineStride: 1024, affineCount: 64}
 */
export function batchNormLayout(shape: readonly number[], axis: number): NormLayout {
  return batchNormView(shape, checkShapeAndAxis(shape, axis, 1, 'batchNormLayout'));
}

/** {@link batchNormLayout} of a checked shape (rank ≥ 1) and resolved axis in [0, rank). */
export function batchNormView(shape: readonly number[], axis: number): NormLayout {
  const channels = shape[axis];
  const reduceInner = shapeSize(shape.slice(axis + 1));
  return { outer: 1, reduceOuter: shapeSize(shape.slice(0, axis)), channels, reduceInner, affineStride: reduceInner, affineCount: channels };
}

/**
 * LayerNorm: statistics per position of every axis but `axis`, over `shape[axis]` values;
 * gamma/beta of length `shape[axis]`. The last axis gives one contiguous run per row.
 *
 * @example
 * layerNormLayout([4, 10, 256], -1);
 * // {outer: 40, reduceOuter: 1, channels: 1, reduceInner: 256, affineStride: 1, affineCount: 256}
 * layerNormLayout([4, 10, 256], 1);
 * // {outer: 4, reduceOuter: 10, channels: 256, reduceInner: 1, affineStride: 256, affineCount: 10}
 */
export function layerNormLayout(shape: readonly number[], axis: number): NormLayout {
  return layerNormView(shape, checkShapeAndAxis(shape, axis, 1, 'layerNormLayout'));
}

/** {@link layerNormLayout} of a checked shape (rank ≥ 1) and resolved axis in [0, rank). */
export function layerNormView(shape: readonly number[], axis: number): NormLayout {
  const features = shape[axis];
  const outer = shapeSize(shape.slice(0, axis));
  const inner = shapeSize(shape.slice(axis + 1));
  if (inner === 1) return { outer, reduceOuter: 1, channels: 1, reduceInner: features, affineStride: 1, affineCount: features };
  return { outer, reduceOuter: features, channels: inner, reduceInner: 1, affineStride: inner, affineCount: features };
}

/**
 * GroupNorm as MXNet 1.9 computes it: the channel axis 1 is split into `numGroups` groups of
 * consecutive channels; statistics per (sample, group) over the group's channels and every
 * spatial position; gamma/beta of length `numGroups` (one value per group, upstream issue 17139).
 *
 * @example
 * groupNormLayout([2, 6, 5], 3);
 * // {outer: 2, reduceOuter: 1, channels: 3, reduceInner: 10, affineStride: 10, affineCount: 3}
 */
export function groupNormLayout(shape: readonly number[], numGroups: number): NormLayout {
  const what = 'groupNormLayout';
  checkShapeAndAxis(shape, 1, 2, what);
  if (!Number.isSafeInteger(numGroups) || numGroups < 1) {
    throw new GluonError(`${what}: expected numGroups to be a positive integer, but got ${String(numGroups)}`);
  }
  const channels = shape[1];
  if (channels % numGroups !== 0) {
    throw new GluonError(`${what}: expected the channel count to be divisible by numGroups ${numGroups}, but got ${channels} channels in shape ${formatShape(shape)}`);
  }
  return groupNormView(shape, numGroups);
}

/** {@link groupNormLayout} of a checked shape (rank ≥ 2) whose channel count numGroups (≥ 1) divides. */
export function groupNormView(shape: readonly number[], numGroups: number): NormLayout {
  const reduceInner = (shape[1] / numGroups) * shapeSize(shape.slice(2));
  return { outer: shape[0], reduceOuter: 1, channels: numGroups, reduceInner, affineStride: reduceInner, affineCount: numGroups };
}

/** Validates the shape and its rank, and resolves a possibly negative axis. */
function checkShapeAndAxis(shape: readonly number[], axis: number, minRank: number, what: string): number {
  checkShape(shape, what);
  if (shape.length < minRank) {
    throw new GluonError(`${what}: expected a shape of rank >= ${minRank}, but got ${formatShape(shape)}`);
  }
  return normalizeAxis(axis, shape.length, what);
}

/**
 * The same flat indices, group numbers (o·channels + c) and affine indices (which depend only on
 * the flat index), viewed so that each group is one contiguous run where possible:
 * - one channel: reduceOuter folds into the run (longer runs);
 * - reduceOuter 1 (NCHW InstanceNorm, GroupNorm): every group becomes a block of its own, so
 *   the kernels finish it (forward: normalize; backward: dx) right after its first pass, while it
 *   is still in cache (a block of all channels, e.g. 64 × 64 KiB, would have left the cache by then).
 */
export function canonicalLayout(layout: NormLayout): NormLayout {
  const { outer, reduceOuter, channels, reduceInner, affineStride, affineCount } = layout;
  if (channels === 1) return { outer, reduceOuter: 1, channels: 1, reduceInner: reduceOuter * reduceInner, affineStride, affineCount };
  if (reduceOuter === 1 && reduceInner > 1) return { outer: outer * channels, reduceOuter: 1, channels: 1, reduceInner, affineStride, affineCount };
  return { outer, reduceOuter, channels, reduceInner, affineStride, affineCount };
}
