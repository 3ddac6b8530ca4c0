/**
 * Argument checks shared by the dense CPU kernels (gemm, conv, pooling). Each throws a
 * `GluonError` whose message names the kernel, the argument, what was expected and what was
 * given, so a layer that forwards bad sizes gets an error that points at the cause.
 */
import { GluonError } from '../../core/errors';

/** Throws unless `value` is an integer ≥ `min` (sizes, offsets, strides, …). */
export function checkInt(kernel: string, name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    const what = min === 0 ? 'a non-negative integer' : `an integer >= ${min}`;
    throw new GluonError(`${kernel}: expected ${name} to be ${what}, but got ${String(value)}`);
  }
}

/** Throws unless `values` has `rank` entries, each an integer ≥ `min`. */
export function checkIntTuple(kernel: string, name: string, values: readonly number[], rank: number, min: number): void {
  if (!Array.isArray(values) || values.length !== rank) {
    const got = Array.isArray(values) ? `${values.length} values (${values.join(', ')})` : String(values);
    throw new GluonError(`${kernel}: expected ${name} to have ${rank} values (one per spatial dimension), but got ${got}`);
  }
  values.forEach((v, i) => checkInt(kernel, `${name}[${i}]`, v, min));
}

/**
 * Throws unless `buffer` is a Float32Array holding at least `needed` elements from `offset`:
 * the kernels never read or write outside the views they are given.
 */
export function checkBuffer(kernel: string, name: string, buffer: Float32Array, offset: number, needed: number): void {
  checkTypedBuffer(kernel, name, buffer, Float32Array, 'a Float32Array', offset, needed);
}

/** Throws unless `buffer` is an Int32Array holding at least `needed` elements from `offset`. */
export function checkIndexBuffer(kernel: string, name: string, buffer: Int32Array, offset: number, needed: number): void {
  checkTypedBuffer(kernel, name, buffer, Int32Array, 'an Int32Array', offset, needed);
}

/** The one check behind `checkBuffer` and `checkIndexBuffer`; `what` names the type with its article. */
function checkTypedBuffer(
  kernel: string, name: string, buffer: Float32Array | Int32Array, type: Float32ArrayConstructor | Int32ArrayConstructor,
  what: string, offset: number, needed: number,
): void {
  if (!(buffer instanceof type)) {
    throw new GluonError(`${kernel}: expected ${name} to be ${what}, but got ${describe(buffer)}`);
  }
  checkInt(kernel, `${name} offset`, offset, 0);
  if (needed > 0 && offset + needed > buffer.length) {
    throw new GluonError(
      `${kernel}: expected ${name} to hold at least ${offset + needed} elements (offset ${offset} + ${needed}), ` +
        `but got a buffer of ${buffer.length}`,
    );
  }
}

/** Throws unless `value` is a non-null object (a kernel's parameter or layout argument). */
export function checkObject(kernel: string, what: string, value: unknown): void {
  if (value === null || typeof value !== 'object') {
    throw new GluonError(`${kernel}: expected ${what}, but got ${String(value)}`);
  }
}

/**
 * Throws unless `values` is an array of 1, 2 or 3 entries (one per spatial dimension) and
 * returns that rank; the entries themselves are checked by `checkIntTuple`.
 */
export function checkSpatialRank(kernel: string, name: string, values: readonly number[]): number {
  const rank = Array.isArray(values) ? values.length : -1;
  if (rank < 1 || rank > 3) {
    const got = Array.isArray(values) ? `${rank} values` : String(values);
    throw new GluonError(`${kernel}: expected ${name} to have 1, 2 or 3 values (one per spatial dimension), but got ${got}`);
  }
  return rank;
}

/**
 * Throws if the `outLength` elements of `out` from `outOffset` share memory with the `inLength`
 * elements of `input` from `inOffset`: a kernel that wrote its output over its input would read
 * values it had already overwritten.
 */
export function checkDisjoint(
  kernel: string,
  outName: string, out: Float32Array | Int32Array, outOffset: number, outLength: number,
  inName: string, input: Float32Array | Int32Array, inOffset: number, inLength: number,
): void {
  if (out.buffer !== input.buffer || outLength === 0 || inLength === 0) return;
  const outStart = out.byteOffset + out.BYTES_PER_ELEMENT * outOffset;
  const inStart = input.byteOffset + input.BYTES_PER_ELEMENT * inOffset;
  if (outStart < inStart + input.BYTES_PER_ELEMENT * inLength && inStart < outStart + out.BYTES_PER_ELEMENT * outLength) {
    throw new GluonError(`${kernel}: expected ${outName} not to overlap ${inName}, but got views sharing memory of one buffer`);
  }
}

/** A Float32Array argument of a kernel: its name in messages, the view, its offset and the elements the call uses. */
export type ArrayArg = readonly [name: string, data: Float32Array, offset: number, length: number];

/**
 * Checks, in order, that each input (null entries, e.g. an absent bias, are skipped) and then
 * the output hold what the call uses, and that the output overlaps none of the inputs.
 *
 * @example
 * checkArrays('convForward', [['x', x, 0, 100], ['weight', w, 0, 36], null], ['out', out, 0, 18]);
 */
export function checkArrays(kernel: string, inputs: readonly (ArrayArg | null)[], out: ArrayArg): void {
  const given = inputs.filter((input): input is ArrayArg => input !== null);
  for (const [name, data, offset, length] of [...given, out]) checkBuffer(kernel, name, data, offset, length);
  for (const [name, data, offset, length] of given) checkDisjoint(kernel, out[0], out[1], out[2], out[3], name, data, offset, length);
}

/** A short description of an unexpected argument for error messages. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'an object';
  return typeof value;
}

/** The product of a list of sizes (1 for an empty list). */
export function product(values: readonly number[]): number {
  let p = 1;
  for (const v of values) p *= v;
  return p;
}
