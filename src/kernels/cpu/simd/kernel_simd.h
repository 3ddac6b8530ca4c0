/*
 * What the kernel module's C files share: the GEMM's blocking, the multiply-add of the build
 * (plain or relaxed SIMD), forced inlining, the tile-row store, and the im2col/col2im transfer
 * that both the GEMM (implicit convolution panels) and the convolution exports use.
 *
 * No static data and no stack anywhere in the module: every buffer is a pointer the caller passes,
 * so one module serves one thread or several sharing one memory (scripts/build_simd.js checks it).
 */
#ifndef TSGLUON_KERNEL_SIMD_H
#define TSGLUON_KERNEL_SIMD_H
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

#endif
