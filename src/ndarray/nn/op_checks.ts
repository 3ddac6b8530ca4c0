/**
 * Argument checks shared by the neural-network operators (`nd.Activation`, `nd.LeakyReLU`,
 * `nd.Dropout`, `nd.pad`, …). Each throws a GluonError naming the operator, the argument, what was
 * expected and what was given, and returns the valid value.
 */
import { GluonError } from '../../core/errors';
import { NDArray } from '../ndarray';
import { describeValue } from '../../core/checks';

/** One of `choices` (an act type, a padding mode); the message lists the valid values. */
export function checkChoice<T extends string>(op: string, option: string, value: unknown, choices: readonly T[]): T {
  if (isOneOf(value, choices)) return value;
  const shown = typeof value === 'string' ? `'${value}'` : describeValue(value);
  throw new GluonError(`${op}: expected ${option} to be one of ${choices.map((c) => `'${c}'`).join(', ')}, but got ${shown}`);
}

function isOneOf<T extends string>(value: unknown, choices: readonly T[]): value is T {
  return choices.some((choice) => choice === value);
}

/** A finite number (slopes, betas). */
export function checkFinite(op: string, option: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new GluonError(`${op}: expected ${option} to be a finite number, but got ${describeValue(value)}`);
  }
  return value;
}

/** An NDArray argument. */
export function checkArray(op: string, what: string, value: unknown): NDArray {
  if (!(value instanceof NDArray)) throw new GluonError(`${op}: expected ${what} to be an NDArray, but got ${describeValue(value)}`);
  return value;
}

/** The options object of an operator: absent means `{}`; anything else but an object is an error. */
export function checkOptions<T extends object>(op: string, options: T | undefined): Partial<T> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new GluonError(`${op}: expected an options object, but got ${describeValue(options)}`);
  }
  return options;
}
