/**
 * Reductions: `sum`, `mean`, `max`, `min` over any set of axes, and `argmax`/`argmin` along one
 * axis, over the loops of kernels/cpu/reduce.ts. Shapes follow MXNet's legacy NDArray: reducing
 * every axis without `keepdims` gives shape `(1,)`, never a 0-d array, and an absent or empty
 * `axis` means every axis (MXNet's `axis=()`).
 */
import { GluonError, formatShape } from '../core/errors';
import { normalizeAxis, rowMajorStrides, shapeSize } from '../core/shape';
import * as k from '../kernels/cpu/reduce';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, intAttr, optionalAttr, tupleAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import type { Nd } from './nd';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';

const REDUCE_ATTRS = {
  axis: optionalAttr(tupleAttr({ scalarOk: true })),
  keepdims: boolAttr({ default: false }),
  exclude: boolAttr({ default: false }),
};
type ReduceAttrs = AttrValues<typeof REDUCE_ATTRS>;

/** Options of the reductions (MXNet's, camelCase). */
export interface ReduceOptions extends NameOption {
  /** The axes to reduce (negative counts from the end); absent, null or [] means every axis. */
  axis?: number | readonly number[] | null;
  /** Keep the reduced axes with length 1. Default false. */
  keepdims?: boolean;
  /** Reduce every axis except `axis`. Default false. */
  exclude?: boolean;
}

/** What a reduction of data of `shape` does: which axes it reduces, and the output shape. */
export interface ReducePlan {
  readonly reduced: readonly boolean[];
  readonly outShape: Shape;
}

function planReduce({ axis, keepdims, exclude }: ReduceAttrs, shape: Shape, who: string): ReducePlan {
  const listed = new Array<boolean>(shape.length).fill(axis === null || axis.length === 0);
  for (const a of axis ?? []) {
    const d = normalizeAxis(a, shape.length, who);
    if (listed[d]) throw new GluonError(`${who}: expected distinct axes, but got ${formatShape(axis ?? [])} for an input of rank ${shape.length}`);
    listed[d] = true;
  }
  const reduced = exclude && axis !== null && axis.length > 0 ? listed.map((r) => !r) : listed;
  const kept = shape.map((dim, d) => (reduced[d] ? 1 : dim));
  const out = keepdims ? kept : shape.filter((_, d) => !reduced[d]);
  return { reduced, outShape: out.length === 0 ? [1] : out };
}

function reduceInference(attrs: ReduceAttrs, shapes: readonly MaybeShape[], who: string, needsValues: boolean): ShapeInference<ReducePlan> {
  const [shape] = shapes;
  if (shape === undefined) return { inputs: shapes, outputs: [undefined] };
  const plan = planReduce(attrs, shape, who);
  if (needsValues && shapeSize(plan.outShape) > 0 && shape.some((dim, d) => dim === 0 && plan.reduced[d])) {
    throw new GluonError(`${who}: expected non-empty axes to reduce, but got shape ${formatShape(shape)} reduced over axes ${formatShape(plan.reduced.flatMap((r, d) => (r ? [d] : [])))}`);
  }
  return { inputs: shapes, outputs: [plan.outShape], plan };
}

/** The number of input values behind each output value. */
function countOf(plan: ReducePlan, shape: Shape): number {
  return shapeSize(shape.filter((_, d) => plan.reduced[d]));
}

/** A reduction over `axis` (the options of `sum`) folding with `reducer`; `mean` divides by the count. */
export function reduction(name: string, reducer: k.Reducer, mean: boolean, backward: (x: NDArray, y: NDArray, dy: NDArray, plan: ReducePlan, F: Nd) => NDArray): Operator {
  return defineOperator({
    name,
    aliases: name === 'sum' ? ['sum_axis'] : name === 'max' ? ['max_axis'] : name === 'min' ? ['min_axis'] : [],
    attrs: REDUCE_ATTRS,
    inputs: ['data'],
    dtypes: 'same',
    inferShape: (attrs, shapes, who) => reduceInference(attrs, shapes, who, reducer.needsValues),
    forward: ({ plan, inputs: [x], outputs: [y] }) => {
      const acc = k.reduceAxes(reducer, x.data, x.shape, plan.reduced);
      const divisor = mean ? countOf(plan, x.shape) : 1;
      for (let i = 0; i < acc.length; i++) y.data[i] = acc[i] / divisor;
    },
    backward: ({ plan, inputs: [x], outputs: [y], outputGrads: [dy] }, F) => [backward(x, y, dy, plan, F)],
  });
}

/** `y` repeated over the reduced axes, as an array of x's shape (the rules' broadcast back). */
export function spread(F: Nd, y: NDArray, x: NDArray, plan: ReducePlan): NDArray {
  return F.broadcastReduced(y, x, { reduced: plan.reduced.map(Number) });
}

const extremumGrad = (x: NDArray, y: NDArray, dy: NDArray, plan: ReducePlan, F: Nd): NDArray =>
  F.multiply(F.equal(x, spread(F, y, x, plan)), spread(F, dy, x, plan));

/** The reductions, by frontend name. */
export const REDUCE = {
  sum: reduction('sum', k.SUM, false, (x, _y, dy, plan, F) => spread(F, dy, x, plan)),
  mean: reduction('mean', k.SUM, true, (x, _y, dy, plan, F) => F.divide(spread(F, dy, x, plan), countOf(plan, x.shape))),
  // Every input equal to its slice's extremum receives the whole output gradient (ties are not
  // split), and a slice whose extremum is NaN passes none, as MXNet's `_backward_max`.
  max: reduction('max', k.MAX, false, extremumGrad),
  min: reduction('min', k.MIN, false, extremumGrad),
} as const;

const NORM_ATTRS = {
  ord: intAttr({ default: 2, min: 1 }),
  axis: optionalAttr(tupleAttr({ scalarOk: true })),
  keepdims: boolAttr({ default: false }),
};

/**
 * MXNet's `norm`: the L2 (`ord` 2) or L1 (`ord` 1) norm over `axis` (all axes when absent),
 * accumulated in float64. Gradient: dy·x/‖x‖ (L2; 0 where the norm is 0, the subgradient PyTorch
 * takes, where MXNet's `data / out` gives NaN) or dy·sign(x) (L1).
 */
export const NORM = defineOperator({
  name: 'norm',
  attrs: NORM_ATTRS,
  inputs: ['data'],
  inferShape: (attrs, shapes, who) => {
    if (attrs.ord !== 1 && attrs.ord !== 2) throw new GluonError(`${who}: expected ord to be 1 or 2 (MXNet's), but got ${attrs.ord}`);
    return reduceInference({ axis: attrs.axis, keepdims: attrs.keepdims, exclude: false }, shapes, who, false);
  },
  forward: ({ attrs, plan, inputs: [x], outputs: [y] }) => {
    const acc = foldTerms(x, plan.reduced, attrs.ord === 2 ? (v) => v * v : Math.abs);
    for (let i = 0; i < acc.length; i++) y.data[i] = attrs.ord === 2 ? Math.sqrt(acc[i]) : acc[i];
  },
  backward: ({ attrs, plan, inputs: [x], outputs: [y], outputGrads: [dy] }, F) => {
    const spreadDy = spread(F, dy, x, plan);
    if (attrs.ord === 1) return [F.multiply(spreadDy, F.sign(x))];
    const n = spread(F, y, x, plan);
    return [F.multiply(spreadDy, F.divide(x, F.add(n, F.equal(n, 0))))];
  },
});

/**
 * Σ term(x) over the reduced axes, in float64 (a float32 square is exact there), row-major over
 * the kept axes.
 */
function foldTerms(x: NDArray, reduced: readonly boolean[], term: (v: number) => number): Float64Array {
  const keptShape = x.shape.map((d, i) => (reduced[i] ? 1 : d));
  const keptStrides = rowMajorStrides(keptShape).map((st, i) => (reduced[i] ? 0 : st));
  const acc = new Float64Array(shapeSize(keptShape));
  const index = new Array<number>(x.shape.length).fill(0);
  let out = 0;
  for (let i = 0; i < x.size; i++) {
    acc[out] += term(x.data[i]);
    // Advance the multi-index (last axis fastest) and the output offset with it.
    for (let d = x.shape.length - 1; d >= 0; d--) {
      index[d]++;
      out += keptStrides[d];
      if (index[d] < x.shape[d]) break;
      out -= keptStrides[d] * index[d];
      index[d] = 0;
    }
  }
  return acc;
}

/**
 * The backward of a reduction: `ograd` (the reduced shape) repeated along the reduced axes to
 * `data`'s shape. Its own gradient is the sum over those axes, so reductions differentiate twice.
 */
export const BROADCAST_REDUCED = defineOperator({
  name: '_broadcast_reduced',
  attrs: { reduced: tupleAttr({ min: 0 }) },
  inputs: ['ograd', 'data'],
  inferShape: (_, shapes) => ({ inputs: shapes, outputs: [shapes[1]] }),
  forward: ({ attrs, inputs: [y], outputs: [out] }) => k.broadcastReduced(y.data, out.data, out.shape, attrs.reduced.map(Boolean)),
  backward: ({ attrs, inputs: [y], outputGrads: [g] }, F) => {
    const axis = attrs.reduced.flatMap((r, d) => (r ? [d] : []));
    return [F.reshapeLike(F.sum(g, { axis, keepdims: true }), y), undefined];
  },
});

const ARG_ATTRS = { axis: optionalAttr(intAttr()), keepdims: boolAttr({ default: false }) };

function argSearch(name: string, direction: number) {
  return defineOperator({
    name,
    attrs: ARG_ATTRS,
    inputs: ['data'],
    inferShape: ({ axis, keepdims }, shapes, who) => {
      const [shape] = shapes;
      if (shape === undefined) return { inputs: shapes, outputs: [undefined] };
      const flat = axis === null;
      const a = flat ? 0 : normalizeAxis(axis, shape.length, who);
      const length = flat ? shapeSize(shape) : shape[a];
      if (length === 0) throw new GluonError(`${who}: expected a non-empty axis to search, but got shape ${formatShape(shape)} along axis ${flat ? 'None (flattened)' : a}`);
      const kept = flat ? shape.map(() => 1) : shape.map((dim, d) => (d === a ? 1 : dim));
      const out = keepdims ? kept : flat || shape.length === 1 ? [1] : shape.filter((_, d) => d !== a);
      return { inputs: shapes, outputs: [out.length === 0 ? [1] : out], plan: { axis: a, flat } };
    },
    forward: ({ plan, inputs: [x], outputs: [y] }) => {
      const shape = plan.flat ? [x.size] : x.shape;
      const outer = shapeSize(shape.slice(0, plan.axis));
      const inner = shapeSize(shape.slice(plan.axis + 1));
      k.searchLanes(x.data, outer, shape[plan.axis], inner, direction, y.data);
    },
    backward: 'constant',
  });
}

/** Index search along one axis: float32 indices, as MXNet. */
export const ARG = { argmax: argSearch('argmax', 1), argmin: argSearch('argmin', -1) } as const;

/** Options of `argmax`/`argmin`. */
export interface ArgSearchOptions extends NameOption {
  /** The axis to search (negative counts from the end); absent or null searches the flattened array. */
  axis?: number | null;
  /** Keep the searched axis with length 1. Default false. */
  keepdims?: boolean;
}

/** The reductions of `nd` and `sym`. */
export interface ReduceSignatures<T> {
  /**
   * Sum over `axis` (all axes when absent), accumulated in float64. A full reduction gives shape
   * `(1,)`, as MXNet. Gradient: dy repeated over the reduced axes.
   * @example nd.sum(nd.array([[1, 2, 3], [4, 5, 6]]), { axis: 1 }).toArray(); // [6, 15]
   */
  sum(data: T, options?: ReduceOptions): T;
  /** Mean over `axis` (as `sum`); the mean of nothing is NaN. Gradient: dy/n repeated. @example nd.mean(nd.array([[1, 2], [3, 4]]), { axis: 0 }).toArray(); // [2, 3] */
  mean(data: T, options?: ReduceOptions): T;
  /**
   * Maximum over `axis`; NaN if the slice holds a NaN; an empty axis throws. Gradient, as MXNet:
   * every input equal to its slice's maximum receives the whole output gradient.
   * @example nd.max(nd.array([[1, 5], [3, 4]]), { axis: 1 }).toArray(); // [5, 4]
   */
  max(data: T, options?: ReduceOptions): T;
  /** Minimum over `axis` (as `max`). @example nd.min(nd.array([[1, 5], [3, 4]]), { axis: 1 }).toArray(); // [1, 3] */
  min(data: T, options?: ReduceOptions): T;
  /**
   * Index of the maximum along `axis` (of the flattened array when absent), as float32. Ties
   * pick the first index; a NaN counts as the maximum. No gradient.
   * @example nd.argmax(nd.array([[1, 7, 7], [9, 2, 3]]), { axis: 1 }).toArray(); // [1, 0]
   */
  argmax(data: T, options?: ArgSearchOptions): T;
  /** Index of the minimum along `axis` (as `argmax`). @example nd.argmin(nd.array([[1, 0, 0], [9, 2, 3]]), { axis: 1 }).toArray(); // [1, 1] */
  argmin(data: T, options?: ArgSearchOptions): T;
  /**
   * The L2 (`ord` 2, default) or L1 (`ord` 1) norm over `axis` (all axes when absent), in
   * float64; a full reduction gives shape (1,). Gradient: dy·x/‖x‖ (0 where the norm is 0) or dy·sign(x).
   * @example nd.norm(nd.array([[3, 4], [6, 8]]), { axis: 1 }).toArray(); // [5, 10]
   */
  norm(data: T, options?: { ord?: number; axis?: number | readonly number[] | null; keepdims?: boolean } & NameOption): T;
  /** @internal The backward of the reductions: `ograd` repeated to `data`'s shape along the axes flagged 1 in `reduced`. */
  broadcastReduced(ograd: T, data: T, options: { reduced: readonly number[] }): T;
}

export const REDUCE_FRONTENDS: FrontendTable<ReduceSignatures<unknown>> = {
  sum: standard(REDUCE.sum),
  mean: standard(REDUCE.mean),
  max: standard(REDUCE.max),
  min: standard(REDUCE.min),
  argmax: standard(ARG.argmax),
  argmin: standard(ARG.argmin),
  broadcastReduced: standard(BROADCAST_REDUCED),
  norm: standard(NORM),
};
