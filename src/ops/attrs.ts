/**
 * Operator attributes: each operator declares its attributes once, keyed by the camelCase option
 * name that `nd.X`/`sym.X` take (`numFilter`). The same declaration parses MXNet's symbol-JSON
 * strings under the snake_case key (`"num_filter": "16"`, `"kernel": "(3, 3)"`, `"no_bias":
 * "True"`, `"eps": "1e-05"`) and prints them back as MXNet's Python frontend writes them (Python's
 * `str()` of the value), so files round-trip with MXNet 1.9.
 */
import { pyBool, pyFloat } from '../core/py_format';

/** How one attribute is read, checked, defaulted and printed. */
export interface AttrSpec<T> {
  /** No default: the caller (or the JSON node) must give it. */
  readonly required: boolean;
  /** The value when not given (unused when `required`). */
  readonly defaultValue: T;
  /** Declared by MXNet but without effect on the CPU (e.g. `workspace`, `cudnn_tune`): accepted, kept, not used. */
  readonly ignored: boolean;
  /** What a valid value is, for error messages: 'an integer >= 1', 'a tuple of integers'. */
  readonly description: string;
  /** The value of a JavaScript option, or undefined when it is not valid. */
  fromOption(value: unknown): T | undefined;
  /** The value of an MXNet JSON string, or undefined when it is not valid. */
  fromJson(text: string): T | undefined;
  /** The JSON string MXNet's Python frontend writes for `value`. */
  toJson(value: T): string;
}

/** An operator's attributes, keyed by camelCase option name. */
export type AttrTable = Readonly<Record<string, AttrSpec<unknown>>>;

/** The resolved (defaults filled in) attribute values of a table. */
export type AttrValues<T extends AttrTable> = { readonly [K in keyof T]: T[K] extends AttrSpec<infer V> ? V : never };

/** `numFilter` → `num_filter`: MXNet's JSON key of a camelCase option. */
export function toSnakeCase(option: string): string {
  return option.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `num_filter` → `numFilter`. */
export function toCamelCase(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

interface SpecOptions<T> {
  /** The default; omit for a required attribute. */
  default?: T;
  ignored?: boolean;
}

function makeSpec<T>(
  description: string,
  options: SpecOptions<T>,
  fromOption: (value: unknown) => T | undefined,
  fromJson: (text: string) => T | undefined,
  toJson: (value: T) => string,
): AttrSpec<T> {
  const required = !('default' in options);
  return {
    required,
    defaultValue: options.default as T, // never read when required
    ignored: options.ignored ?? false,
    description,
    fromOption,
    fromJson: (text) => fromJson(text.trim()),
    toJson,
  };
}

const INT_TEXT = /^[-+]?\d+L?$/;

function parseInt10(text: string): number | undefined {
  return INT_TEXT.test(text) ? Number(text.replace(/L$/, '')) : undefined;
}

function isIntAtLeast(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

function bounded(min: number): string {
  return min === -Infinity ? 'an integer' : `an integer >= ${min}`;
}

/** An integer attribute (C++ `int`), at least `min`. */
export function intAttr(options: SpecOptions<number> & { min?: number } = {}): AttrSpec<number> {
  const min = options.min ?? -Infinity;
  const check = (v: unknown): number | undefined => (isIntAtLeast(v, min) ? v : undefined);
  return makeSpec(bounded(min), options, check, (text) => check(parseInt10(text)), String);
}

/**
 * A floating-point attribute (C++ `float` or `double`); operators round to float32 where MXNet
 * computes in float. Accepts Python's `inf`, `-inf` and `nan` in JSON.
 */
export function floatAttr(options: SpecOptions<number> & { finite?: boolean } = {}): AttrSpec<number> {
  const finite = options.finite ?? true;
  const check = (v: unknown): number | undefined => (typeof v === 'number' && (!finite || Number.isFinite(v)) ? v : undefined);
  return makeSpec(finite ? 'a finite number' : 'a number', options, check, (text) => check(parseFloatText(text)), pyFloat);
}

function parseFloatText(text: string): number | undefined {
  const special: Record<string, number> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, nan: NaN, infinity: Infinity, '-infinity': -Infinity };
  const lower = text.toLowerCase();
  if (lower in special) return special[lower];
  return /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?f?$/i.test(text) ? Number(text.replace(/f$/i, '')) : undefined;
}

const TRUE_TEXT = ['True', 'true', '1'];
const FALSE_TEXT = ['False', 'false', '0'];

/** A boolean attribute: JSON `True`/`False` (also `true`/`false`/`1`/`0`, as dmlc's parser). */
export function boolAttr(options: SpecOptions<boolean> = {}): AttrSpec<boolean> {
  const fromJson = (text: string): boolean | undefined => (TRUE_TEXT.includes(text) ? true : FALSE_TEXT.includes(text) ? false : undefined);
  return makeSpec('true or false', options, (v) => (typeof v === 'boolean' ? v : undefined), fromJson, pyBool);
}

/** One of a fixed set of strings (an enum: `pool_type`, `act_type`). */
export function choiceAttr<T extends string>(choices: readonly T[], options: SpecOptions<T> = {}): AttrSpec<T> {
  const check = (v: unknown): T | undefined => choices.find((c) => c === v);
  return makeSpec(`one of ${choices.map((c) => `'${c}'`).join(', ')}`, options, check, check, (v) => v);
}

/** A tuple of integers (a TShape or Tuple<int>): JSON `(3, 3)`, `(3,3)`, `[3, 3]`, `(3,)`, `()` or a lone `3`. */
export function tupleAttr(options: SpecOptions<readonly number[]> & { min?: number; scalarOk?: boolean } = {}): AttrSpec<readonly number[]> {
  const min = options.min ?? -Infinity;
  const check = (v: unknown): readonly number[] | undefined => {
    if (options.scalarOk && isIntAtLeast(v, min)) return [v];
    return Array.isArray(v) && v.every((d) => isIntAtLeast(d, min)) ? Object.freeze(v.slice()) : undefined;
  };
  const description = `a tuple of ${min === -Infinity ? 'integers' : `integers >= ${min}`}${options.scalarOk ? ' (or one integer)' : ''}`;
  return makeSpec(description, options, check, (text) => check(parseIntTuple(text)), pyTuple);
}

/** Parses dmlc's tuple text: `(3, 3)`, `[3,3]`, `(3L, 3L)`, `()`, or one integer; undefined when malformed. */
export function parseIntTuple(text: string): number[] | undefined {
  const lone = parseInt10(text);
  if (lone !== undefined) return [lone];
  const match = /^[([]\s*(.*?)\s*,?\s*[)\]]$/.exec(text);
  if (match === null) return undefined;
  if (match[1] === '') return [];
  const parts = match[1].split(',').map((p) => parseInt10(p.trim()));
  return parts.every((p): p is number => p !== undefined) ? parts : undefined;
}

/** Python's `str(tuple)`: `(3, 3)`, `(3,)`, `()`. */
export function pyTuple(values: readonly number[]): string {
  return values.length === 1 ? `(${values[0]},)` : `(${values.join(', ')})`;
}

/**
 * An optional attribute (C++ `dmlc::optional<T>`): `null` (JSON `None`) or a value of `inner`.
 * Defaults to null unless `default` is given.
 */
export function optionalAttr<T>(inner: AttrSpec<T>, options: SpecOptions<T | null> = { default: null }): AttrSpec<T | null> {
  return makeSpec<T | null>(
    `None or ${inner.description}`,
    { default: options.default ?? null, ignored: options.ignored ?? inner.ignored },
    (v) => (v === null ? null : inner.fromOption(v)),
    (text) => (text === 'None' ? null : inner.fromJson(text)),
    (v) => (v === null ? 'None' : inner.toJson(v)),
  );
}

/** A free string attribute (kept as given). */
export function stringAttr(options: SpecOptions<string> = {}): AttrSpec<string> {
  const check = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return makeSpec('a string', options, check, check, (v) => v);
}
