/**
 * Cross-entropy losses for classification, as Gluon's: SoftmaxCrossEntropyLoss (alias
 * SoftmaxCELoss) and SigmoidBinaryCrossEntropyLoss (alias SigmoidBCELoss).
 */
import { GluonError, formatShape } from '../../core/errors';
import { normalizeAxis } from '../../core/shape';
import { describeValue } from '../../core/checks';
import { ones as onesArray } from '../../ndarray/creation';
import { NDArray } from '../../ndarray/ndarray';
import { Symbol } from '../../symbol/symbol';
import type { Tensor } from '../../nn/block';
import type { HybridF } from '../../nn/hybrid_block';
import { checkBoolean, checkNumber } from '../checks';
import { Loss, LossOptions, LossRest, applyWeighting, sampleWeightOf } from './loss';

/** Options of `SoftmaxCrossEntropyLoss`. */
export interface SoftmaxCrossEntropyLossOptions extends LossOptions {
  /** The class axis of pred. Default -1. */
  axis?: number;
  /** Labels are class indices (true) or distributions with pred's number of elements (false). Default true. */
  sparseLabel?: boolean;
  /** pred already holds log-probabilities (e.g. from logSoftmax). Default false. */
  fromLogits?: boolean;
}

/**
 * Softmax cross-entropy, Gluon's `SoftmaxCrossEntropyLoss`: with `log p = logSoftmax(pred, axis)`,
 *
 *     sparseLabel:  l = −log p[label]          (label: class indices; F.pick)
 *     otherwise:    l = −Σ_k label_k · log p_k  (label: distributions)
 *
 * then `l · sampleWeight · weight` averaged over the non-batch axes (l keeps `axis` with length 1).
 * Stable for any logits (1e4 and −1e4 alike): log_softmax subtracts each lane's maximum.
 *
 * Shapes: pred `(N, C)` (or any rank, classes along `axis`); sparse label `(N,)` or `(N, 1)` —
 * pred's shape without `axis` or with it of length 1 — holding integers in [0, C); output `(N,)`.
 * With the defaults this equals PyTorch's `CrossEntropyLoss(reduction='none')`. A class index
 * that is not an integer in [0, C) throws (MXNet's pick silently clips it; such a label is
 * always a bug).
 *
 * @example
 * const ce = new gluon.loss.SoftmaxCrossEntropyLoss();
 * ce(nd.array([[0, 0], [10, 0]]), nd.array([1, 0])).toArray(); // [0.6931472, 0.0000454]
 */
export class SoftmaxCrossEntropyLoss extends Loss {
  readonly axis: number;
  readonly sparseLabel: boolean;
  readonly fromLogits: boolean;

  constructor(options: SoftmaxCrossEntropyLossOptions = {}) {
    super(options, ['axis', 'sparseLabel', 'fromLogits']);
    const owner = 'SoftmaxCrossEntropyLoss';
    const { axis = -1, sparseLabel = true, fromLogits = false } = options;
    this.axis = checkNumber(owner, 'axis', axis, { integer: true });
    this.sparseLabel = checkBoolean(owner, 'sparseLabel', sparseLabel);
    this.fromLogits = checkBoolean(owner, 'fromLogits', fromLogits);
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    const logp = this.fromLogits ? pred : F.logSoftmax(pred, { axis: this.axis });
    const loss = this.sparseLabel
      ? F.negative(F.pick(logp, label, { axis: this.axis, keepdims: true }))
      : F.negative(F.sum(F.multiply(logp, F.reshapeLike(label, logp)), { axis: this.axis, keepdims: true }));
    return this.batchMean(F, applyWeighting(F, loss, this.weight, sampleWeightOf(rest)));
  }

  protected override checkLabel(pred: NDArray, label: NDArray): void {
    const axis = normalizeAxis(this.axis, pred.ndim, this.constructor.name);
    if (this.sparseLabel) checkClassIndices(this.constructor.name, pred, label, axis);
    else this.checkSameSize(pred, label);
  }

  protected override unreducedShape(pred: NDArray): readonly number[] {
    const axis = normalizeAxis(this.axis, pred.ndim, this.constructor.name);
    return pred.shape.map((dim, d) => (d === axis ? 1 : dim));
  }
}

/** Gluon's alias of SoftmaxCrossEntropyLoss (the same class). */
export const SoftmaxCELoss = SoftmaxCrossEntropyLoss;

/**
 * Throws unless `label` holds class indices for `pred`: pred's shape without `axis` or with it of
 * length 1 (as MXNet's pick), each value an integer in [0, classes).
 */
function checkClassIndices(owner: string, pred: NDArray, label: NDArray, axis: number): void {
  const dropped = pred.shape.filter((_, d) => d !== axis);
  const kept = pred.shape.map((dim, d) => (d === axis ? 1 : dim));
  const fits = (shape: readonly number[]): boolean => shape.length === label.ndim && shape.every((dim, d) => dim === label.shape[d]);
  if (!fits(dropped) && !fits(kept)) {
    throw new GluonError(
      `${owner}: expected sparse labels of shape ${formatShape(dropped)} or ${formatShape(kept)} (pred's shape ` +
        `${formatShape(pred.shape)} without axis ${axis}), but got ${formatShape(label.shape)}`,
    );
  }
  const count = pred.shape[axis];
  const values = label.data;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (!Number.isInteger(value) || value < 0 || value >= count) {
      throw new GluonError(`${owner}: expected class indices (integers in [0, ${count - 1}]) as labels, but got ${value} at position ${i}`);
    }
  }
}

/** Options of `SigmoidBinaryCrossEntropyLoss`. */
export interface SigmoidBinaryCrossEntropyLossOptions extends LossOptions {
  /** pred holds probabilities (sigmoid outputs) rather than logits. Default false. */
  fromSigmoid?: boolean;
}

/** Gluon's ε in the fromSigmoid form. */
const SIGMOID_EPS = 1e-12;

/**
 * Binary cross-entropy, Gluon's `SigmoidBinaryCrossEntropyLoss`: per element, from logits x
 * (default) `l = −(y·log σ(x) + (1 − y)·log(1 − σ(x)))`, computed as `softrelu(x) − x·y` with
 * softrelu(x) = log(1 + eˣ) evaluated stably (so finite for any x); its gradient is exactly
 * `σ(x) − y`, also at x = 0 (Gluon's `relu(x) − x·y + softrelu(−|x|)` is the same value but
 * takes a subgradient of relu and abs there). With `fromSigmoid`, from probabilities p:
 * `−(y·log(p + 1e-12) + (1 − y)·log(1 − p + 1e-12))`. Then the weighted mean over the non-batch
 * axes.
 *
 * Shapes: pred any, label with as many elements (values in [0, 1]), output `(batchSize,)`.
 * With the defaults, PyTorch's `BCEWithLogitsLoss(reduction='none')` averaged over the non-batch axes.
 * MXNet's `posWeight` forward argument weighs the positive term, broadcast against pred:
 * `loss(pred, label, sampleWeight, posWeight)`, sampleWeight `undefined` for none (PyTorch's
 * `pos_weight`).
 *
 * @example
 * const bce = new gluon.loss.SigmoidBinaryCrossEntropyLoss();
 * bce(nd.array([[0]]), nd.array([[1]])).toArray(); // [0.6931472]
 */
export class SigmoidBinaryCrossEntropyLoss extends Loss {
  readonly fromSigmoid: boolean;

  constructor(options: SigmoidBinaryCrossEntropyLossOptions = {}) {
    super(options, ['fromSigmoid']);
    const { fromSigmoid = false } = options;
    this.fromSigmoid = checkBoolean('SigmoidBinaryCrossEntropyLoss', 'fromSigmoid', fromSigmoid);
  }

  /** (pred, label), (pred, label, sampleWeight), or (pred, label, sampleWeight or undefined, posWeight). */
  protected override checkInputs(inputs: readonly unknown[]): void {
    if (inputs.length !== 4) {
      super.checkInputs(inputs);
      return;
    }
    super.checkInputs(inputs[2] === undefined ? inputs.slice(0, 2) : inputs.slice(0, 3));
    const [pred, , , posWeight] = inputs;
    if (pred instanceof Symbol) return;
    const shape = (pred as NDArray).shape;
    const fits = posWeight instanceof NDArray && posWeight.ndim <= shape.length &&
      posWeight.shape.every((d, i) => d === 1 || d === shape[shape.length - posWeight.ndim + i]);
    if (!fits) {
      throw new GluonError(`SigmoidBinaryCrossEntropyLoss: expected posWeight to be an NDArray broadcastable to pred's shape ${formatShape(shape)}, but got ${posWeight instanceof NDArray ? `shape ${formatShape(posWeight.shape)}` : describeValue(posWeight)}`);
    }
  }

  /** An absent sample weight before a posWeight is a weight of 1 (exact: it multiplies by one). */
  override forward(...inputs: NDArray[]): NDArray;
  override forward(...inputs: Tensor[]): Tensor;
  override forward(...inputs: Tensor[]): Tensor {
    if (inputs.length === 4 && inputs[2] === undefined && inputs[0] instanceof NDArray) return super.forward(inputs[0], inputs[1], onesArray([1]), inputs[3]);
    return super.forward(...inputs);
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    const y = F.reshapeLike(label, pred);
    const args = rest as readonly unknown[];
    const posWeight = args.length === 3 ? (args[1] as Tensor) : undefined;
    const sampleWeight = args.length >= 2 ? (args[0] as Tensor) : undefined;
    return this.batchMean(F, applyWeighting(F, this.elementLoss(F, pred, y, posWeight), this.weight, sampleWeight));
  }

  /**
   * The per-element loss. With posWeight w (MXNet's forward argument) the positive term is
   * weighted: −(w·y·log σ(x) + (1 − y)·log(1 − σ(x))) = (1 − y)·x + (1 + (w − 1)·y)·softrelu(−x).
   */
  private elementLoss(F: HybridF, x: Tensor, y: Tensor, posWeight: Tensor | undefined): Tensor {
    if (this.fromSigmoid) {
      const positive = F.multiply(F.log(F.add(x, SIGMOID_EPS)), y);
      const negative = F.multiply(F.log(F.add(F.subtract(1, x), SIGMOID_EPS)), F.subtract(1, y));
      return F.negative(F.add(posWeight === undefined ? positive : F.broadcastMul(positive, posWeight), negative));
    }
    if (posWeight === undefined) return F.subtract(F.Activation(x, { actType: 'softrelu' }), F.multiply(x, y));
    const logWeight = F.add(F.broadcastMul(F.subtract(posWeight, 1), y), 1);
    return F.add(F.subtract(x, F.multiply(x, y)), F.multiply(logWeight, F.Activation(F.negative(x), { actType: 'softrelu' })));
  }
}

/** Gluon's alias of SigmoidBinaryCrossEntropyLoss (the same class). */
export const SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss;
