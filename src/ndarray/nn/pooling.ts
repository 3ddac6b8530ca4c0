/**
 * MXNet's `Pooling` operator (behind `nn.MaxPool*`, `nn.AvgPool*` and `nn.Global*Pool*`) with
 * its backward rule, on the CPU pooling kernels.
 */
import { GluonError, formatShape } from '../../core/errors';
import { isRecording, recordOp, requiresGrad } from '../../autograd/tape';
import {
  GlobalPoolParams, PoolParams, avgPoolForward, globalPoolForward, maxPoolForward, poolOutputSize,
} from '../../kernels/cpu/pooling';
import { avgPoolBackward, globalPoolBackward, maxPoolBackward } from '../../kernels/cpu/pooling_backward';
import { NDArray } from '../ndarray';
import { checkShape, shapeSize } from '../../core/shape';
import { describeValue } from '../../core/checks';
import { CHANNELS_FIRST, ConvLayout, checkFlag, checkLayout, checkSpatialTuple } from './layer_op_checks';
import { checkArray, checkChoice, checkOptions } from './op_checks';

/** Options of `nd.Pooling` (MXNet's names in camelCase; tuples have one entry per spatial dim). */
export interface PoolingOpOptions {
  /** Window size, 1 to 3 values (their count is the number of spatial dims). Required unless globalPool. */
  kernel?: readonly number[];
  /** Default 'max'. */
  poolType?: 'max' | 'avg';
  /** Default 1 per dim (MXNet's operator default; Gluon's layers pass the window size). */
  stride?: readonly number[];
  /** Padding on both sides, never read as a value. Default 0 per dim. */
  pad?: readonly number[];
  /** 'valid' rounds the output size down, 'full' up (Gluon's ceil_mode). Default 'valid'. */
  poolingConvention?: 'valid' | 'full';
  /** Whether average pooling counts the padding in its divisor. Default true. */
  countIncludePad?: boolean;
  /** Pool each channel over all positions (kernel, stride and pad are ignored). Default false. */
  globalPool?: boolean;
  /** 'NCW', 'NCHW', 'NCDHW' (default for the rank) or channels-last 'NWC', 'NHWC', 'NDHWC'. */
  layout?: ConvLayout;
}

/** A validated pooling call. */
export interface PoolingPlan {
  readonly kind: 'max' | 'avg';
  readonly global: boolean;
  readonly params: PoolParams;
  readonly countIncludePad: boolean;
  readonly outShape: number[];
}

/**
 * MXNet's `Pooling` on data (N, C, *in) (or channels-last (N, *in, C)):
 *
 *     max: out[n, c, o] = max of x[n, c, ·] over window o
 *     avg: out[n, c, o] = (Σ of the window's values) / divisor
 *
 * Window o covers [o·s − p, o·s − p + k) per dim; the output size is floor((in + 2p − k)/s) + 1
 * ('valid') or ceil(...) + 1 ('full'), and MXNet keeps a last 'full' window that starts in the
 * right padding (PyTorch drops it). Max windows start from −FLT_MAX and keep the first
 * maximum; the avg divisor is the window clipped at the padded edge when countIncludePad, else
 * the number of input values covered (0 values give 0). globalPool reduces every spatial dim
 * to 1. Output (N, C, *out) in the data's layout.
 *
 * Backward: max routes each output gradient to its window's first maximum; avg spreads it over
 * the window divided by the same divisor.
 *
 * @example
 * nd.Pooling(nd.array([[[1, 3, 2, 5, 4]]]), { kernel: [2], stride: [2], poolingConvention: 'full' }).toArray();
 * // [[[3, 5, 4]]]
 */
export function Pooling(data: NDArray, options: PoolingOpOptions): NDArray {
  const op = 'Pooling';
  const x = checkArray(op, 'data', data);
  const plan = planPooling(op, x, options);
  const out = new Float32Array(shapeSize(plan.outShape));
  const { params } = plan;
  let argmax: Int32Array | null = null;
  if (plan.global) {
    globalPoolForward(plan.kind, globalParams(params), x.data, 0, out, 0);
  } else if (plan.kind === 'max') {
    // The positions of the maxima are only kept when a backward pass may need them.
    argmax = isRecording() && requiresGrad(x) ? new Int32Array(out.length) : null;
    maxPoolForward(params, x.data, 0, out, 0, argmax, 0);
  } else {
    avgPoolForward(params, plan.countIncludePad, x.data, 0, out, 0);
  }
  const y = new NDArray(out, plan.outShape);
  return recordOp(op, y, [x], (dy) => {
    const dx = new Float32Array(x.size);
    if (plan.global) globalPoolBackward(plan.kind, globalParams(params), x.data, 0, dy.data, 0, dx, 0);
    else if (plan.kind === 'max') maxPoolBackward(params, dy.data, 0, argmax ?? maxPositions(params, x, out.length), 0, dx, 0);
    else avgPoolBackward(params, plan.countIncludePad, dy.data, 0, dx, 0);
    return [new NDArray(dx, x.shape)];
  });
}

/** The argmax of each window, recomputed (the forward keeps it whenever a gradient is needed). */
function maxPositions(params: PoolParams, x: NDArray, count: number): Int32Array {
  const argmax = new Int32Array(count);
  maxPoolForward(params, x.data, 0, new Float32Array(count), 0, argmax, 0);
  return argmax;
}

function globalParams(p: PoolParams): GlobalPoolParams {
  return { batch: p.batch, channels: p.channels, inSize: p.inSize, channelsLast: p.channelsLast };
}

/**
 * Validates a pooling of `data` and works out its kernel parameters and output shape. Layers
 * call it with their own name as `who` before calling the operator, so that bad input (wrong
 * rank, a window larger than the padded input) is reported against the layer.
 */
export function planPooling(who: string, data: NDArray, options: PoolingOpOptions): PoolingPlan {
  const opts = checkOptions(who, options);
  const global = checkFlag(who, 'globalPool', opts.globalPool ?? false);
  const rank = poolingRank(who, opts, global, data);
  const { layout, channelsLast } = checkLayout(who, opts.layout, rank);
  if (data.ndim !== rank + 2) {
    throw new GluonError(`${who}: expected data of rank ${rank + 2} (layout ${layout}), but got shape ${formatShape(data.shape)}`);
  }
  const inSize = channelsLast ? data.shape.slice(1, -1) : data.shape.slice(2);
  const params: PoolParams = {
    batch: data.shape[0],
    channels: channelsLast ? data.shape[rank + 1] : data.shape[1],
    inSize,
    poolSize: global ? inSize : checkSpatialTuple(who, 'kernel', opts.kernel, rank, 1, 1),
    strides: global ? new Array<number>(rank).fill(1) : checkSpatialTuple(who, 'stride', opts.stride, rank, 1, 1),
    padding: global ? new Array<number>(rank).fill(0) : checkSpatialTuple(who, 'pad', opts.pad, rank, 0, 0),
    ceilMode: checkChoice(who, 'poolingConvention', opts.poolingConvention ?? 'valid', ['valid', 'full'] as const) === 'full',
    channelsLast,
  };
  const kind = checkChoice(who, 'poolType', opts.poolType ?? 'max', ['max', 'avg'] as const);
  const countIncludePad = checkFlag(who, 'countIncludePad', opts.countIncludePad ?? true);
  if (!global) checkWindowFits(who, params);
  const outSize = global ? new Array<number>(rank).fill(1) : poolOutputSize(params);
  const outShape = channelsLast ? [params.batch, ...outSize, params.channels] : [params.batch, params.channels, ...outSize];
  checkShape(outShape, `${who} output`);
  return { kind, global, params, countIncludePad, outShape };
}

/** The number of spatial dims: the kernel's length, or for global pooling the layout's or the data's. */
function poolingRank(who: string, opts: Partial<PoolingOpOptions>, global: boolean, data: NDArray): number {
  const { kernel, layout } = opts;
  if (Array.isArray(kernel) && kernel.length >= 1 && kernel.length <= 3) return kernel.length;
  if (!global || kernel !== undefined) {
    throw new GluonError(`${who}: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got ${describeValue(kernel)}`);
  }
  if (typeof layout === 'string' && layout.length >= 3 && layout.length <= 5) return layout.length - 2;
  if (data.ndim < 3 || data.ndim > 5) {
    throw new GluonError(`${who}: expected data of rank 3, 4 or 5 (${CHANNELS_FIRST.join(', ')}), but got shape ${formatShape(data.shape)}`);
  }
  return data.ndim - 2;
}

/** MXNet's "kernel size exceeds input": each window must fit in the padded input. */
function checkWindowFits(who: string, p: PoolParams): void {
  p.poolSize.forEach((k, i) => {
    const padded = p.inSize[i] + 2 * p.padding[i];
    if (k > padded) {
      throw new GluonError(
        `${who}: expected the pooling window to fit in the padded input along spatial dimension ${i}, but got kernel ${k} > input ${p.inSize[i]} + 2*pad ${p.padding[i]}`,
      );
    }
  });
}
