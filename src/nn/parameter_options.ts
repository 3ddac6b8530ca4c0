/**
 * Checks of the options a Parameter is made, fetched or initialized with (`new Parameter`,
 * `ParameterDict.get`, `initialize`), in the core checks' form (src/core/checks.ts).
 */
import { checkChoice, checkFlag, checkOptionsObject, describeValue, optionKeys } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { checkInitializerSpec } from '../init/registry';
import type { GradReq, ParameterInitOptions, ParameterOptions } from './parameter';

/** The gradient requests, as Gluon's `grad_req`. */
export const GRAD_REQS: readonly GradReq[] = ['write', 'add', 'null'];

const PARAMETER_KEYS = optionKeys<ParameterOptions>({
  gradReq: true, shape: true, dtype: true, lrMult: true, wdMult: true, init: true, allowDeferredInit: true, differentiable: true,
});

const INIT_KEYS = optionKeys<ParameterInitOptions>({ defaultInit: true, forceReinit: true });

/**
 * Checks a Parameter's options: the keys, and the type of each value given but `lrMult` and
 * `wdMult`, which the Parameter checks as it sets them (the shape's dims: the `shape` setter).
 * `who` names the parameter.
 */
export function checkParameterOptions(who: string, options: unknown): ParameterOptions {
  const checked = checkOptionsObject(who, options, PARAMETER_KEYS);
  const { gradReq, shape, dtype, init, allowDeferredInit, differentiable } = checked;
  if (gradReq !== undefined) checkChoice(who, 'gradReq', gradReq, GRAD_REQS);
  if (shape !== undefined && typeof shape !== 'number' && !Array.isArray(shape)) {
    throw new GluonError(`${who}: expected shape to be a number or a list of dims, but got ${describeValue(shape)}`);
  }
  if (dtype !== undefined) checkChoice(who, 'dtype', dtype, ['float32']);
  if (init !== undefined) checkInitializerSpec(who, 'init', init);
  if (allowDeferredInit !== undefined) checkFlag(who, 'allowDeferredInit', allowDeferredInit);
  if (differentiable !== undefined) checkFlag(who, 'differentiable', differentiable);
  return checked as ParameterOptions;
}

/** Checks the options of `Parameter.initialize`. */
export function checkParameterInitOptions(who: string, options: unknown): ParameterInitOptions {
  const checked = checkOptionsObject(who, options, INIT_KEYS);
  if (checked.defaultInit !== undefined) checkInitializerSpec(who, 'defaultInit', checked.defaultInit);
  if (checked.forceReinit !== undefined) checkFlag(who, 'forceReinit', checked.forceReinit);
  return checked as ParameterInitOptions;
}

/** A shape's dims for an error message: `(2, -1)` when they are numbers, else the value described by `describeValue`. */
export function shownShape(shape: unknown): string {
  if (Array.isArray(shape) && shape.every((dim) => typeof dim === 'number')) return formatShape(shape);
  return describeValue(shape);
}
