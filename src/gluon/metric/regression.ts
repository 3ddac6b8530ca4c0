/**
 * Regression errors: `MAE`, `MSE` and `RMSE`, as MXNet 1.9's: each (label, pred) pair adds its
 * mean error and counts 1, so `get()` is the mean over pairs of the per-pair error.
 */
import { broadcastMean } from './array_math';
import { EvalMetric, EvalMetricOptions, MetricInput, checkLabelShapes, checkMetricOptions } from './eval_metric';
import type { NDArray } from '../../ndarray/ndarray';

/**
 * The shared step: a 1-D label or prediction of length n is read as (n, 1), then the two are
 * broadcast as numpy does (so (n,) against (n, 1) compares element-wise, and (n,) against
 * (n, k) compares each label with k predictions); shapes that don't broadcast throw. An empty
 * pair's mean is NaN, which then stays in the sum until `reset`, as in MXNet.
 */
export abstract class PairwiseErrorMetric extends EvalMetric {
  protected constructor(who: string, defaultName: string, options: EvalMetricOptions | undefined) {
    const { name = defaultName } = checkMetricOptions(who, options, []);
    super(name, options, true);
  }

  /** The metric of one pair, from the mean of `error(label, pred)` over the broadcast pair. */
  protected abstract pairValue(meanOf: (error: (label: number, pred: number) => number) => number): number;

  update(labels: MetricInput, preds: MetricInput): void {
    const who = this.constructor.name;
    const [labelList, predList] = checkLabelShapes(who, labels, preds);
    const values = labelList.map((label, i) => {
      const pred = predList[i];
      const [l, lShape] = [label.toFloat32Array(), asColumn(label)];
      const [p, pShape] = [pred.toFloat32Array(), asColumn(pred)];
      return this.pairValue((error) => broadcastMean(who, l, lShape, p, pShape, error));
    });
    for (const value of values) this.accumulate(value, 1);
  }
}

function asColumn(x: NDArray): readonly number[] {
  return x.ndim === 1 ? [x.shape[0], 1] : x.shape;
}

/**
 * Mean absolute error, `Σ|yᵢ − ŷᵢ| / n` per (label, pred) pair, averaged over pairs. Default
 * name 'mae'.
 *
 * @example
 * const mae = new metric.MAE();
 * mae.update([nd.array([2.5, 0, 2, 8])], [nd.array([3, -0.5, 2, 7])]);
 * mae.get(); // ['mae', 0.5]
 */
export class MAE extends PairwiseErrorMetric {
  constructor(options?: EvalMetricOptions) {
    super('MAE', 'mae', options);
  }

  protected pairValue(meanOf: (error: (label: number, pred: number) => number) => number): number {
    return meanOf((y, p) => Math.abs(y - p));
  }
}

/**
 * Mean squared error, `Σ(yᵢ − ŷᵢ)² / n` per (label, pred) pair, averaged over pairs. Default
 * name 'mse'.
 *
 * @example
 * const mse = new metric.MSE();
 * mse.update([nd.array([2.5, 0, 2, 8])], [nd.array([3, -0.5, 2, 7])]);
 * mse.get(); // ['mse', 0.375]
 */
export class MSE extends PairwiseErrorMetric {
  constructor(options?: EvalMetricOptions) {
    super('MSE', 'mse', options);
  }

  protected pairValue(meanOf: (error: (label: number, pred: number) => number) => number): number {
    return meanOf((y, p) => (y - p) * (y - p));
  }
}

/**
 * Root mean squared error, `√(Σ(yᵢ − ŷᵢ)² / n)` per (label, pred) pair, averaged over pairs —
 * as MXNet, the mean of each batch's RMSE, not the RMSE of all samples. Default name 'rmse'.
 *
 * @example
 * const rmse = new metric.RMSE();
 * rmse.update([nd.array([2.5, 0, 2, 8])], [nd.array([3, -0.5, 2, 7])]);
 * rmse.get(); // ['rmse', 0.6123724356957945]
 */
export class RMSE extends PairwiseErrorMetric {
  constructor(options?: EvalMetricOptions) {
    super('RMSE', 'rmse', options);
  }

  protected pairValue(meanOf: (error: (label: number, pred: number) => number) => number): number {
    return Math.sqrt(meanOf((y, p) => (y - p) * (y - p)));
  }
}
