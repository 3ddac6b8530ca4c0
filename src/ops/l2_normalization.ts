/**
 * MXNet's `L2Normalization` over the lane loops of kernels/cpu/l2_normalization.ts, and its
 * gradient operator `_backward_L2Normalization(ograd, data)`, differentiable again through the
 * same formula written with operators (compositeGradients), so second derivatives are exact.
 */
import { GluonError, formatShape } from '../core/errors';
import { shapeSize } from '../core/shape';
import { l2NormalizeBackward, l2NormalizeForward } from '../kernels/cpu/l2_normalization';
import type { LaneView } from '../kernels/cpu/softmax';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, choiceAttr, floatAttr } from './attrs';
import { compositeGradients } from './composite';
import { FrontendTable, NameOption, standard } from './frontend';
import { sameShapeInference } from './lanes';
import type { Nd } from './nd';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';

/** Which values share a norm: all of an instance, the channels at one position, or the positions of one channel. */
export const L2_NORMALIZATION_MODES = ['instance', 'channel', 'spatial'] as const;
export type L2NormalizationMode = (typeof L2_NORMALIZATION_MODES)[number];

/** MXNet's L2NormalizationParam, with its defaults. */
const L2_NORMALIZATION_ATTRS = {
  eps: floatAttr({ default: 1e-10 }),
  mode: choiceAttr(L2_NORMALIZATION_MODES, { default: 'instance' }),
};
type L2Attrs = AttrValues<typeof L2_NORMALIZATION_ATTRS>;

/** Options of `L2Normalization`; the defaults are MXNet's. */
export interface L2NormalizationOptions extends NameOption {
  /** Added to the sum of squares under the root. Default 1e-10 (rounded to float32, as MXNet's `float`). */
  eps?: number;
  /** Default 'instance'. */
  mode?: L2NormalizationMode;
}

/** The lanes that share a norm: (N, rest) instances, (N, C, rest) across C, or (N·C, rest) positions. */
function lanesOf(who: string, mode: L2NormalizationMode, data: Shape): LaneView {
  if (data.length === 0) throw new GluonError(`${who}: expected data of rank >= 1, but got a 0-d array`);
  if (mode === 'instance') return { outer: data[0], length: shapeSize(data.slice(1)), inner: 1 };
  if (data.length < 3) throw new GluonError(`${who}: expected data of rank >= 3 for mode '${mode}', but got shape ${formatShape(data)}`);
  const rest = shapeSize(data.slice(2));
  return mode === 'channel' ? { outer: data[0], length: data[1], inner: rest } : { outer: data[0] * data[1], length: rest, inner: 1 };
}

/** The axes each norm sums over, for the composite. */
function normAxes(mode: L2NormalizationMode, ndim: number): number[] {
  if (mode === 'channel') return [1];
  const first = mode === 'instance' ? 1 : 2;
  return Array.from({ length: ndim - first }, (_, i) => first + i);
}

/** The gradient formula written with operators: n = √(Σx² + eps), y = x/n, dx = (dy − y·Σ dy·y)/n. */
function gradientComposite(F: Nd, { mode, eps }: L2Attrs, dy: NDArray, x: NDArray): NDArray {
  const axes = normAxes(mode, x.ndim);
  const sum = (v: NDArray): NDArray => (axes.length === 0 ? v : F.sum(v, { axis: axes, keepdims: true }));
  const norm = F.sqrt(F.add(sum(F.square(x)), Math.fround(eps)));
  const y = F.divide(x, norm);
  return F.divide(F.subtract(dy, F.multiply(y, sum(F.multiply(dy, y)))), norm);
}

function inferL2(who: string, { mode }: L2Attrs, shapes: readonly MaybeShape[], names: readonly string[]): ShapeInference<LaneView> {
  const inferred = sameShapeInference(who, names, shapes);
  const [data] = inferred.outputs;
  return data === undefined ? inferred : { ...inferred, plan: lanesOf(who, mode, data) };
}

/** `_backward_L2Normalization(ograd, data)`: the exact gradient, recomputing the norms from data. */
export const L2_NORMALIZATION_BACKWARD: Operator = defineOperator({
  name: '_backward_L2Normalization',
  attrs: L2_NORMALIZATION_ATTRS,
  inputs: ['ograd', 'data'],
  inplace: [[0, 0]],
  inferShape: (a, shapes, who) => inferL2(who, a, shapes, ['ograd', 'data']),
  forward: ({ attrs, plan, inputs: [dy, x], outputs: [dx] }) => l2NormalizeBackward(x.data, dy.data, dx.data, plan, Math.fround(attrs.eps)),
  backward: ({ attrs, inputs, outputGrads }, F) => compositeGradients(F, (G, [dy, x]) => [gradientComposite(G, attrs, dy, x)], inputs, outputGrads),
});

/** MXNet's `L2Normalization` (see L2NormalizationSignatures). */
export const L2_NORMALIZATION: Operator = defineOperator({
  name: 'L2Normalization',
  attrs: L2_NORMALIZATION_ATTRS,
  inputs: ['data'],
  // MXNet's second output, the norms, is hidden.
  outputs: ['output'],
  hiddenOutputs: 1,
  inferShape: (a, shapes, who) => inferL2(who, a, shapes, ['data']),
  forward: ({ attrs, plan, inputs: [x], outputs: [y] }) => l2NormalizeForward(x.data, y.data, plan, Math.fround(attrs.eps)),
  backward: ({ attrs, inputs: [x], outputGrads: [dy], into }, F) => [runInto(F, L2_NORMALIZATION_BACKWARD, [dy, x], attrs, into[0])],
});

/** The L2Normalization operator of `nd` and `sym`. */
export interface L2NormalizationSignatures<T> {
  /**
   * MXNet's `L2Normalization`: `out = x / √(Σ x² + eps)`, the sum taken per instance over all
   * its values (mode 'instance'), across axis 1 at each position (mode 'channel'), or over the
   * positions of each channel (mode 'spatial'). Shapes: data (N, …) (rank >= 3 for 'channel' and
   * 'spatial'); the output has its shape (MXNet's hidden second output, the norms, is not
   * returned). Defaults (MXNet's): eps 1e-10, mode 'instance'. Sums in float64. Gradient: dx =
   * (dy − y·Σ dy·y)/n, exact; differentiable again.
   *
   * @example
   * nd.L2Normalization(nd.array([[3, 4]])).toArray(); // [[0.6, 0.8]]
   */
  L2Normalization(data: T, options?: L2NormalizationOptions): T;
}

export const L2_NORMALIZATION_FRONTENDS: FrontendTable<L2NormalizationSignatures<unknown>> = {
  L2Normalization: standard(L2_NORMALIZATION),
};
