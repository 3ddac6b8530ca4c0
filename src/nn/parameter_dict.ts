import { checkChoice, checkFlag, checkOptionsObject, checkString, optionKeys } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { create as createInitializer } from '../init/registry';
import { GradReq, InitializerSpec, Parameter, ParameterOptions } from './parameter';
import { checkParameterOptions } from './parameter_options';
import { LoadParametersOptions, checkLoadOptions, checkSource, loadIntoDict, saveDict } from './parameter_files';
import { load } from '../ndarray/io/fs';

/** Options of `ParameterDict.initialize` and `Block.initialize`. */
export interface InitializeOptions {
  /** Re-initialize parameters that already have data. Default false. */
  forceReinit?: boolean;
}

/** Options of `ParameterDict.load`: `loadParameters`' and `restorePrefix`. */
export interface DictLoadOptions extends LoadParametersOptions {
  /** Prepended to every name in the file. Default ''. */
  restorePrefix?: string;
}

const INITIALIZE_KEYS = optionKeys<InitializeOptions>({ forceReinit: true });
const DICT_LOAD_KEYS = optionKeys<DictLoadOptions>({ allowMissing: true, ignoreExtra: true, restorePrefix: true });

/**
 * An ordered map from full parameter name to Parameter (insertion order), as Gluon's
 * `ParameterDict`. `get(name)` prepends the prefix and creates the parameter if it is missing,
 * which is how blocks make theirs; `lookup(fullName)` only looks. A dict made with `shared` also
 * finds (and adopts) the shared dict's parameters, which is how blocks share weights.
 *
 * @example
 * const params = new ParameterDict('dense0_');
 * const w = params.get('weight', { shape: [10, 0], allowDeferredInit: true });
 * w.name;                           // 'dense0_weight'
 * params.lookup('dense0_weight');   // the same Parameter
 */
export class ParameterDict implements Iterable<[string, Parameter]> {
  readonly prefix: string;
  readonly shared: ParameterDict | undefined;
  private readonly entriesByName = new Map<string, Parameter>();

  constructor(prefix = '', shared?: ParameterDict) {
    this.prefix = prefix;
    this.shared = shared;
  }

  /**
   * Returns the parameter `prefix + name`, from this dict or the shared one, creating it with
   * `options` if neither has it. For an existing parameter each given option must agree with the
   * stored one; unknown (0) dims of the shape are filled in from `options.shape`.
   */
  get(name: string, options: ParameterOptions = {}): Parameter {
    const fullName = this.prefix + checkString('ParameterDict.get', 'name', name);
    let param = this.entriesByName.get(fullName) ?? this.shared?.lookup(fullName);
    if (param === undefined) {
      param = new Parameter(fullName, options);
    } else {
      mergeOptions(param, checkParameterOptions(`Parameter '${fullName}'`, options));
    }
    this.entriesByName.set(fullName, param);
    return param;
  }

  /** The parameter with this full name, or undefined. */
  lookup(fullName: string): Parameter | undefined {
    return this.entriesByName.get(fullName);
  }

  has(fullName: string): boolean {
    return this.entriesByName.has(fullName);
  }

  get size(): number {
    return this.entriesByName.size;
  }

  keys(): IterableIterator<string> {
    return this.entriesByName.keys();
  }

  values(): IterableIterator<Parameter> {
    return this.entriesByName.values();
  }

  entries(): IterableIterator<[string, Parameter]> {
    return this.entriesByName.entries();
  }

  [Symbol.iterator](): IterableIterator<[string, Parameter]> {
    return this.entriesByName.entries();
  }

  /** Adds every parameter of `other`; a different Parameter under an existing name is an error. */
  update(other: Iterable<[string, Parameter]>): void {
    for (const [name, param] of other) {
      const existing = this.entriesByName.get(name);
      if (existing !== undefined && existing !== param) {
        throw new GluonError(`Cannot update self with other because they have different Parameters with the same name '${name}'`);
      }
      this.entriesByName.set(name, param);
    }
  }

  /**
   * Initializes every parameter, with `init` as the default for those that have no initializer
   * of their own (Gluon's precedence). Default init: `'uniform'`.
   */
  initialize(init: InitializerSpec = 'uniform', options: InitializeOptions = {}): void {
    this.initializeAs('ParameterDict.initialize', init, options);
  }

  /**
   * @internal `initialize` with `who` naming the caller in errors (`dense0.initialize`). The spec
   * is resolved once, so a bad one fails before any parameter changes.
   */
  initializeAs(who: string, init: InitializerSpec, options: InitializeOptions): void {
    const { forceReinit = false } = checkOptionsObject(who, options, INITIALIZE_KEYS);
    const force = checkFlag(who, 'forceReinit', forceReinit);
    const defaultInit = createInitializer(init);
    for (const param of this.values()) param.initialize(undefined, { defaultInit, forceReinit: force });
  }

  /** Resets every gradient to zeros. */
  zeroGrad(): void {
    for (const param of this.values()) param.zeroGrad();
  }

  /** Sets `gradReq` (or `lrMult`, `wdMult`) on every parameter, as Gluon's `setattr`. */
  setAttr(name: 'gradReq', value: GradReq): void;
  setAttr(name: 'lrMult' | 'wdMult', value: number): void;
  setAttr(name: 'gradReq' | 'lrMult' | 'wdMult', value: GradReq | number): void {
    checkChoice('ParameterDict.setAttr', 'name', name, ['gradReq', 'lrMult', 'wdMult'] as const);
    for (const param of this.values()) {
      if (name === 'gradReq') param.gradReq = value as GradReq;
      else param[name] = value as number;
    }
  }

  /** Saves every parameter to `path`, keyed by its full name minus `stripPrefix` (Gluon's `save`). */
  save(path: string, stripPrefix = ''): void {
    checkString('ParameterDict.save', 'path', path);
    saveDict(this, path, checkString('ParameterDict.save', 'stripPrefix', stripPrefix));
  }

  /**
   * Loads a file saved with full names (`save`, Gluon's `save_params`, or an exported checkpoint's
   * 'arg:'/'aux:' keys): each key, prefixed with `restorePrefix`, names a parameter of this dict.
   */
  load(path: string, options: DictLoadOptions = {}): void {
    const who = 'ParameterDict.load';
    checkSource(who, path, false);
    const { restorePrefix: given = '' } = checkLoadOptions(who, options, DICT_LOAD_KEYS);
    const restorePrefix = checkString(who, 'restorePrefix', given);
    for (const name of this.keys()) {
      if (!name.startsWith(restorePrefix)) {
        throw new GluonError(`restorePrefix is '${restorePrefix}' but Parameters name '${name}' does not start with '${restorePrefix}'`);
      }
    }
    const loaded = load(path);
    if (Array.isArray(loaded)) throw new GluonError(`ParameterDict.load: '${path}' holds an unnamed list of arrays; a parameter file needs names`);
    loadIntoDict(this, loaded, path, restorePrefix, options);
  }

  /** Gluon's text: the prefix and ` (`, one parameter per line, then `)`. */
  toString(): string {
    const lines = [...this.values()].map((param) => `  ${param.toString()}`);
    const head = this.prefix === '' ? '(' : `${this.prefix} (`;
    return [head, ...lines, ')'].join('\n');
  }
}

/** Gluon's attribute merge for `get` on an existing parameter. */
function mergeOptions(param: Parameter, options: ParameterOptions): void {
  if (options.shape !== undefined) {
    const wanted = typeof options.shape === 'number' ? [options.shape] : options.shape;
    const stored = param.shape;
    if (stored === undefined) {
      param.shape = wanted;
    } else if (stored.length !== wanted.length || stored.some((dim, i) => dim > 0 && wanted[i] > 0 && dim !== wanted[i])) {
      throw attributeMismatch(param, 'shape', formatShape(wanted), formatShape(stored));
    } else {
      param.shape = stored.map((dim, i) => (dim > 0 ? dim : wanted[i]));
    }
  }
  const stored: Record<string, unknown> = { gradReq: param.gradReq, lrMult: param.lrMult, wdMult: param.wdMult, dtype: param.dtype };
  for (const key of ['gradReq', 'lrMult', 'wdMult', 'dtype'] as const) {
    const wanted = options[key];
    if (wanted !== undefined && wanted !== stored[key]) throw attributeMismatch(param, key, String(wanted), String(stored[key]));
  }
  if (options.init !== undefined && param.init === undefined) param.init = options.init;
}

function attributeMismatch(param: Parameter, key: string, wanted: string, stored: string): GluonError {
  return new GluonError(
    `Cannot retrieve Parameter '${param.name}' because desired attribute does not match with stored for attribute '${key}': desired '${wanted}' vs stored '${stored}'.`,
  );
}
