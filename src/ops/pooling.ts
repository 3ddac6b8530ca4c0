/**
 * MXNet's `Pooling` (max, avg, sum and Lp pooling; 'valid', 'full' and 'same' conventions;
 * global pooling) on the CPU pooling kernels, with its gradient operators `_backward_Pooling`
 * and `_backward_Pooling_gather`. Attributes and shape inference: pooling_plan.ts.
 *
 * The gradients are operators again, so a pooling gradient is differentiable (second
 * derivatives through Pooling are exact):
 * - avg and sum pooling are linear, dx = Aᵀ·dy; the adjoint of Aᵀ is A, so the gradient of
 *   `_backward_Pooling` is `Pooling` itself with the same attributes;
 * - max pooling is piecewise linear, dx = S(x)ᵀ·dy with S(x) selecting each window's first
 *   maximum; the gradient of `_backward_Pooling` in dy is S(x)·G (`_backward_Pooling_gather`,
 *   the values at the argmax), whose gradient is `_backward_Pooling` again; the argmax is
 *   piecewise constant in x, so x gets none;
 * - Lp pooling's gradient dx = x^(p−1)·Aᵀ(dy / out^(p−1)) (A the sum pooling) is differentiated
 *   as that composite of registered operators.
 * The first-order path runs the same kernels as ever, the max backward on the argmax the forward kept.
 */
import { GluonError } from '../core/errors';
import { FLOAT32_LOWEST, avgPoolForward, globalPoolForward, maxPoolForward, sumPoolForward } from '../kernels/cpu/pooling';
import { avgPoolBackward, globalPoolBackward, maxPoolBackward, maxPoolGather, sumPoolBackward } from '../kernels/cpu/pooling_backward';
import { lpPoolBackward, lpPoolForward } from '../kernels/cpu/lp_pooling';
import type { PoolParams } from '../kernels/cpu/pool_geometry';
import { NDArray } from '../ndarray/ndarray';
import { Composite, compositeGradients } from './composite';
import { FrontendTable, NameOption, standard } from './frontend';
import { runOperator } from './invoke';
import type { ConvLayout } from './layout_checks';
import type { Nd } from './nd';
import { BackwardContext, Operator, defineOperator } from './operator';
import { POOLING_ATTRS, PoolType, PoolingAttrs, PoolingConvention, PoolingPlan, inferPooling } from './pooling_plan';

export type { PoolType, PoolingConvention };
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

/** A plan of `_backward_Pooling`: Pooling's, with the argmax its forward kept (if any). */
type GradPlan = PoolingPlan & { readonly argmax?: Int32Array };

/** MXNet's `Pooling` (see PoolingSignatures). Keeps the argmax of max pooling when a backward may follow. */
export const POOLING: Operator = defineOperator({
  name: 'Pooling',
  aliases: ['_npx_pooling'],
  attrs: POOLING_ATTRS,
  inputs: ['data'],
  inferShape: (a, shapes, who) => inferPooling(who, a, shapes),
  forward: ({ plan, inputs: [x], outputs: [y], recording }): Int32Array | null => runPooling(plan, x.data, y.data, recording),
  backward: (ctx, F) => [ctx.needsGrad[0] ? poolingGradient(F, ctx) : undefined],
});

/**
 * `_backward_Pooling(ograd, data[, output])`: the gradient of `Pooling(data)` at output gradient
 * `ograd`, in data's shape; `output` (Pooling's output) is an input for Lp pooling only. (MXNet's
 * operator of that name always takes all three.)
 */
export const POOLING_GRAD: Operator = defineOperator({
  name: '_backward_Pooling',
  attrs: POOLING_ATTRS,
  inputs: (a) => (a.poolType === 'lp' ? ['ograd', 'data', 'output'] : ['ograd', 'data']),
  inferShape: (a, shapes, who) => {
    const [ograd, data, output] = shapes;
    const { plan } = inferPooling(who, a, [data]);
    if (plan !== undefined && ograd !== undefined) expectShape(who, 'ograd', ograd, plan.outShape, data);
    if (plan !== undefined && output !== undefined) expectShape(who, 'output', output, plan.outShape, data);
    return { inputs: shapes, outputs: [data], plan: plan as GradPlan | undefined };
  },
  forward: ({ plan, inputs: [dy, x, y], outputs: [dx] }) => runPoolingGrad(plan, dy.data, x.data, y?.data, dx.data),
  backward: (ctx, F) => poolingSecondOrder(F, ctx),
});

/**
 * `_backward_Pooling_gather(grad, data)` (tsgluon's own) for max pooling: out[n, c, o] =
 * grad[n, c, argmax of window o of data] (0 for a window in the padding), the output's shape.
 * Linear in grad; its gradient is `_backward_Pooling` (data gets none: the argmax is piecewise constant).
 */
export const POOLING_GATHER: Operator = defineOperator({
  name: '_backward_Pooling_gather',
  attrs: POOLING_ATTRS,
  inputs: ['grad', 'data'],
  inferShape: (a, shapes, who) => {
    const [grad, data] = shapes;
    if (a.poolType !== 'max') throw new GluonError(`${who}: expected poolType 'max' (the gather runs at each window's maximum), but got '${a.poolType}'`);
    const inference = inferPooling(who, a, [data]);
    if (grad !== undefined && data !== undefined) expectShape(who, 'grad', grad, data);
    return { inputs: shapes, outputs: inference.outputs, plan: inference.plan };
  },
  forward: ({ plan, inputs: [g, x], outputs: [out] }) => {
    if (plan.global && plan.empty) out.data.fill(0);
    else maxPoolGather(plan.params, g.data, 0, argmaxOf(plan.params, x.data, out.size), 0, out.data, 0);
  },
  backward: ({ attrs, inputs: [, x], outputGrads: [g], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, POOLING_GRAD, [g, x], attrs, into[0]) : undefined,
    undefined,
  ],
});

/** Runs the pooling kernel of `plan`; returns max pooling's argmax when `keepArgmax`. */
function runPooling(plan: PoolingPlan, x: Float32Array, y: Float32Array, keepArgmax: boolean): Int32Array | null {
  const { params, poolType } = plan;
  if (plan.global && (poolType === 'max' || poolType === 'avg')) {
    globalPoolForward(poolType, params, x, 0, y, 0);
    return null;
  }
  if (plan.global && plan.empty) {
    // A window over no value: max starts from −FLT_MAX, a sum is 0.
    y.fill(poolType === 'max' ? FLOAT32_LOWEST : 0);
    return null;
  }
  if (poolType === 'max') {
    const argmax = keepArgmax ? new Int32Array(y.length) : null;
    maxPoolForward(params, x, 0, y, 0, argmax, 0);
    return argmax;
  }
  if (poolType === 'avg') avgPoolForward(params, plan.countIncludePad, x, 0, y, 0);
  else if (poolType === 'sum') sumPoolForward(params, x, 0, y, 0);
  else lpPoolForward(params, plan.pValue, x, 0, y, 0);
  return null;
}

/** Runs the backward kernel of `plan` into dx. */
function runPoolingGrad(plan: GradPlan, dy: Float32Array, x: Float32Array, y: Float32Array | undefined, dx: Float32Array): void {
  const { params, poolType } = plan;
  if (dx.length === 0) return;
  if (plan.global && (poolType === 'max' || poolType === 'avg')) globalPoolBackward(poolType, params, x, 0, dy, 0, dx, 0);
  else if (poolType === 'max') maxPoolBackward(params, dy, 0, plan.argmax ?? argmaxOf(params, x, dy.length), 0, dx, 0);
  else if (poolType === 'avg') avgPoolBackward(params, plan.countIncludePad, dy, 0, dx, 0);
  else if (poolType === 'sum' || plan.pValue === 1) sumPoolBackward(params, dy, 0, dx, 0);
  else lpPoolBackward(params, plan.pValue, x, 0, y ?? new Float32Array(0), 0, dy, 0, dx, 0);
}

/** The argmax of every window, recomputed from the data. */
function argmaxOf(params: PoolParams, x: Float32Array, count: number): Int32Array {
  const argmax = new Int32Array(count);
  maxPoolForward(params, x, 0, new Float32Array(count), 0, argmax, 0);
  return argmax;
}

type PoolingBackward<S> = BackwardContext<PoolingAttrs, PoolingPlan, S>;

/** Pooling's data gradient: `_backward_Pooling`, on the forward's argmax when it kept one. */
function poolingGradient(F: Nd, ctx: PoolingBackward<Int32Array | null>): NDArray {
  const { attrs, plan, saved, inputs: [x], outputs: [y], outputGrads: [dy], into, who } = ctx;
  const inputs = attrs.poolType === 'lp' ? [dy, x, y] : [dy, x];
  if (saved === null) return runInto(F, POOLING_GRAD, inputs, attrs, into[0]);
  // The plan is the forward's (same attributes, same data), plus its argmax: no second pass over x.
  const dx = new NDArray(into[0] ?? new Float32Array(x.size), x.shape);
  const gradPlan: GradPlan = { ...plan, argmax: saved };
  return runOperator(F, POOLING_GRAD, POOLING_GRAD.resolveOptions(attrs, who), inputs, [dx], gradPlan, who)[0];
}

/** The gradient of `_backward_Pooling(ograd, data[, output])` at G (see the module comment). */
function poolingSecondOrder(F: Nd, ctx: PoolingBackward<void>): (NDArray | undefined)[] {
  const { attrs, plan, inputs, outputGrads: [g], needsGrad, into } = ctx;
  const linear = linearGradient(plan.poolType, plan.pValue);
  if (linear === 'gather') return [needsGrad[0] ? runInto(F, POOLING_GATHER, [g, inputs[1]], attrs, into[0]) : undefined];
  if (linear === 'pool') return [needsGrad[0] ? runInto(F, POOLING, [g], attrs, into[0]) : undefined];
  const grads = compositeGradients(F, lpGradient(attrs), inputs, [g]);
  return grads.map((grad, i) => (needsGrad[i] ? grad : undefined));
}

/** How the gradient of a pooling gradient is taken: a gather, Pooling itself, or the Lp composite. */
function linearGradient(poolType: PoolType, p: number): 'gather' | 'pool' | 'composite' {
  if (poolType === 'max') return 'gather';
  return poolType === 'lp' && p > 1 ? 'composite' : 'pool';
}

/**
 * Lp pooling's gradient restated with registered operators: dx = x^(p−1) · Aᵀ(dy · r^(p−1)),
 * r = 1/out where out ≠ 0 and 0 where out = 0 (MXNet's guard), Aᵀ the sum pooling's backward.
 */
function lpGradient(attrs: PoolingAttrs): Composite {
  const sumAttrs = { ...attrs, poolType: 'sum', pValue: null };
  return (F, [dy, x, y]) => {
    const zero = F.equal(y, 0);
    const r = F.divide(F.subtract(1, zero), F.add(y, zero));
    const spread = runInto(F, POOLING_GRAD, [F.multiply(dy, attrs.pValue === 2 ? r : F.square(r)), x], sumAttrs);
    return [F.multiply(attrs.pValue === 2 ? x : F.square(x), spread)];
  };
}

/** Options of `Pooling` (MXNet's attributes in camelCase; tuples have one value per spatial dimension). */
export interface PoolingOptions extends NameOption {
  /** Window size, 1 to 3 values (their count is the number of spatial dims). Required unless globalPool. */
  kernel?: readonly number[];
  /** 'max', 'avg', 'sum' or 'lp' (then pValue is required). Default 'max'. */
  poolType?: PoolType;
  /** Pool each channel over all positions (kernel, stride, pad and the convention are ignored). Default false. */
  globalPool?: boolean;
  /** cuDNN switch: accepted and ignored. Default false. */
  cudnnOff?: boolean;
  /** 'valid' rounds the output size down, 'full' up (Gluon's ceil_mode), 'same' (1-D, pad 0) gives ceil(in/stride). Default 'valid'. */
  poolingConvention?: PoolingConvention;
  /** Default 1 per dim (MXNet's operator default; Gluon's layers pass the window size). */
  stride?: readonly number[];
  /** Padding on both sides, never read as a value. Default 0 per dim. */
  pad?: readonly number[];
  /** p of Lp pooling: 1, 2 or 3. Default null (required with poolType 'lp'). */
  pValue?: number | null;
  /** Whether average pooling counts the padding in its divisor. Default null, which means true. */
  countIncludePad?: boolean | null;
  /** 'NCW', 'NCHW', 'NCDHW' (null, the default, picks the one for the rank) or channels-last 'NWC', 'NHWC', 'NDHWC'. */
  layout?: ConvLayout | null;
}

/** The pooling of `nd` and `sym`. */
export interface PoolingSignatures<T> {
  /**
   * MXNet's `Pooling` on data (N, C, *in) (channels-last: (N, *in, C)), 1 to 3 spatial dims.
   * Window o covers [o·stride − pad, o·stride − pad + kernel) per dim, reading only input values:
   *
   *     max: out = the window's first maximum (from −3.4028235e38: a window in the padding gives that)
   *     avg: out = Σ window / divisor (the window clipped at the padded edge with countIncludePad,
   *          else the input values covered; 0 for none)
   *     sum: out = Σ window;   lp: out = (Σ window^p)^(1/p), p = pValue (no absolute value, as MXNet)
   *
   * Output (N, C, *out) in the data's layout, out = floor((in + 2·pad − kernel)/stride) + 1
   * ('valid'), ceil(…) + 1 ('full': MXNet keeps a last window that starts in the right padding,
   * PyTorch drops it) or ceil(in/stride) ('same', 1-D only), or 1 per dim with globalPool.
   * Sums accumulate in float64. Gradients: max to each window's first maximum, avg and sum spread
   * over the window, Lp dy·(x/out)^(p−1) — all differentiable again (second derivatives are exact).
   *
   * @example
   * nd.Pooling(nd.array([[[1, 3, 2, 5, 4]]]), { kernel: [2], stride: [2], poolingConvention: 'full' }).toArray();
   * // [[[3, 5, 4]]]
   */
  Pooling(data: T, options: PoolingOptions): T;
}

export const POOLING_FRONTENDS: FrontendTable<PoolingSignatures<unknown>> = {
  Pooling: standard(POOLING),
};
