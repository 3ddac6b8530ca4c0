/**
 * The one shared CPU normalization kernel: InstanceNorm, BatchNorm, LayerNorm and GroupNorm all
 * call it with a different {@link NormLayout} (see `norm_layouts.ts` for the builders).
 *
 * Numerics: per-group statistics are accumulated in float64 as sums of `x - K`, where the shift
 * `K` is the group's first element. The shift keeps Σd² − (Σd)²/n free of catastrophic
 * cancellation (|K − mean| is at most √n standard deviations), and a constant group gets d = 0
 * exactly, so its output is exactly beta. The apply is `(x − mean)·(rstd·gamma) + beta` in
 * float64, rounded once to float32; `x·scale + shift` would cancel when |mean| ≫ std.
 *
 * Memory: the kernel never allocates anything the size of the input, only one float64 scratch
 * of length `channels`. It walks memory in order in both layouts: long contiguous runs when
 * `reduceInner > 1` (NCHW), and rows of `channels` accumulators when `reduceInner = 1` (NHWC).
 */
import { GluonError } from '../../errors';

/**
 * The input viewed as a row-major 4-D array (outer, reduceOuter, channels, reduceInner).
 * Statistics are taken per (outer, channel) over reduceOuter × reduceInner elements.
 * gamma/beta index of flat element i (0-based within the view) is floor(i / affineStride) % affineCount.
 *   InstanceNorm NCHW (N,C,S): {outer:N, reduceOuter:1, channels:C, reduceInner:S, affineStride:S, affineCount:C}
 *   InstanceNorm channels-last (N,S,C): {outer:N, reduceOuter:S, channels:C, reduceInner:1, affineStride:1, affineCount:C}
 *   BatchNorm axis 1 (N,C,S): {outer:1, reduceOuter:N, channels:C, reduceInner:S, affineStride:S, affineCount:C}
 *   LayerNorm last axis (M,F): {outer:M, reduceOuter:1, channels:1, reduceInner:F, affineStride:1, affineCount:F}
 *   LayerNorm middle axis (P,C,Q): {outer:P, reduceOuter:C, channels:Q, reduceInner:1, affineStride:Q, affineCount:C}
 *   GroupNorm (N,G·K) with gamma per group (MXNet 1.9): {outer:N, reduceOuter:1, channels:G, reduceInner:K, affineStride:K, affineCount:G}
 *
 * All six fields are non-negative integers; a view with a zero dimension is empty and every
 * kernel leaves its outputs untouched. For a non-empty view affineStride and affineCount must
 * be ≥ 1.
 */
export interface NormLayout { outer: number; reduceOuter: number; channels: number; reduceInner: number; affineStride: number; affineCount: number; }

/**
 * Per-group biased mean and variance (÷ count), accumulated in float64, cancellation-safe.
 * mean/variance have length outer·channels, index o·channels + c.
 *
 *   mean[o, c]     = (1/n) Σ_{r, i} x[o, r, c, i]
 *   variance[o, c] = (1/n) Σ_{r, i} (x[o, r, c, i] − mean[o, c])²,   n = reduceOuter·reduceInner
 *
 * Reads `x[xOffset + j]` for j < outer·reduceOuter·channels·reduceInner; writes
 * `mean[g]`, `variance[g]` for g < outer·channels (longer arrays keep their tail). A NaN or
 * ±Inf in a group makes only that group's statistics NaN/Inf.
 *
 * @example
 * // Two instances of one channel with two values each (InstanceNorm NCHW, shape (2, 1, 2)).
 * const mean = new Float64Array(2), variance = new Float64Array(2);
 * normStatistics(new Float32Array([1, 3, 5, 9]), 0,
 *   { outer: 2, reduceOuter: 1, channels: 1, reduceInner: 2, affineStride: 2, affineCount: 1 }, mean, variance);
 * // mean = [2, 7], variance = [1, 4]
 */
export function normStatistics(x: Float32Array, xOffset: number, layout: NormLayout, mean: Float64Array, variance: Float64Array): void {
  const what = 'normStatistics';
  const size = checkLayout(layout, what);
  checkSpan(x, xOffset, size, 'x', 'xOffset', what);
  checkStatisticsArrays(mean, variance, layout.outer * layout.channels, what);
  if (size > 0) computeStatistics(x, xOffset, canonicalLayout(layout), mean, variance);
}

/**
 * out = (x − mean) / sqrt(variance + eps) · gamma + beta, computed in float64 and rounded once to float32.
 *
 * Element j of the view (x[xOffset + j] → out[outOffset + j]) belongs to group
 * o·channels + c of its (o, r, c, i) position and uses gamma/beta[floor(j / affineStride) % affineCount].
 * `mean`/`variance` are as {@link normStatistics} returns them (length ≥ outer·channels);
 * `gamma`/`beta` need at least affineCount values. `eps` (≥ 0, finite) has no default here: the
 * layers own the defaults. `out` may be `x` itself at the same offset (in place), but must not
 * partially overlap it. With eps = 0 a constant group gives 0/0 = NaN, as the formula says.
 *
 * @example
 * const out = new Float32Array(4);
 * normApply(new Float32Array([1, 3, 5, 9]), 0, out, 0,
 *   { outer: 2, reduceOuter: 1, channels: 1, reduceInner: 2, affineStride: 2, affineCount: 1 },
 *   new Float64Array([2, 7]), new Float64Array([1, 4]), 0, new Float32Array([2]), new Float32Array([0.5]));
 * // out = [-1.5, 2.5, -1.5, 2.5]
 */
export function normApply(x: Float32Array, xOffset: number, out: Float32Array, outOffset: number, layout: NormLayout,
  mean: Float64Array, variance: Float64Array, eps: number, gamma: Float32Array, beta: Float32Array): void {
  const what = 'normApply';
  const size = checkApplyArguments(x, xOffset, out, outOffset, layout, eps, gamma, beta, what);
  checkStatisticsArrays(mean, variance, layout.outer * layout.channels, what);
  if (size > 0) applyNormalization(x, xOffset, out, outOffset, canonicalLayout(layout), mean, variance, eps, gamma, beta);
}

/**
 * {@link normStatistics} then {@link normApply}: normalizes every (outer, channel) group of `x`
 * into `out` and leaves the groups' biased mean and variance in `mean`/`variance` (kept as
 * outputs for the backward pass). Same arguments, shapes and rules as `normApply`.
 *
 * @example
 * // InstanceNorm NCHW of shape (1, 2, 3): gamma/beta per channel.
 * const x = new Float32Array([1, 2, 3, 10, 10, 10]), out = new Float32Array(6);
 * normForward(x, 0, out, 0, { outer: 1, reduceOuter: 1, channels: 2, reduceInner: 3, affineStride: 3, affineCount: 2 },
 *   new Float64Array(2), new Float64Array(2), 1e-5, new Float32Array([1, 1]), new Float32Array([0, 7]));
 * // out ≈ [-1.2247, 0, 1.2247, 7, 7, 7]   (the constant channel gives exactly beta)
 */
export function normForward(x: Float32Array, xOffset: number, out: Float32Array, outOffset: number, layout: NormLayout,
  mean: Float64Array, variance: Float64Array, eps: number, gamma: Float32Array, beta: Float32Array): void {
  const what = 'normForward';
  const size = checkApplyArguments(x, xOffset, out, outOffset, layout, eps, gamma, beta, what);
  checkStatisticsArrays(mean, variance, layout.outer * layout.channels, what);
  if (size === 0) return;
  const view = canonicalLayout(layout);
  computeStatistics(x, xOffset, view, mean, variance);
  applyNormalization(x, xOffset, out, outOffset, view, mean, variance, eps, gamma, beta);
}

// ---------------------------------------------------------------------------------------------
// Validation: a kernel must never read or write out of bounds silently.

const LAYOUT_FIELDS = ['outer', 'reduceOuter', 'channels', 'reduceInner', 'affineStride', 'affineCount'] as const;

/** Checks the layout's fields and returns the view's element count. */
function checkLayout(layout: NormLayout, what: string): number {
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
function checkSpan(array: Float32Array, offset: number, size: number, name: string, offsetName: string, what: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new GluonError(`${what}: expected ${offsetName} to be a non-negative integer, but got ${String(offset)}`);
  }
  if (offset + size > array.length) {
    throw new GluonError(`${what}: expected ${name} to have at least ${offset + size} elements (${offsetName} ${offset} + view size ${size}), but got ${array.length}`);
  }
}

function checkStatisticsArrays(mean: Float64Array, variance: Float64Array, groups: number, what: string): void {
  for (const [name, array] of [['mean', mean], ['variance', variance]] as const) {
    if (array.length < groups) {
      throw new GluonError(`${what}: expected ${name} to have at least ${groups} elements (outer·channels), but got ${array.length}`);
    }
  }
  if (groups > 0 && overlap(mean, 0, variance, 0, groups) !== 'disjoint') {
    throw new GluonError(`${what}: expected mean and variance to be separate arrays, but got overlapping views of one buffer`);
  }
}

function checkApplyArguments(x: Float32Array, xOffset: number, out: Float32Array, outOffset: number, layout: NormLayout,
  eps: number, gamma: Float32Array, beta: Float32Array, what: string): number {
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
  return size;
}

/** How `a[aStart .. aStart+n)` and `b[bStart .. bStart+n)` share memory (same element type). */
function overlap(a: Float32Array | Float64Array, aStart: number, b: Float32Array | Float64Array, bStart: number, n: number): 'same' | 'partial' | 'disjoint' {
  if (a.buffer !== b.buffer) return 'disjoint';
  const aByte = a.byteOffset + aStart * a.BYTES_PER_ELEMENT;
  const bByte = b.byteOffset + bStart * b.BYTES_PER_ELEMENT;
  if (aByte === bByte) return 'same';
  const bytes = n * a.BYTES_PER_ELEMENT;
  return aByte < bByte + bytes && bByte < aByte + bytes ? 'partial' : 'disjoint';
}

// ---------------------------------------------------------------------------------------------
// Statistics.

/**
 * With one channel a group is contiguous over reduceOuter × reduceInner, so fold reduceOuter into
 * the run: longer runs, same flat indices (the affine index depends only on the flat index).
 */
function canonicalLayout(layout: NormLayout): NormLayout {
  const { outer, reduceOuter, channels, reduceInner, affineStride, affineCount } = layout;
  if (channels !== 1 || reduceOuter === 1) return { outer, reduceOuter, channels, reduceInner, affineStride, affineCount };
  return { outer, reduceOuter: 1, channels: 1, reduceInner: reduceOuter * reduceInner, affineStride, affineCount };
}

function computeStatistics(x: Float32Array, xOffset: number, view: NormLayout, mean: Float64Array, variance: Float64Array): void {
  const { outer, reduceOuter, channels, reduceInner } = view;
  const rowLength = channels * reduceInner;
  const shift = new Float64Array(channels);
  for (let o = 0; o < outer; o++) {
    const base = xOffset + o * reduceOuter * rowLength;
    const g0 = o * channels;
    for (let c = 0; c < channels; c++) {
      shift[c] = x[base + c * reduceInner];
      mean[g0 + c] = 0;
      variance[g0 + c] = 0;
    }
    // mean/variance hold Σd and Σd² (d = x − shift) until finishStatistics turns them into moments.
    for (let r = 0; r < reduceOuter; r++) {
      const row = base + r * rowLength;
      if (reduceInner === 1) accumulateRow(x, row, channels, shift, mean, variance, g0);
      else for (let c = 0; c < channels; c++) accumulateRun(x, row + c * reduceInner, reduceInner, shift[c], mean, variance, g0 + c);
    }
    finishStatistics(shift, reduceOuter * reduceInner, mean, variance, g0);
  }
}

/** Adds Σd and Σd² of one contiguous run to sums[g], squares[g]; two chains hide add latency. */
function accumulateRun(x: Float32Array, start: number, n: number, shift: number, sums: Float64Array, squares: Float64Array, g: number): void {
  let s0 = 0, s1 = 0, q0 = 0, q1 = 0;
  const end = start + n;
  const pairedEnd = start + (n & ~1);
  let p = start;
  for (; p < pairedEnd; p += 2) {
    const d0 = x[p] - shift;
    const d1 = x[p + 1] - shift;
    s0 += d0; q0 += d0 * d0;
    s1 += d1; q1 += d1 * d1;
  }
  if (p < end) {
    const d = x[p] - shift;
    s0 += d; q0 += d * d;
  }
  sums[g] += s0 + s1;
  squares[g] += q0 + q1;
}

/** Channels-last: one element per group, streamed in memory order into per-channel accumulators. */
function accumulateRow(x: Float32Array, start: number, channels: number, shift: Float64Array, sums: Float64Array, squares: Float64Array, g0: number): void {
  for (let c = 0; c < channels; c++) {
    const d = x[start + c] - shift[c];
    sums[g0 + c] += d;
    squares[g0 + c] += d * d;
  }
}

/** Σd, Σd² → mean = K + Σd/n, variance = (Σd² − (Σd)²/n)/n (clamped at 0; NaN stays NaN). */
function finishStatistics(shift: Float64Array, n: number, mean: Float64Array, variance: Float64Array, g0: number): void {
  for (let c = 0; c < shift.length; c++) {
    const sum = mean[g0 + c];
    const offsetMean = sum / n;
    mean[g0 + c] = shift[c] + offsetMean;
    variance[g0 + c] = Math.max(0, (variance[g0 + c] - sum * offsetMean) / n);
  }
}

// ---------------------------------------------------------------------------------------------
// Apply.

/** What the apply loops read; gathered once per call, copied into locals by each block loop. */
interface ApplyPlan {
  x: Float32Array; xOffset: number; out: Float32Array; outOffset: number;
  mean: Float64Array; gamma: Float32Array; beta: Float32Array; view: NormLayout;
  /** rstd of the current outer index's groups, already times gamma[c] when `perChannel`. */
  scale: Float64Array;
  /** The affine index of every element is its channel c (InstanceNorm, BatchNorm, GroupNorm). */
  perChannel: boolean;
}

type BlockLoop = (plan: ApplyPlan, o: number) => void;

function applyNormalization(x: Float32Array, xOffset: number, out: Float32Array, outOffset: number, view: NormLayout,
  mean: Float64Array, variance: Float64Array, eps: number, gamma: Float32Array, beta: Float32Array): void {
  const { outer, channels } = view;
  const perChannel = view.affineStride === view.reduceInner && view.affineCount === channels;
  const plan: ApplyPlan = { x, xOffset, out, outOffset, mean, gamma, beta, view, scale: new Float64Array(channels), perChannel };
  const loop = chooseBlockLoop(view, perChannel);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const rstd = 1 / Math.sqrt(variance[o * channels + c] + eps);
      plan.scale[c] = perChannel ? rstd * gamma[c] : rstd;
    }
    loop(plan, o);
  }
}

function chooseBlockLoop(view: NormLayout, perChannel: boolean): BlockLoop {
  const { reduceInner, affineStride, affineCount } = view;
  if (reduceInner === 1) return perChannel ? applyRowsPerChannel : applyGeneric;
  if (affineCount === 1 || affineStride % reduceInner === 0) return applyRunsConstantAffine;
  if (affineStride === 1) return applyRunsStrideOne;
  return applyGeneric;
}

/** Affine constant over each run (NCHW InstanceNorm, BatchNorm, GroupNorm): scalar k and b per run. */
function applyRunsConstantAffine(plan: ApplyPlan, o: number): void {
  const { x, xOffset, out, outOffset, mean, gamma, beta, scale, perChannel } = plan;
  const { reduceOuter, channels, reduceInner: n, affineStride, affineCount } = plan.view;
  const g0 = o * channels;
  let j = o * reduceOuter * channels * n;
  for (let r = 0; r < reduceOuter; r++) {
    for (let c = 0; c < channels; c++, j += n) {
      const a = perChannel ? c : Math.floor(j / affineStride) % affineCount;
      const k = perChannel ? scale[c] : scale[c] * gamma[a];
      const m = mean[g0 + c];
      const b = beta[a];
      const xp = xOffset + j, op = outOffset + j;
      for (let i = 0; i < n; i++) out[op + i] = (x[xp + i] - m) * k + b;
    }
  }
}

/** affineStride = 1 (LayerNorm over the last axis): the affine index steps with every element. */
function applyRunsStrideOne(plan: ApplyPlan, o: number): void {
  const { x, xOffset, out, outOffset, mean, gamma, beta, scale } = plan;
  const { reduceOuter, channels, reduceInner: n, affineCount } = plan.view;
  const g0 = o * channels;
  let j = o * reduceOuter * channels * n;
  for (let r = 0; r < reduceOuter; r++) {
    for (let c = 0; c < channels; c++, j += n) {
      const m = mean[g0 + c], s = scale[c];
      const xp = xOffset + j, op = outOffset + j;
      let a = j % affineCount;
      for (let i = 0; i < n; i++) {
        out[op + i] = (x[xp + i] - m) * (s * gamma[a]) + beta[a];
        if (++a === affineCount) a = 0;
      }
    }
  }
}

/** Channels-last with per-channel affine: stream each row of `channels` elements in order. */
function applyRowsPerChannel(plan: ApplyPlan, o: number): void {
  const { x, out, mean, beta, scale } = plan;
  const { reduceOuter, channels } = plan.view;
  const g0 = o * channels;
  const start = o * reduceOuter * channels;
  let xp = plan.xOffset + start, op = plan.outOffset + start;
  for (let r = 0; r < reduceOuter; r++) {
    for (let c = 0; c < channels; c++) out[op++] = (x[xp++] - mean[g0 + c]) * scale[c] + beta[c];
  }
}

/** Any layout: the affine index (q, remainder) is stepped along with the flat index. */
function applyGeneric(plan: ApplyPlan, o: number): void {
  const { x, out, mean, gamma, beta, scale } = plan;
  const { reduceOuter, channels, reduceInner: n, affineStride, affineCount } = plan.view;
  const g0 = o * channels;
  const start = o * reduceOuter * channels * n;
  let q = Math.floor(start / affineStride) % affineCount;
  let remainder = start % affineStride;
  let xp = plan.xOffset + start, op = plan.outOffset + start;
  for (let r = 0; r < reduceOuter; r++) {
    for (let c = 0; c < channels; c++) {
      const m = mean[g0 + c], s = scale[c];
      for (let i = 0; i < n; i++) {
        out[op++] = (x[xp++] - m) * (s * gamma[q]) + beta[q];
        if (++remainder === affineStride) {
          remainder = 0;
          if (++q === affineCount) q = 0;
        }
      }
    }
  }
}
