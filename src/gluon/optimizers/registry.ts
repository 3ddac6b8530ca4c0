import { GluonError } from '../../core/errors';
import { describeValue } from '../../core/checks';
import { AdaDelta, AdaDeltaOptions } from './adadelta';
import { AdaGrad, AdaGradOptions } from './adagrad';
import { Adam, AdamOptions } from './adam';
import { AdamW, AdamWOptions } from './adamw';
import { Adamax, AdamaxOptions, Nadam, NadamOptions } from './adamax';
import { Ftrl, FtrlOptions } from './ftrl';
import { Signum, SignumOptions } from './signum';
import { DCASGD, DCASGDOptions } from './dcasgd';
import { FTML, FTMLOptions } from './ftml';
import { LAMB, LAMBOptions } from './lamb';
import { LARS, LARSOptions } from './lars';
import { LBSGD, LBSGDOptions } from './lbsgd';
import { SGLD } from './sgld';
import { NAG, NAGOptions } from './nag';
import { Optimizer } from './optimizer';
import { RMSProp, RMSPropOptions } from './rmsprop';
import { SGD, SGDOptions } from './sgd';

/** The options of any registered optimizer (each optimizer rejects the keys it does not know). */
export type AnyOptimizerOptions =
  | SGDOptions | NAGOptions | AdamOptions | AdamWOptions | RMSPropOptions | AdaGradOptions
  | AdaDeltaOptions | AdamaxOptions | NadamOptions | FtrlOptions | SignumOptions | FTMLOptions | DCASGDOptions | LAMBOptions
  | LARSOptions | LBSGDOptions;

// Options are checked by each constructor, so the registry can pass them through as given.
const REGISTRY: ReadonlyMap<string, (options: AnyOptimizerOptions) => Optimizer> = new Map<string, (options: AnyOptimizerOptions) => Optimizer>([
  ['adadelta', (options) => new AdaDelta(options)],
  ['adagrad', (options) => new AdaGrad(options)],
  ['adamax', (options) => new Adamax(options)],
  ['ftrl', (options) => new Ftrl(options)],
  ['nadam', (options) => new Nadam(options)],
  ['signum', (options) => new Signum(options)],
  ['ftml', (options) => new FTML(options)],
  ['sgld', (options) => new SGLD(options)],
  ['dcasgd', (options) => new DCASGD(options)],
  ['lamb', (options) => new LAMB(options)],
  ['lars', (options) => new LARS(options)],
  ['lbsgd', (options) => new LBSGD(options)],
  ['adam', (options) => new Adam(options)],
  ['adamw', (options) => new AdamW(options)],
  ['nag', (options) => new NAG(options)],
  ['rmsprop', (options) => new RMSProp(options)],
  ['sgd', (options) => new SGD(options)],
]);

/** The registered optimizer names, as `create` accepts them (any letter case). */
export function names(): string[] {
  return [...REGISTRY.keys()].sort();
}

/**
 * An optimizer by name (case-insensitive: `'sgd'`, `'Adam'`, …) with `options`, as MXNet's
 * `mx.optimizer.create`; an Optimizer instance is returned as it is (it then takes no options).
 * Unknown names throw, listing the registered ones.
 *
 * @example
 * const opt = optimizer.create('sgd', { learningRate: 0.1, momentum: 0.9 });
 */
export function create(spec: string | Optimizer, options: AnyOptimizerOptions = {}): Optimizer {
  if (spec instanceof Optimizer) {
    const given = options === null || typeof options !== 'object' ? [] : Object.keys(options);
    if (given.length > 0) {
      throw new GluonError(
        `optimizer.create: expected no options with an Optimizer instance (set them when constructing it), but got ${given.join(', ')}`,
      );
    }
    return spec;
  }
  if (typeof spec !== 'string') {
    throw new GluonError(`optimizer.create: expected an optimizer name or an Optimizer, but got ${describeValue(spec)}`);
  }
  const make = REGISTRY.get(spec.toLowerCase());
  if (make === undefined) {
    const known = names().map((name) => `'${name}'`).join(', ');
    throw new GluonError(`optimizer.create: cannot find optimizer '${spec}': expected one of ${known}`);
  }
  return make(options);
}
