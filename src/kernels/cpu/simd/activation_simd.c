/*
 * The activation functions of the kernel module (activation_wasm.ts drives them): MXNet's
 * Activation act types other than relu, two floats per f64x2 vector, computed in float64 and
 * rounded once to float32 as the JavaScript loops (unary.ts) are. exp and log1p are this file's
 * own polynomials (WebAssembly has no transcendental instructions), each within a few float64 ulps,
 * so a result differs from the JavaScript loop's — which use Math.exp, Math.log1p, Math.tanh —
 * only where the float64 value lies within those few ulps of a float32 rounding boundary.
 *
 *   sigmoid(v) = 1/(1 + e^−v)              tanh(v)     = sign(v)·(1 − 2/(e^2|v| + 1)), or
 *   softrelu(v) = max(v, 0) + log1p(e^−|v|)                 e/(e + 2), e = expm1(2|v|), for |v| < 1/2
 *   softsign(v) = v/(1 + |v|) (±1 at ±∞)   log_sigmoid(v) = −softrelu(−v)
 *   mish(v) = v·tanh(softrelu(v))
 */
#include <wasm_simd128.h>
#pragma STDC FP_CONTRACT OFF

#define ACT_INLINE static inline __attribute__((always_inline))

enum { ACT_SIGMOID = 1, ACT_TANH = 2, ACT_SOFTRELU = 3, ACT_SOFTSIGN = 4, ACT_LOG_SIGMOID = 5, ACT_MISH = 6 };

ACT_INLINE v128_t splat(double v) { return wasm_f64x2_splat(v); }

/* p·x + c: one Horner step. */
ACT_INLINE v128_t horner(v128_t p, v128_t x, double c) { return wasm_f64x2_add(wasm_f64x2_mul(p, x), splat(c)); }

/*
 * e^x. x = k·ln2 + r with |r| ≤ ln2/2 (Cody and Waite's two-part ln2, so k·ln2_hi is exact), e^r
 * by its Taylor series to r¹³ (truncation below 2⁻⁵⁵ relative), scaled by 2^k built in the exponent
 * bits. The argument is clamped to ±708, where 2^k stays a normal float64; past float64's own
 * overflow and underflow (±709.8, −745.2) the result is ∞ and 0 as Math.exp's, so products such as
 * mish's −∞·tanh(0) = NaN come out as in JavaScript. Between, only values far outside float32's
 * range differ from e^x (e^−740 comes out as e^−708).
 */
ACT_INLINE v128_t exp_pd(v128_t x) {
  v128_t overflow = wasm_f64x2_gt(x, splat(709.8)), underflow = wasm_f64x2_lt(x, splat(-745.2));
  x = wasm_f64x2_max(wasm_f64x2_min(x, splat(708.0)), splat(-708.0));
  v128_t k = wasm_f64x2_nearest(wasm_f64x2_mul(x, splat(1.4426950408889634)));
  v128_t r = wasm_f64x2_sub(wasm_f64x2_sub(x, wasm_f64x2_mul(k, splat(6.93147180369123816490e-01))),
                            wasm_f64x2_mul(k, splat(1.90821492927058770002e-10)));
  v128_t p = splat(1.0 / 6227020800.0);
  p = horner(p, r, 1.0 / 479001600.0);
  p = horner(p, r, 1.0 / 39916800.0);
  p = horner(p, r, 1.0 / 3628800.0);
  p = horner(p, r, 1.0 / 362880.0);
  p = horner(p, r, 1.0 / 40320.0);
  p = horner(p, r, 1.0 / 5040.0);
  p = horner(p, r, 1.0 / 720.0);
  p = horner(p, r, 1.0 / 120.0);
  p = horner(p, r, 1.0 / 24.0);
  p = horner(p, r, 1.0 / 6.0);
  p = horner(p, r, 0.5);
  p = horner(p, r, 1.0);
  p = horner(p, r, 1.0);
  /* 2^k: (k + 1023) << 52, with k (|k| ≤ 1022) through int32. A NaN x gives a NaN p already. */
  v128_t ki = wasm_i64x2_extend_low_i32x4(wasm_i32x4_trunc_sat_f64x2_zero(k));
  v128_t scale = wasm_i64x2_shl(wasm_i64x2_add(ki, wasm_i64x2_splat(1023)), 52);
  v128_t e = wasm_f64x2_mul(p, scale);
  return wasm_v128_andnot(wasm_v128_bitselect(splat(__builtin_inf()), e, overflow), underflow);
}

/* e^x − 1 for 0 ≤ x ≤ 1, by its Taylor series to x¹⁷ (truncation below 2⁻⁵² relative): no cancellation near 0. */
ACT_INLINE v128_t expm1_unit_pd(v128_t x) {
  v128_t p = splat(1.0 / 355687428096000.0);
  p = horner(p, x, 1.0 / 20922789888000.0);
  p = horner(p, x, 1.0 / 1307674368000.0);
  p = horner(p, x, 1.0 / 87178291200.0);
  p = horner(p, x, 1.0 / 6227020800.0);
  p = horner(p, x, 1.0 / 479001600.0);
  p = horner(p, x, 1.0 / 39916800.0);
  p = horner(p, x, 1.0 / 3628800.0);
  p = horner(p, x, 1.0 / 362880.0);
  p = horner(p, x, 1.0 / 40320.0);
  p = horner(p, x, 1.0 / 5040.0);
  p = horner(p, x, 1.0 / 720.0);
  p = horner(p, x, 1.0 / 120.0);
  p = horner(p, x, 1.0 / 24.0);
  p = horner(p, x, 1.0 / 6.0);
  p = horner(p, x, 0.5);
  p = horner(p, x, 1.0);
  return wasm_f64x2_mul(p, x);
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
  v128_t a = wasm_f64x2_abs(v), two_a = wasm_f64x2_add(a, a);
  v128_t e = expm1_unit_pd(wasm_f64x2_min(two_a, splat(1.0)));
  v128_t small = wasm_f64x2_div(e, wasm_f64x2_add(e, splat(2.0)));
  v128_t large = wasm_f64x2_sub(splat(1.0), wasm_f64x2_div(splat(2.0), wasm_f64x2_add(exp_pd(two_a), splat(1.0))));
  /* |v| < 1/2 takes the expm1 form; NaN fails the comparison and stays NaN through `large`. */
  v128_t t = wasm_v128_bitselect(small, large, wasm_f64x2_lt(a, splat(0.5)));
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

ACT_INLINE v128_t activate_pd(const int kind, v128_t v) {
  switch (kind) {
    case ACT_SIGMOID: return sigmoid_pd(v);
    case ACT_TANH: return tanh_pd(v);
    case ACT_SOFTRELU: return softrelu_pd(v);
    case ACT_SOFTSIGN: return softsign_pd(v);
    case ACT_LOG_SIGMOID: return wasm_f64x2_neg(softrelu_pd(wasm_f64x2_neg(v)));
    default: return wasm_f64x2_mul(v, tanh_pd(softrelu_pd(v)));
  }
}

/* f of four floats, each computed in float64 and rounded once. */
ACT_INLINE v128_t activate_ps(const int kind, v128_t f) {
  v128_t lo = activate_pd(kind, wasm_f64x2_promote_low_f32x4(f));
  v128_t hi = activate_pd(kind, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(f, f, 1, 0)));
  return wasm_i64x2_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 2);
}

/* out[i] = f(x[i]) for i in [begin, end) (out may be x); `kind` a constant at each call below. */
ACT_INLINE void activate_range(const int kind, const float *x, float *out, int begin, int end) {
  int i = begin;
  for (; i + 4 <= end; i += 4) wasm_v128_store(out + i, activate_ps(kind, wasm_v128_load(x + i)));
  /* The last one to three values, one lane each (no reads or writes past the end, no stack). */
  for (; i < end; i++) out[i] = wasm_f32x4_extract_lane(activate_ps(kind, wasm_f32x4_splat(x[i])), 0);
}

/* out[i] = f(x[i]) for i in [begin, end), f the act type `kind` (ACT_* above); out may be x. */
void activation_floats(int kind, const float *x, float *out, int begin, int end) {
  switch (kind) {
    case ACT_SIGMOID: activate_range(ACT_SIGMOID, x, out, begin, end); break;
    case ACT_TANH: activate_range(ACT_TANH, x, out, begin, end); break;
    case ACT_SOFTRELU: activate_range(ACT_SOFTRELU, x, out, begin, end); break;
    case ACT_SOFTSIGN: activate_range(ACT_SOFTSIGN, x, out, begin, end); break;
    case ACT_LOG_SIGMOID: activate_range(ACT_LOG_SIGMOID, x, out, begin, end); break;
    case ACT_MISH: activate_range(ACT_MISH, x, out, begin, end); break;
    default: break;
  }
}
