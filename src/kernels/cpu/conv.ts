/**
 * N-D convolution (1, 2 or 3 spatial dims) and transposed convolution forward on the CPU, as
 * im2col + GEMM and GEMM + col2im. Layouts and weight shapes follow MXNet 1.9's shape
 * inference (`ConvertLayout` of the channels-first weight shape to the data layout):
 *
 * | op                          | data layout            | weight shape                    |
 * |-----------------------------|------------------------|---------------------------------|
 * | convolution, channels-first | (N, C, *spatial)       | (out, in/groups, *kernel)       |
 * | convolution, channels-last  | (N, *spatial, C)       | (out, *kernel, in/groups)       |
 * | transposed, channels-first  | (N, C, *spatial)       | (in, out/groups, *kernel)       |
 * | transposed, channels-last   | (N, *spatial, C)       | (in, *kernel, out/groups)       |
 *
 * Bias has shape (out,). MXNet's own CPU operators only run the channels-first layouts (NHWC is
 * a cuDNN feature there) and refuse 3-D dilation and non-cuDNN 3-D transposed convolution; these
 * kernels run every combination with the same shapes and formulas.
 *
 * Depthwise convolutions (one input channel per group) run a direct loop (depthwise.ts). Otherwise
 * the image is processed one batch item and one group at a time, and the grid in chunks, so the
 * column buffer never exceeds COLUMN_LIMIT floats (64 MiB) unless one patch row alone is larger.
 * The data gradient of a convolution is `convTransposeForward`'s GEMM + col2im with the same
 * weight, and its weight gradient a GEMM of the output gradient with the im2col matrix; both
 * belong next to these functions and reuse the same plan and chunking.
 */
import { checkBuffer, checkDisjoint } from './check_args';
import { ConvParams, ConvPlan, ConvTransposeParams, planConv, planConvTranspose } from './conv_geometry';
import { depthwiseForward } from './depthwise';
import { gemm } from './gemm';
import { col2imChannelsFirst, col2imChannelsLast, im2colChannelsFirst, im2colChannelsLast } from './im2col';

export type { ConvParams, ConvTransposeParams } from './conv_geometry';
export { convOutputSize, convTransposeOutputSize } from './conv_geometry';

/** Upper bound of the column buffer, in floats (64 MiB). */
const COLUMN_LIMIT = 16 * 1024 * 1024;
/** Column scratch kept between calls is capped (16 MiB); larger chunks get a temporary buffer. */
const RETAINED_SCRATCH = 4 * 1024 * 1024;
let scratch: Float32Array = new Float32Array(0);

/**
 * Convolution forward:
 * out[n, o, y] = bias[o] + Σ_{c ∈ group(o), t} w[o, c, t] · x[n, c, y·s − p + t·d]
 * (zero outside the input), with output size floor((in + 2p − d·(k−1) − 1)/s) + 1.
 *
 * Shapes (channels-first; channels-last moves C last in x/out and in/groups last in w):
 * x (batch, inChannels, *inSize) at `xOffset`; weight (outChannels, inChannels/groups,
 * *kernel); bias (outChannels,) or null; out (batch, outChannels, *convOutputSize(params)),
 * fully overwritten; it must not share memory with the inputs. Inputs are not modified.
 *
 * @throws GluonError naming the argument for invalid sizes, hyperparameters, a kernel larger
 *   than the padded input, channels not divisible by groups, or buffers that are too short.
 * @example
 * // 1-D: x = [1, 2, 3, 4], w = [1, -1] → out = [-1, -1, -1]
 * convForward({ batch: 1, inChannels: 1, outChannels: 1, inSize: [4], kernel: [2], strides: [1],
 *   padding: [0], dilation: [1], groups: 1, channelsLast: false },
 *   Float32Array.of(1, 2, 3, 4), 0, Float32Array.of(1, -1), 0, null, 0, out, 0);
 */
export function convForward(
  params: ConvParams,
  x: Float32Array, xOffset: number,
  weight: Float32Array, weightOffset: number,
  bias: Float32Array | null, biasOffset: number,
  out: Float32Array, outOffset: number,
): void {
  const plan = planConv('convForward', params);
  const { batch, imageChannels, imageSize, gridChannels, gridSize } = plan;
  checkBuffers('convForward', x, xOffset, batch * imageChannels * imageSize,
    weight, weightOffset, gridChannels * plan.imageGroupChannels * plan.taps,
    bias, biasOffset, gridChannels, out, outOffset, batch * gridChannels * gridSize);
  const rowLength = plan.imageGroupChannels * plan.taps;
  // One input channel per group: a direct loop beats `groups` GEMMs of depth `taps`.
  const depthwise = plan.groups > 1 && plan.imageGroupChannels === 1;
  for (let n = 0; n < batch; n++) {
    const xn = xOffset + n * imageChannels * imageSize;
    const outN = outOffset + n * gridChannels * gridSize;
    fillBias(plan.channelsLast, gridChannels, gridSize, bias, biasOffset, out, outN);
    if (depthwise) {
      depthwiseForward(plan, x, xn, weight, weightOffset, out, outN);
      continue;
    }
    for (let g = 0; g < plan.groups; g++) {
      forEachChunk(plan.gridSize, rowLength, (p0, p1) => {
        if (plan.channelsLast) convChunkLast(plan, x, xn, weight, weightOffset, g, p0, p1, out, outN);
        else convChunkFirst(plan, x, xn, weight, weightOffset, g, p0, p1, out, outN);
      });
    }
  }
}

/** out_g[:, p0:p1] += W_g (coutG × cinG·taps) · col (cinG·taps × chunk). */
function convChunkFirst(
  plan: ConvPlan, x: Float32Array, xn: number, weight: Float32Array, wOffset: number,
  g: number, p0: number, p1: number, out: Float32Array, outN: number,
): void {
  const cin = plan.imageGroupChannels;
  const cout = plan.gridGroupChannels;
  const k = cin * plan.taps;
  const a = wOffset + g * cout * k;
  const c = outN + g * cout * plan.gridSize + p0;
  if (plan.pointwise) {
    gemm(false, false, cout, p1 - p0, k, 1, weight, a, k, x, xn + g * cin * plan.imageSize + p0, plan.imageSize,
      1, out, c, plan.gridSize);
    return;
  }
  const col = columnBuffer(k * (p1 - p0));
  im2colChannelsFirst(x, xn, g * cin, cin, plan.geometry, p0, p1, col, 0);
  gemm(false, false, cout, p1 - p0, k, 1, weight, a, k, col, 0, p1 - p0, 1, out, c, plan.gridSize);
}

/** out_g[p0:p1, :] += col (chunk × taps·cinG) · W_gᵀ (taps·cinG × coutG). */
function convChunkLast(
  plan: ConvPlan, x: Float32Array, xn: number, weight: Float32Array, wOffset: number,
  g: number, p0: number, p1: number, out: Float32Array, outN: number,
): void {
  const cin = plan.imageGroupChannels;
  const cout = plan.gridGroupChannels;
  const k = cin * plan.taps;
  const b = wOffset + g * cout * k;
  const c = outN + p0 * plan.gridChannels + g * cout;
  if (plan.pointwise) {
    gemm(false, true, p1 - p0, cout, k, 1, x, xn + p0 * plan.imageChannels + g * cin, plan.imageChannels,
      weight, b, k, 1, out, c, plan.gridChannels);
    return;
  }
  const col = columnBuffer(k * (p1 - p0));
  im2colChannelsLast(x, xn, plan.imageChannels, g * cin, cin, plan.geometry, p0, p1, col, 0);
  gemm(false, true, p1 - p0, cout, k, 1, col, 0, k, weight, b, k, 1, out, c, plan.gridChannels);
}

/**
 * Transposed convolution (deconvolution) forward, the adjoint of `convForward` in x:
 * out[n, o, y·s − p + t·d] += Σ_{c ∈ group(o)} w[c, o, t] · x[n, c, y], then + bias[o], with
 * output size (in − 1)·s − 2p + d·(k − 1) + outputPadding + 1 (outputPadding < s).
 *
 * Shapes (channels-first; channels-last moves C last in x/out and out/groups last in w):
 * x (batch, inChannels, *inSize); weight (inChannels, outChannels/groups, *kernel); bias
 * (outChannels,) or null; out (batch, outChannels, *convTransposeOutputSize(params)), fully
 * overwritten.
 *
 * @throws GluonError naming the argument for invalid sizes or hyperparameters, outputPadding
 *   ≥ strides, a non-positive output size, or buffers that are too short.
 * @example
 * // 1-D, stride 2: x = [1, 2], w = [1, 1] → out = [1, 1, 2, 2]
 * convTransposeForward({ batch: 1, inChannels: 1, outChannels: 1, inSize: [2], kernel: [2],
 *   strides: [2], padding: [0], dilation: [1], outputPadding: [0], groups: 1, channelsLast: false },
 *   Float32Array.of(1, 2), 0, Float32Array.of(1, 1), 0, null, 0, out, 0);
 */
export function convTransposeForward(
  params: ConvTransposeParams,
  x: Float32Array, xOffset: number,
  weight: Float32Array, weightOffset: number,
  bias: Float32Array | null, biasOffset: number,
  out: Float32Array, outOffset: number,
): void {
  const plan = planConvTranspose('convTransposeForward', params);
  const { batch, imageChannels, imageSize, gridChannels, gridSize } = plan;
  checkBuffers('convTransposeForward', x, xOffset, batch * gridChannels * gridSize,
    weight, weightOffset, gridChannels * plan.imageGroupChannels * plan.taps,
    bias, biasOffset, imageChannels, out, outOffset, batch * imageChannels * imageSize);
  const rowLength = plan.imageGroupChannels * plan.taps;
  for (let n = 0; n < batch; n++) {
    const xn = xOffset + n * gridChannels * gridSize;
    const outN = outOffset + n * imageChannels * imageSize;
    fillBias(plan.channelsLast, imageChannels, imageSize, bias, biasOffset, out, outN);
    for (let g = 0; g < plan.groups; g++) {
      forEachChunk(plan.gridSize, rowLength, (p0, p1) => {
        if (plan.channelsLast) deconvChunkLast(plan, x, xn, weight, weightOffset, g, p0, p1, out, outN);
        else deconvChunkFirst(plan, x, xn, weight, weightOffset, g, p0, p1, out, outN);
      });
    }
  }
}

/** col (coutG·taps × chunk) = W_gᵀ · x_g[:, p0:p1], then scatter-add into out (col2im). */
function deconvChunkFirst(
  plan: ConvPlan, x: Float32Array, xn: number, weight: Float32Array, wOffset: number,
  g: number, p0: number, p1: number, out: Float32Array, outN: number,
): void {
  const cin = plan.gridGroupChannels;
  const cout = plan.imageGroupChannels;
  const m = cout * plan.taps;
  const a = wOffset + g * cin * m;
  const b = xn + g * cin * plan.gridSize + p0;
  if (plan.pointwise) {
    gemm(true, false, m, p1 - p0, cin, 1, weight, a, m, x, b, plan.gridSize, 1, out, outN + g * cout * plan.imageSize + p0, plan.imageSize);
    return;
  }
  const col = columnBuffer(m * (p1 - p0));
  gemm(true, false, m, p1 - p0, cin, 1, weight, a, m, x, b, plan.gridSize, 0, col, 0, p1 - p0);
  col2imChannelsFirst(col, 0, plan.geometry, p0, p1, out, outN, g * cout, cout);
}

/** col (chunk × taps·coutG) = x_g[p0:p1, :] · W_g, then scatter-add into out (col2im). */
function deconvChunkLast(
  plan: ConvPlan, x: Float32Array, xn: number, weight: Float32Array, wOffset: number,
  g: number, p0: number, p1: number, out: Float32Array, outN: number,
): void {
  const cin = plan.gridGroupChannels;
  const cout = plan.imageGroupChannels;
  const n = cout * plan.taps;
  const a = xn + p0 * plan.gridChannels + g * cin;
  const b = wOffset + g * cin * n;
  if (plan.pointwise) {
    gemm(false, false, p1 - p0, n, cin, 1, x, a, plan.gridChannels, weight, b, n, 1, out, outN + p0 * plan.imageChannels + g * cout, plan.imageChannels);
    return;
  }
  const col = columnBuffer((p1 - p0) * n);
  gemm(false, false, p1 - p0, n, cin, 1, x, a, plan.gridChannels, weight, b, n, 0, col, 0, n);
  col2imChannelsLast(col, 0, plan.geometry, p0, p1, out, outN, plan.imageChannels, g * cout, cout);
}

/**
 * Calls `body(p0, p1)` over [0, positions) in chunks whose column matrix (rowLength floats per
 * position) stays within COLUMN_LIMIT; at least one position per chunk.
 */
function forEachChunk(positions: number, rowLength: number, body: (p0: number, p1: number) => void): void {
  const chunk = Math.max(1, Math.floor(COLUMN_LIMIT / Math.max(1, rowLength)));
  for (let p0 = 0; p0 < positions; p0 += chunk) body(p0, Math.min(positions, p0 + chunk));
}

function columnBuffer(size: number): Float32Array {
  if (size <= scratch.length) return scratch;
  const buffer = new Float32Array(size);
  if (size <= RETAINED_SCRATCH) scratch = buffer;
  return buffer;
}

/** Initializes one batch item of the output with the bias (or zeros); the GEMMs then accumulate. */
function fillBias(
  channelsLast: boolean, channels: number, size: number,
  bias: Float32Array | null, biasOffset: number, out: Float32Array, outN: number,
): void {
  if (channelsLast) {
    for (let p = 0, row = outN; p < size; p++, row += channels) {
      for (let o = 0; o < channels; o++) out[row + o] = bias === null ? 0 : bias[biasOffset + o];
    }
    return;
  }
  for (let o = 0; o < channels; o++) {
    out.fill(bias === null ? 0 : bias[biasOffset + o], outN + o * size, outN + (o + 1) * size);
  }
}

/** Checks that x, weight, bias and out hold what the plan reads and writes, and that out is separate. */
function checkBuffers(
  kernelName: string, x: Float32Array, xOffset: number, xSize: number,
  weight: Float32Array, weightOffset: number, weightSize: number,
  bias: Float32Array | null, biasOffset: number, outChannels: number,
  out: Float32Array, outOffset: number, outSize: number,
): void {
  checkBuffer(kernelName, 'x', x, xOffset, xSize);
  checkBuffer(kernelName, 'weight', weight, weightOffset, weightSize);
  if (bias !== null) checkBuffer(kernelName, 'bias', bias, biasOffset, outChannels);
  checkBuffer(kernelName, 'out', out, outOffset, outSize);
  checkDisjoint(kernelName, 'out', out, outOffset, outSize, 'x', x, xOffset, xSize);
  checkDisjoint(kernelName, 'out', out, outOffset, outSize, 'weight', weight, weightOffset, weightSize);
  if (bias !== null) checkDisjoint(kernelName, 'out', out, outOffset, outSize, 'bias', bias, biasOffset, outChannels);
}
