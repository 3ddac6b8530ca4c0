/**
 * Hyperparameters, validation and output sizes of N-D convolution (1, 2 or 3 spatial dims) and
 * transposed convolution, and their normalization to the three-spatial-dim `PatchGeometry`
 * that im2col/col2im and the conv kernels work on (missing leading dims become size 1).
 */
import { GluonError } from '../../core/errors';
import { checkInt, checkIntTuple, checkObject, checkSpatialRank, product } from './check_args';
import type { MatrixView } from './gemm';

/** A normalized (depth, height, width) triple. */
export type Triple = [number, number, number];

/**
 * What the sliding-window kernels (convolution and pooling) share: a batch of inputs with 1–3
 * spatial dims, windows placed every `strides` positions over a symmetrically padded input, and
 * a data layout. Every tuple has one entry per spatial dimension.
 */
export interface WindowParams {
  readonly batch: number;
  /** Spatial size of the input, e.g. [H, W]. */
  readonly inSize: readonly number[];
  readonly strides: readonly number[];
  /** Symmetric padding on both sides of each spatial dimension (zeros for a convolution). */
  readonly padding: readonly number[];
  /** Data layout: NCW / NCHW / NCDHW when false, NWC / NHWC / NDHWC when true. */
  readonly channelsLast: boolean;
}

/**
 * Hyperparameters of a convolution; layers fill in Gluon's defaults (strides 1, padding 0,
 * dilation 1, groups 1) before calling.
 */
export interface ConvParams extends WindowParams {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernel: readonly number[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

/** A transposed convolution's hyperparameters: a convolution's plus MXNet's `adj`. */
export interface ConvTransposeParams extends ConvParams {
  /** Extra size added at the end of each output dimension (MXNet `adj`); must be < strides. */
  readonly outputPadding: readonly number[];
}

/**
 * Where the patches of a convolution sit, in three spatial dims: `image` is the large side
 * (a convolution's input, a transposed convolution's output) and `grid` the patch grid (a
 * convolution's output, a transposed convolution's input). Patch (g0, g1, g2), tap (k0, k1, k2)
 * reads image position g·stride − padding + k·dilation along each dimension.
 */
export interface PatchGeometry {
  readonly image: Triple;
  readonly grid: Triple;
  readonly kernel: Triple;
  readonly stride: Triple;
  readonly padding: Triple;
  readonly dilation: Triple;
}

/** Everything a conv kernel needs, validated and normalized once per call. */
export interface ConvPlan {
  readonly geometry: PatchGeometry;
  readonly batch: number;
  readonly groups: number;
  /** Channels of the image side and of the grid side, in total and per group. */
  readonly imageChannels: number;
  readonly gridChannels: number;
  readonly imageGroupChannels: number;
  readonly gridGroupChannels: number;
  /** Kernel volume (taps per channel). */
  readonly taps: number;
  readonly imageSize: number;
  readonly gridSize: number;
  /** Elements of the whole batch on the image side and on the grid side, and of the weight. */
  readonly imageLength: number;
  readonly gridLength: number;
  readonly weightLength: number;
  readonly channelsLast: boolean;
  /** Whether every patch is one image pixel (1×1 kernel, stride 1, no padding): no im2col needed. */
  readonly pointwise: boolean;
}

/**
 * Spatial output size of a convolution: floor((in + 2p − d·(k−1) − 1) / s) + 1 per dimension
 * (0 where the input dimension is 0, as MXNet).
 *
 * @example convOutputSize({ ...p, inSize: [56, 56], kernel: [3, 3], padding: [1, 1], ... }) // [56, 56]
 */
export function convOutputSize(params: ConvParams): number[] {
  checkConvParams('convOutputSize', params);
  checkKernelFits('convOutputSize', params);
  return convSize(params);
}

/**
 * Spatial output size of a transposed convolution:
 * (in − 1)·s − 2p + d·(k − 1) + outputPadding + 1 per dimension (0 where the input is 0).
 *
 * @example convTransposeOutputSize({ ...p, inSize: [4], kernel: [3], strides: [2], padding: [1], outputPadding: [1], ... }) // [8]
 */
export function convTransposeOutputSize(params: ConvTransposeParams): number[] {
  checkConvParams('convTransposeOutputSize', params);
  checkOutputPadding('convTransposeOutputSize', params);
  return transposedSize('convTransposeOutputSize', params);
}

/** Validates a convolution and normalizes it to a plan (image = input, grid = output). */
export function planConv(kernelName: string, params: ConvParams): ConvPlan {
  checkConvParams(kernelName, params);
  checkKernelFits(kernelName, params);
  return makePlan(params, params.inSize, convSize(params), params.inChannels, params.outChannels);
}

/** Validates a transposed convolution and normalizes it (image = output, grid = input). */
export function planConvTranspose(kernelName: string, params: ConvTransposeParams): ConvPlan {
  checkConvParams(kernelName, params);
  checkOutputPadding(kernelName, params);
  const outSize = transposedSize(kernelName, params);
  return makePlan(params, outSize, params.inSize, params.outChannels, params.inChannels);
}

function makePlan(
  params: ConvParams,
  image: readonly number[],
  grid: readonly number[],
  imageChannels: number,
  gridChannels: number,
): ConvPlan {
  const geometry: PatchGeometry = {
    image: toTriple(image, 1),
    grid: toTriple(grid, 1),
    kernel: toTriple(params.kernel, 1),
    stride: toTriple(params.strides, 1),
    padding: toTriple(params.padding, 0),
    dilation: toTriple(params.dilation, 1),
  };
  const { batch, groups } = params;
  const taps = product(params.kernel);
  const imageSize = product(image);
  const gridSize = product(grid);
  return {
    geometry, batch, groups, imageChannels, gridChannels, taps, imageSize, gridSize,
    imageGroupChannels: imageChannels / groups,
    gridGroupChannels: gridChannels / groups,
    imageLength: batch * imageChannels * imageSize,
    gridLength: batch * gridChannels * gridSize,
    weightLength: gridChannels * (imageChannels / groups) * taps,
    channelsLast: params.channelsLast,
    pointwise: taps === 1 && params.strides.every((s) => s === 1) && params.padding.every((p) => p === 0),
  };
}

/**
 * The channels [channel0, …) × positions [p0, …) of one batch item (at `base`) of the plan's
 * image or grid side, as a (channels × positions) GEMM operand: stored as is channels-first,
 * as its transpose channels-last.
 *
 * @example
 * // group g's output channels from grid position p0 of batch item n
 * planView(plan, 'grid', out, n * plan.gridChannels * plan.gridSize, g * plan.gridGroupChannels, p0);
 */
export function planView(
  plan: ConvPlan, side: 'image' | 'grid', data: Float32Array, base: number, channel0: number, p0: number,
): MatrixView {
  const channels = side === 'image' ? plan.imageChannels : plan.gridChannels;
  const size = side === 'image' ? plan.imageSize : plan.gridSize;
  return plan.channelsLast
    ? { data, offset: base + p0 * channels + channel0, ld: channels, transposed: true }
    : { data, offset: base + channel0 * size + p0, ld: size, transposed: false };
}

/**
 * Group g's block of a weight laid out (gridChannels, imageGroupChannels·taps) — the forward
 * weight of a convolution and of a transposed convolution, in both data layouts — as a
 * (gridGroupChannels × imageGroupChannels·taps) GEMM operand.
 *
 * @example
 * gemmViews(coutG, count, k, 1, weightView(plan, weight, 0, g), columns, 1, outView); // a convolution's chunk
 */
export function weightView(plan: ConvPlan, data: Float32Array, offset: number, g: number): MatrixView {
  const rowLength = plan.imageGroupChannels * plan.taps;
  return { data, offset: offset + g * plan.gridGroupChannels * rowLength, ld: rowLength, transposed: false };
}

function convSize(params: ConvParams): number[] {
  return params.inSize.map((n, i) => {
    const [k, s, p, d] = [params.kernel[i], params.strides[i], params.padding[i], params.dilation[i]];
    return n === 0 ? 0 : Math.floor((n + 2 * p - d * (k - 1) - 1) / s) + 1;
  });
}

function transposedSize(kernelName: string, params: ConvTransposeParams): number[] {
  return params.inSize.map((n, i) => {
    if (n === 0) return 0;
    const size = (n - 1) * params.strides[i] - 2 * params.padding[i] + params.dilation[i] * (params.kernel[i] - 1) +
      params.outputPadding[i] + 1;
    if (size < 1) {
      throw new GluonError(
        `${kernelName}: expected padding[${i}] small enough for a positive output size, but got padding ${params.padding[i]} ` +
          `giving (${n} - 1)*${params.strides[i]} - 2*${params.padding[i]} + ${params.dilation[i]}*(${params.kernel[i]} - 1) + ` +
          `${params.outputPadding[i]} + 1 = ${size}`,
      );
    }
    return size;
  });
}

function toTriple(values: readonly number[], fill: number): Triple {
  const t: Triple = [fill, fill, fill];
  for (let i = 0; i < values.length; i++) t[3 - values.length + i] = values[i];
  return t;
}

/** Checks every size and hyperparameter of a (transposed) convolution. */
function checkConvParams(kernelName: string, params: ConvParams): void {
  checkObject(kernelName, 'a parameter object', params);
  const rank = checkSpatialRank(kernelName, 'kernel', params.kernel);
  checkInt(kernelName, 'batch', params.batch, 0);
  checkInt(kernelName, 'inChannels', params.inChannels, 1);
  checkInt(kernelName, 'outChannels', params.outChannels, 1);
  checkInt(kernelName, 'groups', params.groups, 1);
  checkIntTuple(kernelName, 'kernel', params.kernel, rank, 1);
  checkIntTuple(kernelName, 'inSize', params.inSize, rank, 0);
  checkIntTuple(kernelName, 'strides', params.strides, rank, 1);
  checkIntTuple(kernelName, 'padding', params.padding, rank, 0);
  checkIntTuple(kernelName, 'dilation', params.dilation, rank, 1);
  for (const name of ['inChannels', 'outChannels'] as const) {
    if (params[name] % params.groups !== 0) {
      throw new GluonError(`${kernelName}: expected ${name} divisible by groups = ${params.groups}, but got ${name} = ${params[name]}`);
    }
  }
}

/**
 * MXNet's "kernel size exceed input": a convolution's dilated kernel must fit in the padded
 * input. (A transposed convolution's always fits its output, so it is not checked there.)
 */
function checkKernelFits(kernelName: string, params: ConvParams): void {
  params.inSize.forEach((n, i) => {
    const extent = params.dilation[i] * (params.kernel[i] - 1) + 1;
    if (n > 0 && extent > n + 2 * params.padding[i]) {
      throw new GluonError(
        `${kernelName}: expected the dilated kernel to fit in the padded input along spatial dimension ${i}, but got ` +
          `kernel ${params.kernel[i]} with dilation ${params.dilation[i]} (extent ${extent}) > input ${n} + 2*padding ${params.padding[i]}`,
      );
    }
  });
}

function checkOutputPadding(kernelName: string, params: ConvTransposeParams): void {
  checkIntTuple(kernelName, 'outputPadding', params.outputPadding, params.kernel.length, 0);
  params.outputPadding.forEach((a, i) => {
    if (a >= params.strides[i]) {
      throw new GluonError(`${kernelName}: expected outputPadding[${i}] < strides[${i}] = ${params.strides[i]}, but got ${a}`);
    }
  });
}

/** Initializes one batch item of the output with the bias (or zeros); the GEMMs then accumulate. */
export function fillBias(
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
