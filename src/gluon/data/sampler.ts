/**
 * Samplers (`gluon.data.Sampler` and friends, as MXNet 1.9's `gluon/data/sampler.py`): iterables
 * of dataset indices, or of batches of them, with a known length. A DataLoader draws its batches
 * from a BatchSampler over a SequentialSampler or RandomSampler; any object with `length` and an
 * iterator of numbers can stand in for a sampler, as every Python object with `__iter__` and
 * `__len__` can in Gluon.
 */
import { checkChoice, checkFunction, checkIntAtLeast, describeValue } from '../../core/checks';
import { GluonError } from '../../core/errors';
import { uniform01 } from '../../random';

/** Indices (or batches of them) in the order to visit them; `length` is how many it yields. */
export interface Sampler<T = number> extends Iterable<T> {
  readonly length: number;
}

/** What BatchSampler does with the last, incomplete batch. */
export type LastBatch = 'keep' | 'discard' | 'rollover';
export const LAST_BATCH_CHOICES: readonly LastBatch[] = ['keep', 'discard', 'rollover'];

/**
 * The indices start, start + 1, …, start + length − 1 in order (MXNet's `SequentialSampler(length,
 * start=0)`).
 *
 * @example [...new gluon.data.SequentialSampler(3)]; // [0, 1, 2]
 */
export class SequentialSampler implements Sampler {
  readonly length: number;
  private readonly start: number;

  constructor(length: number, start = 0) {
    this.length = checkIntAtLeast('SequentialSampler', 'length', length, 0);
    this.start = checkIntAtLeast('SequentialSampler', 'start', start, 0);
  }

  *[Symbol.iterator](): Iterator<number> {
    for (let i = 0; i < this.length; i++) yield this.start + i;
  }
}

/**
 * The indices 0 … length − 1 in a random order, a new one on every iteration (MXNet's
 * `RandomSampler`). The order comes from tsgluon's generator, so `random.seed(n)` makes it
 * repeatable (MXNet draws it from Python's `random`, which `mx.random.seed` does not seed).
 *
 * @example random.seed(0); [...new gluon.data.RandomSampler(4)]; // a permutation of 0…3
 */
export class RandomSampler implements Sampler {
  readonly length: number;

  constructor(length: number) {
    this.length = checkIntAtLeast('RandomSampler', 'length', length, 0);
  }

  *[Symbol.iterator](): Iterator<number> {
    yield* shuffledIndices(this.length);
  }
}

/** A uniformly random permutation of 0 … n − 1 (Fisher–Yates) from tsgluon's seeded generator. */
export function shuffledIndices(n: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.min(i, Math.floor(uniform01() * (i + 1)));
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

/**
 * The indices of `sampler` in batches of `batchSize` (MXNet's `BatchSampler(sampler, batch_size,
 * last_batch='keep')`). The last, incomplete batch is kept ('keep'), dropped ('discard') or
 * carried into the start of the next iteration ('rollover'). Its length is the number of batches
 * the next iteration yields.
 *
 * @example
 * [...new gluon.data.BatchSampler(new gluon.data.SequentialSampler(10), 3, 'keep')];
 * // [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]
 */
export class BatchSampler implements Sampler<number[]> {
  private readonly batchSize: number;
  private readonly lastBatch: LastBatch;
  /** 'rollover': the previous iteration's leftover indices, which start the next one. */
  private carried: number[] = [];

  constructor(private readonly sampler: Sampler, batchSize: number, lastBatch: LastBatch = 'keep') {
    checkSampler('BatchSampler', 'sampler', sampler);
    this.batchSize = checkIntAtLeast('BatchSampler', 'batchSize', batchSize, 1);
    this.lastBatch = checkChoice('BatchSampler', 'lastBatch', lastBatch, LAST_BATCH_CHOICES);
  }

  get length(): number {
    const n = this.sampler.length;
    if (this.lastBatch === 'keep') return Math.ceil(n / this.batchSize);
    if (this.lastBatch === 'discard') return Math.floor(n / this.batchSize);
    return Math.floor((this.carried.length + n) / this.batchSize);
  }

  *[Symbol.iterator](): Iterator<number[]> {
    let batch = this.carried;
    this.carried = [];
    for (const index of this.sampler) {
      batch.push(index);
      if (batch.length === this.batchSize) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length === 0) return;
    if (this.lastBatch === 'keep') yield batch;
    else if (this.lastBatch === 'rollover') this.carried = batch;
  }
}

/**
 * The indices of `dataset`'s items for which `fn(item)` is true, in order (MXNet's
 * `FilterSampler(fn, dataset)`); the items are read once, here.
 *
 * @example new gluon.data.FilterSampler((x) => x > 1, new gluon.data.SimpleDataset([1, 2, 3])).length; // 2
 */
export class FilterSampler<T> implements Sampler {
  private readonly indices: number[] = [];

  constructor(fn: (item: T) => unknown, dataset: { readonly length: number; get(index: number): T }) {
    checkFunction('FilterSampler', 'fn', fn);
    for (let i = 0; i < dataset.length; i++) if (fn(dataset.get(i))) this.indices.push(i);
  }

  get length(): number {
    return this.indices.length;
  }

  [Symbol.iterator](): Iterator<number> {
    return this.indices[Symbol.iterator]();
  }
}

/** Checks that `value` is iterable with an integer length ≥ 0 (an array of indices is one): what a sampler needs to be. */
export function checkSampler(who: string, option: string, value: unknown): void {
  const candidate = value as { length?: unknown; [Symbol.iterator]?: unknown } | null;
  const usable = typeof value === 'object' && candidate !== null && Number.isInteger(candidate.length) && (candidate.length as number) >= 0
    && typeof candidate[Symbol.iterator] === 'function';
  if (!usable) throw new GluonError(`${who}: expected ${option} to be a sampler (an iterable with an integer length), but got ${describeValue(value)}`);
}
