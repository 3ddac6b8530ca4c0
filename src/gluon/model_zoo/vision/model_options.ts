import { checkOptionsObject } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import type { BlockOptions } from '../../../nn/block';
import { checkNumber } from '../../checks';

/**
 * A model's options checked against its keys (and the naming options every block takes), with
 * defaults filled in; `classes` must be a positive integer. The naming options come back apart.
 */
export function checkModelOptions<K extends string, D extends Record<K, unknown>>(
  who: string, options: BlockOptions & Partial<D>, keys: readonly K[], defaults: D,
): D & { blockOptions: BlockOptions } {
  checkOptionsObject(who, options, [...keys, 'prefix', 'params']);
  const values = { ...defaults } as D;
  for (const key of keys) {
    const given = (options as Record<string, unknown>)[key];
    if (given !== undefined) (values as Record<string, unknown>)[key] = given;
  }
  const { classes } = values as { classes?: unknown };
  if (classes !== undefined) checkNumber(who, 'classes', classes as number, { integer: true, min: 1 });
  for (const key of keys) {
    const value = (values as Record<string, unknown>)[key];
    const expected = typeof (defaults as Record<string, unknown>)[key];
    if (typeof value !== expected) throw new GluonError(`${who}: expected ${key} to be a ${expected}, but got ${String(value)}`);
  }
  return { ...values, blockOptions: { prefix: options.prefix, params: options.params } };
}
