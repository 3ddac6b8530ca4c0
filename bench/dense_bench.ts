/**
 * Dense compute: single-precision GEMM 256³ and Conv2D (1, 64, 56, 56) → 64 channels, 3×3,
 * padding 1 (a ResNet stage-1 layer), through the CPU kernels with preallocated buffers, next
 * to TensorFlow.js's CPU backend (`tf.matMul`, `tf.conv2d`) on the same work when it is
 * installed (a devDependency, loaded lazily: without it the peer rows say "not measured").
 *
 * Throughput is 2·M·N·K flops per call (for the convolution M = out channels, N = output
 * pixels, K = in channels · kernel taps). Ours and the peer are timed alternately, call by call,
 * with a copy of the inputs' bytes, so a busy machine slows all of them alike and the speedup
 * stays meaningful. Bar: ≥ 2× TensorFlow.js CPU on both.
 *
 * Run alone: `npx ts-node bench/dense_bench.ts`; `npm run bench` includes it.
 */
import { performance } from 'perf_hooks';
import { gemm } from '../src/kernels/cpu/gemm';
import { ConvParams, convForward } from '../src/kernels/cpu/conv';
import { BenchResult, measureAllocatedBytes, median, randomData } from './bench_util';

const WARMUP = 2;
const REPETITIONS = 9;

/** One way of doing a piece of work: a row of the table. */
interface Contender {
  name: string;
  variant: string;
  run: () => void;
  /** Bytes one call allocates (measured before timing). */
  allocatedBytes: number;
  note: string;
  peer: boolean;
}

interface Work {
  variant: string;
  flops: number;
  /** Elements of the inputs (the copy baseline) and of the output. */
  inputElements: number;
  outputElements: number;
}

const S = 256;
const GEMM: Work = { variant: `GEMM ${S}x${S}x${S}`, flops: 2 * S ** 3, inputElements: 2 * S * S, outputElements: S * S };
const CONV: Work = {
  variant: 'Conv2D (1, 64, 56, 56) -> 64, 3x3, pad 1',
  flops: 2 * 64 * 56 * 56 * 64 * 9,
  inputElements: 64 * 56 * 56 + 64 * 64 * 9,
  outputElements: 64 * 56 * 56,
};
const CONV_PARAMS: ConvParams = {
  batch: 1, inChannels: 64, outChannels: 64, inSize: [56, 56], kernel: [3, 3], strides: [1, 1], padding: [1, 1],
  dilation: [1, 1], groups: 1, channelsLast: false,
};

/** Runs the dense benchmarks; each row's note gives GFLOP/s and, for ours, the speedup over the peer. */
export async function runDenseBench(): Promise<BenchResult[]> {
  const a = randomData(S * S, 1), b = randomData(S * S, 2);
  const x = randomData(64 * 56 * 56, 3), w = randomData(64 * 64 * 9, 4);
  const tf = await tensorflowPeers(a, b, x, w);
  const gemmRows = measure(GEMM, [ourGemm(a, b), ...tf.gemm]);
  const convRows = measure(CONV, [ourConv(x, w, false), ourConv(toChannelsLast(x, 64, 56 * 56), toChannelsLastWeight(w), true), ...tf.conv]);
  tf.dispose();
  return [...gemmRows, ...convRows, ...tf.failures];
}

/** Times the contenders and a copy of the inputs alternately; rows carry GFLOP/s and speedups. */
function measure(work: Work, contenders: Contender[]): BenchResult[] {
  const source = new Float32Array(work.inputElements).fill(1);
  const destination = new Float32Array(work.inputElements);
  const fns = [() => destination.set(source), ...contenders.map((c) => c.run)];
  for (let i = 0; i < WARMUP; i++) fns.forEach((fn) => fn());
  const times: number[][] = fns.map(() => []);
  for (let r = 0; r < REPETITIONS; r++) {
    fns.forEach((fn, k) => {
      const start = performance.now();
      fn();
      times[k].push(performance.now() - start);
    });
  }
  const [copyMs, ...medians] = times.map(median);
  const peerMs = medians.find((_, i) => contenders[i].peer);
  return contenders.map((c, i) => {
    const ms = medians[i];
    const speedup = !c.peer && peerMs !== undefined ? `; ${(peerMs / ms).toFixed(2)}x tfjs-backend-cpu` : '';
    return {
      name: c.name, variant: c.variant, medianMs: ms, copyMs, ratio: ms / copyMs, allocatedBytes: c.allocatedBytes,
      outputBytes: work.outputElements * 4, note: `${(work.flops / (ms * 1e6)).toFixed(2)} GFLOP/s${speedup}${c.note}`,
    };
  });
}

function ourGemm(a: Float32Array, b: Float32Array): Contender {
  const c = new Float32Array(S * S);
  const run = () => gemm(false, false, S, S, S, 1, a, 0, S, b, 0, S, 0, c, 0, S);
  run();
  return { name: 'kernel gemm', variant: GEMM.variant, run, allocatedBytes: measureAllocatedBytes(run), note: '', peer: false };
}

function ourConv(x: Float32Array, w: Float32Array, channelsLast: boolean): Contender {
  const params = { ...CONV_PARAMS, channelsLast };
  const out = new Float32Array(CONV.outputElements);
  const bias = new Float32Array(64).fill(0.1);
  const run = () => convForward(params, x, 0, w, 0, bias, 0, out, 0);
  run();
  const variant = `${CONV.variant} ${channelsLast ? 'NHWC' : 'NCHW'}`;
  return { name: 'kernel convForward', variant, run, allocatedBytes: measureAllocatedBytes(run), note: '', peer: false };
}

/** The peer contenders, or rows saying why TensorFlow.js could not be measured. */
async function tensorflowPeers(a: Float32Array, b: Float32Array, x: Float32Array, w: Float32Array): Promise<{
  gemm: Contender[]; conv: Contender[]; failures: BenchResult[]; dispose: () => void;
}> {
  const name = 'tfjs-backend-cpu';
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const ta = tf.tensor2d(a, [S, S]), tb = tf.tensor2d(b, [S, S]);
    const tx = tf.tensor4d(toChannelsLast(x, 64, 56 * 56), [1, 56, 56, 64]);
    // TF.js filters are (kh, kw, in, out).
    const tw = tf.tidy(() => tf.transpose(tf.tensor4d(w, [64, 64, 3, 3]), [2, 3, 1, 0]));
    const matMul = () => tf.matMul(ta, tb);
    const conv = () => tf.conv2d(tx, tw, 1, 'same');
    const peer = (variant: string, op: () => { dispose(): void }, note: string): Contender => ({
      name, variant, run: () => op().dispose(), allocatedBytes: measureAllocatedBytes(op, (t) => t.dispose()), note, peer: true,
    });
    return {
      gemm: [peer(GEMM.variant, matMul, '; peer')],
      conv: [peer(CONV.variant, conv, '; peer (NHWC)')],
      failures: [],
      dispose: () => [ta, tb, tx, tw].forEach((t) => t.dispose()),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    const failures = [GEMM, CONV].map((work) => ({
      name, variant: work.variant, medianMs: NaN, copyMs: NaN, ratio: NaN, allocatedBytes: NaN,
      outputBytes: work.outputElements * 4, note: `not measured: ${message}`,
    }));
    return { gemm: [], conv: [], failures, dispose: () => undefined };
  }
}

/** (C, P) channels-first → (P, C) channels-last. */
function toChannelsLast(data: Float32Array, channels: number, positions: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let c = 0; c < channels; c++) for (let p = 0; p < positions; p++) out[p * channels + c] = data[c * positions + p];
  return out;
}

/** Weight (O, I, 3, 3) → (O, 3, 3, I), the channels-last convolution weight layout. */
function toChannelsLastWeight(w: Float32Array): Float32Array {
  const out = new Float32Array(w.length);
  for (let o = 0; o < 64; o++) out.set(toChannelsLast(w.subarray(o * 576, (o + 1) * 576), 64, 9), o * 576);
  return out;
}

if (require.main === module) {
  void (async () => {
    const { formatTable } = await import('./bench_util');
    console.log(formatTable(await runDenseBench()));
  })();
}
