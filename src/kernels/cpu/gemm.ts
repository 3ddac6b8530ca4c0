/**
 * Single-precision general matrix multiply (GEMM) on row-major Float32Array views: the dense
 * workhorse behind Dense, convolution (im2col/col2im) and their gradients.
 *
 * Where WebAssembly SIMD is available (every current browser and Node; `TSGLUON_SIMD=0` turns it
 * off), the product runs on the SIMD module, spread over the thread pool (gemm_wasm.ts,
 * simd/gemm_simd.c). Elsewhere it runs the JavaScript loops below, in the same classic
 * Goto/BLIS structure, written so that V8 keeps the hot loop in registers: the K×N block of
 * op(B) is packed into NR-wide column slivers and the M×K block of op(A) into MR-tall row
 * slivers (contiguous, zero-padded at the edges, widened to float64 once), and a 4×4
 * register-blocked micro-kernel with sixteen local accumulators multiplies one A sliver by one
 * B sliver. Blocking: KC×NR of B (8 KiB) stays in L1, MC×KC of A (128 KiB) in L2.
 */
import { GluonError } from '../../core/errors';
import { checkBuffer, checkDisjoint, checkInt } from './check_args';
import { gemmWasm, roundUp } from './gemm_wasm';
import { gemmSimd } from './simd/gemm_simd';

// Bound once: inside sandboxes such as jest's vm every global lookup in a loop is slow.
const { min, max } = Math;

const MR = 4;
const NR = 4;
/** Depth of a packed panel (the shared dimension K is processed KC at a time). */
const KC = 256;
/** Rows of op(A) packed at once. */
const MC = 64;
/** Columns of op(B) packed at once. */
const NC = 512;

// Module-level scratch, grown on demand up to MC×KC and KC×NC doubles, reused across calls
// (kernels run to completion on one thread, so there is no reentrancy).
let packedA: Float64Array = new Float64Array(0);
let packedB: Float64Array = new Float64Array(0);
/** One micro-tile of accumulators, read back by `storeTile`. */
const tile = new Float64Array(MR * NR);

/**
 * C = alpha · op(A) · op(B) + beta · C, in single precision, on row-major matrices
 * (BLAS `sgemm` with row-major storage).
 *
 * - op(A) is M×K: A is stored M×K (`lda` ≥ K) or, with `transA`, K×M (`lda` ≥ M); element
 *   (i, p) of op(A) is `a[aOffset + i*lda + p]`, or `a[aOffset + p*lda + i]` when transposed.
 * - op(B) is K×N: B is stored K×N (`ldb` ≥ N) or, with `transB`, N×K (`ldb` ≥ K).
 * - C is M×N with row stride `ldc` ≥ N, starting at `cOffset`; only that M×N window is written.
 * - As in BLAS, beta = 0 overwrites C without reading it (NaNs in C do not propagate), and
 *   K = 0 or alpha = 0 only scales C by beta.
 * - Error bound, per element: |C − C_exact| ≤ (min(K, 256) + ⌈K/256⌉ + 2) · 2⁻²⁴ ·
 *   (Σ_p |alpha · op(A)[i,p] · op(B)[p,j]| + |beta · C[i,j]|) — to first order, for sums in
 *   float32 over 256-deep panels of K, added to C panel by panel (the SIMD path, as every BLAS
 *   sgemm; cancellation is bounded relative to Σ|a·b|, not to the result). The JavaScript loops
 *   sum each panel in float64 and are well inside it.
 * - The result does not depend on the thread count: every element is summed in the same order
 *   however the work is split.
 * - C must not share memory with the span of A or B (checked).
 *
 * @throws GluonError naming the argument when a size, stride or offset is invalid or a buffer
 *   is too short for the matrices it must hold.
 * @example
 * // [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
 * const c = new Float32Array(4);
 * gemm(false, false, 2, 2, 2, 1, Float32Array.of(1, 2, 3, 4), 0, 2,
 *      Float32Array.of(5, 6, 7, 8), 0, 2, 0, c, 0, 2);
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float32Array, aOffset: number, lda: number,
  b: Float32Array, bOffset: number, ldb: number,
  beta: number, c: Float32Array, cOffset: number, ldc: number,
): void {
  // Everything is validated before anything is touched.
  checkSizes(m, n, k, alpha, beta);
  const aExtent = checkMatrix('A', a, aOffset, lda, transA ? k : m, transA ? m : k);
  const bExtent = checkMatrix('B', b, bOffset, ldb, transB ? n : k, transB ? k : n);
  const cExtent = checkMatrix('C', c, cOffset, ldc, m, n);
  checkDisjoint('gemm', 'C', c, cOffset, cExtent, 'A', a, aOffset, aExtent);
  checkDisjoint('gemm', 'C', c, cOffset, cExtent, 'B', b, bOffset, bExtent);
  if (m === 0 || n === 0) return;
  const simd = k > 0 && alpha !== 0 ? gemmSimd() : undefined;
  if (simd) {
    gemmWasm(simd, transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
    return;
  }
  scaleC(m, n, beta, c, cOffset, ldc);
  if (k === 0 || alpha === 0) return;
  // op(A)[i][p] = a[aOffset + i*aRow + p*aCol]; op(B)[p][j] = b[bOffset + p*bRow + j*bCol].
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const bRow = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;
  if (m === 1) {
    // A single row (a batch-1 Dense layer): packing B would cost more than the product itself.
    if (transB) dotRow(n, k, alpha, a, aOffset, aCol, b, bOffset, ldb, c, cOffset);
    else axpyRow(n, k, alpha, a, aOffset, aCol, b, bOffset, ldb, c, cOffset);
    return;
  }
  for (let j0 = 0; j0 < n; j0 += NC) {
    const nc = min(NC, n - j0);
    for (let p0 = 0; p0 < k; p0 += KC) {
      const kc = min(KC, k - p0);
      packedB = ensure(packedB, roundUp(nc, NR) * kc);
      packSlivers(b, bOffset + p0 * bRow + j0 * bCol, bCol, bRow, nc, kc, NR, packedB);
      for (let i0 = 0; i0 < m; i0 += MC) {
        const mc = min(MC, m - i0);
        packedA = ensure(packedA, roundUp(mc, MR) * kc);
        packSlivers(a, aOffset + i0 * aRow + p0 * aCol, aRow, aCol, mc, kc, MR, packedA);
        multiplyBlock(mc, nc, kc, alpha, c, cOffset + i0 * ldc + j0, ldc);
      }
    }
  }
}

/**
 * A matrix operand over a Float32Array: logical element (i, j) sits at `data[offset + i·ld + j]`,
 * or at `data[offset + j·ld + i]` when `transposed` (the matrix is stored as its transpose).
 */
export interface MatrixView {
  readonly data: Float32Array;
  readonly offset: number;
  readonly ld: number;
  readonly transposed: boolean;
}

/**
 * C (m×n) = alpha · A (m×k) · B (k×n) + beta · C on views. A C stored transposed is computed as
 * Cᵀ = Bᵀ · Aᵀ, so every combination of stored orientations is a single `gemm` call: this is
 * what lets one conv routine serve the channels-first layout and the channels-last one (whose
 * matrices are the transposes of the channels-first ones).
 *
 * @example
 * // C = [[1, 2], [3, 4]] · I, with C stored transposed: c = [1, 3, 2, 4]
 * const view = (data: Float32Array, transposed: boolean) => ({ data, offset: 0, ld: 2, transposed });
 * gemmViews(2, 2, 2, 1, view(Float32Array.of(1, 2, 3, 4), false), view(Float32Array.of(1, 0, 0, 1), false), 0, view(c, true));
 */
export function gemmViews(m: number, n: number, k: number, alpha: number, a: MatrixView, b: MatrixView, beta: number, c: MatrixView): void {
  if (c.transposed) {
    gemm(!b.transposed, !a.transposed, n, m, k, alpha, b.data, b.offset, b.ld, a.data, a.offset, a.ld, beta, c.data, c.offset, c.ld);
  } else {
    gemm(a.transposed, b.transposed, m, n, k, alpha, a.data, a.offset, a.ld, b.data, b.offset, b.ld, beta, c.data, c.offset, c.ld);
  }
}

/**
 * The same matrix viewed as its transpose (no data moves).
 *
 * @example transposedView({ data, offset: 0, ld: 3, transposed: false }) // { data, offset: 0, ld: 3, transposed: true }
 */
export function transposedView(view: MatrixView): MatrixView {
  return { ...view, transposed: !view.transposed };
}

/** Multiplies the packed MC×KC block of A by the packed KC×NC block of B into C. */
function multiplyBlock(mc: number, nc: number, kc: number, alpha: number, c: Float32Array, cBase: number, ldc: number): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    for (let ir = 0; ir < mc; ir += MR) {
      microKernel(kc, packedA, ir * kc, packedB, jr * kc);
      storeTile(min(MR, mc - ir), nr, alpha, c, cBase + ir * ldc + jr, ldc);
    }
  }
}

/**
 * tile = (MR×kc sliver of A) · (kc×NR sliver of B). The sixteen accumulators are locals, not
 * an array, so V8 register-allocates them; each step loads 4 + 4 values for 16 multiply-adds.
 */
function microKernel(kc: number, pa: Float64Array, ia: number, pb: Float64Array, ib: number): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = pb[ib], b1 = pb[ib + 1], b2 = pb[ib + 2], b3 = pb[ib + 3];
    let av = pa[ia];
    c00 += av * b0; c01 += av * b1; c02 += av * b2; c03 += av * b3;
    av = pa[ia + 1];
    c10 += av * b0; c11 += av * b1; c12 += av * b2; c13 += av * b3;
    av = pa[ia + 2];
    c20 += av * b0; c21 += av * b1; c22 += av * b2; c23 += av * b3;
    av = pa[ia + 3];
    c30 += av * b0; c31 += av * b1; c32 += av * b2; c33 += av * b3;
    ia += MR;
    ib += NR;
  }
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
}

/** C[0:mr, 0:nr] += alpha · tile; edge tiles (mr < MR or nr < NR) write only their valid part. */
function storeTile(mr: number, nr: number, alpha: number, c: Float32Array, ci: number, ldc: number): void {
  if (mr === MR && nr === NR) {
    for (let i = 0; i < MR; i++, ci += ldc) {
      const t = i * NR;
      c[ci] += alpha * tile[t];
      c[ci + 1] += alpha * tile[t + 1];
      c[ci + 2] += alpha * tile[t + 2];
      c[ci + 3] += alpha * tile[t + 3];
    }
    return;
  }
  for (let i = 0; i < mr; i++, ci += ldc) {
    for (let j = 0; j < nr; j++) c[ci + j] += alpha * tile[i * NR + j];
  }
}

/**
 * Packs a `count`×`kc` panel into slivers of `width` rows: sliver s holds, for each p, the
 * `width` values src[base + (s·width + x)·xStride + p·pStride], zero past `count`. Used for
 * A (x = row of op(A)) and B (x = column of op(B)) alike.
 */
function packSlivers(
  src: Float32Array,
  base: number,
  xStride: number,
  pStride: number,
  count: number,
  kc: number,
  width: number,
  dst: Float64Array,
): void {
  let d = 0;
  for (let x0 = 0; x0 < count; x0 += width) {
    const w = min(width, count - x0);
    for (let p = 0; p < kc; p++) {
      let s = base + x0 * xStride + p * pStride;
      for (let x = 0; x < w; x++, s += xStride) dst[d++] = src[s];
      for (let x = w; x < width; x++) dst[d++] = 0;
    }
  }
}

/** Row accumulator of `axpyRow`, grown as needed. */
let rowSums: Float64Array = new Float64Array(0);

/** c[0:n] += alpha · Σ_p a[p] · B[p, 0:n], streaming the rows of a row-major B. */
function axpyRow(
  n: number, k: number, alpha: number, a: Float32Array, ai: number, aStep: number,
  b: Float32Array, bOffset: number, ldb: number, c: Float32Array, ci: number,
): void {
  if (rowSums.length < n) rowSums = new Float64Array(n);
  const acc = rowSums;
  acc.fill(0, 0, n);
  let p = 0;
  // Four rows of B per pass: a quarter of the accumulator loads and stores.
  for (let br = bOffset; p + 4 <= k; p += 4, br += 4 * ldb) {
    const a0 = a[ai + p * aStep], a1 = a[ai + (p + 1) * aStep], a2 = a[ai + (p + 2) * aStep], a3 = a[ai + (p + 3) * aStep];
    const r1 = br + ldb, r2 = br + 2 * ldb, r3 = br + 3 * ldb;
    for (let j = 0; j < n; j++) acc[j] += a0 * b[br + j] + a1 * b[r1 + j] + a2 * b[r2 + j] + a3 * b[r3 + j];
  }
  for (let br = bOffset + p * ldb; p < k; p++, br += ldb) {
    const av = a[ai + p * aStep];
    for (let j = 0; j < n; j++) acc[j] += av * b[br + j];
  }
  for (let j = 0; j < n; j++) c[ci + j] += alpha * acc[j];
}

/** c[j] += alpha · (a · row j of B) for j < n: dot products along the rows of a transposed B. */
function dotRow(
  n: number, k: number, alpha: number, a: Float32Array, ai: number, aStep: number,
  b: Float32Array, bOffset: number, ldb: number, c: Float32Array, ci: number,
): void {
  const k4 = k - (k % 4);
  for (let j = 0, bj = bOffset; j < n; j++, bj += ldb) {
    // Four partial sums keep four independent multiply-add chains in flight.
    let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    let p = 0;
    for (let ap = ai; p < k4; p += 4, ap += 4 * aStep) {
      s0 += a[ap] * b[bj + p];
      s1 += a[ap + aStep] * b[bj + p + 1];
      s2 += a[ap + 2 * aStep] * b[bj + p + 2];
      s3 += a[ap + 3 * aStep] * b[bj + p + 3];
    }
    for (; p < k; p++) s0 += a[ai + p * aStep] * b[bj + p];
    c[ci + j] += alpha * (s0 + s1 + s2 + s3);
  }
}

/** C = beta · C over the M×N window (beta = 0 clears, so stale NaNs in C never leak). */
function scaleC(m: number, n: number, beta: number, c: Float32Array, cOffset: number, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0, row = cOffset; i < m; i++, row += ldc) {
    if (beta === 0) c.fill(0, row, row + n);
    else for (let j = row; j < row + n; j++) c[j] *= beta;
  }
}

function ensure(buffer: Float64Array, size: number): Float64Array {
  return buffer.length >= size ? buffer : new Float64Array(size);
}


/** Validates the matrix sizes and the scalars. */
function checkSizes(m: number, n: number, k: number, alpha: number, beta: number): void {
  checkInt('gemm', 'm', m, 0);
  checkInt('gemm', 'n', n, 0);
  checkInt('gemm', 'k', k, 0);
  if (!Number.isFinite(alpha) || !Number.isFinite(beta)) {
    throw new GluonError(`gemm: expected finite alpha and beta, but got alpha=${alpha}, beta=${beta}`);
  }
}

/**
 * Checks a stored rows×cols matrix with row stride `ld` inside `buf` from `offset`; returns the
 * number of elements its rows span ((rows − 1)·ld + cols, or 0 when empty).
 */
function checkMatrix(name: string, buf: Float32Array, offset: number, ld: number, rows: number, cols: number): number {
  checkInt('gemm', `ld${name.toLowerCase()}`, ld, max(1, cols));
  const extent = rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
  checkBuffer('gemm', name, buf, offset, extent);
  return extent;
}
