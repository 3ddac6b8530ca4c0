/**
 * The Estimator's CheckpointHandler (MXNet 1.9's): saves the network's parameters and the
 * Trainer's states every `epochPeriod` epochs or `batchPeriod` batches as
 * `<modelDir>/<modelPrefix>-epoch<E>batch<B>.params` and `.states`, keeps the last
 * `maxCheckpoints`, optionally the best by a monitored metric (`<prefix>-best.*`), writes the
 * symbol of a hybridized network after the first batch, and can resume from the latest
 * checkpoint. Node only (it writes files).
 */
import { checkFlag, checkIntAtLeast, checkOptionsObject, optionKeys } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { nodeFs, writeTextFile } from '../../../ndarray/io/fs';
import { HybridBlock } from '../../../nn/hybrid_block';
import type { AnyMetric } from '../../metric';
import type { Estimator } from './estimator';
import type { EventHandler } from './event_handler';
import { MonitorMode, checkMonitor, resolveMode } from './handlers';

/** Options of CheckpointHandler (MXNet's, camelCase). */
export interface CheckpointHandlerOptions {
  /** Default 'model'. */
  modelPrefix?: string;
  /** The metric that decides the best checkpoint (with `saveBest`). */
  monitor?: AnyMetric;
  /** 1: log every save. Default 0. */
  verbose?: number;
  /** Also keep the best checkpoint by `monitor` as `<prefix>-best.params/.states`. Default false. */
  saveBest?: boolean;
  /** Default 'auto' (EarlyStoppingHandler's rule). */
  mode?: MonitorMode;
  /** Save every this many epochs; 0 never. Default 1. */
  epochPeriod?: number;
  /** Save every this many batches. Default never. */
  batchPeriod?: number;
  /** Checkpoints kept (the best one not counted); older ones are deleted. Default 5. */
  maxCheckpoints?: number;
  /** Load the latest checkpoint in modelDir at train begin and train only what remains. Default false. */
  resumeFromCheckpoint?: boolean;
}

const KEYS = optionKeys<CheckpointHandlerOptions>({
  modelPrefix: true, monitor: true, verbose: true, saveBest: true, mode: true, epochPeriod: true, batchPeriod: true, maxCheckpoints: true, resumeFromCheckpoint: true,
});

/** Saves checkpoints; see the module comment. @example new CheckpointHandler('/tmp/run', { epochPeriod: 1, maxCheckpoints: 3 }) */
export class CheckpointHandler implements EventHandler {
  readonly modelDir: string;
  readonly modelPrefix: string;
  readonly monitor: AnyMetric | undefined;
  readonly verbose: number;
  readonly saveBest: boolean;
  readonly mode: 'min' | 'max' | undefined;
  readonly epochPeriod: number;
  readonly batchPeriod: number | undefined;
  readonly maxCheckpoints: number;
  readonly resumeFromCheckpoint: boolean;
  /** Prefixes of the checkpoints kept, oldest first. */
  readonly savedCheckpoints: string[] = [];
  private best = NaN;
  private currentEpoch = 0;
  private currentBatch = 0;
  private trainedEpoch = -1;
  private trainedBatch = -1;

  constructor(modelDir: string, options: CheckpointHandlerOptions = {}) {
    const who = 'CheckpointHandler';
    const o = checkOptionsObject(who, options, KEYS) as CheckpointHandlerOptions;
    if (typeof modelDir !== 'string' || modelDir === '') throw new GluonError(`${who}: expected modelDir to be a directory path, but got ${String(modelDir)}`);
    this.modelDir = modelDir;
    this.modelPrefix = o.modelPrefix ?? 'model';
    this.verbose = o.verbose ?? 0;
    this.saveBest = checkFlag(who, 'saveBest', o.saveBest ?? false);
    this.monitor = o.monitor;
    if (this.saveBest) checkMonitor(who, o.monitor);
    this.mode = this.saveBest && o.monitor ? resolveMode(who, o.monitor, o.mode ?? 'auto') : undefined;
    this.epochPeriod = checkIntAtLeast(who, 'epochPeriod', o.epochPeriod ?? 1, 0);
    this.batchPeriod = o.batchPeriod === undefined ? undefined : checkIntAtLeast(who, 'batchPeriod', o.batchPeriod, 1);
    this.maxCheckpoints = checkIntAtLeast(who, 'maxCheckpoints', o.maxCheckpoints ?? 5, 1);
    this.resumeFromCheckpoint = checkFlag(who, 'resumeFromCheckpoint', o.resumeFromCheckpoint ?? false);
    nodeFs(who).mkdirSync(modelDir, { recursive: true });
  }

  trainBegin(estimator: Estimator): void {
    this.currentEpoch = 0;
    this.currentBatch = 0;
    this.best = this.mode === 'min' ? Infinity : -Infinity;
    if (this.resumeFromCheckpoint) this.resume(estimator);
  }

  batchEnd(estimator: Estimator): void {
    if (this.currentBatch === 0) this.saveSymbol(estimator);
    if (this.batchPeriod !== undefined && (this.currentBatch + 1) % this.batchPeriod === 0) this.saveCheckpoint(estimator);
    this.currentBatch++;
  }

  epochEnd(estimator: Estimator): void {
    if (this.epochPeriod > 0 && (this.currentEpoch + 1) % this.epochPeriod === 0) this.saveCheckpoint(estimator);
    this.currentEpoch++;
  }

  private path(name: string): string {
    return `${this.modelDir.replace(/\/+$/, '')}/${name}`;
  }

  private saveCheckpoint(estimator: Estimator): void {
    const resumed = this.trainedEpoch >= 0;
    const epoch = resumed ? this.currentEpoch + this.trainedEpoch + 1 : this.currentEpoch;
    const batch = resumed ? this.currentBatch + this.trainedBatch + (estimator.maxEpoch !== undefined ? 0 : 1) : this.currentBatch;
    const prefix = `${this.modelPrefix}-epoch${epoch}batch${batch}`;
    this.saveFiles(estimator, prefix);
    if (this.verbose > 0) estimator.logger.info(`[Epoch ${this.currentEpoch}] CheckpointHandler: trained total ${this.currentBatch + 1} batches, saving model at ${this.modelDir} with prefix: ${prefix}`);
    if (this.saveBest && this.monitor) this.saveIfBest(estimator);
  }

  private saveIfBest(estimator: Estimator): void {
    const [name, value] = (this.monitor as AnyMetric).get() as [string, number];
    if (Number.isNaN(value)) {
      estimator.logger.warning(`CheckpointHandler: skipping save best because ${name} is not updated; monitor one of the estimator's trainMetrics or valMetrics`);
      return;
    }
    if (this.mode === 'min' ? value < this.best : value > this.best) {
      if (this.verbose > 0) estimator.logger.info(`[Epoch ${this.currentEpoch}] CheckpointHandler: ${name} improved from ${this.best.toFixed(5)} to ${value.toFixed(5)}, updating best model at ${this.modelDir} with prefix: ${this.modelPrefix}-best`);
      this.saveFiles(estimator, `${this.modelPrefix}-best`);
      this.best = value;
    }
  }

  /** Writes `<prefix>.params` and `.states`; an epoch/batch checkpoint past maxCheckpoints removes the oldest. */
  private saveFiles(estimator: Estimator, prefix: string): void {
    estimator.net.saveParameters(this.path(`${prefix}.params`));
    estimator.trainer.saveStates(this.path(`${prefix}.states`));
    if (prefix.endsWith('-best')) return;
    this.savedCheckpoints.push(prefix);
    if (this.savedCheckpoints.length <= this.maxCheckpoints) return;
    const oldest = this.savedCheckpoints.shift() as string;
    for (const extension of ['.params', '.states']) nodeFs('CheckpointHandler').rmSync(this.path(oldest + extension), { force: true });
  }

  private saveSymbol(estimator: Estimator): void {
    const file = this.path(`${this.modelPrefix}-symbol.json`);
    const net = estimator.net;
    if (net instanceof HybridBlock && net.isHybridized) writeTextFile(file, net.exportBytes().symbol, 'CheckpointHandler');
    else estimator.logger.info(`Model architecture(symbol file) is not saved, please use HybridBlock to construct your model, and call net.hybridize() before passing to Estimator in order to save model architecture as ${file}.`);
  }

  /** Loads the latest checkpoint and shortens the estimator's run by what it already trained. */
  private resume(estimator: Estimator): void {
    const who = 'CheckpointHandler';
    if ((estimator.maxBatch !== undefined && (this.batchPeriod === undefined || this.epochPeriod > 0)) ||
      (estimator.maxEpoch !== undefined && (this.epochPeriod === 0 || this.batchPeriod !== undefined))) {
      throw new GluonError(`${who}: to resume from a checkpoint, save by the same kind of period you train by: epochPeriod (and no batchPeriod) when training by epochs, batchPeriod (and epochPeriod 0) when training by batches`);
    }
    const files = nodeFs(who).readdirSync(this.modelDir);
    this.trainedEpoch = maxIteration(files, `${this.modelPrefix}-epoch`, /^(\d+)batch\d+\.params$/);
    if (this.trainedEpoch < 0) {
      estimator.logger.info(`CheckpointHandler: No checkpoint found, training from scratch for ${estimator.maxBatch !== undefined ? `${estimator.maxBatch} batches` : `${estimator.maxEpoch} epochs`}`);
      return;
    }
    this.trainedBatch = maxIteration(files, `${this.modelPrefix}-epoch${this.trainedEpoch}batch`, /^(\d+)\.params$/);
    this.savedCheckpoints.push(...files.filter((f) => f.startsWith(`${this.modelPrefix}-epoch`) && f.endsWith('.params')).map((f) => f.slice(0, -'.params'.length)));
    let message = `CheckpointHandler: Checkpoint resumed from epoch ${this.trainedEpoch} batch ${this.trainedBatch}, continue to train for `;
    if (estimator.maxEpoch !== undefined) {
      if (this.trainedEpoch >= estimator.maxEpoch - 1) throw new GluonError(`${who}: found a checkpoint with the maximum number of epochs (${estimator.maxEpoch}) reached; set resumeFromCheckpoint false to train from scratch`);
      estimator.maxEpoch -= this.trainedEpoch + 1;
      message += `${estimator.maxEpoch} epochs`;
    } else if (estimator.maxBatch !== undefined) {
      if (this.trainedBatch >= estimator.maxBatch - 1) throw new GluonError(`${who}: found a checkpoint with the maximum number of batches (${estimator.maxBatch}) reached; set resumeFromCheckpoint false to train from scratch`);
      estimator.maxBatch -= this.trainedBatch + 1;
      message += `${estimator.maxBatch} batches`;
    }
    const prefix = this.path(`${this.modelPrefix}-epoch${this.trainedEpoch}batch${this.trainedBatch}`);
    estimator.net.loadParameters(`${prefix}.params`);
    estimator.trainer.loadStates(`${prefix}.states`);
    estimator.logger.warning(message);
  }
}

/** The largest number `pattern` captures from the names that start with `prefix` (−1 if none). */
function maxIteration(files: readonly string[], prefix: string, pattern: RegExp): number {
  let best = -1;
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    const match = pattern.exec(file.slice(prefix.length));
    if (match) best = Math.max(best, Number(match[1]));
  }
  return best;
}
