/**
 * Max pooling on the SIMD module (pool_wasm.ts) against the naive definition — values and
 * argmax exactly, ties to the first maximum, NaNs never winning — in both layouts (channels-last
 * with a channel count that is not a multiple of the vector width), on inputs large enough to be
 * split among two threads.
 */
import { maxPoolForward } from '../../src/kernels/cpu/pooling';
import { gemmSimd } from '../../src/kernels/cpu/simd/gemm_simd';
import { getNumThreads, setNumThreads, workersReady } from '../../src/kernels/cpu/threads/pool';
import { NaivePool, makeRng, naivePool, naivePoolOutSize, randomArray } from '../helpers/naive_dense';

const volume = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

(gemmSimd() ? describe : describe.skip)('SIMD max pooling', () => {
  const threads = getNumThreads();
  afterAll(() => setNumThreads(threads));

  const shapes: [string, Omit<NaivePool, 'channelsLast'>][] = [
    ['2×2 / 2 on 2 threads', { batch: 8, channels: 41, inSize: [90, 90], poolSize: [2, 2], strides: [2, 2], padding: [0, 0], ceilMode: false }],
    ['3×3 / 2, padding, ceil mode', { batch: 2, channels: 3, inSize: [13, 11], poolSize: [3, 3], strides: [2, 2], padding: [1, 1], ceilMode: true }],
    ['3-D', { batch: 2, channels: 3, inSize: [5, 6, 7], poolSize: [2, 3, 2], strides: [1, 2, 2], padding: [1, 0, 1], ceilMode: false }],
  ];
  const cases = shapes.flatMap(([name, shape]) => [false, true].map((channelsLast): [string, NaivePool] =>
    [`${name}, ${channelsLast ? 'channels-last' : 'channels-first'}`, { ...shape, channelsLast }]));

  it.each(cases)('%s gives the definition\'s values and argmax', async (_, p) => {
    const x = randomArray(p.batch * p.channels * volume(p.inSize), makeRng(3));
    x[5] = NaN;
    x[7] = x[6]; // a tie
    const count = p.batch * p.channels * volume(naivePoolOutSize(p));
    setNumThreads(2);
    maxPoolForward({ ...p }, x, 0, new Float32Array(count), 0, null, 0); // starts the workers
    await workersReady();
    const out = new Float32Array(count), argmax = new Int32Array(count);
    maxPoolForward({ ...p }, x, 0, out, 0, argmax, 0);
    const want = naivePool(p, 'max', false, x);
    expect(Array.from(out)).toEqual(Array.from(want.value, Math.fround));
    expect(Array.from(argmax)).toEqual(Array.from(want.index));
  });
});
