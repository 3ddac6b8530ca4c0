/**
 * Backward of the shared normalization kernel (`normalization.ts`): the gradients of
 * `out = (x − mean)·rstd·gamma[a] + beta[a]`, rstd = 1/sqrt(variance + eps), for every
 * {@link NormLayout}, from the statistics the forward left behind.
 *
 * Per group of n elements, with x̂ = (x − mean)·rstd and g = gamma of each element (LayerNorm's
 * gamma varies inside a group, so g is taken per element):
 *
 *   batch statistics (mean and variance depend on x):
 *     dx = rstd·(g·dy − mean(g·dy) − x̂·mean(g·dy·x̂))
 *   constant statistics (BatchNorm with running statistics: inference or useGlobalStats):
 *     dx = rstd·g·dy
 *   both:  dgamma[a] = Σ dy·x̂,  dbeta[a] = Σ dy   (over every element whose affine index is a)
 *
 * Numerics: the per-group sums and dgamma/dbeta are accumulated in float64; each dx is computed
 * in float64 and rounded once. Within a *segment* (consecutive elements sharing a group and an
 * affine index) gamma is constant, so Σ g·dy = g·Σ dy: one multiply per segment, not per element.
 *
 * Memory: float64 scratch of length `channels` (per-block sums) and `affineCount`, nothing the size
 * of the input. Two passes per outer block, in memory order; NCHW runs and channels-last rows
 * take the WebAssembly SIMD passes of normalization_simd.ts where available, as the forward does.
 */
import { GluonError } from '../../core/errors';
import { Region, checkLayout, checkSpan, checkStatisticsArrays, checkWrittenRegions, overlap } from './norm_checks';
import { canonicalLayout } from './norm_layouts';
import { simdBackwardPasses } from './normalization_simd';
import type { NormLayout } from './normalization';

/**
 * Gradients of {@link normForward}'s output when mean and variance were computed from `x` (every
 * normalization in training, InstanceNorm/LayerNorm/GroupNorm always): writes `dx` (the view's
 * size, from `dxOffset`), `dgamma[0..affineCount)` and `dbeta[0..affineCount)` (overwritten).
 *
 * `mean`/`variance` are the forward's statistics (length ≥ outer·channels), `eps` the forward's eps
 * (finite, ≥ 0), `gamma` the forward's gamma (≥ affineCount values). `dx` may be `dy` or `x` itself
 * (in place) but must not partially overlap either; `dgamma` and `dbeta` must be disjoint. An empty
 * view leaves every output untouched (callers start from zeros).
 *
 * @example
 * // One group [1, 3] (mean 2, variance 1, eps 0, gamma 1): x̂ = [-1, 1].
 * const dx = new Float32Array(2), dgamma = new Float32Array(1), dbeta = new Float32Array(1);
 * normBackward(new Float32Array([1, 3]), 0, new Float32Array([1, 0]), 0, dx, 0,
 *   { outer: 1, reduceOuter: 1, channels: 1, reduceInner: 2, affineStride: 2, affineCount: 1 },
 *   new Float64Array([2]), new Float64Array([1]), 0, new Float32Array([1]), dgamma, dbeta);
 * // dx = [0, 0] (two values always normalize to ±1), dgamma = [-1], dbeta = [1]
 */
export function normBackward(x: Float32Array, xOffset: number, dy: Float32Array, dyOffset: number, dx: Float32Array, dxOffset: number,
  layout: NormLayout, mean: Float64Array, variance: Float64Array, eps: number, gamma: Float32Array, dgamma: Float32Array, dbeta: Float32Array): void {
  const args: BackwardArgs = { x, xOffset, dy, dyOffset, dx, dxOffset, layout, mean, variance, eps, gamma, dgamma, dbeta };
  backward(args, true, 'normBackward');
}

/**
 * Gradients when mean and variance are constants (BatchNorm on its running statistics, in
 * inference or with useGlobalStats): `dx = rstd·gamma·dy`; dgamma and dbeta as in
 * {@link normBackward}, with the same arguments and rules (`mean`/`variance` are the statistics
 * the forward used).
 *
 * @example
 * // Running mean 2, variance 4, eps 0 (rstd 0.5), gamma 3: dx = 1.5·dy.
 * const dx = new Float32Array(2), dgamma = new Float32Array(1), dbeta = new Float32Array(1);
 * normBackwardFixedStatistics(new Float32Array([0, 6]), 0, new Float32Array([1, 2]), 0, dx, 0,
 *   { outer: 1, reduceOuter: 2, channels: 1, reduceInner: 1, affineStride: 1, affineCount: 1 },
 *   new Float64Array([2]), new Float64Array([4]), 0, new Float32Array([3]), dgamma, dbeta);
 * // dx = [1.5, 3], dgamma = [1·(-1) + 2·2] = [3], dbeta = [3]
 */
export function normBackwardFixedStatistics(x: Float32Array, xOffset: number, dy: Float32Array, dyOffset: number, dx: Float32Array, dxOffset: number,
  layout: NormLayout, mean: Float64Array, variance: Float64Array, eps: number, gamma: Float32Array, dgamma: Float32Array, dbeta: Float32Array): void {
  const args: BackwardArgs = { x, xOffset, dy, dyOffset, dx, dxOffset, layout, mean, variance, eps, gamma, dgamma, dbeta };
  backward(args, false, 'normBackwardFixedStatistics');
}

interface BackwardArgs {
  x: Float32Array; xOffset: number; dy: Float32Array; dyOffset: number; dx: Float32Array; dxOffset: number;
  layout: NormLayout; mean: Float64Array; variance: Float64Array; eps: number;
  gamma: Float32Array; dgamma: Float32Array; dbeta: Float32Array;
}

/** The running state of one backward: the arguments plus float64 accumulators. */
export interface BackwardPlan extends BackwardArgs {
  /** rstd of the current block's groups, by channel. */
  rstd: Float64Array;
  /** Σ g·dy and Σ g·dy·x̂ of the current block's groups, by channel, after pass 1; pass 2 reads their means (0 with constant statistics). */
  sumG: Float64Array;
  sumGX: Float64Array;
  /** Σ dy·x̂ and Σ dy by affine index, over all blocks. */
  gammaSums: Float64Array;
  betaSums: Float64Array;
  /** Per-channel coefficients of dx = A·dy + B·(x − m) + K for the channels-last rows pass. */
  coefA: Float64Array;
  coefB: Float64Array;
  coefK: Float64Array;
}

function backward(args: BackwardArgs, batchStatistics: boolean, what: string): void {
  const size = checkBackwardArguments(args, what);
  if (size === 0) return;
  // Each NCHW group its own block: pass 2 then rereads it from cache (see canonicalLayout).
  const layout = canonicalLayout(args.layout);
  const { channels, affineCount, outer, reduceOuter, reduceInner } = layout;
  const plan: BackwardPlan = {
    ...args, layout,
    rstd: new Float64Array(channels), sumG: new Float64Array(channels), sumGX: new Float64Array(channels),
    gammaSums: new Float64Array(affineCount), betaSums: new Float64Array(affineCount),
    coefA: new Float64Array(channels), coefB: new Float64Array(channels), coefK: new Float64Array(channels),
  };
  const n = reduceOuter * reduceInner;
  const passes = simdBackwardPasses(layout) ?? choosePasses(layout);
  passes.begin?.(plan);
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      plan.rstd[c] = 1 / Math.sqrt(args.variance[o * channels + c] + args.eps);
      plan.sumG[c] = 0;
      plan.sumGX[c] = 0;
    }
    passes.sums(plan, o);
    // With batch statistics dx subtracts the group means of g·dy and g·dy·x̂; with constant ones, nothing.
    for (let c = 0; c < channels; c++) {
      plan.sumG[c] = batchStatistics ? plan.sumG[c] / n : 0;
      plan.sumGX[c] = batchStatistics ? plan.sumGX[c] / n : 0;
    }
    passes.dx(plan, o);
  }
  passes.end?.(plan);
  for (let a = 0; a < affineCount; a++) {
    args.dgamma[a] = plan.gammaSums[a];
    args.dbeta[a] = plan.betaSums[a];
  }
}

/** How an outer block is walked: `sums` fills sumG/sumGX and the affine sums, `dx` writes dx. */
export interface BlockPasses {
  sums: (plan: BackwardPlan, o: number) => void;
  dx: (plan: BackwardPlan, o: number) => void;
  /** Before the first block and after the last (the SIMD passes' per-call setup and totals). */
  begin?: (plan: BackwardPlan) => void;
  end?: (plan: BackwardPlan) => void;
}

const ROW_PASSES: BlockPasses = { sums: sumRows, dx: dxRows };
const STRIDE_ONE_PASSES: BlockPasses = { sums: (plan, o) => forEachRun(plan, o, sumRunStrideOne), dx: (plan, o) => forEachRun(plan, o, dxRunStrideOne) };
const SEGMENT_PASSES: BlockPasses = { sums: (plan, o) => forEachRun(plan, o, sumRun), dx: (plan, o) => forEachRun(plan, o, dxRun) };

/**
 * Channels-last with gamma per channel (InstanceNorm/BatchNorm NHWC) walks rows of `channels`
 * elements; an affine index stepping with every element (LayerNorm's last axis) steps a counter;
 * every other layout walks runs split into constant-gamma segments (one per run for NCHW).
 */
function choosePasses(layout: NormLayout): BlockPasses {
  const { reduceInner, channels, affineStride, affineCount } = layout;
  if (reduceInner === 1 && affineStride === 1 && affineCount === channels) return ROW_PASSES;
  return affineStride === 1 ? STRIDE_ONE_PASSES : SEGMENT_PASSES;
}

type RunVisitor = (plan: BackwardPlan, start: number, length: number, o: number, c: number) => void;

/** Calls `visit` for every contiguous run of one group in outer block `o`, in memory order. */
function forEachRun(plan: BackwardPlan, o: number, visit: RunVisitor): void {
  const { reduceOuter, channels, reduceInner } = plan.layout;
  let start = o * reduceOuter * channels * reduceInner;
  for (let r = 0; r < reduceOuter; r++) {
    for (let c = 0; c < channels; c++, start += reduceInner) visit(plan, start, reduceInner, o, c);
  }
}

/** The end of the segment starting at flat index j: the next affine boundary, or the run's end. */
function segmentEnd(j: number, end: number, affineStride: number): number {
  return Math.min(end, (Math.floor(j / affineStride) + 1) * affineStride);
}

/** Pass 1 over a run: group sums Σ g·dy, Σ g·dy·x̂ and affine sums Σ dy, Σ dy·x̂. */
function sumRun(plan: BackwardPlan, start: number, length: number, o: number, c: number): void {
  const { gamma, gammaSums, betaSums } = plan;
  const { affineStride, affineCount, channels } = plan.layout;
  const m = plan.mean[o * channels + c], s = plan.rstd[c];
  const end = start + length;
  for (let j = start; j < end;) {
    const a = Math.floor(j / affineStride) % affineCount;
    const stop = segmentEnd(j, end, affineStride);
    segmentSums(plan.x, plan.xOffset, plan.dy, plan.dyOffset, j, stop, m);
    j = stop;
    const sumDy = SEGMENT_SUMS[0], sumDyX = SEGMENT_SUMS[1] * s;
    betaSums[a] += sumDy;
    gammaSums[a] += sumDyX;
    plan.sumG[c] += gamma[a] * sumDy;
    plan.sumGX[c] += gamma[a] * sumDyX;
  }
}

/** Where `segmentSums` leaves Σ dy and Σ dy·(x − m): no array is allocated per segment. */
const SEGMENT_SUMS = new Float64Array(2);

/**
 * Σ dy and Σ dy·(x − m) over elements [start, stop) of the view, into SEGMENT_SUMS, with four
 * independent accumulators each: one chain of dependent float64 additions would bound the loop
 * by the adder's latency, not by memory. Plain array and number arguments keep it monomorphic.
 */
function segmentSums(x: Float32Array, xOffset: number, dy: Float32Array, dyOffset: number, start: number, stop: number, m: number): void {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, p0 = 0, p1 = 0, p2 = 0, p3 = 0;
  const shift = xOffset - dyOffset;
  const end = dyOffset + stop;
  let i = dyOffset + start;
  // The odd elements go first: a remainder loop after the long loop would be reached by
  // on-stack-replaced code with no type feedback for it, and deoptimize on every call.
  for (const headEnd = i + ((stop - start) & 3); i < headEnd; i++) {
    s0 += dy[i];
    p0 += dy[i] * (x[i + shift] - m);
  }
  for (; i < end; i += 4) {
    const d0 = dy[i], d1 = dy[i + 1], d2 = dy[i + 2], d3 = dy[i + 3];
    s0 += d0; s1 += d1; s2 += d2; s3 += d3;
    p0 += d0 * (x[i + shift] - m);
    p1 += d1 * (x[i + shift + 1] - m);
    p2 += d2 * (x[i + shift + 2] - m);
    p3 += d3 * (x[i + shift + 3] - m);
  }
  SEGMENT_SUMS[0] = (s0 + s1) + (s2 + s3);
  SEGMENT_SUMS[1] = (p0 + p1) + (p2 + p3);
}

/** Pass 2 over a run: dx = rstd·(g·dy − meanG − x̂·meanGX), the means already in sumG/sumGX. */
function dxRun(plan: BackwardPlan, start: number, length: number, o: number, c: number): void {
  const { affineStride, affineCount, channels } = plan.layout;
  const m = plan.mean[o * channels + c], s = plan.rstd[c];
  // dx = s·(g·dy − mean(g·dy) − x̂·mean(g·dy·x̂)) with x̂ = (x − m)·s, as A·dy + B·(x − m) + K.
  const b = -s * s * plan.sumGX[c], k = -s * plan.sumG[c];
  const end = start + length;
  for (let j = start; j < end;) {
    const a = s * plan.gamma[Math.floor(j / affineStride) % affineCount];
    const stop = segmentEnd(j, end, affineStride);
    dxSegment(plan.x, plan.xOffset, plan.dy, plan.dyOffset, plan.dx, plan.dxOffset, j, stop, a, b, k, m);
    j = stop;
  }
}

/** dx = a·dy + b·(x − m) + k over elements [start, stop) of the view. */
function dxSegment(x: Float32Array, xOffset: number, dy: Float32Array, dyOffset: number, dx: Float32Array, dxOffset: number,
  start: number, stop: number, a: number, b: number, k: number, m: number): void {
  for (let j = start; j < stop; j++) dx[dxOffset + j] = a * dy[dyOffset + j] + b * (x[xOffset + j] - m) + k;
}

/** Pass 1 when the affine index steps with every element (affineStride 1): a wrapping counter. */
function sumRunStrideOne(plan: BackwardPlan, start: number, length: number, o: number, c: number): void {
  const { x, xOffset, dy, dyOffset, gamma, gammaSums, betaSums } = plan;
  const { affineCount, channels } = plan.layout;
  const m = plan.mean[o * channels + c], s = plan.rstd[c];
  let a = start % affineCount, sumG = 0, sumGX = 0;
  for (let j = start; j < start + length; j++) {
    const d = dy[dyOffset + j];
    const dX = d * ((x[xOffset + j] - m) * s);
    betaSums[a] += d;
    gammaSums[a] += dX;
    sumG += gamma[a] * d;
    sumGX += gamma[a] * dX;
    if (++a === affineCount) a = 0;
  }
  plan.sumG[c] += sumG;
  plan.sumGX[c] += sumGX;
}

/** Pass 2 when the affine index steps with every element. */
function dxRunStrideOne(plan: BackwardPlan, start: number, length: number, o: number, c: number): void {
  const { x, xOffset, dy, dyOffset, dx, dxOffset, gamma } = plan;
  const { affineCount, channels } = plan.layout;
  const m = plan.mean[o * channels + c], s = plan.rstd[c];
  const meanG = plan.sumG[c], meanGX = plan.sumGX[c];
  let a = start % affineCount;
  for (let j = start; j < start + length; j++) {
    const xHat = (x[xOffset + j] - m) * s;
    dx[dxOffset + j] = s * (gamma[a] * dy[dyOffset + j] - meanG - xHat * meanGX);
    if (++a === affineCount) a = 0;
  }
}

/**
 * Pass 1 for channels-last with gamma per channel: stream the block's rows in memory order into
 * per-channel Σ dy and Σ dy·x̂ (held in sumG/sumGX), four rows per step so each accumulator is
 * updated once per four elements, then weight them by gamma[c] once.
 */
function sumRows(plan: BackwardPlan, o: number): void {
  const { reduceOuter: rows, channels: C } = plan.layout;
  const start = o * rows * C;
  const odd = rows & 3;
  // The odd rows go first: see segmentSums on why a remainder loop must not follow the long one.
  if (odd > 0) sumRowRange(plan.x, plan.xOffset + start, plan.dy, plan.dyOffset + start, odd, C, plan.mean, o * C, plan.rstd, plan.sumG, plan.sumGX);
  sumRowRange(plan.x, plan.xOffset + start + odd * C, plan.dy, plan.dyOffset + start + odd * C, rows - odd, C, plan.mean, o * C, plan.rstd, plan.sumG, plan.sumGX);
  const { gamma, gammaSums, betaSums, sumG, sumGX } = plan;
  for (let c = 0; c < C; c++) {
    betaSums[c] += sumG[c];
    gammaSums[c] += sumGX[c];
    sumG[c] *= gamma[c];
    sumGX[c] *= gamma[c];
  }
}

/**
 * Adds Σ dy and Σ dy·x̂ per channel over `rows` rows of C channels: four rows at a time when
 * `rows` is a multiple of four (each channel's mean and rstd loaded once per four rows), else
 * row by row.
 */
function sumRowRange(x: Float32Array, xp: number, dy: Float32Array, dp: number, rows: number, C: number,
  mean: Float64Array, g0: number, rstd: Float64Array, sumG: Float64Array, sumGX: Float64Array): void {
  if (rows % 4 !== 0) {
    for (let r = 0; r < rows; r++, xp += C, dp += C) {
      for (let c = 0; c < C; c++) {
        sumG[c] += dy[dp + c];
        sumGX[c] += dy[dp + c] * (x[xp + c] - mean[g0 + c]) * rstd[c];
      }
    }
    return;
  }
  for (let r = 0; r < rows; r += 4, xp += 4 * C, dp += 4 * C) {
    for (let c = 0; c < C; c++) {
      const m = mean[g0 + c];
      const d0 = dy[dp + c], d1 = dy[dp + C + c], d2 = dy[dp + 2 * C + c], d3 = dy[dp + 3 * C + c];
      sumG[c] += (d0 + d1) + (d2 + d3);
      sumGX[c] += ((d0 * (x[xp + c] - m) + d1 * (x[xp + C + c] - m)) + (d2 * (x[xp + 2 * C + c] - m) + d3 * (x[xp + 3 * C + c] - m))) * rstd[c];
    }
  }
}

/** Pass 2 for channels-last with gamma per channel, in memory order. */
function dxRows(plan: BackwardPlan, o: number): void {
  const { rstd, gamma, sumG: meanG, sumGX: meanGX, coefA, coefB, coefK } = plan;
  const { reduceOuter: rows, channels: C } = plan.layout;
  // dx = A·dy + B·(x − m) + K per channel (see dxRun), the coefficients computed once per block.
  for (let c = 0; c < C; c++) {
    const s = rstd[c];
    coefA[c] = s * gamma[c];
    coefB[c] = -s * s * meanGX[c];
    coefK[c] = -s * meanG[c];
  }
  const start = o * rows * C;
  const odd = rows & 3;
  const range = (first: number, count: number) => dxRowRange(plan.x, plan.xOffset + first, plan.dy, plan.dyOffset + first,
    plan.dx, plan.dxOffset + first, count, C, plan.mean, o * C, coefA, coefB, coefK);
  // The odd rows first, as in sumRows.
  if (odd > 0) range(start, odd);
  range(start + odd * C, rows - odd);
}

/** dx of `rows` rows of C channels: four rows at a time when `rows` is a multiple of four, else row by row. */
function dxRowRange(x: Float32Array, xp: number, dy: Float32Array, dp: number, dx: Float32Array, op: number, rows: number, C: number,
  mean: Float64Array, g0: number, coefA: Float64Array, coefB: Float64Array, coefK: Float64Array): void {
  if (rows % 4 !== 0) {
    for (let r = 0; r < rows; r++, xp += C, dp += C, op += C) {
      for (let c = 0; c < C; c++) dx[op + c] = coefA[c] * dy[dp + c] + coefB[c] * (x[xp + c] - mean[g0 + c]) + coefK[c];
    }
    return;
  }
  for (let r = 0; r < rows; r += 4, xp += 4 * C, dp += 4 * C, op += 4 * C) {
    for (let c = 0; c < C; c++) {
      const a = coefA[c], b = coefB[c], k = coefK[c], m = mean[g0 + c];
      dx[op + c] = a * dy[dp + c] + b * (x[xp + c] - m) + k;
      dx[op + C + c] = a * dy[dp + C + c] + b * (x[xp + C + c] - m) + k;
      dx[op + 2 * C + c] = a * dy[dp + 2 * C + c] + b * (x[xp + 2 * C + c] - m) + k;
      dx[op + 3 * C + c] = a * dy[dp + 3 * C + c] + b * (x[xp + 3 * C + c] - m) + k;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Validation, as the forward's: a kernel never reads or writes out of bounds silently.

function checkBackwardArguments(args: BackwardArgs, what: string): number {
  const { layout, eps } = args;
  const size = checkLayout(layout, what);
  checkSpan(args.x, args.xOffset, size, 'x', 'xOffset', what);
  checkSpan(args.dy, args.dyOffset, size, 'dy', 'dyOffset', what);
  checkSpan(args.dx, args.dxOffset, size, 'dx', 'dxOffset', what);
  for (const [name, array, offset] of [['x', args.x, args.xOffset], ['dy', args.dy, args.dyOffset]] as const) {
    if (size > 0 && overlap(args.dx, args.dxOffset, array, offset, size) === 'partial') {
      throw new GluonError(`${what}: expected dx to be ${name} itself (in place) or disjoint from it, but got partially overlapping views of one buffer`);
    }
  }
  const groups = layout.outer * layout.channels;
  checkStatisticsArrays(args.mean, args.variance, groups, what);
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new GluonError(`${what}: expected eps to be a finite number >= 0, but got ${String(eps)}`);
  }
  const count = size > 0 ? layout.affineCount : 0;
  for (const [name, array] of [['gamma', args.gamma], ['dgamma', args.dgamma], ['dbeta', args.dbeta]] as const) {
    if (array.length < count) {
      throw new GluonError(`${what}: expected ${name} to have at least ${count} elements (layout.affineCount), but got ${array.length}`);
    }
  }
  checkAliasing(args, size, count, groups, what);
  return size;
}

/** What the backward writes (dx, dgamma, dbeta) must not overlap anything else it uses (dx may be x or dy itself). */
function checkAliasing(args: BackwardArgs, size: number, count: number, groups: number, what: string): void {
  const inputs: Region[] = [['mean', args.mean, 0, groups], ['variance', args.variance, 0, groups], ['gamma', args.gamma, 0, count]];
  const dgamma: Region = ['dgamma', args.dgamma, 0, count], dbeta: Region = ['dbeta', args.dbeta, 0, count];
  checkWrittenRegions([['dx', args.dx, args.dxOffset, size]], [...inputs, dgamma, dbeta], what);
  checkWrittenRegions([dgamma], [['x', args.x, args.xOffset, size], ['dy', args.dy, args.dyOffset, size], ...inputs, dbeta], what);
  checkWrittenRegions([dbeta], [['x', args.x, args.xOffset, size], ['dy', args.dy, args.dyOffset, size], ...inputs], what);
}
