/**
 * MXNet's `FullyConnected` on the shared CPU GEMM, and its two gradient operators
 * `_backward_FullyConnected_data` and `_backward_FullyConnected_weight`. The three are closed
 * under differentiation — dx = dy·W and dW = dyᵀ·x are bilinear, and their gradients are again
 * FullyConnected and the two gradient operators — so a derivative through a Dense layer (a
 * gradient penalty ‖∂L/∂x‖²) differentiates correctly, while every first-order product is the
 * one GEMM it always was, written straight into the gradient's storage.
 */
import { GluonError } from '../core/errors';
import { checkShape, shapeSize } from '../core/shape';
import { activateInPlace } from '../kernels/cpu/fused_activation';
import { gemm } from '../kernels/cpu/gemm';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, intAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import type { Nd } from './nd';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { REDUCE } from './reduce';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

/** The attributes that fix how the data is viewed as a matrix. */
const VIEW_ATTRS = {
  numHidden: intAttr({ min: 1 }),
  flatten: boolAttr({ default: true }),
};
type ViewAttrs = AttrValues<typeof VIEW_ATTRS>;

/** MXNet's FullyConnectedParam, in its declaration order. */
const FULLY_CONNECTED_ATTRS = {
  numHidden: VIEW_ATTRS.numHidden,
  noBias: boolAttr({ default: false }),
  flatten: VIEW_ATTRS.flatten,
};

/** The data as a (rows × units) matrix, and `hidden` output units per row. */
interface MatrixPlan {
  readonly rows: number;
  readonly units: number;
  readonly hidden: number;
}

/**
 * The matrix view of `data`: with `flatten`, (N, d1, …) is N rows of d1·… units (a 1-D (N,) is N
 * rows of 1 unit, as MXNet); without, the last axis holds the units and the others are rows.
 */
function matrixView(who: string, { numHidden, flatten }: ViewAttrs, data: Shape): { plan: MatrixPlan; outShape: number[] } {
  if (data.length === 0) throw new GluonError(`${who}: expected data of rank >= 1, but got a 0-d array`);
  const units = flatten ? shapeSize(data.slice(1)) : data[data.length - 1];
  const lead = flatten ? [data[0]] : data.slice(0, -1);
  const outShape = [...lead, numHidden];
  checkShape(outShape, `${who} output`);
  return { plan: { rows: shapeSize(lead), units, hidden: numHidden }, outShape };
}

function inferFullyConnected(who: string, a: AttrValues<typeof FULLY_CONNECTED_ATTRS>, shapes: readonly MaybeShape[]): ShapeInference<MatrixPlan> {
  const [data, weight, bias] = shapes;
  // MXNet also takes a (numHidden, 1) bias.
  if (!a.noBias && bias !== undefined && !(bias.length === 2 && bias[0] === a.numHidden && bias[1] === 1)) {
    expectShape(who, 'bias', bias, [a.numHidden]);
  }
  const biasShape = a.noBias ? [] : [bias ?? [a.numHidden]];
  if (data === undefined) return { inputs: [data, weight, ...biasShape], outputs: [undefined] };
  const { plan, outShape } = matrixView(who, a, data);
  const weightShape = [a.numHidden, plan.units];
  if (weight !== undefined) expectShape(who, 'weight', weight, weightShape, data);
  return { inputs: [data, weightShape, ...biasShape], outputs: [outShape], plan };
}

/** Shape inference of the gradient operators: `ograd` has the output's shape for `data`. */
function inferGradient(who: string, a: ViewAttrs, data: MaybeShape, ograd: MaybeShape, weight: MaybeShape): { plan?: MatrixPlan; weightShape?: Shape } {
  if (data === undefined) return {};
  const { plan, outShape } = matrixView(who, a, data);
  if (ograd !== undefined) expectShape(who, 'ograd', ograd, outShape, data);
  const weightShape = [a.numHidden, plan.units];
  if (weight !== undefined) expectShape(who, 'weight', weight, weightShape, data);
  return { plan, weightShape };
}

/** MXNet's `FullyConnected` (see FullyConnectedSignatures). */
export const FULLY_CONNECTED: Operator = defineOperator({
  name: 'FullyConnected',
  aliases: ['_npx_fully_connected'],
  attrs: FULLY_CONNECTED_ATTRS,
  inputs: (a) => (a.noBias ? ['data', 'weight'] : ['data', 'weight', 'bias']),
  inferShape: (a, shapes, who) => inferFullyConnected(who, a, shapes),
  fusesActivation: true,
  forward: ({ plan: { rows, units, hidden }, inputs: [x, w, b], outputs: [y], activation }) => {
    if (b !== undefined) for (let r = 0; r < rows; r++) y.data.set(b.data, r * hidden);
    const k = Math.max(1, units);
    gemm(false, true, rows, hidden, units, 1, x.data, 0, k, w.data, 0, k, b === undefined ? 0 : 1, y.data, 0, hidden);
    activateInPlace(activation, y.data, 0, y.size);
  },
  backward: ({ attrs, inputs: [x, w, b], outputGrads: [dy], needsGrad, into }, F) => {
    const view = { numHidden: attrs.numHidden, flatten: attrs.flatten };
    return [
      needsGrad[0] ? runInto(F, FULLY_CONNECTED_DATA_GRAD, [dy, w, x], view, into[0]) : undefined,
      needsGrad[1] ? runInto(F, FULLY_CONNECTED_WEIGHT_GRAD, [dy, x], view, into[1]) : undefined,
      ...(needsGrad.length < 3 ? [] : [needsGrad[2] ? biasGrad(F, dy, b, into[2]) : undefined]),
    ];
  },
});

/** db = dy summed over every axis but the last, in the bias's shape ((numHidden,) or (numHidden, 1)). */
function biasGrad(F: Nd, dy: NDArray, b: NDArray, storage: Float32Array | undefined): NDArray {
  const db = runInto(F, REDUCE.sum, [dy], { axis: [-1], exclude: true }, b.ndim === 1 ? storage : undefined);
  return b.ndim === 1 ? db : F.reshapeLike(db, b);
}

/**
 * `_backward_FullyConnected_data(ograd, weight, data)`: dx = ograd·weight (rows × units), in
 * data's shape; `data` gives only the shape. Linear in ograd and in weight: its gradient G
 * gives FullyConnected(G, weight) for ograd and `_backward_FullyConnected_weight(ograd, G)` for weight.
 */
export const FULLY_CONNECTED_DATA_GRAD: Operator = defineOperator({
  name: '_backward_FullyConnected_data',
  attrs: VIEW_ATTRS,
  inputs: ['ograd', 'weight', 'data'],
  inferShape: (a, shapes, who) => {
    const [ograd, weight, data] = shapes;
    const { plan, weightShape } = inferGradient(who, a, data, ograd, weight);
    return { inputs: [ograd, weightShape ?? weight, data], outputs: [data], plan };
  },
  forward: ({ plan: { rows, units, hidden }, inputs: [dy, w], outputs: [dx] }) => {
    gemm(false, false, rows, units, hidden, 1, dy.data, 0, hidden, w.data, 0, Math.max(1, units), 0, dx.data, 0, Math.max(1, units));
  },
  backward: ({ attrs, inputs: [dy, w], outputGrads: [g], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, FULLY_CONNECTED, [g, w], { ...attrs, noBias: true }, into[0]) : undefined,
    needsGrad[1] ? runInto(F, FULLY_CONNECTED_WEIGHT_GRAD, [dy, g], attrs, into[1]) : undefined,
    undefined,
  ],
});

/**
 * `_backward_FullyConnected_weight(ograd, data)`: dW = ogradᵀ·data (numHidden × units). Its
 * gradient G gives FullyConnected(data, G) for ograd and `_backward_FullyConnected_data(ograd, G, data)` for data.
 */
export const FULLY_CONNECTED_WEIGHT_GRAD: Operator = defineOperator({
  name: '_backward_FullyConnected_weight',
  attrs: VIEW_ATTRS,
  inputs: ['ograd', 'data'],
  inferShape: (a, shapes, who) => {
    const [ograd, data] = shapes;
    const { plan, weightShape } = inferGradient(who, a, data, ograd, undefined);
    return { inputs: shapes, outputs: [weightShape], plan };
  },
  forward: ({ plan: { rows, units, hidden }, inputs: [dy, x], outputs: [dw] }) => {
    gemm(true, false, hidden, units, rows, 1, dy.data, 0, hidden, x.data, 0, Math.max(1, units), 0, dw.data, 0, Math.max(1, units));
  },
  backward: ({ attrs, inputs: [dy, x], outputGrads: [g], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, FULLY_CONNECTED, [x, g], { ...attrs, noBias: true }, into[0]) : undefined,
    needsGrad[1] ? runInto(F, FULLY_CONNECTED_DATA_GRAD, [dy, g, x], attrs, into[1]) : undefined,
  ],
});

/** Options of `FullyConnected` (MXNet's attributes in camelCase). */
export interface FullyConnectedOptions extends NameOption {
  /** Output units; the weight is (numHidden, K). Required. */
  numHidden: number;
  /** Default: true exactly when `bias` is absent. */
  noBias?: boolean;
  /**
   * true: data (N, d1, …) is read as (N, d1·…), output (N, numHidden). false: the last axis holds
   * the K input units, output (…, numHidden) keeps the leading axes. Default true.
   */
  flatten?: boolean;
}

/** The fully connected operator of `nd` and `sym`. */
export interface FullyConnectedSignatures<T> {
  /**
   * MXNet's `FullyConnected`: out = data·weightᵀ + bias, out[r, u] = bias[u] + Σ_k data[r, k]·weight[u, k].
   *
   * Shapes: data (N, d1, …) read as (N, K), K = d1·…, with `flatten` (the default), or (…, K)
   * without; weight (numHidden, K), inferred from the data by shape inference; bias
   * (numHidden,) (or (numHidden, 1)) unless absent; output (N, numHidden), or (…, numHidden)
   * without flatten. Products accumulate in float64 within GEMM panels. Gradients (each
   * differentiable again): dx = dy·W, dW = dyᵀ·x, db = the column sums of dy.
   *
   * @example
   * nd.FullyConnected(nd.array([[1, 2]]), nd.array([[1, 1], [0, 1]]), nd.array([0, 10]), { numHidden: 2 }).toArray();
   * // [[3, 12]]
   */
  FullyConnected(data: T, weight: T, bias: T | undefined, options: FullyConnectedOptions): T;
  FullyConnected(data: T, weight: T, options: FullyConnectedOptions): T;
  /** `sym` only (as MXNet): the weight and bias become variables `<name>_weight`, `<name>_bias`. */
  FullyConnected(data: T, options: FullyConnectedOptions): T;
}

export const FULLY_CONNECTED_FRONTENDS: FrontendTable<FullyConnectedSignatures<unknown>> = {
  // nd: an absent bias means noBias; sym: as MXNet, it becomes a variable `<name>_bias` unless noBias.
  FullyConnected: standard(FULLY_CONNECTED, (present, makesAbsentInputs) => ({ noBias: !makesAbsentInputs && present[2] !== true })),
};
