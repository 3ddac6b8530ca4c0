/**
 * Argument checks shared by the operators and the layers above them. Each throws a GluonError
 * naming the caller (`who`: an operator, a layer, a graph node), the argument, what was expected
 * and what was given, and returns the valid value. This module sits at the bottom of the library
 * and imports nothing of ours but the errors.
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
    case 'function': return `a function (${value.name || 'anonymous'})`;
    default: return describeObject(value as object);
  }
}

function describeObject(value: object): string {
  if (Array.isArray(value)) {
    const shown = value.length <= 8 && value.every((v) => typeof v === 'number' || typeof v === 'boolean');
    return shown ? clip(`[${value.join(', ')}]`) : `an array of length ${value.length}`;
  }
  const name = className(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return `${article(name)} ${name} of ${(value as unknown as ArrayLike<unknown>).length} elements`;
  if (isShaped(value)) return `${article(name)} ${name} of shape ${formatShape(value.shape)}`;
  return `an object (${name})`;
}

/** The class name of an object, safe against hostile getters and null prototypes. */
function className(value: object): string {
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

/** 'an' before a vowel sound (an NDArray, an Int32Array), else 'a'. */
function article(name: string): string {
  return /^([AEIOU]|ND)/.test(name) ? 'an' : 'a';
}

function clip(text: string): string {
  return text.length > MAX_DESCRIBED ? `${text.slice(0, MAX_DESCRIBED)}...` : text;
}

/** An integer ≥ `min` (counts, sizes, axes when `min` is -Infinity). */
export function checkIntAtLeast(who: string, option: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    const bound = min === -Infinity ? '' : ` >= ${min}`;
    throw new GluonError(`${who}: expected ${option} to be an integer${bound}, but got ${describeValue(value)}`);
  }
  return value;
}

/** true or false. */
export function checkFlag(who: string, option: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new GluonError(`${who}: expected ${option} to be true or false, but got ${describeValue(value)}`);
  return value;
}

/** A finite number (slopes, scalars). */
export function checkFinite(who: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GluonError(`${who}: expected ${option} to be a finite number, but got ${describeValue(value)}`);
  }
  return value;
}

/** A number, NaN and ±Infinity included (operands of arithmetic). */
export function checkNumber(who: string, option: string, value: unknown): number {
  if (typeof value !== 'number') throw new GluonError(`${who}: expected ${option} to be a number, but got ${describeValue(value)}`);
  return value;
}

/** One of `choices` (an act type, a padding mode); the message lists the valid values. */
export function checkChoice<T extends string>(who: string, option: string, value: unknown, choices: readonly T[]): T {
  const found = choices.find((choice) => choice === value);
  if (found !== undefined) return found;
  const shown = typeof value === 'string' ? `'${value}'` : describeValue(value);
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
