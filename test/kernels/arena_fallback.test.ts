/**
 * Calls whose buffers do not fit the kernel arena run the JavaScript loops instead (conv_wasm.ts,
 * pool_wasm.ts return false): with the arena's limit lowered to nothing, convolution forward,
 * transposed convolution, the weight gradient and max pooling still give the float64
 * definition's results.
 */
import { convBackwardWeight } from '../../src/kernels/cpu/conv_backward';
import { convForward, convOutputSize, convTransposeForward, convTransposeOutputSize } from '../../src/kernels/cpu/conv';
import { setArenaLimit } from '../../src/kernels/cpu/gemm_wasm';
import { maxPoolForward } from '../../src/kernels/cpu/pooling';
import { NaiveConv, makeRng, naiveConv, naiveConvTranspose, naivePool, naivePoolOutSize, randomArray, worstError } from '../helpers/naive_dense';
import { productErrorFactor } from '../helpers/naive_ops';

const volume = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);
const p: NaiveConv = {
  batch: 2, inChannels: 4, outChannels: 6, inSize: [9, 8], kernel: [3, 3], strides: [1, 2], padding: [1, 0], dilation: [1, 1],
  groups: 2, channelsLast: false,
};
const rng = makeRng(12);
const x = randomArray(p.batch * p.inChannels * volume(p.inSize), rng);
const w = randomArray(p.outChannels * 2 * 9, rng);
const factor = productErrorFactor(2 * 9);

let previous: number;
beforeAll(() => { previous = setArenaLimit(0); });
afterAll(() => { setArenaLimit(previous); });

test('convolution forward', () => {
  const out = new Float32Array(p.batch * p.outChannels * volume(convOutputSize(p)));
  convForward(p, x, 0, w, 0, null, 0, out, 0);
  expect(worstError(out, naiveConv(p, x, w, null), factor)).toBeLessThanOrEqual(1);
});

test('transposed convolution', () => {
  const t = { ...p, inChannels: 6, outChannels: 4, inSize: [5, 4], outputPadding: [0, 1] };
  const xt = randomArray(t.batch * 6 * 20, rng), wt = randomArray(6 * 2 * 9, rng);
  const out = new Float32Array(t.batch * 4 * volume(convTransposeOutputSize(t)));
  convTransposeForward(t, xt, 0, wt, 0, null, 0, out, 0);
  expect(worstError(out, naiveConvTranspose(t, xt, wt, null), productErrorFactor(3 * 9))).toBeLessThanOrEqual(1);
});

test('weight gradient: for one-hot output gradients it is the input window the weight saw', () => {
  const grid = convOutputSize(p);
  const dy = new Float32Array(p.batch * p.outChannels * volume(grid));
  dy[0] = 1; // batch 0, output channel 0, position (0, 0): dW[0, c, t] = x[0, c, tap t of that window]
  const dW = new Float32Array(w.length);
  convBackwardWeight(p, x, 0, dy, 0, dW, 0);
  const want = Array.from({ length: 18 }, (_, i) => {
    const [c, ky, kx] = [Math.floor(i / 9), Math.floor(i / 3) % 3, i % 3];
    const [row, col] = [ky - 1, kx];
    return row < 0 ? 0 : x[(c * 9 + row) * 8 + col];
  });
  expect(Array.from(dW.subarray(0, 18))).toEqual(want);
  expect(dW.subarray(18).every((v) => v === 0)).toBe(true);
});

test('max pooling', () => {
  const pool = { batch: 2, channels: 3, inSize: [7, 6], poolSize: [2, 3], strides: [2, 2], padding: [0, 1], ceilMode: false, channelsLast: false };
  const xp = randomArray(2 * 3 * 42, rng);
  const count = 2 * 3 * volume(naivePoolOutSize(pool));
  const out = new Float32Array(count), argmax = new Int32Array(count);
  maxPoolForward(pool, xp, 0, out, 0, argmax, 0);
  const want = naivePool(pool, 'max', false, xp);
  expect(Array.from(out)).toEqual(Array.from(want.value, Math.fround));
  expect(Array.from(argmax)).toEqual(Array.from(want.index));
});
