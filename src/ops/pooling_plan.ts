/**
 * The attributes and shape inference of MXNet's `Pooling` (PoolingParam, PoolingParamParser and
 * PoolingShape in `src/operator/nn/pooling.cc`), turned into the CPU pooling kernels' parameters.
 * Shared by `Pooling` and its gradient operators (pooling.ts).
 */
import { GluonError, formatShape } from '../core/errors';
import { checkShape } from '../core/shape';
import type { LpPower } from '../kernels/cpu/lp_pooling';
import { PoolParams, poolOutputSize } from '../kernels/cpu/pool_geometry';
import { AttrValues, boolAttr, choiceAttr, intAttr, optionalAttr, tupleAttr } from './attrs';
import { CHANNELS_FIRST, CHANNELS_LAST, ConvLayout, SpatialLayout, spatialLayout } from './layout_checks';
import { MaybeShape, Shape, ShapeInference } from './operator';

export const POOL_TYPES = ['max', 'avg', 'sum', 'lp'] as const;
export type PoolType = (typeof POOL_TYPES)[number];
export const POOLING_CONVENTIONS = ['valid', 'full', 'same'] as const;
export type PoolingConvention = (typeof POOLING_CONVENTIONS)[number];
/** MXNet's Pooling layout enum (all six, in its order). */
const POOLING_LAYOUTS: readonly ConvLayout[] = [...CHANNELS_FIRST, ...CHANNELS_LAST];

/** MXNet's PoolingParam, in its declaration order (`kernel`, `stride`, `pad`: `()` means 1s, 1s, 0s). */
export const POOLING_ATTRS = {
  kernel: tupleAttr({ min: 1, default: [] }),
  poolType: choiceAttr(POOL_TYPES, { default: 'max' }),
  globalPool: boolAttr({ default: false }),
  cudnnOff: boolAttr({ default: false, ignored: true }),
  poolingConvention: choiceAttr(POOLING_CONVENTIONS, { default: 'valid' }),
  stride: tupleAttr({ min: 1, default: [] }),
  pad: tupleAttr({ min: 0, default: [] }),
  pValue: optionalAttr(intAttr()),
  countIncludePad: optionalAttr(boolAttr()),
  layout: optionalAttr(choiceAttr(POOLING_LAYOUTS)),
};
export type PoolingAttrs = AttrValues<typeof POOLING_ATTRS>;

/** A planned pooling: what the kernels need. */
export interface PoolingPlan {
  readonly poolType: PoolType;
  /** Global pooling: `params` is one window over the whole input (kernel, stride, pad ignored). */
  readonly global: boolean;
  readonly params: PoolParams;
  /** count_include_pad; MXNet's None means true. */
  readonly countIncludePad: boolean;
  /** p of Lp pooling (1 for the other types). */
  readonly pValue: LpPower;
  readonly layout: SpatialLayout;
  readonly outShape: Shape;
  /** The input has no spatial element (global pooling of an empty plane: no window to run). */
  readonly empty: boolean;
}

/** What the attributes fix before the data is known. */
interface PoolingWindow {
  /** Spatial dims given by the kernel; null for global pooling without a kernel. */
  readonly rank: number | null;
  readonly stride: readonly number[];
  readonly pad: readonly number[];
  readonly pValue: LpPower;
}

/**
 * Shape inference of `Pooling`: checks the attributes, then, once the data shape is known, the
 * data, and plans the kernels. The output is (N, C, *out) in the data's layout, out = 1 per dim
 * for global pooling, else floor((in + 2p − k)/s) + 1 ('valid'), ceil((in + 2p − k)/s) + 1
 * ('full') or ceil((in + 2p)/s) ('same', 1-D only, p = 0).
 */
export function inferPooling(who: string, a: PoolingAttrs, shapes: readonly MaybeShape[]): ShapeInference<PoolingPlan> {
  const window = resolveWindow(who, a);
  const [data] = shapes;
  if (data === undefined) return { inputs: shapes, outputs: [undefined] };
  const plan = planPooling(who, a, window, data);
  return { inputs: shapes, outputs: [plan.outShape], plan };
}

function resolveWindow(who: string, a: PoolingAttrs): PoolingWindow {
  const rank = a.kernel.length;
  if ((rank === 0 && !a.globalPool) || rank > 3) {
    throw new GluonError(`${who}: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got ${formatShape(a.kernel)}`);
  }
  const perDim = (name: string, value: readonly number[], fallback: number): readonly number[] => {
    if (value.length === 0) return new Array<number>(rank).fill(fallback);
    if (value.length !== rank && rank > 0) {
      throw new GluonError(`${who}: expected ${name} to have ${rank} value(s), one per spatial dimension of kernel ${formatShape(a.kernel)}, but got ${formatShape(value)}`);
    }
    return value;
  };
  const pad = perDim('pad', a.pad, 0);
  if (a.poolingConvention === 'same' && pad.some((p) => p !== 0)) {
    throw new GluonError(`${who}: expected pad 0 with poolingConvention 'same' (which pads by itself), but got pad ${formatShape(a.pad)}`);
  }
  if (rank > 0) spatialLayout(who, a.layout, rank);
  return { rank: rank === 0 ? null : rank, stride: perDim('stride', a.stride, 1), pad, pValue: lpPower(who, a) };
}

/** p of Lp pooling: MXNet requires p_value for pool_type 'lp' and computes p = 1, 2 or 3. */
function lpPower(who: string, a: PoolingAttrs): LpPower {
  if (a.poolType !== 'lp') return 1;
  const p = a.pValue;
  if (p === 1 || p === 2 || p === 3) return p;
  throw new GluonError(`${who}: expected pValue to be 1, 2 or 3 with poolType 'lp' (MXNet computes no other p), but got ${p === null ? 'none' : p}`);
}

/** The number of spatial dims of global pooling without a kernel: the layout's, else the data's. */
function globalRank(who: string, layout: ConvLayout | null, data: Shape): number {
  if (layout !== null) return layout.length - 2;
  if (data.length < 3 || data.length > 5) {
    throw new GluonError(`${who}: expected data of rank 3, 4 or 5 (${CHANNELS_FIRST.join(', ')}), but got shape ${formatShape(data)}`);
  }
  return data.length - 2;
}

function planPooling(who: string, a: PoolingAttrs, w: PoolingWindow, data: Shape): PoolingPlan {
  if (a.poolingConvention === 'same' && data.length !== 3) {
    throw new GluonError(`${who}: expected data of rank 3 with poolingConvention 'same' (MXNet pools 'same' in 1-D only), but got shape ${formatShape(data)}`);
  }
  const rank = w.rank ?? globalRank(who, a.layout, data);
  const layout = spatialLayout(who, a.layout, rank);
  if (data.length !== rank + 2) {
    throw new GluonError(`${who}: expected data of rank ${rank + 2} (layout ${layout.layout}), but got shape ${formatShape(data)}`);
  }
  const inSize = layout.channelsLast ? data.slice(1, -1) : data.slice(2);
  const global = a.globalPool;
  const params: PoolParams = {
    batch: data[0], channels: data[layout.channelAxis], inSize, channelsLast: layout.channelsLast,
    poolSize: global ? inSize : a.kernel, strides: global ? inSize.map(() => 1) : w.stride, padding: global ? inSize.map(() => 0) : w.pad,
    ceilMode: !global && a.poolingConvention === 'full', same: !global && a.poolingConvention === 'same',
  };
  if (!global) checkWindowFits(who, params);
  const outSize = global ? inSize.map(() => 1) : poolOutputSize(params);
  const outShape = layout.channelsLast ? [params.batch, ...outSize, params.channels] : [params.batch, params.channels, ...outSize];
  checkShape(outShape, `${who} output`);
  return {
    poolType: a.poolType, global, params, countIncludePad: a.countIncludePad ?? true, pValue: w.pValue, layout, outShape,
    empty: inSize.some((n) => n === 0),
  };
}

/** MXNet's "kernel size exceeds input": each window must fit in the padded input. */
function checkWindowFits(who: string, p: PoolParams): void {
  p.poolSize.forEach((k, i) => {
    if (k > p.inSize[i] + 2 * p.padding[i]) {
      throw new GluonError(
        `${who}: expected the pooling window to fit in the padded input along spatial dimension ${i}, but got kernel ${k} > input ${p.inSize[i]} + 2*pad ${p.padding[i]}`,
      );
    }
  });
}
