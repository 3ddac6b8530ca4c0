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
 *
 * Loops: those two layouts, and LayerNorm's rows with gamma/beta per element, run on WebAssembly
 * SIMD loops, about twice as fast, through fixed regions of their module's memory
 * (normalization_simd.ts);
 * every other layout, and every layout where WebAssembly SIMD is missing or TSGLUON_SIMD=0 is
 * set, runs on the JavaScript loops below. Both compute the same formulas in float64.
 */
import { checkApplyArguments, checkLayout, checkSpan, checkStatisticsArrays, checkWrittenRegions } from './norm_checks';
import { canonicalLayout } from './norm_layouts';
import { finishMoments } from './norm_moments';
import { ForwardBlockArgs, simdNormalize } from './normalization_simd';
import { normalizeInKernelMemory } from './norm_wasm';
import { FusedActivation, activateInPlace } from './fused_activation';

// The argument checks are shared with normalization_backward.ts, which imports them from here.
export { checkLayout, checkSpan, checkStatisticsArrays, overlap } from './norm_checks';

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
  const groups = layout.outer * layout.channels;
  checkStatisticsArrays(mean, variance, groups, what);
  checkWrittenRegions([['mean', mean, 0, groups], ['variance', variance, 0, groups]], [['x', x, xOffset, size]], what);
  if (size === 0) return;
  const view = canonicalLayout(layout);
  const shift = new Float64Array(view.channels);
  for (let o = 0; o < view.outer; o++) statisticsBlock(x, xOffset, view, o, shift, mean, variance);
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
 * `activation` (a fused activation from the cached graph) is applied to each rounded output.
 *
 * @example
 * const out = new Float32Array(4);
 * normApply(new Float32Array([1, 3, 5, 9]), 0, out, 0,
 *   { outer: 2, reduceOuter: 1, channels: 1, reduceInner: 2, affineStride: 2, affineCount: 1 },
 *   new Float64Array([2, 7]), new Float64Array([1, 4]), 0, new Float32Array([2]), new Float32Array([0.5]));
 * // out = [-1.5, 2.5, -1.5, 2.5]
 */
export function normApply(x: Float32Array, xOffset: number, out: Float32Array, outOffset: number, layout: NormLayout,
  mean: Float64Array, variance: Float64Array, eps: number, gamma: Float32Array, beta: Float32Array, activation?: FusedActivation): void {
  const size = checkApplyArguments({ x, xOffset, out, outOffset, layout, mean, variance, eps, gamma, beta }, false, 'normApply');
  if (size > 0) normalizeBlocks({ x, xOffset, out, outOffset, view: canonicalLayout(layout), mean, variance, eps, gamma, beta, withStatistics: false, activation });
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
  mean: Float64Array, variance: Float64Array, eps: number, gamma: Float32Array, beta: Float32Array, activation?: FusedActivation): void {
  const size = checkApplyArguments({ x, xOffset, out, outOffset, layout, mean, variance, eps, gamma, beta }, true, 'normForward');
  if (size > 0) normalizeBlocks({ x, xOffset, out, outOffset, view: canonicalLayout(layout), mean, variance, eps, gamma, beta, withStatistics: true, activation });
}

// ---------------------------------------------------------------------------------------------
// Statistics. Groups are processed one outer index at a time (a "block"), so normForward can
// normalize a block right after measuring it, while it is still in cache.

/** Mean and variance of the groups (o, ·); `shift` is scratch of length `channels`. */
function statisticsBlock(x: Float32Array, xOffset: number, view: NormLayout, o: number, shift: Float64Array, mean: Float64Array, variance: Float64Array): void {
  const { reduceOuter, channels, reduceInner } = view;
  const rowLength = channels * reduceInner;
  const base = xOffset + o * reduceOuter * rowLength;
  const g0 = o * channels;
  for (let c = 0; c < channels; c++) {
    shift[c] = x[base + c * reduceInner];
    mean[g0 + c] = 0;
    variance[g0 + c] = 0;
  }
  // mean/variance hold Σd and Σd² (d = x − shift) until finishStatistics turns them into moments.
  if (reduceInner === 1) accumulateRows(x, base, reduceOuter, channels, shift, mean, variance, g0);
  else {
    for (let r = 0; r < reduceOuter; r++) {
      const row = base + r * rowLength;
      for (let c = 0; c < channels; c++) accumulateRun(x, row + c * reduceInner, reduceInner, shift[c], mean, variance, g0 + c);
    }
  }
  finishStatistics(shift, reduceOuter * reduceInner, mean, variance, g0);
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

/**
 * Channels-last (reduceInner = 1): the groups interleave along each row of `channels` values, so
 * stream the rows in order into per-channel accumulators, eight rows per step (the accumulators
 * are then updated once per eight elements; eight rows are a few cache lines per channel).
 */
function accumulateRows(x: Float32Array, start: number, rows: number, channels: number, shift: Float64Array,
  sums: Float64Array, squares: Float64Array, g0: number): void {
  let p = start, r = 0;
  for (; r + 8 <= rows; r += 8, p += 8 * channels) accumulateEightRows(x, p, channels, shift, sums, squares, g0);
  for (; r < rows; r++, p += channels) accumulateRow(x, p, channels, shift, sums, squares, g0);
}

function accumulateRow(x: Float32Array, p: number, C: number, shift: Float64Array, sums: Float64Array, squares: Float64Array, g0: number): void {
  for (let c = 0; c < C; c++) {
    const d = x[p + c] - shift[c];
    sums[g0 + c] += d;
    squares[g0 + c] += d * d;
  }
}

function accumulateEightRows(x: Float32Array, p: number, C: number, shift: Float64Array, sums: Float64Array, squares: Float64Array, g0: number): void {
  for (let c = 0; c < C; c++) {
    const k = shift[c];
    const i0 = p + c, i1 = i0 + C, i2 = i1 + C, i3 = i2 + C, i4 = i3 + C, i5 = i4 + C, i6 = i5 + C, i7 = i6 + C;
    const d0 = x[i0] - k, d1 = x[i1] - k, d2 = x[i2] - k, d3 = x[i3] - k;
    const d4 = x[i4] - k, d5 = x[i5] - k, d6 = x[i6] - k, d7 = x[i7] - k;
    sums[g0 + c] += ((d0 + d1) + (d2 + d3)) + ((d4 + d5) + (d6 + d7));
    squares[g0 + c] += ((d0 * d0 + d1 * d1) + (d2 * d2 + d3 * d3)) + ((d4 * d4 + d5 * d5) + (d6 * d6 + d7 * d7));
  }
}

/** Σd, Σd² (left in mean/variance) → the groups' moments (see finishMoments). */
function finishStatistics(shift: Float64Array, n: number, mean: Float64Array, variance: Float64Array, g0: number): void {
  for (let c = 0; c < shift.length; c++) finishMoments(shift[c], mean[g0 + c], variance[g0 + c], n, mean, variance, g0 + c);
}

// ---------------------------------------------------------------------------------------------
// Apply.

/** What the apply loops read; gathered once per call, copied into locals by each block loop. */
interface ApplyPlan {
  x: Float32Array; xOffset: number; out: Float32Array; outOffset: number;
  mean: Float64Array; gamma: Float32Array; beta: Float32Array; view: NormLayout;
  /** rstd of the current block's groups, times gamma[c] when `perChannel`; also the statistics' shift scratch. */
  scale: Float64Array;
  /** The affine index of every element is its channel c (InstanceNorm, BatchNorm, GroupNorm). */
  perChannel: boolean;
}

type BlockLoop = (plan: ApplyPlan, o: number) => void;

/**
 * For each outer index: (optionally) its statistics, then its normalized output; on the kernel
 * module in place and threaded where x and out lie in the kernel memory (norm_wasm.ts), on the
 * SIMD loops (normalization_simd.ts) where the layout allows, else on the JavaScript loops below.
 */
function normalizeBlocks(args: ForwardBlockArgs): void {
  const { x, xOffset, out, outOffset, view, mean, variance, eps, gamma, beta, withStatistics } = args;
  const { outer, channels } = view;
  if (normalizeInKernelMemory(args) || simdNormalize(args)) return;
  const blockSize = view.reduceOuter * channels * view.reduceInner;
  const perChannel = view.affineStride === view.reduceInner && view.affineCount === channels;
  const scale = new Float64Array(channels);
  const plan: ApplyPlan = { x, xOffset, out, outOffset, mean, gamma, beta, view, scale, perChannel };
  const loop = chooseBlockLoop(view, perChannel);
  for (let o = 0; o < outer; o++) {
    if (withStatistics) statisticsBlock(x, xOffset, view, o, scale, mean, variance);
    for (let c = 0; c < channels; c++) {
      const rstd = 1 / Math.sqrt(variance[o * channels + c] + eps);
      scale[c] = perChannel ? rstd * gamma[c] : rstd;
    }
    loop(plan, o);
    activateInPlace(args.activation, out, outOffset + o * blockSize, blockSize);
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
      applyRun(x, xOffset + j, out, outOffset + j, n, mean[g0 + c], k, beta[a]);
    }
  }
}

/** The hottest loop of NCHW, unrolled by eight (V8 emits scalar code; this halves the loop overhead). */
function applyRun(x: Float32Array, xp: number, out: Float32Array, op: number, n: number, m: number, k: number, b: number): void {
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const p = xp + i, q = op + i;
    out[q] = (x[p] - m) * k + b;
    out[q + 1] = (x[p + 1] - m) * k + b;
    out[q + 2] = (x[p + 2] - m) * k + b;
    out[q + 3] = (x[p + 3] - m) * k + b;
    out[q + 4] = (x[p + 4] - m) * k + b;
    out[q + 5] = (x[p + 5] - m) * k + b;
    out[q + 6] = (x[p + 6] - m) * k + b;
    out[q + 7] = (x[p + 7] - m) * k + b;
  }
  for (; i < n; i++) out[op + i] = (x[xp + i] - m) * k + b;
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

/** Channels-last with per-channel affine: rows of `channels` elements, eight rows per step. */
function applyRowsPerChannel(plan: ApplyPlan, o: number): void {
  const { x, out, mean, beta, scale } = plan;
  const { reduceOuter: rows, channels: C } = plan.view;
  const start = o * rows * C;
  let xp = plan.xOffset + start, op = plan.outOffset + start, r = 0;
  for (; r + 8 <= rows; r += 8, xp += 8 * C, op += 8 * C) applyEightRows(x, xp, out, op, C, mean, o * C, scale, beta);
  for (; r < rows; r++, xp += C, op += C) applyRow(x, xp, out, op, C, mean, o * C, scale, beta);
}

function applyRow(x: Float32Array, xp: number, out: Float32Array, op: number, C: number, mean: Float64Array, g0: number, scale: Float64Array, beta: Float32Array): void {
  for (let c = 0; c < C; c++) out[op + c] = (x[xp + c] - mean[g0 + c]) * scale[c] + beta[c];
}

function applyEightRows(x: Float32Array, xp: number, out: Float32Array, op: number, C: number,
  mean: Float64Array, g0: number, scale: Float64Array, beta: Float32Array): void {
  for (let c = 0; c < C; c++) {
    const m = mean[g0 + c], k = scale[c], b = beta[c];
    const i0 = xp + c, i1 = i0 + C, i2 = i1 + C, i3 = i2 + C, i4 = i3 + C, i5 = i4 + C, i6 = i5 + C, i7 = i6 + C;
    const d = op - xp;
    out[i0 + d] = (x[i0] - m) * k + b;
    out[i1 + d] = (x[i1] - m) * k + b;
    out[i2 + d] = (x[i2] - m) * k + b;
    out[i3 + d] = (x[i3] - m) * k + b;
    out[i4 + d] = (x[i4] - m) * k + b;
    out[i5 + d] = (x[i5] - m) * k + b;
    out[i6 + d] = (x[i6] - m) * k + b;
    out[i7 + d] = (x[i7] - m) * k + b;
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
