/**
 * Shared measuring tools for the benchmarks: interleaved timing against a memory copy, and the
 * bytes one call allocates. Benchmarks report ratios, not absolute times, so results from a busy
 * or slow machine stay comparable (DESIGN.md §5).
 */
import { performance } from 'perf_hooks';
import v8 from 'v8';
import vm from 'vm';

/** One row of the benchmark table. */
export interface BenchResult {
  /** What ran, e.g. `kernel normForward` or `nn.InstanceNorm`. */
  name: string;
  /** The case, e.g. `NCHW (8, 64, 128, 128)`. */
  variant: string;
  /** Median wall time of one call, in milliseconds. */
  medianMs: number;
  /** Median time of copying the input's bytes with `Float32Array.prototype.set`, interleaved with the calls. */
  copyMs: number;
  /** medianMs / copyMs. */
  ratio: number;
  /**
   * Median time of `source.slice()`: the same copy into a freshly allocated array. An op that
   * returns a new array pays that allocation too (fresh memory is zeroed page by page by the OS
   * on first touch, which costs several copies' worth in some VMs), so medianMs / freshCopyMs
   * shows how an allocating call compares with the cheapest allocating copy.
   */
  freshCopyMs?: number;
  /** Median CPU time of a call / median CPU time of the copy (see {@link timeAgainstCopy}). */
  cpuRatio?: number;
  /** Bytes one call allocates (ArrayBuffer memory), see {@link measureAllocatedBytes}; NaN if not measured. */
  allocatedBytes: number;
  /** Bytes of the call's output. */
  outputBytes: number;
  /** Why a row could not be measured, or anything a reader must know about it. */
  note?: string;
}

export interface TimingOptions {
  warmup: number;
  repetitions: number;
}

/**
 * Times `target`, a copy of `elements` float32 values into a preallocated array
 * (`Float32Array.prototype.set`) and the same copy into a fresh array (`slice()`) alternately,
 * after `warmup` untimed calls of each, so all three see the same machine load; returns the
 * median wall times in ms, and the ratio of the median CPU times of `target` and the copy (on a
 * shared machine a long call is preempted more often than a short copy, which inflates the wall
 * ratio; the CPU ratio is not affected).
 */
export function timeAgainstCopy(target: () => unknown, elements: number, options: TimingOptions): { medianMs: number; copyMs: number; freshCopyMs: number; cpuRatio: number } {
  const source = new Float32Array(elements).fill(1);
  const destination = new Float32Array(elements);
  const copy = () => destination.set(source);
  // The fresh copy is timed in a phase of its own: interleaved, its garbage would trigger
  // collections that land inside the target's timings.
  const [freshWall] = timeInterleaved([copy, () => source.slice()], options);
  const [wall, cpu] = timeInterleaved([copy, target], options);
  return { copyMs: median(wall[0]), freshCopyMs: median(freshWall[1]), medianMs: median(wall[1]), cpuRatio: median(cpu[1]) / median(cpu[0]) };
}

/** Wall and CPU times of each function, run alternately so that all see the same machine load. */
function timeInterleaved(timed: (() => unknown)[], options: TimingOptions): [number[][], number[][]] {
  for (let i = 0; i < options.warmup; i++) timed.forEach((fn) => fn());
  const wall: number[][] = timed.map(() => []);
  const cpu: number[][] = timed.map(() => []);
  for (let i = 0; i < options.repetitions; i++) {
    timed.forEach((fn, k) => {
      const [wallMs, cpuMs] = timeOnce(fn);
      wall[k].push(wallMs);
      cpu[k].push(cpuMs);
    });
  }
  return [wall, cpu];
}

/** Wall and CPU (user + system, this process) milliseconds of one call. */
function timeOnce(fn: () => unknown): [number, number] {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  fn();
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return [wallMs, (cpu.user + cpu.system) / 1000];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

let collectGarbage: (() => void) | undefined;

/** V8's `gc()`, exposed at run time so `npm run bench` needs no `--expose-gc` flag. */
function gc(): void {
  if (collectGarbage === undefined) {
    v8.setFlagsFromString('--expose-gc');
    collectGarbage = vm.runInNewContext('gc');
  }
  collectGarbage?.();
}

/**
 * Bytes of ArrayBuffer memory one call of `fn` allocates: after a full GC, the growth of
 * `process.memoryUsage().arrayBuffers` across the call while its result is still referenced.
 * This counts every typed array backing store made during the call (the output, statistics,
 * scratch), except V8's on-heap typed arrays of ≤ 64 bytes. A GC during the call could only hide
 * freed temporaries, so the largest of three trials is reported. `release` frees a result that
 * needs it (e.g. a TensorFlow.js tensor), and keeps it referenced until after the measurement.
 */
export function measureAllocatedBytes<T>(fn: () => T, release: (result: T) => void = () => undefined): number {
  let largest = 0;
  for (let trial = 0; trial < 3; trial++) {
    gc();
    const before = process.memoryUsage().arrayBuffers;
    const result = fn();
    const after = process.memoryUsage().arrayBuffers;
    largest = Math.max(largest, after - before);
    release(result);
  }
  return largest;
}

/** Formats results as an aligned text table. */
export function formatTable(results: readonly BenchResult[]): string {
  const header = ['benchmark', 'case', 'median ms', 'copy ms', 'ratio', 'cpu ratio', 'fresh copy ms', 'ratio fresh', 'allocated', 'output', 'alloc/output', 'note'];
  const fresh = (r: BenchResult) => (r.freshCopyMs === undefined ? ['-', '-'] : [r.freshCopyMs.toFixed(2), (r.medianMs / r.freshCopyMs).toFixed(2)]);
  const rows = results.map((r) => [
    r.name, r.variant, r.medianMs.toFixed(2), r.copyMs.toFixed(2), r.ratio.toFixed(2), r.cpuRatio?.toFixed(2) ?? '-', ...fresh(r),
    formatBytes(r.allocatedBytes), formatBytes(r.outputBytes),
    Number.isFinite(r.allocatedBytes) ? (r.allocatedBytes / r.outputBytes).toFixed(4) : '-', r.note ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i])).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '-';
  if (Math.abs(bytes) < 1024) return `${bytes} B`;
  if (Math.abs(bytes) < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 ** 2).toFixed(2)} MiB`;
}

/** Deterministic values in [−0.5, 0.5) from a linear congruential generator: benches need variety, not randomness. */
export function randomData(size: number, seed: number): Float32Array {
  const data = new Float32Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    data[i] = state / 2 ** 32 - 0.5;
  }
  return data;
}
