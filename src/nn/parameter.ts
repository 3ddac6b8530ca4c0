import { checkChoice, checkFinite, checkString, describeValue } from '../core/checks';
import { DeferredInitializationError, GluonError, formatShape } from '../core/errors';
import { Initializer } from '../init/initializer';
import { create as createInitializer } from '../init/registry';
import { NDArray } from '../ndarray/ndarray';
import { pyFloat } from '../core/py_format';
import { pyTuple } from '../ops/attrs';
import { sym } from '../symbol';
import type { Symbol } from '../symbol/symbol';
import { GRAD_REQS, checkParameterInitOptions, checkParameterOptions, shownShape } from './parameter_options';

/** How backward writes a parameter's gradient: overwrite, accumulate, or not at all. */
export type GradReq = 'write' | 'add' | 'null';

/** Anything `init.create` accepts: a registered name (`'zeros'`), an Initializer, or a config. */
export type InitializerSpec = Parameters<typeof createInitializer>[0];

/** Options of `new Parameter(name, options)`; the defaults are Gluon's. */
export interface ParameterOptions {
  /** Default `'write'`; forced to `'null'` when `differentiable` is false. */
  gradReq?: GradReq;
  /** A number n means `[n]`. A 0 dim is unknown and inferred on the first forward. */
  shape?: number | readonly number[];
  dtype?: 'float32';
  lrMult?: number;
  wdMult?: number;
  /** This parameter's own initializer; it wins over the one passed to `initialize()`. */
  init?: InitializerSpec;
  /** Whether `initialize()` may defer while the shape is unknown. Default false. */
  allowDeferredInit?: boolean;
  differentiable?: boolean;
}

/** Options of `Parameter.initialize`. */
export interface ParameterInitOptions {
  /** Used when neither `init` nor the parameter's own initializer is given. Default `Uniform()`. */
  defaultInit?: InitializerSpec;
  /** Re-initialize a parameter that already has data. Default false. */
  forceReinit?: boolean;
}

type State =
  | { kind: 'uninitialized' }
  | { kind: 'deferred'; init: Initializer; pending?: NDArray }
  | { kind: 'initialized'; data: NDArray };

/**
 * A learnable array of a Block, with Gluon's deferred-initialization state machine:
 *
 * - *uninitialized* until `initialize()`;
 * - *deferred* when `initialize()` runs while the shape has an unknown (0) dim and
 *   `allowDeferredInit` is set: the chosen initializer is kept, and the first forward infers the
 *   shape and finishes initialization (`data()` meanwhile throws `DeferredInitializationError`);
 * - *initialized*: `data()` holds the values and, unless `gradReq` is `'null'`, `grad()` a zero
 *   gradient of the same shape.
 *
 * Initializer precedence is Gluon's: the `init` argument of `initialize`, then the parameter's own
 * `init`, then `defaultInit` (which is what `block.initialize(init)` passes).
 *
 * @example
 * const w = new Parameter('weight', { shape: [0, 3], allowDeferredInit: true });
 * w.initialize('ones');   // deferred: the first dim is unknown
 * w.shape = [2, 3];       // what a layer's first forward does
 * w.data().shape;         // [2, 3], filled with ones
 */
export class Parameter {
  readonly name: string;
  readonly dtype = 'float32';
  readonly allowDeferredInit: boolean;
  readonly differentiable: boolean;
  /** This parameter's own initializer (a name, an Initializer or a config), if any. */
  init: InitializerSpec | undefined;
  private currentShape: number[] | undefined;
  private currentGradReq: GradReq;
  private currentLrMult = 1;
  private currentWdMult = 1;
  private state: State = { kind: 'uninitialized' };
  /** The graph variable `var()` made, and the shape text it was made with. */
  private variable: { readonly shape: string | undefined; readonly symbol: Symbol } | undefined;

  /** The learning-rate multiplier the optimizer applies to this parameter (a finite number). Default 1. */
  get lrMult(): number {
    return this.currentLrMult;
  }

  set lrMult(value: number) {
    // Checked here, where it is set: a NaN would turn every weight into NaN at the next step.
    this.currentLrMult = checkFinite(`Parameter '${this.name}'`, 'lrMult', value);
  }

  /** The weight-decay multiplier the optimizer applies to this parameter (a finite number). Default 1. */
  get wdMult(): number {
    return this.currentWdMult;
  }

  set wdMult(value: number) {
    this.currentWdMult = checkFinite(`Parameter '${this.name}'`, 'wdMult', value);
  }

  constructor(name: string, options: ParameterOptions = {}) {
    this.name = checkString('Parameter', 'name', name);
    checkParameterOptions(`Parameter '${name}'`, options);
    this.lrMult = options.lrMult ?? 1;
    this.wdMult = options.wdMult ?? 1;
    this.allowDeferredInit = options.allowDeferredInit ?? false;
    this.differentiable = options.differentiable ?? true;
    this.init = options.init;
    if (options.shape !== undefined) this.shape = typeof options.shape === 'number' ? [options.shape] : options.shape;
    this.currentGradReq = 'write';
    this.gradReq = this.differentiable ? options.gradReq ?? 'write' : 'null';
  }

  /** The shape, with 0 for dims not yet known; undefined when never given. */
  get shape(): readonly number[] | undefined {
    return this.currentShape;
  }

  /**
   * Sets or refines the shape, as Gluon's setter: with a shape already set, the ranks must match
   * and each current dim must be unknown (0) or equal to the new one.
   */
  set shape(next: readonly number[] | undefined) {
    if (next === undefined) {
      if (this.currentShape !== undefined) throw this.shapeError(next);
      return;
    }
    if (!Array.isArray(next) || !next.every((dim) => Number.isInteger(dim) && dim >= 0)) {
      throw new GluonError(`Parameter '${this.name}': shape dimension size cannot be less than 0 or fractional, but got ${shownShape(next)}`);
    }
    const current = this.currentShape;
    if (current !== undefined && (current.length !== next.length || current.some((dim, i) => dim !== 0 && dim !== next[i]))) {
      throw this.shapeError(next);
    }
    this.currentShape = next.slice();
  }

  private shapeError(next: readonly number[] | undefined): GluonError {
    const given = next === undefined ? 'None' : formatShape(next);
    return new GluonError(`Parameter '${this.name}': expected a shape compatible with ${formatShape(this.currentShape ?? [])}, but got ${given}`);
  }

  /** `'write'`, `'add'` or `'null'`. Switching to `'null'` drops the gradient; away from it creates zeros. */
  get gradReq(): GradReq {
    return this.currentGradReq;
  }

  set gradReq(req: GradReq) {
    checkChoice(`Parameter '${this.name}'`, 'gradReq', req, GRAD_REQS);
    if (!this.differentiable) req = 'null';
    this.currentGradReq = req;
    if (this.state.kind === 'initialized') this.state.data.attachGrad(req);
  }

  /** True once the parameter has data (not while deferred). */
  get isInitialized(): boolean {
    return this.state.kind === 'initialized';
  }

  /** True while initialization waits for the first forward to infer the shape. */
  get isDeferred(): boolean {
    return this.state.kind === 'deferred';
  }

  /**
   * Initializes the values: see the class comment for precedence and deferral. A second call warns
   * and keeps the values unless `forceReinit`; a deferred parameter is re-deferred silently.
   */
  initialize(init?: InitializerSpec, options: ParameterInitOptions = {}): void {
    checkParameterInitOptions(`Parameter '${this.name}'.initialize`, options);
    if (this.state.kind === 'initialized' && !options.forceReinit) {
      console.warn(`Parameter '${this.name}' is already initialized, ignoring. Set forceReinit=true to re-initialize.`);
      return;
    }
    const chosen = createInitializer(init ?? this.init ?? options.defaultInit ?? 'uniform');
    if (!this.hasKnownShape()) {
      if (!this.allowDeferredInit) throw this.invalidShapeError('');
      this.state = { kind: 'deferred', init: chosen };
      return;
    }
    this.state = { kind: 'deferred', init: chosen };
    this.finishDeferredInit();
  }

  private hasKnownShape(): boolean {
    const shape = this.currentShape;
    return shape !== undefined && shape.length > 0 && shape.every((dim) => dim > 0);
  }

  private invalidShapeError(hint: string): GluonError {
    const shape = this.currentShape === undefined ? 'None' : formatShape(this.currentShape);
    return new GluonError(`Cannot initialize Parameter '${this.name}' because it has invalid shape: ${shape}.${hint}`);
  }

  /**
   * @internal Completes a deferred initialization once the shape is known: the pending data set
   * by `setData`, else the kept initializer's values. A layer calls this on its first forward.
   */
  finishDeferredInit(): void {
    if (this.state.kind !== 'deferred') return;
    if (!this.hasKnownShape()) {
      throw this.invalidShapeError(' Please specify in_units, in_channels, etc for `Block`s.');
    }
    const shape = this.currentShape ?? [];
    const data = this.state.pending ?? this.state.init.initialize(this.name, shape);
    this.setInitialized(data);
  }

  /** The data array carries the gradient, so ops on `data()` inside `autograd.record` reach it. */
  private setInitialized(data: NDArray): void {
    data.attachGrad(this.currentGradReq);
    this.state = { kind: 'initialized', data };
  }

  /** The values. Throws `DeferredInitializationError` while deferred, `GluonError` if uninitialized. */
  data(): NDArray {
    switch (this.state.kind) {
      case 'initialized':
        return this.state.data;
      case 'deferred':
        throw new DeferredInitializationError(
          `Parameter '${this.name}' has not been initialized yet because initialization was deferred. ` +
            'Actual initialization happens during the first forward pass. Please pass one batch of data through ' +
            'the network before accessing Parameters. You can also avoid deferred initialization by specifying ' +
            'inUnits, inChannels, etc., for network layers.',
        );
      case 'uninitialized':
        throw this.uninitializedError();
    }
  }

  private uninitializedError(): GluonError {
    return new GluonError(
      `Parameter '${this.name}' has not been initialized. Note that you should initialize parameters and create ` +
        'Trainer with Block.collectParams() instead of Block.params because the latter does not include Parameters ' +
        'of nested child Blocks',
    );
  }

  /** The gradient array (zeros until a backward pass writes it). */
  grad(): NDArray {
    if (this.currentGradReq === 'null') {
      throw new GluonError(`Cannot get gradient array for Parameter '${this.name}' because grad_req='null'`);
    }
    const grad = this.data().grad;
    if (grad === undefined) throw new GluonError(`Parameter '${this.name}': no gradient is attached`);
    return grad;
  }

  /**
   * @internal The values as a writable view, for the Trainer alone: Gluon updates a parameter's
   * array in place (arrays obtained from `data()` see the new values), and the Trainer owns the
   * parameters it optimizes. Everything else treats `data()` as immutable.
   */
  valuesForUpdate(): Float32Array {
    return this.data().data;
  }

  /** Resets the gradient to zeros. */
  zeroGrad(): void {
    if (this.state.kind === 'initialized') this.state.data.zeroGrad();
  }

  /**
   * Sets the values (copied). The shape must be compatible (unknown dims are filled from it). On a
   * deferred parameter the data becomes the initial value used instead of the initializer.
   */
  setData(value: NDArray): void {
    if (!(value instanceof NDArray)) {
      throw new GluonError(`Parameter '${this.name}': setData expected an NDArray, but got ${describeValue(value)}`);
    }
    if (this.state.kind === 'uninitialized') {
      throw new GluonError(`Parameter '${this.name}' has not been initialized: call initialize() before setData()`);
    }
    this.shape = value.shape;
    const copy = new NDArray(value.toFloat32Array(), value.shape);
    if (this.state.kind === 'deferred') this.state = { ...this.state, pending: copy };
    else this.setInitialized(copy);
  }

  /**
   * @internal Takes values loaded from a file (Gluon's `_load_init`): the saved shape must fit the
   * current one (unknown dims are filled from it); the parameter is then initialized with a copy,
   * whatever its state, and no initializer runs.
   */
  loadInit(value: NDArray, fileName: string): void {
    const current = this.currentShape;
    if (current !== undefined && (current.length !== value.ndim || current.some((dim, i) => dim !== 0 && dim !== value.shape[i]))) {
      throw new GluonError(
        `Failed loading Parameter '${this.name}' from saved params in '${fileName}': shape incompatible expected ${formatShape(current)} vs saved ${formatShape(value.shape)}`,
      );
    }
    this.currentShape = value.shape.slice();
    this.setInitialized(new NDArray(value.toFloat32Array(), value.shape));
  }

  /**
   * This parameter as a graph variable (Gluon's `Parameter.var()`), with the attributes Gluon
   * writes: `__shape__` (0 for dims not yet known), `__dtype__`, `__init__` (when the parameter
   * has its own initializer), `__lr_mult__`, `__wd_mult__`, `__storage_type__`. One variable per
   * shape: a parameter used twice in one graph is one variable.
   */
  var(): Symbol {
    const shape = this.currentShape === undefined ? undefined : pyTuple(this.currentShape);
    if (this.variable === undefined || this.variable.shape !== shape) {
      const attr: Record<string, string> = { __dtype__: '0', __lr_mult__: pyFloat(this.lrMult), __storage_type__: '0', __wd_mult__: pyFloat(this.wdMult) };
      if (shape !== undefined) attr.__shape__ = shape;
      if (this.init !== undefined) attr.__init__ = typeof this.init === 'string' ? this.init : createInitializer(this.init).dumps();
      this.variable = { shape, symbol: sym.var(this.name, { attr }) };
    }
    return this.variable.symbol;
  }

  /** Gluon's text: `Parameter instancenorm0_gamma (shape=(2,), dtype=float32)`. */
  toString(): string {
    const shape = this.currentShape === undefined ? 'None' : formatShape(this.currentShape);
    return `Parameter ${this.name} (shape=${shape}, dtype=${this.dtype})`;
  }
}
