import { ByteReader } from './byte_reader';
import { HOST_IS_LITTLE_ENDIAN } from './byte_writer';

/**
 * MXNet's dtype codes (mshadow `type_flag`) and how each is read into float32, the one dtype a
 * tsgluon NDArray holds.
 *
 * Conversion to float32 (documented behaviour of `nd.load`):
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
}

/** The dtype code MXNet writes for float32; the only one tsgluon saves. */
export const FLOAT32_CODE = 0;

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
 * The IEEE 754 binary16 value of bit pattern `half`: sign, 5-bit exponent (bias 15), 10-bit
 * fraction; exponent 0 gives zero and subnormals (fraction · 2^-24), exponent 31 gives ±Infinity
 * or NaN. Every result is exactly representable in float32.
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
  [0, { name: 'float32', itemSize: 4, read: readFloat32 }],
  [1, { name: 'float64', itemSize: 8, read: elementwise(8, (v, at) => v.getFloat64(at, true)) }],
  [2, { name: 'float16', itemSize: 2, read: elementwise(2, (v, at) => halfToNumber(v.getUint16(at, true))) }],
  [3, { name: 'uint8', itemSize: 1, read: elementwise(1, (v, at) => v.getUint8(at)) }],
  [4, { name: 'int32', itemSize: 4, read: elementwise(4, (v, at) => v.getInt32(at, true)) }],
  [5, { name: 'int8', itemSize: 1, read: elementwise(1, (v, at) => v.getInt8(at)) }],
  [6, { name: 'int64', itemSize: 8, read: elementwise(8, (v, at) => int64ToFloat32(v.getInt32(at + 4, true), v.getUint32(at, true))) }],
  [7, { name: 'bool', itemSize: 1, read: elementwise(1, (v, at) => (v.getUint8(at) === 0 ? 0 : 1)) }],
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
