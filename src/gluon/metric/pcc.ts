/**
 * `PCC`, MXNet 1.9's multiclass Matthews correlation over a confusion matrix that grows with the
 * classes seen.
 */
import { GluonError } from '../../core/errors';
import { describeValue } from '../../core/checks';
import { argmaxAxis, toInt32Array } from './array_math';
import { EvalMetric, EvalMetricOptions, MetricInput, NameValue, checkLabelShapes, checkMetricOptions } from './eval_metric';

/**
 * The multiclass Matthews correlation coefficient (Pearson's correlation of the one-hot
 * predicted and true classes), from the K×K confusion matrix C of every sample since `reset`:
 *
 *     PCC = Σₖ (Cₖₖ·n − xₖ·yₖ) / √(Σₖ xₖ(n − xₖ) · Σₖ yₖ(n − yₖ))
 *
 * with xₖ, yₖ the row (predicted) and column (true) sums and n the number of samples; NaN when
 * either factor is 0 (a single class predicted or seen). For two classes it equals MCC.
 * Predictions are class indices of the label's shape, or scores whose argmax along axis 1 is
 * the class. Class indices must be ≥ 0 (numpy would wrap a negative one). `numInst` counts
 * updates. Default name 'pcc'.
 *
 * @example
 * const pcc = new metric.PCC();
 * pcc.update(nd.array([0, 1, 2, 2]), nd.array([0, 1, 2, 1]));
 * pcc.get(); // ['pcc', 0.7]  (Σ(Cₖₖn − xₖyₖ) = 7, Σxₖ(n − xₖ) = Σyₖ(n − yₖ) = 10)
 */
export class PCC extends EvalMetric {
  private local: number[][] = square(2);
  private global: number[][] = square(2);

  constructor(options?: EvalMetricOptions) {
    const { name = 'pcc' } = checkMetricOptions('PCC', options, []);
    super(name, options, true);
  }

  /** The number of classes the confusion matrices cover (at least 2). */
  get k(): number {
    return this.local.length;
  }

  update(labels: MetricInput, preds: MetricInput): void {
    const [labelList, predList] = checkLabelShapes('PCC', labels, preds);
    const pairs = labelList.map((label, i) => {
      const pred = predList[i];
      const sameShape = label.shape.length === pred.shape.length && label.shape.every((d, k) => d === pred.shape[k]);
      const predicted = sameShape ? toInt32Array(pred.toFloat32Array()) : argmaxAxis('PCC', pred.toFloat32Array(), pred.shape, 1);
      const truth = toInt32Array(label.toFloat32Array());
      if (predicted.length !== truth.length) {
        throw new GluonError(`PCC: expected one predicted class per label, but got ${predicted.length} for ${truth.length} labels (${describeValue(label)} and ${describeValue(pred)})`);
      }
      for (const classes of [predicted, truth]) {
        const negative = classes.find((c) => c < 0);
        if (negative !== undefined) throw new GluonError(`PCC: expected class indices >= 0, but got ${negative}`);
      }
      return [predicted, truth];
    });
    for (const [predicted, truth] of pairs) {
      const largest = Math.max(predicted.reduce((a, b) => Math.max(a, b), -1), truth.reduce((a, b) => Math.max(a, b), -1));
      if (largest >= this.k) this.grow(largest + 1);
      for (let s = 0; s < truth.length; s++) {
        this.local[predicted[s]][truth[s]] += 1;
        this.global[predicted[s]][truth[s]] += 1;
      }
    }
    this.numInst += 1;
    this.globalNumInst += 1;
    this.syncSums();
  }

  override get(): NameValue {
    return [this.name, this.numInst === 0 ? NaN : matthewsMulticlass(this.local)];
  }

  override getGlobal(): NameValue {
    return [this.name, this.globalNumInst === 0 ? NaN : matthewsMulticlass(this.global)];
  }

  override reset(): void {
    super.reset();
    this.global = square(this.k);
    this.resetLocal();
  }

  override resetLocal(): void {
    super.resetLocal();
    this.local = square(this.k);
    this.syncSums();
  }

  /** MXNet derives sum_metric from the matrix; kept in step here so the fields read the same. */
  private syncSums(): void {
    this.sumMetric = matthewsMulticlass(this.local) * this.numInst;
    this.globalSumMetric = matthewsMulticlass(this.global) * this.globalNumInst;
  }

  private grow(k: number): void {
    const widen = (m: number[][]): number[][] => square(k).map((row, i) => row.map((_, j) => m[i]?.[j] ?? 0));
    this.local = widen(this.local);
    this.global = widen(this.global);
  }
}

function square(k: number): number[][] {
  return Array.from({ length: k }, () => new Array<number>(k).fill(0));
}

function matthewsMulticlass(cm: number[][]): number {
  const k = cm.length;
  const rows = cm.map((row) => row.reduce((a, b) => a + b, 0));
  const cols = cm[0].map((_, j) => cm.reduce((a, row) => a + row[j], 0));
  const n = rows.reduce((a, b) => a + b, 0);
  let covXX = 0;
  let covYY = 0;
  let covXY = 0;
  for (let i = 0; i < k; i++) {
    covXX += rows[i] * (n - rows[i]);
    covYY += cols[i] * (n - cols[i]);
    covXY += cm[i][i] * n - rows[i] * cols[i];
  }
  if (covXX === 0 || covYY === 0) return NaN;
  return covXY / Math.sqrt(covXX * covYY);
}
