/**
 * The operator record, after MXNet's NNVM op records: one record per operator declares its
 * attributes, its inputs (data, weights, auxiliary states) and outputs, which inputs it mutates
 * and which outputs may overwrite which inputs (for the memory planner), its shape inference, its
 * forward (a kernel call) and its backward (written with registered operators, so that it is
 * itself differentiable). `nd.X`, `sym.X`, the cached graph, SymbolBlock and export all reach an
 * operator through this record.
 */
import { GluonError, formatShape } from '../core/errors';
import { checkOptionsObject, describeValue } from '../core/checks';
import type { FusedActivation } from '../kernels/cpu/fused_activation';
import type { InputPad } from '../kernels/cpu/pad';
import type { DType } from '../ndarray/dtype';
import type { NDArray } from '../ndarray/ndarray';
import { AttrSpec, AttrTable, AttrValues, toSnakeCase } from './attrs';
import type { Nd } from './nd';

/** A shape; `undefined` where it is not (yet) known. */
export type Shape = readonly number[];
export type MaybeShape = Shape | undefined;

/** An operator's attributes: every value resolved (defaults filled in), and those given explicitly. */
export interface Attrs {
  readonly values: Readonly<Record<string, unknown>>;
  /** What the caller or the JSON gave, by option name: what `toJson` prints, as MXNet does. */
  readonly given: Readonly<Record<string, unknown>>;
}

/** What shape inference knows: every input and output shape it could work out, and the kernel plan. */
export interface ShapeInference<P = unknown> {
  /** One per input, in order; inferred ones (weights from data) filled in. */
  readonly inputs: readonly MaybeShape[];
  /** One per visible output. */
  readonly outputs: readonly MaybeShape[];
  /** What forward needs besides the attributes (kernel parameters); set once every shape is known. */
  readonly plan?: P;
}

/** What a forward receives: outputs are preallocated with the inferred shapes (contents unspecified). */
export interface ForwardContext<A, P> {
  readonly attrs: A;
  readonly plan: P;
  readonly inputs: readonly NDArray[];
  readonly outputs: readonly NDArray[];
  /** autograd.isTraining(): Dropout drops, BatchNorm uses batch statistics. */
  readonly training: boolean;
  /** A backward may follow: keep what it needs (pooling's argmax). */
  readonly recording: boolean;
  /** Who to name in errors: the operator, the layer calling it, or the graph node. */
  readonly who: string;
  /**
   * The dtype the results will be stored as (operators with `dtypes: 'same'`; else float32): the
   * arrays hold its values in float32 or float64, and a scalar attribute is cast to it first.
   */
  readonly dtype?: DType;
  /**
   * An activation to apply to output 0 before returning: set only by the cached graph, only for
   * operators that declare `fusesActivation`, and never while recording.
   */
  readonly activation?: FusedActivation;
  /**
   * A padding to apply to input 0 as it is read (a fused `Pad` node): set only by the cached
   * graph, only for operators that declare `fusesInputPad`; inputs[0] is then the unpadded data.
   */
  readonly inputPad?: InputPad;
}

/** What a backward rule receives. */
export interface BackwardContext<A, P, S> extends Omit<ForwardContext<A, P>, 'recording'> {
  /** What forward returned. */
  readonly saved: S;
  /** One per visible output: its gradient (zeros when it received none). */
  readonly outputGrads: readonly NDArray[];
  /** Per input: whether it needs a gradient (rules skip the others and return undefined). */
  readonly needsGrad: readonly boolean[];
  /** Per input: storage the rule may write that gradient into (see autograd/tape.ts). */
  readonly into: readonly (Float32Array | undefined)[];
}

/** A backward rule: the gradient of each input, written with the operators of `F` (so it is differentiable). */
export type BackwardFn<A, P, S> = (ctx: BackwardContext<A, P, S>, F: Nd) => readonly (NDArray | undefined)[];

/** A count or names that may depend on the attributes. */
type PerAttrs<A, T> = T | ((attrs: A) => T);

/** How an operator file declares an operator; `defineOperator` turns it into an `Operator`. */
export interface OperatorSpec<T extends AttrTable, P, S> {
  /** MXNet's name (`Convolution`, `broadcast_add`, `_plus_scalar`). */
  readonly name: string;
  /** Other names MXNet reads it under (`_Plus`, `split`, `concat`). */
  readonly aliases?: readonly string[];
  readonly attrs: T;
  /** Every input, in MXNet's order, auxiliary states last (`['data', 'weight', 'bias']`). */
  readonly inputs: PerAttrs<AttrValues<T>, readonly string[]>;
  /** How many of the last inputs are auxiliary states (BatchNorm's moving mean and variance). Default 0. */
  readonly auxStates?: number;
  /** The visible outputs' names (`['output']`, `['output0', 'output1']`). Default `['output']`. */
  readonly outputs?: PerAttrs<AttrValues<T>, readonly string[]>;
  /** Outputs MXNet declares but hides (BatchNorm's mean and var), counted in the JSON's node_row_ptr. Default 0. */
  readonly hiddenOutputs?: PerAttrs<AttrValues<T>, number>;
  /** Inputs the forward writes in place (auxiliary states, as MXNet's FMutateInputs). */
  readonly mutates?: readonly number[];
  /** [input, output] pairs whose storage the output may take over (MXNet's FInplaceOption). */
  readonly inplace?: readonly (readonly [number, number])[];
  /** Inputs read only by the backward (SoftmaxOutput's label): inference may leave them out. */
  readonly labelInputs?: readonly number[];
  /** The forward applies `ctx.activation` to output 0 (symbol/fusion.ts fuses a following activation into it). Default false. */
  readonly fusesActivation?: boolean;
  /** The forward applies `ctx.inputPad` to input 0 (symbol/fusion.ts fuses a `Pad` before it into it). Default false. */
  readonly fusesInputPad?: boolean;
  /**
   * 'same': the operator takes arrays of any one dtype and returns that dtype, MXNet's rule for
   * its elementwise, comparison, layout and reduction operators (ops/invoke.ts runs it in float64
   * or float32 and stores the results as the dtype). Its forward then only indexes and does
   * arithmetic in JavaScript numbers, and casts scalars with `ctx.dtype`. Default: float32 only.
   */
  readonly dtypes?: 'same';
  /**
   * Inputs that hold indices, labels or lengths: every dtype is accepted there, as MXNet's, and read
   * as float32 values (exact up to 2^24, the most any index here reaches in practice).
   */
  readonly indexInputs?: readonly number[];
  /**
   * The dtype the operator converts its one input to (`Cast`): ops/invoke.ts converts every other
   * pair of dtypes itself, and runs the forward only for float32 to float32 (the copy a graph runs).
   */
  readonly castsTo?: (attrs: AttrValues<T>) => DType;
  /**
   * MXNet declares no attribute parser for this operator (Flatten, the unary math, elemwise and
   * broadcast operators), so a JSON file may give it any attribute: kept as text, not used.
   */
  readonly anyAttrs?: boolean;
  inferShape(attrs: AttrValues<T>, shapes: readonly MaybeShape[], who: string): ShapeInference<P>;
  forward(ctx: ForwardContext<AttrValues<T>, P>): S;
  /**
   * The backward rule; `'constant'` for a piecewise-constant result (comparisons, argmax), which
   * passes no gradient and is never recorded. Without one the operator is not differentiable and
   * recording it on an input that needs a gradient throws.
   */
  readonly backward?: BackwardFn<AttrValues<T>, P, S> | 'constant';
}

/** An operator as the rest of the library sees it (attribute types erased). */
export interface Operator {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly attrSpecs: AttrTable;
  /** Resolves a `nd.X`/`sym.X` options object (camelCase keys), rejecting unknown keys and bad values. */
  resolveOptions(options: unknown, who: string): Attrs;
  /**
   * Resolves attributes from MXNet JSON strings (snake_case keys). `extra` holds what is kept as
   * text beside them: `__name__` keys, and any key of an operator without a parser (`anyAttrs`).
   */
  resolveJson(attrs: Readonly<Record<string, string>>, who: string): { attrs: Attrs; extra: Record<string, string> };
  /** The JSON strings of the given attributes, snake_case keys, in declaration order. */
  printAttrs(attrs: Attrs): Record<string, string>;
  inputNames(attrs: Attrs): readonly string[];
  readonly auxStates: number;
  outputNames(attrs: Attrs): readonly string[];
  hiddenOutputs(attrs: Attrs): number;
  readonly mutates: readonly number[];
  readonly inplace: readonly (readonly [number, number])[];
  readonly labelInputs: readonly number[];
  readonly fusesActivation: boolean;
  readonly fusesInputPad: boolean;
  readonly dtypes: 'same' | undefined;
  readonly indexInputs: readonly number[];
  readonly castsTo: ((attrs: Attrs) => DType) | undefined;
  inferShape(attrs: Attrs, shapes: readonly MaybeShape[], who: string): ShapeInference;
  forward(ctx: ForwardContext<Attrs, unknown>): unknown;
  readonly backward: BackwardFn<Attrs, unknown, unknown> | 'constant' | undefined;
}

/**
 * Makes an `Operator` from its typed declaration: the typed functions see resolved attribute
 * values, the rest of the library only the erased `Attrs`.
 */
export function defineOperator<T extends AttrTable, P = undefined, S = undefined>(spec: OperatorSpec<T, P, S>): Operator {
  const specs: AttrTable = spec.attrs;
  const keys = Object.keys(specs);
  // The one place attribute types are erased: `values` was built from `spec.attrs` by resolve().
  const typed = (attrs: Attrs): AttrValues<T> => attrs.values as AttrValues<T>;
  const perAttrs = <V>(value: PerAttrs<AttrValues<T>, V>, attrs: Attrs): V =>
    typeof value === 'function' ? (value as (a: AttrValues<T>) => V)(typed(attrs)) : value;
  const backward = spec.backward;
  return {
    name: spec.name,
    aliases: spec.aliases ?? [],
    attrSpecs: specs,
    resolveOptions: (options, who) => resolveOptions(specs, keys, options, who),
    resolveJson: (attrs, who) => resolveJson(spec.name, specs, keys, attrs, who, spec.anyAttrs ?? false),
    printAttrs: (attrs) => printAttrs(specs, keys, attrs),
    inputNames: (attrs) => perAttrs(spec.inputs, attrs),
    auxStates: spec.auxStates ?? 0,
    outputNames: (attrs) => perAttrs(spec.outputs ?? ['output'], attrs),
    hiddenOutputs: (attrs) => perAttrs(spec.hiddenOutputs ?? 0, attrs),
    mutates: spec.mutates ?? [],
    inplace: spec.inplace ?? [],
    labelInputs: spec.labelInputs ?? [],
    fusesActivation: spec.fusesActivation ?? false,
    fusesInputPad: spec.fusesInputPad ?? false,
    dtypes: spec.dtypes,
    indexInputs: spec.indexInputs ?? [],
    castsTo: spec.castsTo && ((attrs: Attrs) => (spec.castsTo as (a: AttrValues<T>) => DType)(typed(attrs))),
    inferShape: (attrs, shapes, who) => spec.inferShape(typed(attrs), shapes, who),
    forward: (ctx) => spec.forward({ ...ctx, attrs: typed(ctx.attrs), plan: ctx.plan as P }),
    backward: typeof backward === 'function'
      ? (ctx, F) => backward({ ...ctx, attrs: typed(ctx.attrs), plan: ctx.plan as P, saved: ctx.saved as S }, F)
      : backward,
  };
}

function resolveOptions(specs: AttrTable, keys: readonly string[], options: unknown, who: string): Attrs {
  const given = checkOptionsObject(who, options, keys);
  const values: Record<string, unknown> = {};
  for (const key of keys) {
    const spec = specs[key];
    const raw = given[key];
    if (raw === undefined) {
      values[key] = defaultOf(spec, who, key);
      continue;
    }
    const value = spec.fromOption(raw);
    if (value === undefined) throw new GluonError(`${who}: expected ${key} to be ${spec.description}, but got ${describeValue(raw)}`);
    values[key] = value;
  }
  return { values, given: pickGiven(values, given) };
}

function pickGiven(values: Record<string, unknown>, given: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const picked: Record<string, unknown> = {};
  for (const key of Object.keys(given)) if (given[key] !== undefined) picked[key] = values[key];
  return picked;
}

function defaultOf(spec: AttrSpec<unknown>, who: string, key: string): unknown {
  if (spec.required) throw new GluonError(`${who}: expected ${key} (${spec.description}), a required option, but got none`);
  return spec.defaultValue;
}

/** Node attributes MXNet keeps beside an operator's own: `__shape__`, `__lr_mult__`, any `__name__`. */
export function isHiddenKey(key: string): boolean {
  return key.length > 4 && key.startsWith('__') && key.endsWith('__');
}

function resolveJson(
  op: string, specs: AttrTable, keys: readonly string[], attrs: Readonly<Record<string, string>>, who: string, anyAttrs: boolean,
): { attrs: Attrs; extra: Record<string, string> } {
  const byKey = new Map(keys.map((option) => [toSnakeCase(option), option]));
  const given: Record<string, unknown> = {};
  const extra: Record<string, string> = {};
  for (const [key, text] of Object.entries(attrs)) {
    const option = byKey.get(key);
    if (option === undefined && (isHiddenKey(key) || anyAttrs)) {
      extra[key] = String(text);
      continue;
    }
    if (option === undefined) {
      const known = [...byKey.keys()].join(', ');
      throw new GluonError(`${who}: operator ${op} has no attribute '${key}' (MXNet declares: ${known || 'none'})`);
    }
    const value = specs[option].fromJson(String(text));
    if (value === undefined) {
      throw new GluonError(`${who}: expected attribute '${key}' of ${op} to be ${specs[option].description}, but got '${String(text)}'`);
    }
    given[option] = value;
  }
  const values: Record<string, unknown> = {};
  for (const key of keys) values[key] = key in given ? given[key] : defaultOf(specs[key], who, toSnakeCase(key));
  return { attrs: { values, given }, extra };
}

function printAttrs(specs: AttrTable, keys: readonly string[], attrs: Attrs): Record<string, string> {
  const printed: Record<string, string> = {};
  for (const key of keys) if (key in attrs.given) printed[toSnakeCase(key)] = specs[key].toJson(attrs.given[key]);
  return printed;
}

/** Throws a shape error naming `who`: `who: <message> for <input> of shape (..)`. */
export function shapeError(who: string, message: string): GluonError {
  return new GluonError(`${who}: ${message}`);
}

/** `(2, 3)`, or `unknown` for a shape not yet inferred. */
export function showShape(shape: MaybeShape): string {
  return shape === undefined ? 'unknown' : formatShape(shape);
}
