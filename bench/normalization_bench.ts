/**
 * Forward InstanceNorm of a (8, 64, 128, 128) float32 batch, NCHW (axis 1) and channels-last
 * (axis -1): through the shared kernel with preallocated buffers, through the public layer
 * `nn.InstanceNorm`, and through TensorFlow.js's CPU backend (moments + batchNorm) as a peer.
 *
 * Bars (DESIGN.md §5): time ≤ 10 × copying the input's bytes, allocation ≤ 1.1 × the output.
 *
 * Run alone: npx ts-node --transpile-only bench/normalization_bench.ts (`npm run bench` runs all).
 */
import { normForward } from '../src/kernels/cpu/normalization';
import { instanceNormLayout } from '../src/kernels/cpu/norm_layouts';
import { BenchResult, formatTable, measureAllocatedBytes, timeAgainstCopy, TimingOptions } from './bench_util';

const N = 8, C = 64, H = 128, W = 128;
const EPS = 1e-5;

export interface Case {
  variant: string;
  shape: number[];
  axis: number;
}

export const CASES: Case[] = [
  { variant: `NCHW (${N}, ${C}, ${H}, ${W})`, shape: [N, C, H, W], axis: 1 },
  { variant: `NHWC (${N}, ${H}, ${W}, ${C})`, shape: [N, H, W, C], axis: -1 },
];

const OURS: TimingOptions = { warmup: 3, repetitions: 15 };
const PEER: TimingOptions = { warmup: 1, repetitions: 3 };

/** Runs every normalization benchmark; rows that cannot run say why in `note`. */
export async function runNormalizationBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const c of CASES) {
    const input = randomInput(c.shape);
    results.push(benchKernel(c, input));
    results.push(await benchLayer(c, input));
    results.push(await benchTensorflow(c, input));
  }
  return results;
}

export function randomInput(shape: readonly number[]): Float32Array {
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  // A cheap deterministic generator: the values only need to be varied, not random-quality.
  let state = 12345;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = state / 2 ** 32 * 4 - 1;
  }
  return data;
}

function row(name: string, c: Case, elements: number, time: ReturnType<typeof timeAgainstCopy>, allocatedBytes: number, note?: string): BenchResult {
  return { name, variant: c.variant, ...time, ratio: time.medianMs / time.copyMs, allocatedBytes, outputBytes: elements * 4, note };
}

function failed(name: string, c: Case, elements: number, error: unknown): BenchResult {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return { name, variant: c.variant, medianMs: NaN, copyMs: NaN, ratio: NaN, allocatedBytes: NaN, outputBytes: elements * 4, note: `not measured: ${message}` };
}

/** The kernel alone, writing into a preallocated output: what any layer's forward costs at least. */
function benchKernel(c: Case, x: Float32Array): BenchResult {
  const layout = instanceNormLayout(c.shape, c.axis);
  const out = new Float32Array(x.length);
  const groups = layout.outer * layout.channels;
  const mean = new Float64Array(groups), variance = new Float64Array(groups);
  const gamma = new Float32Array(C).fill(1.5), beta = new Float32Array(C).fill(0.5);
  const forward = () => normForward(x, 0, out, 0, layout, mean, variance, EPS, gamma, beta);
  return row('kernel normForward', c, x.length, timeAgainstCopy(forward, x.length, OURS), measureAllocatedBytes(forward),
    'output preallocated; allocated = the kernel\'s float64 scratch');
}

/** The public layer, as users call it: validation, parameters, output allocation, kernel. */
export async function benchLayer(c: Case, data: Float32Array): Promise<BenchResult> {
  const name = 'nn.InstanceNorm';
  try {
    // Loaded lazily so a layer that does not build yet costs one row, not the whole benchmark.
    const { nd, nn } = await import('../src');
    const x = nd.array(data, { shape: c.shape });
    const layer = new nn.InstanceNorm({ axis: c.axis });
    layer.initialize();
    const forward = () => layer(x);
    forward();
    return row(name, c, data.length, timeAgainstCopy(forward, data.length, OURS), measureAllocatedBytes(forward),
      'allocates its output: compare with fresh copy');
  } catch (error) {
    return failed(name, c, data.length, error);
  }
}

/** Peer: TensorFlow.js CPU backend, `batchNorm(x, moments(x, spatial axes))` per instance. */
async function benchTensorflow(c: Case, data: Float32Array): Promise<BenchResult> {
  const name = 'tfjs-backend-cpu';
  try {
    const tf = await import('@tensorflow/tfjs-core');
    await import('@tensorflow/tfjs-backend-cpu');
    await tf.setBackend('cpu');
    const x = tf.tensor(data, c.shape);
    const axes = c.axis === 1 ? [2, 3] : [1, 2];
    const paramShape = c.axis === 1 ? [1, C, 1, 1] : [1, 1, 1, C];
    const gamma = tf.fill(paramShape, 1.5), beta = tf.fill(paramShape, 0.5);
    const forward = () => tf.tidy(() => {
      const { mean, variance } = tf.moments(x, axes, true);
      return tf.batchNorm(x, mean, variance, beta, gamma, EPS);
    });
    const timed = () => forward().dispose();
    const result = row(name, c, data.length, timeAgainstCopy(timed, data.length, PEER), measureAllocatedBytes(forward, (y) => y.dispose()), 'peer');
    [x, gamma, beta].forEach((t) => t.dispose());
    return result;
  } catch (error) {
    return failed(name, c, data.length, error);
  }
}

if (require.main === module) {
  runNormalizationBench()
    .then((results) => console.log(formatTable(results)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
