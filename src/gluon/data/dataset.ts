/**
 * Datasets (`gluon.data.Dataset`, `SimpleDataset`, `ArrayDataset`, as MXNet 1.9's
 * `gluon/data/dataset.py`): indexable collections of samples with a length. `dataset.get(i)` is
 * Python's `dataset[i]` and `dataset.length` its `len(dataset)`; every dataset is iterable.
 *
 * A sample that is a JavaScript array stands for Python's tuple: `transform(fn)` passes its
 * elements as separate arguments (`(data, label) => …`), `transformFirst` changes only the first,
 * and the DataLoader batches each position separately.
 *
 * To write a dataset, extend Dataset and implement `length` and `get`:
 *
 * @example
 * class Squares extends gluon.data.Dataset<number> {
 *   get length() { return 10; }
 *   get(i: number) { return i * i; }
 * }
 * new Squares().transform((x) => x + 1).get(3); // 10
 */
import { checkFunction, checkIntAtLeast, describeValue } from '../../core/checks';
import { GluonError } from '../../core/errors';
import { NDArray } from '../../ndarray/ndarray';
import { FilterSampler, Sampler, SequentialSampler, checkSampler } from './sampler';
import { madeByMethod } from './recipes';

/** A function of a sample: of its elements when the sample is an array (a Python tuple). */
export type SampleFn<T, U> = [T] extends [readonly unknown[]] ? (...sample: T) => U : (sample: T) => U;

/** A sample with its first element replaced by type U (or the sample itself, if it is not an array). */
export type WithFirst<T, U> = [T] extends [readonly [unknown, ...infer Rest]] ? [U, ...Rest] : U;

/** The first element of a sample (the sample itself, if it is not an array). */
export type FirstOf<T> = [T] extends [readonly [infer First, ...unknown[]]] ? First : T;

export abstract class Dataset<T> implements Iterable<T> {
  /** How many samples there are (Python's `len(dataset)`). */
  abstract get length(): number;

  /** Sample `index`, 0 ≤ index < length (Python's `dataset[index]`). */
  abstract get(index: number): T;

  *[Symbol.iterator](): Iterator<T> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  /**
   * The dataset of `fn(sample)` (of `fn(...sample)` for an array sample). Lazy by default: `fn`
   * runs on every read, so a random augmentation differs per epoch; `lazy: false` runs it once
   * over every sample now and keeps the results.
   *
   * @example new gluon.data.ArrayDataset(x, y).transform((data, label) => [data.mul(2), label]);
   */
  transform<U>(fn: SampleFn<T, U>, lazy = true): Dataset<U> {
    checkFunction('Dataset.transform', 'fn', fn);
    const call = fn as (...args: unknown[]) => U;
    const transformed = new MappedDataset(this, (sample: T) => (Array.isArray(sample) ? call(...sample) : call(sample)));
    if (!lazy) return new SimpleDataset([...transformed]);
    madeByMethod(transformed, this, 'transform', [fn]);
    return transformed;
  }

  /**
   * The dataset whose samples have their first element replaced by `fn(first)` — typically the
   * data, keeping the label (a sample that is not an array is replaced whole).
   *
   * @example mnist.transformFirst((image) => image.div(255));
   */
  transformFirst<U>(fn: (first: FirstOf<T>) => U, lazy = true): Dataset<WithFirst<T, U>> {
    checkFunction('Dataset.transformFirst', 'fn', fn);
    const replaceFirst = (sample: T): WithFirst<T, U> =>
      (Array.isArray(sample) ? [fn(sample[0] as FirstOf<T>), ...sample.slice(1)] : fn(sample as FirstOf<T>)) as WithFirst<T, U>;
    const transformed = new MappedDataset(this, replaceFirst);
    if (!lazy) return new SimpleDataset([...transformed]);
    madeByMethod(transformed, this, 'transformFirst', [fn]);
    return transformed;
  }

  /** The samples for which `fn(sample)` is truthy, in order; every sample is read once, now. */
  filter(fn: (sample: T) => unknown): Dataset<T> {
    return new SampledDataset(this, new FilterSampler(fn, this));
  }

  /**
   * Shard `index` of `numShards` nearly equal consecutive parts (the first length % numShards
   * shards have one sample more), for splitting data among workers; shard before shuffling.
   *
   * @example new gluon.data.SimpleDataset([0, 1, 2, 3, 4]).shard(2, 0).length; // 3
   */
  shard(numShards: number, index: number): Dataset<T> {
    checkIntAtLeast('Dataset.shard', 'numShards', numShards, 1);
    checkIntAtLeast('Dataset.shard', 'index', index, 0);
    if (index >= numShards) throw new GluonError(`Dataset.shard: expected index below numShards (${numShards}), but got ${index}`);
    const shardLength = Math.floor(this.length / numShards), rest = this.length % numShards;
    const start = shardLength * index + Math.min(index, rest);
    const shard = new SampledDataset(this, new SequentialSampler(shardLength + (index < rest ? 1 : 0), start));
    madeByMethod(shard, this, 'shard', [numShards, index]);
    return shard;
  }

  /** The first `count` samples (all of them when count is null or larger than the length). */
  take(count: number | null): Dataset<T> {
    const taken = count === null ? this.length : Math.min(checkIntAtLeast('Dataset.take', 'count', count, 0), this.length);
    const head = new SampledDataset(this, new SequentialSampler(taken));
    madeByMethod(head, this, 'take', [count]);
    return head;
  }

  /** The samples at the indices `sampler` yields, in its order (read once, now). */
  sample(sampler: Sampler): Dataset<T> {
    checkSampler('Dataset.sample', 'sampler', sampler);
    return new SampledDataset(this, sampler);
  }
}

/** Throws unless `index` is an integer in [0, length): the check every built-in `get` makes. */
export function checkIndex(who: string, index: unknown, length: number): number {
  if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < length) return index;
  const range = length === 0 ? 'no index (the dataset is empty)' : `an index from 0 to ${length - 1}`;
  throw new GluonError(`${who}: expected ${range}, but got ${describeValue(index)}`);
}

/**
 * A dataset over a JavaScript array or any array-like (MXNet's `SimpleDataset`, over "anything
 * with len() and []").
 *
 * @example new gluon.data.SimpleDataset(['a', 'b']).get(1); // 'b'
 */
export class SimpleDataset<T> extends Dataset<T> {
  constructor(private readonly data: ArrayLike<T>) {
    super();
    checkArrayLike('SimpleDataset', 'data', data);
  }

  get length(): number {
    return this.data.length;
  }

  get(index: number): T {
    return this.data[checkIndex('SimpleDataset', index, this.data.length)];
  }
}

/** What ArrayDataset reads samples from: an NDArray (along its first axis), a dataset, or an array-like. */
export type DataSource = NDArray | Dataset<unknown> | ArrayLike<unknown>;

/** The sample a source gives: a row of an NDArray (a number for a 1-D one), a dataset's sample, an element. */
export type SampleOf<S> = S extends NDArray ? NDArray | number : S extends Dataset<infer T> ? T : S extends ArrayLike<infer T> ? T : never;

/** ArrayDataset's samples: the one source's sample, or an array of one sample per source. */
export type ArraySample<S extends readonly DataSource[]> = S extends readonly [infer Only] ? SampleOf<Only> : { -readonly [K in keyof S]: SampleOf<S[K]> };

/**
 * Zips sources of equal length: sample i is `[a[i], b[i], …]`, or `a[i]` for one source (MXNet's
 * `ArrayDataset(*args)`). An NDArray source gives row i as an array (`x.at(i)`), and a 1-D one
 * gives the number x[i] — MXNet turns 1-D arrays into NumPy, whose samples are scalars — so a
 * batch of labels has shape (batch,).
 *
 * @example
 * const dataset = new gluon.data.ArrayDataset(nd.zeros([5, 3]), nd.array([0, 1, 0, 1, 1]));
 * dataset.get(1); // [NDArray (3,), 1]
 */
export class ArrayDataset<S extends readonly DataSource[]> extends Dataset<ArraySample<S>> {
  private readonly sources: readonly ((index: number) => unknown)[];
  readonly length: number;

  constructor(...sources: S) {
    super();
    if (sources.length === 0) throw new GluonError('ArrayDataset: expected at least one array, but got none');
    const lengths = sources.map((source, i) => sourceLength(source, i));
    lengths.forEach((length, i) => {
      if (length !== lengths[0]) {
        throw new GluonError(`ArrayDataset: expected every array to have the length of the first (${lengths[0]}), but array ${i} has length ${length}`);
      }
    });
    this.length = lengths[0];
    this.sources = sources.map(sampleReader);
  }

  get(index: number): ArraySample<S> {
    checkIndex('ArrayDataset', index, this.length);
    const samples = this.sources.map((read) => read(index));
    return (samples.length === 1 ? samples[0] : samples) as ArraySample<S>;
  }
}

function sourceLength(source: DataSource, i: number): number {
  if (source instanceof NDArray) {
    if (source.ndim === 0) throw new GluonError(`ArrayDataset: expected array ${i} to have at least one axis, but got a scalar NDArray`);
    return source.shape[0];
  }
  if (source instanceof Dataset) return source.length;
  checkArrayLike('ArrayDataset', `array ${i}`, source);
  return source.length;
}

/**
 * How a sample is read: a row of an array (an NDArray), a number from a 1-D float32 array (as
 * MXNet's `asnumpy()` scalars), or a 0-d array from a 1-D array of another dtype, so that the
 * batch keeps it (int32 labels batch as int32, as MXNet's numpy scalars do).
 */
function sampleReader(source: DataSource): (index: number) => unknown {
  if (source instanceof NDArray) return source.ndim !== 1 ? (i) => source.at(i) : source.dtype === 'float32' ? (i) => source.data[i] : (i) => source.at(i).reshape([]);
  if (source instanceof Dataset) return (i) => source.get(i);
  return (i) => source[i];
}

function checkArrayLike(who: string, what: string, value: unknown): void {
  const length = (value as { length?: unknown } | null)?.length;
  const arrayLike = typeof value === 'object' && value !== null && typeof length === 'number' && Number.isInteger(length) && length >= 0;
  if (!arrayLike) throw new GluonError(`${who}: expected ${what} to be an NDArray, a dataset or an array, but got ${describeValue(value)}`);
}

/** A dataset whose sample i is fn(base sample i), computed on every read. */
class MappedDataset<T, U> extends Dataset<U> {
  constructor(private readonly base: Dataset<T>, private readonly fn: (sample: T) => U) {
    super();
  }

  get length(): number {
    return this.base.length;
  }

  get(index: number): U {
    return this.fn(this.base.get(index));
  }
}

/** The base dataset's samples at a sampler's indices (listed once, when made). */
class SampledDataset<T> extends Dataset<T> {
  private readonly indices: number[];

  constructor(private readonly base: Dataset<T>, sampler: Sampler) {
    super();
    this.indices = [...sampler];
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): T {
    return this.base.get(this.indices[checkIndex('Dataset', index, this.indices.length)]);
  }
}
