/**
 * Binary classification scores from the confusion counts: `F1` and `MCC`, as MXNet 1.9's
 * (`_BinaryClassificationMetrics`), with its 'macro' and 'micro' averaging over batches.
 */
import { GluonError } from '../../core/errors';
import { checkChoice } from '../../core/checks';
import { argmaxAxis, toInt32Array } from './array_math';
import { EvalMetric, EvalMetricOptions, MetricInput, checkClassScores, checkLabelShapes, checkMetricOptions } from './eval_metric';
import type { NDArray } from '../../ndarray/ndarray';

/** How scores of several batches combine. */
export type MetricAverage = 'macro' | 'micro';

export interface BinaryMetricOptions extends EvalMetricOptions {
  /** 'macro' (default): the mean of each update's score; 'micro': one score over every sample. */
  average?: MetricAverage;
}

/** True/false positive/negative counts: enough for precision, recall, F1 and MCC. */
export interface BinaryCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

const zeroCounts = (): BinaryCounts => ({ tp: 0, fp: 0, fn: 0, tn: 0 });

/**
 * The counts of one (label, pred) pair: the predicted class is the argmax of each row of the
 * `(batch, 2)` scores, and class 1 is the positive one. More than two distinct label values is
 * an error (only binary classification is supported, as in MXNet).
 */
function binaryCounts(who: string, label: NDArray, pred: NDArray): BinaryCounts {
  checkClassScores(who, label, pred);
  const predicted = argmaxAxis(who, pred.toFloat32Array(), pred.shape, 1);
  const truth = toInt32Array(label.toFloat32Array());
  const distinct = [...new Set(truth)];
  if (distinct.length > 2) {
    throw new GluonError(
      `${who}: expected binary labels (${who} only supports binary classification), but got ${distinct.length} distinct values ` +
        `(${distinct.sort((a, b) => a - b).slice(0, 8).join(', ')}${distinct.length > 8 ? ', …' : ''})`,
    );
  }
  const counts = zeroCounts();
  for (let i = 0; i < truth.length; i++) {
    const p = predicted[i] === 1;
    const t = truth[i] === 1;
    if (p && t) counts.tp++;
    else if (p) counts.fp++;
    else if (t) counts.fn++;
    else counts.tn++;
  }
  return counts;
}

const total = (c: BinaryCounts): number => c.tp + c.fp + c.fn + c.tn;

/** 2·P·R / (P + R), with precision and recall 0 when undefined (and F1 0 when both are 0). */
function fScore({ tp, fp, fn }: BinaryCounts): number {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

/** (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN)), 0-factors replaced by 1; 0 with no samples. */
function matthewsCC(counts: BinaryCounts): number {
  const { tp, fp, fn, tn } = counts;
  if (total(counts) === 0) return 0;
  let denominator = 1;
  for (const term of [tp + fp, tp + fn, tn + fp, tn + fn]) if (term !== 0) denominator *= term;
  return (tp * tn - fp * fn) / Math.sqrt(denominator);
}

/**
 * The shared machinery of F1 and MCC. 'macro': each `update` adds the score of that update's
 * samples (all its pairs together) and counts 1. 'micro': counts accumulate, and the value is
 * the score of all samples since `reset` (weighted by their number, so `get()` is that score).
 */
export abstract class BinaryClassificationMetric extends EvalMetric {
  readonly average: MetricAverage;
  private local: BinaryCounts = zeroCounts();
  private global: BinaryCounts = zeroCounts();

  protected constructor(who: string, defaultName: string, options: BinaryMetricOptions | undefined) {
    const { name = defaultName, average = 'macro' } = checkMetricOptions(who, options, ['average']);
    super(name, options, true);
    this.average = checkChoice(who, 'average', average, ['macro', 'micro'] as const);
  }

  /** The score of some confusion counts. */
  protected abstract score(counts: BinaryCounts): number;

  update(labels: MetricInput, preds: MetricInput): void {
    const who = this.constructor.name;
    const [labelList, predList] = checkLabelShapes(who, labels, preds);
    const batches = labelList.map((label, i) => binaryCounts(who, label, predList[i]));
    for (const counts of batches) {
      for (const key of ['tp', 'fp', 'fn', 'tn'] as const) {
        this.local[key] += counts[key];
        this.global[key] += counts[key];
      }
    }
    if (this.average === 'macro') {
      this.sumMetric += this.score(this.local);
      this.globalSumMetric += this.score(this.global);
      this.numInst += 1;
      this.globalNumInst += 1;
      this.local = zeroCounts();
      this.global = zeroCounts();
    } else {
      this.sumMetric = this.score(this.local) * total(this.local);
      this.globalSumMetric = this.score(this.global) * total(this.global);
      this.numInst = total(this.local);
      this.globalNumInst = total(this.global);
    }
  }

  override reset(): void {
    super.reset();
    this.local = zeroCounts();
    this.global = zeroCounts();
  }

  override resetLocal(): void {
    super.resetLocal();
    this.local = zeroCounts();
  }

  protected override configArgs(): Record<string, unknown> {
    return { average: this.average };
  }
}

/**
 * The F1 score of a binary classification, `F1 = 2·precision·recall / (precision + recall)`,
 * with `precision = TP / (TP + FP)`, `recall = TP / (TP + FN)` (0 when undefined). Predictions
 * are `(batch, 2)` scores (the class is their argmax), labels 0 or 1 with one per row
 * (`(batch,)` or `(batch, 1)`; MXNet would broadcast a `(batch, 1)` label against the
 * predicted classes), class 1 positive. Default name 'f1', average 'macro' (see
 * BinaryClassificationMetric: macro averages the scores of the updates, micro scores every
 * sample together); an `average` other than those two is an error (MXNet reads it as micro).
 *
 * @example
 * const f1 = new metric.F1();
 * f1.update([nd.array([0, 1, 1])], [nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]])]);
 * f1.get(); // ['f1', 0.8]
 */
export class F1 extends BinaryClassificationMetric {
  constructor(options?: BinaryMetricOptions) {
    super('F1', 'f1', options);
  }

  protected score(counts: BinaryCounts): number {
    return fScore(counts);
  }
}

/**
 * The Matthews correlation coefficient of a binary classification,
 * `MCC = (TP·TN − FP·FN) / √((TP+FP)(TP+FN)(TN+FP)(TN+FN))`, where factors that are 0 are
 * replaced by 1 (so a constant prediction scores 0, not NaN); 0 for an update with no samples.
 * Inputs as F1's. Default name 'mcc', average 'macro'.
 *
 * @example
 * const mcc = new metric.MCC({ average: 'micro' });
 * mcc.update(nd.array([1, 0, 1, 0]), nd.array([[0, 1], [1, 0], [1, 0], [1, 0]]));
 * mcc.get(); // ['mcc', 0.5773502691896258]  (TP 1, FN 1, TN 2: 2 / √(1·2·2·3))
 */
export class MCC extends BinaryClassificationMetric {
  constructor(options?: BinaryMetricOptions) {
    super('MCC', 'mcc', options);
  }

  protected score(counts: BinaryCounts): number {
    return matthewsCC(counts);
  }
}
