/*
 * The two loops of the normalization kernel's runs layout (a run: contiguous values with one
 * mean, scale and shift — an InstanceNorm NCHW plane), shared by the normalization module
 * (norm_simd.c, on its own regions) and the kernel module (norm_mapped.c, on a cached graph's
 * intermediates in the kernel memory, split across the thread pool). One definition, so both give
 * the same bits: float64 throughout, four lanes of sums, each output rounded once to float32.
 * Contraction into fused multiply-adds is off: the JavaScript loops round every product.
 */
#ifndef TSGLUON_NORM_RUNS_H
#define TSGLUON_NORM_RUNS_H
#include <wasm_simd128.h>
#pragma STDC FP_CONTRACT OFF

#define NORM_INLINE static inline __attribute__((always_inline))

NORM_INLINE v128_t norm_lo(v128_t f) { return wasm_f64x2_promote_low_f32x4(f); }
NORM_INLINE v128_t norm_hi(v128_t f) { return wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(f, f, 1, 0)); }
NORM_INLINE double norm_hsum(v128_t v) { return wasm_f64x2_extract_lane(v, 0) + wasm_f64x2_extract_lane(v, 1); }
/* two f64x2 → one f32x4 (each value rounded once) */
NORM_INLINE v128_t norm_demote(v128_t a, v128_t b) {
  v128_t fa = wasm_f32x4_demote_f64x2_zero(a), fb = wasm_f32x4_demote_f64x2_zero(b);
  return wasm_i64x2_shuffle(fa, fb, 0, 2);
}

/* sums[0..2) = [Σ (x − shift), Σ (x − shift)²] over x[0..n). */
NORM_INLINE void norm_run_sums(const float *x, int n, double shift, double *sums) {
  v128_t k = wasm_f64x2_splat(shift), s0 = wasm_f64x2_splat(0), s1 = s0, q0 = s0, q1 = s0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t f = wasm_v128_load(x + i);
    v128_t d0 = wasm_f64x2_sub(norm_lo(f), k), d1 = wasm_f64x2_sub(norm_hi(f), k);
    s0 = wasm_f64x2_add(s0, d0); s1 = wasm_f64x2_add(s1, d1);
    q0 = wasm_f64x2_add(q0, wasm_f64x2_mul(d0, d0)); q1 = wasm_f64x2_add(q1, wasm_f64x2_mul(d1, d1));
  }
  double s = norm_hsum(wasm_f64x2_add(s0, s1)), q = norm_hsum(wasm_f64x2_add(q0, q1));
  for (; i < n; i++) { double d = (double)x[i] - shift; s += d; q += d * d; }
  sums[0] = s; sums[1] = q;
}

/* out[i] = (x[i] − m)·k + b over x[0..n) (out may be x). */
NORM_INLINE void norm_run_apply(const float *x, float *out, int n, double m, double k, double b) {
  v128_t vm = wasm_f64x2_splat(m), vk = wasm_f64x2_splat(k), vb = wasm_f64x2_splat(b);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t f = wasm_v128_load(x + i);
    v128_t y0 = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_sub(norm_lo(f), vm), vk), vb);
    v128_t y1 = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_sub(norm_hi(f), vm), vk), vb);
    wasm_v128_store(out + i, norm_demote(y0, y1));
  }
  for (; i < n; i++) out[i] = (float)(((double)x[i] - m) * k + b);
}

/* x[i] = max(x[i], 0) over x[0..n): a fused ReLU (NaN stays NaN, −0 becomes +0). */
NORM_INLINE void norm_relu(float *x, int n) {
  v128_t zero = wasm_f32x4_splat(0.0f);
  int i = 0;
  for (; i + 4 <= n; i += 4) wasm_v128_store(x + i, wasm_f32x4_max(wasm_v128_load(x + i), zero));
  for (; i < n; i++) x[i] = x[i] > 0.0f || x[i] != x[i] ? x[i] : 0.0f;
}

#endif
