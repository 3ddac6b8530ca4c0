/*
 * The convolution loops of the kernel module (conv_wasm.ts drives them): im2col and col2im between
 * an image and its column matrix, a direct kernel for few output channels per group, and the
 * zero-padded copy of an image that kernel reads.
 */
#include "kernel_simd.h"

void im2col(const float *img, const int *geo, int channels_last, int channels, int channel_start, int count, int p0,
            int p1, float *col) {
  transfer(0, (float *)img, geo, channels_last, channels, channel_start, count, p0, p1, col);
}

void col2im(float *img, const int *geo, int channels_last, int channels, int channel_start, int count, int p0, int p1,
            float *col) {
  transfer(1, img, geo, channels_last, channels, channel_start, count, p0, p1, col);
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

/* The input index output index o reads on an axis of length n padded by `before` (pad.ts's
   sourceIndex): −1 for the constant border; edge clamps; reflect bounces once. */
INLINE int pad_source(int mode, int o, int before, int n) {
  const int i = o - before;
  if (i >= 0 && i < n) return i;
  if (mode == 0) return -1;
  if (mode == 1) return i < 0 ? 0 : n - 1;
  return i < 0 ? -i : 2 * (n - 1) - i;
}

/*
 * A convolution's fused Pad (pad.ts's padForward on one batch item) for an input that already
 * lies in this memory: planes [plane_begin, plane_end) of (D, H, W) at src, each padded into
 * (bD + D + aD, bH + H + aH, bW + W + aW) at dst, in mode 0 constant (`value`), 1 edge, 2 reflect.
 * `dims` = D, H, W, bD, aD, bH, aH, bW, aW, mode.
 */
void pad_mapped(const float *src, float *dst, int plane_begin, int plane_end, const int *dims, float value) {
  const int D = dims[0], H = dims[1], W = dims[2], bD = dims[3], bH = dims[5], bW = dims[7], mode = dims[9];
  const int PD = bD + D + dims[4], PH = bH + H + dims[6], PW = bW + W + dims[8];
  for (int c = plane_begin; c < plane_end; c++) {
    for (int od = 0; od < PD; od++) {
      const int sd = pad_source(mode, od, bD, D);
      for (int oh = 0; oh < PH; oh++) {
        const int sh = pad_source(mode, oh, bH, H);
        float *out = dst + ((long)(c * PD + od) * PH + oh) * PW;
        if (sd < 0 || sh < 0) {
          for (int x = 0; x < PW; x++) out[x] = value;
          continue;
        }
        const float *in = src + ((long)(c * D + sd) * H + sh) * W;
        for (int x = 0; x < bW; x++) {
          const int s = pad_source(mode, x, bW, W);
          out[x] = s < 0 ? value : in[s];
        }
        __builtin_memcpy(out + bW, in, (unsigned long)W * sizeof(float));
        for (int x = bW + W; x < PW; x++) {
          const int s = pad_source(mode, x, bW, W);
          out[x] = s < 0 ? value : in[s];
        }
      }
    }
  }
}
