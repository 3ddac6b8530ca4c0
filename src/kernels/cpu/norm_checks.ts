/**
 * Argument checks of the normalization kernels (forward here, backward in
 * `normalization_backward.ts`): a kernel must never read or write out of bounds silently, and
 * every error names the kernel, what it expected and what it got.
 */
import { GluonError } from '../../core/errors';
import type { NormLayout } from './normalization';

const LAYOUT_FIELDS = ['outer', 'reduceOuter', 'channels', 'reduceInner', 'affineStride', 'affineCount'] as const;

/**
 * Checks the layout's fields and returns the view's element count. `what` names the caller in
 * the error. Shared with `normalization_backward.ts`, as are the checks below.
 */
export function checkLayout(layout: NormLayout, what: string): number {
  if (typeof layout !== 'object' || layout === null) {
    throw new GluonError(`${what}: expected a layout {${LAYOUT_FIELDS.join(', ')}}, but got ${String(layout)}`);
  }
  for (const field of LAYOUT_FIELDS) {
    const value: unknown = layout[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new GluonError(`${what}: expected layout.${field} to be a non-negative integer, but got ${String(value)}`);
    }
  }
  const size = layout.outer * layout.reduceOuter * layout.channels * layout.reduceInner;
  for (const field of ['affineStride', 'affineCount'] as const) {
    if (size > 0 && layout[field] === 0) {
      throw new GluonError(`${what}: expected layout.${field} to be a positive integer for a non-empty view, but got 0`);
    }
  }
  return size;
}

/** Checks that `array[offset .. offset + size)` exists. */
export function checkSpan(array: Float32Array, offset: number, size: number, name: string, offsetName: string, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new GluonError(`${what}: expected ${offsetName} to be a non-negative integer, but got ${String(offset)}`);
  }
  if (offset + size > array.length) {
    throw new GluonError(`${what}: expected ${name} to have at least ${offset + size} elements (${offsetName} ${offset} + view size ${size}), but got ${array.length}`);
  }
}

/** Checks that mean and variance hold `groups` values each and are separate memory. */
export function checkStatisticsArrays(mean: Float64Array, variance: Float64Array, groups: number, what: string): void {
  for (const [name, array] of [['mean', mean], ['variance', variance]] as const) {
    if (array.length < groups) {
      throw new GluonError(`${what}: expected ${name} to have at least ${groups} elements (outer·channels), but got ${array.length}`);
    }
  }
  if (groups > 0 && overlap(mean, 0, variance, 0, groups) !== 'disjoint') {
    throw new GluonError(`${what}: expected mean and variance to be separate arrays, but got overlapping views of one buffer`);
  }
}

/** The arguments of normApply/normForward, checked together. */
export interface ApplyArguments {
  x: Float32Array; xOffset: number; out: Float32Array; outOffset: number; layout: NormLayout;
  mean: Float64Array; variance: Float64Array; eps: number; gamma: Float32Array; beta: Float32Array;
}

/** Checks everything normApply (or, with `writesStatistics`, normForward) reads or writes; returns the view size. */
export function checkApplyArguments(args: ApplyArguments, writesStatistics: boolean, what: string): number {
  const { x, xOffset, out, outOffset, layout, mean, variance, eps, gamma, beta } = args;
  const size = checkLayout(layout, what);
  checkSpan(x, xOffset, size, 'x', 'xOffset', what);
  checkSpan(out, outOffset, size, 'out', 'outOffset', what);
  if (size > 0 && overlap(x, xOffset, out, outOffset, size) === 'partial') {
    throw new GluonError(`${what}: expected out to be x itself (in place) or disjoint from it, but got partially overlapping views of one buffer`);
  }
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new GluonError(`${what}: expected eps to be a finite number >= 0, but got ${String(eps)}`);
  }
  const count = size > 0 ? layout.affineCount : 0;
  for (const [name, array] of [['gamma', gamma], ['beta', beta]] as const) {
    if (array.length < count) {
      throw new GluonError(`${what}: expected ${name} to have at least ${count} elements (layout.affineCount), but got ${array.length}`);
    }
  }
  const groups = layout.outer * layout.channels;
  checkStatisticsArrays(mean, variance, groups, what);
  const statistics: Region[] = [['mean', mean, 0, groups], ['variance', variance, 0, groups]];
  const affine: Region[] = [['gamma', gamma, 0, count], ['beta', beta, 0, count]];
  checkWrittenRegions([['out', out, outOffset, size]], writesStatistics ? affine : [...statistics, ...affine], what);
  if (writesStatistics) checkWrittenRegions(statistics, [['x', x, xOffset, size], ['out', out, outOffset, size], ...affine], what);
  return size;
}

/** How `a[aStart .. aStart+n)` and `b[bStart .. bStart+n)` share memory (same element type). */
export function overlap(a: Float32Array | Float64Array, aStart: number, b: Float32Array | Float64Array, bStart: number, n: number): 'same' | 'partial' | 'disjoint' {
  if (a.buffer !== b.buffer) return 'disjoint';
  const aByte = a.byteOffset + aStart * a.BYTES_PER_ELEMENT;
  const bByte = b.byteOffset + bStart * b.BYTES_PER_ELEMENT;
  if (aByte === bByte) return 'same';
  const bytes = n * a.BYTES_PER_ELEMENT;
  return aByte < bByte + bytes && bByte < aByte + bytes ? 'partial' : 'disjoint';
}

/** A named element range [start, start + count) of a typed array, for the aliasing checks. */
export type Region = readonly [name: string, array: Float32Array | Float64Array, start: number, count: number];

/**
 * Arrays may share one buffer (e.g. WebAssembly memory), but what a kernel writes must not
 * overlap anything else it uses, or it would read its own output.
 */
export function checkWrittenRegions(written: readonly Region[], others: readonly Region[], what: string): void {
  for (const [name, array, start, count] of written) {
    for (const [otherName, other, otherStart, otherCount] of others) {
      if (count === 0 || otherCount === 0 || array.buffer !== other.buffer) continue;
      const begin = array.byteOffset + start * array.BYTES_PER_ELEMENT;
      const otherBegin = other.byteOffset + otherStart * other.BYTES_PER_ELEMENT;
      if (begin < otherBegin + otherCount * other.BYTES_PER_ELEMENT && otherBegin < begin + count * array.BYTES_PER_ELEMENT) {
        throw new GluonError(`${what}: expected ${name} not to share memory with ${otherName}, but got overlapping views of one buffer`);
      }
    }
  }
}
