/**
 * MXNet's `Convolution` and `Deconvolution` operators (behind `nn.Conv1D/2D/3D` and
 * `nn.Conv1D/2D/3DTranspose`) with their backward rules, on the CPU conv kernels.
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp, requiresGrad } from '../../autograd/tape';
import { ConvTransposeParams, convForward, convTransposeForward } from '../../kernels/cpu/conv';
import {
  ChannelLayout, biasGradient, convBackwardData, convBackwardWeight, convTransposeBackwardData, convTransposeBackwardWeight,
} from '../../kernels/cpu/conv_backward';
import { NDArray } from '../ndarray';
import { checkShape, shapeSize } from '../../core/shape';
import { describeValue } from '../ops/validate';
import {
  ConvLayout, checkBias, checkIntAtLeast, checkLayout, checkSpatialTuple, checkWeightShape,
} from './layer_op_checks';
import { checkArray, checkOptions } from './op_checks';

/** Options of `nd.Convolution` (MXNet's names in camelCase; tuples have one entry per spatial dim). */
export interface ConvolutionOpOptions {
  /** Kernel size, 1 to 3 values; their count is the number of spatial dims. Required. */
  kernel: readonly number[];
  /** Default 1 per dim. */
  stride?: readonly number[];
  /** Dilation. Default 1 per dim. */
  dilate?: readonly number[];
  /** Zero padding on both sides. Default 0 per dim. */
  pad?: readonly number[];
  /** Output channels. Required. */
  numFilter: number;
  /** Groups: input and output channels are split into numGroup independent convolutions. Default 1. */
  numGroup?: number;
  /** 'NCW', 'NCHW', 'NCDHW' (default for the rank) or channels-last 'NWC', 'NHWC', 'NDHWC'. */
  layout?: ConvLayout;
  /** Default: true exactly when `bias` is undefined. */
  noBias?: boolean;
}

/** Options of `nd.Deconvolution`: a convolution's, plus MXNet's `adj`. */
export interface DeconvolutionOpOptions extends ConvolutionOpOptions {
  /** Extra output rows at the end of each dim (Gluon's `output_padding`), each < stride. Default 0s. */
  adj?: readonly number[];
}

/** A validated (de)convolution call: kernel parameters and the shapes it needs and gives. */
export interface ConvolutionPlan {
  readonly params: ConvTransposeParams;
  readonly weightShape: number[];
  readonly outShape: number[];
  readonly outSize: number[];
}

/**
 * MXNet's `Convolution`: out[n, o, y] = bias[o] + Σ_{c ∈ group(o), t} w[o, c, t] · x[n, c, y·s − p + t·d]
 * (zero padding), with output size floor((in + 2p − d·(k − 1) − 1)/s) + 1 per spatial dim.
 *
 * Shapes (channels-first; channels-last layouts move C last in data and output, and C/groups
 * last in the weight): data (N, C, *in); weight (numFilter, C/numGroup, *kernel); bias
 * (numFilter,) unless noBias; output (N, numFilter, *out).
 *
 * Backward: dx by the transposed convolution of dy with w (GEMM + col2im), dW by dy times the
 * im2col matrix of x, db by the sum of dy over batch and positions.
 *
 * @example
 * nd.Convolution(nd.array([[[1, 2, 3, 4]]]), nd.array([[[1, -1]]]), undefined, { kernel: [2], numFilter: 1 }).toArray();
 * // [[[-1, -1, -1]]]
 */
export function Convolution(data: NDArray, weight: NDArray, bias: NDArray | undefined, options: ConvolutionOpOptions): NDArray {
  return convolutionOp('Convolution', false, data, weight, bias, options);
}

/**
 * MXNet's `Deconvolution` (transposed convolution), the adjoint of `Convolution` in its data:
 * out[n, o, y·s − p + t·d] += Σ_{c ∈ group(o)} w[c, o, t] · x[n, c, y], plus bias[o], with output
 * size (in − 1)·s − 2p + d·(k − 1) + adj + 1 per spatial dim.
 *
 * Shapes (channels-first; channels-last moves C last in data and output, and numFilter/groups
 * last in the weight): data (N, C, *in); weight (C, numFilter/numGroup, *kernel); bias
 * (numFilter,) unless noBias; output (N, numFilter, *out).
 *
 * Backward: dx by the convolution of dy with w, dW by x times the im2col matrix of dy, db by the
 * sum of dy over batch and positions.
 *
 * @example
 * nd.Deconvolution(nd.array([[[1, 2]]]), nd.array([[[1, 1]]]), undefined, { kernel: [2], stride: [2], numFilter: 1 }).toArray();
 * // [[[1, 1, 2, 2]]]
 */
export function Deconvolution(data: NDArray, weight: NDArray, bias: NDArray | undefined, options: DeconvolutionOpOptions): NDArray {
  return convolutionOp('Deconvolution', true, data, weight, bias, options);
}

function convolutionOp(
  op: string, transposed: boolean, data: NDArray, weight: NDArray, bias: NDArray | undefined, options: DeconvolutionOpOptions,
): NDArray {
  const x = checkArray(op, 'data', data);
  const w = checkArray(op, 'weight', weight);
  const plan = planConvolution(op, x, options, transposed);
  checkWeightShape(op, w, plan.weightShape, x);
  const b = checkBias(op, bias, checkOptions(op, options).noBias, plan.params.outChannels);
  const out = new Float32Array(shapeSize(plan.outShape));
  const forward = transposed ? convTransposeForward : convForward;
  forward(plan.params, x.data, 0, w.data, 0, b === undefined ? null : b.data, 0, out, 0);
  const y = new NDArray(out, plan.outShape);
  const inputs = b === undefined ? [x, w] : [x, w, b];
  return recordOp(op, y, inputs, (dy) => convolutionGrads(plan, transposed, x, w, b, dy));
}

/** The gradients of data, weight and (if any) bias; undefined for an input that needs none. */
function convolutionGrads(
  plan: ConvolutionPlan, transposed: boolean, x: NDArray, w: NDArray, b: NDArray | undefined, dy: NDArray,
): (NDArray | undefined)[] {
  const dataGrad = transposed ? convTransposeBackwardData : convBackwardData;
  const weightGrad = transposed ? convTransposeBackwardWeight : convBackwardWeight;
  const grads = [
    requiresGrad(x) ? gradient(x.shape, (dx) => dataGrad(plan.params, dy.data, 0, w.data, 0, dx, 0)) : undefined,
    requiresGrad(w) ? gradient(w.shape, (dw) => weightGrad(plan.params, x.data, 0, dy.data, 0, dw, 0)) : undefined,
  ];
  if (b !== undefined) grads.push(requiresGrad(b) ? gradient(b.shape, (db) => biasGradient(outLayout(plan), dy.data, 0, db, 0)) : undefined);
  return grads;
}

/** A new array of `shape` filled by `fill`. */
function gradient(shape: readonly number[], fill: (out: Float32Array) => void): NDArray {
  const out = new Float32Array(shapeSize(shape));
  fill(out);
  return new NDArray(out, shape);
}

function outLayout(plan: ConvolutionPlan): ChannelLayout {
  const { batch, outChannels, channelsLast } = plan.params;
  return { batch, channels: outChannels, size: shapeSize(plan.outSize), channelsLast };
}

/**
 * Validates a (de)convolution of `data` and works out its kernel parameters, weight shape and
 * output shape. Layers call it with their own name as `who` before calling the operator, so
 * that bad input is reported against the layer: wrong rank, channels not divisible by the
 * groups, a kernel larger than the padded input, an adj not below the stride.
 */
export function planConvolution(who: string, data: NDArray, options: DeconvolutionOpOptions, transposed: boolean): ConvolutionPlan {
  const opts = checkOptions(who, options);
  const kernel = opts.kernel;
  if (!Array.isArray(kernel) || kernel.length < 1 || kernel.length > 3) {
    throw new GluonError(`${who}: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got ${describeValue(kernel)}`);
  }
  const rank = kernel.length;
  const { layout, channelsLast } = checkLayout(who, opts.layout, rank);
  if (data.ndim !== rank + 2) {
    throw new GluonError(`${who}: expected data of rank ${rank + 2} (layout ${layout}), but got shape ${formatShape(data.shape)}`);
  }
  const channels = channelsLast ? data.shape[rank + 1] : data.shape[1];
  const params: ConvTransposeParams = {
    batch: data.shape[0],
    inChannels: channels,
    outChannels: checkIntAtLeast(who, 'numFilter', opts.numFilter, 1),
    inSize: channelsLast ? data.shape.slice(1, -1) : data.shape.slice(2),
    kernel: checkSpatialTuple(who, 'kernel', kernel, rank, 1, 1),
    strides: checkSpatialTuple(who, 'stride', opts.stride, rank, 1, 1),
    padding: checkSpatialTuple(who, 'pad', opts.pad, rank, 0, 0),
    dilation: checkSpatialTuple(who, 'dilate', opts.dilate, rank, 1, 1),
    groups: checkIntAtLeast(who, 'numGroup', opts.numGroup ?? 1, 1),
    channelsLast,
    outputPadding: transposed ? checkSpatialTuple(who, 'adj', opts.adj, rank, 0, 0) : new Array<number>(rank).fill(0),
  };
  checkGroups(who, params, data.shape);
  const outSize = transposed ? transposedSize(who, params) : convolvedSize(who, params);
  const inner = (transposed ? params.outChannels : params.inChannels) / params.groups;
  const outer = transposed ? params.inChannels : params.outChannels;
  const outShape = channelsLast ? [params.batch, ...outSize, params.outChannels] : [params.batch, params.outChannels, ...outSize];
  // A huge stride or filter count must not make the output allocation unbounded.
  checkShape(outShape, `${who} output`);
  return { params, weightShape: channelsLast ? [outer, ...params.kernel, inner] : [outer, inner, ...params.kernel], outShape, outSize };
}

function checkGroups(who: string, p: ConvTransposeParams, shape: readonly number[]): void {
  if (p.inChannels % p.groups !== 0) {
    throw new GluonError(`${who}: expected the input channels divisible by numGroup = ${p.groups}, but got ${p.inChannels} channels in data of shape ${formatShape(shape)}`);
  }
  if (p.outChannels % p.groups !== 0) {
    throw new GluonError(`${who}: expected numFilter divisible by numGroup = ${p.groups}, but got numFilter = ${p.outChannels}`);
  }
}

/** floor((in + 2p − d·(k − 1) − 1)/s) + 1; the dilated kernel must fit in the padded input (MXNet's check). */
function convolvedSize(who: string, p: ConvTransposeParams): number[] {
  return p.inSize.map((n, i) => {
    const extent = p.dilation[i] * (p.kernel[i] - 1) + 1;
    if (n === 0) return 0;
    if (extent > n + 2 * p.padding[i]) {
      throw new GluonError(
        `${who}: expected the kernel to fit in the padded input along spatial dimension ${i}, but got kernel ${p.kernel[i]} ` +
          `(dilation ${p.dilation[i]}, extent ${extent}) > input ${n} + 2*pad ${p.padding[i]}`,
      );
    }
    return Math.floor((n + 2 * p.padding[i] - extent) / p.strides[i]) + 1;
  });
}

/** (in − 1)·s − 2p + d·(k − 1) + adj + 1, with adj < stride and a positive size. */
function transposedSize(who: string, p: ConvTransposeParams): number[] {
  return p.inSize.map((n, i) => {
    const adj = p.outputPadding[i];
    if (adj >= p.strides[i]) throw new GluonError(`${who}: expected adj[${i}] < stride[${i}] = ${p.strides[i]}, but got ${adj}`);
    if (n === 0) return 0;
    const size = (n - 1) * p.strides[i] - 2 * p.padding[i] + p.dilation[i] * (p.kernel[i] - 1) + adj + 1;
    if (size < 1) {
      throw new GluonError(`${who}: expected a positive output size along spatial dimension ${i}, but got ${size} from input ${n} with pad ${p.padding[i]}`);
    }
    return size;
  });
}
