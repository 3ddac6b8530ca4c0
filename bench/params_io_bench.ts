/**
 * nd.save / nd.load of a 100 MB file (a record of four 2500×2500 float32 arrays), timed against
 * fs.writeFileSync / fs.readFileSync of the same bytes to the same folder (bar: ratio ≤ 2).
 * Medians after a warm-up, ours and the baseline alternating so both see the same cache state
 * and machine load. The files go to os.tmpdir() and are deleted afterwards.
 *
 * Run alone: npx ts-node bench/params_io_bench.ts (bench/run.ts runs it with the others).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import * as nd from '../src/ndarray';
import { NDArray } from '../src/ndarray';
import { BenchResult, formatTable, measureAllocatedBytes, median } from './bench_util';

const ARRAYS = 4;
const SIDE = 2500;
const WARMUP = 1;
const REPETITIONS = 5;

function timeOnce(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

/** Times `ours` and `baseline` alternately; returns their medians in ms. */
function timeAgainst(ours: () => unknown, baseline: () => unknown): { medianMs: number; copyMs: number } {
  for (let i = 0; i < WARMUP; i++) {
    baseline();
    ours();
  }
  const oursTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    baselineTimes.push(timeOnce(baseline));
    oursTimes.push(timeOnce(ours));
  }
  return { medianMs: median(oursTimes), copyMs: median(baselineTimes) };
}

function bigArrays(): Record<string, NDArray> {
  const arrays: Record<string, NDArray> = {};
  for (let k = 0; k < ARRAYS; k++) {
    const data = new Float32Array(SIDE * SIDE);
    for (let i = 0; i < data.length; i++) data[i] = (i % 1000) * 0.001 - k;
    arrays[`layer${k}_weight`] = new NDArray(data, [SIDE, SIDE]);
  }
  return arrays;
}

/** Saves and loads 100 MB through nd.save/nd.load and through plain fs; two rows for bench/run.ts. */
export async function runParamsIoBench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-params-bench-'));
  const ours = path.join(dir, 'ours.params');
  const plain = path.join(dir, 'plain.params');
  try {
    const arrays = bigArrays();
    const bytes = nd.saveBytes(arrays);
    const variant = `record of ${ARRAYS} × (${SIDE}, ${SIDE}) float32, ${(bytes.length / 1e6).toFixed(0)} MB`;
    const saveArrays = (): void => nd.save(ours, arrays);
    const loadArrays = (): unknown => nd.load(ours);
    const save = { ...timeAgainst(saveArrays, () => fs.writeFileSync(plain, bytes)), allocatedBytes: measureAllocatedBytes(saveArrays) };
    const load = { ...timeAgainst(loadArrays, () => fs.readFileSync(plain)), allocatedBytes: measureAllocatedBytes(loadArrays) };
    const row = (name: string, timing: { medianMs: number; copyMs: number; allocatedBytes: number }, baseline: string): BenchResult => ({
      name,
      variant,
      ...timing,
      ratio: timing.medianMs / timing.copyMs,
      outputBytes: bytes.length,
      note: `"copy ms" here is ${baseline} of the same bytes; bar: ratio <= 2`,
    });
    return [row('nd.save', save, 'fs.writeFileSync'), row('nd.load', load, 'fs.readFileSync')];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  runParamsIoBench()
    .then((results) => console.log(formatTable(results)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
