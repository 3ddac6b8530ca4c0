/**
 * `gluon.data.DataLoader` (MXNet 1.9's `gluon/data/dataloader.py`): mini-batches of a dataset,
 * as the first cell of every Gluon training loop uses them.
 */
import { checkFlag, checkFunction, checkIntAtLeast, checkChoice, checkOptionsObject, optionKeys } from '../../core/checks';
import { GluonError } from '../../core/errors';
import { BatchOf, defaultBatchify } from './batchify';
import { Dataset } from './dataset';
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
}

const KEYS = optionKeys<DataLoaderOptions<unknown, unknown>>({
  batchSize: true, shuffle: true, sampler: true, lastBatch: true, batchSampler: true, batchifyFn: true,
});

/**
 * Loads mini-batches from `dataset`: each batch is `batchifyFn` of the samples at a batch of
 * indices. Iterate with `for (const [data, label] of loader)` (or `for await`, the same batches);
 * `loader.length` is the number of batches per epoch. Every iteration is a new epoch: with
 * `shuffle`, a new order.
 *
 * Departures from MXNet: `numWorkers` is not offered yet (samples are read on the calling
 * thread; MXNet's default is the same, 0 workers); `pinMemory` has no meaning without a GPU.
 *
 * @example
 * const dataset = new gluon.data.ArrayDataset(images, labels); // (N, 1, 28, 28) and (N,)
 * const loader = new gluon.data.DataLoader(dataset, { batchSize: 64, shuffle: true, lastBatch: 'discard' });
 * for (const [data, label] of loader) { … } // data (64, 1, 28, 28), label (64,)
 */
export class DataLoader<T, B = BatchOf<T>> implements Iterable<B>, AsyncIterable<B> {
  private readonly batchSampler: Sampler<readonly number[]>;
  private readonly batchifyFn: (samples: T[]) => B;

  constructor(private readonly dataset: Dataset<T>, options: DataLoaderOptions<T, B> = {}) {
    const who = 'DataLoader';
    if (!(dataset instanceof Dataset)) throw new GluonError(`${who}: expected a gluon.data.Dataset (wrap arrays in ArrayDataset), but got ${describe(dataset)}`);
    const given = checkOptionsObject(who, options, KEYS) as DataLoaderOptions<T, B>;
    this.batchSampler = given.batchSampler === undefined ? makeBatchSampler(who, dataset, given) : checkBatchSamplerAlone(who, given);
    const batchDefault: (samples: T[]) => unknown = defaultBatchify;
    // Without a batchifyFn, B is its default, BatchOf<T>: what defaultBatchify returns.
    this.batchifyFn = given.batchifyFn === undefined ? (batchDefault as (samples: T[]) => B) : checkFunction(who, 'batchifyFn', given.batchifyFn);
  }

  /** Batches per epoch (for 'rollover', in the next epoch). */
  get length(): number {
    return this.batchSampler.length;
  }

  *[Symbol.iterator](): Iterator<B> {
    for (const indices of this.batchSampler) yield this.batchifyFn(indices.map((i) => this.dataset.get(i)));
  }

  async *[Symbol.asyncIterator](): AsyncIterator<B> {
    for (const batch of this) yield batch;
  }
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
