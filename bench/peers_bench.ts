/**
 * tsgluon beside its JavaScript peers on the same work (issue 11, "Measured in npm run bench"):
 *
 * - **GEMM** 256³, 512³ and 1024³ (C = A·B, row-major float32): tsgluon's public `nd.dot(a, b)`
 *   (allocates its result) and the kernel `gemm` (preallocated output), beside TensorFlow.js
 *   `tf.matMul` on the wasm backend and on the cpu backend (`dataSync()` forces completion and
 *   copies the result out).
 * - **The convolutions of the style-transfer network** (examples/style_transfer_net.ts,
 *   `TransformerNet`, at a 1×3×256×256 input): its seven distinct Conv2D shapes once each, on the
 *   reflection-padded input the layer sees (so padding 0), with bias: tsgluon's kernel
 *   `convForward` (NCHW, preallocated output) beside `tf.fused.conv2d` with bias on the wasm
 *   backend (NHWC, the layout TensorFlow.js has). A last row sums each shape's time times its
 *   number of occurrences in the network (15 convolutions, ≈ 20.2 GFLOP).
 * - **The style-transfer network forward**, 1×3×256×256: tsgluon imperative and hybridized
 *   (`net.hybridize()`, a second net loaded with the first one's parameters), beside
 *   onnxruntime-web (wasm backend, 1 and 2 threads) and onnxruntime-node (native CPU execution
 *   provider, 1 and 2 intra-op threads) on an ONNX export of the same network with the same
 *   weights. The tsgluon net is initialized with Xavier weights and random biases, InstanceNorm
 *   gammas and betas (so that every parameter matters), its parameters are written to a temporary
 *   directory (raw float32 plus a JSON list of names and shapes), and bench/export_style_onnx.py
 *   rebuilds the architecture in PyTorch (Debian's python3-torch), loads them and runs
 *   `torch.onnx.export` (opset 13: Pad reflect, Conv, InstanceNormalization, Relu, Resize
 *   nearest, Add) into that directory, removed afterwards. Every other row's note gives the largest
 *   absolute difference of its output from tsgluon's imperative output, so it is the same work.
 *   Without python3-torch (`apt-get install python3-torch`) the onnxruntime rows say "not
 *   measured".
 *
 * Peers, loaded lazily (a missing one gives "not measured" rows with the reason):
 * @tensorflow/tfjs-core, -backend-cpu and -backend-wasm 4.22.0; onnxruntime-web 1.31;
 * onnxruntime-node (1.30 when measured; not a devDependency, because its install script
 * downloads CUDA binaries from api.nuget.org: install it with
 * `ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node`, its CPU binaries come
 * in the npm package).
 *
 * Threads: TensorFlow.js's wasm backend runs its single-threaded SIMD binary in Node (its
 * `WASM_HAS_MULTITHREAD_SUPPORT` flag is false under Node, and forcing it fails: the threaded
 * binary starts its workers from `blob:` URLs, which Node's `Worker` refuses), so its rows say
 * 1 thread (`getThreadsCount()`). onnxruntime-web fixes its thread count when its wasm module
 * first loads, so each thread count runs in its own `worker_threads` Worker (its own module
 * instance, whose pthreads are nested workers); onnxruntime-node takes `intraOpNumThreads` per
 * session. tsgluon's rows run at 1 and 2 threads when tsgluon exports `setNumThreads`
 * (checked at run time, after `await tsgluon.ready()` when that is exported; the notes quote
 * `runtimeInfo()`), otherwise once, single-threaded, with a note. Rows with more than one thread
 * also give the speedup over the same contender's 1-thread row and CPU/wall, the median CPU time
 * of the process over the median wall time: well below 2 on a 2-thread row means the second core
 * did not work for it (busy with another process, or the runtime did not use it).
 *
 * Timing: as in dense_bench.ts, every contender and a copy of the work's input bytes
 * (`Float32Array.prototype.set`; for the network, the image and all parameters) run alternately,
 * round by round, so a busy machine slows all alike; rows give the median wall time, its ratio
 * to the copy, and the ratio of median CPU times (all threads of the process: a 2-thread row
 * uses up to twice its wall time). Per-call thread or backend selection happens untimed before
 * each call. Repetitions are few to keep this file near 2–3 minutes on a 2-core machine: GEMM
 * 256³ 2 warm-ups + 9 timed, 512³ 1 + 5, 1024³ 1 + 3, convolutions 1 + 3, the network 1 + 3
 * (a tsgluon forward takes seconds). Allocated bytes are not measured here (each measurement
 * would cost three more calls). Ours-vs-peer notes are speedups: "0.50x tfjs-backend-wasm" means
 * half its speed.
 *
 * Run alone: `npx tsc -p tsconfig.bench.json && node build/bench/bench/peers_bench.js`;
 * `npm run bench` includes it.
 */
import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import { Worker } from 'worker_threads';
import type * as OrtModule from 'onnxruntime-web';
import * as tsgluon from '../src';
import { nd, random } from '../src';
import { ConvParams, convForward } from '../src/kernels/cpu/conv';
import { gemm } from '../src/kernels/cpu/gemm';
import { TransformerNet } from '../examples/style_transfer_net';
import { BenchResult, median, randomData } from './bench_util';

type Ort = typeof OrtModule;
type Tf = typeof import('@tensorflow/tfjs-core');

/** One way of doing a piece of work: a row of the table. */
interface Contender {
  name: string;
  threads: number;
  /** Untimed, before every call: selects the thread count or the TensorFlow.js backend. */
  prepare?: () => unknown;
  /** One call; a returned promise is awaited inside the timing. */
  run: () => unknown;
  note: string;
  /** tsgluon's rows get a speedup over the work's reference peer. */
  ours: boolean;
}

interface Work {
  variant: string;
  flops: number;
  /** Elements of the inputs (the copy baseline) and of the output. */
  inputElements: number;
  outputElements: number;
  warmup: number;
  repetitions: number;
  /** Name of the peer whose 1-thread time tsgluon's rows are compared with. */
  reference: string;
}

const TFJS_WASM = 'tfjs-backend-wasm';
const TFJS_CPU = 'tfjs-backend-cpu';
const ORT_WEB = 'onnxruntime-web (wasm)';
const ORT_NODE = 'onnxruntime-node (native CPU)';
/** Thread counts of the threaded rows (this is a 2-core bench machine). */
const THREAD_COUNTS = [1, 2];
const IMAGE = 256;

/** tsgluon's thread control, when it has one. */
interface Threads {
  counts: number[];
  select: (n: number) => unknown;
  /** Appended to tsgluon's notes. */
  note: string;
  restore: () => unknown;
}

/** Runs the peer comparisons. */
export async function runPeersBench(): Promise<BenchResult[]> {
  const exported = tsgluon as Record<string, unknown>;
  const ready = exported.ready;
  if (typeof ready === 'function') await ready();
  const threads = tsgluonThreads(exported);
  const tf = await loadTensorflow();
  const results: BenchResult[] = [];
  try {
    for (const [size, warmup, repetitions] of [[256, 2, 9], [512, 1, 5], [1024, 1, 7]]) {
      results.push(...(await gemmRows(size, warmup, repetitions, threads, tf)));
    }
    results.push(...(await convRows(threads, tf)));
    results.push(...(await networkRows(threads)));
  } finally {
    threads.restore();
  }
  return results;
}

function tsgluonThreads(exported: Record<string, unknown>): Threads {
  const { setNumThreads, getNumThreads, runtimeInfo } = exported;
  const runtime = () => (typeof runtimeInfo === 'function' ? (runtimeInfo() as Record<string, unknown>) : undefined);
  if (typeof setNumThreads !== 'function') {
    return { counts: [1], select: () => undefined, note: '; 1 thread only: tsgluon exports no setNumThreads', restore: () => undefined };
  }
  const before = typeof getNumThreads === 'function' ? Number(getNumThreads()) : os.cpus().length;
  setNumThreads(Math.max(...THREAD_COUNTS));
  const info = runtime();
  setNumThreads(before);
  const note = info === undefined ? '' : `; tsgluon SIMD ${info.simd ? 'on' : 'off'}${info.relaxedSimd ? ' (relaxed)' : ''}, ${info.readyThreads} threads ready`;
  return { counts: THREAD_COUNTS, select: (n) => setNumThreads(n), note, restore: () => setNumThreads(before) };
}

/** Times the contenders and a copy of the inputs alternately. */
async function measure(work: Work, contenders: Contender[], failures: BenchResult[] = []): Promise<BenchResult[]> {
  const source = new Float32Array(work.inputElements).fill(1);
  const destination = new Float32Array(work.inputElements);
  const all: Contender[] = [{ name: 'copy', threads: 1, run: () => destination.set(source), note: '', ours: false }, ...contenders];
  const once = async (c: Contender): Promise<[number, number]> => {
    await c.prepare?.();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await c.run();
    const wall = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    return [wall, (cpu.user + cpu.system) / 1000];
  };
  for (let i = 0; i < work.warmup; i++) for (const c of all) await once(c);
  const wall: number[][] = all.map(() => []);
  const cpu: number[][] = all.map(() => []);
  for (let r = 0; r < work.repetitions; r++) {
    for (const [k, c] of all.entries()) {
      const [w, u] = await once(c);
      wall[k].push(w);
      cpu[k].push(u);
    }
  }
  const [copyMs, ...medians] = wall.map(median);
  const [copyCpu, ...cpuMedians] = cpu.map(median);
  const msOf = (name: string, threads: number) => medians.find((_, i) => contenders[i].name === name && contenders[i].threads === threads);
  const referenceMs = msOf(work.reference, 1);
  const rows = contenders.map((c, i): BenchResult => {
    const ms = medians[i];
    const notes = [`${(work.flops / (ms * 1e6)).toFixed(2)} GFLOP/s`];
    if (c.ours && referenceMs !== undefined) notes.push(`${(referenceMs / ms).toFixed(2)}x ${work.reference} 1 thread`);
    const oneThreadMs = c.threads > 1 ? msOf(c.name, 1) : undefined;
    if (oneThreadMs !== undefined) notes.push(`${(oneThreadMs / ms).toFixed(2)}x its 1-thread time`);
    // Below 2 on a 2-thread row, the second core was busy with something else (or the runtime did not use it).
    if (c.threads > 1) notes.push(`CPU/wall ${(cpuMedians[i] / ms).toFixed(2)}`);
    return {
      name: c.name, variant: `${work.variant}, ${c.threads} thread${c.threads > 1 ? 's' : ''}`, medianMs: ms, copyMs, ratio: ms / copyMs,
      cpuRatio: cpuMedians[i] / copyCpu, allocatedBytes: NaN, outputBytes: work.outputElements * 4, note: notes.join('; ') + c.note,
    };
  });
  return [...rows, ...failures];
}

function notMeasured(name: string, work: Work, reason: string): BenchResult {
  return {
    name, variant: work.variant, medianMs: NaN, copyMs: NaN, ratio: NaN, allocatedBytes: NaN,
    outputBytes: work.outputElements * 4, note: `not measured: ${reason}`,
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}

// ---------------------------------------------------------------------------------------------
// TensorFlow.js

interface TfPeers {
  tf?: Tf;
  /** Backends that loaded, with a note for their rows. */
  backends: Map<string, string>;
  /** Why a backend did not load. */
  failures: Map<string, string>;
}

async function loadTensorflow(): Promise<TfPeers> {
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
async function tfContender(
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

async function gemmRows(size: number, warmup: number, repetitions: number, threads: Threads, tf: TfPeers): Promise<BenchResult[]> {
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

const CONV_SHAPES: ConvShape[] = [
  { label: 'first', inChannels: 3, outChannels: 32, kernel: 9, stride: 1, size: IMAGE, count: 1 },
  { label: 'down 1', inChannels: 32, outChannels: 64, kernel: 3, stride: 2, size: IMAGE, count: 1 },
  { label: 'down 2', inChannels: 64, outChannels: 128, kernel: 3, stride: 2, size: IMAGE / 2, count: 1 },
  { label: 'residual', inChannels: 128, outChannels: 128, kernel: 3, stride: 1, size: IMAGE / 4, count: 10 },
  { label: 'up 1 (after x2 upsampling)', inChannels: 128, outChannels: 64, kernel: 3, stride: 1, size: IMAGE / 2, count: 1 },
  { label: 'up 2 (after x2 upsampling)', inChannels: 64, outChannels: 32, kernel: 3, stride: 1, size: IMAGE, count: 1 },
  { label: 'last', inChannels: 32, outChannels: 3, kernel: 9, stride: 1, size: IMAGE, count: 1 },
];

async function convRows(threads: Threads, tf: TfPeers): Promise<BenchResult[]> {
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
const NET_CONV_FLOPS = CONV_SHAPES.reduce((sum, { inChannels: ci, outChannels: co, kernel: k, stride: s, size, count }) => {
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

// ---------------------------------------------------------------------------------------------
// The style-transfer network

async function networkRows(threads: Threads): Promise<BenchResult[]> {
  random.seed(0);
  const net = new TransformerNet();
  net.initialize('xavier');
  const params = [...net.collectParams().entries()];
  let seed = 100;
  for (const [name, param] of params) {
    const shape = [...(param.shape ?? [])];
    if (shape.length !== 1) continue;
    // Biases and betas in [−0.1, 0.1), gammas in [0.5, 1.5): every parameter changes the output.
    const values = randomData(shape[0], seed++).map((v) => (name.endsWith('_gamma') ? 1 + v : 0.2 * v));
    param.setData(nd.array(values, { shape }));
  }
  const parameterCount = params.reduce((sum, [, p]) => sum + p.data().size, 0);
  const hybrid = new TransformerNet();
  hybrid.loadParameters(net.saveParametersBytes());
  hybrid.hybridize();
  const inputShape = [1, 3, IMAGE, IMAGE];
  const image = randomData(3 * IMAGE * IMAGE, 7).map((v) => v + 0.5);
  const x = nd.array(image, { shape: inputShape });
  const work: Work = {
    variant: `TransformerNet forward (1, 3, ${IMAGE}, ${IMAGE})`, flops: NET_CONV_FLOPS, inputElements: image.length + parameterCount,
    outputElements: image.length, warmup: 1, repetitions: 3, reference: ORT_WEB,
  };
  threads.select(1);
  const expected = net(x).data;
  const largest = expected.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  const diffNote = (output: ArrayLike<number>) => `; max |diff| vs tsgluon imperative ${maxAbsDiff(output, expected).toExponential(1)} (max |y| ${largest.toFixed(2)})`;
  const hybridDiff = diffNote(hybrid(x).data);
  const repetitionsNote = `; ${work.warmup} warm-up + ${work.repetitions} timed; GFLOP/s of the convolutions' ${(NET_CONV_FLOPS / 1e9).toFixed(1)} GFLOP`;
  const contenders: Contender[] = [];
  for (const n of threads.counts) {
    contenders.push({ name: 'tsgluon TransformerNet', threads: n, prepare: () => threads.select(n), run: () => net(x), note: `${repetitionsNote}${threads.note}`, ours: true });
    contenders.push({
      name: 'tsgluon TransformerNet hybridized', threads: n, prepare: () => threads.select(n), run: () => hybrid(x),
      note: `${hybridDiff}${repetitionsNote}${threads.note}`, ours: true,
    });
  }
  const failures: BenchResult[] = [];
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  try {
    const exported = exportOnnx(params.map(([name, p]) => ({ name, shape: [...(p.shape ?? [])], data: p.data().data })));
    cleanups.push(exported.cleanup);
    if (exported.error !== undefined) {
      failures.push(notMeasured(ORT_WEB, work, exported.error), notMeasured(ORT_NODE, work, exported.error));
    } else {
      const model = exported.model;
      for (const n of THREAD_COUNTS) {
        try {
          const worker = await OrtWebWorker.start(n, model, image, inputShape);
          cleanups.push(() => worker.close());
          contenders.push({ name: ORT_WEB, threads: n, run: () => worker.run(false), note: `${diffNote(await worker.run(true))}${worker.note}${repetitionsNote}`, ours: false });
        } catch (error) {
          failures.push(notMeasured(ORT_WEB, { ...work, variant: `${work.variant}, ${n} threads` }, errorMessage(error)));
        }
      }
      let ort: Ort | undefined;
      try {
        ort = loadOrtNode();
      } catch (error) {
        failures.push(notMeasured(ORT_NODE, work, `${errorMessage(error)} (install: ONNXRUNTIME_NODE_INSTALL=skip npm install --no-save onnxruntime-node)`));
      }
      if (ort !== undefined) {
        const input = new ort.Tensor('float32', image, inputShape);
        for (const n of THREAD_COUNTS) {
          const session = await ort.InferenceSession.create(model, { intraOpNumThreads: n, interOpNumThreads: 1, executionMode: 'sequential' });
          cleanups.push(() => session.release());
          const output = (await session.run({ x: input })).y.data as Float32Array;
          const version = ortNodeVersion();
          contenders.push({ name: ORT_NODE, threads: n, run: () => session.run({ x: input }), note: `${diffNote(output)}; onnxruntime-node ${version}, intraOpNumThreads ${n}${repetitionsNote}`, ours: false });
        }
      }
    }
    return await measure(work, contenders, failures);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** Writes the parameters and runs export_style_onnx.py; the model path, or why there is none. */
function exportOnnx(params: { name: string; shape: number[]; data: Float32Array }[]): { model: string; error?: string; cleanup: () => void } {
  const script = findScript('export_style_onnx.py');
  const python = ['/usr/bin/python3', 'python3'].find((candidate) => spawnSync(candidate, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
  if (script === undefined) return { model: '', error: 'bench/export_style_onnx.py not found', cleanup: () => undefined };
  if (python === undefined) return { model: '', error: 'no python3 with torch to export the ONNX model (apt-get install python3-torch)', cleanup: () => undefined };
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-style-onnx-'));
  const cleanup = () => fs.rmSync(directory, { recursive: true, force: true });
  fs.writeFileSync(path.join(directory, 'weights.json'), JSON.stringify(params.map(({ name, shape }) => ({ name, shape }))));
  const flat = new Float32Array(params.reduce((sum, p) => sum + p.data.length, 0));
  let offset = 0;
  for (const p of params) {
    flat.set(p.data, offset);
    offset += p.data.length;
  }
  fs.writeFileSync(path.join(directory, 'weights.bin'), new Uint8Array(flat.buffer));
  const result = spawnSync(python, [script, directory, String(IMAGE), String(IMAGE)], { encoding: 'utf8', timeout: 300_000 });
  if (result.status !== 0) {
    const lines = `${result.stderr ?? ''}${result.error?.message ?? ''}`.trim().split('\n');
    return { model: '', error: `export_style_onnx.py failed: ${lines[lines.length - 1]}`, cleanup };
  }
  return { model: path.join(directory, 'style.onnx'), cleanup };
}

/** `name` in bench/, searched upwards from this file (it runs from bench/ or build/bench/bench/). */
function findScript(name: string): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    for (const candidate of [path.join(dir, name), path.join(dir, 'bench', name)]) if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** onnxruntime-node, not a devDependency (see the doc comment), so loaded by a name the compiler does not resolve. */
function loadOrtNode(): Ort {
  const name: string = 'onnxruntime-node';
  return require(name) as Ort;
}

function ortNodeVersion(): string {
  try {
    const name: string = 'onnxruntime-node/package.json';
    return String((require(name) as { version?: unknown }).version);
  } catch {
    return '?';
  }
}

/**
 * onnxruntime-web in a worker thread of its own: its wasm module takes `env.wasm.numThreads` once,
 * when it loads, so two thread counts need two module instances. Calls go one at a time.
 */
class OrtWebWorker {
  private constructor(private readonly worker: Worker, readonly note: string) {}

  static async start(threads: number, model: string, image: Float32Array, shape: number[]): Promise<OrtWebWorker> {
    const ortPath = require.resolve('onnxruntime-web');
    const worker = new Worker(ORT_WEB_WORKER, { eval: true, workerData: { ortPath, threads, model, image, shape } });
    try {
      const reply = await request(worker, { type: 'init' });
      return new OrtWebWorker(worker, `; onnxruntime-web ${reply.version}, env.wasm.numThreads ${reply.threads} (SIMD threaded build), in a worker_threads Worker`);
    } catch (error) {
      await worker.terminate();
      throw error;
    }
  }

  async run(wantOutput: boolean): Promise<Float32Array> {
    return (await request(this.worker, { type: 'run', wantOutput })).output ?? new Float32Array(0);
  }

  async close(): Promise<void> {
    try {
      await request(this.worker, { type: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }
}

interface WorkerReply {
  type: string;
  message?: string;
  version?: string;
  threads?: number;
  output?: Float32Array;
}

function request(worker: Worker, message: object): Promise<WorkerReply> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: WorkerReply) => {
      cleanup();
      if (reply.type === 'error') reject(new Error(reply.message));
      else resolve(reply);
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const cleanup = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(message);
  });
}

/** The worker's code (plain JavaScript, evaluated: it needs no file of its own in build/). */
const ORT_WEB_WORKER = `
const { parentPort, workerData } = require('worker_threads');
let session, input;
parentPort.on('message', async (message) => {
  try {
    if (message.type === 'init') {
      const ort = require(workerData.ortPath);
      ort.env.wasm.numThreads = workerData.threads;
      session = await ort.InferenceSession.create(workerData.model, { executionProviders: ['wasm'] });
      input = new ort.Tensor('float32', workerData.image, workerData.shape);
      parentPort.postMessage({ type: 'ready', version: ort.env.versions.web, threads: ort.env.wasm.numThreads });
    } else if (message.type === 'run') {
      const result = await session.run({ x: input });
      parentPort.postMessage({ type: 'done', output: message.wantOutput ? result.y.data : undefined });
    } else if (message.type === 'close') {
      await session.release();
      parentPort.postMessage({ type: 'closed' });
    }
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
  }
});
`;

if (require.main === module) {
  void (async () => {
    const { formatTable } = await import('./bench_util');
    console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
    console.log(formatTable(await runPeersBench()));
  })();
}
