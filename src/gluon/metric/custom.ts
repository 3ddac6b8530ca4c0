/**
 * Metrics of values computed elsewhere: `Loss` (the mean of a loss output) and `CustomMetric`
 * (a function of each label and prediction), as MXNet 1.9's.
 */
import { GluonError } from '../../core/errors';
import { checkFlag, checkFunction, describeValue } from '../../core/checks';
import type { NDArray } from '../../ndarray/ndarray';
import { sum64 } from './array_math';
import { EvalMetric, EvalMetricOptions, MetricInput, checkLabelShapes, checkMetricOptions, toArrayList } from './eval_metric';

/**
 * The mean of loss values, `Σ loss / (number of values)` over every value seen: `update` ignores
 * its labels (pass anything, e.g. `null` or `[]`) and sums each prediction array. Default name
 * 'loss'.
 *
 * @example
 * const lossMetric = new metric.Loss();
 * lossMetric.update(null, lossFn(net(x), y));   // one loss value per sample
 * lossMetric.get();                             // ['loss', mean loss so far]
 */
export class Loss extends EvalMetric {
  constructor(options?: EvalMetricOptions) {
    const { name = 'loss' } = checkMetricOptions('Loss', options, []);
    super(name, options, true);
  }

  update(_labels: MetricInput | null | undefined, preds: MetricInput): void {
    const list = toArrayList('Loss', 'the loss values (predictions)', preds);
    const sums = list.map((pred) => sum64(pred.toFloat32Array()));
    sums.forEach((sum, i) => this.accumulate(sum, list[i].size));
  }
}

/** What a custom metric's function returns for one (label, pred) pair: a value, or `[sum, count]`. */
export type CustomMetricValue = number | readonly [sum: number, count: number];

/** A custom metric's function of one label array and one prediction array. */
export type MetricFunction = (label: NDArray, pred: NDArray) => CustomMetricValue;

export interface CustomMetricOptions extends EvalMetricOptions {
  /** Allow more predictions than labels (an RNN's extra state outputs); the extras are skipped. Default false. */
  allowExtraOutputs?: boolean;
}

/**
 * A metric of your function `feval(label, pred)`, called on each (label, pred) pair with the
 * NDArrays (MXNet passes numpy arrays; read values with `toFloat32Array()` or `toArray()`). A
 * number adds to the sum and counts 1; `[sum, count]` adds both. `get()` is sum / count.
 *
 * The name defaults to the function's name, or `'custom(<lambda>)'` for an anonymous function
 * (MXNet's text for a lambda). Without `allowExtraOutputs`, as many predictions as labels are
 * required; with it, pairs are taken up to the shorter list. `getConfig()` throws: a function
 * can't be serialized (as in MXNet).
 *
 * @example
 * const maxErr = new metric.CustomMetric(function maxError(label, pred) {
 *   const l = label.toFloat32Array(), p = pred.toFloat32Array();
 *   return Math.max(...l.map((v, i) => Math.abs(v - p[i])));
 * });
 * maxErr.update([nd.array([1, 2])], [nd.array([1.5, 2])]);
 * maxErr.get(); // ['maxError', 0.5]
 */
export class CustomMetric extends EvalMetric {
  readonly feval: MetricFunction;
  readonly allowExtraOutputs: boolean;

  constructor(feval: MetricFunction, options?: CustomMetricOptions) {
    const checked = checkMetricOptions('CustomMetric', options, ['allowExtraOutputs']);
    checkFunction('CustomMetric', 'feval', feval);
    const { name = feval.name === '' ? 'custom(<lambda>)' : feval.name, allowExtraOutputs = false } = checked;
    super(name, options, true);
    this.feval = feval;
    this.allowExtraOutputs = checkFlag('CustomMetric', 'allowExtraOutputs', allowExtraOutputs);
  }

  update(labels: MetricInput, preds: MetricInput): void {
    const [labelList, predList] = this.allowExtraOutputs
      ? [toArrayList('CustomMetric', 'labels', labels), toArrayList('CustomMetric', 'predictions', preds)]
      : checkLabelShapes('CustomMetric', labels, preds);
    const pairs = Math.min(labelList.length, predList.length);
    const values: Array<[number, number]> = [];
    for (let i = 0; i < pairs; i++) values.push(this.evaluate(labelList[i], predList[i]));
    for (const [sum, count] of values) this.accumulate(sum, count);
  }

  override getConfig(): never {
    throw new GluonError(`CustomMetric '${this.name}': expected a metric that can be serialized, but got a custom function (CustomMetric cannot be serialized)`);
  }

  private evaluate(label: NDArray, pred: NDArray): [number, number] {
    const value: unknown = this.feval(label, pred);
    if (typeof value === 'number') return [value, 1];
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) return [value[0], value[1]];
    throw new GluonError(`CustomMetric '${this.name}': expected feval to return a number or [sum, count], but got ${describeValue(value)}`);
  }
}
