/**
 * The element types of an NDArray (MXNet 1.9's names) and how numbers become each of them.
 *
 * tsgluon computes in float32, as Gluon does by default; the other dtypes hold data honestly —
 * labels, image bytes, masks, parameters saved as float16 — and take part in the elementwise,
 * comparison, layout and reduction operators with MXNet's type rules (see ops/invoke.ts).
 *
 * | dtype | storage | values |
 * |---|---|---|
 * | float32 | Float32Array | IEEE single |
 * | float64 | Float64Array | IEEE double |
 * | float16 | Uint16Array (the bits) | IEEE half, rounded to nearest even |
 * | int32, int8, uint8 | Int32Array, Int8Array, Uint8Array | integers in the type's range |
 * | int64 | Float64Array | integers within ±2^53 (a JavaScript number is exact there; beyond, an error) |
 * | bool | Uint8Array | 0 or 1 |
 */
import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';
import { roundHalfEven } from '../core/rounding';

/** Element types an NDArray can hold. */
export type DType = 'float32' | 'float64' | 'float16' | 'int32' | 'int64' | 'int8' | 'uint8' | 'bool';

/** Every dtype, in MXNet's type-code order. */
export const DTYPES: readonly DType[] = ['float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool'];

/** The typed array behind each dtype (see the table above). */
export type Storage = Float32Array | Float64Array | Uint16Array | Int32Array | Int8Array | Uint8Array;

/** The inclusive range of each integer dtype. */
const INTEGER_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 53), 2 ** 53],
};

/** Whether `dtype` holds integers (bool excluded). */
export function isIntegerDType(dtype: DType): boolean {
  return dtype in INTEGER_RANGE;
}

/**
 * `value` as a dtype, or a GluonError naming `who` and the dtypes.
 *
 * @example checkDType('astype', 'int32'); // 'int32'
 */
export function checkDType(who: string, value: unknown): DType {
  if (typeof value === 'string' && (DTYPES as readonly string[]).includes(value)) return value as DType;
  throw new GluonError(`${who}: expected dtype to be one of ${DTYPES.map((d) => `'${d}'`).join(', ')}, but got ${describeValue(value)}`);
}

/** A typed array's two constructors the library uses: zeroed of a size, or a view of a buffer. */
interface StorageConstructor {
  new (size: number): Storage;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): Storage;
}

const STORAGE: Readonly<Record<DType, StorageConstructor>> = {
  float32: Float32Array, float64: Float64Array, float16: Uint16Array, int32: Int32Array,
  int64: Float64Array, int8: Int8Array, uint8: Uint8Array, bool: Uint8Array,
};

/** A zeroed storage of `size` elements of `dtype`. */
export function allocate(dtype: DType, size: number): Storage {
  return new STORAGE[dtype](size);
}

/**
 * A storage of `dtype` over `length` elements of `buffer` from `byteOffset` (no copy): how an
 * array that crossed from another thread (or realm) becomes this realm's typed array again.
 */
export function storageOver(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): Storage {
  return new STORAGE[dtype](buffer, byteOffset, length);
}

/** The typed array `dtype` keeps its values in, by name (`Float32Array`). */
export function storageName(dtype: DType): string {
  return STORAGE[dtype].name;
}

/** Whether `storage` is the typed array `dtype` keeps its values in. */
export function storageMatches(dtype: DType, storage: unknown): storage is Storage {
  return storage instanceof STORAGE[dtype];
}

/**
 * `values` converted to `dtype`, as MXNet's `astype` (C's casts), made strict where C's are
 * undefined: floats become integers by truncation toward zero, and a NaN, an infinity or a value
 * outside the integer type's range is an error (C leaves these undefined; MXNet gives whatever the
 * CPU does); integers narrow by wrapping (`fromInteger`, as C++ does); anything becomes bool as
 * `value != 0` (NaN is true); float16 rounds to nearest even.
 *
 * @example toStorage('astype', 'int8', [1.9, -1.9]); // Int8Array [1, -1]
 */
export function toStorage(who: string, dtype: DType, values: ArrayLike<number>, fromInteger = false): Storage {
  const out = allocate(dtype, values.length);
  if (dtype === 'float16') {
    for (let i = 0; i < values.length; i++) out[i] = numberToHalf(values[i]);
  } else if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = values[i] !== 0 ? 1 : 0;
  } else if (isIntegerDType(dtype) && !(fromInteger && dtype !== 'int64')) {
    // Range-checked: floats into every integer dtype, and everything into int64 (held as doubles, it cannot wrap).
    const [lo, hi] = INTEGER_RANGE[dtype];
    for (let i = 0; i < values.length; i++) {
      const v = Math.trunc(values[i]);
      if (!(v >= lo && v <= hi)) throw new GluonError(`${who}: expected values that fit ${dtype} ([${lo}, ${hi}]), but got ${values[i]}`);
      out[i] = v;
    }
  } else {
    // Float targets round as the typed array does; integer → narrower integer wraps (ToInt8, ToUint8, ToInt32).
    (out as Float64Array).set(values);
  }
  return out;
}

/**
 * The results of an operator computed in float64 for an integer or bool dtype, stored as C++
 * stores them: truncated toward zero and wrapped into int8/uint8/int32 (two's complement); an
 * int64 beyond ±2^53 and a NaN or infinite result (an integer division by zero) are errors.
 */
export function integerResults(who: string, dtype: DType, computed: Float64Array): Storage {
  if (dtype === 'bool') return toStorage(who, dtype, computed);
  for (let i = 0; i < computed.length; i++) {
    const v = computed[i];
    if (!Number.isFinite(v)) throw new GluonError(`${who}: an ${dtype} result is ${v} (an integer division by zero), which ${dtype} cannot hold`);
    computed[i] = Math.trunc(v);
  }
  return toStorage(who, dtype, computed, true);
}

/**
 * Computed values stored as OpenCV's `saturate_cast` stores them, as MXNet's image operators do:
 * for an integer dtype rounded to nearest, ties to even (cvRound), and clamped to the type's
 * range (NaN becomes 0); for a float dtype rounded as `toStorage` rounds. Not for bool.
 *
 * @example saturateCast('uint8', [-3, 2.5, 3.5, 300]); // Uint8Array [0, 2, 4, 255]
 */
export function saturateCast(dtype: DType, values: ArrayLike<number>): Storage {
  if (!isIntegerDType(dtype)) return toStorage('saturateCast', dtype, values);
  const [lo, hi] = INTEGER_RANGE[dtype];
  const out = allocate(dtype, values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out[i] = v !== v ? 0 : Math.min(hi, Math.max(lo, roundHalfEven(v)));
  }
  return out;
}

/** The values of `storage` (of `dtype`) as numbers: float16 bits decoded, the rest as they are. */
export function toNumbers(dtype: DType, storage: Storage): ArrayLike<number> {
  if (dtype !== 'float16') return storage;
  return Float64Array.from(storage, halfToNumber);
}

/**
 * The float16 with bits `half` as a number (exact: every float16 is a double).
 *
 * @example
 * halfToNumber(0x3c00); // 1
 * halfToNumber(0x0001); // 2 ** -24 (the smallest subnormal)
 */
export function halfToNumber(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 31) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1024 + fraction) * 2 ** (exponent - 25);
}

/** `value` rounded to the nearest float16 (ties to even), as a number. @example roundToHalf(1 / 3) // 0.333251953125 */
export function roundToHalf(value: number): number {
  return halfToNumber(numberToHalf(value));
}

/**
 * The bits of the float16 nearest to `value` (ties to even), as IEEE's conversion: beyond 65504
 * by half an ulp or more it is ±Infinity, below 2^-25 ±0, NaN a quiet NaN.
 *
 * @example
 * numberToHalf(1);      // 0x3c00
 * numberToHalf(65520);  // 0x7c00 (Infinity: the tie rounds to even)
 */
export function numberToHalf(value: number): number {
  if (Number.isNaN(value)) return 0x7e00;
  const sign = value < 0 || Object.is(value, -0) ? 0x8000 : 0;
  const a = Math.abs(value);
  if (a >= 65520) return sign | 0x7c00;
  // Subnormals are multiples of 2^-24 (a rounded m of 1024 is the smallest normal, bits 0x400).
  if (a < 2 ** -14) return sign | roundHalfEven(a * 2 ** 24);
  let exponent = Math.floor(Math.log2(a));
  if (2 ** exponent > a) exponent--;
  else if (2 ** (exponent + 1) <= a) exponent++;
  // A rounded fraction of 1024 carries into the exponent, as the bits add up.
  return sign | (((exponent + 15) << 10) + roundHalfEven((a / 2 ** exponent - 1) * 1024));
}
