/*
 * WebAssembly SIMD single-precision GEMM: C = alpha · op(A) · op(B) + beta · C on row-major
 * matrices in this module's memory (gemm_wasm.ts copies the operands in and C out, and splits the
 * output among threads with the row and column ranges below).
 *
 * Goto/BLIS structure: a KC×NC panel of op(B) is packed into NR-wide column slivers, an MC×KC
 * block of op(A) into MR-tall row slivers, and an MR×NR register tile (MR·NR/4 vector
 * accumulators) multiplies one A sliver by one B sliver. KC×NR of B stays in L1, MC×KC of A in
 * L2. Every element of C is computed the same way whatever the row and column ranges: a float32
 * sum over each KC-deep panel of K in order, added to C panel by panel — so the result does not
 * depend on how the work is split among threads.
 *
 * Convolutions either hand it a column matrix (im2col, conv_simd.c) or let it pack panels straight
 * from the image (pack_b_image channels-first, pack_a_image channels-last), which skips writing
 * and re-reading the column matrix.
 *
 * One module with conv_simd.c and pool_simd.c, built four ways by scripts/build_simd.js: plain or
 * relaxed SIMD (-DRELAXED: fused multiply-add where the hardware has it), and own or shared memory.
 */
#include "kernel_simd.h"

/* Column-matrix rows pack_b_image gathers before handing them to the slivers. */
#define IMAGE_ROWS 8

/* Floats of the per-thread work buffer `work` (packed A, packed B, one edge tile, IMAGE_ROWS image rows). */
int gemm_work_floats(void) { return MC * KC + KC * NC + MR * NR + IMAGE_ROWS * (NC + NR); }
int gemm_kc(void) { return KC; }
int gemm_mr(void) { return MR; }
int gemm_nr(void) { return NR; }

/*
 * Packs op(A)[0:mc, 0:kc] (element (i, p) at a[i·rs + p·cs]) into slivers of MR rows:
 * dst[s·kc·MR + p·MR + r] = op(A)[s·MR + r, p], zero past mc.
 */
static void pack_a(const float *a, int rs, int cs, int mc, int kc, float *dst) {
  for (int i0 = 0; i0 < mc; i0 += MR) {
    int rows = mc - i0 < MR ? mc - i0 : MR;
    const float *src = a + i0 * rs;
    if (rows == MR && cs == 1) {
      for (int p = 0; p < kc; p++, dst += MR)
        for (int r = 0; r < MR; r++) dst[r] = src[r * rs + p];
    } else {
      for (int p = 0; p < kc; p++, dst += MR)
        for (int r = 0; r < MR; r++) dst[r] = r < rows ? src[r * rs + p * cs] : 0.0f;
    }
  }
}

/*
 * Packs op(B)[0:kc, 0:nc] (element (p, j) at b[p·rs + j·cs]) into slivers of NR columns:
 * dst[s·kc·NR + p·NR + x] = op(B)[p, s·NR + x], zero past nc.
 */
static void pack_b(const float *b, int rs, int cs, int nc, int kc, float *dst) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    int cols = nc - j0 < NR ? nc - j0 : NR;
    const float *src = b + j0 * cs;
    if (cols == NR && cs == 1) {
      for (int p = 0; p < kc; p++, dst += NR) {
        wasm_v128_store(dst, wasm_v128_load(src + p * rs));
        wasm_v128_store(dst + 4, wasm_v128_load(src + p * rs + 4));
      }
    } else {
      for (int p = 0; p < kc; p++, dst += NR)
        for (int x = 0; x < NR; x++) dst[x] = x < cols ? src[p * rs + x * cs] : 0.0f;
    }
  }
}

/* C[0:mr, 0:nr] += alpha · (MR×kc sliver pa) · (kc×NR sliver pb); edge tiles go through `edge`. */
static void micro_kernel(int kc, const float *pa, const float *pb, float *c, int ldc, float alpha, int mr, int nr,
                         float *edge) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  v128_t c00 = zero, c01 = zero, c10 = zero, c11 = zero, c20 = zero, c21 = zero, c30 = zero, c31 = zero;
  for (int p = 0; p < kc; p++, pa += MR, pb += NR) {
    v128_t b0 = wasm_v128_load(pb), b1 = wasm_v128_load(pb + 4);
    v128_t a = wasm_v128_load32_splat(pa);
    c00 = MADD(c00, a, b0); c01 = MADD(c01, a, b1);
    a = wasm_v128_load32_splat(pa + 1);
    c10 = MADD(c10, a, b0); c11 = MADD(c11, a, b1);
    a = wasm_v128_load32_splat(pa + 2);
    c20 = MADD(c20, a, b0); c21 = MADD(c21, a, b1);
    a = wasm_v128_load32_splat(pa + 3);
    c30 = MADD(c30, a, b0); c31 = MADD(c31, a, b1);
  }
  v128_t scale = wasm_f32x4_splat(alpha);
  add_row(c, nr, wasm_f32x4_mul(scale, c00), wasm_f32x4_mul(scale, c01), edge);
  if (mr > 1) add_row(c + ldc, nr, wasm_f32x4_mul(scale, c10), wasm_f32x4_mul(scale, c11), edge);
  if (mr > 2) add_row(c + 2 * ldc, nr, wasm_f32x4_mul(scale, c20), wasm_f32x4_mul(scale, c21), edge);
  if (mr > 3) add_row(c + 3 * ldc, nr, wasm_f32x4_mul(scale, c30), wasm_f32x4_mul(scale, c31), edge);
}

/* C[i0:i1, j0:j1] *= beta; beta = 0 writes zeros without reading C (NaNs in C do not leak). */
static void scale_c(float *c, int ldc, int i0, int i1, int j0, int j1, float beta) {
  if (beta == 1.0f) return;
  for (int i = i0; i < i1; i++)
    for (int j = j0; j < j1; j++) c[i * ldc + j] = beta == 0.0f ? 0.0f : beta * c[i * ldc + j];
}

/*
 * Packs rows [r0, r0 + kc) × columns [j0, j0 + nc) of the channels-first column matrix of an
 * image (im2col's, never stored: "implicit GEMM") into slivers of NR columns, as pack_b.
 * `rows` is scratch for IMAGE_ROWS column-matrix rows of NC + NR floats.
 */
static void pack_b_image(const float *img, const int *geo, int channel_start, int r0, int kc, int j0, int nc, float *rows,
                         float *dst) {
  const int K1 = geo[7], K2 = geo[8], taps = geo[6] * K1 * K2, plane_size = geo[0] * geo[1] * geo[2];
  const int padded = (nc + NR - 1) / NR * NR, stride = NC + NR;
  for (int p = 0; p < kc; p += IMAGE_ROWS) {
    int count = kc - p < IMAGE_ROWS ? kc - p : IMAGE_ROWS;
    /* IMAGE_ROWS column-matrix rows at a time, so each sliver receives a contiguous block of them
       (one row at a time scattered 32-byte stores over every sliver of the panel). */
    for (int t = 0; t < count; t++) {
      int r = r0 + p + t, c = r / taps, tap = r % taps;
      float *row = rows + t * stride;
      transfer_row(0, (float *)img + (channel_start + c) * plane_size, geo, tap / (K1 * K2), tap / K2 % K1, tap % K2, j0,
                   j0 + nc, row);
      for (int x = nc; x < padded; x++) row[x] = 0.0f;
    }
    float *out = dst + p * NR;
    for (int x = 0; x < padded; x += NR, out += kc * NR)
      for (int t = 0; t < count; t++) {
        wasm_v128_store(out + t * NR, wasm_v128_load(rows + t * stride + x));
        wasm_v128_store(out + t * NR + 4, wasm_v128_load(rows + t * stride + x + 4));
      }
  }
}

/*
 * Packs rows [q0, q0 + mc) × columns [r0, r0 + kc) of the channels-last column matrix of an
 * image (im2col's, never stored) into slivers of MR rows, as pack_a: row q is grid position q,
 * column r = tap·count + c reads channel channel_start + c of the pixel under tap (0 in the
 * padding). `geo[18]` is the image's channel count (its pixel stride).
 */
static void pack_a_image(const float *img, const int *geo, int channel_start, int count, int q0, int mc, int r0, int kc,
                         float *dst) {
  const int D = geo[0], H = geo[1], W = geo[2], G1 = geo[4], G2 = geo[5], K1 = geo[7], K2 = geo[8], channels = geo[18];
  for (int s0 = 0; s0 < mc; s0 += MR, dst += kc * MR) {
    for (int rr = 0; rr < MR; rr++) {
      float *out = dst + rr;
      if (s0 + rr >= mc) {
        for (int p = 0; p < kc; p++) out[p * MR] = 0.0f;
        continue;
      }
      int q = q0 + s0 + rr, g2 = q % G2, grid_row = q / G2, g1 = grid_row % G1, g0 = grid_row / G1;
      for (int p = 0, tap = r0 / count, c = r0 % count; p < kc; tap++, c = 0) {
        int k0 = tap / (K1 * K2), k1 = tap / K2 % K1, k2 = tap % K2;
        int i0 = g0 * geo[9] - geo[12] + k0 * geo[15], i1 = g1 * geo[10] - geo[13] + k1 * geo[16];
        int i2 = g2 * geo[11] - geo[14] + k2 * geo[17];
        int inside = i0 >= 0 && i0 < D && i1 >= 0 && i1 < H && i2 >= 0 && i2 < W;
        const float *pixel = img + ((i0 * H + i1) * W + i2) * channels + channel_start;
        int n = count - c < kc - p ? count - c : kc - p; /* this tap's values within the panel */
        for (int t = 0; t < n; t++, p++) out[p * MR] = inside ? pixel[c + t] : 0.0f;
      }
    }
  }
}

/*
 * The rows [i_begin, i_end) × columns [j_begin, j_end) of C = alpha · op(A) · op(B) + beta · C,
 * op(A) M×K (A stored K×M when trans_a), op(B) K×N (B stored N×K when trans_b), C M×N with row
 * stride ldc. `work` holds gemm_work_floats() floats of this thread's own.
 * With `geo` non-null, one operand is instead the column matrix of the image there, packed
 * straight from the image (channels from `channel_start`; see im2col): op(B), the channels-first
 * one of the image at `b`, or with `image_is_a`, op(A), the channels-last one of the image at `a`.
 */
void sgemm(int trans_a, int trans_b, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta,
           float *c, int ldc, int i_begin, int i_end, int j_begin, int j_end, float *work, const int *geo,
           int channel_start, int image_is_a) {
  scale_c(c, ldc, i_begin, i_end, j_begin, j_end, beta);
  if (k == 0 || alpha == 0.0f) return;
  int a_rs = trans_a ? 1 : lda, a_cs = trans_a ? lda : 1;
  int b_rs = trans_b ? 1 : ldb, b_cs = trans_b ? ldb : 1;
  float *packed_a = work, *packed_b = work + MC * KC, *edge = packed_b + KC * NC, *row = edge + MR * NR;
  for (int j0 = j_begin; j0 < j_end; j0 += NC) {
    int nc = j_end - j0 < NC ? j_end - j0 : NC;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = k - p0 < KC ? k - p0 : KC;
      if (geo && !image_is_a) pack_b_image(b, geo, channel_start, p0, kc, j0, nc, row, packed_b);
      else pack_b(b + p0 * b_rs + j0 * b_cs, b_rs, b_cs, nc, kc, packed_b);
      for (int i0 = i_begin; i0 < i_end; i0 += MC) {
        int mc = i_end - i0 < MC ? i_end - i0 : MC;
        if (geo && image_is_a) pack_a_image(a, geo, channel_start, k / (geo[6] * geo[7] * geo[8]), i0, mc, p0, kc, packed_a);
        else pack_a(a + i0 * a_rs + p0 * a_cs, a_rs, a_cs, mc, kc, packed_a);
        for (int jr = 0; jr < nc; jr += NR) {
          for (int ir = 0; ir < mc; ir += MR) {
            micro_kernel(kc, packed_a + ir * kc, packed_b + jr * kc, c + (i0 + ir) * ldc + j0 + jr, ldc, alpha,
                         mc - ir < MR ? mc - ir : MR, nc - jr < NR ? nc - jr : NR, edge);
          }
        }
      }
    }
  }
}
