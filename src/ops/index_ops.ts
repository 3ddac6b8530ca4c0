/**
 * Operators that select by an index array (float32 values, truncated toward zero as MXNet's C
 * casts do): `pick`, `take` and `one_hot`, with the backward operators `_backward_pick` and
 * `_backward_take`, which scatter the output gradient into zeros of the data's shape. Their own
 * gradient is pick/take again (the scatter is linear in ograd), so the selections differentiate
 * any number of times. Index inputs get no gradient.
 */
import { GluonError, formatShape } from '../core/errors';
import { normalizeAxis, shapeSize } from '../core/shape';
import * as k from '../kernels/cpu/index_select';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, choiceAttr, floatAttr, intAttr, optionalAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { MaybeShape, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

/** An array viewed as (outer, length, inner) around one axis. */
interface AxisView {
  readonly axis: number;
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
}

function axisView(shape: Shape, axis: number): AxisView {
  return { axis, outer: shapeSize(shape.slice(0, axis)), length: shape[axis], inner: shapeSize(shape.slice(axis + 1)) };
}

/** Throws unless every index value is finite (a NaN or infinite index selects nothing sensible). */
function checkFinite(who: string, name: string, values: NDArray): void {
  const bad = k.firstNonFinite(values.data);
  if (bad >= 0) throw new GluonError(`${who}: expected finite values in ${name}, but got ${values.data[bad]} at position ${bad}`);
}

const PICK_ATTRS = {
  axis: optionalAttr(intAttr(), { default: -1 }),
  keepdims: boolAttr({ default: false }),
  mode: choiceAttr(['wrap', 'clip'] as const, { default: 'clip' }),
};
type PickAttrs = AttrValues<typeof PICK_ATTRS>;

/** The picked axis of data of `shape`, the output shape, and the index shape checked (either form, as MXNet). */
function planPick({ axis, keepdims }: PickAttrs, data: Shape, index: MaybeShape, who: string): { view: AxisView; outShape: Shape } {
  if (axis === null) throw new GluonError(`${who}: expected an axis (axis=None is not supported by pick, as in MXNet), but got null`);
  const a = normalizeAxis(axis, data.length, who);
  const kept = data.map((d, j) => (j === a ? 1 : d));
  const dropped = data.filter((_, j) => j !== a);
  if (index !== undefined) expectShape(who, 'index', index, index.length === data.length ? kept : dropped, data);
  return { view: axisView(data, a), outShape: keepdims ? kept : dropped };
}

/**
 * MXNet's `pick`: along `axis` (default -1), the element `index` selects in each lane:
 * `out[i, j] = data[i, index[i, j], j]`. index has data's shape without the axis, or with it of
 * length 1. Out-of-range indices are clipped (mode 'clip') or wrapped ('wrap'). Gradient:
 * dy at the picked positions, 0 elsewhere.
 */
export const PICK = defineOperator({
  name: 'pick',
  aliases: ['choose_element_0index'],
  attrs: PICK_ATTRS,
  inputs: ['data', 'index'],
  indexInputs: [1],
  inferShape: (attrs, shapes, who): ShapeInference<AxisView> => {
    const [data, index] = shapes;
    if (data === undefined) return { inputs: shapes, outputs: [undefined] };
    const { view, outShape } = planPick(attrs, data, index, who);
    return { inputs: shapes, outputs: [outShape], plan: view };
  },
  forward: ({ attrs, plan, inputs: [x, index], outputs: [y], who }) => {
    checkFinite(who, 'index', index);
    k.pickLanes(x.data, index.data, plan.outer, plan.length, plan.inner, attrs.mode === 'wrap', y.data);
  },
  backward: ({ attrs, inputs: [x, index], outputGrads: [dy], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, BACKWARD_PICK, [dy, x, index], attrs, into[0]) : undefined,
    undefined,
  ],
});

/** `_backward_pick(ograd, data, index)`: ograd at the picked positions of zeros of data's shape. */
export const BACKWARD_PICK = defineOperator({
  name: '_backward_pick',
  attrs: PICK_ATTRS,
  inputs: ['ograd', 'data', 'index'],
  inferShape: (attrs, shapes, who): ShapeInference<AxisView> => {
    const [ograd, data, index] = shapes;
    if (data === undefined) return { inputs: shapes, outputs: [undefined] };
    const { view, outShape } = planPick(attrs, data, index, who);
    if (ograd !== undefined) expectShape(who, 'ograd', ograd, outShape, data);
    return { inputs: shapes, outputs: [data], plan: view };
  },
  forward: ({ attrs, plan, inputs: [dy, , index], outputs: [dx] }) =>
    k.pickLanesAdjoint(dy.data, index.data, plan.outer, plan.length, plan.inner, attrs.mode === 'wrap', dx.data),
  backward: ({ attrs, plan, inputs: [, , index], outputGrads: [g], needsGrad }, F) => [
    needsGrad[0] ? F.pick(g, index, { axis: plan.axis, keepdims: attrs.keepdims, mode: attrs.mode }) : undefined,
    undefined,
    undefined,
  ],
});

const TAKE_ATTRS = { axis: intAttr({ default: 0 }), mode: choiceAttr(['raise', 'wrap', 'clip'] as const, { default: 'clip' }) };
type TakeAttrs = AttrValues<typeof TAKE_ATTRS>;

function planTake({ axis }: TakeAttrs, a: Shape, indices: Shape, who: string): { view: AxisView; outShape: Shape } {
  const d = normalizeAxis(axis, a.length, who);
  if (a[d] === 0 && shapeSize(indices) > 0) throw new GluonError(`${who}: expected a non-empty axis ${d} to take from, but got a of shape ${formatShape(a)}`);
  return { view: axisView(a, d), outShape: [...a.slice(0, d), ...indices, ...a.slice(d + 1)] };
}

function takeInference(attrs: TakeAttrs, a: MaybeShape, indices: MaybeShape, who: string): { view: AxisView; outShape: Shape } | undefined {
  return a === undefined || indices === undefined ? undefined : planTake(attrs, a, indices, who);
}

/** Checks take's index values: finite, and in range in mode 'raise'. */
function checkTakeIndices(who: string, attrs: TakeAttrs, indices: NDArray, length: number): void {
  checkFinite(who, 'indices', indices);
  if (attrs.mode !== 'raise') return;
  const bad = k.firstOutOfRange(indices.data, length);
  if (bad >= 0) throw new GluonError(`${who}: expected indices in [0, ${length - 1}] (mode 'raise'), but got ${indices.data[bad]} at position ${bad}`);
}

/**
 * MXNet's `take`: the slices of `a` along `axis` (default 0) that `indices` select, in
 * indices' shape: out shape `a.shape[:axis] + indices.shape + a.shape[axis+1:]`. Out-of-range
 * indices are clipped ('clip', the default), wrapped ('wrap') or an error ('raise'). Gradient:
 * dy's slices added into zeros of a's shape at the selected positions.
 */
export const TAKE = defineOperator({
  name: 'take',
  attrs: TAKE_ATTRS,
  inputs: ['a', 'indices'],
  indexInputs: [1],
  inferShape: (attrs, shapes, who): ShapeInference<AxisView> => {
    const plan = takeInference(attrs, shapes[0], shapes[1], who);
    return { inputs: shapes, outputs: [plan?.outShape], plan: plan?.view };
  },
  forward: ({ attrs, plan, inputs: [a, indices], outputs: [y], who }) => {
    checkTakeIndices(who, attrs, indices, plan.length);
    k.takeSlices(a.data, indices.data, plan.outer, plan.length, plan.inner, attrs.mode === 'wrap', y.data);
  },
  backward: ({ attrs, inputs: [a, indices], outputGrads: [dy], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, BACKWARD_TAKE, [dy, a, indices], attrs, into[0]) : undefined,
    undefined,
  ],
});

/** `_backward_take(ograd, a, indices)`: ograd's slices added into zeros of a's shape. */
export const BACKWARD_TAKE = defineOperator({
  name: '_backward_take',
  attrs: TAKE_ATTRS,
  inputs: ['ograd', 'a', 'indices'],
  inferShape: (attrs, shapes, who): ShapeInference<AxisView> => {
    const [ograd, a, indices] = shapes;
    const plan = takeInference(attrs, a, indices, who);
    if (plan === undefined) return { inputs: shapes, outputs: [undefined] };
    if (ograd !== undefined) expectShape(who, 'ograd', ograd, plan.outShape, a);
    return { inputs: shapes, outputs: [a], plan: plan.view };
  },
  forward: ({ attrs, plan, inputs: [dy, , indices], outputs: [dx] }) =>
    k.takeSlicesAdjoint(dy.data, indices.data, plan.outer, plan.length, plan.inner, attrs.mode === 'wrap', dx.data),
  backward: ({ attrs, inputs: [, , indices], outputGrads: [g], needsGrad }, F) => [needsGrad[0] ? F.take(g, indices, attrs) : undefined, undefined, undefined],
});

/** MXNet's dtypes (MXNET_ADD_ALL_TYPES); tsgluon arrays are float32. */
const DTYPES = ['float32', 'float64', 'float16', 'bfloat16', 'uint8', 'int8', 'int32', 'int64'] as const;

/**
 * MXNet's `one_hot`: `out[..., j] = onValue` where `j = trunc(indices[...])`, `offValue`
 * elsewhere; shape `indices.shape + (depth,)`. An index outside [0, depth) gives a row of
 * offValue, as MXNet. No gradient. Only dtype 'float32' is supported.
 */
export const ONE_HOT = defineOperator({
  name: 'one_hot',
  attrs: {
    depth: intAttr({ min: 0 }),
    onValue: floatAttr({ finite: false, default: 1 }),
    offValue: floatAttr({ finite: false, default: 0 }),
    dtype: choiceAttr(DTYPES, { default: 'float32' }),
  },
  inputs: ['indices'],
  indexInputs: [0],
  inferShape: ({ depth, dtype }, shapes, who) => {
    if (dtype !== 'float32') throw new GluonError(`${who}: expected dtype 'float32' (tsgluon arrays are float32), but got '${dtype}'`);
    const [shape] = shapes;
    return { inputs: shapes, outputs: [shape === undefined ? undefined : [...shape, depth]] };
  },
  forward: ({ attrs, inputs: [indices], outputs: [y] }) => k.oneHotRows(indices.data, attrs.depth, attrs.onValue, attrs.offValue, y.data),
  backward: 'constant',
});

/** Options of `pick`. */
export interface PickOptions extends NameOption {
  /** The axis to pick along (negative counts from the end). Default -1. */
  axis?: number;
  /** Keep the picked axis with length 1. Default false. */
  keepdims?: boolean;
  /** Out-of-range indices: 'clip' (default) to the nearest end, 'wrap' around. */
  mode?: 'clip' | 'wrap';
}

/** Options of `take`. */
export interface TakeOptions extends NameOption {
  /** The axis to take along (negative counts from the end). Default 0. */
  axis?: number;
  /** Out-of-range indices: 'clip' (default), 'wrap', or 'raise' (an error). */
  mode?: 'clip' | 'wrap' | 'raise';
}

/** Options of `oneHot`. */
export interface OneHotOptions extends NameOption {
  /** The length of the new last axis. */
  depth: number;
  /** The value at the index. Default 1. */
  onValue?: number;
  /** The value elsewhere. Default 0. */
  offValue?: number;
  /** The output type; only 'float32' (the default) is supported. */
  dtype?: (typeof DTYPES)[number];
}

/** Index selection functions of `nd` and `sym`. */
export interface IndexSignatures<T> {
  /**
   * MXNet's `pick`: one element per lane along `axis` (default -1), chosen by `index` (data's
   * shape without the axis, or with it of length 1); out-of-range indices clipped or wrapped
   * (`mode`). Gradient: dy at the picked positions (index gets none).
   * @example nd.pick(nd.array([[1, 2, 3], [4, 5, 6]]), nd.array([2, 0])).toArray(); // [3, 4]
   */
  pick(data: T, index: T, options?: PickOptions): T;
  /**
   * MXNet's `take`: the slices of `a` along `axis` (default 0) selected by `indices`, in their
   * shape: out `a.shape[:axis] + indices.shape + a.shape[axis+1:]`. Gradient: dy's slices summed
   * into the selected positions (indices get none).
   * @example nd.take(nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([2, 0])).toArray(); // [[5, 6], [1, 2]]
   */
  take(a: T, indices: T, options?: TakeOptions): T;
  /**
   * MXNet's `one_hot`: a new last axis of length `depth`, `onValue` at each index and
   * `offValue` elsewhere (a row of offValue for an index outside [0, depth)). No gradient.
   * @example nd.oneHot(nd.array([1, 0]), { depth: 3 }).toArray(); // [[0, 1, 0], [1, 0, 0]]
   */
  oneHot(indices: T, options: OneHotOptions): T;
}

export const INDEX_FRONTENDS: FrontendTable<IndexSignatures<unknown>> = {
  pick: standard(PICK),
  take: standard(TAKE),
  oneHot: standard(ONE_HOT),
};
