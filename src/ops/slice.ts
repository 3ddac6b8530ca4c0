/**
 * Slicing: MXNet's `slice_axis` (one axis, contiguous) and `slice` (numpy-style begin/end/step
 * per leading axis, None entries and negative steps allowed), with their backward operators
 * `_backward_slice_axis` and `_backward_slice`, which place the output gradient into zeros of the
 * input's shape. Each backward operator's own gradient is the slice again, so slices
 * differentiate any number of times.
 */
import { GluonError, formatShape } from '../core/errors';
import { normalizeAxis, rowMajorStrides, shapeSize } from '../core/shape';
import { padRows, sliceRows } from '../kernels/cpu/join';
import { gatherStrided, scatterStrided } from '../kernels/cpu/strided_slice';
import { AttrSpec, AttrValues, intAttr, optionalAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { MaybeShape, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

/** MXNet's `optional<index_t>` `end` of slice_axis: None or an integer, and (as MXNet) required. */
const REQUIRED_OPTIONAL_INT: AttrSpec<number | null> = { ...optionalAttr(intAttr()), required: true };

const SLICE_AXIS_ATTRS = { axis: intAttr(), begin: intAttr(), end: REQUIRED_OPTIONAL_INT };
type SliceAxisAttrs = AttrValues<typeof SLICE_AXIS_ATTRS>;

/** Where slice_axis cuts: rows of the (outer, length·inner) view, the kept run of each row. */
interface SliceAxisPlan {
  readonly axis: number;
  readonly outer: number;
  readonly rowLength: number;
  readonly from: number;
  readonly width: number;
  readonly outShape: Shape;
}

function planSliceAxis({ axis, begin, end }: SliceAxisAttrs, shape: Shape, who: string): SliceAxisPlan {
  const a = normalizeAxis(axis, shape.length, who);
  const length = shape[a];
  const from = begin < 0 ? begin + length : begin;
  const to = end === null ? length : end < 0 ? end + length : end;
  if (!(from >= 0 && from <= to && to <= length)) {
    throw new GluonError(
      `${who}: expected 0 <= begin <= end <= ${length} (negative values count from the end of axis ${a}), but got begin=${begin}, end=${end}`,
    );
  }
  const inner = shapeSize(shape.slice(a + 1));
  const outShape = shape.map((dim, d) => (d === a ? to - from : dim));
  return { axis: a, outer: shapeSize(shape.slice(0, a)), rowLength: length * inner, from: from * inner, width: (to - from) * inner, outShape };
}

/**
 * MXNet's `slice_axis`: the values `[begin, end)` of `axis`. Negative bounds count from the end
 * of the axis; `end` null means the axis length. tsgluon allows an empty slice (begin == end),
 * which MXNet refuses. Gradient: dy in the sliced range, zeros elsewhere (`_backward_slice_axis`).
 */
export const SLICE_AXIS = defineOperator({
  name: 'slice_axis',
  attrs: SLICE_AXIS_ATTRS,
  inputs: ['data'],
  dtypes: 'same',
  inferShape: (attrs, shapes, who): ShapeInference<SliceAxisPlan> => {
    const [shape] = shapes;
    if (shape === undefined) return { inputs: shapes, outputs: [undefined] };
    const plan = planSliceAxis(attrs, shape, who);
    return { inputs: shapes, outputs: [plan.outShape], plan };
  },
  forward: ({ plan, inputs: [x], outputs: [y] }) => sliceRows(x.data, plan.rowLength, plan.from, plan.width, plan.outer, y.data),
  backward: ({ attrs, inputs: [x], outputGrads: [dy], into }, F) => [runInto(F, BACKWARD_SLICE_AXIS, [dy, x], attrs, into[0])],
});

/** `_backward_slice_axis(ograd, data)`: ograd placed at the slice of zeros of data's shape; data gives only the shape. */
export const BACKWARD_SLICE_AXIS = defineOperator({
  name: '_backward_slice_axis',
  attrs: SLICE_AXIS_ATTRS,
  inputs: ['ograd', 'data'],
  inferShape: (attrs, shapes, who): ShapeInference<SliceAxisPlan> => {
    const [ograd, data] = shapes;
    if (data === undefined) return { inputs: shapes, outputs: [undefined] };
    const plan = planSliceAxis(attrs, data, who);
    if (ograd !== undefined) expectShape(who, 'ograd', ograd, plan.outShape, data);
    return { inputs: [plan.outShape, data], outputs: [data], plan };
  },
  forward: ({ plan, inputs: [dy], outputs: [dx] }) => padRows(dy.data, plan.rowLength, plan.from, plan.width, plan.outer, dx.data),
  backward: ({ attrs, outputGrads: [g], needsGrad }, F) => [needsGrad[0] ? F.sliceAxis(g, attrs) : undefined, undefined],
});

/** An entry of slice's begin/end/step: an integer or None (null). */
type OptionalInts = readonly (number | null)[];

const OPTIONAL_INT = /^(None|[-+]?\d+L?)$/;

/** dmlc's text of a `Tuple<optional<int>>`: `(0, None)`, `[1,2]`, `(3,)`, `()` or one integer. */
function parseOptionalInts(text: string): (number | null)[] | undefined {
  const entry = (part: string): number | null | undefined =>
    !OPTIONAL_INT.test(part) ? undefined : part === 'None' ? null : Number(part.replace(/L$/, ''));
  if (/^[-+]?\d+L?$/.test(text)) return [Number(text.replace(/L$/, ''))];
  const match = /^[([]\s*(.*?)\s*,?\s*[)\]]$/.exec(text);
  if (match === null) return undefined;
  if (match[1] === '') return [];
  const parts = match[1].split(',').map((p) => entry(p.trim()));
  return parts.every((p): p is number | null => p !== undefined) ? parts : undefined;
}

/** MXNet's `Tuple<optional<index_t>>` (slice's begin, end and step): integers or None (null). */
function optionalIntTuple(defaultValue?: OptionalInts): AttrSpec<OptionalInts> {
  const check = (v: unknown): OptionalInts | undefined =>
    Array.isArray(v) && v.every((d) => d === null || Number.isSafeInteger(d)) ? Object.freeze(v.slice()) : undefined;
  const show = (v: number | null): string => (v === null ? 'None' : String(v));
  return {
    required: defaultValue === undefined,
    defaultValue: defaultValue ?? [],
    ignored: false,
    description: 'a tuple of integers or None',
    fromOption: check,
    fromJson: (text) => check(parseOptionalInts(text.trim())),
    toJson: (v) => (v.length === 1 ? `(${show(v[0])},)` : `(${v.map(show).join(', ')})`),
  };
}

export const SLICE_ATTRS = { begin: optionalIntTuple(), end: optionalIntTuple(), step: optionalIntTuple([]) };
export type SliceAttrs = AttrValues<typeof SLICE_ATTRS>;

/** What slice reads: the flat position of the first element, and per axis the step in x and the result's length. */
export interface SlicePlan {
  readonly base: number;
  readonly strides: readonly number[];
  readonly outShape: Shape;
}

function checkSliceAttrs({ begin, end, step }: SliceAttrs, shape: Shape, who: string): void {
  if (shape.length === 0) throw new GluonError(`${who}: expected data of rank >= 1, but got a 0-d array`);
  if (begin.length !== end.length) {
    throw new GluonError(`${who}: expected begin and end of the same length, but got ${begin.length} and ${end.length} entries`);
  }
  if (begin.length > shape.length) {
    throw new GluonError(`${who}: expected at most ${shape.length} entries in begin and end (one per axis of data of shape ${formatShape(shape)}), but got ${begin.length}`);
  }
  if (step.length > 0 && step.length !== begin.length) {
    throw new GluonError(`${who}: expected step to have the ${begin.length} entries of begin (or none), but got ${step.length}`);
  }
  const zero = step.indexOf(0);
  if (zero >= 0) throw new GluonError(`${who}: expected non-zero steps, but got step[${zero}] = 0`);
}

/** One axis, as MXNet's GetIndexRange: [first, count] of the elements taken with step s. */
function axisRange(b0: number | null, e0: number | null, s: number, len: number): [number, number] {
  if (len === 0) return [0, 0];
  let b = b0 ?? (s < 0 ? len - 1 : 0);
  let e = e0 ?? (s < 0 ? -1 : len);
  if (b < 0) b += len;
  if (e < 0 && e0 !== null) e += len;
  if (b < 0 && s > 0) b = 0;
  if (b > len - 1 && s < 0) b = len - 1;
  if (b < 0 || b > len - 1) return [0, 0];
  e = Math.min(Math.max(e, -1), len);
  const count = s > 0 ? (e > b ? Math.floor((e - b - 1) / s) + 1 : 0) : e < b ? Math.floor((b - e - 1) / -s) + 1 : 0;
  return [count === 0 ? 0 : b, count];
}

export function planSlice(attrs: SliceAttrs, shape: Shape, who: string): SlicePlan {
  checkSliceAttrs(attrs, shape, who);
  const own = rowMajorStrides(shape);
  let base = 0;
  const strides: number[] = [];
  const outShape = shape.map((len, d) => {
    const s = d < attrs.begin.length ? attrs.step[d] ?? 1 : 1;
    const [first, count] = d < attrs.begin.length ? axisRange(attrs.begin[d], attrs.end[d], s, len) : [0, len];
    base += first * own[d];
    strides.push(own[d] * s);
    return count;
  });
  return { base: shapeSize(outShape) === 0 ? 0 : base, strides, outShape };
}

function sliceInference(attrs: SliceAttrs, shape: MaybeShape, who: string): SlicePlan | undefined {
  return shape === undefined ? undefined : planSlice(attrs, shape, who);
}

/**
 * MXNet's `slice` (alias `crop`): numpy's `x[b0:e0:s0, …]` over the leading `begin.length` axes.
 * A None (null) begin/end is the start/end of the axis (the reverse for a negative step);
 * negative values count from the end; out-of-range bounds are clamped. Gradient: dy at the
 * sliced positions, zeros elsewhere (`_backward_slice`).
 */
export const SLICE = defineOperator({
  name: 'slice',
  aliases: ['crop'],
  attrs: SLICE_ATTRS,
  inputs: ['data'],
  dtypes: 'same',
  inferShape: (attrs, shapes, who): ShapeInference<SlicePlan> => {
    const plan = sliceInference(attrs, shapes[0], who);
    return { inputs: shapes, outputs: [plan?.outShape], plan };
  },
  forward: ({ plan, inputs: [x], outputs: [y] }) => gatherStrided(x.data, plan.base, plan.strides, plan.outShape, y.data),
  backward: ({ attrs, inputs: [x], outputGrads: [dy], into }, F) => [runInto(F, BACKWARD_SLICE, [dy, x], attrs, into[0])],
});

/** `_backward_slice(ograd, data)`: ograd placed at the sliced positions of zeros of data's shape. */
export const BACKWARD_SLICE = defineOperator({
  name: '_backward_slice',
  attrs: SLICE_ATTRS,
  inputs: ['ograd', 'data'],
  inferShape: (attrs, shapes, who): ShapeInference<SlicePlan> => {
    const [ograd, data] = shapes;
    const plan = sliceInference(attrs, data, who);
    if (plan === undefined) return { inputs: shapes, outputs: [undefined] };
    if (ograd !== undefined) expectShape(who, 'ograd', ograd, plan.outShape, data);
    return { inputs: [plan.outShape, data], outputs: [data], plan };
  },
  forward: ({ plan, inputs: [dy], outputs: [dx] }) => scatterStrided(dy.data, plan.base, plan.strides, plan.outShape, dx.data),
  backward: ({ attrs, outputGrads: [g], needsGrad }, F) => [needsGrad[0] ? F.slice(g, attrs) : undefined, undefined],
});

/** Options of `sliceAxis` (MXNet's `slice_axis`). */
export interface SliceAxisOptions extends NameOption {
  /** The axis to slice (negative counts from the end). */
  axis: number;
  /** The first index taken (negative counts from the end of the axis). */
  begin: number;
  /** One past the last index taken (negative counts from the end); null for the axis length. Required, as MXNet. */
  end: number | null;
}

/** Options of `slice`: one entry per leading axis; null (MXNet's None) for the default. */
export interface SliceOptions extends NameOption {
  /** First index per axis (null: 0, or the last index for a negative step). */
  begin: readonly (number | null)[];
  /** One past the last index per axis (null: the axis length, or before index 0 for a negative step). */
  end: readonly (number | null)[];
  /** Step per axis, non-zero (null: 1). Default: all 1. */
  step?: readonly (number | null)[];
}

/** Slicing functions of `nd` and `sym`. */
export interface SliceSignatures<T> {
  /**
   * MXNet's `slice_axis`: the values `[begin, end)` along `axis` (negative bounds count from the
   * end; `end: null` is the axis length; an empty slice is allowed). Gradient: dy in the range,
   * 0 elsewhere.
   * @example
   * const x = nd.array([[1, 2, 3], [4, 5, 6]]);
   * nd.sliceAxis(x, { axis: 1, begin: 1, end: null }).toArray(); // [[2, 3], [5, 6]]
   * nd.sliceAxis(x, { axis: 0, begin: -1, end: null }).toArray(); // [[4, 5, 6]]
   */
  sliceAxis(data: T, options: SliceAxisOptions): T;
  /**
   * MXNet's `slice`: numpy's `x[b0:e0:s0, b1:e1:s1, …]` over the first `begin.length` axes (the
   * others whole); null entries take the defaults, negative bounds count from the end, bounds
   * outside the axis are clamped, negative steps reverse. Output length per axis
   * `ceil((e − b) / s)` (0 if empty). Gradient: dy at the sliced positions, 0 elsewhere.
   * @example
   * const x = nd.array([[1, 2, 3], [4, 5, 6]]);
   * nd.slice(x, { begin: [null, 2], end: [null, null], step: [1, -2] }).toArray(); // [[3, 1], [6, 4]]
   */
  slice(data: T, options: SliceOptions): T;
}

export const SLICE_FRONTENDS: FrontendTable<SliceSignatures<unknown>> = {
  sliceAxis: standard(SLICE_AXIS),
  slice: standard(SLICE),
};
