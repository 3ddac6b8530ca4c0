import { GluonError } from '../core/errors';
import { unknownOptionText } from '../core/checks';

/**
 * The keyword arguments `init.create` was given for a built-in initializer, under tsgluon's
 * camelCase names: Gluon's snake_case (`rnd_type`) and camelCase (`rndType`) are both accepted.
 * Only the names are checked here; the initializer's constructor checks the values, so each
 * value is checked once.
 */
export class Kwargs {
  private readonly values = new Map<string, unknown>();

  /**
   * @param initName the registered name being created (for messages).
   * @param raw the arguments as given.
   * @param allowed the camelCase names this initializer takes.
   */
  constructor(initName: string, raw: Readonly<Record<string, unknown>>, allowed: readonly string[]) {
    const who = `init.create('${initName}')`;
    for (const [key, value] of Object.entries(raw)) {
      const name = toCamelCase(key);
      if (!allowed.includes(name)) throw new GluonError(`${who}: ${unknownOptionText(key, allowed)}`);
      if (this.values.has(name)) throw new GluonError(`${who}: expected each argument once, but got ${name} twice (in snake_case and camelCase)`);
      this.values.set(name, value);
    }
  }

  /**
   * The argument `name` as given, typed as the constructor it is passed to expects: that
   * constructor checks it (and reports it by its camelCase name).
   */
  unchecked<T>(name: string): T {
    return this.values.get(name) as T;
  }
}

/** `rnd_type` → `rndType`; camelCase keys are unchanged. */
function toCamelCase(key: string): string {
  return key.replace(/_+([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
