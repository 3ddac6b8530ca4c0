/**
 * Frontends: the functions users call (`nd.Convolution`, `sym.Convolution`, `nd.add`). Each is
 * written once against an `OpCaller`, which runs the operator (for `nd`, on NDArrays) or adds a
 * node to a graph (for `sym`, on Symbols), so `nd.X` and `sym.X` take the same arguments and pick
 * the same operator with the same attributes.
 */
import { GluonError } from '../core/errors';
import { describeValue, isPlainObject } from '../core/checks';
import { currentCaller } from './invoke';
import type { Attrs, Operator } from './operator';

/** Runs (nd) or records (sym) one operator call on tensors of type T. */
export interface OpCaller<T> {
  /** What its tensors are called in messages: 'an NDArray', 'a Symbol'. */
  readonly kind: string;
  /** Whether an absent input becomes a new variable (`sym`, as MXNet's symbols) rather than staying absent (`nd`). */
  readonly makesAbsentInputs: boolean;
  /** Whether `value` is a tensor of this frontend (an NDArray, or a Symbol). */
  isTensor(value: unknown): value is T;
  /**
   * `op(inputs)`: the visible outputs. An absent optional input is undefined. `name` is the
   * caller's name for the call (a Symbol's node name; NDArrays ignore it, as MXNet's `nd` does).
   */
  call(op: Operator, inputs: readonly (T | undefined)[], attrs: Attrs, name?: string): T[];
}

/** The option every operator takes: `name`, the node name of a Symbol (MXNet's `name=`; `nd` ignores it). */
export interface NameOption {
  name?: string;
}

/** Makes one frontend function for a caller. */
export type Frontend = <T>(caller: OpCaller<T>) => (...args: never[]) => unknown;

/** A table of frontends with the keys of a signature interface. */
export type FrontendTable<S> = { readonly [K in keyof S]: Frontend };

/**
 * Binds every frontend of `table` to `caller`. The one place the frontends' precise types (the
 * signature interface S, with their documentation) are attached to the functions built here.
 */
export function bindFrontends<S, T>(table: FrontendTable<S>, caller: OpCaller<T>): S {
  const bound: Record<string, unknown> = {};
  for (const key of Object.keys(table) as (keyof S & string)[]) bound[key] = table[key](caller);
  return bound as S;
}

/**
 * How an operator's inputs may set options by being present or absent (`bias` absent → `noBias:
 * true` in `nd`); `makesAbsentInputs` is the caller's (see OpCaller).
 */
export type AbsentInputOptions = (present: readonly boolean[], makesAbsentInputs: boolean) => Readonly<Record<string, unknown>>;

/**
 * The standard calling convention of every operator: data, weights and auxiliary states
 * positional in MXNet's order (undefined for an absent optional one), then one options object.
 * Returns the output, or the list of outputs of a multi-output operator (SliceChannel).
 *
 * @example
 * nd.Convolution(x, weight, bias, { kernel: [3, 3], numFilter: 8 });
 * sym.LeakyReLU(data, gamma, { actType: 'prelu' });
 */
export function standard(op: Operator, absentInputs?: AbsentInputOptions): Frontend {
  return <T>(caller: OpCaller<T>) => (...args: unknown[]) => {
    const who = currentCaller(op);
    const { positional, options } = splitArguments(args);
    const present = positional.map((x) => x !== undefined);
    const { name, ...rest } = checkedOptions(options, who, op);
    const attrs = op.resolveOptions(absentInputs === undefined ? rest : { ...absentInputs(present, caller.makesAbsentInputs), ...rest }, who);
    const outputs = caller.call(op, fitInputs(caller, op, attrs, positional, who), attrs, checkName(name, who));
    return outputs.length === 1 ? outputs[0] : outputs;
  };
}

function checkedOptions(options: unknown, who: string, op: Operator): Readonly<Record<string, unknown>> {
  if (options === undefined) return {};
  if (!isPlainObject(options)) throw new GluonError(`${who}: expected an options object as the last argument of ${op.name}, but got ${describeValue(options)}`);
  return options;
}

/** The optional `name` every operator takes (the node name of a Symbol, as MXNet's `name=`). */
function checkName(name: unknown, who: string): string | undefined {
  if (name === undefined || (typeof name === 'string' && name.length > 0)) return name;
  throw new GluonError(`${who}: expected name to be a non-empty string, but got ${describeValue(name)}`);
}

/** Splits `(...inputs, options?)`: the last argument is the options when it is a plain object. */
function splitArguments(args: readonly unknown[]): { positional: unknown[]; options: unknown } {
  const last = args[args.length - 1];
  const hasOptions = isPlainObject(last);
  return { positional: hasOptions ? args.slice(0, -1) : args.slice(), options: hasOptions ? last : undefined };
}

/**
 * The inputs, checked against the operator's input names and padded with undefined to their
 * count; more than it takes, or a value that is not a tensor, is an error naming the input.
 */
function fitInputs<T>(caller: OpCaller<T>, op: Operator, attrs: Attrs, positional: readonly unknown[], who: string): (T | undefined)[] {
  const names = op.inputNames(attrs);
  let count = positional.length;
  while (count > 0 && positional[count - 1] === undefined) count--;
  if (count > names.length) {
    throw new GluonError(`${who}: ${op.name} takes ${names.length} input(s) (${names.join(', ')}) with these options, but got ${count} (options go last, in one object)`);
  }
  return names.map((name, i) => {
    const value = positional[i];
    if (value === undefined || caller.isTensor(value)) return value;
    throw new GluonError(`${who}: expected ${name} to be ${caller.kind}, but got ${describeValue(value)}`);
  });
}

/**
 * A variable-input frontend (`nd.concat(a, b, c, { dim })`, `nd.UpSampling(a, b, { … })`): the
 * arrays positionally, and `numArgs` filled in from their count when the options leave it out,
 * as MXNet's Python does (its key_var_num_args).
 */
export function variadic(op: Operator): Frontend {
  return <T>(caller: OpCaller<T>) => {
    // The standard frontend checks the inputs and options; it is typed for its signature, not this call.
    const call = standard(op)(caller) as (...args: unknown[]) => unknown;
    return (...args: unknown[]) => {
      const last = args[args.length - 1];
      const options = isPlainObject(last) ? last : undefined;
      const inputs = options === undefined ? args : args.slice(0, -1);
      return call(...inputs, { ...options, numArgs: options?.numArgs ?? inputs.length });
    };
  };
}
