import { GluonError } from '../core/errors';
import { checkFunction, checkString, describeValue } from '../core/checks';
import { NDArray } from '../ndarray/ndarray';
import { Symbol as GraphSymbol } from '../symbol/symbol';
import { BLOCK_OPTION_KEYS, checkBlockOptions, hybridizeFlags, selectMatcher } from './block_checks';
import { createBlockNames, withNameScope } from './naming';
import { summarize } from './summary';
import {
  LoadParametersOptions,
  SaveParametersOptions,
  loadParameters,
  saveParameters,
  saveParametersBytes,
} from './parameter_files';
import { InitializerSpec, Parameter } from './parameter';
import { InitializeOptions, ParameterDict } from './parameter_dict';

/** Options of `hybridize`, as Gluon's keyword arguments. */
export interface HybridizeOptions {
  /** Hybridize (true, the default) or return to imperative execution (false). */
  active?: boolean;
  /** Gluon's static_alloc: accepted; tsgluon's cached graph always keeps its planned memory. Default false. */
  staticAlloc?: boolean;
  /** Gluon's static_shape (requires staticAlloc): keep one plan only; a new input shape re-plans from scratch. Default false. */
  staticShape?: boolean;
}

/** Options every Block takes, as Gluon's `prefix` and `params` keyword arguments. */
export interface BlockOptions {
  /** The name prefix, used verbatim (inside a parent's name scope the parent's prefix is prepended). */
  prefix?: string;
  /** Another block's ParameterDict: this block then shares (and reuses) those parameters. */
  params?: ParameterDict;
}

/** What a block computes on: arrays, or Symbols while a HybridBlock is traced into a graph. */
export type Tensor = NDArray | GraphSymbol;

/** A block's result on Symbols, for a block whose result on arrays is `O`. */
export type Traced<O> = O extends NDArray ? Tensor : Tensor | Tensor[];

/** A hook run after a block's forward on arrays: `(block, inputs, output)`. */
export type ForwardHook = (block: Block<unknown>, inputs: readonly NDArray[], output: NDArray | NDArray[]) => void;

/** What `registerForwardHook` returns: `detach()` removes the hook. */
export interface HookHandle {
  detach(): void;
}

const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/**
 * Blocks are callable: `block(x)` runs `forward(x)` (after finishing deferred initialization).
 * `O` is what a call on arrays returns: one array, or several (a SymbolBlock of several outputs).
 */
export interface Block<O = NDArray> {
  (...inputs: NDArray[]): O;
  (...inputs: Tensor[]): Traced<O>;
}

/**
 * The base of every layer and model, as Gluon's `Block`.
 *
 * - **Callable:** `block(x)` finishes any deferred parameter initialization from the inputs
 *   (through `inferShape`), runs `forward(x)`, then the forward hooks.
 * - **Registration by assignment:** assigning a Block to an attribute makes it a child under that
 *   name; assigning a Parameter registers it. `collectParams()` lists this block's parameters in
 *   creation order, then each child's, depth-first.
 * - **Naming:** `prefix` is Gluon's (`instancenorm0_`); children created inside
 *   `this.nameScope(() => …)` are prefixed by this block's prefix.
 * - **Checked options and calls:** the constructor refuses an options object with a key outside
 *   the class's static `optionKeys` (`prefix` and `params` for Block; a subclass with options of
 *   its own lists them, as each built-in layer does), as Gluon refuses an unknown keyword
 *   argument; a call with another number of inputs than the class's static `inputCount` (when
 *   set: every built-in layer takes 1) is refused before `forward` runs.
 *
 * @example
 * class Residual extends nn.Block {
 *   readonly norm: nn.InstanceNorm;
 *   constructor() {
 *     super();
 *     this.norm = this.nameScope(() => new nn.InstanceNorm());
 *   }
 *   override forward(x: NDArray): NDArray { return x.add(this.norm(x)); }
 * }
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface adds the call signature: a Block is a function (see the constructor)
export class Block<O = NDArray> {
  /** The option keys the constructor accepts; any other key is an error naming them. */
  static readonly optionKeys: readonly string[] = BLOCK_OPTION_KEYS;
  /** How many inputs a call takes (every built-in layer: 1); undefined for any number, which `forward` handles. */
  static readonly inputCount: number | undefined = undefined;
  /** @internal */ childCounters!: Map<string, number>;
  private blockPrefix!: string;
  /** @internal Given the prefix '' (see naming.ts). */ emptyPrefix!: boolean;
  private ownParams!: ParameterDict;
  private children!: Map<string, Block<unknown>>;
  private registeredParams!: Map<string, Parameter>;
  private forwardHooks!: Set<ForwardHook>;

  /**
   * @param hint the naming hint (Gluon's `_alias()`), when it is not the class name in lower
   *   case: Activation passes its act type (`relu0_`), convolutions 'conv', pooling layers 'pool'.
   */
  constructor(options: BlockOptions = {}, hint?: string) {
    // Checked before naming, so a refused block uses up no name.
    const { prefix, params } = checkBlockOptions(new.target.name, options, new.target.optionKeys, hint);
    // A Block must be callable, so the instance is a function whose prototype is the subclass's;
    // a Proxy catches attribute assignment to register children and parameters, as Gluon's
    // __setattr__. Object.setPrototypeOf is typed `any`: the object is a Block from here on.
    const callable = (...inputs: Tensor[]): Tensor | Tensor[] => block.invoke(inputs);
    const self: Block<O> = Object.setPrototypeOf(callable, new.target.prototype);
    // A function's own `name` and `length` would shadow Block's getters.
    Reflect.deleteProperty(self, 'name');
    Reflect.deleteProperty(self, 'length');
    const names = createBlockNames(hint ?? new.target.name.toLowerCase(), prefix, params);
    self.blockPrefix = names.prefix;
    self.emptyPrefix = prefix === '';
    self.ownParams = names.params;
    self.childCounters = new Map();
    self.children = new Map();
    self.registeredParams = new Map();
    self.forwardHooks = new Set();
    const block = new Proxy<Block<O>>(self, { defineProperty: registerAttribute });
    return block;
  }

  /** The prefix of this block's names, e.g. `instancenorm0_`. */
  get prefix(): string {
    return this.blockPrefix;
  }

  /** The prefix without its trailing underscore, e.g. `instancenorm0`. */
  get name(): string {
    return this.blockPrefix.endsWith('_') ? this.blockPrefix.slice(0, -1) : this.blockPrefix;
  }

  /** @internal The name errors give this block: its name, or its class name when the prefix is empty (a SymbolBlock). */
  get errorName(): string {
    return this.name === '' ? this.constructor.name : this.name;
  }

  /** This block's own ParameterDict (not its children's: see `collectParams`). */
  get params(): ParameterDict {
    return this.ownParams;
  }

  /** Runs `body` so that blocks created in it are named as this block's children. */
  nameScope<T>(body: () => T): T {
    return withNameScope(this, checkFunction(`${this.errorName}.nameScope`, 'body', body));
  }

  /** Registers `block` as a child under `name` (default: the number of children so far). */
  registerChild(block: Block<unknown>, name: string = String(this.children.size)): void {
    checkString(`${this.errorName}.registerChild`, 'name', name);
    if (!(block instanceof Block)) {
      throw new GluonError(`${this.errorName}: expected a Block to register as child '${name}', but got ${describeValue(block)}`);
    }
    this.children.set(name, block);
  }

  /** @internal Registers a parameter under an attribute name (Gluon's `_reg_params`). */
  registerParameter(name: string, param: Parameter): void {
    if (this.registeredParams.has(name)) {
      throw new GluonError(
        `${this.errorName}: overriding Parameter attribute '${name}' is not allowed. If you want to share parameters ` +
          "between blocks, please set 'params' at Block construction instead.",
      );
    }
    this.registeredParams.set(name, param);
  }

  /** The registered children, by name, in registration order. */
  childEntries(): ReadonlyMap<string, Block<unknown>> {
    return this.children;
  }

  /** The attribute-registered parameters, by attribute name, in registration order. */
  parameterEntries(): ReadonlyMap<string, Parameter> {
    return this.registeredParams;
  }

  /**
   * This block's parameters and its children's (depth-first) in a new ParameterDict with this
   * block's prefix. `select` keeps the names it matches at their start, as Python's `re.match`:
   * use `'.*weight'` to pick every weight.
   */
  collectParams(select?: string | RegExp): ParameterDict {
    return this.collectMatching(selectMatcher(this.errorName, select));
  }

  private collectMatching(matcher: RegExp | undefined): ParameterDict {
    const result = new ParameterDict(this.ownParams.prefix);
    for (const [name, param] of this.ownParams) {
      if (matcher === undefined || ((matcher.lastIndex = 0), matcher.test(name))) result.update([[name, param]]);
    }
    for (const child of this.children.values()) result.update(child.collectMatching(matcher));
    return result;
  }

  /**
   * Initializes every parameter of this block and its children: `init` is the default for
   * parameters without their own initializer (default `'uniform'`, as Gluon).
   */
  initialize(init: InitializerSpec = 'uniform', options: InitializeOptions = {}): void {
    this.collectParams().initializeAs(`${this.errorName}.initialize`, init, options);
  }

  /** Applies `fn` to every child recursively, then to this block; returns this block. */
  apply(fn: (block: Block<unknown>) => void): this {
    checkFunction(`${this.errorName}.apply`, 'fn', fn);
    for (const child of this.children.values()) child.apply(fn);
    fn(this);
    return this;
  }

  /**
   * Saves the parameters of this block and its children to `path` in MXNet's `.params` format,
   * keyed structurally as Gluon's `save_parameters` ('0.weight', 'features.3.gamma'): MXNet 1.9
   * loads the file with `load_parameters`. Node only; see `saveParametersBytes` for browsers.
   */
  saveParameters(path: string, options?: SaveParametersOptions): void {
    saveParameters(this, path, options);
  }

  /** The file `saveParameters` writes, as bytes. */
  saveParametersBytes(options?: SaveParametersOptions): Uint8Array {
    return saveParametersBytes(this, options);
  }

  /**
   * Loads parameters from an MXNet `.params` file (a path, or its bytes): structural keys
   * (Gluon's `save_parameters`), or the older full names ('dense0_weight', also with 'arg:'/'aux:')
   * matched through this block's prefix. Deferred or uninitialized parameters are initialized from
   * the file; no prior `initialize()` is needed. Missing or extra keys and shape mismatches throw
   * Gluon's messages unless `allowMissing` / `ignoreExtra`.
   */
  loadParameters(source: string | Uint8Array, options?: LoadParametersOptions): void {
    loadParameters(this, source, options);
  }

  /**
   * Hybridizes the HybridBlocks among this block's children (see `HybridBlock.hybridize`); a
   * plain Block itself always runs imperatively, as in Gluon.
   */
  hybridize(options: HybridizeOptions | boolean = true): void {
    const flags = hybridizeFlags(this.errorName, options);
    for (const child of this.children.values()) child.hybridize(flags);
  }

  /**
   * Runs one forward pass on `inputs` and returns Gluon's summary table (each layer's output
   * shape and parameter count, then the totals), also printing it as Gluon does. The block must
   * be initialized. A hybridized block is summarized from an imperative pass (Gluon refuses).
   */
  summary(...inputs: NDArray[]): string {
    const table = summarize(this, inputs);
    console.log(table);
    return table;
  }

  /** @internal Whether `summary()` lists this block as a row; containers are not listed. */
  listedInSummary(): boolean {
    return true;
  }

  /** Runs `hook(block, inputs, output)` after every forward of this block. */
  registerForwardHook(hook: ForwardHook): HookHandle {
    this.forwardHooks.add(checkFunction(`${this.errorName}.registerForwardHook`, 'hook', hook));
    return { detach: () => this.forwardHooks.delete(hook) };
  }

  /** The computation. Subclasses override it; `block(x)` calls it. */
  forward(...inputs: Tensor[]): Tensor | Tensor[] {
    throw new GluonError(`${this.constructor.name} '${this.name}' has no forward: a Block subclass must override forward(), got ${inputs.length} inputs`);
  }

  /**
   * Sets the unknown dims of this block's deferred parameters from the inputs of the first
   * forward. HybridBlocks infer them from their graph; a plain Block infers nothing.
   */
  protected inferShape(...inputs: NDArray[]): void {
    void inputs;
  }

  /** How many inputs a call takes: the class's `inputCount` (a SymbolBlock: its graph's). */
  protected inputArity(): number | undefined {
    return (this.constructor as typeof Block).inputCount;
  }

  /**
   * Checks the inputs of a call before anything reads them: their number (see `inputArity`), and
   * for a HybridBlock their kind, NDArrays or Symbols (an absent optional one is undefined), as
   * Gluon's "HybridBlock input must be (nested) list of Symbol or NDArray"; a plain Block's
   * `forward` may take anything.
   */
  protected checkInputs(inputs: readonly unknown[]): void {
    const arity = this.inputArity();
    if (arity !== undefined && inputs.length !== arity) {
      throw new GluonError(`${this.errorName}: expected ${arity} input${arity === 1 ? '' : 's'}, but got ${inputs.length}`);
    }
    if (!this.traceable()) return;
    inputs.forEach((x, i) => {
      if (x !== undefined && !(x instanceof NDArray) && !(x instanceof GraphSymbol)) {
        throw new GluonError(`${this.errorName}: expected input ${i} to be an NDArray (or a Symbol), but got ${describeValue(x)}`);
      }
    });
  }

  /** @internal Whether this block can be traced into a graph (HybridBlocks). */
  traceable(): boolean {
    return false;
  }

  /**
   * The inputs as this block computes on them; the identity but for blocks that accept other
   * dtypes than float32 and convert them (the losses' labels).
   */
  protected convertInputs(inputs: Tensor[]): Tensor[] {
    return inputs;
  }

  private invoke(given: Tensor[]): Tensor | Tensor[] {
    const inputs = this.convertInputs(given);
    this.checkInputs(inputs);
    if (inputs.some((x) => x instanceof GraphSymbol)) {
      if (!this.traceable()) {
        throw new GluonError(`${this.errorName}: a ${this.constructor.name} is not a HybridBlock, so it cannot be traced into a graph (it was called on a Symbol)`);
      }
      return this.forward(...inputs);
    }
    const arrays = inputs as NDArray[];
    this.finishDeferredInit(arrays);
    const output = this.forward(...arrays);
    for (const hook of this.forwardHooks) hook(this, arrays, output as NDArray | NDArray[]);
    return output;
  }

  /** Runs on every call, so it allocates nothing unless a parameter is still deferred. */
  private finishDeferredInit(inputs: NDArray[]): void {
    let inferred = false;
    for (const param of this.ownParams.values()) {
      if (!param.isDeferred) continue;
      if (!inferred) this.inferShape(...inputs);
      inferred = true;
      param.finishDeferredInit();
    }
  }

  /** Gluon's text form: `Name(`, then `  (key): child` per child, then `)`. */
  toString(): string {
    const lines = [...this.children].map(([key, child]) => `  (${key}): ${indent(child.toString(), 2)}`);
    return `${this.constructor.name}(\n${lines.join('\n')}\n)`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** Proxy trap: Gluon's __setattr__ registration of Block and Parameter attributes. */
function registerAttribute(target: Block<unknown>, key: string | symbol, descriptor: PropertyDescriptor): boolean {
  const value: unknown = descriptor.value;
  if (typeof key === 'string' && 'value' in descriptor) {
    const existing: unknown = Reflect.get(target, key);
    for (const kind of [Block, Parameter]) {
      if (existing instanceof kind && !(value instanceof kind)) {
        throw new GluonError(`${target.errorName}: changing attribute type for '${key}' from ${kind.name} to ${describeValue(value)} is not allowed`);
      }
    }
    if (value instanceof Block) target.registerChild(value, key);
    else if (value instanceof Parameter) target.registerParameter(key, value);
  }
  return Reflect.defineProperty(target, key, descriptor);
}

function indent(text: string, spaces: number): string {
  return text.split('\n').join(`\n${' '.repeat(spaces)}`);
}
