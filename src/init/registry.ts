/**
 * The initializer registry: `init.create(spec)` resolves every form Gluon accepts wherever an
 * initializer is taken, and `init.register(name, factory)` adds your own.
 */
import { GluonError } from '../core/errors';
import { describeValue, isPlainObject } from '../core/checks';
import { Bilinear } from './bilinear';
import { LSTMBias } from './lstm_bias';
import { Constant, One, Zero } from './constant';
import { Initializer } from './initializer';
import { Kwargs } from './kwargs';
import { Normal } from './normal';
import { Orthogonal } from './orthogonal';
import { Uniform } from './uniform';
import { MSRAPrelu, Xavier } from './xavier';

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
builtin(['constant'], ['value'], (kwargs) => new Constant(kwargs.unchecked('value')));
builtin(['uniform'], ['scale'], (kwargs) => new Uniform(kwargs.unchecked('scale')));
builtin(['normal'], ['sigma'], (kwargs) => new Normal(kwargs.unchecked('sigma')));
builtin(['xavier'], ['rndType', 'factorType', 'magnitude'], (kwargs) => new Xavier({
  rndType: kwargs.unchecked('rndType'),
  factorType: kwargs.unchecked('factorType'),
  magnitude: kwargs.unchecked('magnitude'),
}));
builtin(['msraprelu'], ['factorType', 'slope'], (kwargs) => new MSRAPrelu({
  factorType: kwargs.unchecked('factorType'),
  slope: kwargs.unchecked('slope'),
}));
builtin(['orthogonal'], ['scale', 'randType'], (kwargs) => new Orthogonal({
  scale: kwargs.unchecked('scale'),
  randType: kwargs.unchecked('randType'),
}));
builtin(['bilinear'], [], () => new Bilinear());
builtin(['lstmbias'], ['forgetBias'], (kwargs) => new LSTMBias(kwargs.unchecked('forgetBias') ?? 1));

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
    throw new GluonError(`init.register: expected a name of letters, digits, '_', '.' or '-' starting with a letter or '_', but got ${describeValue(name)}`);
  }
  if (typeof factory !== 'function') {
    throw new GluonError(`init.register: expected a factory function for '${name}', but got ${describeValue(factory)}`);
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
      `or an { initializer: name, ... } object, but got ${describeValue(spec)}`,
  );
}

function fromString(spec: string): Initializer {
  const text = spec.trim();
  if (text.startsWith('[')) {
    const parsed = parseJson(text);
    if (!Array.isArray(parsed) || parsed.length !== 2 || typeof parsed[0] !== 'string' || !isPlainObject(parsed[1])) {
      throw new GluonError(`init.create: expected the JSON form '[name, {arguments}]', but got ${describeValue(spec)}`);
    }
    return lookup(parsed[0], parsed[1]);
  }
  if (text.startsWith('{')) {
    const parsed = parseJson(text);
    if (!isPlainObject(parsed)) throw new GluonError(`init.create: expected a JSON object, but got ${describeValue(spec)}`);
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
      `init.create: expected an object's 'initializer' to be a registered name (or an Initializer without other keys), but got ${describeValue(initializer)}`,
    );
  }
  return hasArgs ? lookup(initializer, kwargs) : fromString(initializer);
}

function lookup(name: string, kwargs: InitializerArgs): Initializer {
  const key = name.trim().toLowerCase();
  const factory = registry.get(key);
  if (factory === undefined) {
    throw new GluonError(
      `init.create: expected a registered initializer name (one of ${registeredNames().join(', ')}; ` +
        `register others with init.register), but got ${describeValue(name)}`,
    );
  }
  const made = factory(kwargs);
  if (!(made instanceof Initializer)) {
    throw new GluonError(`init.create: the factory registered as '${key}' should return an Initializer, but returned ${describeValue(made)}`);
  }
  return made;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new GluonError(`init.create: expected valid JSON, but got ${describeValue(text)} (${error instanceof Error ? error.message : String(error)})`);
  }
}

/**
 * Checks the form of an initializer spec where one is stored for later (a layer's
 * `weightInitializer`, a Parameter's `init`): an Initializer, a string (a registered name or its
 * JSON form) or an `{ initializer, ... }` object. The spec is resolved, and its name and
 * arguments checked, by `create` when parameters are initialized (names may be registered
 * until then).
 */
export function checkInitializerSpec(who: string, option: string, value: unknown): InitializerSpec {
  if (value instanceof Initializer || typeof value === 'string') return value;
  if (isPlainObject(value) && 'initializer' in value) return value as InitializerObjectSpec;
  throw new GluonError(
    `${who}: expected ${option} to be an initializer (an Initializer, a registered name, its JSON form or an { initializer: name, ... } object), ` +
      `but got ${describeValue(value)}`,
  );
}
