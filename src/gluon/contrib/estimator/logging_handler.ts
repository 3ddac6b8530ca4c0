/**
 * The Estimator's LoggingHandler (MXNet 1.9's, same messages): the optimizer and learning rate at
 * train begin, each epoch's metrics and time at its end, every `logInterval` batches when given,
 * and the totals at train end. Where the output is a terminal, a progress bar is redrawn in place
 * during each epoch; anywhere else (a log file, a pipe, a browser console) only whole lines are
 * written, so a log never fills with thousands of carriage-return updates.
 */
import { checkOptionsObject, optionKeys } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import type { AnyMetric } from '../../metric';
import type { Estimator } from './estimator';
import type { BatchResult, EventHandler } from './event_handler';
import { checkMetrics } from './handlers';

/** Options of LoggingHandler. */
export interface LoggingHandlerOptions {
  /** 'epoch' (default): a line per epoch; an integer k: also a line every k batches. */
  logInterval?: 'epoch' | number;
  /** The metrics to report. Default: the estimator's training metrics (or validation metrics in evaluate). */
  metrics?: AnyMetric | readonly AnyMetric[];
  /** Default Infinity: after every other handler. */
  priority?: number;
  /**
   * Where the progress bar goes: a stream with `write` whose `isTTY` is true. Default Node's
   * `process.stdout` when it is a terminal; none otherwise (and in browsers).
   */
  progressStream?: ProgressStream | null;
}

/** A terminal to redraw the progress bar on. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const KEYS = optionKeys<LoggingHandlerOptions>({ logInterval: true, metrics: true, priority: true, progressStream: true });

/** `%.4f`, as MXNet's messages print metric values. */
const fixed4 = (value: number) => (Number.isNaN(value) ? 'nan' : value.toFixed(4));

/** Logs training; see the module comment. @example est.fit(loader, { epochs: 2, eventHandlers: [new LoggingHandler({ logInterval: 100 })] }) */
export class LoggingHandler implements EventHandler {
  readonly logInterval: 'epoch' | number;
  readonly metrics: AnyMetric[];
  readonly priority: number;
  private readonly progress: ProgressStream | undefined;
  private trainStart = 0;
  private epochStart = 0;
  private batchStart = 0;
  private intervalTime = 0;
  private currentEpoch = 0;
  private batchIndex = 0;
  /** Samples since train begin (MXNet's `[Samples n]`), and since this epoch's begin (the bar's rate). */
  private processedSamples = 0;
  private epochSamples = 0;
  private barWidth = 0;

  constructor(options: LoggingHandlerOptions = {}) {
    const { logInterval = 'epoch', metrics, priority = Infinity, progressStream } = checkOptionsObject('LoggingHandler', options, KEYS) as LoggingHandlerOptions;
    if (logInterval !== 'epoch' && !(Number.isInteger(logInterval) && logInterval > 0)) {
      throw new GluonError(`LoggingHandler: expected logInterval to be 'epoch' or an integer >= 1, but got ${String(logInterval)}`);
    }
    this.logInterval = logInterval;
    this.metrics = checkMetrics('LoggingHandler', metrics);
    this.priority = priority;
    this.progress = (progressStream === undefined ? terminalStdout() : progressStream) ?? undefined;
  }

  trainBegin(estimator: Estimator): void {
    this.trainStart = now();
    const { trainer } = estimator;
    estimator.logger.info(`Training begin: using optimizer ${trainer.optimizer.constructor.name} with current learning rate ${fixed4(trainer.learningRate)} `);
    estimator.logger.info(estimator.maxEpoch !== undefined ? `Train for ${estimator.maxEpoch} epochs.` : `Train for ${estimator.maxBatch} batches.`);
    this.currentEpoch = 0;
    this.batchIndex = 0;
    this.processedSamples = 0;
    this.intervalTime = 0;
  }

  trainEnd(estimator: Estimator): void {
    const seconds = Math.floor((now() - this.trainStart) / 1000);
    estimator.logger.info(`Train finished using total ${seconds}s with ${this.currentEpoch} epochs. ${this.metricText()}`.trimEnd());
  }

  epochBegin(estimator: Estimator): void {
    this.epochStart = now();
    this.epochSamples = 0;
    const training = this.metrics.some((metric) => metric.name.includes('training'));
    if (training) estimator.logger.info(`[Epoch ${this.currentEpoch}] Begin, current learning rate: ${fixed4(estimator.trainer.learningRate)}`);
    else estimator.logger.info('Validation Begin');
  }

  batchBegin(): void {
    this.batchStart = now();
  }

  batchEnd(estimator: Estimator, { batch }: BatchResult): void {
    const samples = batch[0].ndim === 0 ? 1 : batch[0].shape[0];
    this.processedSamples += samples;
    this.epochSamples += samples;
    this.intervalTime += now() - this.batchStart;
    if (typeof this.logInterval === 'number' && this.batchIndex % this.logInterval === 0) {
      this.clearBar();
      estimator.logger.info(`[Epoch ${this.currentEpoch}][Batch ${this.batchIndex}][Samples ${this.processedSamples}] time/interval: ${(this.intervalTime / 1000).toFixed(3)}s ${this.metricText()}`.trimEnd());
      this.intervalTime = 0;
    }
    this.drawBar(estimator);
    this.batchIndex++;
  }

  epochEnd(estimator: Estimator): void {
    this.clearBar();
    const seconds = ((now() - this.epochStart) / 1000).toFixed(3);
    estimator.logger.info(`[Epoch ${this.currentEpoch}] Finished in ${seconds}s, ${this.metricText()}`.trimEnd());
    this.currentEpoch++;
    this.batchIndex = 0;
  }

  /** `name: value, name: value` of every metric (a composite's children each). */
  private metricText(): string {
    const pairs = this.metrics.flatMap((metric) => metric.getNameValue());
    return pairs.map(([name, value]) => `${name}: ${fixed4(value)}`).join(', ');
  }

  /** `[Epoch 0] 3200/8000 [=========>          ] training accuracy: 0.9612, … 412 samples/s`, in place. */
  private drawBar(estimator: Estimator): void {
    if (this.progress === undefined) return;
    const total = estimator.batchesPerEpoch;
    const done = this.batchIndex + 1;
    const width = 20;
    const filled = total ? Math.min(width, Math.round((done / total) * width)) : 0;
    const bar = total ? ` [${'='.repeat(Math.max(filled - 1, 0))}${filled > 0 ? (filled < width ? '>' : '=') : ''}${' '.repeat(width - filled)}]` : '';
    const rate = this.epochSamples / Math.max((now() - this.epochStart) / 1000, 1e-9);
    let line = `[Epoch ${this.currentEpoch}] ${done}${total ? `/${total}` : ''}${bar} ${this.metricText()}  ${rate.toFixed(0)} samples/s`;
    const columns = this.progress.columns ?? 120;
    if (line.length > columns - 1) line = line.slice(0, columns - 1);
    this.progress.write(`\r${line.padEnd(this.barWidth)}`);
    this.barWidth = line.length;
  }

  private clearBar(): void {
    if (this.progress === undefined || this.barWidth === 0) return;
    this.progress.write(`\r${' '.repeat(this.barWidth)}\r`);
    this.barWidth = 0;
  }
}

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Node's stdout when it is a terminal. */
function terminalStdout(): ProgressStream | undefined {
  const stdout = typeof process !== 'undefined' ? (process.stdout as ProgressStream | undefined) : undefined;
  return stdout?.isTTY === true ? stdout : undefined;
}
