/*
 * The normalization kernel's runs layout in the kernel module, on arrays that already lie in the
 * kernel memory (a cached graph's intermediates): norm_wasm.ts splits the runs across the thread
 * pool. The loops are norm_runs.h's, the ones the normalization module runs, so the bits are the
 * imperative call's. Run r is x[r·n .. (r + 1)·n).
 */
#include "norm_runs.h"

/* sums[2r], sums[2r + 1] = Σ (x − shifts[r]), Σ (x − shifts[r])² over run r, for r in [begin, end). */
void norm_runs_sums(const float *x, int n, const double *shifts, double *sums, int begin, int end) {
  for (int r = begin; r < end; r++) norm_run_sums(x + r * n, n, shifts[r], sums + 2 * r);
}

/*
 * out = (x − m)·k + b over run r, with (m, k, b) = coefficients[3r .. 3r + 3), for r in
 * [begin, end); then max(out, 0) when relu is nonzero. out may be x.
 */
void norm_runs_apply(const float *x, float *out, int n, const double *coefficients, int relu, int begin, int end) {
  for (int r = begin; r < end; r++) {
    const double *c = coefficients + 3 * r;
    norm_run_apply(x + r * n, out + r * n, n, c[0], c[1], c[2]);
    if (relu) norm_relu(out + r * n, n);
  }
}
