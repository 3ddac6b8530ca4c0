/**
 * Where the thread pool's workers come from: Node's `worker_threads` (the code evaluated from a
 * string) or, in a browser, Web Workers made from a Blob URL of the same code — no separate
 * worker file for a bundler to find. And whether this thread may block in `Atomics.wait`: a
 * browser's main thread may not, so the pool spins there instead.
 */
import { BROWSER_WORKER_SOURCE, NODE_WORKER_SOURCE } from './worker_source';

/** What a worker receives: the modules, the shared memory, and the control block's layout. */
export interface PoolWorkerData {
  readonly memory: WebAssembly.Memory;
  readonly modules: readonly WebAssembly.Module[];
  readonly functions: readonly string[];
  readonly controlAddress: number;
  readonly maxArgs: number;
  readonly header: Readonly<Record<string, number>>;
  /** 1, 2, …: the worker takes part while its index is below the thread count. */
  readonly index: number;
}

interface NodeWorkerThreads { Worker: new (code: string, options: { eval: true; workerData: unknown }) => { unref(): void } }
interface WebWorkerGlobals {
  Worker: new (url: string) => { postMessage(data: unknown): void };
  Blob: new (parts: string[], options: { type: string }) => unknown;
  URL: { createObjectURL(blob: unknown): string };
}

/** Whether this runtime can start pool workers at all. */
export function canStartWorkers(): boolean {
  return nodeWorkerThreads() !== undefined || webWorkerGlobals() !== undefined;
}

/**
 * Starts one worker running the pool loop on `data`; false where no kind of worker exists.
 * Node's workers are unref'd: idle ones never keep the process alive.
 */
export function startPoolWorker(data: PoolWorkerData): boolean {
  const node = nodeWorkerThreads();
  if (node !== undefined) {
    new node.Worker(NODE_WORKER_SOURCE, { eval: true, workerData: data }).unref();
    return true;
  }
  const web = webWorkerGlobals();
  if (web === undefined) return false;
  browserWorkerUrl ??= web.URL.createObjectURL(new web.Blob([BROWSER_WORKER_SOURCE], { type: 'text/javascript' }));
  new web.Worker(browserWorkerUrl).postMessage(data);
  return true;
}

let browserWorkerUrl: string | undefined;

/** Node's worker_threads, or undefined outside Node. */
function nodeWorkerThreads(): NodeWorkerThreads | undefined {
  if (typeof process === 'undefined' || !process.versions?.node || typeof require !== 'function') return undefined;
  try {
    return require('worker_threads') as NodeWorkerThreads;
  } catch {
    return undefined;
  }
}

/** A browser's Worker, Blob and URL (in a page or a worker), or undefined. */
function webWorkerGlobals(): WebWorkerGlobals | undefined {
  const scope = globalThis as Partial<WebWorkerGlobals>;
  const { Worker, Blob, URL } = scope;
  if (typeof Worker !== 'function' || typeof Blob !== 'function' || typeof URL?.createObjectURL !== 'function') return undefined;
  return { Worker, Blob, URL };
}

let blocking: boolean | undefined;

/**
 * Whether `Atomics.wait` may block this thread: true in Node and in workers, false on a browser's
 * main thread, where it throws — the pool's caller then spins on the counter instead.
 */
export function canBlock(control: Int32Array, slot: number): boolean {
  if (blocking === undefined) {
    try {
      // A value that cannot be there: returns 'not-equal' at once where waiting is allowed.
      Atomics.wait(control, slot, Atomics.load(control, slot) + 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}
