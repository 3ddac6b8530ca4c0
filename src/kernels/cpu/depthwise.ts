/**
 * Direct depthwise convolution (one input channel per group, `groups` = in channels, any
 * channel multiplier): each output channel o reads input channel floor(o / multiplier) through
 * its own kernel. With one input channel per group an im2col + GEMM would run `groups` tiny
 * GEMMs of depth `taps`, so sliding the kernel directly over the image is several times faster.
 *
 * Called by `convForward` for one batch item after the output was filled with the bias; it
 * accumulates into `out`. Weight layout is (out, *kernel) in both data layouts (the trailing
 * in/groups axis of the channels-last weight is 1).
 */
import type { ConvPlan } from './conv_geometry';

// Bound once: inside sandboxes such as jest's vm every global lookup in a loop is slow.
const { min, max, ceil, floor } = Math;

/** Taps-major copy of the weight for the channels-last loop, grown as needed. */
let tapMajor: Float32Array = new Float32Array(0);

/**
 * out[o, y] += Σ_t w[o, t] · x[o / multiplier, y·s − p + t·d] for one batch item (`xn`, `outN`
 * are its offsets), channels-first or channels-last as the plan says.
 *
 * @example
 * // 1 channel, x = [1, 2, 3], w = [1, 1], no padding: out += [3, 5]
 * depthwiseForward(plan, x, 0, w, 0, out, 0);
 */
export function depthwiseForward(
  plan: ConvPlan, x: Float32Array, xn: number, weight: Float32Array, wOffset: number, out: Float32Array, outN: number,
): void {
  if (plan.channelsLast) depthwiseLast(plan, x, xn, weight, wOffset, out, outN);
  else depthwiseFirst(plan, x, xn, weight, wOffset, out, outN);
}

function depthwiseFirst(plan: ConvPlan, x: Float32Array, xn: number, w: Float32Array, wOffset: number, out: Float32Array, outN: number): void {
  const { geometry: geo, taps, gridSize, imageSize } = plan;
  const multiplier = plan.gridGroupChannels;
  const [K0, K1, K2] = geo.kernel;
  for (let o = 0; o < plan.gridChannels; o++) {
    const plane = xn + floor(o / multiplier) * imageSize;
    const outPlane = outN + o * gridSize;
    for (let k0 = 0, t = 0; k0 < K0; k0++) {
      for (let k1 = 0; k1 < K1; k1++) {
        for (let k2 = 0; k2 < K2; k2++, t++) addTap(plan, w[wOffset + o * taps + t], x, plane, k0, k1, k2, out, outPlane);
      }
    }
  }
}

/** out_plane[g] += wv · x_plane[g·s − p + tap·d] over every grid position whose tap is inside. */
function addTap(
  plan: ConvPlan, wv: number, x: Float32Array, plane: number, k0: number, k1: number, k2: number, out: Float32Array, outPlane: number,
): void {
  const geo = plan.geometry;
  const [D, H, W] = geo.image;
  const [G0, G1, G2] = geo.grid;
  const s2 = geo.stride[2];
  const off2 = k2 * geo.dilation[2] - geo.padding[2];
  // Grid columns g with 0 ≤ g·s2 + off2 < W read the image.
  const lo = max(0, ceil(-off2 / s2));
  const hi = min(G2, floor((W - 1 - off2) / s2) + 1);
  for (let g0 = 0; g0 < G0; g0++) {
    const i0 = g0 * geo.stride[0] - geo.padding[0] + k0 * geo.dilation[0];
    if (i0 < 0 || i0 >= D) continue;
    for (let g1 = 0; g1 < G1; g1++) {
      const i1 = g1 * geo.stride[1] - geo.padding[1] + k1 * geo.dilation[1];
      if (i1 < 0 || i1 >= H) continue;
      const dst = outPlane + (g0 * G1 + g1) * G2;
      let src = plane + (i0 * H + i1) * W + lo * s2 + off2;
      for (let g2 = lo; g2 < hi; g2++, src += s2) out[dst + g2] += wv * x[src];
    }
  }
}

function depthwiseLast(plan: ConvPlan, x: Float32Array, xn: number, w: Float32Array, wOffset: number, out: Float32Array, outN: number): void {
  const { geometry: geo, taps } = plan;
  const [D, H, W] = geo.image;
  const [G0, G1, G2] = geo.grid;
  const [K0, K1, K2] = geo.kernel;
  const C = plan.imageChannels;
  const O = plan.gridChannels;
  const multiplier = plan.gridGroupChannels;
  const wt = transposeWeight(w, wOffset, O, taps);
  for (let g0 = 0, dst = outN; g0 < G0; g0++) {
    for (let g1 = 0; g1 < G1; g1++) {
      for (let g2 = 0; g2 < G2; g2++, dst += O) {
        for (let k0 = 0, t = 0; k0 < K0; k0++) {
          const i0 = g0 * geo.stride[0] - geo.padding[0] + k0 * geo.dilation[0];
          for (let k1 = 0; k1 < K1; k1++) {
            const i1 = g1 * geo.stride[1] - geo.padding[1] + k1 * geo.dilation[1];
            for (let k2 = 0; k2 < K2; k2++, t++) {
              const i2 = g2 * geo.stride[2] - geo.padding[2] + k2 * geo.dilation[2];
              if (i0 < 0 || i0 >= D || i1 < 0 || i1 >= H || i2 < 0 || i2 >= W) continue;
              const src = xn + ((i0 * H + i1) * W + i2) * C;
              const wt0 = t * O;
              if (multiplier === 1) for (let o = 0; o < O; o++) out[dst + o] += wt[wt0 + o] * x[src + o];
              else for (let o = 0; o < O; o++) out[dst + o] += wt[wt0 + o] * x[src + floor(o / multiplier)];
            }
          }
        }
      }
    }
  }
}

/** (O, taps) → (taps, O), so the channels-last inner loop reads the weight contiguously. */
function transposeWeight(w: Float32Array, wOffset: number, O: number, taps: number): Float32Array {
  if (tapMajor.length < O * taps) tapMajor = new Float32Array(O * taps);
  for (let o = 0; o < O; o++) for (let t = 0; t < taps; t++) tapMajor[t * O + o] = w[wOffset + o * taps + t];
  return tapMajor;
}
