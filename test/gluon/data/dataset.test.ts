/** gluon.data datasets against MXNet 1.9's dataset.py behaviour: samples, transforms, shard/take/filter, errors. */
import { GluonError, NDArray, gluon, nd } from '../../../src';

const { ArrayDataset, Dataset, SequentialSampler, SimpleDataset } = gluon.data;

class Squares extends Dataset<number> {
  get length(): number {
    return 6;
  }
  get(i: number): number {
    return i * i;
  }
}

describe('SimpleDataset and custom datasets', () => {
  it('read samples by index, have a length, and iterate', () => {
    const dataset = new SimpleDataset(['a', 'b', 'c']);
    expect(dataset.length).toBe(3);
    expect(dataset.get(2)).toBe('c');
    expect([...dataset]).toEqual(['a', 'b', 'c']);
    expect([...new Squares()]).toEqual([0, 1, 4, 9, 16, 25]);
  });

  it('refuse an index outside the dataset, naming the valid range', () => {
    const dataset = new SimpleDataset([1, 2, 3]);
    expect(() => dataset.get(3)).toThrow(new GluonError('SimpleDataset: expected an index from 0 to 2, but got the number 3'));
    expect(() => dataset.get(-1)).toThrow(GluonError);
    expect(() => dataset.get(0.5)).toThrow(GluonError);
    expect(() => new SimpleDataset([]).get(0)).toThrow(new GluonError('SimpleDataset: expected no index (the dataset is empty), but got the number 0'));
    expect(() => new SimpleDataset(7 as never)).toThrow(new GluonError('SimpleDataset: expected data to be an NDArray, a dataset or an array, but got the number 7'));
  });
});

describe('ArrayDataset', () => {
  const images = nd.arange(0, 24).reshape([4, 2, 3]);
  const labels = nd.array([3, 1, 4, 1]);

  it('zips its sources: NDArray rows (copies), numbers for a 1-D NDArray, array and dataset elements', () => {
    const dataset = new ArrayDataset(images, labels, ['w', 'x', 'y', 'z'], new Squares().take(4));
    expect(dataset.length).toBe(4);
    const [image, label, letter, square] = dataset.get(2);
    expect((image as NDArray).shape).toEqual([2, 3]);
    expect((image as NDArray).toArray()).toEqual([[12, 13, 14], [15, 16, 17]]);
    expect([label, letter, square]).toEqual([4, 'y', 4]);
  });

  it('gives the sample itself for one source', () => {
    expect(new ArrayDataset([5, 6]).get(1)).toBe(6);
    expect((new ArrayDataset(images).get(0) as NDArray).shape).toEqual([2, 3]);
  });

  it('does not let a sample change the source array', () => {
    const x = nd.zeros([2, 2]);
    const row = new ArrayDataset(x).get(0) as NDArray;
    row.data[0] = 9;
    expect(x.toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it("refuses sources of different lengths (MXNet's assertion), none, or a scalar", () => {
    expect(() => new ArrayDataset(images, nd.array([1, 2]))).toThrow(
      new GluonError('ArrayDataset: expected every array to have the length of the first (4), but array 1 has length 2'));
    expect(() => new ArrayDataset()).toThrow(new GluonError('ArrayDataset: expected at least one array, but got none'));
    expect(() => new ArrayDataset(nd.array(5).reshape([]))).toThrow(
      new GluonError('ArrayDataset: expected array 0 to have at least one axis, but got a scalar NDArray'));
    expect(() => new ArrayDataset(null as never)).toThrow(new GluonError('ArrayDataset: expected array 0 to be an NDArray, a dataset or an array, but got null'));
  });
});

describe('transform, transformFirst, filter, shard, take, sample', () => {
  it('transform is lazy by default (runs on every read) and spreads array samples', () => {
    let calls = 0;
    const pairs = new SimpleDataset([[1, 10], [2, 20]] as [number, number][]);
    const sums = pairs.transform((a, b) => { calls++; return a + b; });
    expect(calls).toBe(0);
    expect(sums.get(1)).toBe(22);
    expect(sums.get(1)).toBe(22);
    expect(calls).toBe(2);
  });

  it('transform with lazy false runs once per sample, now', () => {
    let calls = 0;
    const doubled = new Squares().transform((x) => { calls++; return 2 * x; }, false);
    expect(calls).toBe(6);
    expect([...doubled]).toEqual([0, 2, 8, 18, 32, 50]);
    expect(calls).toBe(6);
  });

  it('transformFirst changes the first element only (or a whole non-array sample)', () => {
    const dataset = new ArrayDataset([1, 2], ['a', 'b']).transformFirst((x) => x * 100);
    expect(dataset.get(1)).toEqual([200, 'b']);
    expect(new Squares().transformFirst((x) => -x).get(2)).toBe(-4);
  });

  it('filter keeps the samples the function accepts, in order', () => {
    expect([...new Squares().filter((x) => x % 2 === 0)]).toEqual([0, 4, 16]);
  });

  it("shard splits into nearly equal consecutive parts, the first ones longer (MXNet's formula)", () => {
    const dataset = new SimpleDataset([0, 1, 2, 3, 4, 5, 6]);
    expect([0, 1, 2].map((i) => [...dataset.shard(3, i)])).toEqual([[0, 1, 2], [3, 4], [5, 6]]);
    expect([...dataset.shard(1, 0)]).toEqual([...dataset]);
    expect(() => dataset.shard(3, 3)).toThrow(new GluonError('Dataset.shard: expected index below numShards (3), but got 3'));
    expect(() => dataset.shard(0, 0)).toThrow(GluonError);
  });

  it('take keeps the first count samples, all of them for null or a larger count', () => {
    expect([...new Squares().take(2)]).toEqual([0, 1]);
    expect(new Squares().take(null).length).toBe(6);
    expect(new Squares().take(100).length).toBe(6);
    expect(() => new Squares().take(-1)).toThrow(GluonError);
  });

  it('sample reads the indices a sampler yields', () => {
    expect([...new Squares().sample(new SequentialSampler(2, 3))]).toEqual([9, 16]);
    expect([...new Squares().sample([5, 0])]).toEqual([25, 0]);
    expect(() => new Squares().take(2).get(2)).toThrow(new GluonError('Dataset: expected an index from 0 to 1, but got the number 2'));
  });

  it('name a function argument that is not one', () => {
    expect(() => new Squares().transform(3 as never)).toThrow(new GluonError('Dataset.transform: expected fn to be a function, but got the number 3'));
  });
});
