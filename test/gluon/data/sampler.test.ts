/** gluon.data samplers against MXNet 1.9's sampler.py behaviour (its docstring example included). */
import { GluonError, gluon, random } from '../../../src';

const { BatchSampler, FilterSampler, RandomSampler, SequentialSampler, SimpleDataset } = gluon.data;

describe('SequentialSampler and RandomSampler', () => {
  it('SequentialSampler yields start … start + length − 1', () => {
    expect([...new SequentialSampler(4)]).toEqual([0, 1, 2, 3]);
    expect([...new SequentialSampler(3, 5)]).toEqual([5, 6, 7]);
    expect(new SequentialSampler(0).length).toBe(0);
  });

  it('RandomSampler yields a permutation, a new one per iteration, repeatable with random.seed', () => {
    random.seed(3);
    const sampler = new RandomSampler(50);
    const first = [...sampler], second = [...sampler];
    expect([...first].sort((a, b) => a - b)).toEqual([...new SequentialSampler(50)]);
    expect(second).not.toEqual(first);
    random.seed(3);
    expect([...new RandomSampler(50)]).toEqual(first);
  });

  it('rejects a length that is not a non-negative integer', () => {
    expect(() => new SequentialSampler(-1)).toThrow(new GluonError('SequentialSampler: expected length to be an integer >= 0, but got the number -1'));
    expect(() => new RandomSampler(2.5)).toThrow(GluonError);
    expect(() => new RandomSampler(2.5)).toThrow(/RandomSampler: expected length to be an integer/);
  });
});

describe('BatchSampler', () => {
  it("gives MXNet's docstring example for 'keep'", () => {
    const batches = new BatchSampler(new SequentialSampler(10), 3, 'keep');
    expect([...batches]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(batches.length).toBe(4);
  });

  it("drops the incomplete batch with 'discard'", () => {
    const batches = new BatchSampler(new SequentialSampler(10), 3, 'discard');
    expect([...batches]).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect(batches.length).toBe(3);
  });

  it("carries the leftover into the next iteration with 'rollover'", () => {
    const batches = new BatchSampler(new SequentialSampler(5), 3, 'rollover');
    expect(batches.length).toBe(1);
    expect([...batches]).toEqual([[0, 1, 2]]);
    expect(batches.length).toBe(2); // 2 carried + 5 new = 7 → 2 batches
    expect([...batches]).toEqual([[3, 4, 0], [1, 2, 3]]);
    expect([...batches]).toEqual([[4, 0, 1], [2, 3, 4]]);
  });

  it('accepts an array of indices as its sampler, as Python accepts a list', () => {
    expect([...new BatchSampler([4, 2, 0], 2)]).toEqual([[4, 2], [0]]);
  });

  it('names what is wrong with its arguments', () => {
    expect(() => new BatchSampler(new SequentialSampler(3), 0)).toThrow(new GluonError('BatchSampler: expected batchSize to be an integer >= 1, but got the number 0'));
    expect(() => new BatchSampler(new SequentialSampler(3), 2, 'drop' as 'keep')).toThrow(
      new GluonError("BatchSampler: expected lastBatch to be one of 'keep', 'discard', 'rollover', but got 'drop'"));
    expect(() => new BatchSampler(5 as never, 2)).toThrow(
      new GluonError('BatchSampler: expected sampler to be a sampler (an iterable with an integer length), but got the number 5'));
  });
});

describe('FilterSampler', () => {
  it('yields the indices of the samples the function keeps', () => {
    const sampler = new FilterSampler((x: number) => x % 2 === 1, new SimpleDataset([1, 2, 3, 5, 8]));
    expect([...sampler]).toEqual([0, 2, 3]);
    expect(sampler.length).toBe(3);
  });
});
