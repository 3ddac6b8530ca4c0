/**
 * Runs every benchmark and prints one table (`npm run bench`). Times are medians after warm-up,
 * as ratios to copying the same bytes in the same process; see bench_util.ts for the methods.
 * `npm run bench` compiles the benchmarks (tsconfig.bench.json, into build/) and runs plain
 * JavaScript, as users run tsgluon: under ts-node the TypeScript compiler's own heap would make
 * every garbage collection, and so every allocating row, slower.
 */
import { BenchResult, formatTable } from './bench_util';
import { runDenseBench } from './dense_bench';
import { runHugePagesBench } from './huge_pages_bench';
import { runHybridizeBench } from './hybridize_bench';
import { runLayerBench } from './layer_bench';
import { runNormLayoutsBench } from './norm_layouts_bench';
import { runNormalizationBench } from './normalization_bench';
import { runParamsIoBench } from './params_io_bench';
import { runPeersBench } from './peers_bench';
import { runTrainingBench } from './training_bench';
import { runZooBench } from './zoo_bench';

const BENCHES: ReadonlyArray<() => Promise<BenchResult[]>> = [
  runNormalizationBench, runNormLayoutsBench, runParamsIoBench, runDenseBench, runLayerBench, runTrainingBench, runHybridizeBench, runHugePagesBench,
  runPeersBench, runZooBench,
];

async function main(): Promise<void> {
  const results: BenchResult[] = [];
  for (const bench of BENCHES) results.push(...(await bench()));
  console.log(`node ${process.version}, ${process.platform}/${process.arch}`);
  console.log(formatTable(results));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
