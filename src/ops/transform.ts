/**
 * Layout operators: `Reshape`, `reshape_like`, `Flatten`, `expand_dims`, `squeeze`,
 * `transpose`, `SwapAxis`, `broadcast_to`, `broadcast_like`. Every result is its own array (the
 * memory planner may let a reshape's output take over its input's storage in a cached graph).
 *
 * Gradients move the output gradient back: the reshapes reshape it to the input's shape, the
 * permutations apply the inverse permutation, the broadcasts sum over the repeated axes.
 */
import { GluonError, formatShape } from '../core/errors';
import { checkShape, normalizeAxis, rowMajorStrides, shapeSize } from '../core/shape';
import { copyInto, gather } from '../kernels/cpu/copy';
import { broadcastStrides } from '../kernels/cpu/strided';
import type { NDArray } from '../ndarray/ndarray';
import { AttrTable, AttrValues, boolAttr, intAttr, optionalAttr, tupleAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { Operator, Shape, ShapeInference, defineOperator } from './operator';
import { reduceToShape } from './reduce_to_shape';
import { legacyTargetShape, reshapeShape } from './reshape_shape';

/** An operator that only changes the shape: the values are copied (or kept, in place) in order. */
function reshaping<T extends AttrTable>(
  name: string, aliases: readonly string[], attrs: T, outShape: (attrs: AttrValues<T>, shape: Shape, who: string) => Shape, anyAttrs = false,
): Operator {
  return defineOperator({
    name,
    aliases,
    attrs,
    anyAttrs,
    inputs: ['data'],
    inplace: [[0, 0]],
    dtypes: 'same',
    inferShape: (a, shapes, who) => ({ inputs: shapes, outputs: [shapes[0] === undefined ? undefined : outShape(a, shapes[0], who)] }),
    forward: ({ inputs: [x], outputs: [y] }) => copyInto(x.data, y.data),
    backward: ({ inputs: [x], outputGrads: [dy] }, F) => [F.reshapeLike(dy, x)],
  });
}

const RESHAPE_ATTRS = {
  shape: tupleAttr({ default: [] }),
  reverse: boolAttr({ default: false }),
  targetShape: tupleAttr({ default: [] }),
  keepHighest: boolAttr({ default: false }),
};

/** MXNet's `Reshape` (see reshape_shape.ts for the codes 0, -1, -2, -3, -4 and `reverse`). */
export const RESHAPE = reshaping('Reshape', ['reshape'], RESHAPE_ATTRS, (a, shape, who) =>
  a.shape.length === 0 && a.targetShape.length > 0
    ? legacyTargetShape(shape, a.targetShape, a.keepHighest, who)
    : reshapeShape(shape, a.shape, a.reverse, who));

/** `Flatten`: (N, d1, …) → (N, d1·…); a 1-D (N,) gives (N, 1). MXNet declares no attributes (and parses none). */
export const FLATTEN = reshaping('Flatten', ['flatten'], {}, (_, shape, who) => {
  if (shape.length === 0) throw new GluonError(`${who}: expected data of rank >= 1, but got a 0-d array`);
  return [shape[0], shapeSize(shape.slice(1))];
}, true);

/** `expand_dims`: a new axis of length 1 at `axis`, in [-ndim-1, ndim]. */
export const EXPAND_DIMS = reshaping('expand_dims', [], { axis: intAttr() }, (a, shape, who) => {
  const out = shape.slice();
  out.splice(normalizeAxis(a.axis, shape.length + 1, who), 0, 1);
  return out;
});

/** `squeeze`: removes the given length-1 axes (all when absent); at least one axis remains, as MXNet. */
export const SQUEEZE = reshaping('squeeze', [], { axis: optionalAttr(tupleAttr({ scalarOk: true })) }, (a, shape, who) => {
  const drop = a.axis === null ? shape.flatMap((dim, d) => (dim === 1 ? [d] : [])) : a.axis.map((d) => normalizeAxis(d, shape.length, who));
  for (const d of drop) {
    if (shape[d] !== 1) throw new GluonError(`${who}: expected axis ${d} to have length 1, but got length ${shape[d]} (input shape ${formatShape(shape)})`);
  }
  const out = shape.filter((_, d) => !drop.includes(d));
  return out.length === 0 ? [1] : out;
});

const LIKE_ATTRS = {
  lhsBegin: optionalAttr(intAttr()),
  lhsEnd: optionalAttr(intAttr()),
  rhsBegin: optionalAttr(intAttr()),
  rhsEnd: optionalAttr(intAttr()),
};

/** `reshape_like(lhs, rhs)`: lhs's values in rhs's shape (or lhs's axes [lhsBegin, lhsEnd) replaced by rhs's [rhsBegin, rhsEnd)). */
export const RESHAPE_LIKE = defineOperator({
  name: 'reshape_like',
  attrs: LIKE_ATTRS,
  inputs: ['lhs', 'rhs'],
  dtypes: 'same',
  inplace: [[0, 0]],
  inferShape: (a, shapes, who) => {
    const [lhs, rhs] = shapes;
    if (lhs === undefined || rhs === undefined) return { inputs: shapes, outputs: [undefined] };
    const range = (begin: number | null, end: number | null, n: number): [number, number] =>
      [begin === null ? 0 : begin < 0 ? begin + n : begin, end === null ? n : end < 0 ? end + n : end];
    const [lb, le] = range(a.lhsBegin, a.lhsEnd, lhs.length);
    const [rb, re] = range(a.rhsBegin, a.rhsEnd, rhs.length);
    const out = [...lhs.slice(0, lb), ...rhs.slice(rb, re), ...lhs.slice(le)];
    if (shapeSize(out) !== shapeSize(lhs)) {
      throw new GluonError(`${who}: cannot reshape lhs of shape ${formatShape(lhs)} like rhs of shape ${formatShape(rhs)}: ${shapeSize(out)} elements vs ${shapeSize(lhs)}`);
    }
    return { inputs: shapes, outputs: [out] };
  },
  forward: ({ inputs: [x], outputs: [y] }) => copyInto(x.data, y.data),
  backward: ({ inputs: [lhs], outputGrads: [dy] }, F) => [F.reshapeLike(dy, lhs), undefined],
});

/** Permutes axes: `transpose` (reversed when `axes` is empty) and `SwapAxis`. */
function permuting<T extends AttrTable>(name: string, aliases: readonly string[], attrs: T, perm: (a: AttrValues<T>, ndim: number, who: string) => number[]): Operator {
  return defineOperator({
    name,
    aliases,
    attrs,
    inputs: ['data'],
    dtypes: 'same',
    inferShape: (a, shapes, who) => {
      const [shape] = shapes;
      if (shape === undefined) return { inputs: shapes, outputs: [undefined] };
      const p = perm(a, shape.length, who);
      return { inputs: shapes, outputs: [p.map((d) => shape[d])], plan: p };
    },
    forward: ({ plan, inputs: [x], outputs: [y] }) => {
      const strides = rowMajorStrides(x.shape);
      gather(x.data, plan.map((d) => strides[d]), y.shape, y.data);
    },
    // The gradient undoes the permutation: input axis perm[i] is output axis i.
    backward: ({ plan, outputGrads: [dy] }, F) => [F.transpose(dy, { axes: inverse(plan) })],
  });
}

function inverse(perm: readonly number[]): number[] {
  const out = new Array<number>(perm.length);
  perm.forEach((p, i) => (out[p] = i));
  return out;
}

export const TRANSPOSE = permuting('transpose', [], { axes: tupleAttr({ default: [] }) }, (a, ndim, who) => {
  if (a.axes.length === 0) return Array.from({ length: ndim }, (_, d) => ndim - 1 - d);
  const perm = a.axes.length === ndim ? a.axes.map((d) => normalizeAxis(d, ndim, who)) : [];
  if (perm.length !== ndim || new Set(perm).size !== ndim) {
    throw new GluonError(`${who}: expected axes to be a permutation of the ${ndim} axes of the input, but got ${formatShape(a.axes)}`);
  }
  return perm;
});

export const SWAP_AXIS = permuting('SwapAxis', ['swapaxes'], { dim1: intAttr({ default: 0 }), dim2: intAttr({ default: 0 }) },
  (a, ndim, who) => {
    const [p, q] = [normalizeAxis(a.dim1, ndim, who), normalizeAxis(a.dim2, ndim, who)];
    return Array.from({ length: ndim }, (_, d) => (d === p ? q : d === q ? p : d));
  });

/** `x` read as an array of the broadcast shape `shape` (x aligned at the last axis). */
function broadcastForward(x: NDArray, y: NDArray): void {
  gather(x.data, broadcastStrides(x.shape, y.shape), y.shape, y.data);
}

/** lhs with its axes `la[i]` given the lengths of rhs's axes `ra[i]`. */
function likeAxes(lhs: Shape, rhs: Shape, la: Shape, ra: Shape, who: string): number[] {
  if (la.length !== ra.length) throw new GluonError(`${who}: expected lhsAxes and rhsAxes of the same length, but got ${formatShape(la)} and ${formatShape(ra)}`);
  const out = lhs.slice();
  la.forEach((a, i) => (out[normalizeAxis(a, lhs.length, who)] = rhs[normalizeAxis(ra[i], rhs.length, who)]));
  return out;
}

function checkBroadcastable(from: Shape, to: Shape, who: string): void {
  const offset = to.length - from.length;
  if (offset < 0 || from.some((dim, d) => dim !== 1 && dim !== to[d + offset])) {
    throw new GluonError(`${who}: expected a target shape that ${formatShape(from)} broadcasts to (aligned at the last axis, each input dimension equal or 1), but got ${formatShape(to)}`);
  }
}

/** `broadcast_to`: repeats x to `shape` (a 0 keeps the input's dimension, as MXNet). */
export const BROADCAST_TO = defineOperator({
  name: 'broadcast_to',
  attrs: { shape: tupleAttr({ min: 0, default: [] }) },
  inputs: ['data'],
  dtypes: 'same',
  inferShape: ({ shape: target }, shapes, who): ShapeInference => {
    const [shape] = shapes;
    if (shape === undefined) return { inputs: shapes, outputs: [undefined] };
    const offset = target.length - shape.length;
    const out = target.map((d, i) => (d === 0 && i >= offset ? shape[i - offset] : d));
    checkShape(out, who);
    checkBroadcastable(shape, out, who);
    return { inputs: shapes, outputs: [out] };
  },
  forward: ({ inputs: [x], outputs: [y] }) => broadcastForward(x, y),
  backward: ({ inputs: [x], outputGrads: [dy] }, F) => [reduceToShape(F, dy, x)],
});

/**
 * `broadcast_like(lhs, rhs)`: repeats lhs to rhs's shape (numpy's rule), or only lhs's axes
 * `lhsAxes` (each of length 1) to the lengths of rhs's `rhsAxes`.
 */
export const BROADCAST_LIKE = defineOperator({
  name: 'broadcast_like',
  attrs: { lhsAxes: optionalAttr(tupleAttr()), rhsAxes: optionalAttr(tupleAttr()) },
  inputs: ['lhs', 'rhs'],
  dtypes: 'same',
  inferShape: ({ lhsAxes, rhsAxes }, shapes, who) => {
    const [lhs, rhs] = shapes;
    if (lhs === undefined || rhs === undefined) return { inputs: shapes, outputs: [undefined] };
    const out = lhsAxes === null && rhsAxes === null ? rhs : likeAxes(lhs, rhs, lhsAxes ?? [], rhsAxes ?? [], who);
    checkBroadcastable(lhs, out, who);
    return { inputs: shapes, outputs: [out] };
  },
  forward: ({ inputs: [x], outputs: [y] }) => broadcastForward(x, y),
  backward: ({ inputs: [x], outputGrads: [dy] }, F) => [reduceToShape(F, dy, x), undefined],
});

/** Options of `reshape`. */
export interface ReshapeOptions extends NameOption {
  /** The new shape, with MXNet's codes 0 (copy), -1 (infer), -2 (copy the rest), -3 (merge two), -4 (split one). */
  shape: readonly number[];
  /** Match the codes from the last axis. Default false. */
  reverse?: boolean;
}

/** Layout functions of `nd` and `sym`. */
export interface TransformSignatures<T> {
  /**
   * MXNet's `Reshape`: the same values in a new shape; 0 copies an input dimension, -1 infers one,
   * -2 copies the rest, -3 merges two, -4 splits one (see reshape_shape.ts). Gradient: dy reshaped back.
   * @example nd.reshape(nd.zeros([2, 3, 4]), { shape: [0, -1] }).shape; // [2, 12]
   */
  reshape(data: T, options: ReshapeOptions): T;
  /** The same as `reshape` (MXNet's canonical name). */
  Reshape(data: T, options: ReshapeOptions): T;
  /**
   * lhs's values in rhs's shape (MXNet's `reshape_like`; with lhsBegin/lhsEnd/rhsBegin/rhsEnd
   * only that range of axes). rhs gets no gradient.
   */
  reshapeLike(lhs: T, rhs: T, options?: { lhsBegin?: number | null; lhsEnd?: number | null; rhsBegin?: number | null; rhsEnd?: number | null }): T;
  /** (N, d1, …, dk) → (N, d1·…·dk); a 1-D (N,) gives (N, 1). @example nd.Flatten(nd.zeros([2, 3, 4])).shape; // [2, 12] */
  Flatten(data: T): T;
  /** The same as `Flatten`. */
  flatten(data: T): T;
  /** A new axis of length 1 at `axis` in [-ndim-1, ndim]. @example nd.expandDims(nd.zeros([2, 3]), { axis: 1 }).shape; // [2, 1, 3] */
  expandDims(data: T, options: { axis: number }): T;
  /**
   * Removes the given length-1 axes (every length-1 axis when absent); at least one axis remains,
   * as MXNet. @example nd.squeeze(nd.zeros([2, 1, 3, 1])).shape; // [2, 3]
   */
  squeeze(data: T, options?: { axis?: number | readonly number[] | null }): T;
  /**
   * Permutes the axes: output axis i is input axis `axes[i]`; reversed when absent.
   * @example nd.transpose(nd.zeros([2, 3, 4]), { axes: [1, 0, 2] }).shape; // [3, 2, 4]
   */
  transpose(data: T, options?: { axes?: readonly number[] }): T;
  /** Exchanges two axes (MXNet's `SwapAxis`; negative counts from the end). @example nd.swapaxes(nd.zeros([2, 3, 4]), { dim1: 0, dim2: -1 }).shape; // [4, 3, 2] */
  swapaxes(data: T, options: { dim1?: number; dim2?: number } & NameOption): T;
  /** The same as `swapaxes` (MXNet's canonical name). */
  SwapAxis(data: T, options: { dim1?: number; dim2?: number }): T;
  /**
   * Repeats data to `shape` by numpy broadcasting (a 0 keeps the input's dimension). Gradient: dy
   * summed over the repeated axes. @example nd.broadcastTo(nd.array([1, 2]), { shape: [2, 2] }).toArray(); // [[1, 2], [1, 2]]
   */
  broadcastTo(data: T, options: { shape: readonly number[] }): T;
  /** Repeats lhs to rhs's shape (or lhs's `lhsAxes` to the lengths of rhs's `rhsAxes`). */
  broadcastLike(lhs: T, rhs: T, options?: { lhsAxes?: readonly number[] | null; rhsAxes?: readonly number[] | null }): T;
}

export const TRANSFORM_FRONTENDS: FrontendTable<TransformSignatures<unknown>> = {
  reshape: standard(RESHAPE),
  Reshape: standard(RESHAPE),
  reshapeLike: standard(RESHAPE_LIKE),
  Flatten: standard(FLATTEN),
  flatten: standard(FLATTEN),
  expandDims: standard(EXPAND_DIMS),
  squeeze: standard(SQUEEZE),
  transpose: standard(TRANSPOSE),
  swapaxes: standard(SWAP_AXIS),
  SwapAxis: standard(SWAP_AXIS),
  broadcastTo: standard(BROADCAST_TO),
  broadcastLike: standard(BROADCAST_LIKE),
};
