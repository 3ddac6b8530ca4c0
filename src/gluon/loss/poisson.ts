/**
 * Gluon's `PoissonNLLLoss` (MXNet 1.9's gluon/loss.py): the negative log-likelihood of `target`
 * counts under a Poisson distribution whose rate is `pred` (or exp(pred), from logits).
 */
import type { Tensor } from '../../nn/block';
import type { HybridF } from '../../nn/hybrid_block';
import { checkBoolean, checkNumber } from '../checks';
import { Loss, LossOptions, LossRest, applyWeighting, sampleWeightOf } from './loss';

/** Options of PoissonNLLLoss. */
export interface PoissonNLLLossOptions extends LossOptions {
  /** pred is the log of the rate (true, default) or the rate itself. */
  fromLogits?: boolean;
  /** Add Stirling's approximation of log(target!) (for target > 1), making the loss the full NLL. Default false. */
  computeFull?: boolean;
  /** Keeps log(pred + epsilon) finite when pred is a rate. Default 1e-8 (MXNet's forward argument). */
  epsilon?: number;
}

/**
 * `L = exp(pred) − target·pred` (fromLogits) or `pred − target·log(pred + ε)`, plus, with
 * computeFull, `target·log(target) − target + ½·log(2π·target)` where target > 1; weighted, then
 * averaged over **every** element, as MXNet's (which returns `F.mean(loss)`, not a per-sample
 * loss like the other losses). Improved on MXNet: its Stirling term is multiplied by (target > 1),
 * which leaves NaN (0·log 0) wherever a target is 0; here the term is selected, so zero counts
 * give finite losses.
 *
 * @example new gluon.loss.PoissonNLLLoss()(nd.array([[0, 1]]), nd.array([[1, 2]])).toArray(); // [(1 + e − 2) / 2]
 */
export class PoissonNLLLoss extends Loss {
  readonly fromLogits: boolean;
  readonly computeFull: boolean;
  readonly epsilon: number;

  constructor(options: PoissonNLLLossOptions = {}) {
    super(options, ['fromLogits', 'computeFull', 'epsilon']);
    const { fromLogits = true, computeFull = false, epsilon = 1e-8 } = options;
    this.fromLogits = checkBoolean('PoissonNLLLoss', 'fromLogits', fromLogits);
    this.computeFull = checkBoolean('PoissonNLLLoss', 'computeFull', computeFull);
    this.epsilon = checkNumber('PoissonNLLLoss', 'epsilon', epsilon, { min: 0 });
  }

  override hybridForward(F: HybridF, pred: Tensor, target: Tensor, ...rest: LossRest): Tensor {
    const t = F.reshapeLike(target, pred);
    let loss = this.fromLogits
      ? F.subtract(F.exp(pred), F.multiply(t, pred))
      : F.subtract(pred, F.multiply(t, F.log(F.add(pred, this.epsilon))));
    if (this.computeFull) {
      // Stirling: log(t!) ≈ t·log t − t + ½·log(2πt), applied only where t > 1 (0 for t ≤ 1, where MXNet multiplies by t > 1).
      const stirling = F.add(F.subtract(F.multiply(t, F.log(t)), t), F.multiply(F.log(F.multiply(t, 2 * Math.PI)), 0.5));
      loss = F.add(loss, F.where(F.greater(t, 1), stirling, F.zerosLike(t)));
    }
    return F.mean(applyWeighting(F, loss, this.weight, sampleWeightOf(rest)));
  }
}
