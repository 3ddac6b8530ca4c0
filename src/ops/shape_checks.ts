/**
 * The one way operators report an input whose shape differs from the one the data and the
 * attributes require: `who: expected weight of shape (6, 4, 3, 3) for data of shape (1, 4, 5, 5),
 * but got (6, 2, 3, 3)`.
 */
import { GluonError, formatShape } from '../core/errors';
import type { MaybeShape, Shape } from './operator';

/** Throws unless `given` equals `expected`; `data` (when known) is named as what required it. */
export function expectShape(who: string, name: string, given: Shape, expected: Shape, data?: MaybeShape): void {
  if (given.length === expected.length && given.every((d, i) => d === expected[i])) return;
  const context = data === undefined ? '' : ` for data of shape ${formatShape(data)}`;
  throw new GluonError(`${who}: expected ${name} of shape ${formatShape(expected)}${context}, but got ${formatShape(given)}`);
}
