/**
 * Regression losses: L1Loss, L2Loss and HuberLoss, as Gluon's. `label` may have any shape with
 * pred's number of elements (it is read in pred's shape); the result is the mean over every axis
 * but `batchAxis`.
 */
import type { Tensor } from '../../nn/block';
import type { HybridF } from '../../nn/hybrid_block';
import { checkNumber } from '../checks';
import { Loss, LossOptions, LossRest, applyWeighting, sampleWeightOf } from './loss';

/**
 * The mean absolute error, Gluon's `L1Loss`: `L = mean(|label − pred| · sampleWeight) · weight`
 * over the non-batch axes. The gradient at label = pred is 0.
 *
 * Shapes: pred any, label with as many elements, output `(batchSize,)`. Defaults: no weight,
 * batchAxis 0.
 *
 * @example
 * const l1 = new gluon.loss.L1Loss();
 * l1(nd.array([[1, 2], [3, 4]]), nd.array([[1, 0], [0, 0]])).toArray(); // [1, 3.5]
 */
export class L1Loss extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, []);
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    const loss = F.abs(F.subtract(F.reshapeLike(label, pred), pred));
    return this.batchMean(F, applyWeighting(F, loss, this.weight, sampleWeightOf(rest)));
  }
}

/**
 * Half the mean squared error, Gluon's `L2Loss`:
 * `L = mean((label − pred)² · sampleWeight) · weight / 2` over the non-batch axes.
 * Default weight 1 — so this is ½·MSE: PyTorch's `MSELoss()` (mean over every element) equals
 * `2 · mean(L2Loss(pred, label))`.
 *
 * Shapes: pred any, label with as many elements, output `(batchSize,)`.
 *
 * @example
 * const l2 = new gluon.loss.L2Loss();
 * l2(nd.array([[1, 2]]), nd.array([[0, 0]])).toArray(); // [1.25] = (1 + 4) / 2 / 2
 */
export class L2Loss extends Loss {
  constructor(options: LossOptions = {}) {
    super(options, [], 1);
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    const loss = F.square(F.subtract(F.reshapeLike(label, pred), pred));
    return this.batchMean(F, applyWeighting(F, loss, (this.weight ?? 1) / 2, sampleWeightOf(rest)));
  }
}

/** Options of `HuberLoss`. */
export interface HuberLossOptions extends LossOptions {
  /** The threshold between the quadratic and the linear part (> 0). Default 1. */
  rho?: number;
}

/**
 * The smoothed L1 loss, Gluon's `HuberLoss`: with d = |label − pred|,
 * `l = d − rho/2` if d > rho, else `d² / (2·rho)`; then the weighted mean over the non-batch axes.
 * Its gradient is continuous: `clip((pred − label) / rho, −1, 1)`.
 *
 * Computed as `m·(d − m/2)/rho` with `m = min(d, rho)`, which is both branches at once (Gluon
 * selects between them with `where`), so the first and second derivatives follow from the
 * operators: 1/rho inside the quadratic part, 0 outside.
 *
 * @example
 * const huber = new gluon.loss.HuberLoss({ rho: 1 });
 * huber(nd.array([[0.5, 3]]), nd.array([[0, 0]])).toArray(); // [(0.125 + 2.5) / 2]
 */
export class HuberLoss extends Loss {
  readonly rho: number;

  constructor(options: HuberLossOptions = {}) {
    super(options, ['rho']);
    const { rho = 1 } = options;
    this.rho = checkNumber('HuberLoss', 'rho', rho, { min: 0, minOpen: true });
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    const d = F.abs(F.subtract(F.reshapeLike(label, pred), pred));
    const m = F.minimum(d, this.rho);
    const loss = F.divide(F.multiply(m, F.subtract(d, F.multiply(m, 0.5))), this.rho);
    return this.batchMean(F, applyWeighting(F, loss, this.weight, sampleWeightOf(rest)));
  }
}
