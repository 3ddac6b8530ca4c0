/**
 * Argument checks shared by the initializers and `init.create`: each throws a `GluonError` that
 * names the initializer, the argument, what was expected and what was given.
 */
import { GluonError } from '../core/errors';

/** Longest text of a given value quoted in an error message, so hostile input stays readable. */
const MAX_DESCRIBED = 80;

/** A short description of any value for error messages: `'foo'`, `5`, `object {"a":1}`. */
export function describe(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = `'${value}'`;
  else if (typeof value === 'number' || typeof value === 'boolean' || value === null || value === undefined) text = String(value);
  else if (Array.isArray(value)) text = `an array of length ${value.length}`;
  else if (typeof value === 'object') text = `${value.constructor?.name ?? 'object'} ${safeJson(value)}`;
  else text = typeof value;
  return text.length > MAX_DESCRIBED ? `${text.slice(0, MAX_DESCRIBED)}...` : text;
}

function safeJson(value: object): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

/**
 * Checks that `value` is a finite number ≥ `min`.
 *
 * @param name the argument (e.g. `sigma`); `what` names the caller (e.g. `init.Normal`).
 */
export function checkNumber(value: unknown, name: string, what: string, min = -Infinity): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
    const expected = min === -Infinity ? 'a finite number' : `a finite number >= ${min}`;
    throw new GluonError(`${what}: expected ${name} to be ${expected}, but got ${describe(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is one of `allowed`; `problem` is MXNet's wording of the failure
 * (e.g. `Incorrect factor type`).
 */
export function checkOneOf<T extends string>(value: unknown, allowed: readonly T[], problem: string, what: string): T {
  const found = allowed.find((option) => option === value);
  if (found === undefined) {
    const options = allowed.map((option) => `'${option}'`).join(', ');
    throw new GluonError(`${what}: ${problem}: expected one of ${options}, but got ${describe(value)}`);
  }
  return found;
}
