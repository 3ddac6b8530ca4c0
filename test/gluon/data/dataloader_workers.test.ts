/**
 * DataLoader with numWorkers: worker threads rebuild the dataset (from datasetFromModule's module,
 * or a built-in dataset's own recipe) and give the same batches as reading on this thread, in
 * order, with dtypes kept; seeded runs repeat; a worker's failure reaches the loop; the workers
 * stop (the test process would not exit otherwise). The workers load TypeScript through ts-node
 * here, which takes seconds per epoch: a compiled module starts in a fraction of that.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NDArray, gluon, random } from '../../../src';

const { DataLoader, datasetFromModule } = gluon.data;
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'worker_datasets.ts');

jest.setTimeout(120_000);

async function collect<B>(loader: AsyncIterable<B>): Promise<B[]> {
  const batches: B[] = [];
  for await (const batch of loader) batches.push(batch);
  return batches;
}

const asArrays = (batches: NDArray[][]) => batches.map((batch) => batch.map((a) => [a.dtype, a.shape, a.toArray()]));

test('workers give the batches of one thread, shuffled by random.seed, dtypes kept', async () => {
  const dataset = datasetFromModule<[NDArray, NDArray]>(FIXTURES, 'squares', 10);
  random.seed(4);
  const here = [...new DataLoader(dataset, { batchSize: 4, shuffle: true })] as NDArray[][];
  random.seed(4);
  const there = (await collect(new DataLoader(dataset, { batchSize: 4, shuffle: true, numWorkers: 2, prefetch: 1 }))) as NDArray[][];
  expect(asArrays(there)).toEqual(asArrays(here));
  expect(there.map(([, label]) => label.dtype)).toEqual(['int32', 'int32', 'int32']);
  expect(there[2][0].shape).toEqual([2, 2]);
});

test("random draws in the workers come from generators seeded from the global one: a seeded run repeats", async () => {
  const dataset = datasetFromModule<[NDArray, number]>(FIXTURES, 'noisy', 6);
  const run = async () => {
    random.seed(11);
    return (await collect(new DataLoader(dataset, { batchSize: 2, numWorkers: 2 }))).map(([x, i]) => [x.toArray(), (i as unknown as NDArray).toArray()]);
  };
  const [first, second] = [await run(), await run()];
  expect(second).toEqual(first);
  expect(first.map(([, i]) => i)).toEqual([[0, 1], [2, 3], [4, 5]]);
});

test('a built-in dataset rebuilds itself in the workers (MNIST from its files), with built-in transforms, shard and take', async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-workers-'));
  try {
    const images = Buffer.concat([Buffer.from([0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 28, 0, 0, 0, 28]), Buffer.from(Uint8Array.from({ length: 3 * 784 }, (_, i) => i % 251))]);
    const labels = Buffer.from([0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 9]);
    fs.writeFileSync(path.join(root, 'train-images-idx3-ubyte'), images);
    fs.writeFileSync(path.join(root, 'train-labels-idx1-ubyte'), labels);
    const mnist = new gluon.data.vision.MNIST({ root });
    const here = [...new DataLoader(mnist, { batchSize: 2 })] as NDArray[][];
    const there = (await collect(new DataLoader(mnist, { batchSize: 2, numWorkers: 1 }))) as NDArray[][];
    expect(asArrays(there)).toEqual(asArrays(here));
    // A pipeline of built-in transforms (deterministic ones, so both threads give the same values).
    const { transforms } = gluon.data.vision;
    const pipeline = mnist.shard(1, 0).take(3).transformFirst(new transforms.Compose([
      new transforms.CenterCrop(20), new transforms.Resize([10, 12]), new transforms.ToTensor(), new transforms.Normalize(0.5, 0.25),
    ]));
    const expected = [...new DataLoader(pipeline, { batchSize: 2 })] as NDArray[][];
    const got = (await collect(new DataLoader(pipeline, { batchSize: 2, numWorkers: 2 }))) as NDArray[][];
    expect(got[0][0].shape).toEqual([2, 1, 12, 10]);
    expect(asArrays(got)).toEqual(asArrays(expected));
    // A random one runs in the workers too (their own seeded generators).
    const flipped = mnist.transformFirst(new transforms.RandomFlipLeftRight());
    expect(((await collect(new DataLoader(flipped, { batchSize: 3, numWorkers: 1 }))) as NDArray[][])[0][0].dtype).toBe('uint8');
    // A closure anywhere in the pipeline leaves it without a recipe.
    expect(() => new DataLoader(mnist.transformFirst(new transforms.Compose([new transforms.ToTensor(), new gluon.nn.Lambda((x) => x)])), { batchSize: 2, numWorkers: 1 }))
      .toThrow(/numWorkers needs a dataset the worker threads can rebuild/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("a worker's failure reaches the loop, and the workers stop", async () => {
  const dataset = datasetFromModule<number>(FIXTURES, 'broken', 8);
  await expect(collect(new DataLoader(dataset, { batchSize: 2, numWorkers: 2 }))).rejects.toThrow('DataLoader: a worker could not read a sample: sample 5 is unreadable');
});

test('errors say what numWorkers needs', () => {
  const made = new gluon.data.ArrayDataset([1, 2, 3]);
  expect(() => new DataLoader(made, { batchSize: 2, numWorkers: 1 })).toThrow(
    'DataLoader: numWorkers needs a dataset the worker threads can rebuild — a built-in file dataset (MNIST, FashionMNIST, CIFAR10, CIFAR100, ImageFolderDataset, ImageRecordDataset, RecordFileDataset, without a transform function), ' +
      "such a dataset's transform/transformFirst (lazy) with built-in vision transforms, shard or take, " +
      'or gluon.data.datasetFromModule(path, exportName, ...args) — but got a ArrayDataset made on this thread from something else (a closure cannot cross to a worker)',
  );
  const loader = new DataLoader(datasetFromModule(FIXTURES, 'squares', 4), { batchSize: 2, numWorkers: 1 });
  expect(() => [...loader]).toThrow('DataLoader: with numWorkers 1, iterate with for await (the workers answer asynchronously)');
  expect(() => new DataLoader(made, { batchSize: 2, numWorkers: -1 })).toThrow('DataLoader: expected numWorkers');
  expect(() => datasetFromModule('./relative')).toThrow("datasetFromModule: expected an absolute module path (require.resolve('./my_data')), but got the string './relative'");
  expect(() => datasetFromModule(FIXTURES, 'nothing')).toThrow(`datasetFromModule: expected '${FIXTURES}' to export a function nothing, but its nothing is undefined`);
});
