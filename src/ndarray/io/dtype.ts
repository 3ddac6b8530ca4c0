import { GluonError } from '../../core/errors';
import { DType, Storage, allocate, halfToNumber } from '../dtype';
import { ByteReader } from './byte_reader';
import { HOST_IS_LITTLE_ENDIAN } from './byte_writer';

/**
 * MXNet's dtype codes (mshadow `type_flag`) and how each is read.
 *
 * The dtypes an NDArray holds (float32, float64, float16, uint8, int32, int8, int64, bool) load
 * as themselves, bit for bit (`readNative`); an int64 beyond ±2^53 is an error (a JavaScript
 * number would hold it inexactly). The others load as float32 (`read`), as follows — which is
 * also what `read` gives any dtype:
 * - float32: exact (bytes copied as is, NaN payloads included).
 * - float64, int32, uint32, int64, uint64: rounded to the nearest float32 (ties to even), so
 *   integers beyond 2^24 and doubles with more than 24 significant bits lose precision, and
 *   float64 values beyond float32's range become ±Infinity. int64/uint64 are rounded once,
 *   correctly, even beyond 2^53.
 * - float16, bfloat16, uint8, int8, int16, uint16: exact (every value is a float32), including
 *   float16 subnormals, ±0, ±Infinity and NaN.
 * - bool: 0 for a zero byte, 1 otherwise.
 */
export interface DTypeInfo {
  /** MXNet's dtype name, e.g. `float16`. */
  readonly name: string;
  /** Bytes per element in the file. */
  readonly itemSize: number;
  /** Reads `count` elements at the reader's offset (any alignment) into a new Float32Array. */
  readonly read: (reader: ByteReader, count: number, field: string) => Float32Array;
  /** The NDArray dtype of the same name, when tsgluon has it. */
  readonly native?: DType;
}

/** MXNet's code of each NDArray dtype, as `nd.save` writes it. */
export function dtypeCode(dtype: DType): number {
  return [...DTYPES.entries()].find(([, info]) => info.native === dtype)?.[0] ?? 0;
}

type ElementReader = (view: DataView, byteOffset: number) => number;

/** A reader converting each element through `DataView` (little-endian on every host). */
function elementwise(itemSize: number, read: ElementReader): DTypeInfo['read'] {
  return (reader, count, field) => {
    const source = reader.take(count * itemSize, field);
    const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = read(view, i * itemSize);
    return out;
  };
}

const readFloat32Elementwise = elementwise(4, (view, at) => view.getFloat32(at, true));

/**
 * float32 is the hot path (a 100 MB file): on little-endian hosts the bytes go straight into the
 * new array's memory (`Uint8Array.set`, whatever the source alignment; from a file, one read).
 */
function readFloat32(reader: ByteReader, count: number, field: string): Float32Array {
  if (!HOST_IS_LITTLE_ENDIAN) return readFloat32Elementwise(reader, count, field);
  const out = new Float32Array(count);
  reader.takeInto(new Uint8Array(out.buffer), field);
  return out;
}

/** bfloat16 is the top half of a float32: shift the bits into place (NaN payloads survive). */
function readBfloat16(reader: ByteReader, count: number, field: string): Float32Array {
  const source = reader.take(2 * count, field);
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const out = new Float32Array(count);
  const bits = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) bits[i] = view.getUint16(2 * i, true) << 16 >>> 0;
  return out;
}

/**
 * The float32 nearest to the 64-bit integer `high · 2^32 + low` (`high` signed for int64, unsigned
 * for uint64). Below 2^53 the double is exact and one float32 rounding follows. Above, rounding to
 * a double first could round twice (onto a float32 tie, then to even); instead the value is cut to
 * 53 significant bits with "round to odd" (a sticky last bit), which makes the final rounding to
 * 24 bits correct.
 *
 * @example
 * int64ToFloat32(0, 16777217);        // 16777216 (2^24 + 1 rounds to even)
 * int64ToFloat32(0x10000010, 1);      // 2^60 + 2^37: the value 2^60 + 2^36 + 1 is just above a tie
 */
export function int64ToFloat32(high: number, low: number): number {
  if (high >= -0x200000 && high < 0x200000) return Math.fround(high * 2 ** 32 + low);
  const value = (BigInt(high) << 32n) + BigInt(low);
  const magnitude = value < 0n ? -value : value;
  const drop = BigInt(magnitude.toString(2).length - 53);
  let kept = magnitude >> drop;
  if (kept << drop !== magnitude) kept |= 1n;
  const rounded = Math.fround(Number(kept) * 2 ** Number(drop));
  return value < 0n ? -rounded : rounded;
}

const DTYPES: ReadonlyMap<number, DTypeInfo> = new Map<number, DTypeInfo>([
  [0, { name: 'float32', itemSize: 4, read: readFloat32, native: 'float32' }],
  [1, { name: 'float64', itemSize: 8, read: elementwise(8, (v, at) => v.getFloat64(at, true)), native: 'float64' }],
  [2, { name: 'float16', itemSize: 2, read: elementwise(2, (v, at) => halfToNumber(v.getUint16(at, true))), native: 'float16' }],
  [3, { name: 'uint8', itemSize: 1, read: elementwise(1, (v, at) => v.getUint8(at)), native: 'uint8' }],
  [4, { name: 'int32', itemSize: 4, read: elementwise(4, (v, at) => v.getInt32(at, true)), native: 'int32' }],
  [5, { name: 'int8', itemSize: 1, read: elementwise(1, (v, at) => v.getInt8(at)), native: 'int8' }],
  [6, { name: 'int64', itemSize: 8, read: elementwise(8, (v, at) => int64ToFloat32(v.getInt32(at + 4, true), v.getUint32(at, true))), native: 'int64' }],
  [7, { name: 'bool', itemSize: 1, read: elementwise(1, (v, at) => (v.getUint8(at) === 0 ? 0 : 1)), native: 'bool' }],
  [8, { name: 'int16', itemSize: 2, read: elementwise(2, (v, at) => v.getInt16(at, true)) }],
  [9, { name: 'uint16', itemSize: 2, read: elementwise(2, (v, at) => v.getUint16(at, true)) }],
  [10, { name: 'uint32', itemSize: 4, read: elementwise(4, (v, at) => v.getUint32(at, true)) }],
  [11, { name: 'uint64', itemSize: 8, read: elementwise(8, (v, at) => int64ToFloat32(v.getUint32(at + 4, true), v.getUint32(at, true))) }],
  [12, { name: 'bfloat16', itemSize: 2, read: readBfloat16 }],
]);

/** The dtype with MXNet code `code`, or undefined for a code MXNet 1.9 does not define. */
export function dtypeOf(code: number): DTypeInfo | undefined {
  return DTYPES.get(code);
}

/** The largest dtype code MXNet 1.9 defines (bfloat16), for error messages. */
export const MAX_DTYPE_CODE = DTYPES.size - 1;

/** Element reader and writer of each NDArray dtype (bytes little-endian). */
const NATIVE_ELEMENTS: Readonly<Record<DType, { size: number; get: ElementReader; set: (view: DataView, at: number, v: number) => void }>> = {
  float32: { size: 4, get: (v, at) => v.getFloat32(at, true), set: (v, at, x) => v.setFloat32(at, x, true) },
  float64: { size: 8, get: (v, at) => v.getFloat64(at, true), set: (v, at, x) => v.setFloat64(at, x, true) },
  float16: { size: 2, get: (v, at) => v.getUint16(at, true), set: (v, at, x) => v.setUint16(at, x, true) },
  uint8: { size: 1, get: (v, at) => v.getUint8(at), set: (v, at, x) => v.setUint8(at, x) },
  bool: { size: 1, get: (v, at) => (v.getUint8(at) === 0 ? 0 : 1), set: (v, at, x) => v.setUint8(at, x) },
  int8: { size: 1, get: (v, at) => v.getInt8(at), set: (v, at, x) => v.setInt8(at, x) },
  int32: { size: 4, get: (v, at) => v.getInt32(at, true), set: (v, at, x) => v.setInt32(at, x, true) },
  int64: { size: 8, get: (v, at) => v.getInt32(at + 4, true) * 2 ** 32 + v.getUint32(at, true), set: (v, at, x) => v.setBigInt64(at, BigInt(x), true) },
};

/**
 * Reads `count` elements of `dtype` as that dtype's storage (float16 as its bits); an int64 beyond
 * ±2^53 is an error naming `field`.
 */
export function readNative(reader: ByteReader, dtype: DType, count: number, field: string): Storage {
  if (dtype === 'float32') return readFloat32(reader, count, field);
  const { size, get } = NATIVE_ELEMENTS[dtype];
  const source = reader.take(count * size, field);
  const view = new DataView(source.buffer, source.byteOffset, source.byteLength);
  const out = allocate(dtype, count);
  for (let i = 0; i < count; i++) out[i] = get(view, i * size);
  const beyond = dtype === 'int64' ? out.findIndex((v) => Math.abs(v) > 2 ** 53) : -1;
  if (beyond >= 0) throw new GluonError(`${field}: expected int64 values within ±2^53 (tsgluon holds int64 in JavaScript numbers, exact only there), but element ${beyond} is ${out[beyond]}`);
  return out;
}

/** The little-endian bytes of an array's storage, as MXNet writes its values (a view where possible). */
export function nativeBytes(dtype: DType, storage: Storage): Uint8Array {
  // int64 is held as doubles: always converted.
  if (HOST_IS_LITTLE_ENDIAN && dtype !== 'int64') return new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength);
  const { size, set } = NATIVE_ELEMENTS[dtype];
  const out = new Uint8Array(storage.length * size);
  const view = new DataView(out.buffer);
  for (let i = 0; i < storage.length; i++) set(view, i * size, storage[i]);
  return out;
}
