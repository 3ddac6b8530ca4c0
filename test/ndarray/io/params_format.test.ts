/**
 * Files built byte by byte from the layout of mxnet-gluon-behaviour.md §8 (spec_bytes.ts):
 * what saveBytes writes, and every record version loadBytes reads.
 */
import * as nd from '../../../src/ndarray';
import { NDArray } from '../../../src/ndarray';
import { V3, f32s, firstDifference, fromHexDump, i32, paramsFile, u32, u64, v0Record, v1Record, v2Record } from './spec_bytes';

// The published 137-byte file of Gluon's InstanceNorm(in_channels=2).save_parameters (§8).
const INSTANCE_NORM_PARAMS = `
0000: 12 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00   magic 0x112, reserved 0
0010: 02 00 00 00 00 00 00 00 c9 fa 93 f9 00 00 00 00   N=2 | V2 magic | stype 0
0020: 01 00 00 00 02 00 00 00 00 00 00 00 01 00 00 00   ndim 1 | dim 2 (i64) | dev_type 1
0030: 00 00 00 00 00 00 00 00 00 00 80 3f 00 00 80 3f   dev_id 0 | type 0 | 1.0f 1.0f
0040: c9 fa 93 f9 00 00 00 00 01 00 00 00 02 00 00 00   beta record ...
0050: 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00
0060: 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00   ... 0.0f 0.0f | K=2
0070: 05 00 00 00 00 00 00 00 67 61 6d 6d 61 04 00 00   len 5 "gamma" | len 4
0080: 00 00 00 00 00 62 65 74 61                        "beta"
`;

function asRecord(loaded: nd.NDArrays): Record<string, NDArray> {
  expect(Array.isArray(loaded)).toBe(false);
  return loaded as Record<string, NDArray>;
}

function asList(loaded: nd.NDArrays): NDArray[] {
  expect(Array.isArray(loaded)).toBe(true);
  return loaded as NDArray[];
}

describe('saveBytes writes what MXNet 1.9 writes', () => {
  test('the 137-byte InstanceNorm gamma/beta file of §8', () => {
    const expected = fromHexDump(INSTANCE_NORM_PARAMS);
    expect(expected.length).toBe(137);
    const bytes = nd.saveBytes({ gamma: nd.ones([2]), beta: nd.zeros([2]) });
    expect(firstDifference(bytes, expected)).toBe(-1);
    const params = asRecord(nd.loadBytes(expected));
    expect(Object.keys(params)).toEqual(['gamma', 'beta']);
    expect(params.gamma.toArray()).toEqual([1, 1]);
    expect(params.beta.toArray()).toEqual([0, 0]);
  });

  test('a list, a single array, multi-dimensional shapes and UTF-8 names', () => {
    const a = nd.array([[1.5, -2], [3, 4], [5, 6]]);
    const b = nd.array([0.25]);
    const recordA = v2Record({ shape: [3, 2], data: f32s([1.5, -2, 3, 4, 5, 6]) });
    const recordB = v2Record({ shape: [1], data: f32s([0.25]) });
    expect(firstDifference(nd.saveBytes([a, b]), paramsFile([recordA, recordB]))).toBe(-1);
    expect(firstDifference(nd.saveBytes(a), paramsFile([recordA]))).toBe(-1);
    const named = nd.saveBytes({ 'conv0_weight': a, 'ß→名': b });
    expect(firstDifference(named, paramsFile([recordA, recordB], ['conv0_weight', 'ß→名']))).toBe(-1);
  });

  test('zero-size arrays write their dims and no data; an empty list or record writes N = K = 0', () => {
    const empty = nd.zeros([2, 0, 3]);
    expect(firstDifference(nd.saveBytes([empty]), paramsFile([v2Record({ shape: [2, 0, 3], data: [] })]))).toBe(-1);
    expect(asList(nd.loadBytes(nd.saveBytes([empty])))[0].shape).toEqual([2, 0, 3]);
    expect(firstDifference(nd.saveBytes([]), paramsFile([]))).toBe(-1);
    // MXNet writes no names for an empty dict, so it loads back as an empty list.
    expect(nd.loadBytes(nd.saveBytes({}))).toEqual([]);
  });

  test('special float32 values survive a round trip bit for bit', () => {
    const values = new Float32Array([NaN, Infinity, -Infinity, -0, 1e-45, 3.4028234663852886e38]);
    const back = asList(nd.loadBytes(nd.saveBytes([nd.array(values)])))[0].data;
    expect(new Uint8Array(back.buffer)).toEqual(new Uint8Array(values.buffer));
  });

  test('saving never changes the caller’s arrays', () => {
    const a = nd.array([1, 2, 3]);
    const bytes = nd.saveBytes([a]);
    bytes.fill(0xff);
    expect(a.toArray()).toEqual([1, 2, 3]);
  });
});

describe('loadBytes reads every record version', () => {
  test('V0 (legacy, u32 ndim and dims) with arg:/aux: keys', () => {
    const file = paramsFile(
      [v0Record({ shape: [2, 3], data: f32s([1, 2, 3, 4, 5, 6]) }), v0Record({ shape: [2], data: f32s([-1, 0.5]) })],
      ['arg:fc_weight', 'aux:bn_moving_mean'],
    );
    const params = asRecord(nd.loadBytes(file));
    expect(params['arg:fc_weight'].toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(params['aux:bn_moving_mean'].toArray()).toEqual([-1, 0.5]);
  });

  test('V1 (i64 dims, no storage type)', () => {
    const list = asList(nd.loadBytes(paramsFile([v1Record({ shape: [1, 2], data: f32s([7, 8]) })])));
    expect(list[0].toArray()).toEqual([[7, 8]]);
  });

  test('V3 (np-shape): a 0-d scalar, an unknown ndim and an unknown dim, then a normal record', () => {
    const unknownNdim = [...u32(V3), ...i32(0), ...i32(-1)];
    const unknownDim = [...u32(V3), ...i32(0), ...i32(2), ...u64(3), ...u64(-1n)];
    const file = paramsFile([
      v2Record({ shape: [], data: f32s([42]) }, V3),
      unknownNdim,
      unknownDim,
      v2Record({ shape: [2], data: f32s([1, 2]) }, V3),
    ]);
    const list = asList(nd.loadBytes(file));
    expect(list.map((a) => a.shape)).toEqual([[], [0], [0], [2]]);
    expect(list[0].toArray()).toBe(42);
    expect(list[3].toArray()).toEqual([1, 2]);
  });

  test('a V2 "none" record (ndim 0) ends after its shape and loads as an empty array', () => {
    const none = [...u32(0xf993fac9), ...i32(0), ...i32(0)];
    const list = asList(nd.loadBytes(paramsFile([none, v2Record({ shape: [1], data: f32s([3]) })])));
    expect(list.map((a) => a.shape)).toEqual([[0], [1]]);
    expect(list[1].toArray()).toEqual([3]);
  });

  test('V0 and V1 "none" records (ndim 0) end after their shape', () => {
    const v0None = [...u32(0)];
    const v1None = [...u32(0xf993fac8), ...i32(0)];
    const list = asList(nd.loadBytes(paramsFile([v0None, v1None, v0Record({ shape: [1], data: f32s([5]) })])));
    expect(list.map((a) => a.shape)).toEqual([[0], [0], [1]]);
    expect(list[2].toArray()).toEqual([5]);
  });

  test('records saved from other devices (gpu, cpu_pinned) load: the values are just bytes', () => {
    const file = paramsFile([
      v2Record({ shape: [2], data: f32s([1, 2]), devType: 2, devId: 3 }),
      v2Record({ shape: [1], data: f32s([9]), devType: 3, devId: 0 }),
    ]);
    expect(asList(nd.loadBytes(file)).map((a) => a.toArray())).toEqual([[1, 2], [9]]);
  });

  test('float32 data at unaligned offsets (after a 3-byte uint8 record) and in a subarray of a larger buffer', () => {
    const file = paramsFile([
      v2Record({ shape: [3], data: [1, 2, 3], typeFlag: 3 }),
      v2Record({ shape: [2], data: f32s([0.1, -7.25]) }),
    ]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    for (const input of [file, padded.subarray(3)]) {
      const list = asList(nd.loadBytes(input));
      expect(list[0].toArray()).toEqual([1, 2, 3]);
      expect(list[1].toArray()).toEqual([Math.fround(0.1), -7.25]);
    }
  });

  test('names: a repeated name keeps its first position and its last array; __proto__ is a plain key', () => {
    const one = v2Record({ shape: [1], data: f32s([1]) });
    const two = v2Record({ shape: [1], data: f32s([2]) });
    const three = v2Record({ shape: [1], data: f32s([3]) });
    const params = asRecord(nd.loadBytes(paramsFile([one, two, three], ['a', '__proto__', 'a'])));
    expect(Object.keys(params)).toEqual(['a', '__proto__']);
    expect(params.a.toArray()).toEqual([3]);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(params, '__proto__')?.value).toBeInstanceOf(NDArray);
  });

  test('names keep a leading byte-order mark and empty names are allowed', () => {
    const one = v2Record({ shape: [1], data: f32s([1]) });
    const params = asRecord(nd.loadBytes(paramsFile([one, one], ['\ufeffw', ''])));
    expect(Object.keys(params)).toEqual(['\ufeffw', '']);
  });

  test('bytes after the names are ignored, as MXNet does', () => {
    const file = paramsFile([v2Record({ shape: [1], data: f32s([1]) })]);
    const withTail = Uint8Array.from([...file, 1, 2, 3]);
    expect(asList(nd.loadBytes(withTail))[0].toArray()).toEqual([1]);
  });

  test('the loaded arrays own their data: reusing the input bytes changes nothing', () => {
    const file = paramsFile([v2Record({ shape: [2], data: f32s([1, 2]) })]);
    const list = asList(nd.loadBytes(file));
    file.fill(0);
    expect(list[0].toArray()).toEqual([1, 2]);
  });
});
