/**
 * Regression losses: L1Loss, L2Loss and HuberLoss, as Gluon's. `label` may have any shape with
 * pred's number of elements; the result is the mean over every axis but `batchAxis`.
 */
import { NDArray } from '../../ndarray/ndarray';
import { checkNumber } from '../checks';
import { ElementwiseLossKernel, elementwiseLoss } from './elementwise_loss';
import { Loss, LossOptions } from './loss';

const ABSOLUTE_ERROR: ElementwiseLossKernel = {
  name: 'L1Loss',
  value: (p, y) => Math.abs(y - p),
  gradPred: (p, y) => Math.sign(p - y),
  gradLabel: (p, y) => Math.sign(y - p),
};

const SQUARED_ERROR: ElementwiseLossKernel = {
  name: 'L2Loss',
  value: (p, y) => (y - p) * (y - p),
  gradPred: (p, y) => 2 * (p - y),
  gradLabel: (p, y) => 2 * (y - p),
};

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

  protected computeLoss(pred: NDArray, label: NDArray, sampleWeight: NDArray | undefined): NDArray {
    this.checkSameSize(pred, label);
    return this.weightedBatchMean(elementwiseLoss(ABSOLUTE_ERROR, pred, label), sampleWeight);
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

  protected computeLoss(pred: NDArray, label: NDArray, sampleWeight: NDArray | undefined): NDArray {
    this.checkSameSize(pred, label);
    return this.weightedBatchMean(elementwiseLoss(SQUARED_ERROR, pred, label), sampleWeight, (this.weight ?? 1) / 2);
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
 * @example
 * const huber = new gluon.loss.HuberLoss({ rho: 1 });
 * huber(nd.array([[0.5, 3]]), nd.array([[0, 0]])).toArray(); // [(0.125 + 2.5) / 2]
 */
export class HuberLoss extends Loss {
  readonly rho: number;
  private readonly kernel: ElementwiseLossKernel;

  constructor(options: HuberLossOptions = {}) {
    super(options, ['rho']);
    const { rho: givenRho = 1 } = options;
    const rho = checkNumber('HuberLoss', 'rho', givenRho, { min: 0, minOpen: true });
    this.rho = rho;
    const gradPred = (p: number, y: number): number => (Math.abs(y - p) > rho ? Math.sign(p - y) : (p - y) / rho);
    this.kernel = {
      name: 'HuberLoss',
      value: (p, y) => {
        const d = Math.abs(y - p);
        return d > rho ? d - 0.5 * rho : (0.5 / rho) * d * d;
      },
      gradPred,
      gradLabel: (p, y) => -gradPred(p, y),
    };
  }

  protected computeLoss(pred: NDArray, label: NDArray, sampleWeight: NDArray | undefined): NDArray {
    this.checkSameSize(pred, label);
    return this.weightedBatchMean(elementwiseLoss(this.kernel, pred, label), sampleWeight);
  }
}
