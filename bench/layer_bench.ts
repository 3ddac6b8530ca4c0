/**
 * Layer-level convolution and LeNet, through the public API (allocating outputs, autograd):
 *
 * - `nn.Conv2D` (1, 64, 56, 56) → 64 channels, 3×3, padding 1 — the work of dense_bench.ts's
 *   kernel rows — forward, and forward + backward (data, weight and bias gradients: 3× the
 *   forward's flops);
 * - forward + backward of a smaller (1, 16, 28, 28) → 16 convolution in NHWC, next to
 *   TensorFlow.js's CPU backend doing the same (when it is installed): its backward kernels
 *   run at a few tens of MFLOP/s, so the large case would take minutes there;
 * - the Gluon tutorial's LeNet on a batch of 64 28×28 images, forward and forward + backward.
 *
 * Rows report the median time, its ratio to copying the inputs' bytes (DESIGN.md §5), and
 * GFLOP/s or images/s in the note. Run alone: `npx ts-node --transpile-only bench/layer_bench.ts`.
 */
import { NDArray, autograd, nd, nn } from '../src';
import { BenchResult, TimingOptions, measureAllocatedBytes, randomData, timeAgainstCopy } from './bench_util';
import { lenet } from '../examples/lenet';

const OPTIONS: TimingOptions = { warmup: 2, repetitions: 7 };
/** TensorFlow.js's CPU conv backward kernels are slow (see the peer row), so it gets fewer runs. */
const PEER_OPTIONS: TimingOptions = { warmup: 1, repetitions: 3 };
const CONV_FLOPS = 2 * 64 * 56 * 56 * 64 * 9;
const CONV_CASE = 'Conv2D (1, 64, 56, 56) -> 64, 3x3, pad 1';
/** The case compared with TensorFlow.js: small enough for its backward kernels. */
const SMALL = { channels: 16, size: 28, flops: 2 * 16 * 28 * 28 * 16 * 9, variant: 'Conv2D (1, 16, 28, 28) -> 16, 3x3, pad 1' };
const LENET_BATCH = 64;

/** Runs the layer benchmarks. */
export async function runLayerBench(): Promise<BenchResult[]> {
  const x = nd.array(randomData(64 * 56 * 56, 5), { shape: [1, 64, 56, 56] });
  const conv = new nn.Conv2D(64, 3, { padding: 1, inChannels: 64 });
  conv.initialize('xavier');
  const dy = nd.array(randomData(64 * 56 * 56, 6), { shape: [1, 64, 56, 56] });
  const inputs = x.size + 64 * 64 * 9;
  const rows = [
    row('nn.Conv2D forward', `${CONV_CASE} NCHW`, () => conv(x), inputs, x.size, `${CONV_FLOPS} flops`),
    row('nn.Conv2D forward+backward', `${CONV_CASE} NCHW`, () => trainStep(conv, x, dy), inputs, x.size, `${3 * CONV_FLOPS} flops`),
    ...(await smallConvSteps()),
  ];
  const net = lenet();
  net.initialize('xavier');
  const images = nd.array(randomData(LENET_BATCH * 784, 7), { shape: [LENET_BATCH, 1, 28, 28] });
  net(images);
  const head = nd.ones([LENET_BATCH, 10]);
  const lenetCase = `LeNet, batch ${LENET_BATCH} of (1, 28, 28)`;
  rows.push(row('LeNet forward', lenetCase, () => net(images), images.size, LENET_BATCH * 10, `${LENET_BATCH} images`));
  rows.push(row('LeNet forward+backward', lenetCase, () => trainStep(net, images, head), images.size, LENET_BATCH * 10, `${LENET_BATCH} images`));
  return rows;
}

/** One forward inside autograd.record and the backward of `head`; returns the output. */
function trainStep(block: nn.Block, x: NDArray, head: NDArray): NDArray {
  const y = autograd.record(() => block(x));
  y.backward(head);
  return y;
}

/** Forward + backward of the small case, ours (NHWC, as the peer) and TensorFlow.js's. */
async function smallConvSteps(): Promise<BenchResult[]> {
  const { channels: C, size: S } = SMALL;
  const conv = new nn.Conv2D(C, 3, { padding: 1, inChannels: C, layout: 'NHWC' });
  conv.initialize('xavier');
  const x = nd.array(randomData(C * S * S, 9), { shape: [1, S, S, C] });
  const dy = nd.array(randomData(C * S * S, 10), { shape: [1, S, S, C] });
  const inputs = x.size + C * C * 9;
  const ours = row('nn.Conv2D forward+backward', `${SMALL.variant} NHWC`, () => trainStep(conv, x, dy), inputs, x.size, `${3 * SMALL.flops} flops`);
  const [peer] = await tensorflowConvStep(inputs);
  if (Number.isFinite(peer.medianMs)) ours.note += `; ${(peer.medianMs / ours.medianMs).toFixed(1)}x tfjs-backend-cpu`;
  return [ours, peer];
}

/**
 * A row: `work` is "<n> flops" (the note gives GFLOP/s) or "<n> images" (images/s).
 */
function row(
  name: string, variant: string, run: () => unknown, inputElements: number, outputElements: number, work: string,
  options: TimingOptions = OPTIONS,
): BenchResult {
  const allocatedBytes = measureAllocatedBytes(run);
  const timing = timeAgainstCopy(run, inputElements, options);
  const [count, unit] = work.split(' ');
  const perSecond = Number(count) / (timing.medianMs / 1000);
  const note = unit === 'flops' ? `${(perSecond / 1e9).toFixed(2)} GFLOP/s` : `${perSecond.toFixed(0)} images/s`;
  return {
    name, variant, ...timing, ratio: timing.medianMs / timing.copyMs, allocatedBytes, outputBytes: outputElements * 4, note,
  };
}

/**
 * TensorFlow.js CPU on the same forward + backward, NHWC (its native layout): `tf.conv2d` plus
 * bias, then its backend's Conv2DBackpropInput and Conv2DBackpropFilter kernels and the bias sum
 * (tfjs-core alone registers no gradient functions, so `tf.grads` cannot run; these are the
 * kernels its conv2d gradient calls).
 */
async function tensorflowConvStep(inputs: number): Promise<BenchResult[]> {
  const name = 'tfjs-backend-cpu forward+backward';
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const { channels: C, size: S } = SMALL;
    const x = tf.tensor4d(randomData(C * S * S, 9), [1, S, S, C]);
    const w = tf.tensor4d(randomData(C * C * 9, 11), [3, 3, C, C]);
    const b = tf.zeros([C]);
    const dy = tf.tensor4d(randomData(C * S * S, 10), [1, S, S, C]);
    const attrs = { strides: [1, 1], pad: 'same', dataFormat: 'NHWC' };
    const step = () => tf.tidy(() => [
      tf.add(tf.conv2d(x, w, 1, 'same'), b),
      tf.engine().runKernel('Conv2DBackpropInput', { dy, filter: w }, { ...attrs, inputShape: x.shape }),
      tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { ...attrs, filterShape: w.shape }),
      tf.sum(dy, [0, 1, 2]),
    ].flat()).forEach((t) => t.dispose());
    const result = row(name, `${SMALL.variant} NHWC`, step, inputs, C * S * S, `${3 * SMALL.flops} flops`, PEER_OPTIONS);
    [x, w, b, dy].forEach((t) => t.dispose());
    return [result];
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return [{ name, variant: SMALL.variant, medianMs: NaN, copyMs: NaN, ratio: NaN, allocatedBytes: NaN, outputBytes: NaN, note: `not measured: ${message}` }];
  }
}

if (require.main === module) {
  void (async () => {
    const { formatTable } = await import('./bench_util');
    console.log(formatTable(await runLayerBench()));
  })();
}
