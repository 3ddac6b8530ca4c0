/**
 * MXNet's ordering operators along one axis: `topk` (values, indices, both or a mask), `sort`
 * and `argsort`, with the lane gather/scatter operators their gradients are written with
 * (`_gather_lanes`, `_scatter_lanes`: adjoint of each other, so the gradients differentiate again).
 * Indices are float32, as MXNet's default dtype. Ties keep their order; NaN sorts last ascending.
 */
import { GluonError, formatShape } from '../core/errors';
import { shapeSize } from '../core/shape';
import { Lanes, gatherLanes, orderLanes, scatterLanes } from '../kernels/cpu/ordering';
import type { NDArray } from '../ndarray/ndarray';
import { boolAttr, choiceAttr, intAttr, optionalAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import type { Nd } from './nd';
import { MaybeShape, Operator, Shape, defineOperator } from './operator';
import { runInto } from './run_into';

const RET_TYPES = ['value', 'indices', 'mask', 'both'] as const;
type RetType = (typeof RET_TYPES)[number];

/** The lanes of `shape` along `axis` (null: the flattened array), and the output shape for k per lane. */
interface OrderPlan {
  readonly lanes: Lanes;
  readonly k: number;
  readonly outShape: Shape;
}

function planOrder(shape: Shape, axis: number | null, k: number, who: string): OrderPlan {
  if (axis === null) {
    const length = shapeSize(shape);
    const kk = resolveK(k, length, who);
    return { lanes: { outer: 1, length, inner: 1 }, k: kk, outShape: [kk] };
  }
  if (axis < -shape.length || axis >= shape.length) throw new GluonError(`${who}: expected axis in [${-shape.length}, ${shape.length - 1}], but got ${axis} for shape ${formatShape(shape)}`);
  const d = axis < 0 ? axis + shape.length : axis;
  const kk = resolveK(k, shape[d], who);
  const lanes = { outer: shapeSize(shape.slice(0, d)), length: shape[d], inner: shapeSize(shape.slice(d + 1)) };
  return { lanes, k: kk, outShape: shape.map((n, i) => (i === d ? kk : n)) };
}

/** MXNet: k < 1 means the whole lane; more than the lane holds is an error. */
function resolveK(k: number, length: number, who: string): number {
  if (k < 1) return length;
  if (k > length) throw new GluonError(`${who}: expected k <= ${length} (the length of the axis), but got ${k}`);
  return k;
}

const AXIS = optionalAttr(intAttr(), { default: -1 });
const ORDER_ATTRS = {
  axis: AXIS,
  k: intAttr({ default: 1 }),
  retTyp: choiceAttr(RET_TYPES, { default: 'indices' }),
  isAscend: boolAttr({ default: false }),
  dtype: choiceAttr(['float32'] as const, { default: 'float32' }),
};

/** The positions of the first k of each lane. */
function positionsOf(x: NDArray, plan: OrderPlan, ascending: boolean): Float32Array {
  const positions = new Float32Array(plan.lanes.outer * plan.k * plan.lanes.inner);
  orderLanes(x.data, plan.lanes, plan.k, ascending, positions);
  return positions;
}

/** Gradient of a values result: dy scattered back to the positions the values came from. */
function valueGradient(F: Nd, dy: NDArray, indices: NDArray, x: NDArray, axis: number | null, into?: Float32Array): NDArray {
  return runInto(F, SCATTER_LANES, [dy, indices, x], { axis }, into);
}

/** MXNet's `topk`. */
export const TOPK: Operator = defineOperator({
  name: 'topk',
  attrs: ORDER_ATTRS,
  inputs: ['data'],
  outputs: (a) => (a.retTyp === 'both' ? ['output0', 'output1'] : ['output']),
  inferShape: (a, shapes, who) => {
    const [shape] = shapes;
    const count = a.retTyp === 'both' ? 2 : 1;
    if (shape === undefined) return { inputs: shapes, outputs: new Array<MaybeShape>(count).fill(undefined) };
    const plan = planOrder(shape, a.axis, a.k, who);
    const out = a.retTyp === 'mask' ? shape : plan.outShape;
    return { inputs: shapes, outputs: new Array<Shape>(count).fill(out), plan };
  },
  forward: ({ attrs, plan, inputs: [x], outputs }) => {
    const positions = positionsOf(x, plan, attrs.isAscend);
    if (attrs.retTyp === 'indices') outputs[0].data.set(positions);
    else if (attrs.retTyp === 'mask') scatterLanes(new Float32Array(positions.length).fill(1), positions, plan.lanes, plan.k, outputs[0].data);
    else gatherLanes(x.data, positions, plan.lanes, plan.k, outputs[0].data);
    if (attrs.retTyp === 'both') outputs[1].data.set(positions);
  },
  backward: ({ attrs, inputs: [x], outputs, outputGrads: [dy], into }, F) => {
    if (attrs.retTyp === 'indices' || attrs.retTyp === 'mask') return [F.zerosLike(x)];
    const indices = attrs.retTyp === 'both' ? outputs[1] : F.topk(x, { axis: attrs.axis, k: attrs.k, retTyp: 'indices', isAscend: attrs.isAscend });
    return [valueGradient(F, dy, indices, x, attrs.axis, into[0])];
  },
});

/** MXNet's `sort`: the values of each lane in order (ascending by default). */
export const SORT: Operator = defineOperator({
  name: 'sort',
  attrs: { axis: AXIS, isAscend: boolAttr({ default: true }) },
  inputs: ['data'],
  inferShape: (a, shapes, who) => orderInference(shapes, a.axis, who),
  forward: ({ attrs, plan, inputs: [x], outputs: [y] }) => gatherLanes(x.data, positionsOf(x, plan, attrs.isAscend), plan.lanes, plan.k, y.data),
  backward: ({ attrs, inputs: [x], outputGrads: [dy], into }, F) =>
    [valueGradient(F, dy, F.argsort(x, { axis: attrs.axis, isAscend: attrs.isAscend }), x, attrs.axis, into[0])],
});

/** MXNet's `argsort`: the positions that sort each lane, as float32. */
export const ARGSORT: Operator = defineOperator({
  name: 'argsort',
  attrs: { axis: AXIS, isAscend: boolAttr({ default: true }), dtype: choiceAttr(['float32'] as const, { default: 'float32' }) },
  inputs: ['data'],
  inferShape: (a, shapes, who) => orderInference(shapes, a.axis, who),
  forward: ({ attrs, plan, inputs: [x], outputs: [y] }) => y.data.set(positionsOf(x, plan, attrs.isAscend)),
  backward: 'constant',
});

function orderInference(shapes: readonly MaybeShape[], axis: number | null, who: string) {
  const [shape] = shapes;
  if (shape === undefined) return { inputs: shapes, outputs: [undefined] };
  const plan = planOrder(shape, axis, 0, who);
  return { inputs: shapes, outputs: [plan.outShape], plan };
}

/** `_gather_lanes(data, indices)`: data's values at the lane positions `indices`, indices' shape. Gradient: `_scatter_lanes`. */
export const GATHER_LANES: Operator = defineOperator({
  name: '_gather_lanes',
  attrs: { axis: AXIS },
  inputs: ['data', 'indices'],
  inferShape: ({ axis }, shapes, who) => lanesInference(shapes[0], shapes[1], axis, who, [shapes[1]], shapes),
  forward: ({ plan, inputs: [x, idx], outputs: [y] }) => gatherLanes(x.data, idx.data, plan.lanes, plan.k, y.data),
  backward: ({ attrs, inputs: [x, idx], outputGrads: [g], needsGrad, into }, F) =>
    [needsGrad[0] ? valueGradient(F, g, idx, x, attrs.axis, into[0]) : undefined, undefined],
});

/** `_scatter_lanes(ograd, indices, data)`: zeros of data's shape with ograd added at the lane positions. Gradient: `_gather_lanes`. */
export const SCATTER_LANES: Operator = defineOperator({
  name: '_scatter_lanes',
  attrs: { axis: AXIS },
  inputs: ['ograd', 'indices', 'data'],
  inferShape: ({ axis }, shapes, who) => lanesInference(shapes[2], shapes[1], axis, who, [shapes[2]], shapes),
  forward: ({ plan, inputs: [g, idx], outputs: [y] }) => scatterLanes(g.data, idx.data, plan.lanes, plan.k, y.data),
  backward: ({ attrs, inputs: [, idx], outputGrads: [g], needsGrad, into }, F) =>
    [needsGrad[0] ? runInto(F, GATHER_LANES, [g, idx], { axis: attrs.axis }, into[0]) : undefined, undefined, undefined],
});

/** The lanes of `data` along `axis` with as many positions per lane as `indices` holds. */
function lanesInference(data: MaybeShape, indices: MaybeShape, axis: number | null, who: string, outputs: MaybeShape[], shapes: readonly MaybeShape[]) {
  if (data === undefined || indices === undefined) return { inputs: shapes, outputs };
  const full = planOrder(data, axis, 0, who);
  const k = axis === null ? shapeSize(indices) : indices[axis < 0 ? axis + data.length : axis];
  return { inputs: shapes, outputs, plan: { ...full, k } };
}

/** Options of `topk`. */
export interface TopkOptions extends NameOption {
  /** The axis (negative counts from the end); null: the flattened array. Default -1. */
  axis?: number | null;
  /** How many per lane; k < 1 means all. Default 1. */
  k?: number;
  /** 'indices' (default), 'value', 'both' ([values, indices]) or 'mask' (1 at the top k, data's shape). */
  retTyp?: RetType;
  /** Smallest first. Default false (largest first). */
  isAscend?: boolean;
  /** Only 'float32'. */
  dtype?: 'float32';
}

/** Ordering operators of `nd` and `sym`. */
export interface OrderingSignatures<T> {
  /**
   * The k largest (or smallest, `isAscend`) values of each lane along `axis`, or their indices,
   * or both, or a mask (MXNet's `topk`). Ties keep their order; NaN counts as the largest.
   * Gradient of the values: dy back at the positions they came from.
   * @example nd.topk(nd.array([[1, 5, 3]]), { k: 2, retTyp: 'value' }).toArray(); // [[5, 3]]
   */
  topk(data: T, options: TopkOptions & { retTyp: 'both' }): [T, T];
  topk(data: T, options?: TopkOptions): T;
  /** Each lane's values in order (ascending by default; MXNet's `sort`). @example nd.sort(nd.array([3, 1, 2])).toArray(); // [1, 2, 3] */
  sort(data: T, options?: { axis?: number | null; isAscend?: boolean } & NameOption): T;
  /** The positions that sort each lane (MXNet's `argsort`), as float32; no gradient. @example nd.argsort(nd.array([3, 1, 2])).toArray(); // [1, 2, 0] */
  argsort(data: T, options?: { axis?: number | null; isAscend?: boolean; dtype?: 'float32' } & NameOption): T;
}

export const ORDERING_FRONTENDS: FrontendTable<OrderingSignatures<unknown>> = {
  topk: standard(TOPK),
  sort: standard(SORT),
  argsort: standard(ARGSORT),
};
