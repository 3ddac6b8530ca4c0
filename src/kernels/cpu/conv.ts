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
 * Where WebAssembly SIMD runs, every pass goes through conv_wasm.ts. On the JavaScript loops,
 * depthwise convolutions (one input channel per group) run a direct loop (depthwise.ts); otherwise
 * the image is processed one batch item and one group at a time, and the grid in chunks, so the
 * column buffer stays bounded (`forEachColumnChunk` in im2col.ts). One routine per op serves both
 * layouts: the channels-last matrices are the transposes of the channels-first ones, which
 * `MatrixView`s and `gemmViews` express. Each op's data gradient is the other op's `convPass`
 * on the same plan (conv_backward.ts).
 */
import { GluonError } from '../../core/errors';
import { checkArrays } from './check_args';
import { ConvParams, ConvPlan, ConvTransposeParams, fillBias, planConv, planConvTranspose, planView, weightView } from './conv_geometry';
import { convPassWasm } from './conv_wasm';
import { depthwiseForward } from './depthwise';
import { FusedActivation, activateInPlace } from './fused_activation';
import { gemmViews, transposedView } from './gemm';
import { addPatchColumns, columnMatrix, forEachColumnChunk, patchColumns } from './im2col';
import { InputPad, inputPadItemLengths, padForward } from './pad';
import { gemmSimd } from './simd/gemm_simd';

export type { ConvParams, ConvTransposeParams } from './conv_geometry';
export { convOutputSize, convTransposeOutputSize } from './conv_geometry';

/**
 * Convolution forward:
 * out[n, o, y] = bias[o] + Σ_{c ∈ group(o), t} w[o, c, t] · x[n, c, y·s − p + t·d]
 * (zero outside the input), with output size floor((in + 2p − d·(k−1) − 1)/s) + 1.
 *
 * Shapes (channels-first; channels-last moves C last in x/out and in/groups last in w):
 * x (batch, inChannels, *inSize) at `xOffset`; weight (outChannels, inChannels/groups,
 * *kernel); bias (outChannels,) or null; out (batch, outChannels, *convOutputSize(params)),
 * fully overwritten; it must not share memory with the inputs. Inputs are not modified.
 * `activation` (a fused activation from the cached graph) is applied to out last. With `inputPad` (a
 * fused `Pad` node, same bits), x is the unpadded input, and params describe the padded one.
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
  activation?: FusedActivation,
  inputPad?: InputPad,
): void {
  const name = 'convForward';
  const plan = planConv(name, params);
  const xLength = inputPad ? plan.batch * inputPadItemLengths(inputPad, plan.batch).before : plan.imageLength;
  checkArrays(name, [['x', x, xOffset, xLength], ['weight', weight, weightOffset, plan.weightLength],
    bias && ['bias', bias, biasOffset, plan.gridChannels]], ['out', out, outOffset, plan.gridLength]);
  if (inputPad) checkPaddedLength(name, inputPad, plan);
  const simd = gemmSimd();
  if (inputPad && simd && convPassWasm(simd, plan, false, x, xOffset, weight, weightOffset, bias, biasOffset, out, outOffset, activation, inputPad)) return;
  const [input, inputOffset] = inputPad ? [paddedCopy(inputPad, x, xOffset, plan.imageLength), 0] : [x, xOffset];
  convPass(plan, false, input, inputOffset, weight, weightOffset, bias, biasOffset, out, outOffset, activation);
}

/** The fused padding must produce exactly the input the plan convolves. */
function checkPaddedLength(name: string, inputPad: InputPad, plan: ConvPlan): void {
  const { after } = inputPadItemLengths(inputPad, plan.batch);
  if (plan.batch * after !== plan.imageLength) {
    throw new GluonError(`${name}: expected inputPad to produce the convolution's input of ${plan.imageLength} values, but it produces ${plan.batch * after}`);
  }
}

/** x padded whole into a fresh array: the fused padding where the input is not copied into module memory. */
function paddedCopy(inputPad: InputPad, x: Float32Array, xOffset: number, length: number): Float32Array {
  const padded = new Float32Array(length);
  const { before } = inputPadItemLengths(inputPad, 1);
  padForward(inputPad.geometry, x.subarray(xOffset, xOffset + before), padded, inputPad.value);
  return padded;
}

/**
 * Transposed convolution (deconvolution) forward, the adjoint of `convForward` in x:
 * out[n, o, y·s − p + t·d] += Σ_{c ∈ group(o)} w[c, o, t] · x[n, c, y], then + bias[o], with
 * output size (in − 1)·s − 2p + d·(k − 1) + outputPadding + 1 (outputPadding < s).
 *
 * Shapes (channels-first; channels-last moves C last in x/out and out/groups last in w):
 * x (batch, inChannels, *inSize); weight (inChannels, outChannels/groups, *kernel); bias
 * (outChannels,) or null; out (batch, outChannels, *convTransposeOutputSize(params)), fully
 * overwritten; `activation` as convForward's.
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
  activation?: FusedActivation,
): void {
  const name = 'convTransposeForward';
  const plan = planConvTranspose(name, params);
  checkArrays(name, [['x', x, xOffset, plan.gridLength], ['weight', weight, weightOffset, plan.weightLength],
    bias && ['bias', bias, biasOffset, plan.imageChannels]], ['out', out, outOffset, plan.imageLength]);
  convPass(plan, true, x, xOffset, weight, weightOffset, bias, biasOffset, out, outOffset, activation);
}

/**
 * The computation of both ops on checked buffers: for each batch item, out is filled with the
 * bias (or zeros) and the op's chunk products accumulate into it. A convolution (`transposed`
 * false) reads x on the plan's image side and writes out on its grid side; a transposed one the
 * other way round. Also the data gradients (conv_backward.ts): each op's is the other op's pass
 * on the same plan.
 *
 * @example
 * convPass(planConv('convForward', params), false, x, 0, w, 0, null, 0, out, 0);
 */
export function convPass(
  plan: ConvPlan, transposed: boolean,
  x: Float32Array, xOffset: number,
  weight: Float32Array, weightOffset: number,
  bias: Float32Array | null, biasOffset: number,
  out: Float32Array, outOffset: number,
  activation?: FusedActivation,
): void {
  const xItem = transposed ? plan.gridChannels * plan.gridSize : plan.imageChannels * plan.imageSize;
  const outChannels = transposed ? plan.imageChannels : plan.gridChannels;
  const outSize = transposed ? plan.imageSize : plan.gridSize;
  // One input channel per group: a direct loop beats `groups` GEMMs of depth `taps`.
  const depthwise = !transposed && plan.groups > 1 && plan.imageGroupChannels === 1;
  const chunk = transposed ? deconvChunk : convChunk;
  const simd = gemmSimd();
  if (simd && convPassWasm(simd, plan, transposed, x, xOffset, weight, weightOffset, bias, biasOffset, out, outOffset, activation)) return;
  for (let n = 0; n < plan.batch; n++) {
    const xn = xOffset + n * xItem;
    const outN = outOffset + n * outChannels * outSize;
    fillBias(plan.channelsLast, outChannels, outSize, bias, biasOffset, out, outN);
    if (depthwise) depthwiseForward(plan, x, xn, weight, weightOffset, out, outN);
    else forEachColumnChunk(plan, (g, p0, p1) => chunk(plan, x, xn, weight, weightOffset, g, p0, p1, out, outN));
  }
  activateInPlace(activation, out, outOffset, plan.batch * outChannels * outSize);
}

/** out_g[:, p0:p1] += W_g (coutG × cinG·taps) · col (cinG·taps × chunk), col = im2col(x_g). */
function convChunk(
  plan: ConvPlan, x: Float32Array, xn: number, weight: Float32Array, wOffset: number,
  g: number, p0: number, p1: number, out: Float32Array, outN: number,
): void {
  const cout = plan.gridGroupChannels;
  const columns = patchColumns(plan, x, xn, g, p0, p1);
  const dst = planView(plan, 'grid', out, outN, g * cout, p0);
  gemmViews(cout, p1 - p0, plan.imageGroupChannels * plan.taps, 1, weightView(plan, weight, wOffset, g), columns, 1, dst);
}

/**
 * col (coutG·taps × chunk) = W_gᵀ · x_g[:, p0:p1], then scatter-added into out (col2im); a
 * pointwise plan's col is out itself, so the product accumulates there directly.
 */
function deconvChunk(
  plan: ConvPlan, x: Float32Array, xn: number, weight: Float32Array, wOffset: number,
  g: number, p0: number, p1: number, out: Float32Array, outN: number,
): void {
  const cin = plan.gridGroupChannels;
  const m = plan.imageGroupChannels * plan.taps;
  const wT = transposedView(weightView(plan, weight, wOffset, g));
  const src = planView(plan, 'grid', x, xn, g * cin, p0);
  if (plan.pointwise) {
    gemmViews(m, p1 - p0, cin, 1, wT, src, 1, planView(plan, 'image', out, outN, g * plan.imageGroupChannels, p0));
    return;
  }
  const col = columnMatrix(plan, p0, p1);
  gemmViews(m, p1 - p0, cin, 1, wT, src, 0, col);
  addPatchColumns(plan, col, g, p0, p1, out, outN);
}
