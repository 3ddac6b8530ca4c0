/**
 * Argument checks of the optimizers, learning-rate schedulers, losses and the Trainer: the core
 * checks (src/core/checks.ts) under the names these modules use, plus `checkOptionKeys`, which
 * also refuses an absent options object where one is required.
 */
import { GluonError } from '../core/errors';
import { checkOptionsObject } from '../core/checks';

export { checkNumberIn as checkNumber, checkFlag as checkBoolean } from '../core/checks';
export type { NumberRange } from '../core/checks';

/** Gluon's option checks: see core/checks' checkOptionsObject; `undefined` is refused too. */
export function checkOptionKeys(owner: string, options: unknown, allowed: readonly string[]): void {
  if (options === undefined) throw new GluonError(`${owner}: expected an options object, but got undefined`);
  checkOptionsObject(owner, options, allowed);
}
