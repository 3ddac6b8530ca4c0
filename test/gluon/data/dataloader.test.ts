/**
 * gluon.data.DataLoader against MXNet 1.9's dataloader.py: batch shapes and contents, the three
 * lastBatch modes, shuffling, the option rules and their error texts, custom batchify, for await,
 * and a Gluon tutorial's training loop ported line by line.
 */
import { GluonError, NDArray, autograd, gluon, metric, nd, nn, random } from '../../../src';

const { ArrayDataset, BatchSampler, DataLoader, SequentialSampler, SimpleDataset, defaultBatchify } = gluon.data;

/** Ten samples: x_i = [i, i + 0.5] (shape (2,)), label i % 3. */
const features = nd.array(Array.from({ length: 10 }, (_, i) => [i, i + 0.5]));
const labels = nd.array(Array.from({ length: 10 }, (_, i) => i % 3));
const dataset = new ArrayDataset(features, labels);

describe('batches', () => {
  it('stack NDArray samples and batch number samples, position by position', () => {
    const loader = new DataLoader(dataset, { batchSize: 4 });
    const batches = [...loader];
    expect(loader.length).toBe(3);
    expect(batches.map(([x, y]) => [x.shape, y.shape])).toEqual([[[4, 2], [4]], [[4, 2], [4]], [[2, 2], [2]]]);
    expect(batches[1][0].toArray()).toEqual([[4, 4.5], [5, 5.5], [6, 6.5], [7, 7.5]]);
    expect(batches[2][1].toArray()).toEqual([2, 0]);
  });

  it("follow lastBatch: 'discard' drops the short batch, 'rollover' starts the next epoch with it", () => {
    expect([...new DataLoader(dataset, { batchSize: 4, lastBatch: 'discard' })].length).toBe(2);
    const rollover = new DataLoader(new SimpleDataset([0, 1, 2, 3, 4]), { batchSize: 2, lastBatch: 'rollover' });
    expect([...rollover].map((b) => b.toArray())).toEqual([[0, 1], [2, 3]]);
    expect([...rollover].map((b) => b.toArray())).toEqual([[4, 0], [1, 2], [3, 4]]);
  });

  it('shuffle visits every sample once per epoch, in a new order each epoch, repeatable with random.seed', () => {
    const loader = new DataLoader(new SimpleDataset(Array.from({ length: 20 }, (_, i) => i)), { batchSize: 6, shuffle: true });
    const epoch = (): number[] => [...loader].flatMap((b) => b.toArray() as number[]);
    random.seed(11);
    const first = epoch(), second = epoch();
    expect([...first].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(second).not.toEqual(first);
    random.seed(11);
    expect(epoch()).toEqual(first);
  });

  it('take a sampler or a batchSampler instead', () => {
    expect([...new DataLoader(dataset, { batchSize: 2, sampler: [9, 0, 5] })].map(([, y]) => y.toArray())).toEqual([[0, 0], [2]]);
    const batchSampler = new BatchSampler(new SequentialSampler(3, 7), 3);
    expect([...new DataLoader(dataset, { batchSampler })].map(([x]) => x.shape)).toEqual([[3, 2]]);
  });

  it('use a custom batchifyFn', () => {
    const loader = new DataLoader(new SimpleDataset(['a', 'b', 'c']), { batchSize: 2, batchifyFn: (s: string[]) => s.join('') });
    expect([...loader]).toEqual(['ab', 'c']);
  });

  it('give the same batches through for await', async () => {
    const seen: number[][] = [];
    for await (const [, y] of new DataLoader(dataset, { batchSize: 5 })) seen.push(y.toArray() as number[]);
    expect(seen).toEqual([[0, 1, 2, 0, 1], [2, 0, 1, 2, 0]]);
  });
});

describe('option rules (as MXNet) and error texts', () => {
  it('need a batchSize unless a batchSampler is given', () => {
    expect(() => new DataLoader(dataset)).toThrow(new GluonError('DataLoader: expected batchSize (unless batchSampler is given), but got none'));
  });

  it('refuse shuffle with a sampler, and batch options with a batchSampler', () => {
    expect(() => new DataLoader(dataset, { batchSize: 2, shuffle: true, sampler: [0] })).toThrow(new GluonError('DataLoader: expected shuffle or a sampler, not both'));
    const batchSampler = new BatchSampler(new SequentialSampler(4), 2);
    expect(() => new DataLoader(dataset, { batchSampler, batchSize: 2, lastBatch: 'keep' })).toThrow(
      new GluonError('DataLoader: expected none of batchSize, shuffle, sampler and lastBatch with a batchSampler, but got batchSize, lastBatch'));
  });

  it('name a bad value or an unknown option', () => {
    expect(() => new DataLoader(dataset, { batchSize: 0 })).toThrow(new GluonError('DataLoader: expected batchSize to be an integer >= 1, but got the number 0'));
    expect(() => new DataLoader(dataset, { batch_size: 4 } as never)).toThrow(
      new GluonError("DataLoader: expected options among batchSize, shuffle, sampler, lastBatch, batchSampler, batchifyFn, numWorkers, prefetch, but got unknown option 'batch_size' (did you mean 'batchSize'?)"));
    expect(() => new DataLoader([1, 2] as never, { batchSize: 1 })).toThrow(
      new GluonError('DataLoader: expected a gluon.data.Dataset (wrap arrays in ArrayDataset), but got an array of length 2'));
  });

  it('name samples the default batchify cannot merge', () => {
    expect(() => defaultBatchify([nd.ones([2]), 3] as never[])).toThrow(
      new GluonError('DataLoader: expected sample 1 of the batch to be an NDArray, as the first is, but got the number 3'));
    expect(() => defaultBatchify([[1, 2], [3]])).toThrow(
      new GluonError('DataLoader: expected sample 1 of the batch to be an array of length 2, as the first is, but got [3]'));
    expect(() => [...new DataLoader(new SimpleDataset(['a']), { batchSize: 1 })]).toThrow(
      /DataLoader: cannot batch samples like .*'a'.*give a batchifyFn/);
    expect(() => defaultBatchify([nd.ones([2]), nd.ones([3])])).toThrow(GluonError);
  });
});

describe("a Gluon tutorial's training loop, ported line by line", () => {
  it('learns a separable two-class problem', () => {
    random.seed(5);
    const x = nd.random.normal(0, 1, [200, 2]);
    const y = nd.array((x.toArray() as number[][]).map(([a, b]) => (a + b > 0 ? 1 : 0)));
    const trainData = new DataLoader(new ArrayDataset(x, y), { batchSize: 20, shuffle: true });
    const net = new nn.Dense(2);
    net.initialize();
    const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.5 });
    const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
    const accuracy = new metric.Accuracy();
    for (let epoch = 0; epoch < 5; epoch++) {
      accuracy.reset();
      for (const [data, label] of trainData) {
        let output: NDArray | undefined;
        autograd.record(() => {
          output = net(data);
          return lossFn(output, label);
        }).backward();
        trainer.step(data.shape[0]);
        accuracy.update(label, output!);
      }
    }
    expect(accuracy.get()[1]).toBeGreaterThan(0.95);
  });
});
