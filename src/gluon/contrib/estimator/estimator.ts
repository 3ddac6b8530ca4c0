/**
 * `gluon.contrib.estimator.Estimator` (MXNet 1.9): the training loop of every Gluon tutorial as
 * one object — `await est.fit(trainLoader, { valData, epochs })` trains with event handlers for
 * metrics, validation, logging, checkpoints and early stopping.
 */
import { checkChoice, checkIntAtLeast, checkOptionsObject, describeValue, optionKeys } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { record } from '../../../autograd';
import { NDArray } from '../../../ndarray/ndarray';
import { Block } from '../../../nn/block';
import type { InitializerSpec } from '../../../nn/parameter';
import { L1Loss, L2Loss, Loss, SoftmaxCrossEntropyLoss } from '../../loss';
import { Accuracy, AnyMetric, Loss as LossMetric, MAE, MSE, create } from '../../metric';
import { Trainer } from '../../trainer';
import { Batch, BatchResult, EventHandler, byPriority, checkEventHandlers, runHandlers } from './event_handler';
import { BatchSource, GradientUpdateHandler, MetricHandler, StoppingHandler, ValidationHandler, checkMetrics } from './handlers';
import { LoggingHandler } from './logging_handler';

/** Where the Estimator and its handlers write messages. Default: console.log and console.warn. */
export interface EstimatorLogger {
  info(message: string): void;
  warning(message: string): void;
}

/** Options of the Estimator (MXNet's arguments after net and loss, camelCase). */
export interface EstimatorOptions {
  /** Default: a metric suited to the loss (Accuracy for softmax cross-entropy, MAE for L1, MSE for L2) and the loss itself. */
  trainMetrics?: AnyMetric | readonly AnyMetric[];
  /** Default: copies of the training metrics. */
  valMetrics?: AnyMetric | readonly AnyMetric[];
  /** Initializes the network when it is not initialized yet. Default: `net.initialize()`'s. */
  initializer?: InitializerSpec;
  /** Default: SGD with learning rate 0.001 (with a warning, as MXNet). */
  trainer?: Trainer;
  /** 'cpu', the one device tsgluon runs on. Default 'cpu'. */
  context?: 'cpu';
  /** The loss for validation. Default: `loss`. */
  evaluationLoss?: Loss;
  /** The network for validation (sharing the training network's parameters). Default: `net`. */
  evalNet?: Block<unknown>;
  logger?: EstimatorLogger;
}

/** Options of `fit`. */
export interface FitOptions {
  valData?: BatchSource;
  /** Train for this many epochs; give exactly one of epochs and batches. */
  epochs?: number;
  /** Train for this many batches. */
  batches?: number;
  eventHandlers?: EventHandler | readonly EventHandler[];
  /** The batch axis of data, labels and losses. Default 0. */
  batchAxis?: number;
}

/** Options of `evaluate`. */
export interface EvaluateOptions {
  batchAxis?: number;
  eventHandlers?: EventHandler | readonly EventHandler[];
}

const KEYS = optionKeys<EstimatorOptions>({
  trainMetrics: true, valMetrics: true, initializer: true, trainer: true, context: true, evaluationLoss: true, evalNet: true, logger: true,
});
const FIT_KEYS = optionKeys<FitOptions>({ valData: true, epochs: true, batches: true, eventHandlers: true, batchAxis: true });
const EVALUATE_KEYS = optionKeys<EvaluateOptions>({ batchAxis: true, eventHandlers: true });

/** What one batch produced: the data, labels, predictions and losses, one entry per device (one here). */
export interface BatchOutputs {
  data: NDArray[];
  label: NDArray[];
  pred: NDArray[];
  loss: NDArray[];
}

/**
 * Trains and evaluates `net` with `loss`. `fit` runs MXNet's loop — per epoch: epochBegin; per
 * batch: batchBegin, `fitBatch` (forward under autograd.record, backward), batchEnd (the
 * GradientUpdateHandler steps the Trainer, the MetricHandler updates the metrics); epochEnd
 * (validation); trainEnd — until a handler says stop (the StoppingHandler after `epochs` or
 * `batches`). It awaits the event loop between batches, so a page redraws while it trains.
 *
 * Departures from MXNet: every iterable (or async iterable) of `[data, label]` batches is accepted,
 * not only a DataLoader; training data without a single batch is refused (MXNet loops forever
 * when training by batches); 'auto' monitor modes follow MXNet's documentation (see resolveMode).
 *
 * @example
 * const est = new gluon.contrib.estimator.Estimator(net, new gluon.loss.SoftmaxCrossEntropyLoss(), {
 *   trainMetrics: new metric.Accuracy(), trainer: new gluon.Trainer(net.collectParams(), 'adam'),
 * });
 * await est.fit(trainLoader, { valData: testLoader, epochs: 2 });
 * est.valMetrics[0].get(); // ['validation accuracy', 0.97…]
 */
export class Estimator {
  readonly net: Block<unknown>;
  readonly loss: Loss;
  readonly trainMetrics: AnyMetric[];
  readonly valMetrics: AnyMetric[];
  readonly evaluationLoss: Loss;
  readonly evalNet: Block<unknown>;
  readonly trainer: Trainer;
  logger: EstimatorLogger;
  /** Set by fit (and shortened by a CheckpointHandler that resumes). */
  maxEpoch: number | undefined;
  maxBatch: number | undefined;
  batchAxis = 0;
  /** Batches per epoch of the data being iterated, when it has a `length` (for the progress bar). */
  batchesPerEpoch: number | undefined;

  constructor(net: Block<unknown>, loss: Loss, options: EstimatorOptions = {}) {
    const who = 'Estimator';
    const o = checkOptionsObject(who, options, KEYS) as EstimatorOptions;
    if (!(net instanceof Block)) throw new GluonError(`${who}: expected net to be a Block, but got ${describeValue(net)}`);
    this.net = net;
    this.loss = checkLoss(who, 'loss', loss);
    this.evaluationLoss = o.evaluationLoss === undefined ? this.loss : checkLoss(who, 'evaluationLoss', o.evaluationLoss);
    if (o.evalNet !== undefined && !(o.evalNet instanceof Block)) throw new GluonError(`${who}: expected evalNet to be a Block, but got ${describeValue(o.evalNet)}`);
    this.evalNet = o.evalNet ?? net;
    if (o.context !== undefined) checkChoice(who, 'context', o.context, ['cpu']);
    this.logger = o.logger ?? { info: (m) => console.log(m), warning: (m) => console.warn(m) };
    this.trainMetrics = defaultTrainMetrics(checkMetrics(who, o.trainMetrics), this.loss);
    for (const metric of this.trainMetrics) metric.name = `training ${metric.name}`;
    this.valMetrics = validationMetrics(checkMetrics(who, o.valMetrics), this.trainMetrics);
    this.initialize(o.initializer);
    this.trainer = this.checkTrainer(o.trainer);
  }

  private initialize(initializer: InitializerSpec | undefined): void {
    const params = [...this.net.collectParams().values()];
    if (params.some((p) => !p.isInitialized && !p.isDeferred)) {
      if (initializer === undefined) this.net.initialize();
      else this.net.initialize(initializer);
    } else if (initializer !== undefined) {
      this.logger.warning('Network already fully initialized, skipping initialization. You don\'t need to pass initializer if you already initialized your net. You can use net.initialize(init, { forceReinit: true }) to force re-initialize.');
    }
  }

  private checkTrainer(trainer: Trainer | undefined): Trainer {
    if (trainer === undefined) {
      this.logger.warning('No trainer specified, default SGD optimizer with learning rate 0.001 is used.');
      return new Trainer(this.net.collectParams(), 'sgd', { learningRate: 0.001 });
    }
    if (!(trainer instanceof Trainer)) throw new GluonError(`Estimator: expected trainer to be a gluon.Trainer, but got ${describeValue(trainer)}`);
    return trainer;
  }

  /** One training batch: forward and loss under autograd.record, then backward (the Trainer steps in a handler). */
  fitBatch(batch: Batch): BatchOutputs {
    const [data, label] = batch;
    const { pred, loss } = record(() => {
      const out = outputOf('Estimator.fitBatch', this.net(data));
      return { pred: out, loss: this.loss(out, label) as NDArray };
    });
    loss.backward();
    return { data: [data], label: [label], pred: [pred], loss: [loss] };
  }

  /** One validation batch: forward and loss with `evalNet` and `evaluationLoss`, not recorded. */
  evaluateBatch(batch: Batch): BatchOutputs {
    const [data, label] = batch;
    const pred = outputOf('Estimator.evaluateBatch', this.evalNet(data));
    return { data: [data], label: [label], pred: [pred], loss: [this.evaluationLoss(pred, label) as NDArray] };
  }

  /**
   * Trains for `epochs` epochs or `batches` batches (exactly one of them). Besides the given
   * handlers, adds a StoppingHandler, and — unless one of the kind is given — a
   * GradientUpdateHandler, a MetricHandler of the training metrics, a ValidationHandler when
   * `valData` is given, and a LoggingHandler.
   */
  async fit(trainData: BatchSource, options: FitOptions = {}): Promise<void> {
    const who = 'Estimator.fit';
    const o = checkOptionsObject(who, options, FIT_KEYS) as FitOptions;
    checkSource(who, 'trainData', trainData);
    if ((o.epochs === undefined) === (o.batches === undefined)) {
      throw new GluonError(`${who}: expected exactly one of epochs and batches (train by a number of epochs or of batches), but got ${o.epochs === undefined ? 'neither' : 'both'}`);
    }
    if (o.valData !== undefined) checkSource(who, 'valData', o.valData);
    this.maxEpoch = o.epochs === undefined ? undefined : checkIntAtLeast(who, 'epochs', o.epochs, 1);
    this.maxBatch = o.batches === undefined ? undefined : checkIntAtLeast(who, 'batches', o.batches, 1);
    this.batchAxis = checkIntAtLeast(who, 'batchAxis', o.batchAxis ?? 0, 0);
    const handlers = this.trainingHandlers(checkEventHandlers(who, o.eventHandlers), o.valData);
    await runHandlers(handlers, (h) => h.trainBegin?.(this));
    for (let stop = false; !stop;) {
      await runHandlers(handlers, (h) => h.epochBegin?.(this));
      stop = await this.runEpoch(who, trainData, handlers, (batch) => this.fitBatch(batch), true);
      stop = (await runHandlers(handlers, (h) => h.epochEnd?.(this))) || stop;
    }
    await runHandlers(handlers, (h) => h.trainEnd?.(this));
  }

  /**
   * Evaluates `evalNet` on `valData` with the validation metrics (reset first); adds a
   * MetricHandler and a LoggingHandler of the validation metrics unless one of the kind is given.
   *
   * @example await est.evaluate(testLoader); est.valMetrics.map((m) => m.get());
   */
  async evaluate(valData: BatchSource, options: EvaluateOptions = {}): Promise<void> {
    const who = 'Estimator.evaluate';
    const o = checkOptionsObject(who, options, EVALUATE_KEYS) as EvaluateOptions;
    checkSource(who, 'valData', valData);
    if (o.batchAxis !== undefined) this.batchAxis = checkIntAtLeast(who, 'batchAxis', o.batchAxis, 0);
    for (const metric of this.valMetrics) metric.reset();
    const given = checkEventHandlers(who, o.eventHandlers);
    const handlers = byPriority([...given, ...missingDefaults(given, [
      [MetricHandler, () => new MetricHandler(this.valMetrics)],
      [LoggingHandler, () => new LoggingHandler({ metrics: this.valMetrics, progressStream: null })],
    ])]);
    await runHandlers(handlers, (h) => h.epochBegin?.(this));
    await this.runEpoch(who, valData, handlers, (batch) => this.evaluateBatch(batch), false);
    await runHandlers(handlers, (h) => h.epochEnd?.(this));
  }

  /** One pass over `source`: batchBegin, `step`, batchEnd per batch; true when a handler stops training. */
  private async runEpoch(who: string, source: BatchSource, handlers: readonly EventHandler[], step: (batch: Batch) => BatchOutputs, training: boolean): Promise<boolean> {
    const length = (source as { length?: unknown }).length;
    if (training) this.batchesPerEpoch = typeof length === 'number' ? length : undefined;
    let count = 0;
    for await (const item of source) {
      const batch = checkBatch(who, item, count);
      await runHandlers(handlers, (h) => h.batchBegin?.(this, { batch }));
      const { label, pred, loss } = step(batch);
      count++;
      const event: BatchResult = { batch, label, pred, loss };
      if (await runHandlers(handlers, (h) => h.batchEnd?.(this, event))) return true;
      await yieldToEventLoop();
    }
    if (count === 0 && training) throw new GluonError(`${who}: expected trainData to yield at least one batch, but it yielded none`);
    return false;
  }

  private trainingHandlers(given: EventHandler[], valData: BatchSource | undefined): EventHandler[] {
    const defaults = missingDefaults(given, [
      [GradientUpdateHandler, () => new GradientUpdateHandler()],
      [MetricHandler, () => new MetricHandler(this.trainMetrics)],
      [ValidationHandler, () => (valData === undefined ? undefined : new ValidationHandler(valData, (data) => this.evaluate(data, { batchAxis: this.batchAxis })))],
      [LoggingHandler, () => new LoggingHandler({ metrics: this.trainMetrics })],
    ]);
    return byPriority([...given, new StoppingHandler(this.maxEpoch, this.maxBatch), ...defaults]);
  }
}

type HandlerClass = abstract new (...args: never[]) => EventHandler;

/** The default handlers whose kind is not among `given`. */
function missingDefaults(given: readonly EventHandler[], defaults: readonly [HandlerClass, () => EventHandler | undefined][]): EventHandler[] {
  return defaults.flatMap(([kind, make]) => {
    if (given.some((handler) => handler instanceof kind)) return [];
    const handler = make();
    return handler === undefined ? [] : [handler];
  });
}

/** Lets the event loop run (a page redraws, timers fire) between batches. */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => (typeof setImmediate === 'function' ? setImmediate(resolve) : setTimeout(resolve, 0)));
}

function checkLoss(who: string, name: string, loss: unknown): Loss {
  if (!(loss instanceof Loss)) throw new GluonError(`${who}: expected ${name} to be a gluon.loss.Loss, but got ${describeValue(loss)}`);
  return loss;
}

function checkSource(who: string, name: string, source: unknown): void {
  const iterable = typeof source === 'object' && source !== null &&
    (typeof Reflect.get(source, Symbol.iterator) === 'function' || typeof Reflect.get(source, Symbol.asyncIterator) === 'function');
  if (!iterable) throw new GluonError(`${who}: expected ${name} to be a DataLoader or another iterable of [data, label] batches, but got ${describeValue(source)}`);
}

function isBatch(item: unknown): item is Batch {
  return Array.isArray(item) && item.length >= 2 && item[0] instanceof NDArray && item[1] instanceof NDArray;
}

function checkBatch(who: string, item: unknown, index: number): Batch {
  if (!isBatch(item)) throw new GluonError(`${who}: expected each batch to be [data, label] NDArrays, but batch ${index} is ${describeValue(item)}`);
  return item;
}

function outputOf(who: string, out: unknown): NDArray {
  if (!(out instanceof NDArray)) throw new GluonError(`${who}: expected the network to return one NDArray, but it returned ${describeValue(out)}`);
  return out;
}

/** MXNet's defaults: a metric suited to the loss, and the loss itself (named after the loss block). */
function defaultTrainMetrics(given: AnyMetric[], loss: Loss): AnyMetric[] {
  if (given.length > 0) return given;
  const suggested = loss instanceof SoftmaxCrossEntropyLoss ? new Accuracy() : loss instanceof L1Loss ? new MAE() : loss instanceof L2Loss ? new MSE() : undefined;
  return [...(suggested ? [suggested] : []), new LossMetric({ name: loss.name.replace(/\d+$/, '') })];
}

/** The given validation metrics, or copies of the training ones; each named 'validation …'. */
function validationMetrics(given: AnyMetric[], trainMetrics: readonly AnyMetric[]): AnyMetric[] {
  const metrics = given.length > 0 ? given : trainMetrics.map((metric) => {
    try {
      return create(metric.getConfig());
    } catch (error) {
      throw new GluonError(`Estimator: cannot copy the training metric '${metric.name}' for validation (${(error as Error).message}); give valMetrics`);
    }
  });
  for (const metric of metrics) metric.name = metric.name.includes('training') ? metric.name.replace('training', 'validation') : `validation ${metric.name}`;
  return metrics;
}
