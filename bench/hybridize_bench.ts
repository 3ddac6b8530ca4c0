/**
 * Imperative against hybridized forward, through the public API, for two whole networks:
 *
 * - Johnson et al.'s style-transfer network (examples/style_transfer_net.ts) on (1, 3, 64, 64)
 *   (the example times (1, 3, 256, 256), 16× the work, which takes seconds per forward here);
 * - the MNIST network of examples/train_mnist.ts on a batch of 64 (1, 28, 28) images.
 *
 * Each row gives the median forward time, its ratio to copying the input's bytes, and the bytes
 * one forward allocates (ArrayBuffer memory: outputs, intermediates and the kernels' scratch).
 * A hybridized forward runs the cached graph: the same kernels, with intermediates in a planned
 * arena kept across calls, so its steady state allocates the output and the kernels' own scratch.
 *
 * Run alone: `npx tsc -p tsconfig.bench.json && node build/bench/bench/hybridize_bench.js`.
 */
import { NDArray, nd, nn, random } from '../src';
import { buildNetwork } from '../examples/train_mnist';
import { TransformerNet } from '../examples/style_transfer_net';
import { BenchResult, TimingOptions, formatTable, measureAllocatedBytes, randomData, timeAgainstCopy } from './bench_util';

const STYLE_OPTIONS: TimingOptions = { warmup: 1, repetitions: 5 };
const MNIST_OPTIONS: TimingOptions = { warmup: 2, repetitions: 15 };

interface Case {
  readonly name: string;
  readonly variant: string;
  /** A fresh network, initialized from seed 0. */
  make(): nn.Block;
  readonly input: NDArray;
  readonly options: TimingOptions;
}

const CASES: readonly Case[] = [
  {
    name: 'style-transfer net forward',
    variant: '(1, 3, 64, 64)',
    make: () => {
      random.seed(0);
      const net = new TransformerNet();
      net.initialize('xavier');
      return net;
    },
    input: nd.array(randomData(3 * 64 * 64, 11).map((v) => v + 0.5), { shape: [1, 3, 64, 64] }),
    options: STYLE_OPTIONS,
  },
  {
    name: 'MNIST net forward',
    variant: 'batch 64 of (1, 28, 28)',
    make: () => {
      random.seed(0);
      const net = buildNetwork('NCHW');
      net.initialize('xavier');
      return net;
    },
    input: nd.array(randomData(64 * 28 * 28, 12), { shape: [64, 1, 28, 28] }),
    options: MNIST_OPTIONS,
  },
];

/** Runs the imperative and hybridized rows of every case. */
export async function runHybridizeBench(): Promise<BenchResult[]> {
  const rows: BenchResult[] = [];
  for (const c of CASES) {
    // Deferred parameters draw their values on the first forward: run it before the next net is seeded.
    const ready = (net: nn.Block): nn.Block => {
      net(c.input);
      return net;
    };
    const imperative = ready(c.make());
    const hybridized = ready(c.make());
    hybridized.hybridize();
    const expected = imperative(c.input);
    const got = hybridized(c.input);
    const same = expected.data.every((v, i) => Object.is(v, got.data[i]));
    rows.push(row(c, 'imperative', imperative, ''));
    rows.push(row(c, 'hybridized', hybridized, same ? 'output bitwise equal to imperative' : 'OUTPUT DIFFERS from imperative'));
  }
  return rows;
}

function row(c: Case, mode: string, net: nn.Block, note: string): BenchResult {
  const run = () => net(c.input);
  const allocatedBytes = measureAllocatedBytes(run);
  const timing = timeAgainstCopy(run, c.input.size, c.options);
  const output = run();
  return {
    name: `${c.name} (${mode})`, variant: c.variant, medianMs: timing.medianMs, copyMs: timing.copyMs, ratio: timing.medianMs / timing.copyMs,
    cpuRatio: timing.cpuRatio, allocatedBytes, outputBytes: output.size * 4, note,
  };
}

if (require.main === module) {
  runHybridizeBench().then((rows) => console.log(formatTable(rows)), (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
