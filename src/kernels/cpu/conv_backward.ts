/**
 * Backward of N-D convolution and transposed convolution on the CPU (layouts and weight shapes
 * as in conv.ts). The two ops are each other's adjoint in the data, so:
 *
 * - a convolution's data gradient is a transposed convolution of the output gradient with the
 *   same weight (GEMM + col2im), and a transposed convolution's data gradient is a convolution
 *   of its output gradient with the same weight (im2col + GEMM): the other op's `convPass` on
 *   the same plan, dy on the side the forward wrote and dx on the side it read;
 * - both weight gradients are one GEMM per batch item and group of the "grid side" array (a
 *   convolution's output gradient, a transposed convolution's input) with the im2col matrix of
 *   the "image side" array (a convolution's input, a transposed convolution's output gradient):
 *   dW_g += G_g · im2col(I_g)ᵀ, accumulated over the batch, the grid processed in the forward
 *   kernels' bounded chunks (`forEachColumnChunk`);
 * - the bias gradient is the sum of the output gradient over batch and spatial positions.
 */
import { checkArrays, checkInt, checkObject } from './check_args';
import { convPass } from './conv';
import { ConvParams, ConvPlan, ConvTransposeParams, planConv, planConvTranspose, planView, weightView } from './conv_geometry';
import { gemmViews, transposedView } from './gemm';
import { weightGradientWasm } from './conv_wasm';
import { forEachColumnChunk, patchColumns } from './im2col';
import { gemmSimd } from './simd/gemm_simd';

/** Shape of an activation tensor for `biasGradient`: (batch, channels, size) or (batch, size, channels). */
export interface ChannelLayout {
  readonly batch: number;
  readonly channels: number;
  /** Number of spatial positions (1 for a Dense layer's (batch, units) output). */
  readonly size: number;
  readonly channelsLast: boolean;
}

/**
 * Data gradient of `convForward`: dx[n, c, i] = Σ_{o ∈ group(c), t, y : y·s − p + t·d = i}
 * w[o, c, t] · dy[n, o, y]. dy has the forward output's shape, dx the input's (fully
 * overwritten), weight the forward weight's.
 *
 * @throws GluonError for invalid hyperparameters, buffers that are too short, or an output
 *   sharing memory with an input.
 * @example
 * // 1-D, x of size 3, w = [1, -1]: dy = [1, 1] → dx = [1, 0, -1]
 * convBackwardData({ batch: 1, inChannels: 1, outChannels: 1, inSize: [3], kernel: [2], strides: [1],
 *   padding: [0], dilation: [1], groups: 1, channelsLast: false }, dy, 0, w, 0, dx, 0);
 */
export function convBackwardData(
  params: ConvParams,
  dy: Float32Array, dyOffset: number,
  weight: Float32Array, weightOffset: number,
  dx: Float32Array, dxOffset: number,
): void {
  const name = 'convBackwardData';
  const plan = planConv(name, params);
  checkArrays(name, [['dy', dy, dyOffset, plan.gridLength], ['weight', weight, weightOffset, plan.weightLength]],
    ['dx', dx, dxOffset, plan.imageLength]);
  convPass(plan, true, dy, dyOffset, weight, weightOffset, null, 0, dx, dxOffset);
}

/**
 * Data gradient of `convTransposeForward`: the convolution of dy (the forward output's shape)
 * with the same weight, giving dx of the forward input's shape (fully overwritten).
 *
 * @throws GluonError for invalid hyperparameters, buffers that are too short, or an output
 *   sharing memory with an input.
 * @example
 * // 1-D, stride 2, w = [1, 1], x of size 2: dy = [1, 2, 3, 4] → dx = [3, 7]
 * convTransposeBackwardData({ ...params, outputPadding: [0] }, dy, 0, w, 0, dx, 0);
 */
export function convTransposeBackwardData(
  params: ConvTransposeParams,
  dy: Float32Array, dyOffset: number,
  weight: Float32Array, weightOffset: number,
  dx: Float32Array, dxOffset: number,
): void {
  const name = 'convTransposeBackwardData';
  const plan = planConvTranspose(name, params);
  checkArrays(name, [['dy', dy, dyOffset, plan.imageLength], ['weight', weight, weightOffset, plan.weightLength]],
    ['dx', dx, dxOffset, plan.gridLength]);
  convPass(plan, false, dy, dyOffset, weight, weightOffset, null, 0, dx, dxOffset);
}

/**
 * Weight gradient of `convForward`: dW[o, c, t] = Σ_{n, y} dy[n, o, y] · x[n, g·cinG + c, y·s − p + t·d]
 * (zero in the padding), in the forward weight's layout; dWeight is fully overwritten.
 *
 * @throws GluonError for invalid hyperparameters, buffers that are too short, or an output
 *   sharing memory with an input.
 * @example
 * // 1-D, x = [1, 2, 3], kernel 2: dy = [1, 1] → dW = [3, 5]
 * convBackwardWeight(params, x, 0, dy, 0, dW, 0);
 */
export function convBackwardWeight(
  params: ConvParams,
  x: Float32Array, xOffset: number,
  dy: Float32Array, dyOffset: number,
  dWeight: Float32Array, dWeightOffset: number,
): void {
  const name = 'convBackwardWeight';
  const plan = planConv(name, params);
  checkArrays(name, [['x', x, xOffset, plan.imageLength], ['dy', dy, dyOffset, plan.gridLength]],
    ['dWeight', dWeight, dWeightOffset, plan.weightLength]);
  patchWeightGradient(plan, x, xOffset, dy, dyOffset, dWeight, dWeightOffset);
}

/**
 * Weight gradient of `convTransposeForward`: dW[c, o, t] = Σ_{n, y} x[n, c, y] · dy[n, g·coutG + o, y·s − p + t·d],
 * in the forward weight's layout (in, out/groups, *kernel); dWeight is fully overwritten.
 *
 * @throws GluonError for invalid hyperparameters, buffers that are too short, or an output
 *   sharing memory with an input.
 * @example
 * // 1-D, stride 2, x = [1, 2], kernel 2: dy = [1, 2, 3, 4] → dW = [1·1 + 2·3, 1·2 + 2·4] = [7, 10]
 * convTransposeBackwardWeight(params, x, 0, dy, 0, dW, 0);
 */
export function convTransposeBackwardWeight(
  params: ConvTransposeParams,
  x: Float32Array, xOffset: number,
  dy: Float32Array, dyOffset: number,
  dWeight: Float32Array, dWeightOffset: number,
): void {
  const name = 'convTransposeBackwardWeight';
  const plan = planConvTranspose(name, params);
  checkArrays(name, [['x', x, xOffset, plan.gridLength], ['dy', dy, dyOffset, plan.imageLength]],
    ['dWeight', dWeight, dWeightOffset, plan.weightLength]);
  patchWeightGradient(plan, dy, dyOffset, x, xOffset, dWeight, dWeightOffset);
}

/**
 * Bias gradient: db[c] = Σ_{n, i} dy[n, c, i], accumulated in float64 and rounded once. Serves
 * convolution, transposed convolution (layout of their output) and FullyConnected (batch = rows,
 * size 1).
 *
 * @throws GluonError for invalid sizes, buffers that are too short, or dBias sharing memory with dy.
 * @example
 * // dy (1, 2, 2) channels-first = [[1, 2], [3, 4]] → db = [3, 7]
 * biasGradient({ batch: 1, channels: 2, size: 2, channelsLast: false }, dy, 0, db, 0);
 */
export function biasGradient(layout: ChannelLayout, dy: Float32Array, dyOffset: number, dBias: Float32Array, dBiasOffset: number): void {
  const name = 'biasGradient';
  checkObject(name, 'a layout object', layout);
  const { batch, channels, size, channelsLast } = layout;
  checkInt(name, 'batch', batch, 0);
  checkInt(name, 'channels', channels, 0);
  checkInt(name, 'size', size, 0);
  checkArrays(name, [['dy', dy, dyOffset, batch * channels * size]], ['dBias', dBias, dBiasOffset, channels]);
  const cStride = channelsLast ? 1 : size;
  const iStride = channelsLast ? channels : 1;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let n = 0; n < batch; n++) {
      let at = dyOffset + n * channels * size + c * cStride;
      for (let i = 0; i < size; i++, at += iStride) sum += dy[at];
    }
    dBias[dBiasOffset + c] = sum;
  }
}

/**
 * dW_g = Σ_n grid_g · im2col(image_g)ᵀ for every group g, where the plan's image side has
 * imageGroupChannels channels per group and its grid side gridGroupChannels; dW is laid out
 * (gridChannels, imageGroupChannels·taps) channels-first or (gridChannels, taps·imageGroupChannels)
 * channels-last — the forward weight of both ops.
 */
function patchWeightGradient(
  plan: ConvPlan, image: Float32Array, imageOffset: number, grid: Float32Array, gridOffset: number,
  dW: Float32Array, dWOffset: number,
): void {
  const simd = gemmSimd();
  if (simd && weightGradientWasm(simd, plan, image, imageOffset, grid, gridOffset, dW, dWOffset)) return;
  dW.fill(0, dWOffset, dWOffset + plan.weightLength);
  for (let n = 0; n < plan.batch; n++) {
    const imageN = imageOffset + n * plan.imageChannels * plan.imageSize;
    const gridN = gridOffset + n * plan.gridChannels * plan.gridSize;
    forEachColumnChunk(plan, (g, p0, p1) => weightChunk(plan, image, imageN, grid, gridN, g, p0, p1, dW, dWOffset));
  }
}

/** dW_g (gridG × imageG·taps) += grid_g[:, p0:p1] · colᵀ, col = im2col(image_g) (imageG·taps × chunk). */
function weightChunk(
  plan: ConvPlan, image: Float32Array, imageN: number, grid: Float32Array, gridN: number,
  g: number, p0: number, p1: number, dW: Float32Array, dWOffset: number,
): void {
  const columns = patchColumns(plan, image, imageN, g, p0, p1);
  const src = planView(plan, 'grid', grid, gridN, g * plan.gridGroupChannels, p0);
  const k = plan.imageGroupChannels * plan.taps;
  gemmViews(plan.gridGroupChannels, k, p1 - p0, 1, src, transposedView(columns), 1, weightView(plan, dW, dWOffset, g));
}
