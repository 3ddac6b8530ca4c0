/**
 * The Optimizer base, as MXNet 1.9's `mx.optimizer.Optimizer`: hyper-parameters shared by every
 * optimizer, the update count that drives the learning-rate scheduler, per-parameter state, and
 * per-parameter learning-rate / weight-decay multipliers (`Parameter.lrMult`, `wdMult`).
 */
import { GluonError } from '../../core/errors';
import { checkBoolean, checkNumber, checkOptionKeys } from '../checks';
import { LRScheduler } from '../lr_scheduler';

/** Options every optimizer takes (MXNet's keyword arguments, in camelCase). */
export interface OptimizerOptions {
  /** The learning rate; each optimizer documents its default (MXNet's). */
  learningRate?: number;
  /** The L2 weight-decay coefficient (≥ 0). Default 0. */
  wd?: number;
  /** Gradients are multiplied by this before use. Default 1; the Trainer divides it by the batch size. */
  rescaleGrad?: number;
  /** If set (> 0), rescaled gradients are clipped to [−clipGradient, clipGradient]. Default: no clipping. */
  clipGradient?: number;
  /** Gives the learning rate from the update count; the optimizer sets its `baseLr` to `learningRate`. */
  lrScheduler?: LRScheduler;
  /** The update count to start from (when resuming). Default 0. */
  beginNumUpdate?: number;
  /**
   * MXNet's `multi_precision`: update float16 weights through a float32 master copy. Accepted so
   * that MXNet code ports unchanged; tsgluon's parameters are float32, for which MXNet's optimizers
   * ignore it too. Default false.
   */
  multiPrecision?: boolean;
}

const BASE_KEYS = ['learningRate', 'wd', 'rescaleGrad', 'clipGradient', 'lrScheduler', 'beginNumUpdate', 'multiPrecision'] as const;

/** The hyper-parameters of one parameter's update, resolved for this step. */
export interface UpdateContext {
  /** Learning rate (scheduled) × the parameter's lrMult. */
  readonly lr: number;
  /** Weight decay × the parameter's wdMult. */
  readonly wd: number;
  /** The gradient's multiplier (`rescaleGrad`). */
  readonly rescale: number;
  /** The clipping bound; Infinity when clipping is off. */
  readonly clip: number;
  /** This parameter's update count, 1 on its first update (Adam's bias-correction step). */
  readonly t: number;
  /** The parameter's name ('' when the caller gave none): LARS leaves biases and BatchNorm's γ, β alone. */
  readonly name: string;
}

/** What an optimizer saves for a resumed run (Optimizer.saveState). */
export interface OptimizerState {
  /** The fixed learning rate (a scheduler's rate is in `scheduler`). */
  readonly learningRate: number;
  readonly numUpdate: number;
  /** [parameter index, its update count]. */
  readonly counts: readonly (readonly [number, number])[];
  /** [parameter index, its state arrays]. */
  readonly states: readonly (readonly [number, readonly Float32Array[]])[];
  readonly scheduler?: Readonly<Record<string, number>>;
}

/** The L2 norm of `scale · values`, accumulated in float64 (LAMB's and LARS's per-parameter norms). */
export function l2Norm(values: Float32Array, scale = 1): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += (scale * values[i]) ** 2;
  return Math.sqrt(sum);
}

/** Clips `g` to [−bound, bound]; NaN passes through, as mshadow's clip. */
export function clipTo(g: number, bound: number): number {
  return g > bound ? bound : g < -bound ? -bound : g;
}

/**
 * The base of every optimizer. A subclass declares how many state arrays (each the size of the
 * weight, zero-initialized on first use) it keeps per parameter and implements `step`, the
 * in-place update of one weight: a tight loop over Float32Arrays that allocates nothing.
 *
 * Learning rate of an update: `lrScheduler.learningRateAt(numUpdate)` (or `learningRate`) ×
 * `lrMult`, where numUpdate counts updates as MXNet does (the largest per-parameter count, 1 in
 * the first step). Weight decay: `wd × wdMult`.
 */
export abstract class Optimizer {
  /** The gradient multiplier. The Trainer sets it to (the constructor's value) / batchSize each step. */
  rescaleGrad: number;
  readonly wd: number;
  readonly clipGradient: number | undefined;
  readonly lrScheduler: LRScheduler | undefined;
  /** See OptimizerOptions.multiPrecision. */
  readonly multiPrecision: boolean;
  private lr: number;
  private updates: number;
  protected readonly beginNumUpdate: number;
  private readonly counts = new Map<number, number>();
  private readonly states = new Map<number, Float32Array[]>();

  /**
   * @param owner the class name, for messages.
   * @param defaultLr this optimizer's default learning rate (MXNet's).
   * @param extraKeys the option names the subclass adds.
   */
  protected constructor(owner: string, options: OptimizerOptions, defaultLr: number, extraKeys: readonly string[]) {
    if (new.target === Optimizer) throw new GluonError('optimizer.Optimizer is abstract: use a subclass (new optimizer.SGD(...)) or optimizer.create(name)');
    checkOptionKeys(owner, options, [...extraKeys, ...BASE_KEYS]);
    const { learningRate = defaultLr, wd = 0, rescaleGrad = 1, clipGradient, lrScheduler, beginNumUpdate = 0, multiPrecision = false } = options;
    this.lr = checkNumber(owner, 'learningRate', learningRate, { min: 0 });
    this.wd = checkNumber(owner, 'wd', wd, { min: 0 });
    this.rescaleGrad = checkNumber(owner, 'rescaleGrad', rescaleGrad);
    this.clipGradient = clipGradient === undefined ? undefined : checkNumber(owner, 'clipGradient', clipGradient, { min: 0, minOpen: true });
    if (lrScheduler !== undefined && !(lrScheduler instanceof LRScheduler)) {
      throw new GluonError(`${owner}: expected lrScheduler to be an LRScheduler, but got ${typeof lrScheduler}`);
    }
    this.lrScheduler = lrScheduler;
    if (lrScheduler !== undefined) lrScheduler.baseLr = this.lr;
    this.beginNumUpdate = checkNumber(owner, 'beginNumUpdate', beginNumUpdate, { min: 0, integer: true });
    this.updates = this.beginNumUpdate;
    this.multiPrecision = checkBoolean(owner, 'multiPrecision', multiPrecision);
  }

  /** The number of updates so far: the largest count of any parameter (MXNet's `num_update`). */
  get numUpdate(): number {
    return this.updates;
  }

  /** The current learning rate: the scheduler's at `numUpdate`, or the fixed one. */
  get learningRate(): number {
    return this.lrScheduler === undefined ? this.lr : this.lrScheduler.learningRateAt(this.updates);
  }

  /** Sets a fixed learning rate. Not allowed with a scheduler (which owns the rate), as in MXNet. */
  setLearningRate(lr: number): void {
    if (this.lrScheduler !== undefined) {
      throw new GluonError(
        `${this.constructor.name}.setLearningRate: expected an optimizer without an lrScheduler, but it has a ` +
          `${this.lrScheduler.constructor.name}. LRScheduler of the optimizer has already been defined. Note that ` +
          'setLearningRate can mutate the value of the learning rate of the optimizer only when the LRScheduler ' +
          'of the optimizer is undefined.',
      );
    }
    this.lr = checkNumber(`${this.constructor.name}.setLearningRate`, 'lr', lr, { min: 0 });
  }

  /**
   * @internal Updates `weight` in place from `grad` for the parameter numbered `index` (the
   * Trainer's numbering; state is kept per index). `lrMult`/`wdMult` scale the learning rate and
   * the weight decay. Only the Trainer calls this: it owns the parameters' arrays.
   */
  update(index: number, weight: Float32Array, grad: Float32Array, lrMult = 1, wdMult = 1, name = ''): void {
    const owner = `${this.constructor.name}.update`;
    if (weight.length !== grad.length) {
      throw new GluonError(`${owner}: expected a gradient of ${weight.length} values for parameter ${index}, but got ${grad.length}`);
    }
    const state = this.stateFor(owner, index, weight);
    const t = this.countUpdate(index);
    const context: UpdateContext = {
      lr: this.learningRate * lrMult,
      wd: this.wd * wdMult,
      rescale: this.rescaleGrad,
      clip: this.clipGradient ?? Infinity,
      t,
      name,
    };
    this.step(weight, grad, state, context);
  }

  /**
   * @internal Everything a resumed run needs beyond the constructor's options: the fixed
   * learning rate, the update counts, the per-parameter state arrays (copies) and the
   * scheduler's state. See Trainer.saveStates.
   */
  saveState(): OptimizerState {
    return {
      learningRate: this.lr, numUpdate: this.updates, counts: [...this.counts],
      states: [...this.states].map(([index, arrays]) => [index, arrays.map((a) => a.slice())]),
      scheduler: this.lrScheduler?.stateForSave(),
    };
  }

  /** @internal Restores {@link saveState}'s result (already checked by the caller). */
  loadState(state: OptimizerState): void {
    this.lr = state.learningRate;
    this.updates = state.numUpdate;
    this.counts.clear();
    for (const [index, count] of state.counts) this.counts.set(index, count);
    this.states.clear();
    for (const [index, arrays] of state.states) this.states.set(index, arrays.map((a) => a.slice()));
    if (state.scheduler !== undefined) this.lrScheduler?.restoreState(state.scheduler);
  }

  /** How many state arrays this optimizer keeps per parameter. */
  get stateArrays(): number {
    return this.stateCount();
  }

  private stateFor(owner: string, index: number, weight: Float32Array): Float32Array[] {
    const size = weight.length;
    let state = this.states.get(index);
    if (state === undefined) {
      state = Array.from({ length: this.stateCount() }, () => new Float32Array(size));
      this.initState(state, weight);
      this.states.set(index, state);
    } else if (state.length > 0 && state[0].length !== size) {
      throw new GluonError(`${owner}: expected ${state[0].length} values for parameter ${index} (its state's size), but got ${size}`);
    }
    return state;
  }

  private countUpdate(index: number): number {
    const t = (this.counts.get(index) ?? this.beginNumUpdate) + 1;
    this.counts.set(index, t);
    this.updates = Math.max(this.updates, t);
    return t;
  }

  /** How many weight-sized state arrays this optimizer keeps per parameter (momentum, moments…). */
  protected abstract stateCount(): number;

  /** Fills a parameter's new state arrays (zeros by default) from its weight at the first update. */
  protected initState(_state: Float32Array[], _weight: Float32Array): void {}

  /** Updates `weight` in place from `grad` and this parameter's `state`. */
  protected abstract step(weight: Float32Array, grad: Float32Array, state: Float32Array[], context: UpdateContext): void;
}
