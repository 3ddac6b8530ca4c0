/**
 * How peers_bench.ts measures: contenders timed round by round against a copy of the work's
 * input bytes, GFLOP/s, speedups over the reference peer, CPU/wall of threaded rows.
 */
import os from 'os';
import { performance } from 'perf_hooks';
import { BenchResult, median } from '../bench_util';

/** One way of doing a piece of work: a row of the table. */
export interface Contender {
  name: string;
  threads: number;
  /** Untimed, before every call: selects the thread count or the TensorFlow.js backend. */
  prepare?: () => unknown;
  /** One call; a returned promise is awaited inside the timing. */
  run: () => unknown;
  note: string;
  /** tsgluon's rows get a speedup over the work's reference peer. */
  ours: boolean;
}

export interface Work {
  variant: string;
  flops: number;
  /** Elements of the inputs (the copy baseline) and of the output. */
  inputElements: number;
  outputElements: number;
  warmup: number;
  repetitions: number;
  /** Name of the peer whose 1-thread time tsgluon's rows are compared with. */
  reference: string;
  /** The rate a row reports from its median time; GFLOP/s of `flops` by default. */
  rate?: (ms: number) => string;
}

export const TFJS_WASM = 'tfjs-backend-wasm';
export const TFJS_CPU = 'tfjs-backend-cpu';
export const ORT_WEB = 'onnxruntime-web (wasm)';
export const ORT_NODE = 'onnxruntime-node (native CPU)';
/** Thread counts of the threaded rows (this is a 2-core bench machine). */
export const THREAD_COUNTS = [1, 2];
export const IMAGE = 256;

/** tsgluon's thread control, when it has one. */
export interface Threads {
  counts: number[];
  select: (n: number) => unknown;
  /** Appended to tsgluon's notes. */
  note: string;
  restore: () => unknown;
}

export function tsgluonThreads(exported: Record<string, unknown>): Threads {
  const { setNumThreads, getNumThreads, runtimeInfo } = exported;
  const runtime = () => (typeof runtimeInfo === 'function' ? (runtimeInfo() as Record<string, unknown>) : undefined);
  if (typeof setNumThreads !== 'function') {
    return { counts: [1], select: () => undefined, note: '; 1 thread only: tsgluon exports no setNumThreads', restore: () => undefined };
  }
  const before = typeof getNumThreads === 'function' ? Number(getNumThreads()) : os.cpus().length;
  setNumThreads(Math.max(...THREAD_COUNTS));
  const info = runtime();
  setNumThreads(before);
  const note = info === undefined ? '' : `; tsgluon SIMD ${info.simd ? 'on' : 'off'}${info.relaxedSimd ? ' (relaxed)' : ''}, ${info.readyThreads} threads ready`;
  return { counts: THREAD_COUNTS, select: (n) => setNumThreads(n), note, restore: () => setNumThreads(before) };
}

/** Times the contenders and a copy of the inputs alternately. */
export async function measure(work: Work, contenders: Contender[], failures: BenchResult[] = []): Promise<BenchResult[]> {
  const source = new Float32Array(work.inputElements).fill(1);
  const destination = new Float32Array(work.inputElements);
  const all: Contender[] = [{ name: 'copy', threads: 1, run: () => destination.set(source), note: '', ours: false }, ...contenders];
  const once = async (c: Contender): Promise<[number, number]> => {
    await c.prepare?.();
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    await c.run();
    const wall = performance.now() - start;
    const cpu = process.cpuUsage(cpuStart);
    return [wall, (cpu.user + cpu.system) / 1000];
  };
  for (let i = 0; i < work.warmup; i++) for (const c of all) await once(c);
  const wall: number[][] = all.map(() => []);
  const cpu: number[][] = all.map(() => []);
  for (let r = 0; r < work.repetitions; r++) {
    for (const [k, c] of all.entries()) {
      const [w, u] = await once(c);
      wall[k].push(w);
      cpu[k].push(u);
    }
  }
  const [copyMs, ...medians] = wall.map(median);
  const [copyCpu, ...cpuMedians] = cpu.map(median);
  const msOf = (name: string, threads: number) => medians.find((_, i) => contenders[i].name === name && contenders[i].threads === threads);
  const referenceMs = msOf(work.reference, 1);
  const rows = contenders.map((c, i): BenchResult => {
    const ms = medians[i];
    const notes = [work.rate ? work.rate(ms) : `${(work.flops / (ms * 1e6)).toFixed(2)} GFLOP/s`];
    if (c.ours && referenceMs !== undefined) notes.push(`${(referenceMs / ms).toFixed(2)}x ${work.reference} 1 thread`);
    const oneThreadMs = c.threads > 1 ? msOf(c.name, 1) : undefined;
    if (oneThreadMs !== undefined) notes.push(`${(oneThreadMs / ms).toFixed(2)}x its 1-thread time`);
    // Below 2 on a 2-thread row, the second core was busy with something else (or the runtime did not use it).
    if (c.threads > 1) notes.push(`CPU/wall ${(cpuMedians[i] / ms).toFixed(2)}`);
    return {
      name: c.name, variant: `${work.variant}, ${c.threads} thread${c.threads > 1 ? 's' : ''}`, medianMs: ms, copyMs, ratio: ms / copyMs,
      cpuRatio: cpuMedians[i] / copyCpu, allocatedBytes: NaN, outputBytes: work.outputElements * 4, note: notes.join('; ') + c.note,
    };
  });
  return [...rows, ...failures];
}

export function notMeasured(name: string, work: Work, reason: string): BenchResult {
  return {
    name, variant: work.variant, medianMs: NaN, copyMs: NaN, ratio: NaN, allocatedBytes: NaN,
    outputBytes: work.outputElements * 4, note: `not measured: ${reason}`,
  };
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let largest = 0;
  for (let i = 0; i < a.length; i++) largest = Math.max(largest, Math.abs(a[i] - b[i]));
  return largest;
}
