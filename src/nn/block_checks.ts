/**
 * Checks of what a Block is given apart from its layer options: the Block options themselves
 * (`prefix`, `params`), `hybridize` options and `collectParams`' selection. Each throws a
 * GluonError in the core checks' form (src/core/checks.ts).
 */
import { checkFlag, checkOptionsObject, checkString, describeValue, optionKeys } from '../core/checks';
import { GluonError } from '../core/errors';
import type { BlockOptions, HybridizeOptions } from './block';
import { ParameterDict } from './parameter_dict';

/** The option keys every Block takes: Gluon's `prefix` and `params`. */
export const BLOCK_OPTION_KEYS = optionKeys<BlockOptions>({ prefix: true, params: true });

/**
 * A layer's `optionKeys`: the keys of its options interface `T` beyond the Block's, listed once
 * (the compiler checks they are exactly `T`'s), then `prefix` and `params`.
 *
 * @example
 * static override readonly optionKeys = layerOptionKeys<DropoutOptions>({ axes: true }); // ['axes', 'prefix', 'params']
 */
export function layerOptionKeys<T extends BlockOptions>(keys: { readonly [K in Exclude<keyof Required<T>, keyof BlockOptions>]: true }): readonly string[] {
  return Object.freeze([...Object.keys(keys), ...BLOCK_OPTION_KEYS]);
}

/**
 * Checks the options a Block's constructor receives against `allowed` (the class's `optionKeys`)
 * and returns the Block's own two; `who` is the class name, since the block has no name yet.
 */
export function checkBlockOptions(who: string, options: unknown, allowed: readonly string[], hint: unknown): BlockOptions {
  const { prefix, params } = checkOptionsObject(who, options, allowed);
  if (hint !== undefined) checkString(who, 'the naming hint', hint);
  if (params !== undefined && !(params instanceof ParameterDict)) {
    throw new GluonError(`${who}: expected params to be a ParameterDict (another block's params, to share them), but got ${describeValue(params)}`);
  }
  return { prefix: prefix === undefined ? undefined : checkString(who, 'prefix', prefix), params };
}

const HYBRIDIZE_KEYS = optionKeys<HybridizeOptions>({ active: true, staticAlloc: true, staticShape: true });

/** `hybridize`'s argument (a boolean, or options) as its three flags, with Gluon's defaults. */
export function hybridizeFlags(who: string, options: unknown): Required<HybridizeOptions> {
  if (typeof options === 'boolean') return { active: options, staticAlloc: false, staticShape: false };
  const { active = true, staticAlloc = false, staticShape = false } = checkOptionsObject(`${who}.hybridize`, options, HYBRIDIZE_KEYS);
  return {
    active: checkFlag(`${who}.hybridize`, 'active', active),
    staticAlloc: checkFlag(`${who}.hybridize`, 'staticAlloc', staticAlloc),
    staticShape: checkFlag(`${who}.hybridize`, 'staticShape', staticShape),
  };
}

/**
 * `collectParams`' selection as a sticky RegExp (it must match at the start of a name, as
 * Python's `re.match`), or undefined to select every parameter.
 */
export function selectMatcher(who: string, select: unknown): RegExp | undefined {
  if (select === undefined) return undefined;
  if (typeof select !== 'string' && !(select instanceof RegExp)) {
    throw new GluonError(`${who}.collectParams: expected select to be a regular expression (a string or a RegExp), but got ${describeValue(select)}`);
  }
  const source = typeof select === 'string' ? select : select.source;
  try {
    return new RegExp(source, 'y');
  } catch (error) {
    const reason = error instanceof Error ? ` (${error.message})` : '';
    throw new GluonError(`${who}.collectParams: expected select to be a valid regular expression, but got ${describeValue(select)}${reason}`);
  }
}
