/**
 * One array record of an MXNet NDArray file (MXNet 1.9 `NDArray::Save` / `NDArray::Load`).
 *
 * Written (V2, as MXNet 1.9 writes): u32 magic 0xF993FAC9, i32 stype 0, i32 ndim, ndim × i64
 * dims, i32 dev_type 1 (cpu), i32 dev_id 0, i32 type_flag (the array's dtype: 0 float32, 1
 * float64, 2 float16, 3 uint8, 4 int32, 5 int8, 6 int64, 7 bool), then the values little-endian
 * in row-major order.
 *
 * Read:
 * - V2 (0xF993FAC9) and V3 (0xF993FACA, MXNet's np-shape mode): as above, any dev_type/dev_id
 *   (the values are plain bytes whatever device saved them) and any dtype of `dtype.ts`.
 *   Sparse records (stype 1 row_sparse, 2 csr) are rejected.
 * - V1 (0xF993FAC8): i32 ndim + i64 dims, no stype. V0 (before 2017): the first u32 *is* ndim,
 *   followed by u32 dims.
 * - An uninitialised ("none") array ends right after its shape: ndim 0 in V0, V1 and V2; ndim −1
 *   or a −1 dim in V3 (and a −1 dim in V1). It loads as an empty array of shape (0,). In V3,
 *   ndim 0 is a real 0-d scalar. (MXNet 1.9 reads a V0/V1 ndim 0 as a scalar followed by data;
 *   we follow the writers of those versions, which ended the record there.)
 */
import { formatShape } from '../../core/errors';
import { NDArray } from '../ndarray';
import { MAX_ARRAY_SIZE, MAX_RANK, getMaxElements, overLimitText } from '../../core/shape';
import { ByteReader } from './byte_reader';
import { ByteWriter } from './byte_writer';
import { MAX_DTYPE_CODE, dtypeCode, dtypeOf, nativeBytes, readNative } from './dtype';

/** Record magics: V1 (2017, i64 dims), V2 (storage types; what MXNet 1.9 writes), V3 (np-shape mode). */
export const V1_MAGIC = 0xf993fac8;
export const V2_MAGIC = 0xf993fac9;
export const V3_MAGIC = 0xf993faca;

/** The fewest bytes a record can take (a V0 "none" record is only its u32 ndim). */
export const MIN_RECORD_BYTES = 4;

const STORAGE_NAMES = ['default', 'row_sparse', 'csr'];
const V0_NDIM = 'ndim (a legacy V0 record, as its first u32 is no record magic)';
const CPU_DEV_TYPE = 1;

/** How a record version reads its shape; see the header comment. */
interface ShapeRules {
  /** ndim 0 marks a "none" array (legacy shape semantics) rather than a 0-d scalar. */
  readonly noneAtZeroNdim: boolean;
  /** −1 marks an unknown ndim or dim, i.e. a "none" array. */
  readonly allowsUnknown: boolean;
}

const V1_RULES: ShapeRules = { noneAtZeroNdim: true, allowsUnknown: true };
const V2_RULES: ShapeRules = { noneAtZeroNdim: true, allowsUnknown: false };
const V3_RULES: ShapeRules = { noneAtZeroNdim: false, allowsUnknown: true };

/** A record's shape, or null for a "none" array (no context, dtype or data follow). */
type RecordShape = number[] | null;

/** Reads record `index` at the reader's offset as a float32 NDArray (see the header comment). */
export function readRecord(reader: ByteReader, index: number): NDArray {
  const field = `record ${index}`;
  reader.scope = field;
  const start = reader.offset;
  const magic = reader.u32('magic');
  let shape: RecordShape;
  if (magic === V2_MAGIC || magic === V3_MAGIC) {
    readDenseStorageType(reader, field);
    shape = readShape(reader, field, magic === V3_MAGIC ? V3_RULES : V2_RULES);
  } else if (magic === V1_MAGIC) {
    shape = readShape(reader, field, V1_RULES);
  } else {
    reader.offset = start;
    shape = readV0Shape(reader, field);
  }
  return shape === null ? new NDArray(new Float32Array(0), [0]) : readBody(reader, field, shape);
}

function readDenseStorageType(reader: ByteReader, field: string): void {
  const at = reader.offset;
  const stype = reader.i32('storage type');
  if (stype === 1 || stype === 2) {
    reader.unsupported(
      `${field} is a sparse array (${STORAGE_NAMES[stype]}, stype ${stype}): expected a dense array (stype 0); tsgluon does not load sparse arrays`,
      at,
    );
  }
  if (stype !== 0) reader.invalid(`${field}: expected a storage type of 0 (default), 1 (row_sparse) or 2 (csr), but got ${stype}`, at);
}

/** An i32 ndim and ndim × i64 dims (V1, V2, V3). */
function readShape(reader: ByteReader, field: string, rules: ShapeRules): RecordShape {
  const at = reader.offset;
  const ndim = reader.i32('ndim');
  if (ndim === -1 && rules.allowsUnknown) return null;
  if (ndim < 0) reader.invalid(`${field}: expected ndim >= 0, but got ${ndim}`, at);
  reader.count(BigInt(ndim), 8, 'ndim', at);
  if (ndim > MAX_RANK) reader.unsupported(`${field}: expected at most ${MAX_RANK} dimensions (the largest rank), but got ${ndim}`, at);
  const dims: number[] = [];
  let unknown = false;
  for (let i = 0; i < ndim; i++) {
    const dimAt = reader.offset;
    const dim = reader.i64('dim');
    if (dim === -1n && rules.allowsUnknown) unknown = true;
    else dims.push(checkDim(reader, field, dim, dimAt));
  }
  return unknown || (ndim === 0 && rules.noneAtZeroNdim) ? null : dims;
}

/** The legacy V0 shape: the record's first u32 is ndim, then ndim × u32 dims. */
function readV0Shape(reader: ByteReader, field: string): RecordShape {
  const at = reader.offset;
  const ndim = reader.count(BigInt(reader.u32(V0_NDIM)), 4, V0_NDIM, at);
  if (ndim > MAX_RANK) reader.unsupported(`${field}: expected at most ${MAX_RANK} dimensions (the largest rank), but got ${ndim}`, at);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) {
    const dimAt = reader.offset;
    dims.push(checkDim(reader, field, BigInt(reader.u32('dim')), dimAt));
  }
  return ndim === 0 ? null : dims;
}

function checkDim(reader: ByteReader, field: string, dim: bigint, at: number): number {
  if (dim < 0n || dim > BigInt(MAX_ARRAY_SIZE)) {
    reader.invalid(`${field}: expected a dim in [0, ${MAX_ARRAY_SIZE}] (the most an NDArray holds), but got ${dim}`, at);
  }
  return Number(dim);
}

/** Context, dtype and data, which follow the shape in every version. */
function readBody(reader: ByteReader, field: string, shape: number[]): NDArray {
  reader.i32('dev_type');
  reader.i32('dev_id');
  const typeAt = reader.offset;
  const code = reader.i32('dtype');
  const dtype = dtypeOf(code) ?? reader.invalid(`${field}: expected a dtype code in [0, ${MAX_DTYPE_CODE}], but got ${code}`, typeAt);
  const count = elementCount(shape);
  // The size limit (nd.setMaxElements) before the bytes: a header may claim any shape, and an honest file a huge one.
  if (count > getMaxElements()) reader.unsupported(`${field}: ${overLimitText(shape)}`, typeAt);
  const byteLength = count * dtype.itemSize;
  if (byteLength > reader.remaining) {
    const needs = count === Infinity ? `more than ${MAX_ARRAY_SIZE} elements` : `${byteLength} bytes`;
    reader.invalid(`truncated ${field} data: shape ${formatShape(shape)} of ${dtype.name} needs ${needs}, but only ${reader.remaining} remain`);
  }
  if (dtype.native === undefined) return new NDArray(dtype.read(reader, count, 'data'), shape);
  return new NDArray(readNative(reader, dtype.native, count, 'data'), shape, dtype.native);
}

/** Elements of `shape`, or Infinity once the product passes MAX_ARRAY_SIZE (so it never loses precision). */
function elementCount(shape: readonly number[]): number {
  if (shape.includes(0)) return 0;
  let count = 1;
  for (const dim of shape) {
    count *= dim;
    if (count > MAX_ARRAY_SIZE) return Infinity;
  }
  return count;
}

/** The bytes of `array`'s record before its values, as MXNet 1.9 writes them: dense V2, cpu(0), its dtype. */
export function recordHeader(array: NDArray, what: string): Uint8Array {
  const writer = new ByteWriter(6 * 4 + 8 * array.ndim, what);
  writer.u32(V2_MAGIC);
  writer.i32(0);
  writer.i32(array.ndim);
  for (const dim of array.shape) writer.i64(dim);
  writer.i32(CPU_DEV_TYPE);
  writer.i32(0);
  writer.i32(dtypeCode(array.dtype));
  return writer.finish();
}

/** The record's values: little-endian, row-major (a view of the array's storage where possible). */
export function recordData(array: NDArray): Uint8Array {
  return nativeBytes(array.dtype, array.values);
}
