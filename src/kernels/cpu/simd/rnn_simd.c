/*
 * The gate arithmetic of the LSTM (forward and backward), the GRU and the tanh RNN (forward) in
 * the kernel module (rnn_wasm.ts drives it), for rows (batch items) [n_begin, n_end) of one step:
 * the same float64 formulas, in the same order, as rnn.ts's and rnn_backward.ts's JavaScript
 * loops, each stored value rounded once to float32, two cells per f64x2 vector (one for an odd
 * hidden size's last). Gates per row: LSTM i, f, g, o; GRU r, z, n; H values each.
 *
 *   LSTM forward:  i, f, o = σ(a + r), g = tanh(a + r); c' = f·c + i·g; h' = o·tanh(c')
 *   LSTM backward: dc_total = dc + dh·o·(1 − tanh²c), then dA_i = dc_total·g·i·(1 − i),
 *                  dA_f = dc_total·c_prev·f·(1 − f), dA_g = dc_total·i·(1 − g²),
 *                  dA_o = dh·tanh(c)·o·(1 − o), and dc becomes dc_total·f.
 *   GRU forward:   r, z = σ(a + r_h); n = tanh(a_n + r·r_hn); h' = (1 − z)·n + z·h, r_hn kept.
 *   tanh RNN:      h' = tanh(a + r).
 */
#include "activation_math.h"

/* Two floats (one when `one`: an odd hidden size's last cell) at p as float64, and back, rounded once. */
ACT_INLINE v128_t load_pd(int one, const float *p) {
  return wasm_f64x2_promote_low_f32x4(one ? wasm_v128_load32_zero(p) : wasm_v128_load64_zero(p));
}
ACT_INLINE void store_pd(int one, float *p, v128_t v) {
  v128_t f = wasm_f32x4_demote_f64x2_zero(v);
  if (one) wasm_v128_store32_lane(p, f, 0);
  else wasm_v128_store64_lane(p, f, 0);
}
ACT_INLINE v128_t mul(v128_t a, v128_t b) { return wasm_f64x2_mul(a, b); }
ACT_INLINE v128_t one_minus(v128_t a) { return wasm_f64x2_sub(splat(1.0), a); }

ACT_INLINE void lstm_cells(int one, const float *a, const float *r, const float *c, float *acts, float *next, float *h, int H) {
  v128_t i = sigmoid_pd(wasm_f64x2_add(load_pd(one, a), load_pd(one, r)));
  v128_t f = sigmoid_pd(wasm_f64x2_add(load_pd(one, a + H), load_pd(one, r + H)));
  v128_t g = tanh_pd(wasm_f64x2_add(load_pd(one, a + 2 * H), load_pd(one, r + 2 * H)));
  v128_t o = sigmoid_pd(wasm_f64x2_add(load_pd(one, a + 3 * H), load_pd(one, r + 3 * H)));
  store_pd(one, acts, i);
  store_pd(one, acts + H, f);
  store_pd(one, acts + 2 * H, g);
  store_pd(one, acts + 3 * H, o);
  store_pd(one, next, wasm_f64x2_add(mul(f, load_pd(one, c)), mul(i, g)));
  /* h' reads c' as stored (rounded), as the JavaScript loop reads it back from its array. */
  store_pd(one, h, mul(o, tanh_pd(load_pd(one, next))));
}

/*
 * One forward step: a, r the input- and hidden-side gate pre-activations (rows of 4H), c the cell
 * state (rows of H); writes acts (rows of 4H), next = c' and h = h' (rows of H).
 */
void lstm_step(const float *a, const float *r, const float *c, float *acts, float *next, float *h, int H, int n_begin, int n_end) {
  for (int n = n_begin; n < n_end; n++) {
    const int gates = n * 4 * H, cells = n * H;
    /* One call site (the last cell of an odd H takes one lane): the gate functions inline once. */
    for (int j = 0; j < H; j += 2) lstm_cells(j + 1 == H, a + gates + j, r + gates + j, c + cells + j, acts + gates + j, next + cells + j, h + cells + j, H);
  }
}

ACT_INLINE void lstm_gate_cells(int one, const float *acts, const float *c, const float *c_prev, const float *dh, float *dc,
                                float *d_gates, int H) {
  v128_t i = load_pd(one, acts), f = load_pd(one, acts + H), g = load_pd(one, acts + 2 * H), o = load_pd(one, acts + 3 * H);
  v128_t tc = tanh_pd(load_pd(one, c)), dhv = load_pd(one, dh);
  v128_t total = wasm_f64x2_add(load_pd(one, dc), mul(mul(dhv, o), one_minus(mul(tc, tc))));
  store_pd(one, d_gates, mul(mul(mul(total, g), i), one_minus(i)));
  store_pd(one, d_gates + H, mul(mul(mul(total, load_pd(one, c_prev)), f), one_minus(f)));
  store_pd(one, d_gates + 2 * H, mul(mul(total, i), one_minus(mul(g, g))));
  store_pd(one, d_gates + 3 * H, mul(mul(mul(dhv, tc), o), one_minus(o)));
  store_pd(one, dc, mul(total, f));
}

/*
 * One backward step: from the step's acts (rows of 4H), c' and c (rows of H), the gradients dh of
 * h' and dc of c' (rows of H), writes the gate gradients (rows of 4H) and turns dc into c's.
 */
void lstm_gate_gradients(const float *acts, const float *c, const float *c_prev, const float *dh, float *dc, float *d_gates, int H,
                         int n_begin, int n_end) {
  for (int n = n_begin; n < n_end; n++) {
    const int gates = n * 4 * H, cells = n * H;
    for (int j = 0; j < H; j += 2) {
      lstm_gate_cells(j + 1 == H, acts + gates + j, c + cells + j, c_prev + cells + j, dh + cells + j, dc + cells + j, d_gates + gates + j, H);
    }
  }
}

ACT_INLINE void gru_cells(int one, const float *a, const float *r, const float *h, float *acts, float *hn, float *next, int H) {
  v128_t rg = sigmoid_pd(wasm_f64x2_add(load_pd(one, a), load_pd(one, r)));
  v128_t z = sigmoid_pd(wasm_f64x2_add(load_pd(one, a + H), load_pd(one, r + H)));
  v128_t rn = load_pd(one, r + 2 * H);
  v128_t n = tanh_pd(wasm_f64x2_add(load_pd(one, a + 2 * H), mul(rg, rn)));
  store_pd(one, acts, rg);
  store_pd(one, acts + H, z);
  store_pd(one, acts + 2 * H, n);
  store_pd(one, hn, rn);
  store_pd(one, next, wasm_f64x2_add(mul(one_minus(z), n), mul(z, load_pd(one, h))));
}

/*
 * One GRU forward step: a, r the input- and hidden-side projections (rows of 3H), h the state
 * (rows of H); writes acts (rows of 3H), hn = the hidden side's n projection and next = h' (rows of H).
 */
void gru_step(const float *a, const float *r, const float *h, float *acts, float *hn, float *next, int H, int n_begin, int n_end) {
  for (int n = n_begin; n < n_end; n++) {
    const int gates = n * 3 * H, cells = n * H;
    for (int j = 0; j < H; j += 2) gru_cells(j + 1 == H, a + gates + j, r + gates + j, h + cells + j, acts + gates + j, hn + cells + j, next + cells + j, H);
  }
}

/* One tanh RNN step: a, r the input- and hidden-side projections (rows of H); writes acts and next = tanh(a + r). */
void rnn_tanh_step(const float *a, const float *r, float *acts, float *next, int H, int n_begin, int n_end) {
  for (int i = n_begin * H; i < n_end * H; i += 2) {
    v128_t t = tanh_pd(wasm_f64x2_add(load_pd(i + 1 == n_end * H, a + i), load_pd(i + 1 == n_end * H, r + i)));
    store_pd(i + 1 == n_end * H, acts + i, t);
    store_pd(i + 1 == n_end * H, next + i, t);
  }
}
