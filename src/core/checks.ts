/**
 * The library's one argument-checking module, used by the operators, layers, parameters,
 * initializers, optimizers and the Trainer alike. Every check takes `(who, option, value, ...)`,
 * throws a GluonError `${who}: expected <what>, but got ${describeValue(value)}` — `who` naming
 * the caller (an operator, a layer such as `conv0`, a class or function) — and returns the valid
 * value. This module sits at the bottom of the library and imports nothing of ours but the errors.
 */
import { GluonError, formatShape } from './errors';

/** Longest text of a value quoted in an error message, so hostile input stays readable. */
const MAX_DESCRIBED = 80;

/** Something with a shape (an NDArray): described by its class name and shape. */
interface Shaped {
  readonly shape: readonly number[];
}

/**
 * Describes a bad argument for an error message, the one way every message of the library does:
 * its type and, for short values, the value (long text is cut at 80 characters).
 *
 * @example
 * describeValue('2');                   // "the string '2'"
 * describeValue(NaN);                   // 'the number NaN'
 * describeValue([1, 2]);                // '[1, 2]' (longer or mixed arrays: 'an array of length 12')
 * describeValue(new Float64Array(3));   // 'a Float64Array of 3 elements'
 * describeValue(nd.zeros([2, 3]));      // 'an NDArray of shape (2, 3)'
 * describeValue(null);                  // 'null'
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  switch (typeof value) {
    case 'string': return `the string '${clip(value)}'`;
    case 'number': return `the number ${value}`;
    case 'boolean': return `the boolean ${value}`;
    case 'bigint': return `the bigint ${clip(String(value))}n`;
    case 'symbol': return 'a symbol';
    case 'function': return describeFunction(value);
    default: return describeObject(value as object);
  }
}

/** A typed array of numbers (Float64Array, Int32Array, …): a buffer view that is neither a DataView nor a BigInt array. */
export function isTypedArray(value: unknown): value is ArrayLike<number> {
  return ArrayBuffer.isView(value) && !(value instanceof DataView) && !(value instanceof BigInt64Array) && !(value instanceof BigUint64Array);
}

function describeObject(value: object): string {
  if (Array.isArray(value)) {
    const shown = value.length <= 8 && value.every((v) => typeof v === 'number' || typeof v === 'boolean');
    return shown ? clip(`[${value.join(', ')}]`) : `an array of length ${value.length}`;
  }
  const name = className(value);
  if (isTypedArray(value)) {
    const length = value.length;
    return `${article(name)} ${name} of ${length} element${length === 1 ? '' : 's'}`;
  }
  if (isShaped(value)) return `${article(name)} ${name} of shape ${formatShape(value.shape)}`;
  return `an object (${name})`;
}

/** A function by its name; a callable instance of a class (a Block) by its class too: 'a Dense (dense0)'. */
function describeFunction(value: { readonly name?: unknown }): string {
  try {
    const name = typeof value.name === 'string' && value.name !== '' ? clip(value.name) : 'anonymous';
    const proto: unknown = Object.getPrototypeOf(value);
    if (typeof proto !== 'object' || proto === null) return `a function (${name})`;
    const kind = className(value);
    return `${article(kind)} ${kind} (${name})`;
  } catch {
    return 'a function';
  }
}

/** The class name of an object, safe against hostile getters and null prototypes. */
function className(value: object | { readonly name?: unknown }): string {
  try {
    const name: unknown = (value as { constructor?: { name?: unknown } }).constructor?.name;
    return typeof name === 'string' && name.length > 0 ? clip(name) : 'Object';
  } catch {
    return 'Object';
  }
}

function isShaped(value: object): value is Shaped {
  try {
    return 'shape' in value && Array.isArray((value as { shape?: unknown }).shape) && (value as Shaped).shape.length <= 32;
  } catch {
    return false;
  }
}

/** 'an' before a vowel sound (an NDArray, an Int32Array), else 'a' (a Uint8Array, a URL). */
function article(name: string): string {
  return /^([AEIO]|ND)/.test(name) ? 'an' : 'a';
}

function clip(text: string): string {
  return text.length > MAX_DESCRIBED ? `${text.slice(0, MAX_DESCRIBED)}...` : text;
}

/** Bounds of a numeric argument; each bound is inclusive unless marked open. */
export interface NumberRange {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  /** Only integers. Default false. */
  integer?: boolean;
}

/**
 * A finite number within `range` (hyper-parameters, rates, sizes): the one range check every
 * other numeric check of the library is written with. An infinite bound counts as absent.
 *
 * @example
 * checkNumberIn('SGD', 'momentum', 0.9, { min: 0, max: 1 });  // 0.9
 * checkNumberIn('SGD', 'momentum', -1, { min: 0, max: 1 });
 * // GluonError: SGD: expected momentum to be a finite number in [0, 1], but got the number -1
 */
export function checkNumberIn(who: string, option: string, value: unknown, range: NumberRange = {}): number {
  const { min, max, minOpen = false, maxOpen = false, integer = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (minOpen ? value > min : value >= min)) &&
    (max === undefined || (maxOpen ? value < max : value <= max));
  if (!ok) throw new GluonError(`${who}: expected ${option} to be ${describeRange(range)}, but got ${describeValue(value)}`);
  return value as number;
}

/** 'a finite number in [0, 1)', 'an integer >= 1', 'a finite number'. */
function describeRange({ min, max, minOpen = false, maxOpen = false, integer = false }: NumberRange): string {
  const kind = integer ? 'an integer' : 'a finite number';
  const low = min !== undefined && Number.isFinite(min) ? min : undefined;
  const high = max !== undefined && Number.isFinite(max) ? max : undefined;
  if (low !== undefined && high !== undefined) return `${kind} in ${minOpen ? '(' : '['}${low}, ${high}${maxOpen ? ')' : ']'}`;
  if (low !== undefined) return `${kind} ${minOpen ? '>' : '>='} ${low}`;
  if (high !== undefined) return `${kind} ${maxOpen ? '<' : '<='} ${high}`;
  return kind;
}

/** An integer ≥ `min` (counts, sizes; any axis when `min` is -Infinity). */
export function checkIntAtLeast(who: string, option: string, value: unknown, min: number): number {
  return checkNumberIn(who, option, value, { min, integer: true });
}

/** true or false. */
export function checkFlag(who: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new GluonError(`${who}: expected ${option} to be true or false, but got ${describeValue(value)}`);
  return value;
}

/** A finite number of any sign (slopes, scalars). */
export function checkFinite(who: string, option: string, value: unknown): number {
  return checkNumberIn(who, option, value);
}

/** A number, NaN and ±Infinity included (operands of arithmetic). */
export function checkNumber(who: string, option: string, value: unknown): number {
  if (typeof value !== 'number') throw new GluonError(`${who}: expected ${option} to be a number, but got ${describeValue(value)}`);
  return value;
}

/** A string (a name, a prefix, a path). */
export function checkString(who: string, option: string, value: unknown): string {
  if (typeof value !== 'string') throw new GluonError(`${who}: expected ${option} to be a string, but got ${describeValue(value)}`);
  return value;
}

/** A function (a hook, a callback, a body to run). */
export function checkFunction<F extends (...args: never[]) => unknown>(who: string, option: string, value: F): F {
  if (typeof value !== 'function') throw new GluonError(`${who}: expected ${option} to be a function, but got ${describeValue(value)}`);
  return value;
}

/** One of `choices` (an act type, a padding mode); the message lists the valid values. */
export function checkChoice<T extends string>(who: string, option: string, value: unknown, choices: readonly T[]): T {
  const found = choices.find((choice) => choice === value);
  if (found !== undefined) return found;
  const shown = typeof value === 'string' ? `'${clip(value)}'` : describeValue(value);
  throw new GluonError(`${who}: expected ${option} to be one of ${choices.map((c) => `'${c}'`).join(', ')}, but got ${shown}`);
}

/**
 * Checks an options object: absent means `{}`; anything but a plain object (null, an array, an
 * NDArray, a string) is an error, and so is a key outside `allowed` — a misspelt or snake_case
 * option would otherwise be silently ignored; a snake_case key whose camelCase form is allowed
 * is named with that spelling.
 *
 * @example
 * checkOptionsObject('MaxPool2D', { pool_size: 3 }, ['poolSize', 'strides']);
 * // GluonError: MaxPool2D: expected options among poolSize, strides, but got unknown option 'pool_size' (did you mean 'poolSize'?)
 */
export function checkOptionsObject(who: string, options: unknown, allowed: readonly string[]): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new GluonError(`${who}: expected an options object, but got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) throw new GluonError(`${who}: ${unknownOptionText(key, allowed)}`);
  }
  return options;
}

/**
 * The keys of an options interface `T` as a list for `checkOptionsObject`, written once as an
 * object whose keys the compiler checks to be exactly `T`'s: adding an option to the interface
 * without listing it here (or listing one it lacks) fails to compile.
 *
 * @example
 * const KEYS = optionKeys<{ axis?: number; eps?: number }>({ axis: true, eps: true }); // ['axis', 'eps']
 */
export function optionKeys<T>(keys: { readonly [K in keyof Required<T>]: true }): readonly string[] {
  return Object.freeze(Object.keys(keys));
}

/** "expected options among a, b, but got unknown option 'c'", with the camelCase spelling when that is allowed. */
export function unknownOptionText(key: string, allowed: readonly string[]): string {
  const known = allowed.length === 0 ? 'no options' : `options among ${allowed.join(', ')}`;
  const camel = key.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  const hint = camel !== key && allowed.includes(camel) ? ` (did you mean '${camel}'?)` : '';
  return `expected ${known}, but got unknown option '${clip(key)}'${hint}`;
}

/** A plain `{ ... }` object: not null, an array, a class instance (NDArray, Symbol) or a function. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
