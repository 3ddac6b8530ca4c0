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
