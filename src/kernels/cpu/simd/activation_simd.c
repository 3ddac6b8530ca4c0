/* The activation loops of the kernel module: applied to a kernel's output while it is still in
   the arena, before it is copied out (the cached graph's fused activations, fused_activation.ts). */
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
