import { PoolParams, avgPoolForward, maxPoolForward, poolOutputSize } from '../../src/kernels/cpu/pooling';
import { avgPoolBackward, globalPoolBackward, maxPoolBackward } from '../../src/kernels/cpu/pooling_backward';
import { GluonError } from '../../src/core/errors';
import { makeRng, randomArray, randomPool } from '../helpers/naive_dense';
import { PoolSpec, poolOutSize, poolReference, worstRelative } from '../helpers/naive_layers';

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** dx of max pooling through the forward's argmax, with guards around dx. */
function maxGrad(p: PoolParams, x: Float32Array, dy: Float32Array): Float32Array {
  const count = dy.length;
  const out = new Float32Array(count);
  const argmax = new Int32Array(count);
  maxPoolForward(p, x, 0, out, 0, argmax, 0);
  const dx = new Float32Array(x.length + 2).fill(NaN);
  maxPoolBackward(p, dy, 0, argmax, 0, dx, 1);
  expect(Number.isNaN(dx[0]) && Number.isNaN(dx[x.length + 1])).toBe(true);
  return dx.subarray(1, x.length + 1);
}

function avgGrad(p: PoolParams, includePad: boolean, dy: Float32Array, inCount: number): Float32Array {
  const dx = new Float32Array(inCount + 2).fill(NaN);
  avgPoolBackward(p, includePad, dy, 0, dx, 1);
  expect(Number.isNaN(dx[0]) && Number.isNaN(dx[inCount + 1])).toBe(true);
  return dx.subarray(1, inCount + 1);
}

describe('maxPoolBackward / avgPoolBackward', () => {
  it('compute the documented 1-D examples', () => {
    const p = { batch: 1, channels: 1, inSize: [5], poolSize: [2], strides: [2], padding: [0], ceilMode: true, channelsLast: false };
    expect(Array.from(maxGrad(p, Float32Array.of(1, 3, 2, 5, 4), Float32Array.of(1, 2, 3)))).toEqual([0, 1, 0, 2, 3]);
    const q = { ...p, inSize: [3], strides: [1], padding: [1], ceilMode: false };
    expect(Array.from(avgGrad(q, true, Float32Array.of(1, 1, 1, 1), 3))).toEqual([1, 1, 1]);
    // Without the padding in the divisor the edge windows hold one value each: 1 + 1/2 per position.
    expect(Array.from(avgGrad(q, false, Float32Array.of(1, 1, 1, 1), 3))).toEqual([1.5, 1, 1.5]);
  });

  it('match the direct adjoint on random 1-D/2-D/3-D windows, both layouts, ceilMode, padding', () => {
    const rng = makeRng(41);
    for (let t = 0; t < 120; t++) {
      const p = randomPool(rng, 1 + (t % 3));
      const x = randomArray(p.batch * p.channels * size(p.inSize), rng);
      const outSize = poolOutSize(p);
      expect(poolOutputSize(p)).toEqual(outSize);
      const dy = randomArray(p.batch * p.channels * size(outSize), rng);
      const max = poolReference(p, 'max', false, x, dy);
      expect(worstRelative(maxGrad(p, x, dy), max.dx)).toBeLessThanOrEqual(1);
      for (const includePad of [true, false]) {
        const avg = poolReference(p, 'avg', includePad, x, dy);
        // The reference's forward agrees with the kernel's, so its windows are the kernel's.
        const out = new Float32Array(dy.length);
        avgPoolForward(p, includePad, x, 0, out, 0);
        expect(worstRelative(out, avg.out)).toBeLessThanOrEqual(1);
        expect(worstRelative(avgGrad(p, includePad, dy, x.length), avg.dx)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('sum the gradients of overlapping max windows that share their maximum', () => {
    const p = { batch: 1, channels: 1, inSize: [4], poolSize: [3], strides: [1], padding: [0], ceilMode: false, channelsLast: false };
    expect(Array.from(maxGrad(p, Float32Array.of(0, 9, 1, 2), Float32Array.of(1, 10)))).toEqual([0, 11, 0, 0]);
  });

  it('rejects argmax values outside the input plane, naming the position', () => {
    const p = { batch: 1, channels: 1, inSize: [4], poolSize: [2], strides: [2], padding: [0], ceilMode: false, channelsLast: false };
    expect(() => maxPoolBackward(p, new Float32Array(2), 0, Int32Array.of(0, 4), 0, new Float32Array(4), 0))
      .toThrow(new GluonError('maxPoolBackward: expected argmax values in [-1, 4), but got 4 at position 1'));
    expect(() => maxPoolBackward(p, new Float32Array(2), 0, Int32Array.of(-2, 0), 0, new Float32Array(4), 0))
      .toThrow(/expected argmax values in \[-1, 4\), but got -2 at position 0/);
    expect(() => avgPoolBackward(p, true, new Float32Array(1), 0, new Float32Array(4), 0))
      .toThrow('avgPoolBackward: expected dy to hold at least 2 elements (offset 0 + 2), but got a buffer of 1');
  });
});

describe('globalPoolBackward', () => {
  it('computes the documented example', () => {
    const params = { batch: 1, channels: 2, inSize: [2], channelsLast: false };
    const x = Float32Array.of(1, 2, 3, 5);
    const dx = new Float32Array(4);
    globalPoolBackward('max', params, x, 0, Float32Array.of(10, 20), 0, dx, 0);
    expect(Array.from(dx)).toEqual([0, 10, 0, 20]);
    globalPoolBackward('avg', params, x, 0, Float32Array.of(10, 20), 0, dx, 0);
    expect(Array.from(dx)).toEqual([5, 5, 10, 10]);
  });

  it('equals pooling with one window over the whole input, in both layouts', () => {
    const rng = makeRng(42);
    for (const channelsLast of [false, true]) {
      const p: PoolSpec = { batch: 2, channels: 3, inSize: [3, 4], poolSize: [3, 4], strides: [1, 1], padding: [0, 0],
        ceilMode: false, channelsLast };
      const x = randomArray(2 * 3 * 12, rng);
      const dy = randomArray(6, rng);
      const dx = new Float32Array(x.length);
      for (const kind of ['max', 'avg'] as const) {
        globalPoolBackward(kind, { batch: 2, channels: 3, inSize: [3, 4], channelsLast }, x, 0, dy, 0, dx, 0);
        expect(worstRelative(dx, poolReference(p, kind, true, x, dy).dx)).toBeLessThanOrEqual(1);
      }
    }
  });

  it('skips NaNs when routing the max and passes nothing from an all-NaN plane', () => {
    const dx = new Float32Array(3);
    globalPoolBackward('max', { batch: 1, channels: 1, inSize: [3], channelsLast: false }, Float32Array.of(NaN, 1, 0), 0,
      Float32Array.of(5), 0, dx, 0);
    expect(Array.from(dx)).toEqual([0, 5, 0]);
    globalPoolBackward('max', { batch: 1, channels: 1, inSize: [3], channelsLast: false }, Float32Array.of(NaN, NaN, NaN), 0,
      Float32Array.of(5), 0, dx, 0);
    expect(Array.from(dx)).toEqual([0, 0, 0]);
  });

  it('names the bad argument', () => {
    const params = { batch: 1, channels: 1, inSize: [2], channelsLast: false };
    const buf = new Float32Array(2);
    expect(() => globalPoolBackward('sum' as 'max', params, buf, 0, buf, 0, new Float32Array(2), 0))
      .toThrow("globalPoolBackward: expected kind 'max' or 'avg', but got sum");
    expect(() => globalPoolBackward('avg', { ...params, inSize: [] }, buf, 0, buf, 0, new Float32Array(2), 0))
      .toThrow('globalPoolBackward: expected inSize to have 1, 2 or 3 values (one per spatial dimension), but got 0 values');
    expect(() => globalPoolBackward('avg', params, buf, 0, buf, 0, new Float32Array(1), 0))
      .toThrow(/globalPoolBackward: expected dx to hold at least 2 elements/);
  });
});
