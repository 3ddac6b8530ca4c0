/**
 * Margin and logistic losses for ±1 (or 0/1) labels, as Gluon's `HingeLoss`, `SquaredHingeLoss`
 * and `LogisticLoss` (MXNet 1.9's gluon/loss.py), and `TripletLoss` for embeddings. `label` is
 * read in pred's shape; the result is the mean over every axis but `batchAxis`.
 */
import type { Tensor } from '../../nn/block';
import type { HybridF } from '../../nn/hybrid_block';
import { describeValue } from '../../core/checks';
import { GluonError, formatShape } from '../../core/errors';
import { NDArray } from '../../ndarray/ndarray';
import { Symbol } from '../../symbol/symbol';
import { checkNumber } from '../checks';
import { Loss, LossOptions, LossRest, applyWeighting, sampleWeightOf } from './loss';

/** Options of the hinge losses. */
export interface HingeLossOptions extends LossOptions {
  /** The margin (any number). Default 1. */
  margin?: number;
}

/**
 * Gluon's `HingeLoss`: `L = mean(max(0, margin − pred·label) · sampleWeight) · weight` over the
 * non-batch axes, labels −1 or 1 (SVM). Shapes: pred any, label with as many elements, output
 * `(batchSize,)`.
 *
 * @example new gluon.loss.HingeLoss()(nd.array([[0.5, -2]]), nd.array([[1, 1]])).toArray(); // [1.75] = (0.5 + 3) / 2
 */
export class HingeLoss extends Loss {
  readonly margin: number;

  constructor(options: HingeLossOptions = {}) {
    super(options, ['margin']);
    this.margin = checkNumber(new.target.name, 'margin', options.margin ?? 1);
  }

  /** max(0, margin − pred·label), before weighting. */
  protected hinge(F: HybridF, pred: Tensor, label: Tensor): Tensor {
    return F.relu(F.subtract(this.margin, F.multiply(pred, F.reshapeLike(label, pred))));
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    return this.batchMean(F, applyWeighting(F, this.hinge(F, pred, label), this.weight, sampleWeightOf(rest)));
  }
}

/**
 * Gluon's `SquaredHingeLoss`: `L = mean(max(0, margin − pred·label)² · sampleWeight) · weight`.
 *
 * @example new gluon.loss.SquaredHingeLoss()(nd.array([[0.5, -2]]), nd.array([[1, 1]])).toArray(); // [4.625] = (0.25 + 9) / 2
 */
export class SquaredHingeLoss extends HingeLoss {
  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    return this.batchMean(F, applyWeighting(F, F.square(this.hinge(F, pred, label)), this.weight, sampleWeightOf(rest)));
  }
}

/** Options of LogisticLoss. */
export interface LogisticLossOptions extends LossOptions {
  /** 'signed' (labels −1/1, default) or 'binary' (labels 0/1). */
  labelFormat?: 'signed' | 'binary';
}

/**
 * Gluon's `LogisticLoss`: with z = (label + 1)/2 for signed labels (label for binary ones),
 * `L = mean((max(pred, 0) − pred·z + log(1 + exp(−|pred|))) · sampleWeight) · weight` — log(1 +
 * exp(−pred·label)) for signed labels, written in MXNet's overflow-free form.
 *
 * @example new gluon.loss.LogisticLoss()(nd.array([[0]]), nd.array([[1]])).toArray(); // [0.6931…] = log 2
 */
export class LogisticLoss extends Loss {
  readonly labelFormat: 'signed' | 'binary';

  constructor(options: LogisticLossOptions = {}) {
    super(options, ['labelFormat']);
    const { labelFormat = 'signed' } = options;
    if (labelFormat !== 'signed' && labelFormat !== 'binary') {
      throw new GluonError(`LogisticLoss: expected labelFormat 'signed' or 'binary', but got ${String(labelFormat)}`);
    }
    this.labelFormat = labelFormat;
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    const y = F.reshapeLike(label, pred);
    const z = this.labelFormat === 'signed' ? F.divide(F.add(y, 1), 2) : y;
    const loss = F.add(F.subtract(F.relu(pred), F.multiply(pred, z)), F.Activation(F.negative(F.abs(pred)), { actType: 'softrelu' }));
    return this.batchMean(F, applyWeighting(F, loss, this.weight, sampleWeightOf(rest)));
  }
}

/**
 * Gluon's `TripletLoss` on embeddings: called as `loss(pred, positive, negative)` (anchor,
 * positive and negative, each with pred's number of elements),
 * `L = max(0, Σ (positive − pred)² − Σ (negative − pred)² + margin) · weight`, the sums over every
 * axis but `batchAxis`. No sample weight, as Gluon's.
 *
 * @example new gluon.loss.TripletLoss()(nd.array([[0, 0]]), nd.array([[1, 0]]), nd.array([[0, 3]])).toArray(); // [0] = max(0, 1 − 9 + 1)
 */
export class TripletLoss extends Loss {
  readonly margin: number;

  constructor(options: HingeLossOptions = {}) {
    super(options, ['margin']);
    this.margin = checkNumber('TripletLoss', 'margin', options.margin ?? 1);
  }

  protected override checkInputs(inputs: readonly unknown[]): void {
    if (inputs.length !== 3) throw new GluonError(`TripletLoss: expected inputs (pred, positive, negative), but got ${inputs.length} inputs`);
    if (inputs.every((x) => x instanceof Symbol)) return;
    const [pred, ...others] = inputs;
    if (!(pred instanceof NDArray)) throw new GluonError(`TripletLoss: expected pred to be an NDArray, but got ${describeValue(pred)}`);
    others.forEach((x, i) => {
      const name = i === 0 ? 'positive' : 'negative';
      if (!(x instanceof NDArray) || x.size !== pred.size) {
        throw new GluonError(`TripletLoss: expected ${name} to be an NDArray with as many elements as pred (shape ${formatShape(pred.shape)}), but got ${x instanceof NDArray ? `shape ${formatShape(x.shape)}` : describeValue(x)}`);
      }
    });
  }

  override hybridForward(F: HybridF, pred: Tensor, positive: Tensor, ...rest: LossRest): Tensor {
    const negative = sampleWeightOf(rest) as Tensor;
    const distance = (other: Tensor) => F.sum(F.square(F.subtract(F.reshapeLike(other, pred), pred)), { axis: this.batchAxis, exclude: true });
    const loss = F.relu(F.add(F.subtract(distance(positive), distance(negative)), this.margin));
    return applyWeighting(F, loss, this.weight, undefined);
  }
}
