/**
 * Gluon's `SDMLLoss` (MXNet 1.9's gluon/loss.py): Smoothed Deep Metric Learning for batches of
 * paired embeddings.
 */
import { describeValue } from '../../core/checks';
import { GluonError, formatShape } from '../../core/errors';
import { NDArray } from '../../ndarray/ndarray';
import type { Tensor } from '../../nn/block';
import type { HybridF } from '../../nn/hybrid_block';
import { Symbol } from '../../symbol/symbol';
import { checkNumber } from '../checks';
import { Loss, LossOptions, LossRest, applyWeighting } from './loss';

/** Options of SDMLLoss. */
export interface SDMLLossOptions extends LossOptions {
  /** The probability mass moved from each row's own pair to the other N − 1, in [0, 1). Default 0.3. */
  smoothingParameter?: number;
}

/** Gluon's KL ε: `label · log(label + 1e-12)`. */
const KL_EPS = 1e-12;

/**
 * Called as `loss(x1, x2)` with two (N, D) batches whose rows pair up (row i of x1 with row i of
 * x2) and N ≥ 2. With squared distances d_ij = |x1_i − x2_j|², log-probabilities
 * p = logSoftmax(−d, axis 1), and smoothed labels y_ii = 1 − s, y_ij = s / (N − 1) (i ≠ j):
 *
 *     L_i = Σ_j y_ij · (log(y_ij + 1e-12) − p_ij)        (the KL divergence of row i, shape (N,))
 *
 * which is MXNet's `KLDivLoss(from_logits)(p, y) · N`, computed per row without the N × N label
 * matrix (the y terms take two values). tsgluon multiplies by `weight` when one is given; MXNet's
 * SDMLLoss accepts a weight and ignores it.
 *
 * @example new gluon.loss.SDMLLoss()(nd.array([[0, 0], [1, 1]]), nd.array([[0, 0], [1, 1]])); // (2,)
 */
export class SDMLLoss extends Loss {
  readonly smoothingParameter: number;

  constructor(options: SDMLLossOptions = {}) {
    super(options, ['smoothingParameter']);
    this.smoothingParameter = checkNumber('SDMLLoss', 'smoothingParameter', options.smoothingParameter ?? 0.3, { min: 0, max: 1, maxOpen: true });
  }

  protected override checkInputs(inputs: readonly unknown[]): void {
    const who = 'SDMLLoss';
    if (inputs.length !== 2) throw new GluonError(`${who}: expected inputs (x1, x2), but got ${inputs.length} inputs`);
    if (inputs.every((x) => x instanceof Symbol)) return;
    inputs.forEach((x, i) => {
      if (!(x instanceof NDArray)) throw new GluonError(`${who}: expected x${i + 1} to be an NDArray, but got ${describeValue(x)}`);
    });
    const [a, b] = inputs as NDArray[];
    if (a.ndim !== 2 || a.shape[0] < 2) throw new GluonError(`${who}: expected x1 of shape (N, D) with N ≥ 2, but got shape ${formatShape(a.shape)}`);
    if (b.ndim !== 2 || b.shape[0] !== a.shape[0] || b.shape[1] !== a.shape[1]) throw new GluonError(`${who}: expected x2 of x1's shape ${formatShape(a.shape)}, but got shape ${formatShape(b.shape)}`);
  }

  override hybridForward(F: HybridF, x1: Tensor, x2: Tensor, ..._rest: LossRest): Tensor {
    const s = this.smoothingParameter;
    const distances = F.sum(F.square(F.broadcastSub(F.expandDims(x1, { axis: 1 }), F.expandDims(x2, { axis: 0 }))), { axis: 2 });
    const logp = F.logSoftmax(F.negative(distances), { axis: 1 });
    const own = F.diag(logp);
    const others = F.subtract(F.sum(logp, { axis: 1 }), own);
    // N comes from the graph (a row of ones summed), so a hybridized loss takes any batch size.
    const rows = F.sum(F.onesLike(logp), { axis: 1 });
    const offDiagonal = F.divide(s, F.subtract(rows, 1)); // y_ij, j ≠ i
    const labelEntropy = F.add(F.multiply(F.subtract(rows, 1), F.multiply(offDiagonal, F.log(F.add(offDiagonal, KL_EPS)))), (1 - s) * Math.log(1 - s + KL_EPS));
    const loss = F.subtract(labelEntropy, F.add(F.multiply(own, 1 - s), F.multiply(others, offDiagonal)));
    return applyWeighting(F, loss, this.weight, undefined);
  }
}
