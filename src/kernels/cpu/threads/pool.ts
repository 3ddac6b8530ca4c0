/**
 * The thread pool: `numThreads − 1` workers (Node's `worker_threads`, or Web Workers in a browser;
 * worker_host.ts) that run the SIMD module's loops on the shared kernel memory beside the calling
 * thread.
 *
 * A job is a list of parts (one argument vector each, for one exported function). The caller
 * writes them into the control block, bumps the sequence word and wakes the workers; then it and
 * every ready worker take parts from a shared counter until none is left, and the caller waits
 * until all are done (in `Atomics.wait`, or spinning on a browser's main thread, where waiting
 * is not allowed). Parts are fixed by the caller, so results do not depend on which thread
 * runs which part, nor on how many workers are up: until they are (a worker takes ~30 ms to
 * start), the caller runs every part itself.
 *
 * After a job, NEXT is parked far above any part count, so a worker that wakes late for an old
 * job takes nothing from it; the next job's arguments are written before NEXT is reset to 0.
 *
 * Workers are started once, on the first job that can use them, and never stopped: a lower
 * thread count leaves the extra ones idle (stopping a worker in the middle of a part would lose
 * it), and idle workers never keep the process alive.
 *
 * Where SharedArrayBuffer is missing (a page that is not cross-origin isolated) or no kind of
 * worker exists, everything runs on the calling thread, and the console says so once.
 */
import { describeValue } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { KernelMemory, CONTROL_BYTES } from './arena';
import { canBlock, canStartWorkers, startPoolWorker } from './worker_host';

/** Int32 slots at the start of the control block; the float64 argument rows follow. */
const HEADER = { SEQUENCE: 0, NEXT: 1, DONE: 2, PARTS: 3, FUNCTION: 4, ARG_COUNT: 5, READY: 6, FAILED: 7, ACTIVE: 8, LENGTH: 10 } as const;
const MAX_ARGS = 20;
/** Most parts a job may have (the control block's argument rows). */
export const MAX_PARTS = Math.floor((CONTROL_BYTES - HEADER.LENGTH * 4) / (8 * MAX_ARGS));
/** NEXT between jobs: late wakers take nothing. */
const PARKED = 1 << 30;
/** Most threads setNumThreads accepts. */
export const MAX_THREADS = 64;

/** Modules whose exported functions the pool runs, on the memory its workers share. */
export interface PoolTarget {
  /** Instantiated together on the memory; their exports' names are distinct. */
  readonly modules: readonly WebAssembly.Module[];
  readonly memory: KernelMemory;
  /** Exported functions, by name, that jobs may call. */
  readonly functions: readonly string[];
  /** The calling thread's instances' exports, merged. */
  readonly exports: WebAssembly.Exports;
}

let numThreads = defaultThreadCount();
let target: PoolTarget | undefined;
/** Workers started (each takes part once it has said it is ready). */
let workerCount = 0;
let control: Int32Array | undefined;
let args: Float64Array | undefined;

/**
 * Sets how many threads the compute kernels use (the calling thread included); the default is
 * the number of cores, or `TSGLUON_NUM_THREADS` in Node. Results do not depend on it.
 *
 * @throws GluonError unless n is an integer from 1 to 64.
 * @example tsgluon.setNumThreads(1); // everything on the calling thread
 */
export function setNumThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) {
    throw new GluonError(`setNumThreads: expected an integer from 1 to ${MAX_THREADS}, but got ${describeValue(n)}`);
  }
  numThreads = n;
  if (control) Atomics.store(control, HEADER.ACTIVE, n);
}

/** How many threads the compute kernels use (the calling thread included). */
export function getNumThreads(): number {
  return numThreads;
}

/** How many threads can take part now: the caller plus the workers that are up. */
export function readyThreads(): number {
  return Math.min(numThreads, 1 + (control ? Atomics.load(control, HEADER.READY) : 0));
}

/**
 * Runs `partArgs.length` calls of `target.exports[fn]`, one per argument vector, spread over the
 * pool; returns when all are done.
 */
export function runParts(job: PoolTarget, fn: string, partArgs: readonly (readonly number[])[]): void {
  const call = job.exports[fn] as (...values: number[]) => void;
  if (partArgs.length <= 1 || numThreads === 1 || !startWorkers(job)) {
    for (const values of partArgs) call(...values);
    return;
  }
  const ctl = control!, rows = args!;
  if (partArgs.length > MAX_PARTS) throw new RangeError(`thread pool: ${partArgs.length} parts, at most ${MAX_PARTS}`);
  partArgs.forEach((values, part) => rows.set(values, part * MAX_ARGS));
  Atomics.store(ctl, HEADER.FUNCTION, job.functions.indexOf(fn));
  Atomics.store(ctl, HEADER.ARG_COUNT, partArgs[0].length);
  Atomics.store(ctl, HEADER.PARTS, partArgs.length);
  Atomics.store(ctl, HEADER.DONE, 0);
  Atomics.store(ctl, HEADER.FAILED, 0);
  Atomics.store(ctl, HEADER.NEXT, 0);
  Atomics.add(ctl, HEADER.SEQUENCE, 1);
  Atomics.notify(ctl, HEADER.SEQUENCE);
  for (let part = Atomics.add(ctl, HEADER.NEXT, 1); part < partArgs.length; part = Atomics.add(ctl, HEADER.NEXT, 1)) {
    call(...partArgs[part]);
    Atomics.add(ctl, HEADER.DONE, 1);
  }
  const block = canBlock(ctl, HEADER.DONE);
  for (let done = Atomics.load(ctl, HEADER.DONE); done < partArgs.length; done = Atomics.load(ctl, HEADER.DONE)) {
    // A browser's main thread may not wait: it spins until the workers' last parts are done.
    if (block) Atomics.wait(ctl, HEADER.DONE, done, 50);
  }
  Atomics.store(ctl, HEADER.NEXT, PARKED);
  if (Atomics.load(ctl, HEADER.FAILED) !== 0) throw new Error('thread pool: a worker failed to run its part');
}

/**
 * Splits [0, count) into at most `parts` consecutive ranges of nearly equal length, as
 * [begin, end) pairs: the usual way a kernel cuts its work for {@link runParts}.
 *
 * @example splitRange(10, 3) // [[0, 4], [4, 8], [8, 10]]
 */
export function splitRange(count: number, parts: number): [number, number][] {
  const step = Math.ceil(count / Math.max(1, parts));
  const ranges: [number, number][] = [];
  for (let begin = 0; begin < count; begin += step) ranges.push([begin, Math.min(count, begin + step)]);
  return ranges;
}

/** Below this much work (in floats copied, or the equivalent) a job runs on one thread: waking a worker costs ~20 µs. */
export const PARALLEL_FLOATS = 1 << 16;

/**
 * {@link splitRange} of `count` items into one range per thread when the job's work (`floats`,
 * in floats copied or the equivalent) is worth splitting, else one range.
 *
 * @example threadRanges(100, 1000) // [[0, 100]]: too little to wake a worker
 */
export function threadRanges(count: number, floats: number): [number, number][] {
  return splitRange(count, floats >= PARALLEL_FLOATS ? getNumThreads() : 1);
}

/**
 * Starts workers for `job` up to the thread count; false where threads are unavailable. They
 * become ready asynchronously; parts run on the caller until they are.
 */
export function startWorkers(job: PoolTarget): boolean {
  if (numThreads === 1) return false;
  if (!job.memory.shared) {
    warnOnce('SharedArrayBuffer is unavailable (a page must be cross-origin isolated: served with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp), so the kernels run on one thread');
    return false;
  }
  if (target !== undefined && target !== job) throw new Error('thread pool: one set of kernel modules per process');
  if (workerCount + 1 >= numThreads) return true;
  if (!canStartWorkers()) {
    warnOnce('this runtime has no workers (neither worker_threads nor Web Workers), so the kernels run on one thread');
    return false;
  }
  const { memory, controlAddress } = job.memory;
  if (control === undefined) {
    target = job;
    control = new Int32Array(memory.buffer, controlAddress, HEADER.LENGTH);
    args = new Float64Array(memory.buffer, controlAddress + HEADER.LENGTH * 4, MAX_PARTS * MAX_ARGS);
    Atomics.store(control, HEADER.NEXT, PARKED);
  }
  Atomics.store(control, HEADER.ACTIVE, numThreads);
  while (workerCount + 1 < numThreads) {
    startPoolWorker({ memory, modules: job.modules, functions: job.functions, controlAddress, maxArgs: MAX_ARGS, header: HEADER, index: workerCount + 1 });
    workerCount++;
  }
  return true;
}

const warned = new Set<string>();

/** Says `message` on the console, once per process (or page). */
function warnOnce(message: string): void {
  if (warned.has(message)) return;
  warned.add(message);
  console.warn(`tsgluon: ${message}`);
}

/** How long {@link workersReady} waits for workers (they take ~30 ms to start where they can). */
const READY_TIMEOUT_MS = 10_000;

/**
 * Resolves once the workers the thread count asks for are ready (at once without workers), or
 * after 10 s with a warning — a page whose Content-Security-Policy refuses `blob:` workers
 * never gets them, and the caller then runs every part itself.
 */
export async function workersReady(): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (control && readyThreads() < Math.min(numThreads, workerCount + 1)) {
    if (Date.now() > deadline) {
      warnOnce(`only ${readyThreads()} of ${numThreads} threads started within ${READY_TIMEOUT_MS / 1000} s (a Content-Security-Policy without worker-src blob:?); the rest of the work runs on the threads that did`);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function defaultThreadCount(): number {
  const fromEnv = typeof process !== 'undefined' ? Number(process.env?.TSGLUON_NUM_THREADS) : NaN;
  if (Number.isInteger(fromEnv) && fromEnv >= 1) return Math.min(fromEnv, MAX_THREADS);
  if (typeof navigator !== 'undefined' && navigator.hardwareConcurrency) return Math.min(navigator.hardwareConcurrency, MAX_THREADS);
  try {
    const os = require('os') as { availableParallelism?: () => number; cpus(): unknown[] };
    return Math.min(os.availableParallelism?.() ?? os.cpus().length, MAX_THREADS);
  } catch {
    return 1;
  }
}
