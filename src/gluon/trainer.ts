import { GluonError } from '../core/errors';
import { describeValue } from '../core/checks';
import { Parameter } from '../nn/parameter';
import { ParameterDict } from '../nn/parameter_dict';
import { checkBoolean, checkNumber, checkOptionKeys } from './checks';
import { Optimizer } from './optimizers/optimizer';
import { AnyOptimizerOptions, create } from './optimizers/registry';
import { StatesTarget, decodeTrainerStates, encodeTrainerStates } from './trainer_states';
import { readBytesFile, writeBytesFile } from '../ndarray/io/fs';

/** What a Trainer optimizes: a ParameterDict, a list (any iterable) of Parameters, or an object of them. */
export type TrainerParams = ParameterDict | Iterable<Parameter> | Readonly<Record<string, Parameter>>;

/** Options of `Trainer.step` and `Trainer.update`. */
export interface StepOptions {
  /**
   * Skip parameters whose gradient backward has not written since the last step, instead of
   * throwing. Default false.
   */
  ignoreStaleGrad?: boolean;
}

/**
 * Applies an optimizer to a set of Parameters, as Gluon's `Trainer` (on one device: no kvstore).
 *
 * - `params`: `net.collectParams()` (a ParameterDict: its parameters are taken in sorted-name
 *   order, as Gluon), a list of Parameters, or an object of them. A parameter listed twice (shared)
 *   is optimized once. Every parameter must have been initialized (or be waiting for deferred
 *   initialization) when the Trainer is created.
 * - `optimizer`: a registered name (`'sgd'`, `'nag'`, `'adam'`, `'adamw'`, `'rmsprop'`,
 *   `'adagrad'`, any case) with `options`, or an Optimizer instance (then no options; it keeps
 *   its state by parameter position, so give each Trainer its own).
 * - `step(batchSize)` updates each parameter whose `gradReq` is not `'null'` from its gradient
 *   scaled by `rescaleGrad / batchSize` (Gluon's normalization: with a loss summed over the batch,
 *   the update uses the batch mean of the gradient — pass 1 if the loss is already a mean). The
 *   weights are updated in place: arrays read earlier from `param.data()` see the new values.
 *
 * @example
 * const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.1, momentum: 0.9 });
 * const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
 * const loss = autograd.record(() => lossFn(net(x), y));
 * loss.backward();
 * trainer.step(x.shape[0]);
 */
export class Trainer {
  readonly optimizer: Optimizer;
  /** The parameters optimized, in update order (each once). */
  readonly params: readonly Parameter[];
  /** The optimizer's own rescaleGrad, which each step divides by the batch size. */
  private readonly scale: number;

  constructor(params: TrainerParams, optimizer: string | Optimizer, options: AnyOptimizerOptions = {}) {
    this.params = listParameters(params);
    for (const param of this.params) {
      if (!param.isInitialized && !param.isDeferred) {
        throw new GluonError(
          `Trainer: expected initialized Parameters, but Parameter '${param.name}' has not been initialized; ` +
            'call initialize() on it or on its Block (e.g. net.initialize()) before creating the Trainer',
        );
      }
    }
    if (typeof optimizer !== 'string' && !(optimizer instanceof Optimizer)) {
      throw new GluonError(`Trainer: expected an optimizer name or an Optimizer, but got ${describeValue(optimizer)}`);
    }
    this.optimizer = create(optimizer, options);
    this.scale = this.optimizer.rescaleGrad;
  }

  /** The optimizer's current learning rate (its scheduler's, if it has one). */
  get learningRate(): number {
    return this.optimizer.learningRate;
  }

  set learningRate(lr: number) {
    this.setLearningRate(lr);
  }

  /** Sets a fixed learning rate (not allowed when the optimizer has an lrScheduler). */
  setLearningRate(lr: number): void {
    this.optimizer.setLearningRate(lr);
  }

  /**
   * One update of every parameter, from the gradients of the last backward, normalized by
   * `1 / batchSize`. Call it after `backward()`, outside `autograd.record`.
   *
   * A parameter (with `gradReq` other than `'null'`) whose gradient backward has not written since
   * the last step throws before anything is updated — it usually means part of the model was not
   * used — unless `ignoreStaleGrad`, which skips such parameters.
   */
  step(batchSize: number, options: StepOptions = {}): void {
    this.applyUpdates('Trainer.step', batchSize, options);
  }

  /**
   * Gluon's `update`: on one device (no gradient reduction across devices) it is `step`.
   */
  update(batchSize: number, options: StepOptions = {}): void {
    this.applyUpdates('Trainer.update', batchSize, options);
  }

  /**
   * Saves the optimizer's states — update counts, learning rate, scheduler state, every
   * parameter's momentum or moments — to the file `path`, so `loadStates` resumes training bit
   * for bit (with `net.saveParameters` for the weights). Gluon's `save_states`; the file is
   * tsgluon's own portable format (trainer_states.ts), since MXNet's is a Python pickle. Node
   * only; `saveStatesBytes` in browsers.
   *
   * @example
   * net.saveParameters('/tmp/net.params');
   * trainer.saveStates('/tmp/net.states');
   */
  saveStates(path: string): void {
    writeBytesFile(path, this.saveStatesBytes(), 'Trainer.saveStates');
  }

  /** The bytes `saveStates` writes. @example const bytes = trainer.saveStatesBytes(); */
  saveStatesBytes(): Uint8Array {
    return encodeTrainerStates(this.statesTarget(), this.optimizer.saveState());
  }

  /**
   * Loads states saved by `saveStates` into this Trainer's optimizer, replacing its own. The
   * Trainer must have the same optimizer class, as many parameters with the same sizes in the
   * same order (matched by position, as Gluon: a network built again has new names), and a
   * scheduler exactly when the saving one had; hyper-parameters come from this Trainer's options.
   *
   * @throws GluonError naming the file for a file that is not a states file or does not match.
   * @example trainer.loadStates('/tmp/net.states');
   */
  loadStates(path: string): void {
    this.loadStatesBytes(readBytesFile(path, 'Trainer.loadStates'), 'Trainer.loadStates');
  }

  /** `loadStates` from the bytes `saveStatesBytes` returned. @example trainer.loadStatesBytes(bytes); */
  loadStatesBytes(bytes: Uint8Array, who = 'Trainer.loadStatesBytes'): void {
    if (!(bytes instanceof Uint8Array)) throw new GluonError(`${who}: expected the states' bytes as a Uint8Array, but got ${describeValue(bytes)}`);
    this.optimizer.loadState(decodeTrainerStates(bytes, who, this.statesTarget()));
  }

  private statesTarget(): StatesTarget {
    return {
      optimizer: this.optimizer.constructor.name, params: this.params.map((p) => p.name),
      sizes: this.params.map((p) => (p.isInitialized ? p.data().size : undefined)),
      stateArrays: this.optimizer.stateArrays, hasScheduler: this.optimizer.lrScheduler !== undefined,
    };
  }

  private applyUpdates(owner: string, batchSize: number, options: StepOptions): void {
    checkNumber(owner, 'batchSize', batchSize, { min: 0, minOpen: true });
    checkOptionKeys(owner, options, ['ignoreStaleGrad']);
    const { ignoreStaleGrad = false } = options;
    const due = this.freshParameters(owner, checkBoolean(owner, 'ignoreStaleGrad', ignoreStaleGrad));
    this.optimizer.rescaleGrad = this.scale / batchSize;
    for (const index of due) {
      const param = this.params[index];
      param.data().freshGrad = false;
      this.optimizer.update(index, param.valuesForUpdate(), param.grad().data, param.lrMult, param.wdMult, param.name);
    }
  }

  /** Indices of the parameters to update; throws on a stale gradient unless `ignoreStale`. */
  private freshParameters(owner: string, ignoreStale: boolean): number[] {
    const due: number[] = [];
    this.params.forEach((param, index) => {
      if (param.gradReq === 'null') return;
      if (param.data().freshGrad) due.push(index);
      else if (!ignoreStale) throw staleGradientError(owner, param);
    });
    return due;
  }
}

function staleGradientError(owner: string, param: Parameter): GluonError {
  return new GluonError(
    `${owner}: expected a gradient computed by backward since the last step, but the gradient of Parameter ` +
      `'${param.name}' has not been updated by backward since last step. This could mean a bug in your model that ` +
      'made it only use a subset of the Parameters (Blocks) for this iteration. If you are intentionally only using ' +
      'a subset, call step with { ignoreStaleGrad: true } to suppress this error and skip updating of Parameters ' +
      'with stale gradient',
  );
}

/** The parameters of `params`, each once, in Gluon's order (a dict's by sorted name). */
function listParameters(params: unknown): Parameter[] {
  const items = parameterItems(params);
  const seen = new Set<Parameter>();
  items.forEach((item, i) => {
    if (!(item instanceof Parameter)) {
      throw new GluonError(`Trainer: expected params to hold only Parameters, but got ${describeValue(item)} at position ${i}`);
    }
    seen.add(item);
  });
  return [...seen];
}

function parameterItems(params: unknown): unknown[] {
  if (params instanceof ParameterDict) return [...params.keys()].sort().map((name) => params.lookup(name));
  if (typeof params === 'object' && params !== null && !(params instanceof Parameter)) {
    if (isIterable(params)) return [...params];
    if (Object.getPrototypeOf(params) === Object.prototype) {
      return Object.entries(params)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([, param]) => param);
    }
  }
  throw new GluonError(
    `Trainer: expected params to be a ParameterDict, a list of Parameters or an object of Parameters, but got ${describeValue(params)}`,
  );
}

function isIterable(value: object): value is Iterable<unknown> {
  return typeof Reflect.get(value, Symbol.iterator) === 'function';
}
