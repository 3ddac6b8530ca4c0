/**
 * A browser page's checks of the compute runtime, bundled by run_browser_tests.ts and run on a
 * page's main thread: `await tsgluon.ready()`, then a GEMM and a convolution against float64
 * references (gemm.ts's bound for the reduction length), computed on one thread and on all of
 * them, which must give the same bits. The results go to `globalThis.runtimeChecks` for the
 * runner to read; nothing here asserts, so the runner reports every finding.
 */
import * as tsgluon from '../../src';
import { NaiveConv, makeRng, naiveConv, randomArray, worstError } from '../helpers/naive_dense';

const { nd } = tsgluon;

/** What the runner reads. */
export interface RuntimeChecks {
  /** runtimeInfo() before ready(): what the synchronous start gives. */
  before: tsgluon.RuntimeInfo;
  after: tsgluon.RuntimeInfo;
  /** Worst error over the bound (≤ 1 passes), and whether 1 and all threads agree bit for bit. */
  gemm: { worstOverBound: number; sameBitsAcrossThreads: boolean; msOneThread: number; msAllThreads: number };
  conv: { worstOverBound: number; sameBitsAcrossThreads: boolean };
  /** `name: message` of what nd.save throws in the page. */
  saveError: string;
  error?: string;
}

const productErrorFactor = (k: number) => (Math.min(k, 256) + Math.ceil(k / 256) + 2) * 2 ** -24;

function sameBits(x: Float32Array, y: Float32Array): boolean {
  const a = new Uint32Array(x.buffer, x.byteOffset, x.length), b = new Uint32Array(y.buffer, y.byteOffset, y.length);
  return a.length === b.length && a.every((bits, i) => bits === b[i]);
}

/** Runs `compute` on one thread and on `threads`, returning both results and times. */
function onOneAndAll(threads: number, compute: () => Float32Array) {
  tsgluon.setNumThreads(1);
  let start = performance.now();
  const one = compute();
  const msOneThread = performance.now() - start;
  tsgluon.setNumThreads(threads);
  start = performance.now();
  const all = compute();
  return { one, all, msOneThread, msAllThreads: performance.now() - start };
}

function checkGemm(threads: number): RuntimeChecks['gemm'] {
  const [m, k, n] = [300, 517, 290];
  const rng = makeRng(7);
  const a = randomArray(m * k, rng), b = randomArray(k * n, rng);
  const x = nd.array(a, { shape: [m, k] }), y = nd.array(b, { shape: [k, n] });
  const { one, all, msOneThread, msAllThreads } = onOneAndAll(threads, () => Float32Array.from(nd.dot(x, y).data));
  let worst = 0;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0, scale = 0;
      for (let t = 0; t < k; t++) {
        sum += a[i * k + t] * b[t * n + j];
        scale += Math.abs(a[i * k + t] * b[t * n + j]);
      }
      worst = Math.max(worst, Math.abs(all[i * n + j] - sum) / (productErrorFactor(k) * scale + 1e-30));
    }
  }
  return { worstOverBound: worst, sameBitsAcrossThreads: sameBits(one, all), msOneThread, msAllThreads };
}

function checkConv(threads: number): RuntimeChecks['conv'] {
  const p: NaiveConv = {
    batch: 1, inChannels: 16, outChannels: 24, inSize: [40, 44], kernel: [3, 3], strides: [1, 1],
    padding: [1, 1], dilation: [1, 1], groups: 1, channelsLast: false,
  };
  const rng = makeRng(11);
  const x = randomArray(16 * 40 * 44, rng), w = randomArray(24 * 16 * 9, rng), bias = randomArray(24, rng);
  const options = { kernel: [3, 3], numFilter: 24, pad: [1, 1] };
  const { one, all } = onOneAndAll(threads, () => Float32Array.from(
    nd.Convolution(nd.array(x, { shape: [1, 16, 40, 44] }), nd.array(w, { shape: [24, 16, 3, 3] }), nd.array(bias), options).data));
  return { worstOverBound: worstError(all, naiveConv(p, x, w, bias), productErrorFactor(16 * 9)), sameBitsAcrossThreads: sameBits(one, all) };
}

async function main(): Promise<RuntimeChecks> {
  const before = tsgluon.runtimeInfo();
  const after = await tsgluon.ready();
  return { before, after, gemm: checkGemm(after.numThreads), conv: checkConv(after.numThreads), saveError: saveErrorText() };
}

function saveErrorText(): string {
  try {
    nd.save('/tmp/x.params', nd.ones([2]));
    return 'no error';
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}

const page = globalThis as { runtimeChecks?: Promise<RuntimeChecks> };
page.runtimeChecks = main().catch((error: unknown) => ({ error: String((error as Error)?.stack ?? error) } as RuntimeChecks));
