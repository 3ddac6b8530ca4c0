/**
 * The normalization kernel's runs layout (InstanceNorm and GroupNorm NCHW, BatchNorm axis 1: see
 * normalization_simd.ts) on arrays that already lie in the kernel memory — a cached graph's
 * intermediates (threads/arena.ts) — run by the kernel module in place, the runs split across
 * the thread pool: pass 1 sums each run, this file finishes each group's moments (the same
 * finishMoments as every other path), pass 2 applies (x − mean)·rstd·gamma + beta and a fused
 * ReLU (another fused activation follows as a pass of its own, activation_wasm.ts). The C loops
 * are the normalization module's own (simd/norm_runs.h), and each run is summed in one piece
 * exactly where the module's copy-in path takes it in one chunk, so the bits are the imperative
 * call's.
 */
import { activateInArena } from './activation_wasm';
import { inKernelMemory } from './elementwise_wasm';
import { arenaLayout } from './gemm_wasm';
import type { NormLayout } from './normalization';
import { ForwardBlockArgs, isRunLayout } from './normalization_simd';
import { finishMoments } from './norm_moments';
import { normSimd } from './simd/norm_simd';
import { runParts, threadRanges } from './threads/pool';

/**
 * Normalizes every block of `args.view` in the kernel module and returns true, or returns false,
 * having done nothing, when x or out lies elsewhere, the layout is not runs, or a run is longer
 * than one chunk of the normalization module (whose sums would then add chunk by chunk).
 */
export function normalizeInKernelMemory(args: ForwardBlockArgs): boolean {
  const { view } = args;
  const norm = normSimd();
  if (norm === undefined || !isRunLayout(view) || view.reduceInner > norm.chunk) return false;
  const found = inKernelMemory([[args.x, args.xOffset], [args.out, args.outOffset]]);
  const runs = view.outer * view.reduceOuter * view.channels;
  // Doubles of the work: a shift, two sums and three coefficients per run (two floats each).
  const layout = found && arenaLayout(found.simd, [2 * runs, 4 * runs, 6 * runs]);
  if (found === undefined || layout === undefined) return false;
  const { simd, addresses: [xAt, outAt] } = found;
  const memory = simd.memory.memory.buffer;
  const [shifts, sums, coefficients] = layout.map((at, i) => new Float64Array(memory, at * 4, (i + 1) * runs));
  const ranges = threadRanges(runs, runs * view.reduceInner);
  if (args.withStatistics) {
    forEachRun(view, (run, _g, _a, groupStart) => { shifts[run] = args.x[args.xOffset + groupStart]; });
    runParts(simd.pool, 'norm_runs_sums', ranges.map(([begin, end]) => [xAt, view.reduceInner, layout[0] * 4, layout[1] * 4, begin, end]));
    finishGroups(args, shifts, sums);
  }
  forEachRun(view, (run, g, a) => {
    coefficients.set([args.mean[g], (1 / Math.sqrt(args.variance[g] + args.eps)) * args.gamma[a], args.beta[a]], 3 * run);
  });
  const relu = args.activation === 'relu' ? 1 : 0;
  runParts(simd.pool, 'norm_runs_apply', ranges.map(([begin, end]) => [xAt, outAt, view.reduceInner, layout[2] * 4, relu, begin, end]));
  if (args.activation !== undefined && !relu) activateInArena(simd, args.activation, outAt / 4, runs * view.reduceInner);
  return true;
}

/**
 * Calls `visit(run, g, a, groupStart)` for every run in memory order: its index, its group (outer
 * index × channels + channel), its affine index, and the flat start in the view of its group's
 * first run, whose first value is the group's shift (as in the JavaScript loop).
 */
function forEachRun(view: NormLayout, visit: (run: number, g: number, a: number, groupStart: number) => void): void {
  const { outer, reduceOuter, channels, reduceInner: n, affineStride, affineCount } = view;
  let run = 0;
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < reduceOuter; r++) {
      for (let c = 0; c < channels; c++, run++) {
        visit(run, o * channels + c, Math.floor((run * n) / affineStride) % affineCount, (o * reduceOuter * channels + c) * n);
      }
    }
  }
}

/** Each group's mean and variance from its runs' sums, added in memory order as normalization_simd.ts does. */
function finishGroups(args: ForwardBlockArgs, shifts: Float64Array, sums: Float64Array): void {
  const { outer, channels, reduceOuter, reduceInner: n } = args.view;
  const sum = new Float64Array(outer * channels), squares = new Float64Array(outer * channels);
  forEachRun(args.view, (run, g) => {
    sum[g] += sums[2 * run];
    squares[g] += sums[2 * run + 1];
  });
  forEachRun(args.view, (run, g) => {
    if (run % (reduceOuter * channels) < channels) finishMoments(shifts[run], sum[g], squares[g], reduceOuter * n, args.mean, args.variance, g);
  });
}
