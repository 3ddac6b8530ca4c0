/**
 * `gemm` on the WebAssembly SIMD module (simd/gemm_simd.c), spread over the thread pool.
 *
 * A kernel module reads only its own memory, so the operands are copied into the kernel arena
 * (rows at a time with `Float32Array.prototype.set`, memcpy speed: O(n²) copies against O(n³)
 * multiply-adds) and C is copied back. A product whose operands do not fit the arena's job budget
 * is split into jobs — over rows, columns and, on multiples of the panel depth KC, over K, with C
 * kept in the arena across a K split so it accumulates exactly as one call would. Each job's
 * output is split among the threads by columns (or rows, when it is taller than wide); every
 * element is computed the same way whatever the split (gemm_simd.c), so results do not depend on
 * the thread count or the job size.
 */
import type { MatrixView } from './gemm';
import { GemmSimd } from './simd/gemm_simd';
import { MAX_ARENA_BYTES } from './threads/arena';
import { getNumThreads, runParts } from './threads/pool';

/** Floats of A, B and C that one job may place in the arena (64 MiB). */
const DEFAULT_JOB_FLOATS = 16 * 1024 * 1024;
let jobFloats = DEFAULT_JOB_FLOATS;

/**
 * Sets the job budget in floats and returns the previous one: tests shrink it to check that
 * split products equal whole ones bit for bit. Internal; not part of the public API.
 */
export function setGemmJobFloats(floats: number): number {
  const previous = jobFloats;
  jobFloats = floats;
  return previous;
}
/** Below this many multiply-adds a product runs on one thread (waking workers costs ~20 µs). */
export const PARALLEL_MULTIPLY_ADDS = 1 << 21;

/** A stored matrix window: `rows`×`cols` values at `data[offset + r·ld + c]`. */
interface Window { data: Float32Array; offset: number; ld: number; rows: number; cols: number }

/**
 * C = alpha · op(A) · op(B) + beta · C with gemm's arguments (already checked, m, n ≥ 1), on
 * the SIMD module. See gemm.ts for the contract and the error bound; here k ≥ 1 and alpha ≠ 0.
 */
export function gemmWasm(
  simd: GemmSimd, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float32Array, aOffset: number, lda: number, b: Float32Array, bOffset: number, ldb: number,
  beta: number, c: Float32Array, cOffset: number, ldc: number,
): void {
  const { mJob, nJob, kJob } = jobSize(simd, m, n, k);
  const memory = simd.memory;
  for (let i0 = 0; i0 < m; i0 += mJob) {
    const mc = Math.min(mJob, m - i0);
    for (let j0 = 0; j0 < n; j0 += nJob) {
      const nc = Math.min(nJob, n - j0);
      // Arena layout of this job, after the work buffers: C, A and B, compact.
      const cAt = arenaDataStart(simd) / 4;
      const aAt = cAt + mc * nc;
      const bAt = aAt + mc * kJob;
      memory.ensure((bAt + kJob * nc) * 4);
      const cWindow: Window = { data: c, offset: cOffset + i0 * ldc + j0, ld: ldc, rows: mc, cols: nc };
      if (beta !== 0) copyIn(cWindow, memory.floats(), cAt);
      for (let p0 = 0; p0 < k; p0 += kJob) {
        const kc = Math.min(kJob, k - p0);
        const aWindow = transA
          ? { data: a, offset: aOffset + p0 * lda + i0, ld: lda, rows: kc, cols: mc }
          : { data: a, offset: aOffset + i0 * lda + p0, ld: lda, rows: mc, cols: kc };
        const bWindow = transB
          ? { data: b, offset: bOffset + j0 * ldb + p0, ld: ldb, rows: nc, cols: kc }
          : { data: b, offset: bOffset + p0 * ldb + j0, ld: ldb, rows: kc, cols: nc };
        const floats = memory.floats();
        copyIn(aWindow, floats, aAt);
        copyIn(bWindow, floats, bAt);
        // Later K chunks add to the C the earlier ones left in the arena.
        gemmInArena(simd, transA, transB, mc, nc, kc, alpha, aAt, aWindow.cols, bAt, bWindow.cols, p0 === 0 ? beta : 1, cAt, nc);
      }
      copyOut(memory.floats(), cAt, cWindow);
    }
  }
}

/**
 * The first arena byte after the work buffers (one per thread), where callers lay out their
 * operands; every arena caller of {@link gemmInArena} starts there.
 */
export function arenaDataStart(simd: GemmSimd): number {
  return simd.memory.heapBase + getNumThreads() * simd.workFloats * 4;
}

/**
 * An operand that is the column matrix of an image in the arena, packed straight from the image:
 * the float index of its geometry block (conv_wasm.ts), its first channel, and which operand it
 * is — op(B), the channels-first column matrix of the image at `bAt`, or with `imageIsA`, op(A),
 * the channels-last one of the image at `aAt`.
 */
export interface ImplicitColumns { readonly geometryAt: number; readonly channelStart: number; readonly imageIsA?: boolean }

/** Words laid out past the last region, which vector loops may read past their input's end. */
const ARENA_SLACK_WORDS = 1024;

/** Bytes below which arenaLayout must stay: the arena's limit, lowered by tests. */
let arenaLimit = MAX_ARENA_BYTES;

/**
 * Sets the limit arenaLayout lays out under and returns the previous one: tests lower it to run
 * the JavaScript fallbacks of calls that do not fit. Internal; not part of the public API.
 */
export function setArenaLimit(bytes: number): number {
  const previous = arenaLimit;
  arenaLimit = Math.min(bytes, MAX_ARENA_BYTES);
  return previous;
}

/**
 * Lays out consecutive regions of the given lengths (in 4-byte words) in the arena after the work
 * buffers, grows the memory to hold them, and returns their word offsets; undefined, having done
 * nothing, when they would pass the arena's limit (the caller then runs its JavaScript path).
 *
 * @example const [xAt, outAt] = arenaLayout(simd, [xLength, outLength]) ?? fallback();
 */
export function arenaLayout(simd: GemmSimd, lengths: readonly number[]): number[] | undefined {
  const offsets: number[] = [];
  let at = arenaDataStart(simd) / 4;
  for (const length of lengths) {
    offsets.push(at);
    at += length;
  }
  // Slack past the end: SIMD loops may read (never use) a few words beyond their input (the direct
  // convolution up to 16 + kernel width).
  const end = (at + ARENA_SLACK_WORDS) * 4;
  if (end > arenaLimit) return undefined;
  simd.memory.ensure(end);
  return offsets;
}

/**
 * gemm on matrices already in the arena (float indices `aAt`, `bAt`, `cAt` with row strides
 * lda, ldb, ldc; transposes as gemm), split among the threads; m, n, k ≥ 1. With `columns`, one
 * operand is an image whose column matrix it stands for (its transpose flag and stride unused).
 */
export function gemmInArena(
  simd: GemmSimd, transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  aAt: number, lda: number, bAt: number, ldb: number, beta: number, cAt: number, ldc: number, columns?: ImplicitColumns,
): void {
  const threads = m * n * k >= PARALLEL_MULTIPLY_ADDS ? getNumThreads() : 1;
  const work = simd.memory.heapBase;
  runParts(simd.pool, 'sgemm', splitOutput(simd, m, n, threads).map((part, t) => [
    +transA, +transB, k, alpha, aAt * 4, lda, bAt * 4, ldb, beta, cAt * 4, ldc,
    part.iBegin, part.iEnd, part.jBegin, part.jEnd, work + t * simd.workFloats * 4,
    columns ? columns.geometryAt * 4 : 0, columns?.channelStart ?? 0, +(columns?.imageIsA ?? false),
  ]));
}

/**
 * A matrix in the arena: element (i, j) at float index `offset + i·ld + j`, or `offset + j·ld + i`
 * when transposed — a gemm.ts `MatrixView` without its data (the arena is the data).
 */
export type ArenaMatrix = Omit<MatrixView, 'data'>;

/** {@link gemmInArena} on arena views, as gemm.ts's gemmViews (a transposed C computes Cᵀ = Bᵀ·Aᵀ). */
export function gemmArenaViews(
  simd: GemmSimd, m: number, n: number, k: number, alpha: number, a: ArenaMatrix, b: ArenaMatrix, beta: number, c: ArenaMatrix,
): void {
  if (c.transposed) gemmInArena(simd, !b.transposed, !a.transposed, n, m, k, alpha, b.offset, b.ld, a.offset, a.ld, beta, c.offset, c.ld);
  else gemmInArena(simd, a.transposed, b.transposed, m, n, k, alpha, a.offset, a.ld, b.offset, b.ld, beta, c.offset, c.ld);
}

/**
 * The largest job (rows, columns, depth) whose A, B and C fit the job budget, halving the largest
 * dimension at a time; depth stays a multiple of the panel depth so a K split changes nothing.
 */
function jobSize(simd: GemmSimd, m: number, n: number, k: number): { mJob: number; nJob: number; kJob: number } {
  let mJob = m, nJob = n, kJob = k;
  const floats = () => mJob * kJob + kJob * nJob + mJob * nJob;
  while (floats() > jobFloats) {
    if (kJob >= mJob && kJob >= nJob && kJob > simd.kc) kJob = roundUp(Math.ceil(kJob / 2), simd.kc);
    else if (mJob >= nJob && mJob > simd.mr) mJob = roundUp(Math.ceil(mJob / 2), simd.mr);
    else if (nJob > simd.nr) nJob = roundUp(Math.ceil(nJob / 2), simd.nr);
    else if (kJob > simd.kc) kJob = roundUp(Math.ceil(kJob / 2), simd.kc);
    else break;
  }
  return { mJob, nJob, kJob };
}

interface Part { iBegin: number; iEnd: number; jBegin: number; jEnd: number }

/** Splits an mc×nc output among up to `threads` parts along its longer side, in whole register tiles. */
function splitOutput(simd: GemmSimd, mc: number, nc: number, threads: number): Part[] {
  const byColumns = nc >= mc;
  const length = byColumns ? nc : mc;
  const step = roundUp(Math.ceil(length / threads), byColumns ? simd.nr : simd.mr);
  const parts: Part[] = [];
  for (let begin = 0; begin < length; begin += step) {
    const end = Math.min(length, begin + step);
    parts.push(byColumns ? { iBegin: 0, iEnd: mc, jBegin: begin, jEnd: end } : { iBegin: begin, iEnd: end, jBegin: 0, jEnd: nc });
  }
  return parts;
}

/** Copies a stored window into the arena, compact (row stride = cols). */
function copyIn(window: Window, arena: Float32Array, at: number): void {
  const { data, offset, ld, rows, cols } = window;
  if (ld === cols) {
    arena.set(data.subarray(offset, offset + rows * cols), at);
    return;
  }
  for (let r = 0; r < rows; r++) arena.set(data.subarray(offset + r * ld, offset + r * ld + cols), at + r * cols);
}

/** Copies the compact arena matrix back into a stored window. */
function copyOut(arena: Float32Array, at: number, window: Window): void {
  const { data, offset, ld, rows, cols } = window;
  if (ld === cols) {
    data.set(arena.subarray(at, at + rows * cols), offset);
    return;
  }
  for (let r = 0; r < rows; r++) data.set(arena.subarray(at + r * cols, at + (r + 1) * cols), offset + r * ld);
}

/** The smallest multiple of `multiple` ≥ value. */
export function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}
