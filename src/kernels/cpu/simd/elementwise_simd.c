/*
 * The elementwise loops of the kernel module: a fused ReLU applied to a kernel's output while it
 * is still in the arena (fused_activation.ts), and the work between layers on a cached graph's
 * intermediates in the kernel memory (elementwise_wasm.ts): addition and nearest upsampling,
 * each split across the thread pool by ranges of [begin, end).
 */
#include "kernel_simd.h"

/*
 * x[i] = max(x[i], 0) for i in [0, n), as the Activation operator's relu: NaN stays NaN
 * (f32x4.max propagates it), −0 becomes +0.
 */
void relu_in_place(float *x, int n) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 16 <= n; i += 16) {
    wasm_v128_store(x + i, wasm_f32x4_max(wasm_v128_load(x + i), zero));
    wasm_v128_store(x + i + 4, wasm_f32x4_max(wasm_v128_load(x + i + 4), zero));
    wasm_v128_store(x + i + 8, wasm_f32x4_max(wasm_v128_load(x + i + 8), zero));
    wasm_v128_store(x + i + 12, wasm_f32x4_max(wasm_v128_load(x + i + 12), zero));
  }
  for (; i + 4 <= n; i += 4) wasm_v128_store(x + i, wasm_f32x4_max(wasm_v128_load(x + i), zero));
  for (; i < n; i++) x[i] = x[i] > 0.0f || x[i] != x[i] ? x[i] : 0.0f;
}

/* out[i] = a[i] + b[i] for i in [begin, end), each sum rounded once (out may be a or b). */
void add_floats(const float *a, const float *b, float *out, int begin, int end) {
  int i = begin;
  for (; i + 4 <= end; i += 4) wasm_v128_store(out + i, wasm_f32x4_add(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  for (; i < end; i++) out[i] = a[i] + b[i];
}

/*
 * Nearest upsampling by `scale` of input rows [row_begin, row_end) of `width` values (the rows of
 * consecutive planes, one after another): input row r becomes output rows r·scale .. r·scale +
 * scale − 1 of width·scale values, each value repeated scale times; dst is not src.
 */
void upsample_nearest_rows(const float *src, float *dst, int width, int scale, int row_begin, int row_end) {
  const int out_width = width * scale;
  for (int r = row_begin; r < row_end; r++) {
    const float *in = src + r * width;
    float *out = dst + r * scale * out_width;
    int j = 0;
    if (scale == 2) {
      for (; j + 4 <= width; j += 4) {
        v128_t v = wasm_v128_load(in + j);
        wasm_v128_store(out + 2 * j, wasm_i32x4_shuffle(v, v, 0, 0, 1, 1));
        wasm_v128_store(out + 2 * j + 4, wasm_i32x4_shuffle(v, v, 2, 2, 3, 3));
      }
    }
    for (; j < width; j++)
      for (int b = 0; b < scale; b++) out[j * scale + b] = in[j];
    for (int a = 1; a < scale; a++) __builtin_memcpy(out + a * out_width, out, out_width * sizeof(float));
  }
}
