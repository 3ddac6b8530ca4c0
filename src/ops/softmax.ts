/**
 * MXNet's `softmax`, `log_softmax` and `SoftmaxActivation` over the lane loops of
 * kernels/cpu/softmax.ts (float64 after subtracting each lane's maximum), and their gradient
 * operators `_backward_softmax(ograd, output)` and `_backward_log_softmax(ograd, output)`, read
 * from the output as MXNet's. The gradient operators are differentiable again: their gradient is
 * that of the same formula written with operators (compositeGradients), so second derivatives
 * through softmax are exact while the first-order path stays one fused loop.
 */
import { GluonError, formatShape } from '../core/errors';
import { LaneView, softmaxBackward, softmaxForward } from '../kernels/cpu/softmax';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, choiceAttr, floatAttr, intAttr, optionalAttr } from './attrs';
import { compositeGradients } from './composite';
import { FrontendTable, NameOption, standard } from './frontend';
import { laneView, sameShapeInference } from './lanes';
import type { Nd } from './nd';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

/** MXNet's SoftmaxParam (softmax and log_softmax), in its declaration order. */
const SOFTMAX_ATTRS = {
  axis: intAttr({ default: -1 }),
  temperature: optionalAttr(floatAttr()),
  dtype: optionalAttr(choiceAttr(['float16', 'float32', 'float64'] as const)),
  useLength: optionalAttr(boolAttr(), { default: false }),
};
type SoftmaxAttrs = AttrValues<typeof SOFTMAX_ATTRS>;

/** The attributes of the gradient operators: the lanes' axis and the temperature. */
const SOFTMAX_GRAD_ATTRS = { axis: SOFTMAX_ATTRS.axis, temperature: SOFTMAX_ATTRS.temperature };

/** Options of `softmax` and `logSoftmax`; the defaults are MXNet's. */
export interface SoftmaxOptions extends NameOption {
  /** The axis along which to normalize (negative counts from the end). Default -1. */
  axis?: number;
  /** t in softmax(x/t); must be nonzero. Default none (1). */
  temperature?: number | null;
  /** The output's type: none or 'float32' (tsgluon's arrays are float32; others are rejected). Default none. */
  dtype?: 'float16' | 'float32' | 'float64' | null;
  /** softmax only: normalize the first `length` values of each lane, zero the rest (set by giving `length`). Default false. */
  useLength?: boolean | null;
}

/** What the kernels need: the lanes and the float32 temperature. */
interface SoftmaxPlan {
  readonly view: LaneView;
  readonly temperature: number;
}

/** The temperature as MXNet's kernels use it (cast to float32); 0 has no softmax. */
function temperatureOf(who: string, temperature: number | null): number {
  const t = Math.fround(temperature ?? 1);
  if (t === 0) throw new GluonError(`${who}: expected temperature to be nonzero (None means 1), but got ${temperature}`);
  return t;
}

function lanesOf(who: string, data: Shape, axis: number): LaneView {
  if (data.length === 0) throw new GluonError(`${who}: expected data of rank >= 1, but got a 0-d array`);
  return laneView(data, axis, who);
}

function inferSoftmax(a: SoftmaxAttrs, [data, length]: readonly MaybeShape[], who: string, log: boolean): ShapeInference<SoftmaxPlan> {
  if (a.dtype !== null && a.dtype !== 'float32') {
    throw new GluonError(`${who}: expected dtype to be None or 'float32' (tsgluon's arrays are float32), but got '${a.dtype}'`);
  }
  if (log && a.useLength === true) throw new GluonError(`${who}: log_softmax has no length input, so useLength must be false, but got true`);
  const temperature = temperatureOf(who, a.temperature);
  const useLength = a.useLength === true;
  if (data === undefined) return { inputs: useLength ? [data, length] : [data], outputs: [undefined] };
  const view = lanesOf(who, data, a.axis);
  if (!useLength) return { inputs: [data], outputs: [data], plan: { view, temperature } };
  // MXNet's length: data's shape without the axis ((1,) for 1-D data).
  const axis = a.axis < 0 ? a.axis + data.length : a.axis;
  const lengthShape = data.length === 1 ? [1] : data.filter((_, d) => d !== axis);
  if (length !== undefined) expectShape(who, 'length', length, lengthShape, data);
  return { inputs: [data, lengthShape], outputs: [data], plan: { view, temperature } };
}

/** Lengths must be whole numbers of values of their lane. */
function checkLengths(who: string, lengths: NDArray, lane: number): void {
  const values = lengths.data;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(Number.isInteger(v) && v >= 0 && v <= lane)) {
      const where = `at position ${i} of shape ${formatShape(lengths.shape)}`;
      throw new GluonError(`${who}: expected length values to be integers in [0, ${lane}], but got ${v} ${where}`);
    }
  }
}

/** The gradient formulas, written with operators (what the gradient operators' own gradients differentiate). */
function gradientComposite(F: Nd, axis: number, temperature: number, log: boolean, dy: NDArray, y: NDArray): NDArray {
  const lane = { axis: [axis], keepdims: true };
  const dx = log ? F.subtract(dy, F.multiply(F.exp(y), F.sum(dy, lane))) : F.multiply(y, F.subtract(dy, F.sum(F.multiply(dy, y), lane)));
  return temperature === 1 ? dx : F.divide(dx, temperature);
}

function gradientOperator(name: string, log: boolean): Operator {
  return defineOperator({
    name,
    attrs: SOFTMAX_GRAD_ATTRS,
    inputs: ['ograd', 'output'],
    inplace: [[0, 0]],
    inferShape: (a, shapes, who): ShapeInference<SoftmaxPlan> => {
      const inferred = sameShapeInference(who, ['ograd', 'output'], shapes);
      const [shape] = inferred.outputs;
      if (shape === undefined) return inferred;
      return { ...inferred, plan: { view: lanesOf(who, shape, a.axis), temperature: temperatureOf(who, a.temperature) } };
    },
    forward: ({ plan, inputs: [dy, y], outputs: [dx] }) => softmaxBackward(dy.data, y.data, dx.data, plan.view, plan.temperature, log),
    backward: ({ attrs, plan, inputs, outputGrads }, F) =>
      compositeGradients(F, (G, [dy, y]) => [gradientComposite(G, attrs.axis, plan.temperature, log, dy, y)], inputs, outputGrads),
  });
}

/** `_backward_softmax(ograd, output)`: y·(dy − Σ dy·y)/t along the axis. */
export const SOFTMAX_BACKWARD = gradientOperator('_backward_softmax', false);
/** `_backward_log_softmax(ograd, output)`: (dy − e^y·Σ dy)/t along the axis. */
export const LOG_SOFTMAX_BACKWARD = gradientOperator('_backward_log_softmax', true);

function softmaxOperator(name: string, alias: string, log: boolean, gradient: Operator): Operator {
  return defineOperator({
    name,
    aliases: [alias],
    attrs: SOFTMAX_ATTRS,
    // MXNet's log_softmax declares use_length but takes no length input.
    inputs: (a) => (!log && a.useLength === true ? ['data', 'length'] : ['data']),
    inplace: [[0, 0]],
    inferShape: (a, shapes, who) => inferSoftmax(a, shapes, who, log),
    forward: ({ plan, inputs: [x, length], outputs: [y], who }) => {
      if (length !== undefined) checkLengths(who, length, plan.view.length);
      softmaxForward(x.data, y.data, plan.view, plan.temperature, log, length?.data);
    },
    // The length is an index: it gets no gradient.
    backward: ({ attrs: { axis, temperature }, outputs: [y], outputGrads: [dy], needsGrad, into }, F) => [
      needsGrad[0] ? runInto(F, gradient, [dy, y], { axis, temperature }, into[0]) : undefined,
    ],
  });
}

/** MXNet's `softmax` (see SoftmaxSignatures). */
export const SOFTMAX = softmaxOperator('softmax', '_npx_softmax', false, SOFTMAX_BACKWARD);
/** MXNet's `log_softmax`. */
export const LOG_SOFTMAX = softmaxOperator('log_softmax', '_npx_log_softmax', true, LOG_SOFTMAX_BACKWARD);

/** How `SoftmaxActivation` groups values: per instance (the last axis), or across channels (axis 1). */
export const SOFTMAX_ACTIVATION_MODES = ['instance', 'channel'] as const;
export type SoftmaxActivationMode = (typeof SOFTMAX_ACTIVATION_MODES)[number];

/** Options of `SoftmaxActivation`; the default is MXNet's. */
export interface SoftmaxActivationOptions extends NameOption {
  /** Default 'instance'. */
  mode?: SoftmaxActivationMode;
}

/** The axis of each mode: MXNet's instance mode is a softmax over each row of the data flattened to (−1, last axis). */
const modeAxis = (mode: SoftmaxActivationMode): number => (mode === 'channel' ? 1 : -1);

const SOFTMAX_ACTIVATION_ATTRS = { mode: choiceAttr(SOFTMAX_ACTIVATION_MODES, { default: 'instance' }) };

/** MXNet's `SoftmaxActivation` (deprecated in MXNet for `softmax`, still in exported models). */
export const SOFTMAX_ACTIVATION: Operator = defineOperator({
  name: 'SoftmaxActivation',
  attrs: SOFTMAX_ACTIVATION_ATTRS,
  inputs: ['data'],
  inplace: [[0, 0]],
  inferShape: ({ mode }, [data], who): ShapeInference<LaneView> => {
    if (data === undefined) return { inputs: [data], outputs: [undefined] };
    if (mode === 'channel' && data.length < 3) {
      throw new GluonError(`${who}: expected data of rank >= 3 for mode 'channel', but got shape ${formatShape(data)}`);
    }
    return { inputs: [data], outputs: [data], plan: lanesOf(who, data, modeAxis(mode)) };
  },
  forward: ({ plan, inputs: [x], outputs: [y] }) => softmaxForward(x.data, y.data, plan, 1, false),
  backward: ({ attrs: { mode }, outputs: [y], outputGrads: [dy], into }, F) => [
    runInto(F, SOFTMAX_BACKWARD, [dy, y], { axis: modeAxis(mode) }, into[0]),
  ],
});

/** The softmax operators of `nd` and `sym`. */
export interface SoftmaxSignatures<T> {
  /**
   * MXNet's `softmax`: `exp(x_i/t) / Σ_j exp(x_j/t)` along `axis`. Every lane sums to 1; a NaN
   * in a lane makes the whole lane NaN; computed in float64 after subtracting the lane's maximum
   * (1e4 neither overflows nor loses the differences between values).
   *
   * Inputs: data, and with `length` (which sets useLength) the number of values of each lane to
   * normalize, the rest of the lane being 0 (MXNet's use_length): length has data's shape without
   * `axis` ((1,) for 1-D data) and holds integers in [0, lane length]. Shapes: data of rank >= 1;
   * the output has its shape. Defaults (MXNet's): axis -1, temperature none (1), dtype none.
   * Gradient: dx = y·(dy − Σ dy·y)/t (0 past a lane's length; the length gets none);
   * differentiable again.
   *
   * @example
   * nd.softmax(nd.array([[1000, 1000]])).toArray(); // [[0.5, 0.5]]
   * nd.softmax(nd.array([[1, 2, 3]]), nd.array([2]), { axis: 1 }).toArray(); // [[0.2689414, 0.7310586, 0]]
   */
  softmax(data: T, options?: SoftmaxOptions): T;
  softmax(data: T, length: T, options?: SoftmaxOptions): T;
  /**
   * MXNet's `log_softmax`: `x_i/t − log Σ_j exp(x_j/t)` along `axis`, computed without taking
   * the log of a rounded probability (no −Infinity where softmax underflows). Options as
   * `softmax`, without a length (useLength must stay false). Gradient: dx = (dy − e^y·Σ dy)/t;
   * differentiable again.
   *
   * @example
   * nd.logSoftmax(nd.array([0, 0])).toArray(); // [-0.6931472, -0.6931472]
   */
  logSoftmax(data: T, options?: SoftmaxOptions): T;
  /**
   * MXNet's `SoftmaxActivation` (deprecated there for `softmax`, but in exported models). mode
   * 'instance' (the default): a softmax over each row of the data viewed as (−1, last axis) — for
   * (N, K) data, over each instance's K values. mode 'channel': a softmax across axis 1 at each
   * position of each instance (data of rank >= 3, e.g. (N, C, H, W) score maps). Gradient:
   * softmax's along the same axis (MXNet's own backward of instance mode on rank >= 3 data uses
   * axis 1, inconsistently with its forward; this one is the true gradient).
   *
   * @example
   * nd.SoftmaxActivation(nd.zeros([1, 2, 1, 1]), { mode: 'channel' }).toArray(); // [[[[0.5]], [[0.5]]]]
   */
  SoftmaxActivation(data: T, options?: SoftmaxActivationOptions): T;
}

export const SOFTMAX_FRONTENDS: FrontendTable<SoftmaxSignatures<unknown>> = {
  // A length input sets useLength; absent, nothing is set (so the JSON stays MXNet 1.5-readable).
  softmax: standard(SOFTMAX, (present): Readonly<Record<string, unknown>> => (present[1] === true ? { useLength: true } : {})),
  logSoftmax: standard(LOG_SOFTMAX),
  SoftmaxActivation: standard(SOFTMAX_ACTIVATION),
};
