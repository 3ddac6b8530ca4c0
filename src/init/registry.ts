/**
 * The initializer registry: `init.create(spec)` resolves every form Gluon accepts wherever an
 * initializer is taken, and `init.register(name, factory)` adds your own.
 */
import { GluonError } from '../core/errors';
import { Bilinear } from './bilinear';
import { describe } from './checks';
import { Constant, isConstantValue, One, Zero } from './constant';
import { Initializer } from './initializer';
import { Kwargs } from './kwargs';
import { Normal } from './normal';
import { ORTHOGONAL_RANDOM_TYPES, Orthogonal } from './orthogonal';
import { Uniform } from './uniform';
import { FACTOR_TYPES, MSRAPrelu, XAVIER_RANDOM_TYPES, Xavier } from './xavier';

/** Keyword arguments as given to `create` (the JSON or object form without `initializer`). */
export type InitializerArgs = Readonly<Record<string, unknown>>;

/** Makes an initializer from keyword arguments; what `register` stores under a name. */
export type InitializerFactory = (kwargs: InitializerArgs) => Initializer;

/** Gluon's dict form: the registered name under `initializer`, the arguments beside it. */
export interface InitializerObjectSpec {
  readonly initializer: string | Initializer;
  readonly [key: string]: unknown;
}

/**
 * Everything accepted where an initializer is taken: an Initializer, a registered name
 * (case-insensitive), Gluon's JSON `'["normal", {"sigma": 0.5}]'` or `'{"initializer": ...}'`,
 * or an `{ initializer: 'normal', sigma: 0.5 }` object.
 */
export type InitializerSpec = Initializer | string | InitializerObjectSpec;

const registry = new Map<string, InitializerFactory>();

/** Registers a built-in under its names, reading its arguments (snake_case or camelCase). */
function builtin(names: readonly string[], args: readonly string[], make: (kwargs: Kwargs) => Initializer): void {
  for (const name of names) registry.set(name, (raw) => make(new Kwargs(name, raw, args)));
}

builtin(['zero', 'zeros'], [], () => new Zero());
builtin(['one', 'ones'], [], () => new One());
builtin(['constant'], ['value'], (kwargs) => {
  const value = kwargs.required('value');
  if (!isConstantValue(value)) {
    throw new GluonError(`init.create: 'constant' expected value to be a number or a (nested) number array, but got ${describe(value)}`);
  }
  return new Constant(value);
});
builtin(['uniform'], ['scale'], (kwargs) => new Uniform(kwargs.number('scale')));
builtin(['normal'], ['sigma'], (kwargs) => new Normal(kwargs.number('sigma')));
builtin(['xavier'], ['rnd_type', 'factor_type', 'magnitude'], (kwargs) => new Xavier({
  rndType: kwargs.oneOf('rnd_type', XAVIER_RANDOM_TYPES, 'Unknown random type'),
  factorType: kwargs.oneOf('factor_type', FACTOR_TYPES, 'Incorrect factor type'),
  magnitude: kwargs.number('magnitude'),
}));
builtin(['msraprelu'], ['factor_type', 'slope'], (kwargs) => new MSRAPrelu({
  factorType: kwargs.oneOf('factor_type', FACTOR_TYPES, 'Incorrect factor type'),
  slope: kwargs.number('slope'),
}));
builtin(['orthogonal'], ['scale', 'rand_type'], (kwargs) => new Orthogonal({
  scale: kwargs.number('scale'),
  randType: kwargs.oneOf('rand_type', ORTHOGONAL_RANDOM_TYPES, 'Unknown random type'),
}));
builtin(['bilinear'], [], () => new Bilinear());

/** The registered names and aliases, in registration order. */
export function registeredNames(): string[] {
  return [...registry.keys()];
}

/**
 * Makes `name` (case-insensitive) resolve to `factory(kwargs)` in `init.create`, as Gluon's
 * `@mx.init.register`. Built-in and already registered names can't be replaced.
 *
 * @example
 * init.register('fives', () => new init.Constant(5));
 * init.create('Fives').initialize('w', [2]).toArray(); // [5, 5]
 */
export function register(name: string, factory: InitializerFactory): void {
  if (typeof name !== 'string' || !/^[A-Za-z_][\w.-]*$/.test(name)) {
    throw new GluonError(`init.register: expected a name of letters, digits, '_', '.' or '-' starting with a letter or '_', but got ${describe(name)}`);
  }
  if (typeof factory !== 'function') {
    throw new GluonError(`init.register: expected a factory function for '${name}', but got ${describe(factory)}`);
  }
  const key = name.toLowerCase();
  if (registry.has(key)) throw new GluonError(`init.register: expected a new name, but '${key}' is already registered`);
  registry.set(key, factory);
}

/**
 * Resolves an initializer spec (Gluon's `mx.init.create`): an Initializer is returned as-is;
 * a string is a registered name or alias (case-insensitive) or Gluon's JSON form
 * (`'["normal", {"sigma": 0.5}]'`, as `dumps()` writes, or `'{"initializer": "normal", ...}'`);
 * an object gives the name under `initializer` and the arguments beside it, in Gluon's
 * snake_case or in camelCase.
 *
 * @example
 * init.create('Xavier');                                        // Xavier()
 * init.create('["normal", {"sigma": 0.5}]');                    // Normal(0.5)
 * init.create({ initializer: 'xavier', rnd_type: 'gaussian' }); // Xavier({ rndType: 'gaussian' })
 */
export function create(spec: InitializerSpec): Initializer {
  if (spec instanceof Initializer) return spec;
  if (typeof spec === 'string') return fromString(spec);
  if (isPlainObject(spec)) return fromObject(spec);
  throw new GluonError(
    'init.create: initializer must be of string type: expected an Initializer, a registered name, its JSON form ' +
      `or an { initializer: name, ... } object, but got ${describe(spec)}`,
  );
}

function fromString(spec: string): Initializer {
  const text = spec.trim();
  if (text.startsWith('[')) {
    const parsed = parseJson(text);
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || !isPlainObject(parsed[1])) {
      throw new GluonError(`init.create: expected the JSON form '[name, {arguments}]', but got ${describe(spec)}`);
    }
    return lookup(parsed[0], parsed[1]);
  }
  if (text.startsWith('{')) {
    const parsed = parseJson(text);
    if (!isPlainObject(parsed)) throw new GluonError(`init.create: expected a JSON object, but got ${describe(spec)}`);
    return fromObject(parsed);
  }
  return lookup(text, {});
}

function fromObject(spec: Readonly<Record<string, unknown>>): Initializer {
  const { initializer, ...kwargs } = spec;
  const hasArgs = Object.keys(kwargs).length > 0;
  if (initializer instanceof Initializer && !hasArgs) return initializer;
  if (typeof initializer !== 'string') {
    throw new GluonError(
      `init.create: expected an object's 'initializer' to be a registered name (or an Initializer without other keys), but got ${describe(initializer)}`,
    );
  }
  return hasArgs ? lookup(initializer, kwargs) : fromString(initializer);
}

function lookup(name: string, kwargs: InitializerArgs): Initializer {
  const key = name.trim().toLowerCase();
  const factory = registry.get(key);
  if (factory === undefined) {
    throw new GluonError(
      `init.create: ${describe(key)} is not registered. Please register with init.register first: ` +
        `expected one of ${registeredNames().join(', ')}, but got ${describe(name)}`,
    );
  }
  const made = factory(kwargs);
  if (!(made instanceof Initializer)) {
    throw new GluonError(`init.create: the factory registered as '${key}' should return an Initializer, but returned ${describe(made)}`);
  }
  return made;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GluonError(`init.create: expected valid JSON, but got ${describe(text)} (${error instanceof Error ? error.message : String(error)})`);
  }
}

function isPlainObject(value: unknown): value is Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
