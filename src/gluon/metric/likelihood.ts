/**
 * Likelihood metrics of predicted probabilities: `CrossEntropy`, `NegativeLogLikelihood` and
 * `Perplexity`, as MXNet 1.9's.
 */
import { GluonError, formatShape } from '../../core/errors';
import { checkNumberIn, describeValue } from '../../core/checks';
import { normalizeAxis } from '../../core/shape';
import { toInt32 } from './array_math';
import { EvalMetric, EvalMetricOptions, MetricInput, NameValue, checkClassScores, checkLabelShapes, checkMetricOptions } from './eval_metric';
import type { NDArray } from '../../ndarray/ndarray';

export interface CrossEntropyOptions extends EvalMetricOptions {
  /** Added to each picked probability before the log, so a 0 stays finite. Default 1e-12. */
  eps?: number;
}

/**
 * The shared step of CrossEntropy and NegativeLogLikelihood: predictions are `(batch, classes)`
 * probabilities with one label per row; each row adds `−log(p[label] + eps)` and counts 1.
 * Labels are class indices (truncated toward zero); as numpy indexes, a negative one counts
 * from the last class, and one outside [-classes, classes) is an error.
 */
export abstract class LogLikelihoodMetric extends EvalMetric {
  readonly eps: number;

  protected constructor(who: string, defaultName: string, options: CrossEntropyOptions | undefined) {
    const { name = defaultName, eps = 1e-12 } = checkMetricOptions(who, options, ['eps']);
    super(name, options, true);
    this.eps = checkNumberIn(who, 'eps', eps, { min: 0 });
  }

  update(labels: MetricInput, preds: MetricInput): void {
    const who = this.constructor.name;
    const [labelList, predList] = checkLabelShapes(who, labels, preds);
    const sums = labelList.map((label, i) => negativeLogSum(who, label, predList[i], this.eps));
    for (const [sum, n] of sums) this.accumulate(sum, n);
  }

  protected override configArgs(): Record<string, unknown> {
    return { eps: this.eps };
  }
}

function negativeLogSum(who: string, label: NDArray, pred: NDArray, eps: number): [number, number] {
  checkClassScores(who, label, pred, true);
  const [rows, classes] = pred.shape;
  const probs = pred.toFloat32Array();
  const truth = label.toFloat32Array();
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const index = Math.trunc(truth[r]);
    if (!(index >= -classes && index < classes)) {
      throw new GluonError(
        `${who}: expected labels to be class indices in [0, ${classes}) (negative ones count from the end, as numpy indexes), ` +
          `but got ${describeValue(truth[r])} at row ${r} of ${describeValue(label)}`,
      );
    }
    sum -= Math.log(probs[r * classes + (index < 0 ? index + classes : index)] + eps);
  }
  return [sum, rows];
}

/**
 * Cross-entropy of predicted class probabilities, `−(1/N) Σₙ log(pₙ[yₙ] + eps)` over every
 * sample seen (see LogLikelihoodMetric for the inputs). Default name 'cross-entropy',
 * eps 1e-12.
 *
 * @example
 * const ce = new metric.CrossEntropy();
 * ce.update([nd.array([0, 1, 1])], [nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]])]);
 * ce.get(); // ['cross-entropy', 0.5715994...]  (−(log 0.3 + log 1 + log 0.6) / 3)
 */
export class CrossEntropy extends LogLikelihoodMetric {
  constructor(options?: CrossEntropyOptions) {
    super('CrossEntropy', 'cross-entropy', options);
  }
}

/**
 * Negative log-likelihood, `−(1/N) Σₙ log(pₙ[yₙ] + eps)`: the same computation as
 * CrossEntropy under MXNet's other name. Default name 'nll-loss', eps 1e-12.
 *
 * @example
 * const nll = new metric.NegativeLogLikelihood();
 * nll.update([nd.array([2, 1])], [nd.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])]);
 * nll.get(); // ['nll-loss', 1.4978661...]  (−(log 0.5 + log 0.1) / 2)
 */
export class NegativeLogLikelihood extends LogLikelihoodMetric {
  constructor(options?: CrossEntropyOptions) {
    super('NegativeLogLikelihood', 'nll-loss', options);
  }
}

export interface PerplexityOptions extends EvalMetricOptions {
  /** The axis of the classes in the predictions. Default -1 (the last). */
  axis?: number;
}

/**
 * Perplexity, `exp(−(1/N) Σₙ log max(1e-10, pₙ[yₙ]))` over every counted label seen.
 *
 * Predictions hold probabilities along `axis`; the labels, read in row-major order, give one
 * class per position of the other axes (`label.size` = `pred.size / pred.shape[axis]`; MXNet
 * divides by the last axis's size whatever `axis` is). As MXNet's `pick`, a class index out of
 * range is clipped to [0, classes − 1]. Labels equal to `ignoreLabel` (compared in float32)
 * are not counted; `null` counts them all. NaN before any counted label.
 *
 * `ignoreLabel` is required, as in MXNet's signature (its docs suggest -1); default name
 * 'perplexity', axis -1.
 *
 * @example
 * const perp = new metric.Perplexity(null);
 * perp.update([nd.array([0, 1, 1])], [nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]])]);
 * perp.get(); // ['perplexity', 1.7710976...]  (exp(−(log 0.3 + log 1 + log 0.6) / 3))
 */
export class Perplexity extends EvalMetric {
  readonly ignoreLabel: number | null;
  readonly axis: number;

  constructor(ignoreLabel: number | null, options?: PerplexityOptions) {
    const { name = 'perplexity', axis = -1 } = checkMetricOptions('Perplexity', options, ['axis']);
    super(name, options, true);
    if (ignoreLabel !== null && (typeof ignoreLabel !== 'number' || Number.isNaN(ignoreLabel))) {
      throw new GluonError(`Perplexity: expected ignoreLabel to be a label value (MXNet's docs suggest -1) or null to count every label, but got ${describeValue(ignoreLabel)}`);
    }
    this.ignoreLabel = ignoreLabel;
    this.axis = checkNumberIn('Perplexity', 'axis', axis, { integer: true });
  }

  update(labels: MetricInput, preds: MetricInput): void {
    const [labelList, predList] = checkLabelShapes('Perplexity', labels, preds);
    let loss = 0;
    let count = 0;
    for (const [sum, n] of labelList.map((label, i) => this.pairLogLoss(label, predList[i]))) {
      loss += sum;
      count += n;
    }
    this.accumulate(loss, count);
  }

  override get(): NameValue {
    return [this.name, this.numInst === 0 ? NaN : Math.exp(this.sumMetric / this.numInst)];
  }

  override getGlobal(): NameValue {
    return [this.name, this.globalNumInst === 0 ? NaN : Math.exp(this.globalSumMetric / this.globalNumInst)];
  }

  protected override configArgs(): Record<string, unknown> {
    return { ignoreLabel: this.ignoreLabel, axis: this.axis };
  }

  /** Σ −log max(1e-10, p) over the pair's counted labels, and their number. */
  private pairLogLoss(label: NDArray, pred: NDArray): [number, number] {
    const ax = normalizeAxis(this.axis, pred.ndim, `Perplexity: predictions of shape ${formatShape(pred.shape)}`);
    const classes = pred.shape[ax];
    const inner = pred.shape.slice(ax + 1).reduce((a, b) => a * b, 1);
    if (classes === 0 || label.size * classes !== pred.size) {
      throw new GluonError(
        `Perplexity: expected one label per position of the predictions without axis ${ax} (${classes === 0 ? 'and a non-empty axis' : `${pred.size / classes} labels`}), ` +
          `but got labels ${describeValue(label)} for predictions ${describeValue(pred)}`,
      );
    }
    const probs = pred.toFloat32Array();
    const truth = label.toFloat32Array();
    const ignore = this.ignoreLabel === null ? null : Math.fround(this.ignoreLabel);
    let loss = 0;
    let count = 0;
    for (let r = 0; r < truth.length; r++) {
      if (truth[r] === ignore) continue;
      const c = Math.min(classes - 1, Math.max(0, toInt32(truth[r])));
      const outer = Math.floor(r / inner);
      loss -= Math.log(Math.max(1e-10, probs[(outer * classes + c) * inner + (r % inner)]));
      count++;
    }
    return [loss, count];
  }
}
