/**
 * The normalization kernel's forward blocks and backward passes on the WebAssembly SIMD loops
 * (`simd/norm_simd.ts`), for the two layouts that dominate its use; `normalization.ts` and
 * `normalization_backward.ts` use them where they apply and run their JavaScript loops otherwise.
 * Same formulas, same float64 arithmetic, each output rounded once: only the order of the float64
 * sums differs (the loops keep two-lane vectors).
 *
 *   runs: contiguous runs with one gamma/beta each (InstanceNorm NCHW and GroupNorm: a group is
 *         one run; BatchNorm axis 1: a run per sample and channel);
 *   rows: channels-last rows of C values (C a multiple of 4), gamma/beta per channel
 *         (InstanceNorm and BatchNorm channels-last);
 *   affine rows: a group per row with gamma/beta per element (LayerNorm over the last axis).
 *
 * A block is streamed through the module's memory in chunks: copied in, computed, copied out.
 * A block that fits one chunk is copied in once for both passes (statistics, then apply).
 */
import { FusedActivation, activateInPlace } from './fused_activation';
import type { NormLayout } from './normalization';
import type { BackwardPlan, BlockPasses } from './normalization_backward';
import { finishMoments } from './norm_moments';
import { NormSimd, normSimd } from './simd/norm_simd';

/** What a forward block reads and writes (the arguments of normForward/normApply, canonical view). */
export interface ForwardBlockArgs {
  x: Float32Array; xOffset: number; out: Float32Array; outOffset: number; view: NormLayout;
  mean: Float64Array; variance: Float64Array; eps: number; gamma: Float32Array; beta: Float32Array;
  /** Measure the block's statistics first (normForward), or use the given ones (normApply). */
  withStatistics: boolean;
  /** Applied to each chunk of output in the module's memory before it is copied out. */
  activation?: FusedActivation;
}

export type ForwardBlock = (simd: NormSimd, args: ForwardBlockArgs, o: number) => void;

/** The SIMD block for this view, with the loaded module, or undefined (JavaScript loops). */
export function simdForwardBlock(view: NormLayout): { simd: NormSimd; block: ForwardBlock } | undefined {
  const simd = normSimd();
  if (simd === undefined) return undefined;
  if (isRunLayout(view)) return { simd, block: forwardRuns };
  if (isRowLayout(view, simd)) return { simd, block: forwardRows };
  if (isAffineRowLayout(view, simd)) return { simd, block: forwardAffineRow };
  return undefined;
}

/**
 * Normalizes every block of `args.view` on the SIMD loops and returns true, or returns false
 * when they do not apply (the caller runs its JavaScript loops).
 */
export function simdNormalize(args: ForwardBlockArgs): boolean {
  const chosen = simdForwardBlock(args.view);
  if (chosen === undefined) return false;
  const { simd, block } = chosen;
  if (block === forwardAffineRow) loadAffine(simd, args.gamma, args.beta, args.view.reduceInner);
  for (let o = 0; o < args.view.outer; o++) block(simd, args, o);
  return true;
}

/**
 * Runs with one gamma/beta each (the affine index steps only between runs): NCHW InstanceNorm and
 * GroupNorm (one run per block), BatchNorm axis 1 (a run per sample and channel). Below
 * MIN_SIMD_RUN values per run the calls and copies per run cost more than the SIMD loops save
 * (BatchNorm (32, 64, H, W), scratch timing: break-even near H·W = 256; at 28×28 the forward
 * takes 3.4 ms against 6.0 ms), unless a block is a single run.
 */
export function isRunLayout(view: NormLayout): boolean {
  const { channels, reduceOuter, reduceInner, affineStride, affineCount } = view;
  const affinePerRun = affineCount === 1 || affineStride % reduceInner === 0;
  return affinePerRun && (reduceOuter * channels === 1 || reduceInner >= MIN_SIMD_RUN);
}

const MIN_SIMD_RUN = 256;

/** Channels-last rows with gamma/beta per channel, C a multiple of 4 that fits the module's vectors. */
function isRowLayout(view: NormLayout, simd: NormSimd): boolean {
  const { channels, reduceInner, affineStride, affineCount } = view;
  return reduceInner === 1 && affineStride === 1 && affineCount === channels && channels % 4 === 0 && channels <= simd.maxChannels;
}

/**
 * One group per row of n values with gamma/beta per element (LayerNorm over the last axis), from
 * MIN_SIMD_RUN values (shorter rows cost more in calls than they save: at (8192, 64), 3.6 ms
 * against 3.4 ms on the JavaScript loops) up to the module's per-element vectors (maxChannels).
 * At (2048, 1024) the forward takes 5.6 ms against 17.8 ms, the backward 10.2 against 33.8.
 */
function isAffineRowLayout(view: NormLayout, simd: NormSimd): boolean {
  const { channels, reduceOuter, reduceInner, affineStride, affineCount } = view;
  return channels === 1 && reduceOuter === 1 && affineStride === 1 && affineCount === reduceInner
    && reduceInner >= MIN_SIMD_RUN && reduceInner <= simd.maxChannels;
}

/** Copies a LayerNorm row's gamma (and beta, for the forward) into the module, once per call. */
function loadAffine(simd: NormSimd, gamma: Float32Array, beta: Float32Array | undefined, n: number): void {
  simd.affine.set(gamma.subarray(0, n));
  if (beta !== undefined) simd.affine.set(beta.subarray(0, n), simd.maxChannels);
}

/** Calls `visit(start, length)` for consecutive chunks of `total` elements, `step` at a time. */
function forEachChunk(total: number, step: number, visit: (start: number, length: number) => void): void {
  for (let start = 0; start < total; start += step) visit(start, Math.min(step, total - start));
}

/**
 * Calls `visit(start, c, a)` for every run of block `o` in memory order: its flat start in the
 * view, its channel and its affine index (constant over a run in the runs layout).
 */
function forEachRunOf(view: NormLayout, o: number, visit: (start: number, c: number, a: number) => void): void {
  const { reduceOuter, channels, reduceInner: n, affineStride, affineCount } = view;
  let start = o * reduceOuter * channels * n;
  for (let r = 0; r < reduceOuter; r++) {
    for (let c = 0; c < channels; c++, start += n) visit(start, c, Math.floor(start / affineStride) % affineCount);
  }
}

/** Whether block `o`'s pass 2 finds its one run still in the module's memory after pass 1. */
function runIsResident(simd: NormSimd, view: NormLayout): boolean {
  return view.reduceOuter * view.channels === 1 && view.reduceInner <= simd.chunk;
}

/** Copies `length` outputs from the module to `args.out` at `at`, after the fused activation if any. */
function copyOut(simd: NormSimd, args: ForwardBlockArgs, length: number, at: number): void {
  const { activation } = args;
  if (activation === 'relu') simd.reluOut(length);
  args.out.set(simd.out.subarray(0, length), at);
  if (activation !== undefined && activation !== 'relu') activateInPlace(activation, args.out, at, length);
}

function forwardRuns(simd: NormSimd, args: ForwardBlockArgs, o: number): void {
  const { x, mean, variance, view } = args;
  const { reduceOuter, channels, reduceInner: n } = view;
  const g0 = o * channels, first = args.xOffset + o * reduceOuter * channels * n;
  if (args.withStatistics) {
    const sums = new Float64Array(channels), squares = new Float64Array(channels);
    forEachRunOf(view, o, (start, c) => {
      const shift = x[first + c * n]; // each group's first element, as the JavaScript loop
      forEachChunk(n, simd.chunk, (p, length) => {
        simd.x.set(x.subarray(args.xOffset + start + p, args.xOffset + start + p + length));
        simd.runSums(length, shift);
        sums[c] += simd.result[0];
        squares[c] += simd.result[1];
      });
    });
    for (let c = 0; c < channels; c++) finishMoments(x[first + c * n], sums[c], squares[c], reduceOuter * n, mean, variance, g0 + c);
  }
  const resident = args.withStatistics && runIsResident(simd, view);
  forEachRunOf(view, o, (start, c, a) => {
    const scale = (1 / Math.sqrt(variance[g0 + c] + args.eps)) * args.gamma[a];
    const xp = args.xOffset + start, op = args.outOffset + start;
    forEachChunk(n, simd.chunk, (p, length) => {
      if (!resident) simd.x.set(x.subarray(xp + p, xp + p + length));
      simd.runApply(length, mean[g0 + c], scale, args.beta[a]);
      copyOut(simd, args, length, op + p);
    });
  });
}

function forwardAffineRow(simd: NormSimd, args: ForwardBlockArgs, o: number): void {
  const { x, mean, variance, view } = args;
  const n = view.reduceInner, xp = args.xOffset + o * n;
  simd.x.set(x.subarray(xp, xp + n));
  if (args.withStatistics) {
    simd.runSums(n, x[xp]);
    finishMoments(x[xp], simd.result[0], simd.result[1], n, mean, variance, o);
  }
  simd.affineApply(n, mean[o], 1 / Math.sqrt(variance[o] + args.eps));
  copyOut(simd, args, n, args.outOffset + o * n);
}

function forwardRows(simd: NormSimd, args: ForwardBlockArgs, o: number): void {
  const { x, mean, variance, view, gamma, beta } = args;
  const { reduceOuter: rows, channels: C } = view;
  const start = o * rows * C, g0 = o * C;
  const xp = args.xOffset + start, op = args.outOffset + start;
  const step = rowStep(simd, C);
  if (args.withStatistics) {
    // Shift each channel by its first value, as the JavaScript loop does.
    for (let c = 0; c < C; c++) { simd.a[c] = x[xp + c]; simd.b[c] = 0; simd.c[c] = 0; }
    forEachChunk(rows * C, step, (p, length) => {
      simd.x.set(x.subarray(xp + p, xp + p + length));
      simd.rowsSums(length / C, C);
    });
    for (let c = 0; c < C; c++) finishMoments(simd.a[c], simd.b[c], simd.c[c], rows, mean, variance, g0 + c);
  }
  for (let c = 0; c < C; c++) {
    simd.a[c] = mean[g0 + c];
    simd.b[c] = (1 / Math.sqrt(variance[g0 + c] + args.eps)) * gamma[c];
    simd.c[c] = beta[c];
  }
  const resident = args.withStatistics && rows * C <= step;
  forEachChunk(rows * C, step, (p, length) => {
    if (!resident) simd.x.set(x.subarray(xp + p, xp + p + length));
    simd.rowsApply(length / C, C);
    copyOut(simd, args, length, op + p);
  });
}

// ---------------------------------------------------------------------------------------------
// Backward: the two passes of normalization_backward.ts for the same two layouts. Pass 1 (sums)
// leaves the block's Σ g·dy and Σ g·dy·x̂ in plan.sumG/sumGX and adds to the affine sums, as the
// JavaScript passes do; pass 2 (dx) always follows pass 1 of the same block, so a block that
// fits one chunk is still in the module's memory.

/** The SIMD passes for this layout (canonical view), or undefined (JavaScript passes). */
export function simdBackwardPasses(layout: NormLayout): BlockPasses | undefined {
  const simd = normSimd();
  if (simd === undefined) return undefined;
  if (isRunLayout(layout)) return { sums: (plan, o) => backwardRunSums(simd, plan, o), dx: (plan, o) => backwardRunDx(simd, plan, o) };
  if (isRowLayout(layout, simd)) return { sums: (plan, o) => backwardRowSums(simd, plan, o), dx: (plan, o) => backwardRowDx(simd, plan, o) };
  if (isAffineRowLayout(layout, simd)) return affineRowPasses(simd, layout.reduceInner);
  return undefined;
}

/**
 * LayerNorm rows: dbeta/dgamma are summed per element in the module across all rows (begin
 * clears them, end adds them to the plan); each row is copied in once for both passes.
 */
function affineRowPasses(simd: NormSimd, n: number): BlockPasses {
  return {
    begin: (plan) => {
      loadAffine(simd, plan.gamma, undefined, n);
      simd.b.fill(0, 0, n);
      simd.c.fill(0, 0, n);
    },
    sums: (plan, o) => {
      copyInputs(simd, plan, o * n, 0, n);
      simd.affineBackwardSums(n, plan.mean[o], plan.rstd[0]);
      plan.sumG[0] += simd.result[0];
      plan.sumGX[0] += simd.result[1];
    },
    dx: (plan, o) => {
      simd.affineDx(n, plan.mean[o], plan.rstd[0], plan.sumG[0], plan.sumGX[0]);
      plan.dx.set(simd.out.subarray(0, n), plan.dxOffset + o * n);
    },
    end: (plan) => {
      for (let a = 0; a < n; a++) {
        plan.betaSums[a] += simd.b[a];
        plan.gammaSums[a] += simd.c[a];
      }
    },
  };
}

/** Copies the chunk [p, p + length) of the block starting at `start` of x and dy into the module. */
function copyInputs(simd: NormSimd, plan: BackwardPlan, start: number, p: number, length: number): void {
  const xp = plan.xOffset + start + p, dp = plan.dyOffset + start + p;
  simd.x.set(plan.x.subarray(xp, xp + length));
  simd.dy.set(plan.dy.subarray(dp, dp + length));
}

function backwardRunSums(simd: NormSimd, plan: BackwardPlan, o: number): void {
  const { channels, reduceInner: n } = plan.layout;
  forEachRunOf(plan.layout, o, (start, c, a) => {
    const m = plan.mean[o * channels + c];
    let sumDy = 0, sumDyCentered = 0;
    forEachChunk(n, simd.chunk, (p, length) => {
      copyInputs(simd, plan, start, p, length);
      simd.runBackwardSums(length, m);
      sumDy += simd.result[0];
      sumDyCentered += simd.result[1];
    });
    // As the JavaScript sumRun, for a run that is one segment (one affine index).
    const sumDyX = sumDyCentered * plan.rstd[c];
    plan.betaSums[a] += sumDy;
    plan.gammaSums[a] += sumDyX;
    plan.sumG[c] += plan.gamma[a] * sumDy;
    plan.sumGX[c] += plan.gamma[a] * sumDyX;
  });
}

function backwardRunDx(simd: NormSimd, plan: BackwardPlan, o: number): void {
  const { channels, reduceInner: n } = plan.layout;
  const resident = runIsResident(simd, plan.layout);
  forEachRunOf(plan.layout, o, (start, c, a) => {
    const m = plan.mean[o * channels + c], s = plan.rstd[c];
    // dx = A·dy + B·(x − m) + K, as the JavaScript dxRun.
    const coefA = s * plan.gamma[a], coefB = -s * s * plan.sumGX[c], coefK = -s * plan.sumG[c];
    forEachChunk(n, simd.chunk, (p, length) => {
      if (!resident) copyInputs(simd, plan, start, p, length);
      simd.runDx(length, coefA, coefB, coefK, m);
      plan.dx.set(simd.out.subarray(0, length), plan.dxOffset + start + p);
    });
  });
}

function backwardRowSums(simd: NormSimd, plan: BackwardPlan, o: number): void {
  const { reduceOuter: rows, channels: C } = plan.layout;
  const start = o * rows * C, g0 = o * C;
  for (let c = 0; c < C; c++) { simd.a[c] = plan.mean[g0 + c]; simd.b[c] = 0; simd.c[c] = 0; }
  forEachChunk(rows * C, rowStep(simd, C), (p, length) => {
    copyInputs(simd, plan, start, p, length);
    simd.rowsBackwardSums(length / C, C);
  });
  // Σ dy and Σ dy·x̂ per channel, then weighted by gamma[c] once, as the JavaScript sumRows.
  for (let c = 0; c < C; c++) {
    const sumDyX = simd.c[c] * plan.rstd[c];
    plan.betaSums[c] += simd.b[c];
    plan.gammaSums[c] += sumDyX;
    plan.sumG[c] = simd.b[c] * plan.gamma[c];
    plan.sumGX[c] = sumDyX * plan.gamma[c];
  }
}

function backwardRowDx(simd: NormSimd, plan: BackwardPlan, o: number): void {
  const { reduceOuter: rows, channels: C } = plan.layout;
  const start = o * rows * C, g0 = o * C, step = rowStep(simd, C);
  for (let c = 0; c < C; c++) {
    const s = plan.rstd[c];
    simd.a[c] = plan.mean[g0 + c];
    simd.b[c] = s * plan.gamma[c];
    simd.c[c] = -s * s * plan.sumGX[c];
    simd.d[c] = -s * plan.sumG[c];
  }
  const resident = rows * C <= step;
  forEachChunk(rows * C, step, (p, length) => {
    if (!resident) copyInputs(simd, plan, start, p, length);
    simd.rowsDx(length / C, C);
    plan.dx.set(simd.out.subarray(0, length), plan.dxOffset + start + p);
  });
}

/** Whole rows per chunk. */
function rowStep(simd: NormSimd, C: number): number {
  return Math.floor(simd.chunk / C) * C;
}
