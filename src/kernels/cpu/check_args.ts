/**
 * Argument checks shared by the dense CPU kernels (gemm, conv, pooling). Each throws a
 * `GluonError` whose message names the kernel, the argument, what was expected and what was
 * given, so a layer that forwards bad sizes gets an error that points at the cause.
 */
import { GluonError } from '../../errors';

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
  if (!(buffer instanceof Float32Array)) {
    throw new GluonError(`${kernel}: expected ${name} to be a Float32Array, but got ${describe(buffer)}`);
  }
  checkInt(kernel, `${name} offset`, offset, 0);
  if (needed > 0 && offset + needed > buffer.length) {
    throw new GluonError(
      `${kernel}: expected ${name} to hold at least ${offset + needed} elements (offset ${offset} + ${needed}), ` +
        `but got a buffer of ${buffer.length}`,
    );
  }
}

/** Throws unless `buffer` is an Int32Array holding at least `needed` elements from `offset`. */
export function checkIndexBuffer(kernel: string, name: string, buffer: Int32Array, offset: number, needed: number): void {
  if (!(buffer instanceof Int32Array)) {
    throw new GluonError(`${kernel}: expected ${name} to be an Int32Array, but got ${describe(buffer)}`);
  }
  checkInt(kernel, `${name} offset`, offset, 0);
  if (needed > 0 && offset + needed > buffer.length) {
    throw new GluonError(
      `${kernel}: expected ${name} to hold at least ${offset + needed} elements (offset ${offset} + ${needed}), ` +
        `but got a buffer of ${buffer.length}`,
    );
  }
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
