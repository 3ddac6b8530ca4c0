/*
 * The activation functions of the kernel module (activation_wasm.ts drives them): MXNet's
 * Activation act types other than relu, two floats per f64x2 vector, computed in float64 and
 * rounded once to float32 as the JavaScript loops (unary.ts) are, with activation_math.h's
 * functions (see there for how close they are to the JavaScript loops').
 *
 *   log_sigmoid(v) = −softrelu(−v)         mish(v) = v·tanh(softrelu(v))
 */
#include "activation_math.h"

enum { ACT_SIGMOID = 1, ACT_TANH = 2, ACT_SOFTRELU = 3, ACT_SOFTSIGN = 4, ACT_LOG_SIGMOID = 5, ACT_MISH = 6 };

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
  /* One call site per act type, the last partial vector included: the functions inline once. */
  for (int i = begin; i < end; i += 4) {
    const int n = end - i < 4 ? end - i : 4;
    v128_t y = activate_ps(kind, n == 4 ? wasm_v128_load(x + i) : load_tail(x + i, n));
    if (n == 4) wasm_v128_store(out + i, y);
    else store_tail(out + i, y, n);
  }
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

/*
 * dx = dy·f'(x), with f'(x) in float64 from the float32 x, as activation.ts's gradient loops (the
 * same products in the same order): sigmoid dy·e/(1 + e)², e = e^−|x|; tanh dy·4(e + 1)/(e + 2)²,
 * e = expm1(2|x|) (2|x| clamped to 708: beyond, the value is 0 in float32 anyway); softrelu
 * dy·σ(x); log_sigmoid dy·σ(−x); mish dy·(t + x·(1 − t²)·σ(x)), t = tanh(softrelu x); softsign
 * dy/(1 + |x|)².
 */
ACT_INLINE v128_t gradient_pd(const int kind, v128_t v, v128_t dy) {
  const v128_t one = splat(1.0);
  switch (kind) {
    case ACT_SIGMOID: {
      v128_t e = exp_pd(wasm_f64x2_neg(wasm_f64x2_abs(v))), d = wasm_f64x2_add(one, e);
      return wasm_f64x2_mul(dy, wasm_f64x2_div(e, wasm_f64x2_mul(d, d)));
    }
    case ACT_TANH: {
      v128_t e = expm1_pd(wasm_f64x2_min(wasm_f64x2_add(wasm_f64x2_abs(v), wasm_f64x2_abs(v)), splat(708.0)));
      v128_t d = wasm_f64x2_add(e, splat(2.0));
      return wasm_f64x2_mul(dy, wasm_f64x2_div(wasm_f64x2_mul(splat(4.0), wasm_f64x2_add(e, one)), wasm_f64x2_mul(d, d)));
    }
    case ACT_SOFTRELU: return wasm_f64x2_mul(dy, sigmoid_pd(v));
    case ACT_LOG_SIGMOID: return wasm_f64x2_mul(dy, sigmoid_pd(wasm_f64x2_neg(v)));
    case ACT_SOFTSIGN: {
      v128_t d = wasm_f64x2_add(one, wasm_f64x2_abs(v));
      return wasm_f64x2_div(dy, wasm_f64x2_mul(d, d));
    }
    default: {
      v128_t t = tanh_pd(softrelu_pd(v));
      v128_t slope = wasm_f64x2_mul(wasm_f64x2_mul(v, wasm_f64x2_sub(one, wasm_f64x2_mul(t, t))), sigmoid_pd(v));
      return wasm_f64x2_mul(dy, wasm_f64x2_add(t, slope));
    }
  }
}

/* The gradient of four floats, each computed in float64 and rounded once. */
ACT_INLINE v128_t gradient_ps(const int kind, v128_t x, v128_t dy) {
  v128_t lo = gradient_pd(kind, wasm_f64x2_promote_low_f32x4(x), wasm_f64x2_promote_low_f32x4(dy));
  v128_t hi = gradient_pd(kind, wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(x, x, 1, 0)),
                          wasm_f64x2_promote_low_f32x4(wasm_i64x2_shuffle(dy, dy, 1, 0)));
  return wasm_i64x2_shuffle(wasm_f32x4_demote_f64x2_zero(lo), wasm_f32x4_demote_f64x2_zero(hi), 0, 2);
}

ACT_INLINE void gradient_range(const int kind, const float *x, const float *dy, float *dx, int begin, int end) {
  for (int i = begin; i < end; i += 4) {
    const int n = end - i < 4 ? end - i : 4;
    v128_t xv = n == 4 ? wasm_v128_load(x + i) : load_tail(x + i, n), dyv = n == 4 ? wasm_v128_load(dy + i) : load_tail(dy + i, n);
    v128_t g = gradient_ps(kind, xv, dyv);
    if (n == 4) wasm_v128_store(dx + i, g);
    else store_tail(dx + i, g, n);
  }
}

/* dx[i] = dy[i]·f'(x[i]) for i in [begin, end), f the act type `kind`; dx may be x or dy. */
void activation_gradient_floats(int kind, const float *x, const float *dy, float *dx, int begin, int end) {
  switch (kind) {
    case ACT_SIGMOID: gradient_range(ACT_SIGMOID, x, dy, dx, begin, end); break;
    case ACT_TANH: gradient_range(ACT_TANH, x, dy, dx, begin, end); break;
    case ACT_SOFTRELU: gradient_range(ACT_SOFTRELU, x, dy, dx, begin, end); break;
    case ACT_SOFTSIGN: gradient_range(ACT_SOFTSIGN, x, dy, dx, begin, end); break;
    case ACT_LOG_SIGMOID: gradient_range(ACT_LOG_SIGMOID, x, dy, dx, begin, end); break;
    case ACT_MISH: gradient_range(ACT_MISH, x, dy, dx, begin, end); break;
    default: break;
  }
}
