/**
 * A DataLoader's worker threads (Node's worker_threads): each rebuilds the dataset from its
 * recipe, seeds its own random generator, and answers requests for the samples at a batch of
 * indices; NDArrays travel as their storage (transferred), and the loader batches them on its
 * own thread, so `batchifyFn` may be a closure.
 */
import { GluonError } from '../../core/errors';
import { DType, storageOver } from '../../ndarray/dtype';
import { NDArray } from '../../ndarray/ndarray';
import { WorkerRecipe, recipeModules } from './recipes';

/** The code each worker runs (inlined, `eval: true`, so bundlers need no worker configuration). */
const WORKER_CODE = `
const { parentPort, workerData } = require('worker_threads');
const { recipe, seed, randomModule, tsNode } = workerData;
if (tsNode) require(tsNode).register({ transpileOnly: true });
// recipes.ts's recipes: a module's export constructed or called, or a method of a rebuilt object.
const rebuild = (r) => {
  const args = r.args.map(decode);
  if (r.method !== undefined) return rebuild(r.target)[r.method](...args);
  const exported = require(r.module)[r.exportName];
  return r.construct ? new exported(...args) : exported(...args);
};
const decode = (v) => {
  if (Array.isArray(v)) return v.map(decode);
  if (v === null || typeof v !== 'object') return v;
  if (v.$recipe !== undefined) return rebuild(v.$recipe);
  return Object.fromEntries(Object.entries(v).map(([key, item]) => [key, decode(item)]));
};
const dataset = rebuild(recipe);
require(randomModule).seed(seed);
let transfer = [];
const pack = (x) => {
  if (x !== null && typeof x === 'object' && Array.isArray(x.shape) && typeof x.dtype === 'string' && x.values) {
    const values = x.values.slice();
    transfer.push(values.buffer);
    return { ndarray: true, shape: x.shape.slice(), dtype: x.dtype, values };
  }
  return Array.isArray(x) ? x.map(pack) : x;
};
parentPort.on('message', ({ id, indices }) => {
  transfer = [];
  try {
    parentPort.postMessage({ id, samples: indices.map((i) => pack(dataset.get(i))) }, transfer);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: WorkerReply) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
  terminate(): Promise<number>;
}

interface WorkerReply { id: number; samples?: unknown[]; error?: string }

type Pending = { resolve: (samples: unknown[]) => void; reject: (error: Error) => void };

/** `numWorkers` threads reading samples of the dataset `recipe` rebuilds. */
export class SampleWorkers {
  private readonly workers: NodeWorker[];
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  constructor(who: string, recipe: WorkerRecipe, count: number, seed: number) {
    const workerThreads = loadWorkerThreads(who);
    const randomModule = require.resolve('../../random');
    const tsNode = [...recipeModules(recipe), randomModule].some((file) => file.endsWith('.ts')) ? resolveTsNode(who) : undefined;
    this.workers = Array.from({ length: count }, (_, i) => {
      const worker = new workerThreads.Worker(WORKER_CODE, { eval: true, workerData: { recipe, seed: seed + i, randomModule, tsNode } }) as NodeWorker;
      worker.on('message', (reply) => this.settle(who, reply));
      worker.on('error', (error) => this.failAll(new GluonError(`${who}: worker ${i} failed: ${error.message}`)));
      return worker;
    });
  }

  /** The samples at `indices`, read by worker `worker`. */
  samples(worker: number, indices: readonly number[]): Promise<unknown[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.workers[worker % this.workers.length].postMessage({ id, indices: [...indices] });
    });
  }

  /** Stops every worker (the process can then exit). */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private settle(who: string, { id, samples, error }: WorkerReply): void {
    const pending = this.pending.get(id);
    if (pending === undefined) return;
    this.pending.delete(id);
    if (error !== undefined) {
      pending.reject(new GluonError(`${who}: a worker could not read a sample: ${error}`));
      return;
    }
    try {
      pending.resolve((samples ?? []).map(unpack));
    } catch (failure) {
      pending.reject(failure as Error);
    }
  }

  private failAll(error: Error): void {
    for (const { reject } of this.pending.values()) reject(error);
    this.pending.clear();
  }
}

interface PackedArray { ndarray: true; shape: number[]; dtype: DType; values: ArrayBufferView & { length: number } }

/** A sample as it came from a worker, its NDArrays rebuilt around their transferred storage. */
function unpack(x: unknown): unknown {
  if (x !== null && typeof x === 'object' && (x as PackedArray).ndarray === true) {
    const { values, shape, dtype } = x as PackedArray;
    return new NDArray(storageOver(dtype, values.buffer, values.byteOffset, values.length), shape, dtype);
  }
  return Array.isArray(x) ? x.map(unpack) : x;
}

function loadWorkerThreads(who: string): { Worker: new (code: string, options: object) => unknown } {
  const loaded = typeof require === 'function' ? (require('worker_threads') as { Worker?: new (code: string, options: object) => unknown }) : undefined;
  if (typeof loaded?.Worker !== 'function') throw new GluonError(`${who}: numWorkers needs Node's worker_threads, which this environment has not; use numWorkers 0`);
  return loaded as { Worker: new (code: string, options: object) => unknown };
}

/** ts-node, so a worker can load TypeScript modules (tests, ts-node users); an error when it is missing. */
function resolveTsNode(who: string): string {
  try {
    return require.resolve('ts-node');
  } catch {
    throw new GluonError(`${who}: the dataset's module is TypeScript, which worker threads load only through ts-node; install ts-node or give a compiled .js module`);
  }
}
