/**
 * Every MXNet dtype a record may hold: the eight an NDArray has load as themselves, the others as
 * float32, and every value converts to float32 (`toFloat32Array`, what parameters take) with one
 * correct rounding. Expected values are published bit patterns (IEEE 754 binary16, bfloat16) or
 * worked out by hand (integer rounding).
 */
import * as nd from '../../../src/ndarray';
import { NDArray } from '../../../src/ndarray';
import { f64s, i32, i64, paramsFile, u16s, u32, u64, v0Record, v1Record, v2Record } from './spec_bytes';

/** MXNet's type codes of the dtypes an NDArray holds. */
const NATIVE: Record<number, string> = { 0: 'float32', 1: 'float64', 2: 'float16', 3: 'uint8', 4: 'int32', 5: 'int8', 6: 'int64', 7: 'bool' };

/** Loads one V2 record of `typeFlag` holding `data` (raw bytes) and returns its values as float32. */
function loadValues(typeFlag: number, count: number, data: number[]): number[] {
  const list = nd.loadBytes(paramsFile([v2Record({ shape: [count], data, typeFlag })])) as NDArray[];
  expect(list[0].shape).toEqual([count]);
  expect(list[0].dtype).toBe(NATIVE[typeFlag] ?? 'float32');
  return Array.from(list[0].toFloat32Array());
}

describe('dtype conversion to float32', () => {
  test('float16 (code 2): normals, subnormals, ±0, ±Infinity, NaN', () => {
    const cases: Array<[number, number]> = [
      [0x3c00, 1],
      [0xc000, -2],
      [0x3800, 0.5],
      [0x7bff, 65504], // the largest finite half
      [0x3555, 0.333251953125],
      [0x0400, 6.103515625e-5], // the smallest normal, 2^-14
      [0x03ff, 6.097555160522461e-5], // the largest subnormal, 1023 · 2^-24
      [0x0001, 5.960464477539063e-8], // the smallest subnormal, 2^-24
      [0x8001, -5.960464477539063e-8],
      [0x0000, 0],
      [0x8000, -0],
      [0x7c00, Infinity],
      [0xfc00, -Infinity],
    ];
    const values = loadValues(2, cases.length, u16s(cases.map(([bits]) => bits)));
    values.forEach((v, i) => expect(Object.is(v, cases[i][1])).toBe(true));
    expect(loadValues(2, 3, u16s([0x7e00, 0x7c01, 0xfe00])).every(Number.isNaN)).toBe(true);
  });

  test('bfloat16 (code 12): the top 16 bits of a float32', () => {
    const values = loadValues(12, 6, u16s([0x3f80, 0xc000, 0x7f80, 0xff80, 0x0001, 0x3eab]));
    expect(values.slice(0, 4)).toEqual([1, -2, Infinity, -Infinity]);
    expect(values[4]).toBe(2 ** -133); // the smallest bfloat16 subnormal
    expect(values[5]).toBe(0.333984375);
    expect(Number.isNaN(loadValues(12, 1, u16s([0x7fc0]))[0])).toBe(true);
  });

  test('float64 (code 1): rounded to the nearest float32, overflowing to ±Infinity', () => {
    const inputs = [1.5, 0.1, -1 / 3, 1e300, -1e300, 1e-50, 16777217];
    const values = loadValues(1, inputs.length, f64s(inputs));
    expect(values).toEqual([1.5, Math.fround(0.1), Math.fround(-1 / 3), Infinity, -Infinity, 0, 16777216]);
  });

  test('uint8 (3), int8 (5), bool (7)', () => {
    expect(loadValues(3, 4, [0, 1, 128, 255])).toEqual([0, 1, 128, 255]);
    expect(loadValues(5, 4, [0, 127, 128, 255])).toEqual([0, 127, -128, -1]);
    expect(loadValues(7, 3, [0, 1, 2])).toEqual([0, 1, 1]);
  });

  test('int16 (8), uint16 (9)', () => {
    expect(loadValues(8, 3, u16s([1, 0x7fff, 0x8000]))).toEqual([1, 32767, -32768]);
    expect(loadValues(9, 2, u16s([0xffff, 2]))).toEqual([65535, 2]);
  });

  test('int32 (4), uint32 (10): integers beyond 2^24 round to the nearest float32 (ties to even)', () => {
    const int32s = [-1, 16777216, 16777217, 16777219, 2147483647, -2147483648];
    expect(loadValues(4, 6, int32s.flatMap((v) => i32(v)))).toEqual([-1, 16777216, 16777216, 16777220, 2 ** 31, -(2 ** 31)]);
    expect(loadValues(10, 2, [...u32(0xffffffff), ...u32(7)])).toEqual([2 ** 32, 7]);
  });

  test('int64 (6): exact within ±2^53, one float32 rounding; beyond ±2^53 an error', () => {
    const int64s: bigint[] = [-1n, 16777217n /* 2^24 + 1: a tie, to even */, 2n ** 53n, -(2n ** 53n), 2n ** 53n - 1n];
    const bytes = int64s.flatMap((v) => i64(v));
    const [exact] = nd.loadBytes(paramsFile([v2Record({ shape: [5], data: bytes, typeFlag: 6 })])) as NDArray[];
    expect(exact.toArray()).toEqual([-1, 16777217, 2 ** 53, -(2 ** 53), 2 ** 53 - 1]);
    expect(loadValues(6, int64s.length, bytes)).toEqual([-1, 16777216, 2 ** 53, -(2 ** 53), 2 ** 53]);
    expect(() => loadValues(6, 2, [...i64(1n), ...i64(2n ** 60n + 1n)])).toThrow(
      'data: expected int64 values within ±2^53 (tsgluon holds int64 in JavaScript numbers, exact only there), but element 1 is 1152921504606847000',
    );
  });

  test('uint64 (11)', () => {
    const values = loadValues(11, 3, [...u64(2n ** 64n - 1n), ...u64(5), ...u64(2n ** 62n + 2n ** 38n + 1n)]);
    expect(values).toEqual([2 ** 64, 5, 2 ** 62 + 2 ** 39]);
  });

  test('legacy V0 and V1 records carry dtypes too', () => {
    const file = paramsFile([
      v0Record({ shape: [2], data: u16s([0x3c00, 0xc000]), typeFlag: 2 }),
      v1Record({ shape: [1], data: f64s([2.5]), typeFlag: 1 }),
    ]);
    const list = nd.loadBytes(file) as NDArray[];
    expect(list.map((a) => a.toArray())).toEqual([[1, -2], [2.5]]);
  });
});
