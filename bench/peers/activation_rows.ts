/**
 * peers_bench.ts's activation rows: sigmoid and tanh of 4 M float32 values — the kernel module's
 * float64 SIMD loops on 1 and 2 threads, through `nd.sigmoid`/`nd.tanh` (a fresh output each call:
 * on this VM a fresh 16 MiB array sometimes costs tens of milliseconds in page faults) and on a
 * preallocated output, and the JavaScript loops they replaced (what TSGLUON_SIMD=0 runs) — beside
 * TensorFlow.js's wasm backend (`tf.sigmoid`, `tf.tanh`, float32).
 */
import { NDArray, nd } from '../../src';
import { ACTIVATION_FORWARD } from '../../src/kernels/cpu/activation_forward';
import * as loops from '../../src/kernels/cpu/unary';
import { BenchResult, randomData } from '../bench_util';
import { Contender, TFJS_WASM, Threads, Work, maxAbsDiff, measure, notMeasured } from './measure';
import { TfPeers, tfContender } from './tensorflow_rows';

const VALUES = 1 << 22;

const ACTIVATIONS = [
  { name: 'sigmoid', loop: loops.SIGMOID, ours: (x: NDArray) => nd.sigmoid(x) },
  { name: 'tanh', loop: loops.TANH, ours: (x: NDArray) => nd.tanh(x) },
] as const;

export async function activationRows(threads: Threads, tf: TfPeers): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const activation of ACTIVATIONS) results.push(...(await activationRowsOf(activation, threads, tf)));
  return results;
}

async function activationRowsOf(activation: (typeof ACTIVATIONS)[number], threads: Threads, tf: TfPeers): Promise<BenchResult[]> {
  const work: Work = {
    variant: `${activation.name} of ${VALUES / (1 << 20)} M float32 values`, flops: NaN, inputElements: VALUES, outputElements: VALUES,
    warmup: 1, repetitions: 5, reference: TFJS_WASM, rate: (ms) => `${(VALUES / (ms * 1e3)).toFixed(0)} M values/s`,
  };
  const values = randomData(VALUES, 40).map((v) => 8 * v);
  const x = nd.array(values, { shape: [VALUES] });
  const looped = new Float32Array(VALUES);
  activation.loop(values, looped);
  const diff = maxAbsDiff(activation.ours(x).data, looped);
  const out = new Float32Array(VALUES);
  const contenders: Contender[] = threads.counts.flatMap((n) => [{
    name: `tsgluon nd.${activation.name}`, threads: n, prepare: () => threads.select(n), run: () => activation.ours(x),
    note: `; a fresh output each call; max |diff| vs the JavaScript loop ${diff.toExponential(1)}${threads.note}`, ours: true,
  }, {
    name: `tsgluon kernel ${activation.name}`, threads: n, prepare: () => threads.select(n), run: () => ACTIVATION_FORWARD[activation.name](values, out),
    note: `; preallocated output${threads.note}`, ours: true,
  }]);
  contenders.push({
    name: 'tsgluon JavaScript loop', threads: 1, prepare: () => threads.select(1), run: () => activation.loop(values, looped),
    note: '; what TSGLUON_SIMD=0 runs (and every runtime did before the kernel module had activations)', ours: true,
  });
  const note = tf.backends.get(TFJS_WASM);
  if (tf.tf === undefined || note === undefined) return measure(work, contenders, [notMeasured(TFJS_WASM, work, tf.failures.get(TFJS_WASM) ?? 'not loaded')]);
  const t = tf.tf;
  const peer = await tfContender(t, TFJS_WASM, note, () => {
    const tx = t.tensor1d(values);
    return [() => (activation.name === 'sigmoid' ? t.sigmoid(tx) : t.tanh(tx)), () => tx.dispose()];
  });
  peer.contender.note = `; tf.${activation.name}; max |diff| vs tsgluon ${maxAbsDiff(peer.output, looped).toExponential(1)}${note}`;
  try {
    return await measure(work, [...contenders, peer.contender]);
  } finally {
    peer.dispose();
  }
}
