/**
 * The shared normalization kernel on the other layers' layouts, on its WebAssembly SIMD loops and
 * on its JavaScript loops (`setSimdEnabled(false)`, as `TSGLUON_SIMD=0`), buffers
 * preallocated: forward, and forward + backward, as ratios to copying the input's bytes.
 *
 *   LayerNorm over the last axis, (2048, 1024): a group per row, gamma/beta per element;
 *   BatchNorm axis 1, (32, 64, 28, 28): a run of 784 values per sample and channel.
 *
 * Run alone: `npx ts-node --transpile-only bench/norm_layouts_bench.ts`; `npm run bench` includes it.
 */
import { NormLayout, normForward } from '../src/kernels/cpu/normalization';
import { normBackward } from '../src/kernels/cpu/normalization_backward';
import { batchNormLayout, layerNormLayout } from '../src/kernels/cpu/norm_layouts';
import { setSimdEnabled } from '../src/kernels/cpu/simd/wasm_loader';
import { BenchResult, TimingOptions, formatTable, randomData, timeAgainstCopy } from './bench_util';

const OPTIONS: TimingOptions = { warmup: 3, repetitions: 15 };

interface Case {
  name: string;
  shape: number[];
  layout: NormLayout;
}

const CASES: Case[] = [
  { name: 'LayerNorm', shape: [2048, 1024], layout: layerNormLayout([2048, 1024], -1) },
  { name: 'BatchNorm', shape: [32, 64, 28, 28], layout: batchNormLayout([32, 64, 28, 28], 1) },
];

/** Forward and forward + backward of every case, on both loop sets. */
export async function runNormLayoutsBench(): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const c of CASES) {
    for (const simd of [true, false]) {
      const previous = setSimdEnabled(simd);
      try {
        rows.push(...measure(c, simd ? 'SIMD loops' : 'JavaScript loops'));
      } finally {
        setSimdEnabled(previous);
      }
    }
  }
  return rows;
}

function measure(c: Case, loops: string): BenchResult[] {
  const { layout } = c;
  const size = layout.outer * layout.reduceOuter * layout.channels * layout.reduceInner;
  const groups = layout.outer * layout.channels;
  const [x, dy, y, dx] = [randomData(size, 1), randomData(size, 2), new Float32Array(size), new Float32Array(size)];
  const mean = new Float64Array(groups), variance = new Float64Array(groups);
  const gamma = new Float32Array(layout.affineCount).fill(1.5), beta = new Float32Array(layout.affineCount).fill(0.5);
  const dgamma = new Float32Array(layout.affineCount), dbeta = new Float32Array(layout.affineCount);
  const forward = () => normForward(x, 0, y, 0, layout, mean, variance, 1e-5, gamma, beta);
  const step = () => {
    forward();
    normBackward(x, 0, dy, 0, dx, 0, layout, mean, variance, 1e-5, gamma, dgamma, dbeta);
  };
  const variant = `${c.name} (${c.shape.join(', ')}), ${loops}`;
  const row = (name: string, target: () => void): BenchResult => {
    const timing = timeAgainstCopy(target, size, OPTIONS);
    return { name, variant, ...timing, ratio: timing.medianMs / timing.copyMs, allocatedBytes: NaN, outputBytes: size * 4, note: 'buffers preallocated' };
  };
  return [row('kernel normForward', forward), row('kernel normForward+normBackward', step)];
}

if (require.main === module) {
  runNormLayoutsBench().then((rows) => console.log(formatTable(rows)));
}
