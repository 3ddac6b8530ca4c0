import { GluonError } from '../core/errors';
import { checkOneOf, describe } from './checks';

/**
 * Keyword arguments given to `init.create` for a built-in initializer, read with type checks.
 * Keys may be Gluon's snake_case (`rnd_type`) or tsgluon's camelCase (`rndType`).
 */
export class Kwargs {
  private readonly values = new Map<string, unknown>();

  /**
   * @param initName the registered name being created (for messages).
   * @param raw the arguments as given.
   * @param allowed the snake_case names this initializer takes.
   */
  constructor(private readonly initName: string, raw: Readonly<Record<string, unknown>>, allowed: readonly string[]) {
    for (const [key, value] of Object.entries(raw)) {
      const name = toSnakeCase(key);
      if (!allowed.includes(name)) {
        const expected = allowed.length === 0 ? 'no arguments' : `arguments among ${allowed.join(', ')}`;
        throw new GluonError(`init.create: '${initName}' got an unexpected argument: expected ${expected}, but got '${key}'`);
      }
      if (this.values.has(name)) {
        throw new GluonError(`init.create: '${initName}' got the argument '${name}' twice (in snake_case and camelCase)`);
      }
      this.values.set(name, value);
    }
  }

  /** The argument `name` as a number, or undefined when absent. */
  number(name: string): number | undefined {
    const value = this.values.get(name);
    if (value !== undefined && typeof value !== 'number') {
      throw new GluonError(`init.create: '${this.initName}' expected ${name} to be a number, but got ${describe(value)}`);
    }
    return value;
  }

  /** The argument `name` as one of `allowed`, or undefined when absent; `problem` is MXNet's wording. */
  oneOf<T extends string>(name: string, allowed: readonly T[], problem: string): T | undefined {
    const value = this.values.get(name);
    return value === undefined ? undefined : checkOneOf(value, allowed, problem, `init.create: '${this.initName}'`);
  }

  /** The argument `name`, which must be present. */
  required(name: string): unknown {
    if (!this.values.has(name)) {
      throw new GluonError(`init.create: '${this.initName}' expected the argument '${name}', but got none`);
    }
    return this.values.get(name);
  }
}

/** `rndType` → `rnd_type`; snake_case keys are unchanged. */
function toSnakeCase(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}
