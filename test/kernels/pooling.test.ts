import {
  FLOAT32_LOWEST, PoolParams, avgPoolForward, globalPoolForward, maxPoolForward, poolOutputSize,
} from '../../src/kernels/cpu/pooling';
import { GluonError } from '../../src/core/errors';
import {
  activationIndex, forEachIndex, makeRng, moveAxis1ToEnd, naivePool, naivePoolOutSize, randomArray, randomPool,
} from '../helpers/naive_dense';
import { fixtureCases, perDim } from '../helpers/kernel_fixtures';

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Runs max pooling with guards around out and argmax; returns both. */
function runMax(p: PoolParams, x: Float32Array, count: number): { out: Float32Array; index: Int32Array } {
  const out = new Float32Array(count + 4).fill(NaN);
  const index = new Int32Array(count + 4).fill(-7);
  const x0 = x.slice();
  maxPoolForward(p, x, 0, out, 2, index, 2);
  expect(x).toEqual(x0);
  expect([out[0], out[1], out[count + 2], out[count + 3]].every(Number.isNaN)).toBe(true);
  expect([index[0], index[1], index[count + 2], index[count + 3]]).toEqual([-7, -7, -7, -7]);
  return { out: out.subarray(2, count + 2), index: index.subarray(2, count + 2) };
}

function runAvg(p: PoolParams, includePad: boolean, x: Float32Array, count: number): Float32Array {
  const out = new Float32Array(count + 2).fill(NaN);
  avgPoolForward(p, includePad, x, 0, out, 1);
  expect(Number.isNaN(out[0]) && Number.isNaN(out[count + 1])).toBe(true);
  return out.subarray(1, count + 1);
}

/** Within 2⁻²² relative (one float32 rounding of a float64 sum, with room). */
function expectNear(got: ArrayLike<number>, ref: ArrayLike<number>): void {
  let bad = 0;
  for (let i = 0; i < ref.length; i++) if (!(Math.abs(got[i] - ref[i]) <= 2 ** -22 * Math.max(1, Math.abs(ref[i])))) bad++;
  expect(bad).toBe(0);
}

describe('maxPoolForward / avgPoolForward', () => {
  it('computes the documented 1-D examples', () => {
    const p = { batch: 1, channels: 1, inSize: [5], poolSize: [2], strides: [2], padding: [0], ceilMode: true, channelsLast: false };
    expect(poolOutputSize(p)).toEqual([3]);
    const out = new Float32Array(3);
    maxPoolForward(p, Float32Array.of(1, 3, 2, 5, 4), 0, out, 0, null, 0);
    expect(Array.from(out)).toEqual([3, 5, 4]);
    const avg = new Float32Array(4);
    avgPoolForward({ ...p, inSize: [3], strides: [1], padding: [1], ceilMode: false }, true, Float32Array.of(1, 2, 3), 0, avg, 0);
    expect(Array.from(avg)).toEqual([0.5, 1.5, 2.5, 1.5]);
  });

  it('matches direct pooling on random 1-D/2-D/3-D shapes, both layouts, padding and ceil mode', () => {
    const rng = makeRng(31);
    for (let t = 0; t < 150; t++) {
      const p = randomPool(rng, 1 + (t % 3));
      const x = randomArray(p.batch * p.channels * size(p.inSize), rng);
      const outSize = naivePoolOutSize(p);
      expect(poolOutputSize(p)).toEqual(outSize);
      const count = p.batch * p.channels * size(outSize);
      const max = naivePool(p, 'max', false, x);
      const got = runMax(p, x, count);
      expect(Array.from(got.out)).toEqual(Array.from(Float32Array.from(max.value)));
      expect(Array.from(got.index)).toEqual(Array.from(max.index));
      for (const includePad of [true, false]) expectNear(runAvg(p, includePad, x, count), naivePool(p, 'avg', includePad, x).value);
    }
  });

  it("keeps MXNet's 'full' last window even when it starts in the padding", () => {
    // in 5, window 2, stride 2, padding 1: MXNet gives 4 outputs (PyTorch 3); the last window
    // covers [5, 7), padding only: max gives -FLT_MAX, avg 0 (sum 0 over a divisor of 1 or 0).
    const p = { batch: 1, channels: 1, inSize: [5], poolSize: [2], strides: [2], padding: [1], ceilMode: true, channelsLast: false };
    expect(poolOutputSize(p)).toEqual([4]);
    const x = Float32Array.of(-1, -2, -3, -4, -5);
    const { out, index } = runMax(p, x, 4);
    expect(Array.from(out)).toEqual([-1, -2, -4, FLOAT32_LOWEST]);
    expect(Array.from(index)).toEqual([0, 1, 3, -1]);
    expect(Array.from(runAvg(p, true, x, 4))).toEqual([-0.5, -2.5, -4.5, 0]);
    expect(Array.from(runAvg(p, false, x, 4))).toEqual([-1, -2.5, -4.5, 0]);
  });

  it('keeps the first of equal maxima and skips NaN, as MXNet compares with >', () => {
    const p = { batch: 1, channels: 2, inSize: [4], poolSize: [4], strides: [1], padding: [0], ceilMode: false, channelsLast: true };
    // channels-last: channel 0 = [2, NaN, 2, 1], channel 1 = [NaN, NaN, NaN, NaN]
    const { out, index } = runMax(p, Float32Array.of(2, NaN, NaN, NaN, 2, NaN, 1, NaN), 2);
    expect(Array.from(out)).toEqual([2, FLOAT32_LOWEST]);
    expect(Array.from(index)).toEqual([0, -1]);
  });

  it('writes nothing for an empty batch', () => {
    const p = { batch: 0, channels: 3, inSize: [4, 4], poolSize: [2, 2], strides: [2, 2], padding: [0, 0], ceilMode: false, channelsLast: false };
    maxPoolForward(p, new Float32Array(0), 0, new Float32Array(0), 0, new Int32Array(0), 0);
    avgPoolForward(p, true, new Float32Array(0), 0, new Float32Array(0), 0);
  });

  describe.each(fixtureCases('max_pool').concat(fixtureCases('avg_pool')))('PyTorch fixture: $name', (fc) => {
    const rank = fc.x_shape.length - 2;
    it.each([false, true])('matches torch (channelsLast = %s)', (channelsLast) => {
      const p: PoolParams = {
        batch: fc.x_shape[0], channels: fc.x_shape[1], inSize: fc.x_shape.slice(2), poolSize: fc.params.kernel_size ?? [],
        strides: perDim(fc.params.stride, rank, 1), padding: perDim(fc.params.padding, rank, 0),
        ceilMode: fc.params.ceil_mode ?? false, channelsLast,
      };
      const layout = (data: number[], shape: number[]): Float64Array =>
        channelsLast ? moveAxis1ToEnd(data, shape).data : Float64Array.from(data);
      const x = Float32Array.from(layout(fc.x, fc.x_shape));
      expect(poolOutputSize(p)).toEqual(fc.y_shape.slice(2));
      const count = size(fc.y_shape);
      const got = fc.op === 'max_pool2d' ? runMax(p, x, count).out : runAvg(p, fc.params.count_include_pad ?? true, x, count);
      expectNear(got, layout(fc.y, fc.y_shape));
    });
  });
});

describe('globalPoolForward', () => {
  it('reduces every spatial position of each (n, c), in both layouts', () => {
    const rng = makeRng(41);
    for (const inSize of [[5], [3, 4], [2, 3, 2]]) {
      for (const channelsLast of [false, true]) {
        const p = { batch: 2, channels: 3, inSize, channelsLast };
        const x = randomArray(2 * 3 * size(inSize), rng);
        const max = new Float32Array(6), avg = new Float32Array(6);
        globalPoolForward('max', p, x, 0, max, 0);
        globalPoolForward('avg', p, x, 0, avg, 0);
        forEachIndex([2, 3], ([n, c]) => {
          const values: number[] = [];
          forEachIndex(inSize, (pos) => values.push(x[activationIndex(n, c, pos, 3, inSize, channelsLast)]));
          expect(max[n * 3 + c]).toBe(Math.max(...values));
          expectNear([avg[n * 3 + c]], [values.reduce((a, b) => a + b, 0) / values.length]);
        });
      }
    }
  });

  it('gives -FLT_MAX and 0 for an empty spatial extent', () => {
    const out = new Float32Array(2);
    globalPoolForward('max', { batch: 1, channels: 2, inSize: [0, 3], channelsLast: false }, new Float32Array(0), 0, out, 0);
    expect(Array.from(out)).toEqual([FLOAT32_LOWEST, FLOAT32_LOWEST]);
    globalPoolForward('avg', { batch: 1, channels: 2, inSize: [0, 3], channelsLast: true }, new Float32Array(0), 0, out, 0);
    expect(Array.from(out)).toEqual([0, 0]);
  });
});

describe('pooling argument errors', () => {
  const base: PoolParams = { batch: 1, channels: 2, inSize: [4, 4], poolSize: [2, 2], strides: [2, 2], padding: [0, 0],
    ceilMode: false, channelsLast: false };
  const x = new Float32Array(32);
  const max = (over: Partial<PoolParams>, xs = x, out = new Float32Array(8), arg: Int32Array | null = null) => () =>
    maxPoolForward({ ...base, ...over }, xs, 0, out, 0, arg, 0);

  it('rejects negative or fractional sizes and bad hyperparameters', () => {
    expect(max({ batch: -2 })).toThrow(GluonError);
    expect(max({ batch: -2 })).toThrow(/maxPoolForward: expected batch to be a non-negative integer, but got -2/);
    expect(max({ inSize: [4, 4.5] })).toThrow(/maxPoolForward: expected inSize\[1\] to be a non-negative integer, but got 4.5/);
    expect(max({ strides: [0, 2] })).toThrow(/maxPoolForward: expected strides\[0\] to be an integer >= 1, but got 0/);
    expect(max({ padding: [-1, 0] })).toThrow(/maxPoolForward: expected padding\[0\] to be a non-negative integer, but got -1/);
    expect(max({ poolSize: [2] })).toThrow(/maxPoolForward: expected poolSize to have 2 values \(one per spatial dimension\), but got 1 values/);
    expect(max({ inSize: [1, 1, 1, 1] })).toThrow(/maxPoolForward: expected inSize to have 1, 2 or 3 values .*, but got 4 values/);
  });

  it('rejects a window larger than the padded input', () => {
    expect(max({ poolSize: [2, 7], padding: [0, 1] })).toThrow(/maxPoolForward: expected poolSize\[1\] <= the padded input size 6 \(4 \+ 2\*1\), but got 7/);
    expect(() => poolOutputSize({ ...base, poolSize: [5, 2] })).toThrow(/poolOutputSize: expected poolSize\[0\] <= the padded input size 4 \(4 \+ 2\*0\), but got 5/);
  });

  it('rejects buffers that are too short', () => {
    expect(max({}, new Float32Array(31))).toThrow(/maxPoolForward: expected x to hold at least 32 elements \(offset 0 \+ 32\), but got a buffer of 31/);
    expect(max({}, x, new Float32Array(7))).toThrow(/maxPoolForward: expected out to hold at least 8 elements/);
    expect(max({}, x, new Float32Array(8), new Int32Array(7))).toThrow(/maxPoolForward: expected argmax to hold at least 8 elements/);
    expect(() => avgPoolForward(base, true, x, 1, new Float32Array(8), 0)).toThrow(/avgPoolForward: expected x to hold at least 33 elements/);
    expect(() => globalPoolForward('avg', { batch: 1, channels: 2, inSize: [4, 4], channelsLast: true }, x, 0, new Float32Array(1), 0))
      .toThrow(/globalPoolForward: expected out to hold at least 2 elements/);
  });

  it('rejects outputs that share memory with the input or each other', () => {
    const shared = new Float32Array(40);
    expect(max({}, shared, shared.subarray(30))).toThrow(/maxPoolForward: expected out not to overlap x, but got views sharing memory/);
    const ints = new Int32Array(40);
    expect(max({}, x, new Float32Array(ints.buffer, 0, 8), ints.subarray(4, 12))).toThrow(
      /maxPoolForward: expected argmax not to overlap out/);
    expect(() => globalPoolForward('max', { batch: 1, channels: 2, inSize: [4, 4], channelsLast: false }, shared, 0, shared, 31))
      .toThrow(/globalPoolForward: expected out not to overlap x/);
    expect(max({}, shared, shared.subarray(32))).not.toThrow();
  });

  it('rejects wrong buffer types, kinds and parameter objects', () => {
    expect(() => Reflect.apply(maxPoolForward, undefined, [base, x, 0, new Float32Array(8), 0, new Float32Array(8), 0]))
      .toThrow(/maxPoolForward: expected argmax to be an Int32Array, but got Float32Array/);
    expect(() => Reflect.apply(globalPoolForward, undefined, ['sum', { batch: 1, channels: 1, inSize: [1], channelsLast: false }, x, 0, x, 0]))
      .toThrow(/globalPoolForward: expected kind 'max' or 'avg', but got sum/);
    expect(() => Reflect.apply(avgPoolForward, undefined, [undefined, true, x, 0, x, 0]))
      .toThrow(/avgPoolForward: expected a parameter object, but got undefined/);
  });
});
