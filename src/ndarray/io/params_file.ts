/**
 * MXNet NDArray files (`mx.nd.save` / `mx.nd.load`, and the `.params` files of
 * `save_parameters`), byte for byte as MXNet 1.9 writes them. Little-endian, no padding:
 *
 *     u64 magic 0x112 | u64 reserved 0 | u64 N | N records (record.ts)
 *     | u64 K (0 for a list, N for a dict) | K × (u64 byte length, UTF-8 name)
 */
import { describeValue } from '../../core/checks';
import { GluonError, formatShape } from '../../core/errors';
import { NDArray } from '../ndarray';
import { ByteReader } from './byte_reader';
import { ByteWriter, concatBytes } from './byte_writer';
import { MIN_RECORD_BYTES, readRecord, recordData, recordHeader } from './record';

/** What `nd.save` takes and `nd.load` returns: a list of arrays, or a record of name → array. */
export type NDArrays = NDArray[] | Record<string, NDArray>;

const LIST_MAGIC = 0x112n;
/** The header: magic, reserved, N (three u64s). */
const HEADER_BYTES = 24;
/**
 * An empty record takes as little as 4 bytes but costs a few hundred bytes of objects, so a
 * hostile file of them could exhaust memory; no real file holds this many.
 */
const MAX_EMPTY_ARRAYS = 65536;

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
  return concatBytes(encodeChunks(arrays, 'nd.saveBytes'), 'nd.saveBytes');
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
 * (`Invalid NDArray file format: …`), for sparse records, and for more than 65536 empty arrays
 * (which cost memory out of proportion to their bytes). Array data takes at most four times the
 * input's size (uint8 or bool widened to float32).
 * @example
 * const params = nd.loadBytes(bytes) as Record<string, NDArray>;
 * params.gamma.toArray(); // [1, 1]
 */
export function loadBytes(bytes: Uint8Array, fileName = '<bytes>'): NDArrays {
  if (!(bytes instanceof Uint8Array)) {
    throw new GluonError(`nd.loadBytes: expected the file's bytes as a Uint8Array, but got ${describeValue(bytes)}`);
  }
  return decodeArrays(new ByteReader(bytes, 'nd.loadBytes', fileName));
}

/**
 * The file for `arrays` as consecutive chunks: the header, each record's metadata followed by its
 * values (a view of the array's own data, not a copy), then the names. `saveBytes` joins them;
 * `nd.save` writes them to the file one by one, so a large array is never copied. `what` names
 * the caller in errors.
 */
export function encodeChunks(arrays: NDArray | NDArrays, what: string): Uint8Array[] {
  const { list, names } = flatten(arrays, what);
  list.forEach((array, i) => {
    if (array.ndim === 0) {
      const name = names.length > 0 ? `'${names[i]}'` : `at index ${i}`;
      throw new GluonError(
        `${what}: expected arrays of ndim >= 1, but the array ${name} has shape ${formatShape(array.shape)}: MXNet's file format stores ndim 0 as an uninitialised array; reshape it to (1,)`,
      );
    }
  });
  const header = new ByteWriter(HEADER_BYTES, what);
  header.u64(Number(LIST_MAGIC));
  header.u64(0);
  header.u64(list.length);
  const chunks = [header.finish()];
  for (const array of list) chunks.push(recordHeader(array, what), recordData(array));
  chunks.push(encodeNames(names, what));
  return chunks;
}

/** K, then each name as a u64 byte length and its UTF-8 bytes. */
function encodeNames(names: readonly string[], what: string): Uint8Array {
  const encoder = new TextEncoder();
  const encoded = names.map((name) => encoder.encode(name));
  const writer = new ByteWriter(encoded.reduce((total, name) => total + 8 + name.length, 8), what);
  writer.u64(encoded.length);
  for (const name of encoded) {
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
    // An index loop, not forEach: forEach would skip the holes of a sparse array.
    for (let i = 0; i < arrays.length; i++) {
      const item: unknown = arrays[i];
      if (!(item instanceof NDArray)) fail(`expected an NDArray at index ${i}, but got ${describeValue(item)}`);
    }
    return { list: arrays.slice(), names: [] };
  }
  if (!isPlainObject(arrays)) {
    fail(`expected an NDArray, an array of NDArrays or a plain object of name -> NDArray, but got ${describeValue(arrays)}`);
  }
  const entries = Object.entries(arrays);
  for (const [name, item] of entries) {
    if (!(item instanceof NDArray)) fail(`expected an NDArray for '${name}', but got ${describeValue(item)}`);
  }
  return { list: entries.map(([, array]) => array), names: entries.map(([name]) => name) };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Reads a whole NDArray file from `reader` (in memory for `loadBytes`, from a file for `nd.load`). */
export function decodeArrays(reader: ByteReader): NDArrays {
  readHeader(reader);
  const countAt = reader.offset;
  const count = reader.count(reader.u64('N (the number of arrays)'), MIN_RECORD_BYTES, 'N (the number of arrays)', countAt);
  const arrays: NDArray[] = [];
  let empties = 0;
  for (let i = 0; i < count; i++) {
    const at = reader.offset;
    const array = readRecord(reader, i);
    if (array.size === 0 && ++empties > MAX_EMPTY_ARRAYS) {
      reader.invalid(`expected at most ${MAX_EMPTY_ARRAYS} empty arrays, but record ${i} is empty too`, at);
    }
    arrays.push(array);
  }
  reader.scope = '';
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
    const zip = (magic & 0xffffn) === 0x4b50n; // "PK", little-endian
    const hint = zip ? ' (the file starts with "PK": a zip/.npz archive, as MXNet 2.x np mode writes, not an NDArray file)' : '';
    reader.invalid(`expected magic 0x112, but got 0x${magic.toString(16)}${hint}`, 0);
  }
  reader.u64('header reserved field');
}

/** Reads one name per array; a name like `__proto__` becomes an ordinary key. */
function readNames(reader: ByteReader, arrays: NDArray[]): Record<string, NDArray> {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const record: Record<string, NDArray> = {};
  arrays.forEach((array, i) => {
    reader.scope = `name ${i}`;
    const at = reader.offset;
    const length = reader.count(reader.u64('length'), 1, 'length', at);
    const nameAt = reader.offset;
    let name = '';
    try {
      name = decoder.decode(reader.take(length, 'bytes'));
    } catch (error) {
      if (error instanceof GluonError) throw error;
      reader.invalid(`expected name ${i} to be UTF-8, but got invalid bytes`, nameAt);
    }
    // Assignment would set the prototype for '__proto__'; defining is slow, so only for that name.
    if (name === '__proto__') Object.defineProperty(record, name, { value: array, enumerable: true, writable: true, configurable: true });
    else record[name] = array;
  });
  return record;
}
