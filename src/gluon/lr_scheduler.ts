/**
 * Learning-rate schedulers, as MXNet 1.9's `mx.lr_scheduler`: a scheduler maps the optimizer's
 * update count `numUpdate` (the largest number of updates any parameter has had: 1 during the
 * first `trainer.step`) to a learning rate.
 *
 * As in MXNet, an optimizer given a scheduler sets the scheduler's `baseLr` to its own
 * `learningRate` (so pass the rate to the optimizer), and schedulers keep state between calls
 * (FactorScheduler counts the decays it has applied): give each optimizer its own scheduler.
 */
import { GluonError } from '../core/errors';
import { checkNumber, checkOptionKeys } from './checks';

/** How the learning rate moves during warm-up: linearly up to the base rate, or held constant. */
export type WarmupMode = 'linear' | 'constant';

/** Options every scheduler takes. */
export interface LRSchedulerOptions {
  /** The initial (post-warm-up) learning rate. Default 0.01; an optimizer overrides it. */
  baseLr?: number;
  /** Number of warm-up updates before the schedule starts. Default 0. */
  warmupSteps?: number;
  /** The learning rate warm-up starts from. Default 0; must not exceed `baseLr`. */
  warmupBeginLr?: number;
  /** Default `'linear'`. */
  warmupMode?: WarmupMode;
}

const BASE_KEYS = ['baseLr', 'warmupSteps', 'warmupBeginLr', 'warmupMode'] as const;

/**
 * The base of the schedulers: warm-up handling and `baseLr`. During warm-up
 * (`numUpdate < warmupSteps`) the rate is `warmupBeginLr + (finalLr − warmupBeginLr) · numUpdate /
 * warmupSteps` ('linear') or `warmupBeginLr` ('constant'), where finalLr is `baseLr` as given to the
 * constructor.
 */
export abstract class LRScheduler {
  /** The current base rate; the optimizer sets it to its learning rate, schedules change it. */
  baseLr: number;
  readonly warmupSteps: number;
  readonly warmupBeginLr: number;
  readonly warmupFinalLr: number;
  readonly warmupMode: WarmupMode;

  protected constructor(owner: string, options: LRSchedulerOptions, extraKeys: readonly string[]) {
    if (new.target === LRScheduler) throw new GluonError('lrScheduler.LRScheduler is abstract: use a subclass (new lrScheduler.FactorScheduler(...))');
    checkOptionKeys(owner, options, [...extraKeys, ...BASE_KEYS]);
    const { baseLr = 0.01, warmupSteps = 0, warmupBeginLr = 0, warmupMode = 'linear' } = options;
    this.baseLr = checkNumber(owner, 'baseLr', baseLr, { min: 0 });
    this.warmupSteps = checkNumber(owner, 'warmupSteps', warmupSteps, { min: 0, integer: true });
    this.warmupBeginLr = checkNumber(owner, 'warmupBeginLr', warmupBeginLr, { min: 0, max: this.baseLr });
    this.warmupFinalLr = this.baseLr;
    if (warmupMode !== 'linear' && warmupMode !== 'constant') {
      throw new GluonError(`${owner}: expected warmupMode 'linear' or 'constant', but got '${String(warmupMode)}'`);
    }
    this.warmupMode = warmupMode;
  }

  /** The learning rate for update `numUpdate` (a count ≥ 0). May advance the scheduler's state. */
  learningRateAt(numUpdate: number): number {
    checkNumber(this.constructor.name, 'numUpdate', numUpdate, { min: 0, integer: true });
    if (numUpdate < this.warmupSteps) return this.warmupLr(numUpdate);
    return this.scheduledLr(numUpdate);
  }

  private warmupLr(numUpdate: number): number {
    if (this.warmupMode === 'constant') return this.warmupBeginLr;
    return this.warmupBeginLr + ((this.warmupFinalLr - this.warmupBeginLr) * numUpdate) / this.warmupSteps;
  }

  /** The rate after warm-up (`numUpdate ≥ warmupSteps`). */
  protected abstract scheduledLr(numUpdate: number): number;

  /**
   * @internal What changes as the scheduler runs — `baseLr` and a subclass's counters — for the
   * Trainer's saved states (Trainer.saveStates), so a resumed run continues bit for bit.
   */
  stateForSave(): Record<string, number> {
    return { baseLr: this.baseLr };
  }

  /** @internal Restores what {@link stateForSave} returned (checked by the caller to hold numbers). */
  restoreState(state: Readonly<Record<string, number>>): void {
    this.baseLr = state.baseLr;
  }
}

/** Options of `FactorScheduler`. */
export interface FactorSchedulerOptions extends LRSchedulerOptions {
  /** Multiply the rate by `factor` every `step` updates (an integer ≥ 1). Required. */
  step: number;
  /** In [0, 1]. Default 1. */
  factor?: number;
  /** The rate never falls below this. Default 1e-8. */
  stopFactorLr?: number;
}

/**
 * `baseLr · factor^⌊(numUpdate − 1) / step⌋`, floored at `stopFactorLr` (MXNet's FactorScheduler:
 * the rate changes once numUpdate exceeds a multiple of `step`, so updates 1…step use baseLr).
 *
 * @example
 * const sched = new lrScheduler.FactorScheduler({ step: 2, factor: 0.5, baseLr: 1 });
 * [1, 2, 3, 4, 5].map((t) => sched.learningRateAt(t)); // [1, 1, 0.5, 0.5, 0.25]
 */
export class FactorScheduler extends LRScheduler {
  readonly step: number;
  readonly factor: number;
  readonly stopFactorLr: number;
  /** The update count at which the last decay was applied. */
  private count = 0;

  constructor(options: FactorSchedulerOptions) {
    super('FactorScheduler', options, ['step', 'factor', 'stopFactorLr']);
    const { step, factor = 1, stopFactorLr = 1e-8 } = options;
    this.step = checkNumber('FactorScheduler', 'step', step, { min: 1, integer: true });
    this.factor = checkNumber('FactorScheduler', 'factor', factor, { min: 0, max: 1 });
    this.stopFactorLr = checkNumber('FactorScheduler', 'stopFactorLr', stopFactorLr, { min: 0 });
  }

  override stateForSave(): Record<string, number> {
    return { ...super.stateForSave(), count: this.count };
  }

  override restoreState(state: Readonly<Record<string, number>>): void {
    super.restoreState(state);
    this.count = state.count;
  }

  protected scheduledLr(numUpdate: number): number {
    // A loop, as MXNet's, so a resumed run (a jump in numUpdate) applies every missed decay.
    while (numUpdate > this.count + this.step) {
      this.count += this.step;
      this.baseLr = Math.max(this.baseLr * this.factor, this.stopFactorLr);
    }
    return this.baseLr;
  }
}

/** Options of `CosineScheduler`. */
export interface CosineSchedulerOptions extends LRSchedulerOptions {
  /** The update count at which the rate reaches `finalLr` (an integer ≥ 1, > warmupSteps). Required. */
  maxUpdate: number;
  /** Default 0. */
  finalLr?: number;
}

/**
 * Cosine decay from the constructor's `baseLr` to `finalLr` over updates `warmupSteps…maxUpdate`:
 * `finalLr + (baseLr − finalLr) · (1 + cos(π · (numUpdate − warmupSteps) / (maxUpdate − warmupSteps))) / 2`,
 * then the last rate (as MXNet: updates past maxUpdate keep `baseLr`, which the last scheduled
 * update set to `finalLr`).
 *
 * @example
 * const sched = new lrScheduler.CosineScheduler({ maxUpdate: 4, baseLr: 1 });
 * [0, 2, 4, 9].map((t) => sched.learningRateAt(t)); // [1, 0.5, 0, 0]
 */
export class CosineScheduler extends LRScheduler {
  readonly maxUpdate: number;
  readonly finalLr: number;
  /** The start of the decay: `baseLr` as given, unaffected by the optimizer (MXNet's base_lr_orig). */
  private readonly startLr: number;

  constructor(options: CosineSchedulerOptions) {
    super('CosineScheduler', options, ['maxUpdate', 'finalLr']);
    const { maxUpdate, finalLr = 0 } = options;
    this.maxUpdate = checkNumber('CosineScheduler', 'maxUpdate', maxUpdate, { min: this.warmupSteps, minOpen: true, integer: true });
    this.finalLr = checkNumber('CosineScheduler', 'finalLr', finalLr, { min: 0 });
    this.startLr = this.baseLr;
  }

  protected scheduledLr(numUpdate: number): number {
    if (numUpdate <= this.maxUpdate) {
      const progress = (numUpdate - this.warmupSteps) / (this.maxUpdate - this.warmupSteps);
      this.baseLr = this.finalLr + ((this.startLr - this.finalLr) * (1 + Math.cos(Math.PI * progress))) / 2;
    }
    return this.baseLr;
  }
}

/** Options of `MultiFactorScheduler`. */
export interface MultiFactorSchedulerOptions extends LRSchedulerOptions {
  /** The update counts after which the rate is multiplied by `factor`: increasing integers ≥ 1. Required. */
  step: readonly number[];
  /** In [0, 1]. Default 1. */
  factor?: number;
}

/**
 * `baseLr · factor^k` where k is how many of `step` the update count has passed (MXNet's
 * MultiFactorScheduler: update step[i] still has the previous rate, step[i] + 1 the new one).
 *
 * @example
 * const sched = new lrScheduler.MultiFactorScheduler({ step: [2, 4], factor: 0.5, baseLr: 1 });
 * [1, 2, 3, 4, 5].map((t) => sched.learningRateAt(t)); // [1, 1, 0.5, 0.5, 0.25]
 */
export class MultiFactorScheduler extends LRScheduler {
  readonly step: readonly number[];
  readonly factor: number;
  private stepIndex = 0;
  /** The last step passed (MXNet's `count`). */
  private count = 0;

  constructor(options: MultiFactorSchedulerOptions) {
    super('MultiFactorScheduler', options, ['step', 'factor']);
    const { step, factor = 1 } = options;
    if (!Array.isArray(step) || step.length === 0) throw new GluonError(`MultiFactorScheduler: expected step to be a non-empty list of update counts, but got ${String(step)}`);
    step.forEach((s, i) => {
      checkNumber('MultiFactorScheduler', 'step', s, { min: 1, integer: true });
      if (i > 0 && s <= step[i - 1]) throw new GluonError(`MultiFactorScheduler: expected step to increase, but ${s} follows ${step[i - 1]}`);
    });
    this.step = Object.freeze([...step]);
    this.factor = checkNumber('MultiFactorScheduler', 'factor', factor, { min: 0, max: 1 });
  }

  override stateForSave(): Record<string, number> {
    return { ...super.stateForSave(), stepIndex: this.stepIndex, count: this.count };
  }

  override restoreState(state: Readonly<Record<string, number>>): void {
    super.restoreState(state);
    this.stepIndex = state.stepIndex;
    this.count = state.count;
  }

  protected scheduledLr(numUpdate: number): number {
    // A loop, as MXNet's, so a resumed run applies every step it passed.
    while (this.stepIndex < this.step.length && numUpdate > this.step[this.stepIndex]) {
      this.count = this.step[this.stepIndex];
      this.stepIndex++;
      this.baseLr *= this.factor;
    }
    return this.baseLr;
  }
}

/** Options of `PolyScheduler`. */
export interface PolySchedulerOptions extends LRSchedulerOptions {
  /** The update count at which the rate reaches `finalLr` (an integer > warmupSteps). Required. */
  maxUpdate: number;
  /** The polynomial's power. Default 2. */
  pwr?: number;
  /** Default 0. */
  finalLr?: number;
}

/**
 * Polynomial decay (MXNet's PolyScheduler): from the constructor's `baseLr` to `finalLr` over
 * updates `warmupSteps…maxUpdate`, `finalLr + (baseLr − finalLr)·(1 − (t − warmupSteps)/(maxUpdate − warmupSteps))^pwr`,
 * then finalLr.
 *
 * @example
 * const sched = new lrScheduler.PolyScheduler({ maxUpdate: 4, baseLr: 1, pwr: 1 });
 * [0, 2, 4, 9].map((t) => sched.learningRateAt(t)); // [1, 0.5, 0, 0]
 */
export class PolyScheduler extends LRScheduler {
  readonly maxUpdate: number;
  readonly power: number;
  readonly finalLr: number;
  /** The start of the decay: `baseLr` as given (MXNet's base_lr_orig). */
  private readonly startLr: number;

  constructor(options: PolySchedulerOptions) {
    super('PolyScheduler', options, ['maxUpdate', 'pwr', 'finalLr']);
    const { maxUpdate, pwr = 2, finalLr = 0 } = options;
    this.maxUpdate = checkNumber('PolyScheduler', 'maxUpdate', maxUpdate, { min: this.warmupSteps, minOpen: true, integer: true });
    this.power = checkNumber('PolyScheduler', 'pwr', pwr, { min: 0 });
    this.finalLr = checkNumber('PolyScheduler', 'finalLr', finalLr, { min: 0 });
    this.startLr = this.baseLr;
  }

  protected scheduledLr(numUpdate: number): number {
    // Past maxUpdate the rate is the one at maxUpdate, finalLr (MXNet keeps the last rate it
    // computed, which is not finalLr when the count jumps past maxUpdate, e.g. on resuming).
    const progress = (Math.min(numUpdate, this.maxUpdate) - this.warmupSteps) / (this.maxUpdate - this.warmupSteps);
    this.baseLr = this.finalLr + (this.startLr - this.finalLr) * (1 - progress) ** this.power;
    return this.baseLr;
  }
}
