/**
 * `PearsonCorrelation`, as MXNet 1.9's, with its 'macro' and 'micro' averaging.
 */
import { checkChoice } from '../../core/checks';
import { EvalMetric, EvalMetricOptions, MetricInput, NameValue, checkLabelShapes, checkMetricOptions, checkSameShape } from './eval_metric';
import type { MetricAverage } from './binary';

export interface PearsonCorrelationOptions extends EvalMetricOptions {
  /** 'macro' (default): the mean of each pair's correlation; 'micro': one correlation of every value. */
  average?: MetricAverage;
}

/** Running count, means, sums of squared deviations and co-moment (Welford, batched). */
interface Moments {
  n: number;
  meanLabel: number;
  meanPred: number;
  m2Label: number;
  m2Pred: number;
  coMoment: number;
}

const zeroMoments = (): Moments => ({ n: 0, meanLabel: 0, meanPred: 0, m2Label: 0, m2Pred: 0, coMoment: 0 });

/**
 * Pearson's correlation of labels and predictions, `cov(y, ŷ) / (σ_y σ_ŷ)`, over the flattened
 * values of each (label, pred) pair, which must have one shape.
 *
 * 'macro' (default) averages the correlation of each pair (numpy's `corrcoef`: clipped to
 * [-1, 1], NaN for a constant or single-value pair). 'micro' updates running moments with
 * every pair (Welford's algorithm, batched, as MXNet's) and reports the correlation of all
 * values since the last `resetLocal()`/`reset()`; `getGlobal()` that since `reset()`. (MXNet
 * 1.9 keeps one set of micro moments that `reset_local` doesn't clear, and its `get_global`
 * returns 0 in 'micro', a sum it never fills; tsgluon keeps local and global moments, as F1's
 * counts.) Values are read in float64. Default name 'pearsonr'.
 *
 * @example
 * const pr = new metric.PearsonCorrelation();
 * pr.update([nd.array([[1, 0], [0, 1], [0, 1]])], [nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]])]);
 * pr.get(); // ['pearsonr', 0.42163704544016...]
 */
export class PearsonCorrelation extends EvalMetric {
  readonly average: MetricAverage;
  private local: Moments = zeroMoments();
  private global: Moments = zeroMoments();

  constructor(options?: PearsonCorrelationOptions) {
    const { name = 'pearsonr', average = 'macro' } = checkMetricOptions('PearsonCorrelation', options, ['average']);
    super(name, options, true);
    this.average = checkChoice('PearsonCorrelation', 'average', average, ['macro', 'micro'] as const);
  }

  update(labels: MetricInput, preds: MetricInput): void {
    const [labelList, predList] = checkLabelShapes('PearsonCorrelation', labels, preds);
    labelList.forEach((label, i) => checkSameShape('PearsonCorrelation', label, predList[i]));
    labelList.forEach((label, i) => {
      const y = label.toFloat32Array();
      const p = predList[i].toFloat32Array();
      if (this.average === 'macro') this.accumulate(corrcoef(p, y), 1);
      else {
        this.accumulate(0, 1);
        addToMoments(this.local, y, p);
        addToMoments(this.global, y, p);
      }
    });
  }

  override get(): NameValue {
    if (this.numInst === 0 || this.average === 'macro') return super.get();
    return [this.name, momentsCorrelation(this.local)];
  }

  override getGlobal(): NameValue {
    if (this.globalNumInst === 0 || this.average === 'macro') return super.getGlobal();
    return [this.name, momentsCorrelation(this.global)];
  }

  override reset(): void {
    super.reset();
    this.local = zeroMoments();
    this.global = zeroMoments();
  }

  override resetLocal(): void {
    super.resetLocal();
    this.local = zeroMoments();
  }

  protected override configArgs(): Record<string, unknown> {
    return { average: this.average };
  }
}

/**
 * numpy's `corrcoef(x, y)[0, 1]`: the covariance over n − 1 divided by both standard
 * deviations, clipped to [-1, 1]; NaN when either is 0 or n < 2. Two passes, in float64.
 */
function corrcoef(x: Float32Array, y: Float32Array): number {
  const n = x.length;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i];
    meanY += y[i];
  }
  meanX /= n;
  meanY /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  const r = sxy / (n - 1) / Math.sqrt(sxx / (n - 1)) / Math.sqrt(syy / (n - 1));
  return Number.isNaN(r) ? NaN : Math.min(1, Math.max(-1, r));
}

/**
 * MXNet's batched Welford step: the label moments move to the new mean first, the co-moment
 * adds Σ(y − ȳ_new)(ŷ − ŷ_old), then the prediction moments move (exact for any batch size).
 */
function addToMoments(m: Moments, y: Float32Array, p: Float32Array): void {
  const count = m.n + y.length;
  const [meanLabel, m2Label] = welford(y, count, m.meanLabel, m.m2Label);
  let co = 0;
  for (let i = 0; i < y.length; i++) co += (y[i] - meanLabel) * (p[i] - m.meanPred);
  const [meanPred, m2Pred] = welford(p, count, m.meanPred, m.m2Pred);
  Object.assign(m, { n: count, meanLabel, meanPred, m2Label, m2Pred, coMoment: m.coMoment + co });
}

/** The new mean and sum of squared deviations after adding `values` (count already included). */
function welford(values: Float32Array, count: number, mean: number, m2: number): [number, number] {
  let shift = 0;
  for (let i = 0; i < values.length; i++) shift += (values[i] - mean) / count;
  const next = mean + shift;
  let add = 0;
  for (let i = 0; i < values.length; i++) add += (values[i] - mean) * (values[i] - next);
  return [next, m2 + add];
}

/** MXNet's micro value: co / ((n − 1) · √(M2_ŷ/(n − 1)) · √(M2_y/(n − 1))). */
function momentsCorrelation({ n, m2Label, m2Pred, coMoment }: Moments): number {
  return coMoment / ((n - 1) * Math.sqrt(m2Pred / (n - 1)) * Math.sqrt(m2Label / (n - 1)));
}
