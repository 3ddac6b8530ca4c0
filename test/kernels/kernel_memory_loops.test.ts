/**
 * The loops that run between layers on arrays lying in the kernel memory — a cached graph's
 * intermediates (elementwise_wasm.ts, norm_wasm.ts): addition, nearest upsampling and the
 * normalization runs, in the kernel module and split across the pool. Each is checked against a
 * naive reference (odd lengths for the vector tails, NaN, infinities and signed zeros), on one and
 * two threads, and the normalization also against the bits of the same call on ordinary arrays
 * (the imperative path, whose own accuracy normalization_simd.test.ts checks).
 */
import { ADD, binaryBroadcast } from '../../src/kernels/cpu/binary';
import * as elementwiseWasm from '../../src/kernels/cpu/elementwise_wasm';
import { normForward, NormLayout } from '../../src/kernels/cpu/normalization';
import { batchNormLayout, instanceNormLayout, layerNormLayout } from '../../src/kernels/cpu/norm_layouts';
import * as normWasm from '../../src/kernels/cpu/norm_wasm';
import { gemmSimd } from '../../src/kernels/cpu/simd/gemm_simd';
import * as pool from '../../src/kernels/cpu/threads/pool';
import { upsampleNearest } from '../../src/kernels/cpu/upsampling';
import { referenceNorm } from '../helpers/reference_norm';
import { expectCloseElementwise } from '../helpers/expect_close';
import { sameBits } from '../helpers/naive_dense';
import { makeRng } from '../helpers/naive_ops';

const simd = gemmSimd();
const run = simd !== undefined && simd.memory.shared ? describe : describe.skip;

run('loops on arrays in the kernel memory', () => {
  // describe.skip still runs this body: nothing here may need the module.
  const memory = () => simd!.memory;
  const blocks: number[] = [];
  const rng = makeRng(11);
  let threads: number;
  beforeAll(() => { threads = pool.getNumThreads(); });
  afterAll(() => pool.setNumThreads(threads));
  let parts: jest.SpyInstance<void, Parameters<typeof pool.runParts>>;
  beforeEach(() => { parts = jest.spyOn(pool, 'runParts'); });
  afterEach(() => {
    parts.mockRestore();
    blocks.splice(0).forEach((start) => memory().release(start));
  });

  /** Whether a job of `fn` was split into two parts (one per thread). */
  const splitInTwo = (fn: string) => parts.mock.calls.some(([, name, args]) => name === fn && args.length === 2);

  /** A copy of `values` in a block of the kernel memory, as a cached graph's intermediate is. */
  function inKernel(values: ArrayLike<number>): Float32Array {
    const start = memory().reserve(values.length * 4) as number;
    blocks.push(start);
    const view = new Float32Array(memory().memory.buffer, start, values.length);
    view.set(values);
    return view;
  }

  const random = (n: number, spread = 3) => Float32Array.from({ length: n }, () => spread * (2 * rng() - 1));

  /** Runs `body` on 1 and on 2 threads (workers up), returning each result. */
  async function onOneAndTwoThreads<T>(body: () => T): Promise<T[]> {
    const results: T[] = [];
    for (const n of [1, 2]) {
      pool.setNumThreads(n);
      body();
      await pool.workersReady();
      results.push(body());
    }
    return results;
  }

  it('addition: each float32 sum rounded once, in place too, split across threads', async () => {
    const n = 70_001;
    const a = random(n), b = random(n);
    a.set([NaN, Infinity, -0, 3.4e38, 1e-45], 0);
    b.set([1, -Infinity, -0, 3.4e38, -1e-45], 0);
    const expected = Float32Array.from(a, (v, i) => Math.fround(v + b[i]));
    const [one, two] = await onOneAndTwoThreads(() => {
      const [x, y, out] = [inKernel(a), inKernel(b), inKernel(new Float32Array(n))];
      binaryBroadcast(ADD, out, x, [n], y, [n], [n]);
      binaryBroadcast(ADD, x, x, [n], y, [n], [n]); // out = x
      return [Float32Array.from(out), Float32Array.from(x)];
    });
    for (const [out, inPlace] of [one, two]) {
      expect(out).toEqual(expected);
      expect(inPlace).toEqual(expected);
    }
    expect(splitInTwo('add_floats')).toBe(true);
  });

  it('addition with broadcasting, or of ordinary arrays, stays on the JavaScript loop', () => {
    const spy = jest.spyOn(elementwiseWasm, 'addInKernelMemory');
    try {
      const x = inKernel([1, 2, 3, 4, 5, 6]), row = inKernel([10, 20, 30]), out = inKernel(new Float32Array(6));
      binaryBroadcast(ADD, out, x, [2, 3], row, [3], [2, 3]);
      expect(Array.from(out)).toEqual([11, 22, 33, 14, 25, 36]);
      const plain = new Float32Array(6);
      binaryBroadcast(ADD, plain, Float32Array.of(1, 2, 3, 4, 5, 6), [6], Float32Array.of(1, 1, 1, 1, 1, 1), [6], [6]);
      expect(Array.from(plain)).toEqual([2, 3, 4, 5, 6, 7]);
      expect(spy.mock.results.map((r) => r.value)).toEqual([false]); // the broadcast call never asked
    } finally {
      spy.mockRestore();
    }
  });

  it.each([
    ['3 planes of 37×29, scale 2 (odd widths: the vector loop and its tail)', 3, 37, 29, 2],
    ['2 planes of 5×7, scale 3', 2, 5, 7, 3],
    ['8 planes of 64×67, scale 2 (split across threads)', 8, 64, 67, 2],
  ])('nearest upsampling, %s, against the index formula', async (_name, planes, h, w, s) => {
    const src = random(planes * h * w);
    src[0] = NaN;
    src[1] = -0;
    const expected = new Float32Array(planes * h * s * w * s);
    for (let p = 0; p < planes; p++) {
      for (let i = 0; i < h * s; i++) {
        for (let j = 0; j < w * s; j++) expected[(p * h * s + i) * w * s + j] = src[(p * h + Math.floor(i / s)) * w + Math.floor(j / s)];
      }
    }
    const spy = jest.spyOn(elementwiseWasm, 'upsampleInKernelMemory');
    try {
      const results = await onOneAndTwoThreads(() => {
        const dst = inKernel(new Float32Array(expected.length + 4).fill(7)); // 4 more: nothing past the end is written
        upsampleNearest({ planes, height: h, width: w, scale: s }, inKernel(src), 0, dst, 0, false);
        return Float32Array.from(dst);
      });
      for (const dst of results) {
        expect(sameBits(dst.subarray(0, expected.length), expected)).toBe(true); // copies: NaN and −0 too
        expect(Array.from(dst.subarray(expected.length))).toEqual([7, 7, 7, 7]);
      }
      expect(spy.mock.results.every((r) => r.value === true)).toBe(true);
      expect(splitInTwo('upsample_nearest_rows')).toBe(planes * h * w * s * s >= pool.PARALLEL_FLOATS);
    } finally {
      spy.mockRestore();
    }
  });

  /** normForward on kernel-memory arrays (in place when `inPlace`) against the same call on ordinary arrays. */
  async function checkNorm(layout: NormLayout, size: number, inPlace: boolean): Promise<void> {
    const x = random(size, 4).map((v) => v + 40);
    x[3] = -0;
    const gamma = random(layout.affineCount, 1), beta = random(layout.affineCount, 1);
    const groups = layout.outer * layout.channels;
    const imperative = new Float32Array(size), mean = new Float64Array(groups), variance = new Float64Array(groups);
    normForward(x, 0, imperative, 0, layout, mean, variance, 1e-5, gamma, beta, 'relu');
    const spy = jest.spyOn(normWasm, 'normalizeInKernelMemory');
    try {
      const results = await onOneAndTwoThreads(() => {
        const input = inKernel(x), out = inPlace ? input : inKernel(new Float32Array(size));
        const m = new Float64Array(groups), v = new Float64Array(groups);
        normForward(input, 0, out, 0, layout, m, v, 1e-5, gamma, beta, 'relu');
        return { out: Float32Array.from(out), m, v };
      });
      for (const result of results) {
        expect(sameBits(result.out, imperative)).toBe(true);
        expect([result.m, result.v]).toEqual([mean, variance]);
      }
      expect(spy.mock.results.every((r) => r.value === true)).toBe(true);
    } finally {
      spy.mockRestore();
    }
  }

  it('InstanceNorm NCHW with a fused ReLU: the imperative bits on 1 and 2 threads, within rounding of the float64 reference', async () => {
    const shape = [2, 8, 67, 71]; // runs of 4757: vector tails; 76,112 values: split across threads
    const layout = instanceNormLayout(shape, 1);
    await checkNorm(layout, 76_112, false);
    await checkNorm(layout, 76_112, true);
    expect(splitInTwo('norm_runs_sums') && splitInTwo('norm_runs_apply')).toBe(true);
    const x = random(76_112, 3), gamma = random(8, 1), beta = random(8, 1);
    const out = inKernel(new Float32Array(76_112));
    normForward(inKernel(x), 0, out, 0, layout, new Float64Array(16), new Float64Array(16), 1e-5, gamma, beta);
    const expected = referenceNorm(x, { shape, keepAxes: [0, 1], affineAxis: 1, eps: 1e-5, gamma, beta });
    expectCloseElementwise(out, expected.out, 'out', 2 ** -22);
  });

  it('BatchNorm axis 1 (groups of several runs, summed in order): the imperative bits', async () => {
    await checkNorm(batchNormLayout([3, 4, 16, 20], 1), 3840, false);
  });

  it('layouts other than runs, and runs longer than a chunk, take the other paths', () => {
    const spy = jest.spyOn(normWasm, 'normalizeInKernelMemory');
    try {
      const rows = layerNormLayout([4, 300], -1);
      const x = inKernel(random(1200)), out = inKernel(new Float32Array(1200));
      normForward(x, 0, out, 0, rows, new Float64Array(4), new Float64Array(4), 1e-5, random(300, 1), random(300, 1));
      const long = instanceNormLayout([1, 1, 1025, 1024], 1); // one run of 2^20 + 1024 values
      const big = inKernel(random(1025 * 1024)), bigOut = inKernel(new Float32Array(1025 * 1024));
      const mean = new Float64Array(1), variance = new Float64Array(1);
      normForward(big, 0, bigOut, 0, long, mean, variance, 1e-5, Float32Array.of(1), Float32Array.of(0));
      expect(spy.mock.results.map((r) => r.value)).toEqual([false, false]);
      expect(Math.abs(mean[0] - big.reduce((s, v) => s + v, 0) / big.length)).toBeLessThan(1e-9);
    } finally {
      spy.mockRestore();
    }
  });
});
