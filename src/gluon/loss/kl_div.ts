/**
 * The Kullback-Leibler divergence loss, as Gluon's `KLDivLoss`.
 */
import { NDArray } from '../../ndarray/ndarray';
import { logSoftmax } from '../../ndarray/ops';
import { normalizeAxis } from '../../core/shape';
import { checkBoolean, checkNumber } from '../checks';
import { ElementwiseLossKernel, elementwiseLoss } from './elementwise_loss';
import { Loss, LossOptions } from './loss';

/** Options of `KLDivLoss`. */
export interface KLDivLossOptions extends LossOptions {
  /** pred already holds log-probabilities. Default true (Gluon's). */
  fromLogits?: boolean;
  /** The axis of the log-softmax applied when `fromLogits` is false. Default -1. */
  axis?: number;
}

const KL_EPS = 1e-12;

/** `y·(log(y + ε) − logp)`, ε = 1e-12 (Gluon's), so a zero label contributes 0. */
const KL_DIVERGENCE: ElementwiseLossKernel = {
  name: 'KLDivLoss',
  value: (logp, y) => y * (Math.log(y + KL_EPS) - logp),
  gradPred: (_, y) => -y,
  gradLabel: (logp, y) => Math.log(y + KL_EPS) - logp + y / (y + KL_EPS),
};

/**
 * The KL divergence of pred from label, Gluon's `KLDivLoss`: per element
 * `l = label · (log(label + 1e-12) − logp)` with `logp = pred` (fromLogits, the default) or
 * `logSoftmax(pred, axis)`; then the weighted **mean** over the non-batch axes (Gluon's scaling: a
 * `(N, C)` input gives KL/C per sample, not KL).
 *
 * Shapes: pred any, label with as many elements (probabilities), output `(batchSize,)`.
 * PyTorch's `KLDivLoss(reduction='none')(logp, label)` summed over the classes is C times this.
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

  protected computeLoss(pred: NDArray, label: NDArray, sampleWeight: NDArray | undefined): NDArray {
    this.checkSameSize(pred, label);
    const logp = this.fromLogits ? pred : logSoftmax(pred, normalizeAxis(this.axis, pred.ndim, this.constructor.name));
    return this.weightedBatchMean(elementwiseLoss(KL_DIVERGENCE, logp, label), sampleWeight);
  }
}
