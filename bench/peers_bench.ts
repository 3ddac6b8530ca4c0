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
 * - **Activations:** `nd.sigmoid` and `nd.tanh` of 4 M values (the kernel module, 1 and 2 threads,
 *   and the JavaScript loops it replaced) beside `tf.sigmoid` / `tf.tanh` on the wasm backend.
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
import * as tsgluon from '../src';
import { BenchResult } from './bench_util';
import { tsgluonThreads } from './peers/measure';
import { networkRows } from './peers/network_rows';
import { activationRows } from './peers/activation_rows';
import { convRows, gemmRows, loadTensorflow } from './peers/tensorflow_rows';

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
    results.push(...(await activationRows(threads, tf)));
    results.push(...(await networkRows(threads)));
  } finally {
    threads.restore();
  }
  return results;
}

if (require.main === module) {
  void (async () => {
    const { formatTable } = await import('./bench_util');
    console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
    console.log(formatTable(await runPeersBench()));
  })();
}
