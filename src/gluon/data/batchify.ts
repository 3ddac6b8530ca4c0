/**
 * The DataLoader's default way of merging samples into a batch (MXNet's `default_batchify_fn`):
 * NDArray samples are stacked along a new first axis, number samples become a 1-D array, and
 * array samples (Python's tuples) are batched position by position into an array of batches.
 */
import { describeValue } from '../../core/checks';
import { GluonError } from '../../core/errors';
import { array } from '../../ndarray/creation';
import { NDArray } from '../../ndarray/ndarray';
import { nd } from '../../ops/nd';

/** The batch of samples of type T: an NDArray, or an array of batches for array samples. */
export type BatchOf<T> = [T] extends [readonly unknown[]] ? { -readonly [K in keyof T]: BatchOf<T[K]> } : NDArray;

/**
 * Merges `samples` (all of the same kind) into one batch:
 *
 *     NDArrays of shape s → nd.stack(...samples), shape (n, ...s)
 *     numbers → nd.array(samples), shape (n,)
 *     arrays [a, b, …] → [batchify(a's), batchify(b's), …]
 *
 * @example
 * defaultBatchify([[nd.ones([2]), 0], [nd.zeros([2]), 1]]); // [NDArray (2, 2), NDArray [0, 1]]
 */
export function defaultBatchify<T>(samples: readonly T[]): BatchOf<T> {
  return batchify(samples, 'sample') as BatchOf<T>;
}

function batchify(samples: readonly unknown[], what: string): NDArray | unknown[] {
  if (samples.length === 0) throw new GluonError('DataLoader: cannot batch an empty list of samples');
  const first = samples[0];
  if (first instanceof NDArray) return nd.stack(...samples.map((s, i) => expectKind(s instanceof NDArray, s, i, what, 'an NDArray') as NDArray));
  if (typeof first === 'number') return array(samples.map((s, i) => expectKind(typeof s === 'number', s, i, what, 'a number') as number));
  if (Array.isArray(first)) {
    const width = first.length;
    const rows = samples.map((s, i) => expectKind(Array.isArray(s) && s.length === width, s, i, what, `an array of length ${width}`) as unknown[]);
    return Array.from({ length: width }, (_, k) => batchify(rows.map((row) => row[k]), `element ${k} of a sample`));
  }
  throw new GluonError(`DataLoader: cannot batch ${what}s like ${describeValue(first)}: the default batchify takes NDArrays, numbers and arrays of them; give a batchifyFn`);
}

/** `sample` when `ok`, else a GluonError naming it as the i-th `what` and saying what was expected. */
function expectKind(ok: boolean, sample: unknown, i: number, what: string, expected: string): unknown {
  if (!ok) throw new GluonError(`DataLoader: expected ${what} ${i} of the batch to be ${expected}, as the first is, but got ${describeValue(sample)}`);
  return sample;
}
