/**
 * The Kullback-Leibler divergence loss, as Gluon's `KLDivLoss`.
 */
import { normalizeAxis } from '../../core/shape';
import type { NDArray } from '../../ndarray/ndarray';
import type { Tensor } from '../../nn/block';
import type { HybridF } from '../../nn/hybrid_block';
import { checkBoolean, checkNumber } from '../checks';
import { Loss, LossOptions, LossRest, applyWeighting, sampleWeightOf } from './loss';

/** Options of `KLDivLoss`. */
export interface KLDivLossOptions extends LossOptions {
  /** pred already holds log-probabilities. Default true (Gluon's). */
  fromLogits?: boolean;
  /** The axis of the log-softmax applied when `fromLogits` is false. Default -1. */
  axis?: number;
}

/** Gluon's ε: a zero label contributes 0·log(1e-12) = 0. */
const KL_EPS = 1e-12;

/**
 * The KL divergence of pred from label, Gluon's `KLDivLoss`: per element
 * `l = label · (log(label + 1e-12) − logp)` with `logp = pred` (fromLogits, the default) or
 * `logSoftmax(pred, axis)`; then the weighted **mean** over the non-batch axes (Gluon ≤ 1.8's
 * scaling, kept by tsgluon: a `(N, C)` input gives KL/C per sample, not KL; MXNet 1.9.1's
 * Gluon sums instead).
 *
 * Shapes: pred any, label with as many elements (probabilities, read in pred's shape), output
 * `(batchSize,)`. PyTorch's `KLDivLoss(reduction='none')(logp, label)` summed over the classes
 * is C times this.
 *
 * @example
 * const kl = new gluon.loss.KLDivLoss({ fromLogits: false });
 * kl(nd.array([[0, 0]]), nd.array([[0.5, 0.5]])).toArray(); // [0]
 */
export class KLDivLoss extends Loss {
  readonly fromLogits: boolean;
  readonly axis: number;

  constructor(options: KLDivLossOptions = {}) {
    super(options, ['fromLogits', 'axis']);
    const { fromLogits = true, axis = -1 } = options;
    this.fromLogits = checkBoolean('KLDivLoss', 'fromLogits', fromLogits);
    this.axis = checkNumber('KLDivLoss', 'axis', axis, { integer: true });
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    const logp = this.fromLogits ? pred : F.logSoftmax(pred, { axis: this.axis });
    const y = F.reshapeLike(label, pred);
    const loss = F.multiply(y, F.subtract(F.log(F.add(y, KL_EPS)), logp));
    return this.batchMean(F, applyWeighting(F, loss, this.weight, sampleWeightOf(rest)));
  }

  protected override checkLabel(pred: NDArray, label: NDArray): void {
    this.checkSameSize(pred, label);
    if (!this.fromLogits) normalizeAxis(this.axis, pred.ndim, this.constructor.name);
  }
}
