/**
 * MXNet's `diag` (src/operator/tensor/diag_op-inl.h): from a vector (n,), the square matrix
 * (n + |k|, n + |k|) with it on diagonal k; from an array of rank ≥ 2, diagonal k of the
 * (axis1, axis2) planes, appended as the last axis. `_backward_diag` puts an extracted diagonal
 * back into zeros of the input's shape; both directions are each other's gradients.
 */
import { GluonError, formatShape } from '../core/errors';
import { normalizeAxis, rowMajorStrides, shapeSize } from '../core/shape';
import { intAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';

const DIAG_ATTRS = { k: intAttr({ default: 0 }), axis1: intAttr({ default: 0 }), axis2: intAttr({ default: 1 }) };

/**
 * Where the diagonal lives: for each output element, the flat index in the matrix-shaped side
 * (the input when extracting, the output when building from a vector).
 */
interface DiagPlan { readonly outShape: Shape; readonly positions: Int32Array; readonly build: boolean }

/** The plan for data of `shape` (a vector builds, anything larger extracts). */
function planDiag(who: string, { k, axis1, axis2 }: { k: number; axis1: number; axis2: number }, shape: Shape): DiagPlan {
  if (shape.length === 0) throw new GluonError(`${who}: expected data of rank ≥ 1, but got a 0-d array`);
  if (shape.length === 1) {
    const n = shape[0] + Math.abs(k);
    const positions = Int32Array.from({ length: shape[0] }, (_, i) => (k >= 0 ? i * n + i + k : (i - k) * n + i));
    return { outShape: [n, n], positions, build: true };
  }
  const [a1, a2] = [normalizeAxis(axis1, shape.length, who), normalizeAxis(axis2, shape.length, who)];
  if (a1 === a2) throw new GluonError(`${who}: expected two different axes, but got axis1 = axis2 = ${a1} for data of shape ${formatShape(shape)}`);
  const length = Math.max(0, k >= 0 ? Math.min(shape[a1], shape[a2] - k) : Math.min(shape[a1] + k, shape[a2]));
  const rest = shape.map((_, d) => d).filter((d) => d !== a1 && d !== a2);
  const outShape = [...rest.map((d) => shape[d]), length];
  const strides = rowMajorStrides(shape);
  const positions = new Int32Array(shapeSize(outShape));
  const restStrides = rowMajorStrides(rest.map((d) => shape[d]));
  for (let o = 0; o < positions.length; o++) {
    const i = o % Math.max(length, 1), r = Math.floor(o / Math.max(length, 1));
    let at = (k >= 0 ? i : i - k) * strides[a1] + (k >= 0 ? i + k : i) * strides[a2];
    rest.forEach((d, j) => { at += (Math.floor(r / restStrides[j]) % shape[d]) * strides[d]; });
    positions[o] = at;
  }
  return { outShape, positions, build: false };
}

/** `diag(data)`; see the module comment. */
export const DIAG = defineOperator({
  name: 'diag',
  attrs: DIAG_ATTRS,
  inputs: ['data'],
  inferShape: (a, [shape], who): ShapeInference<DiagPlan> => {
    if (shape === undefined) return { inputs: [shape], outputs: [undefined] };
    const plan = planDiag(who, a, shape);
    return { inputs: [shape], outputs: [plan.outShape], plan };
  },
  forward: ({ plan, inputs: [x], outputs: [y] }) => {
    if (!plan.build) {
      plan.positions.forEach((at, i) => { y.data[i] = x.data[at]; });
      return;
    }
    y.data.fill(0); // an output may be reused memory (the cached graph's arena)
    plan.positions.forEach((at, i) => { y.data[at] = x.data[i]; });
  },
  backward: ({ attrs, plan, inputs: [x], outputGrads: [dy], into }, F) => [
    plan.build ? F.diag(dy, { k: attrs.k }) : runInto(F, BACKWARD_DIAG, [dy, x], attrs, into[0]),
  ],
});

/** `_backward_diag(ograd, data)`: the diagonal ograd placed into zeros of data's shape. */
export const BACKWARD_DIAG = defineOperator({
  name: '_backward_diag',
  attrs: DIAG_ATTRS,
  inputs: ['ograd', 'data'],
  inferShape: (a, [ograd, data], who): ShapeInference<DiagPlan> => {
    if (data === undefined) return { inputs: [ograd, data], outputs: [undefined] };
    const plan = planDiag(who, a, data);
    return { inputs: [plan.outShape, data], outputs: [data], plan };
  },
  forward: ({ plan, inputs: [dy], outputs: [dx] }) => {
    dx.data.fill(0);
    plan.positions.forEach((at, i) => { dx.data[at] = dy.data[i]; });
  },
  backward: ({ attrs, outputGrads: [g], needsGrad }, F) => [needsGrad[0] ? F.diag(g, attrs) : undefined, undefined],
});

/** Options of `diag`. */
export interface DiagOptions extends NameOption {
  /** The diagonal: 0 the main one, k > 0 above, k < 0 below. Default 0. */
  k?: number;
  /** The planes' axes when extracting. Defaults 0 and 1. */
  axis1?: number;
  axis2?: number;
}

/** Diagonals of `nd` and `sym`. */
export interface DiagSignatures<T> {
  /**
   * MXNet's `diag`: a vector (n,) → the (n + |k|)² matrix with it on diagonal k; an array of rank
   * ≥ 2 → diagonal k of its (axis1, axis2) planes, as the last axis. Gradient: the other direction.
   * @example nd.diag(nd.array([1, 2])).toArray(); // [[1, 0], [0, 2]]
   * @example nd.diag(nd.array([[1, 2], [3, 4]]), { k: 1 }).toArray(); // [2]
   */
  diag(data: T, options?: DiagOptions): T;
}

export const DIAG_FRONTENDS: FrontendTable<DiagSignatures<unknown>> = { diag: standard(DIAG) };
