/*
 * The float64 SIMD functions of the kernel module's activations (activation_simd.c) and LSTM
 * gates (rnn_simd.c), two values per f64x2 vector. WebAssembly has no transcendental
 * instructions: exp, expm1 and log1p are these polynomials, each within a few float64 ulps, so a
 * float32 result differs from the JavaScript loops' (Math.exp, Math.log1p, Math.tanh) only where
 * the float64 value lies within those few ulps of a float32 rounding boundary.
 *
 *   sigmoid(v) = 1/(1 + e^−v)              tanh(v)     = sign(v)·e/(e + 2), e = expm1(2|v|)
 *   softrelu(v) = max(v, 0) + log1p(e^−|v|)  softsign(v) = v/(1 + |v|) (±1 at ±∞)
 */
#ifndef TSGLUON_ACTIVATION_MATH_H
#define TSGLUON_ACTIVATION_MATH_H
#include <wasm_simd128.h>
#pragma STDC FP_CONTRACT OFF

#define ACT_INLINE static inline __attribute__((always_inline))

ACT_INLINE v128_t splat(double v) { return wasm_f64x2_splat(v); }

/* p·x + c: one Horner step. */
ACT_INLINE v128_t horner(v128_t p, v128_t x, double c) { return wasm_f64x2_add(wasm_f64x2_mul(p, x), splat(c)); }

/* a + b·x */
ACT_INLINE v128_t madd(v128_t a, v128_t b, v128_t x) { return wasm_f64x2_add(a, wasm_f64x2_mul(b, x)); }
ACT_INLINE v128_t linear(double c0, double c1, v128_t x) { return madd(splat(c0), splat(c1), x); }

/*
 * (e^r − 1)/r = Σ_{j=0..12} r^j/(j + 1)! for |r| ≤ ln2/2 (truncation below 2⁻⁵⁵ relative), by
 * Estrin's scheme: the terms pair up in a tree of depth four, so the vector unit is not kept
 * waiting on one long chain of dependent multiply-adds as Horner's rule would.
 */
ACT_INLINE v128_t expm1_over_r(v128_t r) {
  v128_t r2 = wasm_f64x2_mul(r, r), r4 = wasm_f64x2_mul(r2, r2), r8 = wasm_f64x2_mul(r4, r4);
  v128_t q0 = madd(linear(1.0, 0.5, r), linear(1.0 / 6.0, 1.0 / 24.0, r), r2);
  v128_t q1 = madd(linear(1.0 / 120.0, 1.0 / 720.0, r), linear(1.0 / 5040.0, 1.0 / 40320.0, r), r2);
  v128_t q2 = madd(linear(1.0 / 362880.0, 1.0 / 3628800.0, r), linear(1.0 / 39916800.0, 1.0 / 479001600.0, r), r2);
  v128_t s0 = madd(q0, q1, r4), s1 = madd(q2, splat(1.0 / 6227020800.0), r4);
  return madd(s0, s1, r8);
}

/* x = k·ln2 + r, |r| ≤ ln2/2 (Cody and Waite's two-part ln2, so k·ln2_hi is exact); returns r, sets *scale = 2^k (|k| ≤ 1022). */
ACT_INLINE v128_t reduce(v128_t x, v128_t *scale) {
  v128_t k = wasm_f64x2_nearest(wasm_f64x2_mul(x, splat(1.4426950408889634)));
  v128_t ki = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(k));
  *scale = wasm_i64x2_shl(wasm_i64x2_add(ki, wasm_i64x2_splat(1023)), 52);
  return wasm_f64x2_sub(wasm_f64x2_sub(x, wasm_f64x2_mul(k, splat(6.93147180369123816490e-01))),
                        wasm_f64x2_mul(k, splat(1.90821492927058770002e-10)));
}

/*
 * e^x = 2^k·(1 + r·(e^r − 1)/r). The argument is clamped to ±708, where 2^k stays a normal
 * float64; past float64's own overflow and underflow (±709.8, −745.2) the result is ∞ and 0 as
 * Math.exp's, so products such as mish's −∞·tanh(0) = NaN come out as in JavaScript. Between,
 * only values far outside float32's range differ from e^x (e^−740 comes out as e^−708). A NaN x
 * gives NaN.
 */
ACT_INLINE v128_t exp_pd(v128_t x) {
  v128_t overflow = wasm_f64x2_gt(x, splat(709.8)), underflow = wasm_f64x2_lt(x, splat(-745.2));
  v128_t scale;
  v128_t r = reduce(wasm_f64x2_max(wasm_f64x2_min(x, splat(708.0)), splat(-708.0)), &scale);
  v128_t e = wasm_f64x2_mul(madd(splat(1.0), r, expm1_over_r(r)), scale);
  return wasm_v128_andnot(wasm_v128_bitselect(splat(__builtin_inf()), e, overflow), underflow);
}

/* e^x − 1 for 0 ≤ x ≤ 708 (NaN stays NaN): 2^k·(e^r − 1) + (2^k − 1), no cancellation near 0, where k = 0. */
ACT_INLINE v128_t expm1_pd(v128_t x) {
  v128_t scale;
  v128_t r = reduce(x, &scale);
  return wasm_f64x2_add(wasm_f64x2_mul(scale, wasm_f64x2_mul(r, expm1_over_r(r))), wasm_f64x2_sub(scale, splat(1.0)));
}

/*
 * log(1 + y) for y in [0, 1]: 2·atanh(s), s = y/(2 + y) ≤ 1/3, by the odd series of atanh to s³³
 * (truncation below 2⁻⁵⁸ relative).
 */
ACT_INLINE v128_t log1p_unit_pd(v128_t y) {
  v128_t s = wasm_f64x2_div(y, wasm_f64x2_add(y, splat(2.0)));
  v128_t s2 = wasm_f64x2_mul(s, s);
  v128_t p = splat(1.0 / 33.0);
  p = horner(p, s2, 1.0 / 31.0);
  p = horner(p, s2, 1.0 / 29.0);
  p = horner(p, s2, 1.0 / 27.0);
  p = horner(p, s2, 1.0 / 25.0);
  p = horner(p, s2, 1.0 / 23.0);
  p = horner(p, s2, 1.0 / 21.0);
  p = horner(p, s2, 1.0 / 19.0);
  p = horner(p, s2, 1.0 / 17.0);
  p = horner(p, s2, 1.0 / 15.0);
  p = horner(p, s2, 1.0 / 13.0);
  p = horner(p, s2, 1.0 / 11.0);
  p = horner(p, s2, 1.0 / 9.0);
  p = horner(p, s2, 1.0 / 7.0);
  p = horner(p, s2, 1.0 / 5.0);
  p = horner(p, s2, 1.0 / 3.0);
  p = horner(p, s2, 1.0);
  return wasm_f64x2_mul(wasm_f64x2_mul(p, s), splat(2.0));
}

ACT_INLINE v128_t sigmoid_pd(v128_t v) {
  return wasm_f64x2_div(splat(1.0), wasm_f64x2_add(splat(1.0), exp_pd(wasm_f64x2_neg(v))));
}

ACT_INLINE v128_t tanh_pd(v128_t v) {
  /* tanh|v| = e/(e + 2), e = expm1(2|v|); from 2|v| = 40 on, that is 1 in float64. */
  v128_t a = wasm_f64x2_abs(v);
  v128_t e = expm1_pd(wasm_f64x2_min(wasm_f64x2_add(a, a), splat(40.0)));
  v128_t t = wasm_f64x2_div(e, wasm_f64x2_add(e, splat(2.0)));
  v128_t sign = wasm_v128_and(v, wasm_i64x2_splat((long long)0x8000000000000000ULL));
  return wasm_v128_or(t, sign);
}

ACT_INLINE v128_t softrelu_pd(v128_t v) {
  v128_t tail = log1p_unit_pd(exp_pd(wasm_f64x2_neg(wasm_f64x2_abs(v))));
  return wasm_f64x2_add(wasm_f64x2_max(v, splat(0.0)), tail);
}

ACT_INLINE v128_t softsign_pd(v128_t v) {
  v128_t a = wasm_f64x2_abs(v);
  v128_t q = wasm_f64x2_div(v, wasm_f64x2_add(splat(1.0), a));
  v128_t unit = wasm_v128_or(splat(1.0), wasm_v128_and(v, wasm_i64x2_splat((long long)0x8000000000000000ULL)));
  return wasm_v128_bitselect(unit, q, wasm_f64x2_eq(a, splat(__builtin_inf())));
}

/* The first n (1 to 3) floats at p, zeros after them: a loop's last partial vector, without reading past the end. */
ACT_INLINE v128_t load_tail(const float *p, int n) {
  return wasm_f32x4_make(p[0], n > 1 ? p[1] : 0.0f, n > 2 ? p[2] : 0.0f, 0.0f);
}

/* Stores the first n (1 to 3) lanes of v at p. */
ACT_INLINE void store_tail(float *p, v128_t v, int n) {
  p[0] = wasm_f32x4_extract_lane(v, 0);
  if (n > 1) p[1] = wasm_f32x4_extract_lane(v, 1);
  if (n > 2) p[2] = wasm_f32x4_extract_lane(v, 2);
}

#endif
