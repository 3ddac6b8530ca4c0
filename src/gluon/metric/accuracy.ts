/**
 * Classification accuracy: `Accuracy` and `TopKAccuracy`, as MXNet 1.9's.
 */
import { GluonError } from '../../core/errors';
import { checkIntAtLeast, describeValue } from '../../core/checks';
import { argmaxAxis, toInt32, toInt32Array } from './array_math';
import { EvalMetric, EvalMetricOptions, MetricConfig, MetricInput, checkClassScores, checkLabelShapes, checkMetricOptions } from './eval_metric';

export interface AccuracyOptions extends EvalMetricOptions {
  /** The axis of the classes in a prediction of scores. Default 1. */
  axis?: number;
}

/**
 * The fraction of correct predictions: `accuracy = (1/n) Σ 1(ŷᵢ = yᵢ)` over every label seen.
 *
 * A prediction of the label's shape holds class indices (cast to int32, toward zero, as
 * labels are); any other shape holds scores, and the class is their argmax along `axis` (the
 * first maximum on ties). Labels and predicted classes are then compared flattened, so labels
 * may come as `(n,)`, `(n, 1)` or `(2, n/2)`. Default name 'accuracy', axis 1.
 *
 * @example
 * const acc = new metric.Accuracy();
 * acc.update([nd.array([0, 1, 1])], [nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]])]);
 * acc.get(); // ['accuracy', 0.6666666666666666]
 */
export class Accuracy extends EvalMetric {
  readonly axis: number;

  constructor(options?: AccuracyOptions) {
    const { name = 'accuracy', axis = 1 } = checkMetricOptions('Accuracy', options, ['axis']);
    super(name, options, true);
    this.axis = checkIntAtLeast('Accuracy', 'axis', axis, -Infinity);
  }

  update(labels: MetricInput, preds: MetricInput): void {
    const [labelList, predList] = checkLabelShapes('Accuracy', labels, preds);
    const counts = labelList.map((label, i) => {
      const pred = predList[i];
      const sameShape = label.shape.length === pred.shape.length && label.shape.every((d, k) => d === pred.shape[k]);
      const predicted = sameShape ? toInt32Array(pred.toFloat32Array()) : argmaxAxis('Accuracy', pred.toFloat32Array(), pred.shape, this.axis);
      const truth = toInt32Array(label.toFloat32Array());
      if (predicted.length !== truth.length) {
        throw new GluonError(
          `Accuracy: expected one predicted class per label, but got ${predicted.length} predicted classes ` +
            `(${sameShape ? '' : `the argmax along axis ${this.axis} of `}${describeValue(pred)}) for ${truth.length} labels (${describeValue(label)})`,
        );
      }
      let correct = 0;
      for (let k = 0; k < truth.length; k++) if (predicted[k] === truth[k]) correct++;
      return [correct, truth.length];
    });
    for (const [correct, n] of counts) this.accumulate(correct, n);
  }

  protected override configArgs(): Record<string, unknown> {
    return { axis: this.axis };
  }
}

export interface TopKAccuracyOptions extends EvalMetricOptions {
  /** How many of the highest-scored classes count as a hit; more than 1 (1 is Accuracy). */
  topK?: number;
}

/**
 * The fraction of samples whose label is among the `topK` highest-scored classes. Predictions
 * are `(batch, classes)` scores with one label per row; with `topK` ≥ the number of classes
 * every in-range label is a hit. Ties at the k-th score go to the lower class index (numpy's
 * `argpartition`, which MXNet uses, leaves them unspecified); NaN ranks highest, as numpy sorts.
 *
 * `topK` must exceed 1, as MXNet asserts ("use Accuracy"): so, as there, the default 1 fails —
 * give `topK`. The name is `'top_k_accuracy_<topK>'`.
 *
 * MXNet also takes a 1-D prediction, comparing argpartition's indices with the labels
 * element-wise, which measures nothing; tsgluon refuses it.
 *
 * @example
 * const top2 = new metric.TopKAccuracy({ topK: 2 });
 * top2.update(nd.array([2, 0]), nd.array([[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]]));
 * top2.get(); // ['top_k_accuracy_2', 0.5]
 */
export class TopKAccuracy extends EvalMetric {
  readonly topK: number;
  private readonly givenName: string;

  constructor(options?: TopKAccuracyOptions) {
    const { name = 'top_k_accuracy', topK = 1 } = checkMetricOptions('TopKAccuracy', options, ['topK']);
    super(name, options, true);
    this.topK = checkIntAtLeast('TopKAccuracy', 'topK', topK, -Infinity);
    if (this.topK <= 1) {
      throw new GluonError(`TopKAccuracy: expected topK to be an integer > 1 (use Accuracy for the top 1), but got ${describeValue(topK)}`);
    }
    this.givenName = name;
    this.name = `${name}_${this.topK}`;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    const [labelList, predList] = checkLabelShapes('TopKAccuracy', labels, preds);
    const counts = labelList.map((label, i) => {
      const pred = predList[i];
      checkClassScores('TopKAccuracy', label, pred);
      const [rows, classes] = pred.shape;
      const scores = pred.toFloat32Array();
      const truth = label.toFloat32Array();
      const k = Math.min(this.topK, classes);
      let hits = 0;
      for (let r = 0; r < rows; r++) {
        if (rankOf(scores, r * classes, classes, toInt32(truth[r])) < k) hits++;
      }
      return [hits, rows];
    });
    for (const [hits, n] of counts) this.accumulate(hits, n);
  }

  override getConfig(): MetricConfig {
    return { ...super.getConfig(), name: this.givenName };
  }

  protected override configArgs(): Record<string, unknown> {
    return { topK: this.topK };
  }
}

/**
 * The rank (0 = highest) of class `label` among `classes` scores from `offset`: how many score
 * higher, or as high at a lower index. NaN is the highest score. Infinity for a label out of range.
 */
function rankOf(scores: Float32Array, offset: number, classes: number, label: number): number {
  if (label < 0 || label >= classes) return Infinity;
  const mine = scores[offset + label];
  let rank = 0;
  for (let c = 0; c < classes; c++) {
    if (c === label) continue;
    const other = scores[offset + c];
    if (Number.isNaN(mine)) {
      if (Number.isNaN(other) && c < label) rank++;
    } else if (Number.isNaN(other) || other > mine || (other === mine && c < label)) {
      rank++;
    }
  }
  return rank;
}
