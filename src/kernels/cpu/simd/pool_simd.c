/* The pooling loops of the kernel module (pool_wasm.ts drives them). */
#include "kernel_simd.h"

/*
 * Max pooling of planes [plane_begin, plane_end): out = the window's maximum (from −FLT_MAX;
 * NaNs never win), argmax (when non-null) = the winner's spatial index, or −1. `dims` = D, H, W,
 * O0, O1, O2, C (3-D; lower ranks padded with size-1 axes); `tables` = lo0, hi0 (O0 each), lo1,
 * hi1 (O1), lo2, hi2 (O2): each output index's input range, as pool_geometry.ts's poolWindows.
 * Channels-first, a plane is one (n, c); channels-last (max_pool_last), one image n, whose C
 * channels are pooled together, four at a time, with the same strictly-greater rule per lane.
 */
void max_pool_first(const float *x, const int *dims, const int *tables, float *out, int *argmax, int plane_begin,
                    int plane_end) {
  const int D = dims[0], H = dims[1], W = dims[2], O0 = dims[3], O1 = dims[4], O2 = dims[5];
  const int *lo0 = tables, *hi0 = lo0 + O0, *lo1 = hi0 + O0, *hi1 = lo1 + O1, *lo2 = hi1 + O1, *hi2 = lo2 + O2;
  const int in_plane = D * H * W, out_plane = O0 * O1 * O2;
  for (int nc = plane_begin; nc < plane_end; nc++) {
    const float *plane = x + nc * in_plane;
    int dst = nc * out_plane;
    for (int o0 = 0; o0 < O0; o0++)
      for (int o1 = 0; o1 < O1; o1++)
        for (int o2 = 0; o2 < O2; o2++, dst++) {
          float best = -3.40282347e38f;
          int index = -1;
          for (int d = lo0[o0]; d < hi0[o0]; d++)
            for (int h = lo1[o1]; h < hi1[o1]; h++) {
              int row = (d * H + h) * W;
              for (int w = lo2[o2]; w < hi2[o2]; w++) {
                float v = plane[row + w];
                if (v > best) { best = v; index = row + w; }
              }
            }
          out[dst] = best;
          if (argmax) argmax[dst] = index;
        }
  }
}

void max_pool_last(const float *x, const int *dims, const int *tables, float *out, int *argmax, int image_begin,
                   int image_end) {
  const int D = dims[0], H = dims[1], W = dims[2], O0 = dims[3], O1 = dims[4], O2 = dims[5], C = dims[6];
  const int *lo0 = tables, *hi0 = lo0 + O0, *lo1 = hi0 + O0, *hi1 = lo1 + O1, *lo2 = hi1 + O1, *hi2 = lo2 + O2;
  const v128_t lowest = wasm_f32x4_splat(-3.40282347e38f), none = wasm_i32x4_splat(-1);
  for (int n = image_begin; n < image_end; n++) {
    const float *image = x + n * D * H * W * C;
    float *dst = out + n * O0 * O1 * O2 * C;
    int *arg = argmax ? argmax + n * O0 * O1 * O2 * C : 0;
    for (int o0 = 0; o0 < O0; o0++)
      for (int o1 = 0; o1 < O1; o1++)
        for (int o2 = 0; o2 < O2; o2++, dst += C, arg = arg ? arg + C : 0) {
          int c = 0;
          for (; c + 4 <= C; c += 4) {
            v128_t best = lowest, index = none;
            for (int d = lo0[o0]; d < hi0[o0]; d++)
              for (int h = lo1[o1]; h < hi1[o1]; h++)
                for (int w = lo2[o2]; w < hi2[o2]; w++) {
                  int at = (d * H + h) * W + w;
                  v128_t v = wasm_v128_load(image + at * C + c);
                  v128_t greater = wasm_f32x4_gt(v, best);
                  best = wasm_v128_bitselect(v, best, greater);
                  index = wasm_v128_bitselect(wasm_i32x4_splat(at), index, greater);
                }
            wasm_v128_store(dst + c, best);
            if (arg) wasm_v128_store(arg + c, index);
          }
          for (; c < C; c++) {
            float best = -3.40282347e38f;
            int index = -1;
            for (int d = lo0[o0]; d < hi0[o0]; d++)
              for (int h = lo1[o1]; h < hi1[o1]; h++)
                for (int w = lo2[o2]; w < hi2[o2]; w++) {
                  int at = (d * H + h) * W + w;
                  float v = image[at * C + c];
                  if (v > best) { best = v; index = at; }
                }
            dst[c] = best;
            if (arg) arg[c] = index;
          }
        }
  }
}
