/**
 * Issue 13's measurements, side by side in one run:
 *
 * - **resnet18_v1 inference** (gluon.modelZoo.vision, 1×3×224×224, ≈ 3.6 GFLOP): tsgluon
 *   hybridized on 1 and 2 threads, beside TensorFlow.js's wasm backend running the same network
 *   with the same weights, written from its ops (NHWC: `conv2d`, `batchNorm` with the running
 *   statistics, `relu`, `maxPool`, `mean` over the map, `matMul`) — TensorFlow.js has no ResNet
 *   layer, but it has each of these. The peer's note gives the largest difference of its logits
 *   from tsgluon's, so it is the same work. Reported in images/s too.
 * - **LSTM training** (gluon.rnn.LSTM, the char-LSTM example's shape: vocabulary 65, embedding
 *   64, 2 layers of 256, 35 steps × 32 sequences): one step — forward, softmax cross-entropy,
 *   backward through time, Adam — in tokens/s. No peer row: TensorFlow.js's core registers no
 *   gradients (they come with the `@tensorflow/tfjs` bundle and its layers, not installed here).
 *
 * Run alone: `npx tsc -p tsconfig.bench.json && node build/bench/bench/zoo_bench.js`.
 */
import * as tsgluon from '../src';
import { NDArray, autograd, gluon, nd, nn, random } from '../src';
import { BenchResult } from './bench_util';
import { Contender, TFJS_WASM, Work, errorMessage, maxAbsDiff, measure, notMeasured, tsgluonThreads } from './peers/measure';
import { loadTensorflow } from './peers/tensorflow_rows';

type Tf = typeof import('@tensorflow/tfjs-core');
type Tensor = import('@tensorflow/tfjs-core').Tensor;

export async function runZooBench(): Promise<BenchResult[]> {
  await tsgluon.ready();
  const threads = tsgluonThreads(tsgluon as unknown as Record<string, unknown>);
  try {
    return [...(await resnetRows(threads)), ...(await lstmRows(threads))];
  } finally {
    threads.restore();
  }
}

async function resnetRows(threads: ReturnType<typeof tsgluonThreads>): Promise<BenchResult[]> {
  random.seed(1);
  const net = gluon.modelZoo.vision.resnet18V1();
  net.initialize('xavier');
  const x = nd.random.uniform(0, 1, [1, 3, 224, 224]);
  net(x); // finishes deferred initialization
  // Non-trivial BatchNorm statistics, so the peer's inference BatchNorm is checked too.
  for (const [name, p] of net.collectParams().entries()) {
    if (/running_(mean|var)$/.test(name)) p.setData(nd.random.uniform(name.endsWith('var') ? 0.5 : -0.1, name.endsWith('var') ? 1.5 : 0.1, p.shape as number[]));
  }
  const expected = (net(x) as NDArray).toFloat32Array();
  net.hybridize();
  const parameterCount = [...net.collectParams().values()].reduce((total, p) => total + p.data().size, 0);
  const work: Work = { variant: 'resnet18_v1 inference 1×3×224×224', flops: 3.64e9, inputElements: x.size + parameterCount, outputElements: 1000, warmup: 1, repetitions: 5, reference: TFJS_WASM };
  const ours: Contender[] = threads.counts.map((n) => ({
    name: 'tsgluon modelZoo resnet18V1 (hybridized)', threads: n, prepare: () => threads.select(n), run: () => net(x), note: threads.note, ours: true,
  }));
  const peer = await tensorflowResnet(net, x, expected);
  const rows = await measure(work, [...ours, ...(peer.contender ? [peer.contender] : [])], peer.failure ? [notMeasured(TFJS_WASM, work, peer.failure)] : []);
  rows.forEach((row) => Number.isFinite(row.medianMs) && (row.note = `${(1000 / row.medianMs).toFixed(1)} images/s; ${row.note}`));
  return rows;
}

/** resnet18_v1 in TensorFlow.js ops, NHWC, with `net`'s weights; its note gives the difference of its logits from `expected`. */
async function tensorflowResnet(net: nn.HybridBlock, x: NDArray, expected: Float32Array): Promise<{ contender?: Contender; failure?: string }> {
  const peers = await loadTensorflow();
  const tf = peers.tf;
  if (tf === undefined || !peers.backends.has(TFJS_WASM)) return { failure: peers.failures.get(TFJS_WASM) ?? 'TensorFlow.js is not installed' };
  try {
    await tf.setBackend('wasm');
    // Every weight as a tf tensor, made once outside the timed forward: 4-D filters OIHW → HWIO.
    const weights = new Map([...net.collectParams().entries()].map(([name, p]) => {
      const value = p.data();
      const t = tf.tensor(value.toFloat32Array(), value.shape as number[]);
      return [name.slice(net.prefix.length), value.ndim === 4 ? tf.transpose(t, [2, 3, 1, 0]) : t] as const;
    }));
    const tensor = (name: string) => weights.get(name) as Tensor;
    const bn = (t: Tensor, prefix: string) => tf.batchNorm(t as never, tensor(`${prefix}_running_mean`), tensor(`${prefix}_running_var`), tensor(`${prefix}_beta`), tensor(`${prefix}_gamma`), 1e-5);
    const conv = (t: Tensor, name: string, stride: number, pad: number) => tf.conv2d(tf.pad(t as never, [[0, 0], [pad, pad], [pad, pad], [0, 0]]), tensor(name) as never, stride, 'valid');
    const input = tf.transpose(tf.tensor(x.toFloat32Array(), [1, 3, 224, 224]), [0, 2, 3, 1]);
    const forward = () => tf.tidy(() => {
      let y = tf.relu(bn(conv(input, 'conv0_weight', 2, 3), 'batchnorm0'));
      y = tf.maxPool(tf.pad(y as never, [[0, 0], [1, 1], [1, 1], [0, 0]], -Infinity), 3, 2, 'valid');
      for (let stage = 1; stage <= 4; stage++) y = resnetStage(tf, y, stage, conv, bn);
      const pooled = tf.mean(y, [1, 2]);
      return tf.add(tf.matMul(pooled, tensor('dense0_weight'), false, true), tensor('dense0_bias'));
    });
    const logits = forward();
    const diff = maxAbsDiff(await logits.data() as Float32Array, expected);
    logits.dispose();
    return {
      contender: { name: TFJS_WASM, threads: 1, prepare: () => tf.setBackend('wasm'), run: () => { const y = forward(); y.dataSync(); y.dispose(); }, note: `; resnet18_v1 from tf ops, NHWC; max |diff| vs tsgluon ${diff.toExponential(1)}${peers.backends.get(TFJS_WASM)}`, ours: false },
    };
  } catch (error) {
    return { failure: errorMessage(error) };
  }
}

/** One stage of two BasicBlockV1s in MXNet's naming: conv/batchnorm 0–1 per block, 2 for stage 2–4's shortcut. */
function resnetStage(tf: Tf, input: Tensor, stage: number, conv: (t: Tensor, name: string, stride: number, pad: number) => Tensor, bn: (t: Tensor, prefix: string) => Tensor): Tensor {
  const p = `stage${stage}_`;
  const stride = stage === 1 ? 1 : 2;
  // Block 1: conv0, batchnorm0, conv1, batchnorm1 (+ conv2, batchnorm2 downsampling); block 2: the next two (or four) indices.
  let y = tf.relu(bn(conv(input, `${p}conv0_weight`, stride, 1), `${p}batchnorm0`));
  y = bn(conv(y, `${p}conv1_weight`, 1, 1), `${p}batchnorm1`);
  const shortcut = stage === 1 ? input : bn(conv(input, `${p}conv2_weight`, stride, 0), `${p}batchnorm2`);
  const first = tf.relu(tf.add(shortcut, y));
  const k = stage === 1 ? 2 : 3;
  y = tf.relu(bn(conv(first, `${p}conv${k}_weight`, 1, 1), `${p}batchnorm${k}`));
  y = bn(conv(y, `${p}conv${k + 1}_weight`, 1, 1), `${p}batchnorm${k + 1}`);
  return tf.relu(tf.add(first, y));
}

async function lstmRows(threads: ReturnType<typeof tsgluonThreads>): Promise<BenchResult[]> {
  const [vocab, embed, hidden, steps, batch] = [65, 64, 256, 35, 32];
  random.seed(2);
  const embedding = new nn.Embedding(vocab, embed);
  const lstm = new gluon.rnn.LSTM(hidden, { numLayers: 2, inputSize: embed });
  const decoder = new nn.Dense(vocab, { flatten: false, inUnits: hidden });
  for (const block of [embedding, lstm, decoder]) block.initialize('xavier');
  const params = new gluon.ParameterDict();
  for (const block of [embedding, lstm, decoder]) params.update(block.collectParams());
  const trainer = new gluon.Trainer(params, 'adam', { learningRate: 1e-3 });
  const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
  const tokens = nd.floor(nd.random.uniform(0, vocab, [steps, batch]));
  const targets = nd.floor(nd.random.uniform(0, vocab, [steps, batch]));
  const step = () => {
    autograd.record(() => lossFn(decoder(lstm(embedding(tokens)) as NDArray) as NDArray, targets) as NDArray).backward();
    trainer.step(batch);
  };
  // 2·(4·hidden·(input + hidden)) FLOPs per token and layer forward, about twice that backward.
  const flops = 3 * steps * batch * 2 * 4 * hidden * (embed + hidden + 2 * hidden);
  const weights = [...params.values()].reduce((total, p) => total + p.data().size, 0);
  const work: Work = { variant: `LSTM training step T${steps}×N${batch}, 2×${hidden}`, flops, inputElements: weights, outputElements: 1, warmup: 1, repetitions: 5, reference: '' };
  const ours: Contender[] = threads.counts.map((n) => ({ name: 'tsgluon gluon.rnn.LSTM (fused RNN op)', threads: n, prepare: () => threads.select(n), run: step, note: threads.note, ours: true }));
  const rows = await measure(work, ours);
  rows.forEach((row) => (row.note = `${((steps * batch * 1000) / row.medianMs).toFixed(0)} tokens/s; ${row.note}; no TensorFlow.js row: tfjs-core registers no gradients`));
  return rows;
}

if (require.main === module) {
  runZooBench().then((rows) => console.log(require('./bench_util').formatTable(rows))).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
