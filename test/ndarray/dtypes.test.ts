/**
 * NDArray dtypes: storage and conversion (IEEE half bit patterns, C's truncation, the strict
 * cases), numpy 1.13's printing of integers and bools (checked with numpy's legacy printer),
 * MXNet's type rules for the elementwise, comparison, layout and reduction operators (expected
 * values worked out with C's integer semantics by hand), float32-only operators and layers
 * refusing other dtypes by name, and `.params` records byte-identical to MXNet's layout (built
 * independently by spec_bytes).
 */
import { NDArray, autograd, gluon, metric, nd, nn } from '../../src';
import { numberToHalf, saturateCast } from '../../src/ndarray/dtype';
import { f32s, f64s, i32, i64, paramsFile, u16s, v2Record } from './io/spec_bytes';

const int32 = (values: number[]) => nd.array(values, { dtype: 'int32' });

describe('storage and conversion', () => {
  test('each dtype holds its values exactly, int64 to ±2^53', () => {
    expect(nd.array([2 ** 53, -(2 ** 53), 3], { dtype: 'int64' }).toArray()).toEqual([2 ** 53, -(2 ** 53), 3]);
    expect(nd.array([16777217], { dtype: 'int32' }).toArray()).toEqual([16777217]);
    expect(nd.array([0.1], { dtype: 'float64' }).toArray()).toEqual([0.1]);
    expect(nd.array([-128, 127], { dtype: 'int8' }).dtype).toBe('int8');
    expect(nd.zeros([2], { dtype: 'uint8' }).values).toBeInstanceOf(Uint8Array);
    expect(nd.full([2], 7, { dtype: 'int64' }).toArray()).toEqual([7, 7]);
    expect(nd.fullLike(int32([1, 2]), 3).dtype).toBe('int32');
    expect(nd.array(int32([1, 2])).dtype).toBe('int32');
  });

  test('float16 rounds to nearest even with IEEE bit patterns', () => {
    expect([1, 1 / 3, 65504, 65519, 65520, 2 ** -24, 2 ** -25, 3 * 2 ** -26, 1 + 2 ** -11, 1 + 3 * 2 ** -11, -0].map(numberToHalf)).toEqual([
      0x3c00, 0x3555, 0x7bff, 0x7bff, 0x7c00, 0x0001, 0x0000, 0x0001, 0x3c00, 0x3c02, 0x8000,
    ]);
    expect(nd.array([1 / 3, NaN, Infinity], { dtype: 'float16' }).toArray()).toEqual([0.333251953125, NaN, Infinity]);
  });

  test('astype: floats truncate into integers, integers wrap into narrower ones, nonzero is true', () => {
    expect(nd.array([1.7, -1.7, 300]).astype('int32').toArray()).toEqual([1, -1, 300]);
    expect(int32([300, -129, 255]).astype('int8').toArray()).toEqual([44, 127, -1]);
    expect(int32([300, -1]).astype('uint8').toArray()).toEqual([44, 255]);
    expect(nd.array([0, -0.5, NaN, 2]).astype('bool').toArray()).toEqual([0, 1, 1, 1]);
    expect(nd.array([200, 3], { dtype: 'uint8' }).astype('float32').toFloat32Array()).toEqual(Float32Array.of(200, 3));
    const x = nd.array([1, 2]);
    const copy = x.astype('float32');
    expect(copy).not.toBe(x);
    expect(copy.values).not.toBe(x.values);
  });

  test('where C leaves a cast undefined, it is an error', () => {
    expect(() => nd.array([NaN]).astype('int32')).toThrow('astype: expected values that fit int32 ([-2147483648, 2147483647]), but got NaN');
    expect(() => nd.array([256]).astype('uint8')).toThrow('astype: expected values that fit uint8 ([0, 255]), but got 256');
    expect(() => nd.array([2 ** 54], { dtype: 'float64' }).astype('int64')).toThrow('astype: expected values that fit int64 ([-9007199254740992, 9007199254740992]), but got 18014398509481984');
    expect(() => nd.array([1]).astype('int16' as never)).toThrow("astype: expected dtype to be one of 'float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool', but got the string 'int16'");
    expect(() => nd.array([1], { dtype: 'int32' }).attachGrad()).toThrow('attachGrad: expected a float32 array (gradients are float32), but got a int32 array');
  });
});

describe('printing, as numpy 1.13 prints each dtype', () => {
  // numpy: np.set_printoptions(legacy='1.13'); str(np.array([1, 20, -300], dtype=np.int32)) == '[   1   20 -300]'
  test('integers right-aligned to the widest, bools as True/False', () => {
    expect(int32([1, 20, -300]).toString()).toBe('\n[   1   20 -300]\n<NDArray 3 @cpu(0)>');
    expect(nd.array([[1, 0], [0, 1]], { dtype: 'bool' }).toString()).toBe('\n[[ True False]\n [False  True]]\n<NDArray 2x2 @cpu(0)>');
    expect(nd.array(7, { dtype: 'int64' }).toString()).toBe('\n7\n<NDArray  @cpu(0)>');
    expect(nd.array(1, { dtype: 'bool' }).toString()).toBe('\nTrue\n<NDArray  @cpu(0)>');
  });

  test("floats print '%.8f' of the value, as numpy 1.13 (float16 1/3 is 0.333251953125)", () => {
    expect(nd.array([1 / 3, 2], { dtype: 'float64' }).toString()).toBe('\n[ 0.33333333  2.        ]\n<NDArray 2 @cpu(0)>');
    expect(nd.array([1 / 3, 2], { dtype: 'float16' }).toString()).toBe('\n[ 0.33325195  2.        ]\n<NDArray 2 @cpu(0)>');
  });
});

describe("operators follow MXNet's type rules", () => {
  test('integer arithmetic is C++ arithmetic: wrapping, truncating division, Python-style mod', () => {
    expect(nd.add(int32([2 ** 31 - 1]), int32([1])).toArray()).toEqual([-(2 ** 31)]);
    expect(nd.divide(int32([-7, 7, 1]), int32([2, 2, 3])).toArray()).toEqual([-3, 3, 0]);
    expect(nd.mod(int32([-7, 7]), 3).toArray()).toEqual([2, 1]);
    expect(nd.array([250], { dtype: 'uint8' }).add(10).toArray()).toEqual([4]);
    expect(nd.multiply(nd.array([100], { dtype: 'int8' }), 2).toArray()).toEqual([-56]);
    // The scalar is cast to the array's type first: 2.7 → 2.
    expect(int32([1, -1]).add(2.7).toArray()).toEqual([3, 1]);
    expect(nd.equal(int32([1, 2]), 2).dtype).toBe('int32');
    expect(nd.greater(int32([1, 3]), int32([2, 2])).toArray()).toEqual([0, 1]);
    expect(() => nd.divide(int32([1]), 0)).toThrow('_div_scalar: an int32 result is Infinity (an integer division by zero), which int32 cannot hold');
  });

  test('float64 computes in float64, float16 in float32 rounded back to half', () => {
    expect(nd.add(nd.array([0.1], { dtype: 'float64' }), 0.2).toArray()).toEqual([0.1 + 0.2]);
    const half = nd.array([1], { dtype: 'float16' });
    expect(nd.add(half, 2 ** -11).toArray()).toEqual([1]); // a tie: to even
    expect(nd.add(half, 3 * 2 ** -11).toArray()).toEqual([1 + 2 ** -9]);
    expect(nd.add(half, half).dtype).toBe('float16');
  });

  test('layout and reduction operators keep the dtype and every integer value', () => {
    const big = int32([16777217, 1, -5, 9]);
    expect(nd.sum(big).toArray()).toEqual([16777222]);
    expect(nd.max(big).toArray()).toEqual([16777217]);
    expect(nd.transpose(big.reshape([2, 2])).toArray()).toEqual([[16777217, -5], [1, 9]]);
    expect(nd.concat(big, big, { dim: 0 }).dtype).toBe('int32');
    expect(nd.stack(big, big).toArray()).toEqual([[16777217, 1, -5, 9], [16777217, 1, -5, 9]]);
    expect(nd.slice(big, { begin: [1], end: [3] }).toArray()).toEqual([1, -5]);
    expect(nd.zerosLike(big).dtype).toBe('int32');
    expect(nd.abs(big).toArray()).toEqual([16777217, 1, 5, 9]);
  });

  test('mixed dtypes and float32-only operators and layers are refused by name', () => {
    expect(() => nd.add(int32([1]), nd.array([1]))).toThrow('broadcast_add: expected inputs of one dtype (MXNet does not mix dtypes; convert with astype), but got lhs int32, rhs float32');
    expect(() => nd.exp(int32([1]))).toThrow("exp: expected data to be float32 (exp computes in float32; convert with x.astype('float32')), but got int32");
    const dense = new nn.Dense(2, { inUnits: 2, prefix: 'dense0_' });
    dense.initialize();
    expect(() => dense(int32([1, 2]).reshape([1, 2]))).toThrow("dense0: expected data to be float32 (FullyConnected computes in float32; convert with x.astype('float32')), but got int32");
    dense.hybridize();
    expect(() => dense(int32([1, 2]).reshape([1, 2]))).toThrow("dense0: expected input 0 to be float32 (a hybridized graph computes in float32; convert with x.astype('float32')), but got int32");
  });

  test('nothing is recorded for other dtypes, and float32 gradients are unchanged', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const y = autograd.record(() => nd.multiply(x, x).sum());
    y.backward();
    expect(x.grad?.toArray()).toEqual([2, 4]);
    expect(autograd.record(() => int32([1]).add(1)).toArray()).toEqual([2]);
  });
});

describe('.params records hold each dtype as MXNet writes it', () => {
  const cases: Array<[NDArray, number, number[]]> = [
    [nd.array([1.5, -2]), 0, f32s([1.5, -2])],
    [nd.array([0.1, -3], { dtype: 'float64' }), 1, f64s([0.1, -3])],
    [nd.array([1, -2], { dtype: 'float16' }), 2, u16s([0x3c00, 0xc000])],
    [nd.array([0, 255], { dtype: 'uint8' }), 3, [0, 255]],
    [int32([-1, 7]), 4, [...i32(-1), ...i32(7)]],
    [nd.array([-128, 5], { dtype: 'int8' }), 5, [0x80, 5]],
    [nd.array([-(2 ** 53), 5], { dtype: 'int64' }), 6, [...i64(-(2n ** 53n)), ...i64(5n)]],
    [nd.array([1, 0], { dtype: 'bool' }), 7, [1, 0]],
  ];
  test.each(cases.map(([array, ...rest]) => [array.dtype, array, ...rest] as const))('%s saves as MXNet type code and loads back as itself', (_dtype, array, typeFlag, data) => {
    const expected = paramsFile([v2Record({ shape: [2], data, typeFlag })], ['x']);
    expect(Buffer.from(nd.saveBytes({ x: array })).equals(Buffer.from(expected))).toBe(true);
    const loaded = (nd.loadBytes(expected) as Record<string, NDArray>).x;
    expect(loaded.dtype).toBe(array.dtype);
    expect(loaded.toArray()).toEqual(array.toArray());
  });

  test('a parameter file of another dtype loads into float32 parameters, converted', () => {
    const dense = new nn.Dense(1, { inUnits: 2, prefix: 'dense0_' });
    const file = nd.saveBytes({ weight: nd.array([[0.5, 2]], { dtype: 'float16' }), bias: nd.array([3], { dtype: 'int32' }) });
    dense.loadParameters(file);
    expect(dense.weight.data().dtype).toBe('float32');
    expect((dense(nd.array([[2, 1]])) as NDArray).toArray()).toEqual([[6]]);
  });
});

describe('indices, labels and masks of any dtype, as MXNet reads them', () => {
  const pred = nd.array([[1, 2, 3], [3, 1, 0]]);
  const asFloat = nd.array([2, 0]);
  const asInt = int32([2, 0]);

  test('pick, take, oneHot, Embedding and booleanMask read integer and bool indices', () => {
    expect(nd.pick(pred, asInt).toArray()).toEqual(nd.pick(pred, asFloat).toArray());
    expect(nd.take(pred, nd.array([1], { dtype: 'int64' })).toArray()).toEqual([[3, 1, 0]]);
    expect(nd.oneHot(nd.array([1], { dtype: 'uint8' }), { depth: 3 }).toArray()).toEqual([[0, 1, 0]]);
    expect(nd.booleanMask(pred, nd.array([0, 1], { dtype: 'bool' })).toArray()).toEqual([[3, 1, 0]]);
    const embedding = new nn.Embedding(5, 2);
    embedding.initialize();
    expect((embedding(int32([4])) as NDArray).toArray()).toEqual((embedding(nd.array([4])) as NDArray).toArray());
  });

  test('a loss takes integer labels; a DataLoader batches them as their dtype', () => {
    const loss = new gluon.loss.SoftmaxCrossEntropyLoss();
    expect(loss(pred, asInt).toArray()).toEqual(loss(pred, asFloat).toArray());
    const accuracy = new metric.Accuracy();
    accuracy.update([asInt], [pred]);
    expect(accuracy.get()).toEqual(['accuracy', 1]);
    const dataset = new gluon.data.ArrayDataset(nd.ones([4, 2]), int32([0, 1, 2, 3]));
    const [[, labels]] = [...new gluon.data.DataLoader(dataset, { batchSize: 2 })] as [NDArray, NDArray][];
    expect(labels.dtype).toBe('int32');
    expect(labels.toArray()).toEqual([0, 1]);
  });
});

test("saturateCast stores as OpenCV's saturate_cast: integers rounded half to even and clamped, NaN 0; floats unclamped", () => {
  expect(Array.from(saturateCast('uint8', [-3, 2.5, 3.5, 254.5, 300, NaN]))).toEqual([0, 2, 4, 254, 255, 0]);
  expect(Array.from(saturateCast('int8', [-2.5, -3.5, -200, 127.4]))).toEqual([-2, -4, -128, 127]);
  expect(Array.from(saturateCast('float32', [300.25, -1e40]))).toEqual([300.25, -Infinity]);
});
