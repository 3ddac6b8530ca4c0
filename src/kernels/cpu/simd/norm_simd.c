/*
 * WebAssembly SIMD loops of the shared normalization kernel (normalization.ts and
 * normalization_backward.ts), for the two layouts that dominate its use:
 *   runs — each group one contiguous run with one gamma/beta (InstanceNorm NCHW, GroupNorm);
 *   rows — channels-last rows of C values, gamma/beta per channel (InstanceNorm/BatchNorm NHWC);
 *   affine rows — one group per row with gamma/beta per element (LayerNorm over the last axis).
 * The arithmetic is exactly the JavaScript kernel's: float64 throughout, each output rounded
 * once to float32; only the order of the float64 sums differs (four or two lanes, not one).
 *
 * The JavaScript side copies its Float32Array ranges into REGION_X / REGION_DY, calls these, and
 * copies REGION_OUT back; every pointer below points into this module's own memory.
 * Build: `node scripts/build_simd.js` (clang --target=wasm32 -msimd128 -O3), which writes
 * norm_simd_wasm.ts.
 */
#include "norm_runs.h"

#define CHUNK (1 << 20) /* floats per region (4 MiB): a channels-last block of 128×128×64 is read once */
#define MAX_CHANNELS 4096

static float region_x[CHUNK], region_dy[CHUNK], region_out[CHUNK];
/* Per-channel float64 vectors for rows: shift/mean, sums, squares, and coefficients. */
static double vec_a[MAX_CHANNELS], vec_b[MAX_CHANNELS], vec_c[MAX_CHANNELS], vec_d[MAX_CHANNELS];
/* gamma (first MAX_CHANNELS) and beta of a LayerNorm row, whose affine index steps per element. */
static float affine[2 * MAX_CHANNELS];
/* Two float64 results of the run functions. */
static double result[2];

float *region_x_ptr(void) { return region_x; }
float *region_dy_ptr(void) { return region_dy; }
float *region_out_ptr(void) { return region_out; }
double *vec_a_ptr(void) { return vec_a; }
double *vec_b_ptr(void) { return vec_b; }
double *vec_c_ptr(void) { return vec_c; }
double *vec_d_ptr(void) { return vec_d; }
double *result_ptr(void) { return result; }
float *affine_ptr(void) { return affine; }
int chunk_floats(void) { return CHUNK; }
int max_channels(void) { return MAX_CHANNELS; }

/* result = [Σ (x − shift), Σ (x − shift)²] over region_x[0..n). */
void run_sums(int n, double shift) { norm_run_sums(region_x, n, shift, result); }

/* region_out[i] = (x[i] − m)·k + b over region_x[0..n). */
void run_apply(int n, double m, double k, double b) { norm_run_apply(region_x, region_out, n, m, k, b); }

/* result = [Σ dy, Σ dy·(x − m)] over region_x/region_dy[0..n). */
void run_backward_sums(int n, double m) {
  v128_t vm = wasm_f64x2_splat(m), s0 = wasm_f64x2_splat(0), s1 = s0, p0 = s0, p1 = s0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t f = wasm_v128_load(region_x + i), g = wasm_v128_load(region_dy + i);
    v128_t g0 = norm_lo(g), g1 = norm_hi(g);
    s0 = wasm_f64x2_add(s0, g0); s1 = wasm_f64x2_add(s1, g1);
    p0 = wasm_f64x2_add(p0, wasm_f64x2_mul(g0, wasm_f64x2_sub(norm_lo(f), vm)));
    p1 = wasm_f64x2_add(p1, wasm_f64x2_mul(g1, wasm_f64x2_sub(norm_hi(f), vm)));
  }
  double s = norm_hsum(wasm_f64x2_add(s0, s1)), p = norm_hsum(wasm_f64x2_add(p0, p1));
  for (; i < n; i++) { double g = region_dy[i]; s += g; p += g * ((double)region_x[i] - m); }
  result[0] = s; result[1] = p;
}

/* region_out[i] = a·dy[i] + b·(x[i] − m) + k. */
void run_dx(int n, double a, double b, double k, double m) {
  v128_t va = wasm_f64x2_splat(a), vb = wasm_f64x2_splat(b), vk = wasm_f64x2_splat(k), vm = wasm_f64x2_splat(m);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t f = wasm_v128_load(region_x + i), g = wasm_v128_load(region_dy + i);
    v128_t y0 = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_mul(va, norm_lo(g)), wasm_f64x2_mul(vb, wasm_f64x2_sub(norm_lo(f), vm))), vk);
    v128_t y1 = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_mul(va, norm_hi(g)), wasm_f64x2_mul(vb, wasm_f64x2_sub(norm_hi(f), vm))), vk);
    wasm_v128_store(region_out + i, norm_demote(y0, y1));
  }
  for (; i < n; i++) region_out[i] = (float)(a * region_dy[i] + b * ((double)region_x[i] - m) + k);
}

/*
 * Rows of C channels (C a multiple of 4), in memory order; per-channel float64 vectors: vec_a
 * the shift or mean, the others accumulators or coefficients. Rows go four at a time, so each
 * channel's vectors are loaded (and accumulators stored) once per four rows.
 */

/* Σ (x − k) and Σ (x − k)² of the two float64 halves of one f32x4, added to s0/s1 and q0/q1. */
#define ACCUMULATE_SQUARES(f, k0, k1, s0, s1, q0, q1) do { \
    v128_t d0_ = wasm_f64x2_sub(norm_lo(f), k0), d1_ = wasm_f64x2_sub(norm_hi(f), k1); \
    s0 = wasm_f64x2_add(s0, d0_); s1 = wasm_f64x2_add(s1, d1_); \
    q0 = wasm_f64x2_add(q0, wasm_f64x2_mul(d0_, d0_)); q1 = wasm_f64x2_add(q1, wasm_f64x2_mul(d1_, d1_)); \
  } while (0)

/* vec_b[c] += Σ (x − vec_a[c]), vec_c[c] += Σ (x − vec_a[c])² over `rows` rows of region_x. */
void rows_sums(int rows, int C) {
  for (int r = 0, block; r < rows; r += block) {
    block = rows - r >= 4 ? 4 : 1;
    const float *p = region_x + r * C;
    for (int c = 0; c < C; c += 4) {
      v128_t k0 = wasm_v128_load(vec_a + c), k1 = wasm_v128_load(vec_a + c + 2);
      v128_t s0 = wasm_v128_load(vec_b + c), s1 = wasm_v128_load(vec_b + c + 2);
      v128_t q0 = wasm_v128_load(vec_c + c), q1 = wasm_v128_load(vec_c + c + 2);
      for (int k = 0; k < block; k++) ACCUMULATE_SQUARES(wasm_v128_load(p + k * C + c), k0, k1, s0, s1, q0, q1);
      wasm_v128_store(vec_b + c, s0); wasm_v128_store(vec_b + c + 2, s1);
      wasm_v128_store(vec_c + c, q0); wasm_v128_store(vec_c + c + 2, q1);
    }
  }
}

/* region_out = (x − vec_a[c])·vec_b[c] + vec_c[c] (mean, rstd·gamma, beta) for one f32x4 at p → o. */
static inline void apply4(const float *p, float *o, v128_t m0, v128_t m1, v128_t k0, v128_t k1, v128_t b0, v128_t b1) {
  v128_t f = wasm_v128_load(p);
  v128_t y0 = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_sub(norm_lo(f), m0), k0), b0);
  v128_t y1 = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_sub(norm_hi(f), m1), k1), b1);
  wasm_v128_store(o, norm_demote(y0, y1));
}

void rows_apply(int rows, int C) {
  for (int r = 0, block; r < rows; r += block) {
    block = rows - r >= 4 ? 4 : 1;
    const float *p = region_x + r * C;
    float *o = region_out + r * C;
    for (int c = 0; c < C; c += 4) {
      v128_t m0 = wasm_v128_load(vec_a + c), m1 = wasm_v128_load(vec_a + c + 2);
      v128_t k0 = wasm_v128_load(vec_b + c), k1 = wasm_v128_load(vec_b + c + 2);
      v128_t b0 = wasm_v128_load(vec_c + c), b1 = wasm_v128_load(vec_c + c + 2);
      for (int k = 0; k < block; k++) apply4(p + k * C + c, o + k * C + c, m0, m1, k0, k1, b0, b1);
    }
  }
}

/* Σ dy and Σ dy·(x − m) of one f32x4 pair, added to s0/s1 and p0/p1. */
#define ACCUMULATE_PRODUCTS(f, g, m0, m1, s0, s1, p0, p1) do { \
    v128_t g0_ = norm_lo(g), g1_ = norm_hi(g); \
    s0 = wasm_f64x2_add(s0, g0_); s1 = wasm_f64x2_add(s1, g1_); \
    p0 = wasm_f64x2_add(p0, wasm_f64x2_mul(g0_, wasm_f64x2_sub(norm_lo(f), m0))); \
    p1 = wasm_f64x2_add(p1, wasm_f64x2_mul(g1_, wasm_f64x2_sub(norm_hi(f), m1))); \
  } while (0)

/* vec_b[c] += Σ dy, vec_c[c] += Σ dy·(x − vec_a[c]). */
void rows_backward_sums(int rows, int C) {
  for (int r = 0, block; r < rows; r += block) {
    block = rows - r >= 4 ? 4 : 1;
    const float *p = region_x + r * C, *q = region_dy + r * C;
    for (int c = 0; c < C; c += 4) {
      v128_t m0 = wasm_v128_load(vec_a + c), m1 = wasm_v128_load(vec_a + c + 2);
      v128_t s0 = wasm_v128_load(vec_b + c), s1 = wasm_v128_load(vec_b + c + 2);
      v128_t p0 = wasm_v128_load(vec_c + c), p1 = wasm_v128_load(vec_c + c + 2);
      for (int k = 0; k < block; k++) ACCUMULATE_PRODUCTS(wasm_v128_load(p + k * C + c), wasm_v128_load(q + k * C + c), m0, m1, s0, s1, p0, p1);
      wasm_v128_store(vec_b + c, s0); wasm_v128_store(vec_b + c + 2, s1);
      wasm_v128_store(vec_c + c, p0); wasm_v128_store(vec_c + c + 2, p1);
    }
  }
}

/* dx = A·dy + B·(x − m) + K for one f32x4 pair at p, q → o (m, A, B, K from vec_a..vec_d). */
static inline void dx4(const float *p, const float *q, float *o, v128_t m0, v128_t m1, v128_t a0, v128_t a1,
    v128_t b0, v128_t b1, v128_t k0, v128_t k1) {
  v128_t f = wasm_v128_load(p), g = wasm_v128_load(q);
  v128_t y0 = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_mul(a0, norm_lo(g)), wasm_f64x2_mul(b0, wasm_f64x2_sub(norm_lo(f), m0))), k0);
  v128_t y1 = wasm_f64x2_add(wasm_f64x2_add(wasm_f64x2_mul(a1, norm_hi(g)), wasm_f64x2_mul(b1, wasm_f64x2_sub(norm_hi(f), m1))), k1);
  wasm_v128_store(o, norm_demote(y0, y1));
}

/* region_out = vec_b[c]·dy + vec_c[c]·(x − vec_a[c]) + vec_d[c]. */
void rows_dx(int rows, int C) {
  for (int r = 0, block; r < rows; r += block) {
    block = rows - r >= 4 ? 4 : 1;
    const float *p = region_x + r * C, *q = region_dy + r * C;
    float *o = region_out + r * C;
    for (int c = 0; c < C; c += 4) {
      v128_t m0 = wasm_v128_load(vec_a + c), m1 = wasm_v128_load(vec_a + c + 2);
      v128_t a0 = wasm_v128_load(vec_b + c), a1 = wasm_v128_load(vec_b + c + 2);
      v128_t b0 = wasm_v128_load(vec_c + c), b1 = wasm_v128_load(vec_c + c + 2);
      v128_t k0 = wasm_v128_load(vec_d + c), k1 = wasm_v128_load(vec_d + c + 2);
      for (int k = 0; k < block; k++) dx4(p + k * C + c, q + k * C + c, o + k * C + c, m0, m1, a0, a1, b0, b1, k0, k1);
    }
  }
}

/*
 * Affine rows (LayerNorm over the last axis): one group of n ≤ MAX_CHANNELS values with gamma[i]
 * and beta[i] per element, in `affine`; vec_b/vec_c accumulate dbeta/dgamma per element.
 */

/* region_out[i] = (x[i] − m)·(s·gamma[i]) + beta[i]. */
void affine_apply(int n, double m, double s) {
  v128_t vm = wasm_f64x2_splat(m), vs = wasm_f64x2_splat(s);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t f = wasm_v128_load(region_x + i), g = wasm_v128_load(affine + i), b = wasm_v128_load(affine + MAX_CHANNELS + i);
    v128_t y0 = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_sub(norm_lo(f), vm), wasm_f64x2_mul(vs, norm_lo(g))), norm_lo(b));
    v128_t y1 = wasm_f64x2_add(wasm_f64x2_mul(wasm_f64x2_sub(norm_hi(f), vm), wasm_f64x2_mul(vs, norm_hi(g))), norm_hi(b));
    wasm_v128_store(region_out + i, norm_demote(y0, y1));
  }
  for (; i < n; i++) region_out[i] = (float)(((double)region_x[i] - m) * (s * affine[i]) + affine[MAX_CHANNELS + i]);
}

/* Σ gamma·dy and Σ gamma·dy·x̂ of one f64x2 half, and the per-element dbeta/dgamma sums at v. */
#define AFFINE_SUMS(x2, d2, g2, v, sg, sgx) do { \
    v128_t t_ = wasm_f64x2_mul(d2, wasm_f64x2_mul(wasm_f64x2_sub(x2, vm), vs)); \
    wasm_v128_store(vec_b + (v), wasm_f64x2_add(wasm_v128_load(vec_b + (v)), d2)); \
    wasm_v128_store(vec_c + (v), wasm_f64x2_add(wasm_v128_load(vec_c + (v)), t_)); \
    sg = wasm_f64x2_add(sg, wasm_f64x2_mul(g2, d2)); sgx = wasm_f64x2_add(sgx, wasm_f64x2_mul(g2, t_)); \
  } while (0)

/* vec_b[i] += dy, vec_c[i] += dy·x̂ (x̂ = (x − m)·s); result = [Σ gamma·dy, Σ gamma·dy·x̂]. */
void affine_backward_sums(int n, double m, double s) {
  v128_t vm = wasm_f64x2_splat(m), vs = wasm_f64x2_splat(s), sg0 = wasm_f64x2_splat(0), sg1 = sg0, sgx0 = sg0, sgx1 = sg0;
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t f = wasm_v128_load(region_x + i), d = wasm_v128_load(region_dy + i), g = wasm_v128_load(affine + i);
    AFFINE_SUMS(norm_lo(f), norm_lo(d), norm_lo(g), i, sg0, sgx0);
    AFFINE_SUMS(norm_hi(f), norm_hi(d), norm_hi(g), i + 2, sg1, sgx1);
  }
  double sg = norm_hsum(wasm_f64x2_add(sg0, sg1)), sgx = norm_hsum(wasm_f64x2_add(sgx0, sgx1));
  for (; i < n; i++) {
    double d = region_dy[i], t = d * (((double)region_x[i] - m) * s);
    vec_b[i] += d;
    vec_c[i] += t;
    sg += affine[i] * d;
    sgx += affine[i] * t;
  }
  result[0] = sg; result[1] = sgx;
}

/* region_out[i] = s·(gamma[i]·dy − meanG − x̂·meanGX), x̂ = (x − m)·s. */
void affine_dx(int n, double m, double s, double meanG, double meanGX) {
  v128_t vm = wasm_f64x2_splat(m), vs = wasm_f64x2_splat(s), vg = wasm_f64x2_splat(meanG), vgx = wasm_f64x2_splat(meanGX);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t f = wasm_v128_load(region_x + i), d = wasm_v128_load(region_dy + i), g = wasm_v128_load(affine + i);
    v128_t y0 = wasm_f64x2_mul(vs, wasm_f64x2_sub(wasm_f64x2_sub(wasm_f64x2_mul(norm_lo(g), norm_lo(d)), vg),
      wasm_f64x2_mul(wasm_f64x2_mul(wasm_f64x2_sub(norm_lo(f), vm), vs), vgx)));
    v128_t y1 = wasm_f64x2_mul(vs, wasm_f64x2_sub(wasm_f64x2_sub(wasm_f64x2_mul(norm_hi(g), norm_hi(d)), vg),
      wasm_f64x2_mul(wasm_f64x2_mul(wasm_f64x2_sub(norm_hi(f), vm), vs), vgx)));
    wasm_v128_store(region_out + i, norm_demote(y0, y1));
  }
  for (; i < n; i++) {
    double xHat = ((double)region_x[i] - m) * s;
    region_out[i] = (float)(s * (affine[i] * region_dy[i] - meanG - xHat * meanGX));
  }
}

/* region_out[i] = max(region_out[i], 0) for i < n: a fused ReLU (NaN stays NaN, −0 becomes +0). */
void relu_out(int n) { norm_relu(region_out, n); }
