/**
 * The Estimator's basic event handlers (MXNet 1.9's `gluon.contrib.estimator.event_handler`):
 * StoppingHandler, MetricHandler, ValidationHandler, GradientUpdateHandler and
 * EarlyStoppingHandler. LoggingHandler and CheckpointHandler have files of their own.
 */
import { checkIntAtLeast, checkOptionsObject, optionKeys } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { AnyMetric, CompositeEvalMetric, EvalMetric, Loss as LossMetric } from '../../metric';
import type { Estimator } from './estimator';
import type { BatchResult, EventHandler } from './event_handler';

/** What fit() and evaluate() read from: an iterable or async iterable of `[data, label]` batches. */
export type BatchSource = Iterable<readonly unknown[]> | AsyncIterable<readonly unknown[]>;

/**
 * Stops training after `maxEpoch` epochs or `maxBatch` batches (fit() adds one, from its
 * `epochs` / `batches`, and sets both from the estimator at train begin).
 */
export class StoppingHandler implements EventHandler {
  currentBatch = 0;
  currentEpoch = 0;
  stopTraining = false;

  constructor(public maxEpoch?: number, public maxBatch?: number) {}

  trainBegin(estimator: Estimator): void {
    this.maxEpoch = estimator.maxEpoch;
    this.maxBatch = estimator.maxBatch;
    this.currentBatch = 0;
    this.currentEpoch = 0;
    this.stopTraining = false;
  }

  batchEnd(): boolean {
    this.currentBatch++;
    if (this.currentBatch === this.maxBatch) this.stopTraining = true;
    return this.stopTraining;
  }

  epochEnd(): boolean {
    this.currentEpoch++;
    if (this.currentEpoch === this.maxEpoch) this.stopTraining = true;
    return this.stopTraining;
  }
}

/**
 * Resets `metrics` at each epoch's begin and updates them at each batch's end: a `metric.Loss`
 * with the batch's losses, any other with its labels and predictions. Priority −1000, so other
 * handlers see the updated values.
 *
 * @example new MetricHandler([new metric.Accuracy()])
 */
export class MetricHandler implements EventHandler {
  readonly metrics: AnyMetric[];
  readonly priority: number;

  constructor(metrics: AnyMetric | readonly AnyMetric[], options: { priority?: number } = {}) {
    this.metrics = checkMetrics('MetricHandler', metrics);
    this.priority = checkOptionsObject('MetricHandler', options, ['priority']).priority as number | undefined ?? -1000;
  }

  epochBegin(): void {
    for (const metric of this.metrics) metric.reset();
  }

  batchEnd(_estimator: Estimator, { label, pred, loss }: BatchResult): void {
    for (const metric of this.metrics) {
      if (metric instanceof LossMetric) metric.update(null, [...loss]);
      else metric.update([...label], [...pred]);
    }
  }
}

/** Options of ValidationHandler. */
export interface ValidationHandlerOptions {
  /** Validate every this many epochs (at epoch end); 0 never. Default 1. */
  epochPeriod?: number;
  /** Validate every this many batches (at batch end); default never. */
  batchPeriod?: number;
  /** Default −1000. */
  priority?: number;
}

const VALIDATION_KEYS = optionKeys<ValidationHandlerOptions>({ epochPeriod: true, batchPeriod: true, priority: true });

/**
 * Runs `evalFn(valData)` — by default the estimator's `evaluate` — every `epochPeriod` epochs
 * and every `batchPeriod` batches.
 *
 * @example new ValidationHandler(valLoader, (data) => est.evaluate(data), { epochPeriod: 2 })
 */
export class ValidationHandler implements EventHandler {
  readonly epochPeriod: number;
  readonly batchPeriod: number | undefined;
  readonly priority: number;
  private currentBatch = 0;
  private currentEpoch = 0;

  constructor(readonly valData: BatchSource, readonly evalFn: (valData: BatchSource) => unknown, options: ValidationHandlerOptions = {}) {
    const { epochPeriod = 1, batchPeriod, priority = -1000 } = checkOptionsObject('ValidationHandler', options, VALIDATION_KEYS) as ValidationHandlerOptions;
    if (typeof evalFn !== 'function') throw new GluonError(`ValidationHandler: expected evalFn to be a function, but got ${typeof evalFn}`);
    this.epochPeriod = checkIntAtLeast('ValidationHandler', 'epochPeriod', epochPeriod, 0);
    this.batchPeriod = batchPeriod === undefined ? undefined : checkIntAtLeast('ValidationHandler', 'batchPeriod', batchPeriod, 1);
    this.priority = priority;
  }

  trainBegin(): void {
    this.currentBatch = 0;
    this.currentEpoch = 0;
  }

  async batchEnd(): Promise<void> {
    this.currentBatch++;
    if (this.batchPeriod !== undefined && this.currentBatch % this.batchPeriod === 0) await this.evalFn(this.valData);
  }

  async epochEnd(): Promise<void> {
    this.currentEpoch++;
    if (this.epochPeriod > 0 && this.currentEpoch % this.epochPeriod === 0) await this.evalFn(this.valData);
  }
}

/**
 * Applies the gradients at each batch's end: `trainer.step(batch size)`, the batch size being
 * the losses' length along the estimator's batch axis. Priority −2000: before the metrics.
 */
export class GradientUpdateHandler implements EventHandler {
  constructor(readonly priority = -2000) {}

  batchEnd(estimator: Estimator, { loss }: BatchResult): void {
    const batchSize = loss.reduce((sum, l) => sum + (l.ndim === 0 ? 1 : l.shape[estimator.batchAxis]), 0);
    estimator.trainer.step(batchSize);
  }
}

/** 'min' or 'max': whether a lower or a higher value of the monitored metric is better. */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * The comparison a monitor mode means: 'auto' is 'max' for accuracy and F1 (by the metric's
 * name) and 'min' otherwise. MXNet 1.9 means the same but its test (`'acc' or 'f1' in name`) is
 * always true, so it maximizes every metric — a loss too; this follows its documentation.
 */
export function resolveMode(who: string, monitor: AnyMetric, mode: MonitorMode): 'min' | 'max' {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new GluonError(`${who}: expected mode 'auto', 'min' or 'max', but got ${String(mode)}`);
  if (mode !== 'auto') return mode;
  const name = String(monitor.get()[0]).toLowerCase();
  return name.includes('acc') || name.includes('f1') ? 'max' : 'min';
}

/** Options of EarlyStoppingHandler (MXNet's, camelCase). */
export interface EarlyStoppingOptions {
  /** The least change that counts as an improvement. Default 0. */
  minDelta?: number;
  /** Epochs without improvement before stopping. Default 0. */
  patience?: number;
  /** Default 'auto' (see resolveMode). */
  mode?: MonitorMode;
  /** The value to improve on at first. Default: none (any first value improves). */
  baseline?: number;
}

const EARLY_KEYS = optionKeys<EarlyStoppingOptions>({ minDelta: true, patience: true, mode: true, baseline: true });

/**
 * Stops training when `monitor` (one of the estimator's metrics, not a composite) has not
 * improved by more than `minDelta` for `patience` epochs.
 *
 * @example new EarlyStoppingHandler(est.valMetrics[0], { patience: 2 })
 */
export class EarlyStoppingHandler implements EventHandler {
  readonly mode: 'min' | 'max';
  readonly minDelta: number;
  readonly patience: number;
  readonly baseline: number | undefined;
  best = NaN;
  wait = 0;
  stoppedEpoch = 0;
  private currentEpoch = 0;

  constructor(readonly monitor: AnyMetric, options: EarlyStoppingOptions = {}) {
    const who = 'EarlyStoppingHandler';
    const { minDelta = 0, patience = 0, mode = 'auto', baseline } = checkOptionsObject(who, options, EARLY_KEYS) as EarlyStoppingOptions;
    checkMonitor(who, monitor);
    if (monitor instanceof CompositeEvalMetric) throw new GluonError(`${who}: expected a simple metric to monitor, but got a CompositeEvalMetric`);
    this.mode = resolveMode(who, monitor, mode);
    this.minDelta = Math.abs(minDelta);
    this.patience = checkIntAtLeast(who, 'patience', patience, 0);
    this.baseline = baseline;
  }

  trainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.currentEpoch = 0;
    this.best = this.baseline ?? (this.mode === 'min' ? Infinity : -Infinity);
  }

  epochEnd(estimator: Estimator): boolean {
    const [name, value] = this.monitor.get() as [string, number];
    let stop = false;
    if (Number.isNaN(value)) {
      estimator.logger.warning(`EarlyStoppingHandler: ${name} is not updated; monitor one of the estimator's trainMetrics or valMetrics`);
    } else if (this.mode === 'min' ? value + this.minDelta < this.best : value - this.minDelta > this.best) {
      this.best = value;
      this.wait = 0;
    } else if (++this.wait >= this.patience) {
      this.stoppedEpoch = this.currentEpoch;
      stop = true;
    }
    this.currentEpoch++;
    return stop;
  }

  trainEnd(estimator: Estimator): void {
    if (this.stoppedEpoch > 0) estimator.logger.info(`[Epoch ${this.stoppedEpoch}] EarlyStoppingHandler: early stopping due to ${this.monitor.get()[0]} not improving`);
  }
}

/** A metric to monitor, or a GluonError naming `who`. */
export function checkMonitor(who: string, monitor: unknown): asserts monitor is AnyMetric {
  if (!(monitor instanceof EvalMetric)) {
    throw new GluonError(`${who}: expected one of the estimator's metrics (estimator.trainMetrics or valMetrics) as monitor, but got ${typeof monitor}`);
  }
}

/** A metric or a list of them, as a list; anything else is a GluonError naming `who`. */
export function checkMetrics(who: string, metrics: AnyMetric | readonly AnyMetric[] | undefined): AnyMetric[] {
  const list = metrics === undefined ? [] : Array.isArray(metrics) ? [...metrics] : [metrics];
  list.forEach((metric, i) => {
    if (!(metric instanceof EvalMetric)) throw new GluonError(`${who}: expected metrics (EvalMetric instances), but got ${typeof metric} at position ${i}`);
  });
  return list;
}
