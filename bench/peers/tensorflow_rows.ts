/**
 * peers_bench.ts's TensorFlow.js rows: GEMM, the style-transfer network's convolutions and the
 * activations, tsgluon beside TensorFlow.js's wasm and cpu backends.
 */
import { ConvParams, convForward } from '../../src/kernels/cpu/conv';
import { gemm } from '../../src/kernels/cpu/gemm';
import { nd } from '../../src';
import { BenchResult, randomData } from '../bench_util';
import { Contender, IMAGE, TFJS_CPU, TFJS_WASM, Threads, Work, errorMessage, maxAbsDiff, measure, notMeasured } from './measure';

type Tf = typeof import('@tensorflow/tfjs-core');

// ---------------------------------------------------------------------------------------------
// TensorFlow.js

export interface TfPeers {
  tf?: Tf;
  /** Backends that loaded, with a note for their rows. */
  backends: Map<string, string>;
  /** Why a backend did not load. */
  failures: Map<string, string>;
}

export async function loadTensorflow(): Promise<TfPeers> {
  const backends = new Map<string, string>();
  const failures = new Map<string, string>();
  let tf: Tf | undefined;
  try {
    tf = await import('@tensorflow/tfjs-core');
  } catch (error) {
    failures.set(TFJS_WASM, errorMessage(error)).set(TFJS_CPU, errorMessage(error));
    return { backends, failures };
  }
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (!(await tf.setBackend('wasm'))) throw new Error("tf.setBackend('wasm') failed");
    const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    backends.set(TFJS_WASM, `; tfjs ${tf.version_core}, ${simd ? 'SIMD' : 'non-SIMD'} binary, getThreadsCount() = ${wasm.getThreadsCount()}`);
  } catch (error) {
    failures.set(TFJS_WASM, errorMessage(error));
  }
  try {
    await import('@tensorflow/tfjs-backend-cpu');
    if (!(await tf.setBackend('cpu'))) throw new Error("tf.setBackend('cpu') failed");
    backends.set(TFJS_CPU, `; tfjs ${tf.version_core}`);
  } catch (error) {
    failures.set(TFJS_CPU, errorMessage(error));
  }
  return { tf, backends, failures };
}

const BACKEND_OF: Record<string, string> = { [TFJS_WASM]: 'wasm', [TFJS_CPU]: 'cpu' };

/**
 * A TensorFlow.js contender on `peer`'s backend: `setUp` makes the input tensors there and returns
 * the op; each call runs it, reads the result back (`dataSync`) and disposes it. Also returns the
 * op's output once, for the correctness check, and a function freeing the inputs.
 */
export async function tfContender(
  tf: Tf, peer: string, note: string, setUp: () => [() => import('@tensorflow/tfjs-core').Tensor, () => void],
): Promise<{ contender: Contender; output: Float32Array; dispose: () => void }> {
  const backend = BACKEND_OF[peer];
  await tf.setBackend(backend);
  const [op, dispose] = setUp();
  const first = op();
  const output = first.dataSync() as Float32Array;
  first.dispose();
  const contender: Contender = {
    name: peer, threads: 1, prepare: () => tf.setBackend(backend), note,
    run: () => {
      const result = op();
      result.dataSync();
      result.dispose();
    },
    ours: false,
  };
  return { contender, output, dispose };
}

// ---------------------------------------------------------------------------------------------
// GEMM

export async function gemmRows(size: number, warmup: number, repetitions: number, threads: Threads, tf: TfPeers): Promise<BenchResult[]> {
  const work: Work = {
    variant: `GEMM ${size}x${size}x${size}`, flops: 2 * size ** 3, inputElements: 2 * size * size, outputElements: size * size,
    warmup, repetitions, reference: TFJS_WASM,
  };
  const a = randomData(size * size, 1), b = randomData(size * size, 2);
  const contenders: Contender[] = [];
  const A = nd.array(a, { shape: [size, size] }), B = nd.array(b, { shape: [size, size] });
  const c = new Float32Array(size * size);
  threads.select(1);
  gemm(false, false, size, size, size, 1, a, 0, size, b, 0, size, 0, c, 0, size);
  const reference = c.slice();
  const dotDiff = maxAbsDiff(nd.dot(A, B).data, reference);
  for (const n of threads.counts) {
    contenders.push({
      name: 'tsgluon nd.dot', threads: n, prepare: () => threads.select(n), run: () => nd.dot(A, B),
      note: `; max |diff| vs kernel gemm ${dotDiff.toExponential(1)}${threads.note}`, ours: true,
    });
    contenders.push({
      name: 'tsgluon kernel gemm', threads: n, prepare: () => threads.select(n),
      run: () => gemm(false, false, size, size, size, 1, a, 0, size, b, 0, size, 0, c, 0, size), note: threads.note, ours: true,
    });
  }
  const failures: BenchResult[] = [];
  const disposers: (() => void)[] = [];
  for (const peer of [TFJS_WASM, TFJS_CPU]) {
    const note = tf.backends.get(peer);
    if (tf.tf === undefined || note === undefined) {
      failures.push(notMeasured(peer, work, tf.failures.get(peer) ?? 'not loaded'));
      continue;
    }
    const t = tf.tf;
    const peerRow = await tfContender(t, peer, note, () => {
      const ta = t.tensor2d(a, [size, size]), tb = t.tensor2d(b, [size, size]);
      return [() => t.matMul(ta, tb), () => [ta, tb].forEach((x) => x.dispose())];
    });
    peerRow.contender.note = `; tf.matMul; max |diff| vs tsgluon ${maxAbsDiff(peerRow.output, reference).toExponential(1)}${note}`;
    contenders.push(peerRow.contender);
    disposers.push(peerRow.dispose);
  }
  try {
    return await measure(work, contenders, failures);
  } finally {
    disposers.forEach((dispose) => dispose());
  }
}

// ---------------------------------------------------------------------------------------------
// The convolutions of TransformerNet at a 256×256 input

interface ConvShape {
  label: string;
  inChannels: number;
  outChannels: number;
  kernel: number;
  stride: number;
  /** Height and width of the layer's input before reflection padding. */
  size: number;
  /** How many layers of the network have this shape. */
  count: number;
}

export const CONV_SHAPES: ConvShape[] = [
  { label: 'first', inChannels: 3, outChannels: 32, kernel: 9, stride: 1, size: IMAGE, count: 1 },
  { label: 'down 1', inChannels: 32, outChannels: 64, kernel: 3, stride: 2, size: IMAGE, count: 1 },
  { label: 'down 2', inChannels: 64, outChannels: 128, kernel: 3, stride: 2, size: IMAGE / 2, count: 1 },
  { label: 'residual', inChannels: 128, outChannels: 128, kernel: 3, stride: 1, size: IMAGE / 4, count: 10 },
  { label: 'up 1 (after x2 upsampling)', inChannels: 128, outChannels: 64, kernel: 3, stride: 1, size: IMAGE / 2, count: 1 },
  { label: 'up 2 (after x2 upsampling)', inChannels: 64, outChannels: 32, kernel: 3, stride: 1, size: IMAGE, count: 1 },
  { label: 'last', inChannels: 32, outChannels: 3, kernel: 9, stride: 1, size: IMAGE, count: 1 },
];

export async function convRows(threads: Threads, tf: TfPeers): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const [index, shape] of CONV_SHAPES.entries()) results.push(...(await convShapeRows(shape, index, threads, tf)));
  results.push(...convTotals(results));
  return results;
}

async function convShapeRows(shape: ConvShape, index: number, threads: Threads, tf: TfPeers): Promise<BenchResult[]> {
  const { inChannels: ci, outChannels: co, kernel: k, stride: s } = shape;
  const padded = shape.size + 2 * Math.floor(k / 2);
  const out = Math.floor((padded - k) / s) + 1;
  const work: Work = {
    variant: `Conv2D ${shape.label} (1, ${ci}, ${padded}, ${padded}) -> ${co}, ${k}x${k}/${s}, x${shape.count} in net`,
    flops: 2 * co * out * out * ci * k * k, inputElements: ci * padded * padded + co * ci * k * k, outputElements: co * out * out,
    warmup: 1, repetitions: 3, reference: TFJS_WASM,
  };
  const x = randomData(ci * padded * padded, 10 + index), w = randomData(co * ci * k * k, 20 + index), bias = randomData(co, 30 + index);
  const params: ConvParams = {
    batch: 1, inChannels: ci, outChannels: co, inSize: [padded, padded], kernel: [k, k], strides: [s, s], padding: [0, 0],
    dilation: [1, 1], groups: 1, channelsLast: false,
  };
  const y = new Float32Array(co * out * out);
  threads.select(1);
  convForward(params, x, 0, w, 0, bias, 0, y, 0);
  const reference = y.slice();
  const contenders: Contender[] = threads.counts.map((n) => ({
    name: 'tsgluon kernel convForward', threads: n, prepare: () => threads.select(n),
    run: () => convForward(params, x, 0, w, 0, bias, 0, y, 0), note: `; NCHW${threads.note}`, ours: true,
  }));
  const note = tf.backends.get(TFJS_WASM);
  if (tf.tf === undefined || note === undefined) return measure(work, contenders, [notMeasured(TFJS_WASM, work, tf.failures.get(TFJS_WASM) ?? 'not loaded')]);
  const t = tf.tf;
  const peer = await tfContender(t, TFJS_WASM, note, () => {
    const tx = t.tensor4d(toChannelsLast(x, ci, padded * padded), [1, padded, padded, ci]);
    // TF.js filters are (kh, kw, in, out).
    const tw = t.tidy(() => t.transpose(t.tensor4d(w, [co, ci, k, k]), [2, 3, 1, 0]));
    const tb = t.tensor1d(bias);
    return [() => t.fused.conv2d({ x: tx, filter: tw, strides: s, pad: 'valid', bias: tb }), () => [tx, tw, tb].forEach((v) => v.dispose())];
  });
  const diff = maxAbsDiff(toChannelsLast(reference, co, out * out), peer.output);
  peer.contender.note = `; tf.fused.conv2d with bias, NHWC; max |diff| vs tsgluon ${diff.toExponential(1)}${note}`;
  try {
    return await measure(work, [...contenders, peer.contender]);
  } finally {
    peer.dispose();
  }
}

/** Flops of the network's 15 convolutions (the rest of its work is a few percent of this). */
export const NET_CONV_FLOPS = CONV_SHAPES.reduce((sum, { inChannels: ci, outChannels: co, kernel: k, stride: s, size, count }) => {
  const out = Math.floor((size + 2 * Math.floor(k / 2) - k) / s) + 1;
  return sum + count * 2 * co * out * out * ci * k * k;
}, 0);

/** Per contender and thread count: the network's 15 convolutions, Σ count · median time. */
function convTotals(rows: readonly BenchResult[]): BenchResult[] {
  const flops = NET_CONV_FLOPS;
  const totals = new Map<string, { name: string; threads: string; ms: number; copyMs: number; shapes: number }>();
  for (const row of rows) {
    const shapeIndex = CONV_SHAPES.findIndex((shape) => row.variant.includes(`Conv2D ${shape.label} `));
    if (shapeIndex < 0 || !Number.isFinite(row.medianMs)) continue;
    const threadsLabel = row.variant.slice(row.variant.lastIndexOf(', ') + 2);
    const key = `${row.name}|${threadsLabel}`;
    const entry = totals.get(key) ?? { name: row.name, threads: threadsLabel, ms: 0, copyMs: 0, shapes: 0 };
    entry.ms += CONV_SHAPES[shapeIndex].count * row.medianMs;
    entry.copyMs += CONV_SHAPES[shapeIndex].count * row.copyMs;
    entry.shapes += 1;
    totals.set(key, entry);
  }
  return [...totals.values()].filter((t) => t.shapes === CONV_SHAPES.length).map((t) => ({
    name: t.name, variant: `all 15 Conv2D of TransformerNet at 1x3x${IMAGE}x${IMAGE}, ${t.threads}`, medianMs: t.ms, copyMs: t.copyMs,
    ratio: t.ms / t.copyMs, allocatedBytes: NaN, outputBytes: NaN,
    note: `${(flops / (t.ms * 1e6)).toFixed(2)} GFLOP/s; sum of the rows above times each shape's count (${(flops / 1e9).toFixed(1)} GFLOP)`,
  }));
}

/** (C, P) channels-first → (P, C) channels-last. */
function toChannelsLast(data: Float32Array, channels: number, positions: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let c = 0; c < channels; c++) for (let p = 0; p < positions; p++) out[p * channels + c] = data[c * positions + p];
  return out;
}
