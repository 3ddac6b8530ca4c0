import { GluonError, formatShape } from '../../errors';
import { NDArray } from '../ndarray';
import { ByteReader } from './byte_reader';
import { ByteWriter } from './byte_writer';
import { MIN_RECORD_BYTES, readRecord, recordByteLength, writeRecord } from './record';

/**
 * MXNet NDArray files (`mx.nd.save` / `mx.nd.load`, and the `.params` files of
 * `save_parameters`), byte for byte as MXNet 1.9 writes them. Little-endian, no padding:
 *
 *     u64 magic 0x112 | u64 reserved 0 | u64 N | N records (record.ts)
 *     | u64 K (0 for a list, N for a dict) | K × (u64 byte length, UTF-8 name)
 */

/** What `nd.save` takes and `nd.load` returns: a list of arrays, or a record of name → array. */
export type NDArrays = NDArray[] | Record<string, NDArray>;

const LIST_MAGIC = 0x112n;
/** A header is three u64s, the name count one more. */
const HEADER_BYTES = 24;

/**
 * Encodes arrays as an MXNet 1.9 NDArray file: what `mx.nd.save` writes for the same values.
 *
 * A list (or a single NDArray) saves without names and loads back as a list; a record saves its
 * names in its key order (JavaScript puts integer-like keys such as `'2'` first, ascending) and
 * loads back as a record. An empty record writes no names, so it loads as an empty list, as in MXNet.
 * Every array is written as a dense float32 V2 record on cpu(0).
 *
 * A 0-d array cannot be saved: MXNet 1.9's V2 record reads ndim 0 as an uninitialised array and
 * stores no value, so it would silently come back empty. Reshape it to (1,). Zero-size arrays
 * (a 0 dim) are fine: their dims are written, then no data.
 *
 * @throws GluonError on anything but NDArrays (MXNet's `save only accept dict str->NDArray or
 * list of NDArray`) and on 0-d arrays.
 * @example
 * const bytes = nd.saveBytes({ gamma: nd.ones([2]), beta: nd.zeros([2]) });
 * bytes.length; // 137, the file Gluon's InstanceNorm(in_channels=2).save_parameters writes
 */
export function saveBytes(arrays: NDArray | NDArrays): Uint8Array {
  return encodeArrays(arrays, 'nd.saveBytes');
}

/**
 * Decodes an MXNet NDArray file: a list when it has no names (K = 0), a record otherwise (a
 * repeated name keeps its first position and its last array, like a Python dict).
 *
 * Reads every record version MXNet has written (V0, V1, V2, V3) and dtypes float32, float64,
 * float16, bfloat16, uint8, int8, int16, uint16, int32, uint32, int64, uint64 and bool, all
 * converted to float32 (see dtype.ts for the rounding). Bytes after the names are ignored, as
 * MXNet does. The result owns its data: `bytes` may be reused afterwards.
 *
 * @param fileName names the input in error messages.
 * @throws GluonError naming `fileName` and the byte offset for truncated, corrupt or hostile input
 * (`Invalid NDArray file format: …`) and for sparse records; never allocates more than about
 * four times the input's size (uint8 or bool data widened to float32).
 * @example
 * const params = nd.loadBytes(bytes) as Record<string, NDArray>;
 * params.gamma.toArray(); // [1, 1]
 */
export function loadBytes(bytes: Uint8Array, fileName = '<bytes>'): NDArrays {
  return decodeArrays(bytes, fileName, 'nd.loadBytes');
}

/** `saveBytes` reporting errors as `what` (`nd.save` shares it). */
export function encodeArrays(arrays: NDArray | NDArrays, what: string): Uint8Array {
  const { list, names } = flatten(arrays, what);
  list.forEach((array, i) => {
    if (array.ndim === 0) {
      const name = names.length > 0 ? `'${names[i]}'` : `at index ${i}`;
      throw new GluonError(
        `${what}: expected arrays of ndim >= 1, but the array ${name} has shape ${formatShape(array.shape)}: MXNet's file format stores ndim 0 as an uninitialised array; reshape it to (1,)`,
      );
    }
  });
  const encoder = new TextEncoder();
  const encodedNames = names.map((name) => encoder.encode(name));
  let byteLength = HEADER_BYTES + 8;
  for (const array of list) byteLength += recordByteLength(array);
  for (const name of encodedNames) byteLength += 8 + name.length;

  const writer = new ByteWriter(byteLength, what);
  writer.u64(Number(LIST_MAGIC));
  writer.u64(0);
  writer.u64(list.length);
  for (const array of list) writeRecord(writer, array);
  writer.u64(encodedNames.length);
  for (const name of encodedNames) {
    writer.u64(name.length);
    writer.raw(name);
  }
  return writer.finish();
}

/** Splits the argument of `save` into its arrays and (for a record) their names, checking each. */
function flatten(arrays: NDArray | NDArrays, what: string): { list: NDArray[]; names: string[] } {
  const fail = (detail: string): never => {
    throw new GluonError(`${what}: save only accept dict str->NDArray or list of NDArray: ${detail}`);
  };
  if (arrays instanceof NDArray) return { list: [arrays], names: [] };
  if (Array.isArray(arrays)) {
    arrays.forEach((item: unknown, i) => {
      if (!(item instanceof NDArray)) fail(`expected an NDArray at index ${i}, but got ${describe(item)}`);
    });
    return { list: arrays.slice(), names: [] };
  }
  if (!isPlainObject(arrays)) {
    fail(`expected an NDArray, an array of NDArrays or a plain object of name -> NDArray, but got ${describe(arrays)}`);
  }
  const entries = Object.entries(arrays);
  for (const [name, item] of entries) {
    if (!(item instanceof NDArray)) fail(`expected an NDArray for '${name}', but got ${describe(item)}`);
  }
  return { list: entries.map(([, array]) => array), names: entries.map(([name]) => name) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return `${typeof value} ${String(value)}`;
}

/** `loadBytes` reporting errors as `what` (`nd.load` shares it). */
export function decodeArrays(bytes: Uint8Array, fileName: string, what: string): NDArrays {
  if (!(bytes instanceof Uint8Array)) {
    throw new GluonError(`${what}: expected the file's bytes as a Uint8Array, but got ${describe(bytes)}`);
  }
  const reader = new ByteReader(bytes, what, fileName);
  readHeader(reader);
  const countAt = reader.offset;
  const count = reader.count(reader.u64('N (the number of arrays)'), MIN_RECORD_BYTES, 'N (the number of arrays)', countAt);
  const arrays: NDArray[] = [];
  for (let i = 0; i < count; i++) arrays.push(readRecord(reader, i));
  const namesAt = reader.offset;
  const nameCount = reader.u64('K (the number of names)');
  if (nameCount === 0n) return arrays;
  if (nameCount !== BigInt(count)) {
    reader.invalid(`expected K (the number of names) to be 0 or N = ${count}, but got ${nameCount}`, namesAt);
  }
  return readNames(reader, arrays);
}

function readHeader(reader: ByteReader): void {
  const magic = reader.u64('header magic');
  if (magic !== LIST_MAGIC) {
    const zip = reader.bytes[0] === 0x50 && reader.bytes[1] === 0x4b;
    const hint = zip ? ' (the file starts with "PK": a zip/.npz archive, as MXNet 2.x np mode writes, not an NDArray file)' : '';
    reader.invalid(`expected magic 0x112, but got 0x${magic.toString(16)}${hint}`, 0);
  }
  reader.u64('header reserved field');
}

/** Reads one name per array; keys are defined (not assigned) so a name like `__proto__` stays data. */
function readNames(reader: ByteReader, arrays: NDArray[]): Record<string, NDArray> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const record: Record<string, NDArray> = {};
  arrays.forEach((array, i) => {
    const at = reader.offset;
    const field = `name ${i} length`;
    const length = reader.count(reader.u64(field), 1, field, at);
    const nameAt = reader.offset;
    let name = '';
    try {
      name = decoder.decode(reader.take(length, `name ${i}`));
    } catch (error) {
      if (error instanceof GluonError) throw error;
      reader.invalid(`expected name ${i} to be UTF-8, but got invalid bytes`, nameAt);
    }
    Object.defineProperty(record, name, { value: array, enumerable: true, writable: true, configurable: true });
  });
  return record;
}
