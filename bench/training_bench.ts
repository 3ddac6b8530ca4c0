/**
 * Training benchmarks, through the public API:
 *
 * (a) `nn.InstanceNorm` (affine) forward + backward on (8, 64, 128, 128), NCHW (axis 1) and NHWC
 *     (axis −1): the forward inside `autograd.record` with a gradient attached to the input,
 *     then `backward` with a head gradient, which computes the input's, gamma's and beta's
 *     gradients. Reported as a ratio to copying the input's bytes (bar ≤ 20).
 * (b) Training throughput of examples/train_mnist.ts's network (Conv 5×5 → InstanceNorm → relu →
 *     max-pool → Conv 3×3 → InstanceNorm → relu → max-pool → Dense 64 → Dense 10) on batches of
 *     64 random 28×28 images (speed does not depend on the pixels): a full step — forward,
 *     softmax cross-entropy, backward, Adam update — in images/s, the median over a fixed number
 *     of batches; ours in NCHW and NHWC, next to TensorFlow.js's CPU backend training the same
 *     architecture in NHWC (its native layout).
 *
 * TensorFlow.js has no InstanceNorm: there it is `tf.moments` over the spatial axes of NHWC, then
 * `(x − mean) · rsqrt(var + eps) · gamma + beta`. tfjs-core alone registers no gradient functions
 * (they come with the `@tensorflow/tfjs` bundle, not installed here), so its backward pass is
 * chained by hand from the backend's own gradient kernels — Conv2DBackpropFilter/Input,
 * MaxPoolGrad, matMul — and the closed-form InstanceNorm gradient in tf ops (fewer ops than
 * autodiff through moments would run); the update is `tf.train.adam(...).applyGradients`.
 *
 * Run alone: `npx ts-node --transpile-only bench/training_bench.ts`; `npm run bench` includes it.
 */
import { NDArray, autograd, gluon, nd, nn } from '../src';
import { buildNetwork } from '../examples/train_mnist';
import { normForward } from '../src/kernels/cpu/normalization';
import { normBackward } from '../src/kernels/cpu/normalization_backward';
import { instanceNormLayout } from '../src/kernels/cpu/norm_layouts';
import { BenchResult, TimingOptions, formatTable, measureAllocatedBytes, randomData, timeAgainstCopy } from './bench_util';
// Types only: TensorFlow.js itself is loaded lazily, so the bench runs (minus the peer row) without it.
import type { Rank, Tensor, Tensor4D, Variable } from '@tensorflow/tfjs-core';

const N = 8, C = 64, H = 128, W = 128;
const NORM_OPTIONS: TimingOptions = { warmup: 2, repetitions: 9 };
const BATCH = 64;
/** Our training rows time this many batches (after 2 warm-up batches) and report their median. */
const TRAIN_OPTIONS: TimingOptions = { warmup: 2, repetitions: 10 };
/** TensorFlow.js takes ~10 s a batch here (its CPU Conv2DBackpropFilter is a plain loop nest): fewer batches. */
const PEER_OPTIONS: TimingOptions = { warmup: 1, repetitions: 3 };
const LEARNING_RATE = 1e-3;
const EPS = 1e-5;

/** Runs the training benchmarks; rows that cannot run say why in `note`. */
export async function runTrainingBench(): Promise<BenchResult[]> {
  const rows = [kernelStep(1), instanceNormStep(1), kernelStep(-1), instanceNormStep(-1)];
  const [ours, oursNhwc, peer] = [mnistStep('NCHW'), mnistStep('NHWC'), await tensorflowMnistStep()];
  for (const row of [ours, oursNhwc]) {
    if (Number.isFinite(peer.medianMs)) row.note += `; ${(peer.medianMs / row.medianMs).toFixed(2)}x tfjs-backend-cpu`;
  }
  return [...rows, ours, oursNhwc, peer];
}

/**
 * (a) The shared kernel's forward and backward on preallocated buffers: the arithmetic alone,
 * without the two fresh 32 MiB arrays (y and x.grad) the layer must return.
 */
function kernelStep(axis: number): BenchResult {
  const shape = axis === 1 ? [N, C, H, W] : [N, H, W, C];
  const elements = N * C * H * W;
  const [x, dy, y, dx] = [randomData(elements, 1), randomData(elements, 2), new Float32Array(elements), new Float32Array(elements)];
  const layout = instanceNormLayout(shape, axis);
  const mean = new Float64Array(N * C), variance = new Float64Array(N * C);
  const gamma = new Float32Array(C).fill(1.5), beta = new Float32Array(C).fill(0.5);
  const dgamma = new Float32Array(C), dbeta = new Float32Array(C);
  const step = () => {
    normForward(x, 0, y, 0, layout, mean, variance, EPS, gamma, beta);
    normBackward(x, 0, dy, 0, dx, 0, layout, mean, variance, EPS, gamma, dgamma, dbeta);
  };
  const timing = timeAgainstCopy(step, elements, NORM_OPTIONS);
  return {
    name: 'kernel normForward+normBackward', variant: `${axis === 1 ? 'NCHW' : 'NHWC'} ${formatTuple(shape)}`, ...timing,
    ratio: timing.medianMs / timing.copyMs, allocatedBytes: measureAllocatedBytes(step), outputBytes: elements * 4, note: 'buffers preallocated',
  };
}

/** (a) One InstanceNorm forward under record plus its backward; the ratio is to copying the input. */
export function instanceNormStep(axis: number): BenchResult {
  const shape = axis === 1 ? [N, C, H, W] : [N, H, W, C];
  const elements = N * C * H * W;
  const x = nd.array(randomData(elements, 1), { shape });
  x.attachGrad();
  const head = nd.array(randomData(elements, 2), { shape });
  const layer = new nn.InstanceNorm({ axis, scale: true });
  layer.initialize();
  const step = () => {
    const y = autograd.record(() => layer(x));
    y.backward(head);
    return y;
  };
  step();
  const allocatedBytes = measureAllocatedBytes(step);
  const timing = timeAgainstCopy(step, elements, NORM_OPTIONS);
  const variant = `${axis === 1 ? 'NCHW' : 'NHWC'} ${formatTuple(shape)}`;
  return {
    name: 'nn.InstanceNorm forward+backward', variant, ...timing, ratio: timing.medianMs / timing.copyMs, allocatedBytes,
    outputBytes: elements * 4, note: 'bar <= 20x copy; allocates y (dx is written into x.grad)',
  };
}

/** (b) Ours: one training step of the example's network on a batch of BATCH images. */
function mnistStep(layout: 'NCHW' | 'NHWC'): BenchResult {
  const net = buildNetwork(layout);
  net.initialize('xavier');
  const x = nd.array(randomData(BATCH * 784, 3), { shape: layout === 'NCHW' ? [BATCH, 1, 28, 28] : [BATCH, 28, 28, 1] });
  const y = nd.array(randomLabels(BATCH));
  net(x);
  const trainer = new gluon.Trainer(net.collectParams(), 'adam', { learningRate: LEARNING_RATE });
  const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
  const step = (): NDArray => {
    const loss = autograd.record(() => lossFn(net(x), y));
    loss.backward();
    trainer.step(BATCH);
    return loss;
  };
  return trainingRow(`tsgluon train step ${layout}`, step, measureAllocatedBytes(step));
}

function trainingRow(name: string, step: () => unknown, allocatedBytes: number, options = TRAIN_OPTIONS): BenchResult {
  const timing = timeAgainstCopy(step, BATCH * 784, options);
  return {
    name, variant: `MNIST CNN with InstanceNorm, batch ${BATCH}, median of ${options.repetitions} batches`, ...timing,
    ratio: timing.medianMs / timing.copyMs, allocatedBytes, outputBytes: BATCH * 4,
    note: `${(BATCH / (timing.medianMs / 1000)).toFixed(0)} images/s`,
  };
}

type Tf = typeof import('@tensorflow/tfjs-core');
/** A gradient named as its variable, as `optimizer.applyGradients` takes it. */
type NamedTensor = { name: string; tensor: Tensor };

/** (b) Peer: TensorFlow.js CPU training the same network, NHWC; see the file comment. */
async function tensorflowMnistStep(): Promise<BenchResult> {
  const name = 'tfjs-backend-cpu train step NHWC';
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const vars = tensorflowVariables(tf);
    const x = tf.tensor4d(randomData(BATCH * 784, 3), [BATCH, 28, 28, 1]);
    const onehot = tf.oneHot(tf.tensor1d(randomLabels(BATCH), 'int32'), 10);
    const optimizer = tf.train.adam(LEARNING_RATE);
    const step = () => {
      const grads = tf.tidy(() => tensorflowGradients(tf, vars, x, onehot));
      optimizer.applyGradients(grads);
      grads.forEach((g) => g.tensor.dispose());
    };
    const row = trainingRow(name, step, NaN, PEER_OPTIONS);
    [x, onehot, ...Object.values(vars)].forEach((t) => t.dispose());
    optimizer.dispose();
    return { ...row, note: `${row.note}; peer (allocation not measured: too slow)` };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { name, variant: `MNIST CNN, batch ${BATCH}`, medianMs: NaN, copyMs: NaN, ratio: NaN, allocatedBytes: NaN, outputBytes: NaN, note: `not measured: ${message}` };
  }
}

/** The network's weights as named tf.Variables, Xavier-uniform like `initialize('xavier')`. */
function tensorflowVariables(tf: Tf): Record<string, Variable> {
  const shapes: Record<string, number[]> = {
    w1: [5, 5, 1, 16], b1: [16], g1: [16], be1: [16], w2: [3, 3, 16, 32], b2: [32], g2: [32], be2: [32],
    w3: [800, 64], b3: [64], w4: [64, 10], b4: [10],
  };
  const fans: Record<string, [number, number]> = { w1: [25, 400], w2: [144, 288], w3: [800, 64], w4: [64, 10] };
  const vars: Record<string, Variable> = {};
  for (const [key, shape] of Object.entries(shapes)) {
    const fan = fans[key];
    const bound = fan === undefined ? 0 : Math.sqrt(6 / (fan[0] + fan[1]));
    const init = fan !== undefined ? tf.randomUniform(shape, -bound, bound) : key.startsWith('g') ? tf.ones(shape) : tf.zeros(shape);
    vars[key] = tf.variable(init, true, `training_bench_${key}_${Date.now()}`);
    init.dispose();
  }
  return vars;
}

/** InstanceNorm over the spatial axes of NHWC; returns the output and what its backward needs. */
function tfInstanceNorm(tf: Tf, h: Tensor4D, gamma: Tensor, beta: Tensor): { out: Tensor4D; xhat: Tensor4D; rstd: Tensor } {
  const { mean, variance } = tf.moments(h, [1, 2], true);
  const rstd = tf.rsqrt(tf.add(variance, EPS));
  const xhat = tf.mul<Tensor4D>(tf.sub(h, mean), rstd);
  return { out: tf.add<Tensor4D>(tf.mul(xhat, gamma), beta), xhat, rstd };
}

/** dx = rstd · (dxhat − mean(dxhat) − xhat · mean(dxhat · xhat)) with dxhat = dy · gamma, per instance and channel. */
function tfInstanceNormBackward(tf: Tf, dy: Tensor4D, cache: { xhat: Tensor4D; rstd: Tensor }, gamma: Tensor): [Tensor4D, Tensor, Tensor] {
  const dxhat = tf.mul(dy, gamma);
  const centred = tf.sub(tf.sub(dxhat, tf.mean(dxhat, [1, 2], true)), tf.mul(cache.xhat, tf.mean(tf.mul(dxhat, cache.xhat), [1, 2], true)));
  return [tf.mul<Tensor4D>(centred, cache.rstd), tf.sum(tf.mul(dy, cache.xhat), [0, 1, 2]), tf.sum(dy, [0, 1, 2])];
}

/** Forward, softmax cross-entropy (mean over the batch) and the backward pass; the gradients named as their variables. */
function tensorflowGradients(tf: Tf, v: Record<string, Variable>, x: Tensor4D, onehot: Tensor): NamedTensor[] {
  const conv = (input: Tensor4D, w: Tensor, b: Tensor) => tf.add<Tensor4D>(tf.conv2d(input, w as Tensor4D, 1, 'valid'), b);
  const pool = (input: Tensor4D) => tf.maxPool(input, 2, 2, 'valid');
  const c1 = conv(x, v.w1, v.b1), n1 = tfInstanceNorm(tf, c1, v.g1, v.be1), r1 = tf.relu(n1.out), p1 = pool(r1);
  const c2 = conv(p1, v.w2, v.b2), n2 = tfInstanceNorm(tf, c2, v.g2, v.be2), r2 = tf.relu(n2.out), p2 = pool(r2);
  const flat = tf.reshape(p2, [BATCH, 800]);
  const d1 = tf.relu(tf.add(tf.matMul(flat, v.w3), v.b3));
  const logits = tf.add(tf.matMul(d1, v.w4), v.b4);
  const dLogits = tf.div(tf.sub(tf.softmax(logits), onehot), BATCH);
  const dd1 = tf.mul(tf.matMul(dLogits, v.w4, false, true), tf.step(d1));
  const dp2 = tf.reshape<Rank.R4>(tf.matMul(dd1, v.w3, false, true), p2.shape);
  const [dc2, dg2, dbe2] = tfInstanceNormBackward(tf, tf.mul(poolGrad(tf, dp2, r2, p2), tf.step(n2.out)), n2, v.g2);
  const dp1 = convGrad(tf, 'Conv2DBackpropInput', { dy: dc2, filter: v.w2 }, { inputShape: p1.shape });
  const [dc1, dg1, dbe1] = tfInstanceNormBackward(tf, tf.mul(poolGrad(tf, dp1, r1, p1), tf.step(n1.out)), n1, v.g1);
  const grads: Record<string, Tensor> = {
    w1: convGrad(tf, 'Conv2DBackpropFilter', { x, dy: dc1 }, { filterShape: v.w1.shape }), b1: tf.sum(dc1, [0, 1, 2]), g1: dg1, be1: dbe1,
    w2: convGrad(tf, 'Conv2DBackpropFilter', { x: p1, dy: dc2 }, { filterShape: v.w2.shape }), b2: tf.sum(dc2, [0, 1, 2]), g2: dg2, be2: dbe2,
    w3: tf.matMul(flat, dd1, true, false), b3: tf.sum(dd1, 0), w4: tf.matMul(d1, dLogits, true, false), b4: tf.sum(dLogits, 0),
  };
  // applyGradients finds each variable by its name.
  return Object.entries(grads).map(([key, tensor]) => ({ name: v[key].name, tensor }));
}

function poolGrad(tf: Tf, dy: Tensor4D, input: Tensor4D, output: Tensor4D): Tensor4D {
  return tf.engine().runKernel<Tensor4D>('MaxPoolGrad', { dy, input, output }, { filterSize: 2, strides: 2, pad: 'valid' });
}

function convGrad(tf: Tf, kernel: string, inputs: Record<string, Tensor>, shape: Record<string, number[]>): Tensor4D {
  return tf.engine().runKernel<Tensor4D>(kernel, inputs, { strides: 1, pad: 'valid', dataFormat: 'NHWC', ...shape });
}

function formatTuple(shape: readonly number[]): string {
  return `(${shape.join(', ')})`;
}

function randomLabels(size: number): number[] {
  return Array.from(randomData(size, 4), (u) => Math.floor((u + 0.5) * 10));
}

if (require.main === module) {
  runTrainingBench()
    .then((results) => console.log(formatTable(results)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
