/**
 * MXNet's `SoftmaxOutput` (alias `Softmax`): a softmax forward whose backward is not the softmax's
 * gradient but the gradient of the cross-entropy loss with respect to the logits, softmax −
 * one_hot(label) (scaled, with ignore_label, normalization and label smoothing), as
 * src/operator/softmax_output-inl.h computes it. The label is read only by the backward, so
 * inference may leave it out. The backward is a loss gradient with no derivative of its own:
 * differentiating through it again (autograd.grad with createGraph) is an error.
 */
import { GluonError, formatShape } from '../core/errors';
import { shapeSize, shapesEqual } from '../core/shape';
import { isRecording } from '../autograd/tape';
import { LaneView, softmaxForward } from '../kernels/cpu/softmax';
import { countValidLabels, softmaxOutputGrad, softmaxOutputProbabilityGrad } from '../kernels/cpu/softmax_output';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, choiceAttr, floatAttr } from './attrs';
import { unitIntervalAttr } from './dropout';
import { FrontendTable, NameOption, standard } from './frontend';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';

/** MXNet's SoftmaxOutputParam, in its declaration order, with its defaults. */
const SOFTMAX_OUTPUT_ATTRS = {
  gradScale: floatAttr({ default: 1 }),
  ignoreLabel: floatAttr({ default: -1 }),
  multiOutput: boolAttr({ default: false }),
  useIgnore: boolAttr({ default: false }),
  preserveShape: boolAttr({ default: false }),
  normalization: choiceAttr(['null', 'batch', 'valid'] as const, { default: 'null' }),
  outGrad: boolAttr({ default: false }),
  smoothAlpha: unitIntervalAttr(0),
};
type SoftmaxOutputAttrs = AttrValues<typeof SOFTMAX_OUTPUT_ATTRS>;

/** Options of `SoftmaxOutput`; the defaults are MXNet's. */
export interface SoftmaxOutputOptions extends NameOption {
  /** Multiplies the gradient. Default 1. */
  gradScale?: number;
  /** With useIgnore, lanes whose label (integer part) equals this get a zero gradient. Default -1. */
  ignoreLabel?: number;
  /** Softmax across axis 1 at each position: data (N, C, d2, …), labels (N, d2·…) or (N, d2, …). Default false. */
  multiOutput?: boolean;
  /** Enables ignoreLabel. Default false. */
  useIgnore?: boolean;
  /** Softmax over the last axis, keeping the other axes (labels of data's shape without the last axis). Default false. */
  preserveShape?: boolean;
  /**
   * Divides the gradient: 'null' by nothing (by the positions per instance with multiOutput),
   * 'batch' by the batch size, 'valid' by the labels not ignored. Default 'null'.
   */
  normalization?: 'null' | 'batch' | 'valid';
  /** Also multiplies the gradient by the output's gradient. Default false. */
  outGrad?: boolean;
  /** Label smoothing α in [0, 1] (not applied with multiOutput, as MXNet). Default 0. */
  smoothAlpha?: number;
}

/** The softmax lanes of data: over axis 1 (multiOutput), the last axis (preserveShape), or all but axis 0. */
function lanesOf(who: string, a: SoftmaxOutputAttrs, data: Shape): LaneView {
  if (data.length === 0) throw new GluonError(`${who}: expected data of rank >= 1, but got a 0-d array`);
  if (a.multiOutput) {
    if (data.length < 2) throw new GluonError(`${who}: expected data of rank >= 2 with multiOutput, but got shape ${formatShape(data)}`);
    return { outer: data[0], length: data[1], inner: shapeSize(data.slice(2)) };
  }
  if (a.preserveShape) return { outer: shapeSize(data.slice(0, -1)), length: data[data.length - 1], inner: 1 };
  return { outer: data[0], length: shapeSize(data.slice(1)), inner: 1 };
}

/** The label's shape, as MXNet's SoftmaxOutputProp::InferShape: data's own (probabilities) or class indices. */
function labelShape(who: string, a: SoftmaxOutputAttrs, data: Shape, label: MaybeShape): Shape {
  if (label !== undefined && shapesEqual(label, data)) return label;
  const show = (s: Shape): string => formatShape(s);
  if (!a.multiOutput) {
    const wanted = data.slice(0, -1);
    if (label === undefined || shapesEqual(label, wanted)) return wanted;
    throw new GluonError(
      `${who}: expected label of shape ${show(wanted)} (class indices) or ${show(data)} (probabilities) ` +
        `for data of shape ${show(data)}, but got ${show(label)}`,
    );
  }
  const flat = [data[0], shapeSize(data.slice(2))];
  const spatial = [data[0], ...data.slice(2)];
  const singleton = data.map((d, i) => (i === 1 ? 1 : d));
  if (label === undefined) return flat;
  if ([flat, spatial, singleton].some((s) => shapesEqual(label, s))) return label;
  throw new GluonError(
    `${who}: expected label of shape ${show(flat)} or ${show(spatial)} (class indices) or ${show(data)} (probabilities) with multiOutput ` +
      `for data of shape ${show(data)}, but got ${show(label)}`,
  );
}

function inferSoftmaxOutput(who: string, a: SoftmaxOutputAttrs, data: MaybeShape, label: MaybeShape): ShapeInference<LaneView> {
  if (data === undefined) return { inputs: [data, label], outputs: [undefined] };
  const plan = lanesOf(who, a, data);
  return { inputs: [data, labelShape(who, a, data, label)], outputs: [data], plan };
}

/** MXNet's normalization count: 1, the batch (the labels' count without multiOutput), or the labels not ignored. */
function normalizationCount(a: SoftmaxOutputAttrs, view: LaneView, label: NDArray): number {
  if (a.normalization === 'valid') return countValidLabels(label.data, Math.trunc(Math.fround(a.ignoreLabel)));
  if (a.normalization === 'batch') return a.multiOutput ? view.outer : label.size;
  return 1;
}

/** grad_scale over the normalization count (float32 divisions, as MXNet's `DType(scale / count)`). */
function gradientScale(a: SoftmaxOutputAttrs, view: LaneView, label: NDArray): number {
  // Without 'valid', multiOutput also averages over the positions of each instance.
  const positions = a.multiOutput && a.normalization !== 'valid' ? view.inner : 1;
  return Math.fround(Math.fround(Math.fround(a.gradScale) / positions) / normalizationCount(a, view, label));
}

/** `_backward_SoftmaxOutput(output, label[, ograd])`: the loss gradient; not differentiable. */
export const SOFTMAX_OUTPUT_BACKWARD: Operator = defineOperator({
  name: '_backward_SoftmaxOutput',
  attrs: SOFTMAX_OUTPUT_ATTRS,
  inputs: (a) => (a.outGrad ? ['output', 'label', 'ograd'] : ['output', 'label']),
  inplace: [[0, 0]],
  inferShape: (a, [output, label, ograd], who) => {
    const inferred = inferSoftmaxOutput(who, a, output, label);
    if (ograd !== undefined && output !== undefined && !shapesEqual(ograd, output)) {
      throw new GluonError(`${who}: expected ograd of shape ${formatShape(output)}, but got ${formatShape(ograd)}`);
    }
    return a.outGrad ? { ...inferred, inputs: [...inferred.inputs, output] } : inferred;
  },
  forward: ({ attrs: a, plan, inputs: [y, label, ograd], outputs: [dx] }) => {
    if (shapesEqual(label.shape, y.shape)) {
      softmaxOutputProbabilityGrad(y.data, label.data, dx.data, Math.fround(a.gradScale), ograd?.data);
      return;
    }
    softmaxOutputGrad(y.data, label.data, dx.data, plan, {
      ignore: a.useIgnore ? Math.trunc(Math.fround(a.ignoreLabel)) : undefined,
      smoothAlpha: a.multiOutput ? 0 : Math.fround(a.smoothAlpha),
      scale: gradientScale(a, plan, label),
      ograd: ograd?.data,
    });
  },
});

/** MXNet's `SoftmaxOutput` (see SoftmaxOutputSignatures). */
export const SOFTMAX_OUTPUT: Operator = defineOperator({
  name: 'SoftmaxOutput',
  aliases: ['Softmax'],
  attrs: SOFTMAX_OUTPUT_ATTRS,
  inputs: ['data', 'label'],
  indexInputs: [1],
  labelInputs: [1],
  inplace: [[0, 0]],
  inferShape: (a, [data, label], who) => inferSoftmaxOutput(who, a, data, label),
  forward: ({ plan, inputs: [x], outputs: [y] }) => softmaxForward(x.data, y.data, plan, 1, false),
  // The label is an index (or a target distribution): it gets no gradient, as MXNet's backward writes none.
  backward: ({ attrs, who, inputs: [, label], outputs: [y], outputGrads: [dy], needsGrad, into }, F) => {
    if (!needsGrad[0]) return [undefined, undefined];
    if (isRecording()) {
      throw new GluonError(
        `${who}: SoftmaxOutput's backward is the loss gradient softmax − label, which cannot be differentiated again ` +
          '(autograd.grad with createGraph through SoftmaxOutput); use softmax with a loss such as SoftmaxCrossEntropyLoss for higher derivatives',
      );
    }
    const inputs = attrs.outGrad ? [y, label, dy] : [y, label];
    return [runInto(F, SOFTMAX_OUTPUT_BACKWARD, inputs, attrs, into[0]), undefined];
  },
});

/** The SoftmaxOutput operator of `nd` and `sym`. */
export interface SoftmaxOutputSignatures<T> {
  /**
   * MXNet's `SoftmaxOutput` (alias `Softmax`), the output layer of a classifier trained with
   * cross-entropy. Forward: a softmax — across all of each instance's values (data viewed as
   * (N, −1)), across axis 1 at each position with `multiOutput`, or along the last axis with
   * `preserveShape`. Backward: NOT the softmax's gradient but the cross-entropy loss gradient
   * with respect to data, whatever the head gradient (unless outGrad):
   *
   *     dx = (softmax − one_hot(label)) · gradScale / count      (class-index labels)
   *     dx = (softmax − label) · gradScale                        (labels of data's shape: probabilities)
   *
   * with smoothing α: −(1 − α) at the label, α/(K − 1) elsewhere; with useIgnore, lanes labelled
   * ignoreLabel get 0; count is 1 ('null'; with multiOutput the positions per instance), the
   * batch size ('batch') or the labels not equal to ignoreLabel ('valid', at least 1); outGrad
   * multiplies by the head gradient. The label gets no gradient, and this backward cannot be
   * differentiated again (createGraph through it throws).
   *
   * Inputs: data, and label (only read by the backward: leave it out for inference). Shapes:
   * data (N, …); label (N, …) = data's shape without the last axis (class indices), or with
   * multiOutput (N, d2·…) or (N, d2, …), or data's own shape (probabilities); the output has
   * data's shape. (As MXNet, data of rank > 2 without multiOutput or preserveShape still takes a
   * label of data's shape without the last axis, of which the first N values are the classes.)
   * Defaults (MXNet's): gradScale 1, ignoreLabel -1, multiOutput false, useIgnore false,
   * preserveShape false, normalization 'null', outGrad false, smoothAlpha 0. (MXNet 1.9's
   * NNVM backward multiplies by the output itself for out_grad, a bug; this follows its
   * documentation.)
   *
   * @example
   * nd.SoftmaxOutput(nd.array([[0, 0]])).toArray(); // [[0.5, 0.5]]
   * // backward of nd.SoftmaxOutput(x, nd.array([1])) at x = [[0, 0]]: x.grad = [[0.5, -0.5]]
   */
  SoftmaxOutput(data: T, label?: T, options?: SoftmaxOutputOptions): T;
  SoftmaxOutput(data: T, options?: SoftmaxOutputOptions): T;
}

export const SOFTMAX_OUTPUT_FRONTENDS: FrontendTable<SoftmaxOutputSignatures<unknown>> = {
  SoftmaxOutput: standard(SOFTMAX_OUTPUT),
};
