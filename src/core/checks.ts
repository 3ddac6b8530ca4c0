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

function isShaped(value: object): value is Shaped {
  return 'shape' in value && Array.isArray((value as { shape?: unknown }).shape);
}

/**
 * Describes a bad argument for an error message: its type and, for short values, the value.
 *
 * @example
 * describeValue(nd.zeros([2, 3])); // 'an NDArray of shape (2, 3)'
 * describeValue('x');              // "string x"
 * describeValue([1, 2]);           // '[1, 2]' (longer arrays: 'an array of length 12')
 */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) {
    const shown = value.length <= 8 && value.every((v) => typeof v === 'number' || typeof v === 'boolean');
    return shown ? `[${value.join(', ')}]` : `an array of length ${value.length}`;
  }
  if (typeof value === 'object' || typeof value === 'function') {
    const name: string = value.constructor?.name ?? 'Object';
    if (typeof value === 'object' && isShaped(value)) return `${/^([AEIOU]|ND)/.test(name) ? 'an' : 'a'} ${name} of shape ${formatShape(value.shape)}`;
    return `an object (${name})`;
  }
  const text = `${typeof value} ${String(value)}`;
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
 * Checks an options object: absent means `{}`; anything but a plain object is an error, and so is
 * a key outside `allowed` (a misspelt or snake_case option would otherwise be silently ignored).
 */
export function checkOptionsObject(who: string, options: unknown, allowed: readonly string[]): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new GluonError(`${who}: expected an options object, but got ${describeValue(options)}`);
  for (const key of Object.keys(options)) {
    if (!allowed.includes(key)) {
      const known = allowed.length === 0 ? 'no options' : `options among ${allowed.join(', ')}`;
      throw new GluonError(`${who}: expected ${known}, but got unknown option '${key}'`);
    }
  }
  return options;
}

/** A plain `{ ... }` object: not null, an array, a class instance (NDArray, Symbol) or a function. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
