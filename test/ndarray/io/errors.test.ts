/**
 * Every error path of saveBytes/loadBytes, with its exact message: truncated, corrupt and hostile
 * files name the file and the byte offset; bad arguments name what was expected and given.
 */
import { GluonError } from '../../../src/core/errors';
import * as nd from '../../../src/ndarray';
import { f32s, i32, i64, paramsFile, u32, u64, utf8, v2Record } from './spec_bytes';

/** The GluonError `nd.loadBytes(bytes, fileName)` throws (failing the test if it throws anything else). */
function loadError(bytes: number[] | Uint8Array, fileName?: string): GluonError {
  try {
    nd.loadBytes(Uint8Array.from(bytes), fileName);
  } catch (error) {
    if (error instanceof GluonError) return error;
    throw error;
  }
  throw new Error('expected nd.loadBytes to throw');
}

const HEADER = (count: number | bigint): number[] => [...u64(0x112), ...u64(0), ...u64(count)];
const INVALID = 'nd.loadBytes: Invalid NDArray file format:';

/** A one-record file whose V2 record header is given field by field (offsets: magic 24, stype 28, ndim 32, dims 36…). */
function oneRecord(fields: number[]): number[] {
  return [...HEADER(1), ...fields];
}

describe('loadBytes: corrupt or hostile files', () => {
  test('an empty or truncated header', () => {
    expect(loadError([]).message).toBe(`${INVALID} truncated header magic: expected 8 bytes, but only 0 remain (in '<bytes>' at byte 0)`);
    expect(loadError([...u64(0x112), 0, 0], 'x.params').message).toBe(
      `${INVALID} truncated header reserved field: expected 8 bytes, but only 2 remain (in 'x.params' at byte 8)`,
    );
    expect(loadError([...u64(0x112), ...u64(0)]).message).toMatch(/truncated N \(the number of arrays\): expected 8 bytes, but only 0 remain \(in '<bytes>' at byte 16\)$/);
  });

  test('a bad magic gives MXNet\'s "Invalid NDArray file format", and a zip/.npz is recognised', () => {
    expect(loadError([...u64(0x113), ...u64(0), ...u64(0), ...u64(0)], 'model.params').message).toBe(
      `${INVALID} expected magic 0x112, but got 0x113 (in 'model.params' at byte 0)`,
    );
    const zip = [0x50, 0x4b, 0x03, 0x04, ...new Array<number>(40).fill(0)];
    expect(loadError(zip).message).toMatch(/expected magic 0x112, but got 0x4034b50 \(the file starts with "PK": a zip\/\.npz archive.*\(in '<bytes>' at byte 0\)$/);
  });

  test('N larger than the bytes left could hold', () => {
    expect(loadError([...HEADER(2n ** 64n - 1n), ...u64(0)]).message).toBe(
      `${INVALID} expected N (the number of arrays) to fit in the 8 bytes left (each takes at least 4 bytes), but got 18446744073709551615 (in '<bytes>' at byte 16)`,
    );
    // N = 3 fits the 36 bytes left, but only one record is there.
    const file = [...HEADER(3), ...v2Record({ shape: [1], data: f32s([1]) })];
    expect(loadError(file).message).toBe(`${INVALID} truncated record 1 magic: expected 4 bytes, but only 0 remain (in '<bytes>' at byte 60)`);
  });

  test('ndim: huge, negative, or a garbage magic read as a legacy V0 ndim', () => {
    expect(loadError(oneRecord([...u32(0xf993fac9), ...i32(0), ...i32(1e9), ...u64(0)])).message).toBe(
      `${INVALID} expected record 0 ndim to fit in the 8 bytes left (each takes at least 8 bytes), but got 1000000000 (in '<bytes>' at byte 32)`,
    );
    expect(loadError(oneRecord([...u32(0xf993fac9), ...i32(0), ...i32(-2), ...u64(0)])).message).toBe(
      `${INVALID} record 0: expected ndim >= 0, but got -2 (in '<bytes>' at byte 32)`,
    );
    expect(loadError(oneRecord([...u32(0xf993faca), ...i32(0), ...i32(-7)])).message).toMatch(/record 0: expected ndim >= 0, but got -7 \(in '<bytes>' at byte 32\)$/);
    expect(loadError(oneRecord([...u32(0x12345678), ...u64(0)])).message).toBe(
      `${INVALID} expected record 0 ndim (a legacy V0 record, as its first u32 is no record magic) to fit in the 8 bytes left (each takes at least 4 bytes), but got 305419896 (in '<bytes>' at byte 24)`,
    );
  });

  test('dims: negative (including -1 outside V1/V3), or beyond what an NDArray holds', () => {
    for (const dim of [-3n, -1n, 2n ** 40n, 2n ** 63n - 1n]) {
      const file = oneRecord([...u32(0xf993fac9), ...i32(0), ...i32(2), ...i64(4), ...i64(dim), ...new Array<number>(12).fill(0)]);
      expect(loadError(file).message).toBe(
        `${INVALID} record 0: expected a dim in [0, 2147483647] (the most an NDArray holds), but got ${dim} (in '<bytes>' at byte 44)`,
      );
    }
  });

  test('dims whose product overflows or passes the size limit, or data longer than the bytes left', () => {
    const big = 2 ** 31 - 1;
    const overflow = oneRecord([...u32(0xf993fac9), ...i32(0), ...i32(3), ...i64(big), ...i64(big), ...i64(big), ...i32(1), ...i32(0), ...i32(0), 1, 2, 3]);
    expect(loadError(overflow).message).toBe(
      'nd.loadBytes: record 0: shape (2147483647, 2147483647, 2147483647) has 9903520300447984150353281023 elements, more than the limit of ' +
        "1073741824 per array (nd.setMaxElements raises it, up to 2147483647) (in '<bytes>' at byte 68)",
    );
    const deep = oneRecord([...u32(0xf993fac9), ...i32(0), ...i32(33), ...new Array<number>(33 * 8).fill(0)]);
    expect(loadError(deep).message).toBe("nd.loadBytes: record 0: expected at most 32 dimensions (the largest rank), but got 33 (in '<bytes>' at byte 32)");
    const short = [...HEADER(1), ...v2Record({ shape: [100], data: f32s([1, 2]) })];
    expect(loadError(short).message).toBe(`${INVALID} truncated record 0 data: shape (100,) of float32 needs 400 bytes, but only 8 remain (in '<bytes>' at byte 56)`);
    const shortInt64 = [...HEADER(1), ...v2Record({ shape: [2, 2], data: [1, 2, 3], typeFlag: 6 })];
    expect(loadError(shortInt64).message).toMatch(/shape \(2, 2\) of int64 needs 32 bytes, but only 3 remain \(in '<bytes>' at byte 64\)$/);
  });

  test('an unknown dtype code', () => {
    for (const code of [13, -1]) {
      const file = [...HEADER(1), ...v2Record({ shape: [1], data: [0, 0, 0, 0], typeFlag: code })];
      expect(loadError(file).message).toBe(`${INVALID} record 0: expected a dtype code in [0, 12], but got ${code} (in '<bytes>' at byte 52)`);
    }
  });

  test('sparse records are rejected naming the file, the record and the offset; other storage types are invalid', () => {
    const dense = v2Record({ shape: [1], data: f32s([1]) });
    const rowSparse = [...HEADER(2), ...dense, ...v2Record({ shape: [1], data: f32s([1]) }, 0xf993fac9, 1)];
    expect(loadError(rowSparse, 'sparse.params').message).toBe(
      "nd.loadBytes: record 1 is a sparse array (row_sparse, stype 1): expected a dense array (stype 0); tsgluon does not load sparse arrays (in 'sparse.params' at byte 64)",
    );
    const csr = [...HEADER(1), ...v2Record({ shape: [1], data: [] }, 0xf993fac9, 2)];
    expect(loadError(csr).message).toMatch(/^nd\.loadBytes: record 0 is a sparse array \(csr, stype 2\): .* \(in '<bytes>' at byte 28\)$/);
    const unknown = [...HEADER(1), ...v2Record({ shape: [1], data: [] }, 0xf993fac9, 5)];
    expect(loadError(unknown).message).toBe(
      `${INVALID} record 0: expected a storage type of 0 (default), 1 (row_sparse) or 2 (csr), but got 5 (in '<bytes>' at byte 28)`,
    );
  });

  test('K neither 0 nor N, names longer than the file, names that are not UTF-8', () => {
    const record = v2Record({ shape: [1], data: f32s([1]) });
    expect(loadError([...HEADER(1), ...record, ...u64(5)]).message).toBe(
      `${INVALID} expected K (the number of names) to be 0 or N = 1, but got 5 (in '<bytes>' at byte 60)`,
    );
    expect(loadError([...HEADER(1), ...record, ...u64(1), ...u64(1000), ...utf8('abc')]).message).toBe(
      `${INVALID} expected name 0 length to fit in the 3 bytes left, but got 1000 (in '<bytes>' at byte 68)`,
    );
    expect(loadError([...HEADER(1), ...record, ...u64(1), ...u64(2), 0xc3, 0x28]).message).toBe(
      `${INVALID} expected name 0 to be UTF-8, but got invalid bytes (in '<bytes>' at byte 76)`,
    );
    expect(loadError([...HEADER(1), ...record, ...u64(1)]).message).toMatch(/truncated name 0 length: expected 8 bytes, but only 0 remain \(in '<bytes>' at byte 68\)$/);
  });

  test('more than 65536 empty arrays (4-byte records that would cost memory out of proportion)', () => {
    // The header, then `count` V0 records of ndim 0 (four zero bytes each), then K = 0.
    const emptyRecords = (count: number): Uint8Array => {
      const bytes = new Uint8Array(24 + 4 * count + 8);
      bytes.set(HEADER(count));
      return bytes;
    };
    expect((nd.loadBytes(emptyRecords(65536)) as nd.NDArray[]).length).toBe(65536);
    expect(loadError(emptyRecords(65537)).message).toBe(
      `${INVALID} expected at most 65536 empty arrays, but record 65536 is empty too (in '<bytes>' at byte ${24 + 4 * 65536})`,
    );
  });

  test('every truncation of a valid file throws a GluonError naming the offset', () => {
    const file = paramsFile([v2Record({ shape: [2], data: f32s([1, 2]) })], ['w']);
    for (let length = 0; length < file.length; length++) {
      expect(loadError(file.subarray(0, length)).message).toMatch(/ \(in '<bytes>' at byte \d+\)$/);
    }
  });

  test('a non-Uint8Array input', () => {
    expect(() => Reflect.apply(nd.loadBytes, undefined, [[1, 2, 3]])).toThrow(
      new GluonError('nd.loadBytes: expected the file\'s bytes as a Uint8Array, but got [1, 2, 3]'),
    );
    expect(() => Reflect.apply(nd.loadBytes, undefined, [new ArrayBuffer(8)])).toThrow(/expected the file's bytes as a Uint8Array, but got an object \(ArrayBuffer\)/);
  });
});

describe('saveBytes: bad arguments', () => {
  const PREFIX = 'nd.saveBytes: save only accept dict str->NDArray or list of NDArray:';
  const save = (value: unknown): (() => unknown) => () => Reflect.apply(nd.saveBytes, undefined, [value]);

  test('a list or record holding something other than an NDArray', () => {
    expect(save([nd.ones([1]), 3])).toThrow(new GluonError(`${PREFIX} expected an NDArray at index 1, but got the number 3`));
    expect(save({ a: nd.ones([1]), b: 'x' })).toThrow(new GluonError(`${PREFIX} expected an NDArray for 'b', but got the string 'x'`));
    expect(save([null])).toThrow(new GluonError(`${PREFIX} expected an NDArray at index 0, but got null`));
    // eslint-disable-next-line no-sparse-arrays
    expect(save([nd.ones([1]), , nd.ones([1])])).toThrow(new GluonError(`${PREFIX} expected an NDArray at index 1, but got undefined`));
  });

  test('something that is neither an NDArray, a list nor a plain object', () => {
    const expected = (got: string): GluonError =>
      new GluonError(`${PREFIX} expected an NDArray, an array of NDArrays or a plain object of name -> NDArray, but got ${got}`);
    expect(save(new Map([['a', nd.ones([1])]]))).toThrow(expected('an object (Map)'));
    expect(save(undefined)).toThrow(expected('undefined'));
    expect(save(42)).toThrow(expected('the number 42'));
  });

  test('a 0-d array, which MXNet\'s format cannot store', () => {
    expect(() => nd.saveBytes({ s: nd.array(5) })).toThrow(
      new GluonError(
        "nd.saveBytes: expected arrays of ndim >= 1, but the array 's' has shape (): MXNet's file format stores ndim 0 as an uninitialised array; reshape it to (1,)",
      ),
    );
    expect(() => nd.saveBytes([nd.ones([1]), nd.array(5)])).toThrow(/but the array at index 1 has shape \(\)/);
  });
});
