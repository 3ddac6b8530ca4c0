/*
 * WebAssembly SIMD single-precision GEMM: C = alpha · op(A) · op(B) + beta · C on row-major
 * matrices in this module's memory (gemm.ts copies the operands in and C out, and splits the
 * output among threads with the row and column ranges below).
 *
 * Goto/BLIS structure: a KC×NC panel of op(B) is packed into NR-wide column slivers, an MC×KC
 * block of op(A) into MR-tall row slivers, and an MR×NR register tile (MR·NR/4 vector
 * accumulators) multiplies one A sliver by one B sliver. KC×NR of B stays in L1, MC×KC of A in
 * L2. Every element of C is computed the same way whatever the row and column ranges: a float32
 * sum over each KC-deep panel of K in order, added to C panel by panel — so the result does not
 * depend on how the work is split among threads.
 *
 * Convolutions either hand it a column matrix (im2col, below) or let it pack panels straight
 * from the image (pack_b_image), which skips writing and re-reading the column matrix.
 *
 * No static data and no stack: every buffer is a pointer the caller passes, so one module serves
 * one thread or several sharing one memory. Built four ways by scripts/build_simd.js: plain or
 * relaxed SIMD (-DRELAXED: fused multiply-add where the hardware has it), and own or shared
 * memory.
 */
#include <wasm_simd128.h>

#define MR 4
#define NR 8
#define KC 256
#define MC 128
#define NC 1024

#ifdef RELAXED
#define MADD(acc, a, b) __builtin_wasm_relaxed_madd_f32x4((a), (b), (acc))
#else
#define MADD(acc, a, b) wasm_f32x4_add((acc), wasm_f32x4_mul((a), (b)))
#endif

/* Inlined into each caller, so a constant argument (col2im's `scatter`) specializes the loops. */
#define INLINE static inline __attribute__((always_inline))

/* Floats of the per-thread work buffer `work` (packed A, packed B, one edge tile, one image row). */
int gemm_work_floats(void) { return MC * KC + KC * NC + MR * NR + NC + NR; }
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

/* dst[0:valid] += the 8 values of lo, hi (one tile row; edge: scratch for a partial row). */
INLINE void add_row(float *dst, int valid, v128_t lo, v128_t hi, float *edge) {
  if (valid == 8) {
    wasm_v128_store(dst, wasm_f32x4_add(wasm_v128_load(dst), lo));
    wasm_v128_store(dst + 4, wasm_f32x4_add(wasm_v128_load(dst + 4), hi));
  } else {
    wasm_v128_store(edge, lo);
    wasm_v128_store(edge + 4, hi);
    for (int x = 0; x < valid; x++) dst[x] += edge[x];
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

/*
 * im2col and col2im: the gather (col = patches of the image) and its adjoint, the scatter-add
 * (image += col at each patch position), between one image (one batch item) and a column matrix
 * for grid positions [p0, p1), for `count` channels from `channel_start` (one group); taps in the
 * zero padding read 0 (gather) or are dropped (scatter). `geo` holds six triples (3-D; 1-D and 2-D
 * are padded with size-1 axes): image, grid, kernel, stride, padding, dilation. Layouts and the
 * order of the scatter's additions are im2col.ts's, so col2im gives its bits:
 *   channels-first (image C, D, H, W): col (count·taps) × (p1 − p0), row c·taps + tap;
 *   channels-last (image D, H, W, C with C = channels): col (p1 − p0) × (taps·count), column tap·count + c.
 * `scatter` is a constant at every call, so each direction compiles to its own loops.
 */
/* One column-matrix row (one channel plane, one tap) over grid positions [p0, p1). */
INLINE void transfer_row(const int scatter, float *plane, const int *geo, int k0, int k1, int k2, int p0, int p1,
                         float *col) {
  const int D = geo[0], H = geo[1], W = geo[2], G1 = geo[4], G2 = geo[5];
  const int s2 = geo[11], off2 = k2 * geo[17] - geo[14];
  for (int p = p0; p < p1;) {
    /* One run of consecutive positions inside a single grid row (fixed g0, g1). */
    int g2 = p % G2, row = p / G2, g1 = row % G1, g0 = row / G1;
    int len = G2 - g2 < p1 - p ? G2 - g2 : p1 - p;
    float *out = col + (p - p0);
    int i0 = g0 * geo[9] - geo[12] + k0 * geo[15], i1 = g1 * geo[10] - geo[13] + k1 * geo[16];
    p += len;
    if (i0 < 0 || i0 >= D || i1 < 0 || i1 >= H) {
      if (!scatter)
        for (int t = 0; t < len; t++) out[t] = 0.0f;
      continue;
    }
    /* Grid columns t with 0 <= (g2 + t)·s2 + off2 < W touch the image; the rest are padding. */
    int first = g2 * s2 + off2;
    int lo = first >= 0 ? 0 : (-first + s2 - 1) / s2;
    int hi = first > W - 1 ? 0 : (W - 1 - first) / s2 + 1;
    if (lo > len) lo = len;
    if (hi > len) hi = len;
    if (hi < lo) hi = lo;
    float *img = plane + (i0 * H + i1) * W + first;
    if (scatter) {
      for (int t = lo; t < hi; t++) img[t * s2] += out[t];
      continue;
    }
    int t = 0;
    for (; t < lo; t++) out[t] = 0.0f;
    if (s2 == 1) {
      for (; t + 4 <= hi; t += 4) wasm_v128_store(out + t, wasm_v128_load(img + t));
      for (; t < hi; t++) out[t] = img[t];
    } else {
      for (; t < hi; t++) out[t] = img[t * s2];
    }
    for (; t < len; t++) out[t] = 0.0f;
  }
}

INLINE void transfer(const int scatter, float *img, const int *geo, int channels_last, int channels, int channel_start,
                     int count, int p0, int p1, float *col) {
  const int D = geo[0], H = geo[1], W = geo[2], G1 = geo[4], G2 = geo[5], K0 = geo[6], K1 = geo[7], K2 = geo[8];
  if (!channels_last) {
    const int plane_size = D * H * W, ld = p1 - p0;
    float *row = col;
    for (int c = 0; c < count; c++) {
      float *plane = img + (channel_start + c) * plane_size;
      for (int k0 = 0; k0 < K0; k0++)
        for (int k1 = 0; k1 < K1; k1++)
          for (int k2 = 0; k2 < K2; k2++, row += ld) transfer_row(scatter, plane, geo, k0, k1, k2, p0, p1, row);
    }
    return;
  }
  float *patch = col;
  for (int p = p0; p < p1; p++) {
    int g2 = p % G2, row = p / G2, g1 = row % G1, g0 = row / G1;
    for (int k0 = 0; k0 < K0; k0++) {
      int i0 = g0 * geo[9] - geo[12] + k0 * geo[15];
      for (int k1 = 0; k1 < K1; k1++) {
        int i1 = g1 * geo[10] - geo[13] + k1 * geo[16];
        for (int k2 = 0; k2 < K2; k2++, patch += count) {
          int i2 = g2 * geo[11] - geo[14] + k2 * geo[17];
          int inside = i0 >= 0 && i0 < D && i1 >= 0 && i1 < H && i2 >= 0 && i2 < W;
          float *pixel = img + ((i0 * H + i1) * W + i2) * channels + channel_start;
          if (scatter) {
            if (inside)
              for (int c = 0; c < count; c++) pixel[c] += patch[c];
          } else {
            for (int c = 0; c < count; c++) patch[c] = inside ? pixel[c] : 0.0f;
          }
        }
      }
    }
  }
}

void im2col(const float *img, const int *geo, int channels_last, int channels, int channel_start, int count, int p0,
            int p1, float *col) {
  transfer(0, (float *)img, geo, channels_last, channels, channel_start, count, p0, p1, col);
}

void col2im(float *img, const int *geo, int channels_last, int channels, int channel_start, int count, int p0, int p1,
            float *col) {
  transfer(1, img, geo, channels_last, channels, channel_start, count, p0, p1, col);
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
 * `row` is scratch for one column-matrix row (NC + NR floats).
 */
static void pack_b_image(const float *img, const int *geo, int channel_start, int r0, int kc, int j0, int nc, float *row,
                         float *dst) {
  const int K1 = geo[7], K2 = geo[8], taps = geo[6] * K1 * K2, plane_size = geo[0] * geo[1] * geo[2];
  int padded = (nc + NR - 1) / NR * NR;
  for (int x = nc; x < padded; x++) row[x] = 0.0f;
  for (int p = 0; p < kc; p++) {
    int r = r0 + p, c = r / taps, tap = r % taps;
    transfer_row(0, (float *)img + (channel_start + c) * plane_size, geo, tap / (K1 * K2), tap / K2 % K1, tap % K2, j0, j0 + nc,
                 row);
    float *out = dst + p * NR;
    for (int x = 0; x < padded; x += NR, out += kc * NR) {
      wasm_v128_store(out, wasm_v128_load(row + x));
      wasm_v128_store(out + 4, wasm_v128_load(row + x + 4));
    }
  }
}

/*
 * The rows [i_begin, i_end) × columns [j_begin, j_end) of C = alpha · op(A) · op(B) + beta · C,
 * op(A) M×K (A stored K×M when trans_a), op(B) K×N (B stored N×K when trans_b), C M×N with row
 * stride ldc. `work` holds gemm_work_floats() floats of this thread's own.
 * With `geo` non-null, op(B) is instead the channels-first column matrix of the image at `b`
 * (channels from `channel_start`; see im2col), packed straight from the image.
 */
void sgemm(int trans_a, int trans_b, int k, float alpha, const float *a, int lda, const float *b, int ldb, float beta,
           float *c, int ldc, int i_begin, int i_end, int j_begin, int j_end, float *work, const int *geo,
           int channel_start) {
  scale_c(c, ldc, i_begin, i_end, j_begin, j_end, beta);
  if (k == 0 || alpha == 0.0f) return;
  int a_rs = trans_a ? 1 : lda, a_cs = trans_a ? lda : 1;
  int b_rs = trans_b ? 1 : ldb, b_cs = trans_b ? ldb : 1;
  float *packed_a = work, *packed_b = work + MC * KC, *edge = packed_b + KC * NC, *row = edge + MR * NR;
  for (int j0 = j_begin; j0 < j_end; j0 += NC) {
    int nc = j_end - j0 < NC ? j_end - j0 : NC;
    for (int p0 = 0; p0 < k; p0 += KC) {
      int kc = k - p0 < KC ? k - p0 : KC;
      if (geo) pack_b_image(b, geo, channel_start, p0, kc, j0, nc, row, packed_b);
      else pack_b(b + p0 * b_rs + j0 * b_cs, b_rs, b_cs, nc, kc, packed_b);
      for (int i0 = i_begin; i0 < i_end; i0 += MC) {
        int mc = i_end - i0 < MC ? i_end - i0 : MC;
        pack_a(a + i0 * a_rs + p0 * a_cs, a_rs, a_cs, mc, kc, packed_a);
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

/*
 * Direct convolution for few output channels per group (depthwise convolutions too; channels-
 * first, stride 1 or 2 and dilation 1 along the last axis; padding is done by the caller, which
 * hands over a zero-padded image), where a GEMM would pack the whole column matrix to use each
 * value for at most three or four products. `w` holds each group's weight repacked as
 * [block of 4 output channels][row r of K = count·taps][4] (zeros past the channel count), so
 * each tap is four splat loads. Tiles of 4 channels × 8 grid columns accumulate over K in the
 * GEMM's order — panels of KC rows summed in float32, each added to `out` — so the result is bit
 * for bit what the GEMM path gives. Computes groups [group_begin, group_end) (`count` input and
 * `cout` output channels each) over grid rows [row_begin, row_end) (rows of the flattened D·H
 * grid); `out` holds the output planes, already holding the bias; `edge` is 32 floats of scratch.
 */
/* The tile's accumulators added to out for its oc channels; locals, not an array, so no stack. */
#define ADD_TILE()                                                                   \
  do {                                                                               \
    add_row(dst, valid, a00, a01, edge);                                             \
    if (oc > 1) add_row(dst + plane_out, valid, a10, a11, edge);                     \
    if (oc > 2) add_row(dst + 2 * plane_out, valid, a20, a21, edge);                 \
    if (oc > 3) add_row(dst + 3 * plane_out, valid, a30, a31, edge);                 \
  } while (0)

/* lo, hi = the inputs of eight neighbouring outputs of a row at stride s2 (1 or 2) from src. */
#define LOAD8(src, lo, hi)                                                                            \
  do {                                                                                                \
    if (s2 == 1) {                                                                                    \
      lo = wasm_v128_load(src);                                                                       \
      hi = wasm_v128_load((src) + 4);                                                                 \
    } else { /* stride 2: the even lanes of 16 neighbours */                                          \
      lo = wasm_i32x4_shuffle(wasm_v128_load(src), wasm_v128_load((src) + 4), 0, 2, 4, 6);            \
      hi = wasm_i32x4_shuffle(wasm_v128_load((src) + 8), wasm_v128_load((src) + 12), 0, 2, 4, 6);     \
    }                                                                                                 \
  } while (0)

/* dst[8q .. 8q + 8) += lo, hi for the part of a 32-column tile that exists (valid columns). */
#define ADD_QUARTER(q, lo, hi) \
  if (valid > 8 * (q)) add_row(dst + 8 * (q), valid - 8 * (q) < 8 ? valid - 8 * (q) : 8, lo, hi, edge)

/*
 * One output channel (a depthwise convolution): tiles of 32 grid columns, so every splat weight
 * feeds eight vectors instead of two plus six zero lanes. Same order of sums as the 4×8 tiles.
 */
INLINE void conv_direct_single(const float *img, const int *geo, int channel_start, int count, const float *w,
                               float *out, int row_begin, int row_end, float *edge) {
  const int H = geo[1], W = geo[2], G1 = geo[4], G2 = geo[5], K0 = geo[6], K1 = geo[7], K2 = geo[8];
  const int plane_in = geo[0] * H * W, rows = count * K0 * K1 * K2, s2 = geo[11];
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int gr = row_begin; gr < row_end; gr++) {
    int g0 = gr / G1, g1 = gr % G1;
    for (int x0 = 0; x0 < G2; x0 += 32) {
      float *dst = out + gr * G2 + x0;
      int valid = G2 - x0 < 32 ? G2 - x0 : 32;
      v128_t a0 = zero, a1 = zero, a2 = zero, a3 = zero, a4 = zero, a5 = zero, a6 = zero, a7 = zero;
      const float *wr = w;
      int r = 0, flush_at = KC;
      for (int c = 0; c < count; c++) {
        const float *plane = img + (channel_start + c) * plane_in + x0 * s2;
        for (int k0 = 0; k0 < K0; k0++)
          for (int k1 = 0; k1 < K1; k1++) {
            const float *src = plane + ((g0 * geo[9] + k0 * geo[15]) * H + g1 * geo[10] + k1 * geo[16]) * W;
            for (int k2 = 0; k2 < K2; k2++, wr += 4) {
              v128_t s = wasm_v128_load32_splat(wr), lo, hi;
              LOAD8(src + k2, lo, hi);
              a0 = MADD(a0, s, lo); a1 = MADD(a1, s, hi);
              LOAD8(src + k2 + 8 * s2, lo, hi);
              a2 = MADD(a2, s, lo); a3 = MADD(a3, s, hi);
              LOAD8(src + k2 + 16 * s2, lo, hi);
              a4 = MADD(a4, s, lo); a5 = MADD(a5, s, hi);
              LOAD8(src + k2 + 24 * s2, lo, hi);
              a6 = MADD(a6, s, lo); a7 = MADD(a7, s, hi);
              if (++r == flush_at || r == rows) {
                /* The end of a KC-row panel (or of K): added to out, as the GEMM does. */
                ADD_QUARTER(0, a0, a1);
                ADD_QUARTER(1, a2, a3);
                ADD_QUARTER(2, a4, a5);
                ADD_QUARTER(3, a6, a7);
                a0 = a1 = a2 = a3 = a4 = a5 = a6 = a7 = zero;
                flush_at += KC;
              }
            }
          }
      }
    }
  }
}

INLINE void conv_direct_group(const float *img, const int *geo, int channel_start, int count, const float *w, int cout,
                              float *out, int row_begin, int row_end, float *edge) {
  if (cout == 1) {
    conv_direct_single(img, geo, channel_start, count, w, out, row_begin, row_end, edge);
    return;
  }
  const int H = geo[1], W = geo[2], G1 = geo[4], G2 = geo[5], K0 = geo[6], K1 = geo[7], K2 = geo[8];
  const int plane_in = geo[0] * H * W, plane_out = geo[3] * G1 * G2, rows = count * K0 * K1 * K2, s2 = geo[11];
  const v128_t zero = wasm_f32x4_splat(0.0f);
  for (int ob = 0; ob < cout; ob += 4) {
    int oc = cout - ob < 4 ? cout - ob : 4;
    for (int gr = row_begin; gr < row_end; gr++) {
      int g0 = gr / G1, g1 = gr % G1;
      for (int x0 = 0; x0 < G2; x0 += 8) {
        float *dst = out + ob * plane_out + gr * G2 + x0;
        int valid = G2 - x0 < 8 ? G2 - x0 : 8;
        const float *wr = w + (ob / 4) * rows * 4;
        v128_t a00 = zero, a01 = zero, a10 = zero, a11 = zero, a20 = zero, a21 = zero, a30 = zero, a31 = zero;
        int r = 0, flush_at = KC;
        for (int c = 0; c < count; c++) {
          const float *plane = img + (channel_start + c) * plane_in + x0 * s2;
          for (int k0 = 0; k0 < K0; k0++) {
            for (int k1 = 0; k1 < K1; k1++) {
              const float *src = plane + ((g0 * geo[9] + k0 * geo[15]) * H + g1 * geo[10] + k1 * geo[16]) * W;
              for (int k2 = 0; k2 < K2; k2++, wr += 4) {
                v128_t v0, v1;
                LOAD8(src + k2, v0, v1);
                v128_t s = wasm_v128_load32_splat(wr);
                a00 = MADD(a00, s, v0); a01 = MADD(a01, s, v1);
                s = wasm_v128_load32_splat(wr + 1);
                a10 = MADD(a10, s, v0); a11 = MADD(a11, s, v1);
                s = wasm_v128_load32_splat(wr + 2);
                a20 = MADD(a20, s, v0); a21 = MADD(a21, s, v1);
                s = wasm_v128_load32_splat(wr + 3);
                a30 = MADD(a30, s, v0); a31 = MADD(a31, s, v1);
                if (++r == flush_at) {
                  /* The end of a KC-row panel: added to out, as the GEMM does. */
                  ADD_TILE();
                  a00 = a01 = a10 = a11 = a20 = a21 = a30 = a31 = zero;
                  flush_at += KC;
                }
              }
            }
          }
        }
        if (r % KC != 0) ADD_TILE();
      }
    }
  }
}

void conv_direct(const float *img, const int *geo, int count, const float *w, int cout, float *out, int group_begin,
                 int group_end, int row_begin, int row_end, float *edge) {
  const int rows = count * geo[6] * geo[7] * geo[8], plane_out = geo[3] * geo[4] * geo[5];
  const int packed = (cout + 3) / 4 * 4 * rows;
  for (int g = group_begin; g < group_end; g++)
    conv_direct_group(img, geo, g * count, count, w + g * packed, cout, out + g * cout * plane_out, row_begin, row_end, edge);
}

/*
 * Max pooling of planes [plane_begin, plane_end): out = the window's maximum (from −FLT_MAX;
 * NaNs never win), argmax (when non-null) = the winner's spatial index, or −1. `dims` = D, H, W,
 * O0, O1, O2, C (3-D; lower ranks padded with size-1 axes); `tables` = lo0, hi0 (O0 each), lo1,
 * hi1 (O1), lo2, hi2 (O2): each output index's input range, as pool_geometry.ts's poolWindows.
 * Channels-first, a plane is one (n, c); channels-last (max_pool_last), one image n, whose C
 * channels are pooled together, four at a time, with the same strictly-greater rule per lane.
 */
void max_pool_first(const float *x, const int *dims, const int *tables, float *out, int *argmax, int plane_begin,
                    int plane_end) {
  const int D = dims[0], H = dims[1], W = dims[2], O0 = dims[3], O1 = dims[4], O2 = dims[5];
  const int *lo0 = tables, *hi0 = lo0 + O0, *lo1 = hi0 + O0, *hi1 = lo1 + O1, *lo2 = hi1 + O1, *hi2 = lo2 + O2;
  const int in_plane = D * H * W, out_plane = O0 * O1 * O2;
  for (int nc = plane_begin; nc < plane_end; nc++) {
    const float *plane = x + nc * in_plane;
    int dst = nc * out_plane;
    for (int o0 = 0; o0 < O0; o0++)
      for (int o1 = 0; o1 < O1; o1++)
        for (int o2 = 0; o2 < O2; o2++, dst++) {
          float best = -3.40282347e38f;
          int index = -1;
          for (int d = lo0[o0]; d < hi0[o0]; d++)
            for (int h = lo1[o1]; h < hi1[o1]; h++) {
              int row = (d * H + h) * W;
              for (int w = lo2[o2]; w < hi2[o2]; w++) {
                float v = plane[row + w];
                if (v > best) { best = v; index = row + w; }
              }
            }
          out[dst] = best;
          if (argmax) argmax[dst] = index;
        }
  }
}

void max_pool_last(const float *x, const int *dims, const int *tables, float *out, int *argmax, int image_begin,
                   int image_end) {
  const int D = dims[0], H = dims[1], W = dims[2], O0 = dims[3], O1 = dims[4], O2 = dims[5], C = dims[6];
  const int *lo0 = tables, *hi0 = lo0 + O0, *lo1 = hi0 + O0, *hi1 = lo1 + O1, *lo2 = hi1 + O1, *hi2 = lo2 + O2;
  const v128_t lowest = wasm_f32x4_splat(-3.40282347e38f), none = wasm_i32x4_splat(-1);
  for (int n = image_begin; n < image_end; n++) {
    const float *image = x + n * D * H * W * C;
    float *dst = out + n * O0 * O1 * O2 * C;
    int *arg = argmax ? argmax + n * O0 * O1 * O2 * C : 0;
    for (int o0 = 0; o0 < O0; o0++)
      for (int o1 = 0; o1 < O1; o1++)
        for (int o2 = 0; o2 < O2; o2++, dst += C, arg = arg ? arg + C : 0) {
          int c = 0;
          for (; c + 4 <= C; c += 4) {
            v128_t best = lowest, index = none;
            for (int d = lo0[o0]; d < hi0[o0]; d++)
              for (int h = lo1[o1]; h < hi1[o1]; h++)
                for (int w = lo2[o2]; w < hi2[o2]; w++) {
                  int at = (d * H + h) * W + w;
                  v128_t v = wasm_v128_load(image + at * C + c);
                  v128_t greater = wasm_f32x4_gt(v, best);
                  best = wasm_v128_bitselect(v, best, greater);
                  index = wasm_v128_bitselect(wasm_i32x4_splat(at), index, greater);
                }
            wasm_v128_store(dst + c, best);
            if (arg) wasm_v128_store(arg + c, index);
          }
          for (; c < C; c++) {
            float best = -3.40282347e38f;
            int index = -1;
            for (int d = lo0[o0]; d < hi0[o0]; d++)
              for (int h = lo1[o1]; h < hi1[o1]; h++)
                for (int w = lo2[o2]; w < hi2[o2]; w++) {
                  int at = (d * H + h) * W + w;
                  float v = image[at * C + c];
                  if (v > best) { best = v; index = at; }
                }
            dst[c] = best;
            if (arg) arg[c] = index;
          }
        }
  }
}

/*
 * Copies `planes` channels-first planes (D, H, W) at src into dst with a zero border of p0, p1,
 * p2 on each side (the padded image the direct convolution reads). `dims` = D, H, W, p0, p1, p2.
 */
void pad_planes(const float *src, float *dst, int planes, const int *dims) {
  const int D = dims[0], H = dims[1], W = dims[2], P0 = dims[3], P1 = dims[4], P2 = dims[5];
  const int PD = D + 2 * P0, PH = H + 2 * P1, PW = W + 2 * P2;
  __builtin_memset(dst, 0, (unsigned long)planes * PD * PH * PW * sizeof(float));
  for (int c = 0; c < planes; c++)
    for (int d = 0; d < D; d++)
      for (int h = 0; h < H; h++, src += W)
        __builtin_memcpy(dst + ((c * PD + d + P0) * PH + h + P1) * PW + P2, src, (unsigned long)W * sizeof(float));
}
