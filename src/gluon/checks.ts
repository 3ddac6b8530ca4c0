/**
 * Argument checks shared by the optimizers, learning-rate schedulers, losses and the Trainer:
 * every bad hyper-parameter throws a GluonError naming its owner, what was expected and what was
 * given, before any state changes.
 */
import { GluonError } from '../core/errors';
import { checkOptionsObject, describeValue } from '../core/checks';

/** Bounds of a numeric option; each bound is inclusive unless marked open. */
export interface NumberRange {
  min?: number;
  max?: number;
  minOpen?: boolean;
  maxOpen?: boolean;
  integer?: boolean;
}

/**
 * Returns `value` if it is a finite number within `range`, else throws.
 *
 * @example
 * checkNumber('SGD', 'momentum', 0.9, { min: 0, max: 1 }); // 0.9
 * checkNumber('SGD', 'momentum', -1, { min: 0, max: 1 });  // throws "expected momentum in [0, 1], but got -1"
 */
export function checkNumber(owner: string, name: string, value: unknown, range: NumberRange = {}): number {
  const { min, max, minOpen = false, maxOpen = false, integer = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (min === undefined || (minOpen ? value > min : value >= min)) &&
    (max === undefined || (maxOpen ? value < max : value <= max));
  if (!ok) {
    throw new GluonError(`${owner}: expected ${name} ${describeRange(range)}, but got ${describeValue(value)}`);
  }
  return value as number;
}

function describeRange({ min, max, minOpen = false, maxOpen = false, integer = false }: NumberRange): string {
  const kind = integer ? 'an integer' : 'a finite number';
  if (min !== undefined && max !== undefined) return `to be ${kind} in ${minOpen ? '(' : '['}${min}, ${max}${maxOpen ? ')' : ']'}`;
  if (min !== undefined) return `to be ${kind} ${minOpen ? '>' : '>='} ${min}`;
  if (max !== undefined) return `to be ${kind} ${maxOpen ? '<' : '<='} ${max}`;
  return `to be ${kind}`;
}

/** Returns `value` if it is a boolean, else throws. */
export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') {
    throw new GluonError(`${owner}: expected ${name} to be true or false, but got ${describeValue(value)}`);
  }
  return value;
}

/** Gluon's option checks: see core/checks' checkOptionsObject. */
export function checkOptionKeys(owner: string, options: unknown, allowed: readonly string[]): void {
  if (options === undefined) throw new GluonError(`${owner}: expected an options object, but got undefined`);
  checkOptionsObject(owner, options, allowed);
}
