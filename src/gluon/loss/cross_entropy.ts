/**
 * Cross-entropy losses for classification, as Gluon's: SoftmaxCrossEntropyLoss (alias
 * SoftmaxCELoss) and SigmoidBinaryCrossEntropyLoss (alias SigmoidBCELoss).
 */
import { NDArray } from '../../ndarray/ndarray';
import { normalizeAxis } from '../../core/shape';
import { checkBoolean, checkNumber } from '../checks';
import { ElementwiseLossKernel, elementwiseLoss } from './elementwise_loss';
import { Loss, LossOptions } from './loss';
import { softmaxCrossEntropy } from './softmax_cross_entropy_op';

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
 *     sparseLabel:  l = −log p[label]          (label: class indices)
 *     otherwise:    l = −Σ_k label_k · log p_k  (label: distributions)
 *
 * then `l · sampleWeight · weight` averaged over the non-batch axes (l keeps `axis` with length 1).
 * One fused op with the gradient `softmax − onehot`; stable for any logits (1e4 and −1e4 alike).
 *
 * Shapes: pred `(N, C)` (or any rank, classes along `axis`); sparse label `(N,)` or `(N, 1)` —
 * pred's shape without `axis` or with it of length 1 — holding integers in [0, C); output `(N,)`.
 * With the defaults this equals PyTorch's `CrossEntropyLoss(reduction='none')`.
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

  protected computeLoss(pred: NDArray, label: NDArray, sampleWeight: NDArray | undefined): NDArray {
    const owner = this.constructor.name;
    const axis = normalizeAxis(this.axis, pred.ndim, owner);
    if (!this.sparseLabel) this.checkSameSize(pred, label);
    const loss = softmaxCrossEntropy(owner, pred, label, axis, { sparse: this.sparseLabel, fromLogits: this.fromLogits });
    return this.weightedBatchMean(loss, sampleWeight);
  }
}

/** Gluon's alias of SoftmaxCrossEntropyLoss (the same class). */
export const SoftmaxCELoss = SoftmaxCrossEntropyLoss;

/** Options of `SigmoidBinaryCrossEntropyLoss`. */
export interface SigmoidBinaryCrossEntropyLossOptions extends LossOptions {
  /** pred holds probabilities (sigmoid outputs) rather than logits. Default false. */
  fromSigmoid?: boolean;
}

const SIGMOID_EPS = 1e-12;

/** From logits x: `max(x, 0) − x·y + log(1 + exp(−|x|))`, whose gradient is `sigmoid(x) − y`. */
const LOGISTIC: ElementwiseLossKernel = {
  name: 'SigmoidBinaryCrossEntropyLoss',
  value: (x, y) => Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x))),
  gradPred: (x, y) => sigmoid(x) - y,
  gradLabel: (x) => -x,
};

/** From probabilities p: `−(y·log(p + ε) + (1 − y)·log(1 − p + ε))`, ε = 1e-12 (Gluon's). */
const PROBABILITY: ElementwiseLossKernel = {
  name: 'SigmoidBinaryCrossEntropyLoss',
  value: (p, y) => -(y * Math.log(p + SIGMOID_EPS) + (1 - y) * Math.log(1 - p + SIGMOID_EPS)),
  gradPred: (p, y) => (1 - y) / (1 - p + SIGMOID_EPS) - y / (p + SIGMOID_EPS),
  gradLabel: (p) => Math.log(1 - p + SIGMOID_EPS) - Math.log(p + SIGMOID_EPS),
};

function sigmoid(x: number): number {
  // Split by sign so exp never overflows.
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/**
 * Binary cross-entropy, Gluon's `SigmoidBinaryCrossEntropyLoss`: per element, from logits x
 * (default) `l = −(y·log σ(x) + (1 − y)·log(1 − σ(x)))` computed in the stable form
 * `max(x, 0) − x·y + log(1 + exp(−|x|))` (gradient `σ(x) − y`, exact also at x = 0); with
 * `fromSigmoid`, from probabilities p: `−(y·log(p + 1e-12) + (1 − y)·log(1 − p + 1e-12))`.
 * Then the weighted mean over the non-batch axes.
 *
 * Shapes: pred any, label with as many elements (values in [0, 1]), output `(batchSize,)`.
 * With the defaults, PyTorch's `BCEWithLogitsLoss(reduction='none')` averaged over the non-batch axes.
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

  protected computeLoss(pred: NDArray, label: NDArray, sampleWeight: NDArray | undefined): NDArray {
    this.checkSameSize(pred, label);
    const loss = elementwiseLoss(this.fromSigmoid ? PROBABILITY : LOGISTIC, pred, label);
    return this.weightedBatchMean(loss, sampleWeight);
  }
}

/** Gluon's alias of SigmoidBinaryCrossEntropyLoss (the same class). */
export const SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss;
