/**
 * Convolution on the SIMD module (conv_wasm.ts): the implicit GEMM (channels-first), the column
 * matrix + GEMM (channels-last), the direct kernel (≤ 4 output channels per group, no padding)
 * and the transposed convolution (GEMM + col2im), each against the float64 definition within
 * gemm.ts's bound for the reduction length (input channels per group · taps); the direct kernel bit for bit equal to the GEMM path, and every path's
 * result independent of the thread count.
 */
import { convForward, convOutputSize, convTransposeForward, convTransposeOutputSize } from '../../src/kernels/cpu/conv';
import { gemmSimd } from '../../src/kernels/cpu/simd/gemm_simd';
import { getNumThreads, setNumThreads, workersReady } from '../../src/kernels/cpu/threads/pool';
import { NaiveConv, makeRng, naiveConv, naiveConvTranspose, randomArray, sameBits, worstError } from '../helpers/naive_dense';
import { productErrorFactor } from '../helpers/naive_ops';

const volume = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

function params(over: Partial<NaiveConv>): NaiveConv {
  const rank = over.inSize?.length ?? 2;
  const ones = Array<number>(rank).fill(1);
  return {
    batch: 2, inChannels: 4, outChannels: 3, inSize: Array<number>(rank).fill(11), kernel: Array<number>(rank).fill(3),
    strides: ones, padding: Array<number>(rank).fill(0), dilation: ones, groups: 1, channelsLast: false, ...over,
  };
}

function run(p: NaiveConv, x: Float32Array, w: Float32Array, bias: Float32Array | null): Float32Array {
  const out = new Float32Array(p.batch * p.outChannels * volume(convOutputSize(p))).fill(NaN);
  convForward(p, x, 0, w, 0, bias, 0, out, 0);
  return out;
}

function inputs(p: NaiveConv, seed: number) {
  const rng = makeRng(seed);
  const x = randomArray(p.batch * p.inChannels * volume(p.inSize), rng);
  const w = randomArray(p.outChannels * (p.inChannels / p.groups) * volume(p.kernel), rng);
  return { x, w, bias: randomArray(p.outChannels, rng) };
}

function expectWithinBound(p: NaiveConv, seed: number): void {
  const { x, w, bias } = inputs(p, seed);
  const k = (p.inChannels / p.groups) * volume(p.kernel);
  expect(worstError(run(p, x, w, bias), naiveConv(p, x, w, bias), productErrorFactor(k))).toBeLessThanOrEqual(1);
}

const simd = gemmSimd();

(simd ? describe : describe.skip)('SIMD convolution forward', () => {
  const threads = getNumThreads();
  afterAll(() => setNumThreads(threads));

  it.each([
    ['direct, 2-D, a partial last tile', {}],
    ['direct, K > 256 (panels added to out), 9×9 kernel', { inChannels: 5, inSize: [13, 21], kernel: [9, 9] }],
    ['direct, groups, stride and dilation on the first axis', { inChannels: 6, outChannels: 6, groups: 2, strides: [2, 1], dilation: [2, 1], inSize: [12, 17] }],
    ['direct, 1-D', { inSize: [30], kernel: [4] }],
    ['direct, 3-D', { inSize: [5, 6, 19], kernel: [2, 3, 3], outChannels: 4 }],
    ['direct, padding (a zero-padded copy) and stride 2 on the last axis', { padding: [1, 2], strides: [1, 2], inSize: [12, 37] }],
    ['direct, depthwise 3×3, padding 1', { inChannels: 8, outChannels: 8, groups: 8, padding: [1, 1], inSize: [17, 45] }],
    ['direct, depthwise with multiplier 2, stride 2', { inChannels: 6, outChannels: 12, groups: 6, padding: [1, 1], strides: [2, 2], inSize: [15, 40] }],
    ['implicit GEMM, padding and strides', { outChannels: 9, padding: [1, 2], strides: [2, 3], inSize: [15, 14] }],
    ['implicit GEMM, dilation and groups', { inChannels: 6, outChannels: 10, groups: 2, dilation: [2, 3], inSize: [13, 16] }],
    ['channels-last, implicit GEMM (A packed from the image)', { channelsLast: true, outChannels: 7, padding: [1, 1], strides: [2, 1] }],
    ['channels-last, 1×1 (the image is its column matrix)', { channelsLast: true, outChannels: 6, kernel: [1, 1] }],
  ] as [string, Partial<NaiveConv>][])('%s is within the bound', (_, over) => {
    expectWithinBound(params(over), 21);
  });

  it.each([[0, 0], [2, 1]])('the direct kernel (3 output channels) gives the GEMM path\'s bits (5 output channels), padding %i, %i', (p0, p1) => {
    const three = params({ inChannels: 8, inSize: [14, 29], kernel: [5, 5], padding: [p0, p1] });
    const five = { ...three, outChannels: 5 };
    const { x, w } = inputs(five, 4);
    const taps = 8 * 25, plane = volume(convOutputSize(three));
    const viaGemm = run(five, x, w, null), direct = run(three, x, w.subarray(0, 3 * taps), null);
    for (let n = 0; n < 2; n++) {
      expect(sameBits(direct.subarray(n * 3 * plane, (n + 1) * 3 * plane), viaGemm.subarray(n * 5 * plane, n * 5 * plane + 3 * plane))).toBe(true);
    }
  });

  it('gives the same bits on 1 and 2 threads, for the direct kernel (split by rows and by groups) and the implicit GEMM in both layouts', async () => {
    for (const p of [
      params({ batch: 1, inChannels: 16, inSize: [70, 70] }),
      params({ batch: 1, inChannels: 64, outChannels: 64, groups: 64, inSize: [80, 80], padding: [1, 1] }),
      params({ batch: 1, inChannels: 16, outChannels: 32, inSize: [40, 40], padding: [1, 1] }),
      params({ batch: 1, inChannels: 16, outChannels: 32, inSize: [40, 40], padding: [1, 1], channelsLast: true }),
    ]) {
      const { x, w, bias } = inputs(p, 8);
      setNumThreads(1);
      const one = run(p, x, w, bias);
      setNumThreads(2);
      run(p, x, w, bias);
      await workersReady();
      expect(sameBits(run(p, x, w, bias), one)).toBe(true);
    }
  });

  it.each([
    ['channels-first, strides, padding, output padding', { strides: [2, 3], padding: [1, 1], outputPadding: [1, 2] }],
    ['channels-first, groups and dilation', { inChannels: 6, outChannels: 4, groups: 2, dilation: [2, 1] }],
    ['channels-last, strides', { channelsLast: true, strides: [2, 2], outputPadding: [1, 0] }],
    ['1×1 (the product accumulates into the output)', { kernel: [1, 1], outChannels: 5 }],
  ] as [string, Partial<NaiveConv & { outputPadding: number[] }>][])('transposed, %s, is within the bound', (_, over) => {
    const p = { ...params({ inSize: [7, 9], ...over }), outputPadding: over.outputPadding ?? [0, 0] };
    const rng = makeRng(31);
    const x = randomArray(p.batch * p.inChannels * volume(p.inSize), rng);
    const w = randomArray(p.inChannels * (p.outChannels / p.groups) * volume(p.kernel), rng);
    const bias = randomArray(p.outChannels, rng);
    const out = new Float32Array(p.batch * p.outChannels * volume(convTransposeOutputSize(p))).fill(NaN);
    convTransposeForward(p, x, 0, w, 0, bias, 0, out, 0);
    const k = (p.inChannels / p.groups) * volume(p.kernel);
    expect(worstError(out, naiveConvTranspose(p, x, w, bias), productErrorFactor(k))).toBeLessThanOrEqual(1);
  });
});
