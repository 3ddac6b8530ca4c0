/**
 * Initializers that pick or load values per parameter name (Gluon's `mx.init.Mixed` and `Load`).
 */
import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { load } from '../ndarray/io/fs';
import { Initializer } from './initializer';
import { create } from './registry';
import type { InitializerSpec } from './registry';

/**
 * One initializer per parameter-name pattern: a parameter gets the initializer of the first
 * pattern that matches the start of its name (Python's `re.match`). A name no pattern matches is
 * an error; end with `'.*'` for a default.
 *
 * @example
 * net.initialize(new init.Mixed(['.*bias', '.*'], [init.create('zeros'), new init.Uniform(0.1)]));
 */
export class Mixed extends Initializer {
  private readonly rules: [RegExp, Initializer][];

  constructor(patterns: readonly string[], initializers: readonly InitializerSpec[]) {
    super('mixed');
    if (!Array.isArray(patterns) || !Array.isArray(initializers) || patterns.length !== initializers.length) {
      throw new GluonError(`init.Mixed: expected as many patterns as initializers (two lists), but got ${describeValue(patterns)} and ${describeValue(initializers)}`);
    }
    this.rules = patterns.map((pattern, i) => {
      if (typeof pattern !== 'string') throw new GluonError(`init.Mixed: expected pattern ${i} to be a string, but got ${describeValue(pattern)}`);
      let regex: RegExp;
      try {
        regex = new RegExp(`^(?:${pattern})`);
      } catch (error) {
        throw new GluonError(`init.Mixed: pattern ${i} ('${pattern}') is not a regular expression: ${(error as Error).message}`);
      }
      return [regex, create(initializers[i])];
    });
  }

  protected override fill(name: string, shape: readonly number[], out: Float32Array): void {
    const rule = this.rules.find(([regex]) => regex.test(name));
    if (rule === undefined) {
      throw new GluonError(`init.Mixed: parameter name ${name} did not match any pattern; consider adding a '.*' pattern at the end with a default initializer`);
    }
    out.set(rule[1].initialize(name, shape).data);
  }
}

/** Options of Load. */
export interface LoadOptions {
  /** For parameters the loaded arrays do not have. Default: none (an error). */
  defaultInit?: InitializerSpec;
  /** Log each parameter loaded. Default false. */
  verbose?: boolean;
}

/**
 * Values from saved arrays by parameter name — a `{ name: NDArray }` record or a `.params` file
 * (Node) — with MXNet's `arg:`/`aux:` prefixes dropped; `defaultInit` for the rest.
 *
 * @example net.initialize(new init.Load('pretrained.params', { defaultInit: 'xavier' }));
 */
export class Load extends Initializer {
  private readonly arrays: Map<string, NDArray>;
  private readonly defaultInit: Initializer | undefined;
  private readonly verbose: boolean;

  constructor(param: string | Readonly<Record<string, NDArray>>, options: LoadOptions = {}) {
    super('load');
    const loaded = typeof param === 'string' ? load(param) : param;
    if (Array.isArray(loaded) || typeof loaded !== 'object' || loaded === null) {
      throw new GluonError(`init.Load: expected named arrays (a record or a file of them), but got ${Array.isArray(loaded) ? 'an unnamed list' : describeValue(loaded)}`);
    }
    this.arrays = new Map(Object.entries(loaded).map(([name, value]) => {
      if (!(value instanceof NDArray)) throw new GluonError(`init.Load: expected an NDArray for '${name}', but got ${describeValue(value)}`);
      return [name.startsWith('arg:') || name.startsWith('aux:') ? name.slice(4) : name, value];
    }));
    this.defaultInit = options.defaultInit === undefined ? undefined : create(options.defaultInit);
    this.verbose = options.verbose === true;
  }

  protected override fill(name: string, shape: readonly number[], out: Float32Array): void {
    const value = this.arrays.get(name);
    if (value === undefined) {
      if (this.defaultInit === undefined) throw new GluonError(`init.Load: cannot initialize ${name}: it is not among the loaded arrays and no defaultInit is given`);
      out.set(this.defaultInit.initialize(name, shape).data);
      return;
    }
    if (value.shape.length !== shape.length || value.shape.some((d, i) => d !== shape[i])) {
      throw new GluonError(`init.Load: parameter ${name} cannot be initialized from loading: expected shape ${formatShape(shape)}, but the loaded array has ${formatShape(value.shape)}`);
    }
    out.set(value.dtype === 'float32' ? value.data : value.toFloat32Array());
    if (this.verbose) console.log(`Initialized ${name} by loading`);
  }
}
