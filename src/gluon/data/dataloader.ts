/**
 * `gluon.data.DataLoader` (MXNet 1.9's `gluon/data/dataloader.py`): mini-batches of a dataset,
 * as the first cell of every Gluon training loop uses them.
 */
import { checkFlag, checkFunction, checkIntAtLeast, checkChoice, checkOptionsObject, optionKeys } from '../../core/checks';
import { GluonError } from '../../core/errors';
import { uniform01 } from '../../random';
import { BatchOf, defaultBatchify } from './batchify';
import { Dataset } from './dataset';
import { SampleWorkers } from './sample_workers';
import { WorkerRecipe, recipeOf } from './recipes';
import { BatchSampler, LAST_BATCH_CHOICES, LastBatch, RandomSampler, Sampler, SequentialSampler, checkSampler } from './sampler';

/** Options of DataLoader (MXNet's arguments, camelCase). */
export interface DataLoaderOptions<T, B> {
  /** Samples per batch; required unless `batchSampler` is given. */
  batchSize?: number;
  /** Visit the samples in a new random order every epoch (`random.seed` makes it repeatable). Default false. */
  shuffle?: boolean;
  /** The indices to visit, in order; not with `shuffle`. Default: all, in order. */
  sampler?: Sampler;
  /** The last, incomplete batch: 'keep' (default), 'discard', or 'rollover' into the next epoch. */
  lastBatch?: LastBatch;
  /** Batches of indices; then give none of batchSize, shuffle, sampler, lastBatch. */
  batchSampler?: Sampler<readonly number[]>;
  /** Merges a list of samples into a batch. Default: defaultBatchify (stack NDArrays, batch numbers and arrays). */
  batchifyFn?: (samples: T[]) => B;
  /**
   * Worker threads reading samples ahead (Node). The dataset must be one a worker can rebuild:
   * a built-in file dataset (MNIST, FashionMNIST, CIFAR10, CIFAR100, ImageFolderDataset,
   * ImageRecordDataset, RecordFileDataset) or `datasetFromModule(...)`; iterate with `for await`.
   * Default 0 (samples are read on the calling thread).
   */
  numWorkers?: number;
  /** Batches requested ahead of the one being used, with numWorkers > 0. Default 2 · numWorkers, as MXNet. */
  prefetch?: number;
}

const KEYS = optionKeys<DataLoaderOptions<unknown, unknown>>({
  batchSize: true, shuffle: true, sampler: true, lastBatch: true, batchSampler: true, batchifyFn: true, numWorkers: true, prefetch: true,
});

/**
 * Loads mini-batches from `dataset`: each batch is `batchifyFn` of the samples at a batch of
 * indices. Iterate with `for (const [data, label] of loader)` (or `for await`, the same batches);
 * `loader.length` is the number of batches per epoch. Every iteration is a new epoch: with
 * `shuffle`, a new order.
 *
 * With `numWorkers` > 0, worker threads read the samples (each rebuilds the dataset from its
 * recipe: a built-in dataset, its lazy transforms with built-in vision transforms, `shard`, `take`
 * — see recipes.ts — or `datasetFromModule` for anything else), up to `prefetch` batches ahead, and the loader batches them
 * here; iterate with `for await`. Batch i is read by worker i mod numWorkers, whose random
 * generator is seeded from the global one when the epoch starts, so a seeded run repeats (for a
 * given numWorkers; random transforms draw other numbers than on one thread). The workers stop
 * at the end of each epoch, or when the loop is left early.
 *
 * Departures from MXNet: `pinMemory` has no meaning without a GPU; workers are threads, not
 * processes.
 *
 * @example
 * const dataset = new gluon.data.ArrayDataset(images, labels); // (N, 1, 28, 28) and (N,)
 * const loader = new gluon.data.DataLoader(dataset, { batchSize: 64, shuffle: true, lastBatch: 'discard' });
 * for (const [data, label] of loader) { … } // data (64, 1, 28, 28), label (64,)
 */
export class DataLoader<T, B = BatchOf<T>> implements Iterable<B>, AsyncIterable<B> {
  private readonly batchSampler: Sampler<readonly number[]>;
  private readonly batchifyFn: (samples: T[]) => B;
  readonly numWorkers: number;
  readonly prefetch: number;
  private readonly recipe: WorkerRecipe | undefined;

  constructor(private readonly dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    const who = 'DataLoader';
    if (!(dataset instanceof Dataset)) throw new GluonError(`${who}: expected a gluon.data.Dataset (wrap arrays in ArrayDataset), but got ${describe(dataset)}`);
    const given = checkOptionsObject(who, options, KEYS) as DataLoaderOptions<T, B>;
    this.batchSampler = given.batchSampler === undefined ? makeBatchSampler(who, dataset, given) : checkBatchSamplerAlone(who, given);
    const batchDefault: (samples: T[]) => unknown = defaultBatchify;
    // Without a batchifyFn, B is its default, BatchOf<T>: what defaultBatchify returns.
    this.batchifyFn = given.batchifyFn === undefined ? (batchDefault as (samples: T[]) => B) : checkFunction(who, 'batchifyFn', given.batchifyFn);
    this.numWorkers = checkIntAtLeast(who, 'numWorkers', given.numWorkers ?? 0, 0);
    this.prefetch = checkIntAtLeast(who, 'prefetch', given.prefetch ?? 2 * this.numWorkers, this.numWorkers > 0 ? 1 : 0);
    this.recipe = this.numWorkers > 0 ? workerRecipe(who, dataset) : undefined;
  }

  /** Batches per epoch (for 'rollover', in the next epoch). */
  get length(): number {
    return this.batchSampler.length;
  }

  *[Symbol.iterator](): Iterator<B> {
    if (this.numWorkers > 0) {
      throw new GluonError(`DataLoader: with numWorkers ${this.numWorkers}, iterate with for await (the workers answer asynchronously)`);
    }
    for (const indices of this.batchSampler) yield this.batchifyFn(indices.map((i) => this.dataset.get(i)));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    if (this.recipe === undefined) {
      for (const batch of this) yield batch;
      return;
    }
    // The epoch's batches of indices are drawn now, on this thread (the shuffle follows random.seed).
    const batches = [...this.batchSampler];
    const workers = new SampleWorkers('DataLoader', this.recipe, this.numWorkers, Math.floor(uniform01() * 2 ** 31));
    const requested: Promise<unknown[]>[] = [];
    const request = () => {
      const next = requested.length;
      if (next >= batches.length) return;
      const samples = workers.samples(next, batches[next]);
      samples.catch(() => undefined); // awaited in order below; a failure ahead of that must not go unhandled
      requested.push(samples);
    };
    try {
      for (let i = 0; i < this.prefetch; i++) request();
      for (let b = 0; b < batches.length; b++) {
        const samples = (await requested[b]) as T[];
        request();
        yield this.batchifyFn(samples);
      }
    } finally {
      await workers.close();
    }
  }
}

/** The dataset's worker recipe, or an error saying which datasets workers can rebuild. */
function workerRecipe(who: string, dataset: Dataset<unknown>): WorkerRecipe {
  const recipe = recipeOf(dataset);
  if (recipe !== undefined) return recipe;
  throw new GluonError(
    `${who}: numWorkers needs a dataset the worker threads can rebuild — a built-in file dataset (MNIST, FashionMNIST, CIFAR10, CIFAR100, ImageFolderDataset, ImageRecordDataset, RecordFileDataset, without a transform function), ` +
      'such a dataset\'s transform/transformFirst (lazy) with built-in vision transforms, shard or take, ' +
      `or gluon.data.datasetFromModule(path, exportName, ...args) — but got a ${dataset.constructor.name} made on this thread from something else (a closure cannot cross to a worker)`,
  );
}

function makeBatchSampler<T>(who: string, dataset: Dataset<T>, options: DataLoaderOptions<T, unknown>): BatchSampler {
  if (options.batchSize === undefined) throw new GluonError(`${who}: expected batchSize (unless batchSampler is given), but got none`);
  const batchSize = checkIntAtLeast(who, 'batchSize', options.batchSize, 1);
  const shuffle = options.shuffle === undefined ? false : checkFlag(who, 'shuffle', options.shuffle);
  const lastBatch = options.lastBatch === undefined ? 'keep' : checkChoice(who, 'lastBatch', options.lastBatch, LAST_BATCH_CHOICES);
  if (options.sampler !== undefined && shuffle) throw new GluonError(`${who}: expected shuffle or a sampler, not both`);
  if (options.sampler !== undefined) checkSampler(who, 'sampler', options.sampler);
  const sampler = options.sampler ?? (shuffle ? new RandomSampler(dataset.length) : new SequentialSampler(dataset.length));
  return new BatchSampler(sampler, batchSize, lastBatch);
}

function checkBatchSamplerAlone<T>(who: string, options: DataLoaderOptions<T, unknown>): Sampler<readonly number[]> {
  const clashing = (['batchSize', 'shuffle', 'sampler', 'lastBatch'] as const).filter((key) => options[key] !== undefined);
  if (clashing.length > 0) {
    throw new GluonError(`${who}: expected none of batchSize, shuffle, sampler and lastBatch with a batchSampler, but got ${clashing.join(', ')}`);
  }
  checkSampler(who, 'batchSampler', options.batchSampler);
  return options.batchSampler as Sampler<readonly number[]>;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? `an array of length ${value.length}` : value === null ? 'null' : typeof value === 'object' ? 'an object' : typeof value;
}
