/**
 * `gluon.data.vision.MNIST` and `FashionMNIST` (MXNet 1.9's `vision/datasets.py`): the IDX files
 * of LeCun's MNIST and Zalando's Fashion-MNIST, read from a local folder. Samples are
 * `[image, label]`: the image a uint8 NDArray (28, 28, 1) of values 0–255, as MXNet's, the label a
 * number.
 */
import { checkFlag, checkFunction, checkOptionsObject, checkString, optionKeys } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { NDArray } from '../../../ndarray/ndarray';
import { Dataset } from '../dataset';
import { defaultRoot, expandHome, findFile, readDatasetFile } from './dataset_files';
import { constructedFrom } from '../recipes';

// This file, for the workers of a DataLoader with numWorkers (absent in an ES module build).
const THIS_MODULE = typeof __filename === 'string' ? __filename : undefined;

/** Options of the vision datasets (MXNet's arguments, camelCase). */
export interface VisionDatasetOptions {
  /** The folder of the files. Default `~/.mxnet/datasets/<name>` (or under $MXNET_HOME), as MXNet. */
  root?: string;
  /** The training set (true, default) or the test set. */
  train?: boolean;
  /** MXNet's deprecated `transform(data, label) → [data, label]`; prefer `dataset.transformFirst`. */
  transform?: (data: NDArray, label: number) => [NDArray, number];
}

const KEYS = optionKeys<VisionDatasetOptions>({ root: true, train: true, transform: true });

/** A set of equally sized uint8 images (HWC) and labels, kept as bytes; each sample is made on read. */
export abstract class ImageBytesDataset extends Dataset<[NDArray, number]> {
  /** One image's shape, (height, width, channels). */
  protected abstract readonly imageShape: readonly [number, number, number];
  protected abstract readonly images: Uint8Array;
  protected abstract readonly labels: Uint8Array;
  protected transformFn: VisionDatasetOptions['transform'];

  get length(): number {
    return this.labels.length;
  }

  get(index: number): [NDArray, number] {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new GluonError(`${this.constructor.name}.get: expected an index in [0, ${this.length}), but got ${String(index)}`);
    }
    const [h, w, c] = this.imageShape;
    const size = h * w * c;
    const image = new NDArray(this.images.slice(index * size, (index + 1) * size), [h, w, c], 'uint8');
    return this.transformFn ? this.transformFn(image, this.labels[index]) : [image, this.labels[index]];
  }
}

/** Checks the options shared by every vision dataset and returns them resolved. */
export function resolveOptions(who: string, options: VisionDatasetOptions, name: string) {
  const { root = defaultRoot(name), train = true, transform } = checkOptionsObject(who, options, KEYS) as VisionDatasetOptions;
  checkString(who, 'root', root);
  if (transform !== undefined) checkFunction(who, 'transform', transform);
  return { root: expandHome(root), train: checkFlag(who, 'train', train), transform };
}

/** Reads an IDX file (big-endian header: magic 0x0000080D with D dims, the dims, then unsigned bytes). */
function readIdx(who: string, path: string, dims: number): { shape: number[]; data: Uint8Array } {
  const bytes = readDatasetFile(who, path);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * dims;
  if (bytes.length < header || view.getUint32(0) !== 0x800 + dims) {
    throw new GluonError(`${who}: expected an IDX file of unsigned bytes with ${dims} dimensions (magic 0x${(0x800 + dims).toString(16).padStart(8, '0')}) in '${path}', but it starts with ${bytes.length >= 4 ? `0x${view.getUint32(0).toString(16).padStart(8, '0')}` : `${bytes.length} bytes`}`);
  }
  const shape = Array.from({ length: dims }, (_, i) => view.getUint32(4 + 4 * i));
  const size = shape.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== size) {
    throw new GluonError(`${who}: expected ${size} data bytes after the header of '${path}' (shape ${shape.join('×')}), but it has ${bytes.length - header}`);
  }
  return { shape, data: bytes.subarray(header) };
}

/** Where to get MNIST-format files, for the error that says they are missing. */
interface IdxSource { readonly name: string; readonly whereToGet: string }

/** The IDX images and labels of the chosen split, checked to agree. */
function readIdxSplit(who: string, root: string, train: boolean, source: IdxSource) {
  const prefix = train ? 'train' : 't10k';
  const file = (kind: string) => findFile(who, root, [`${prefix}-${kind}.gz`, `${prefix}-${kind}`], source.whereToGet);
  const images = readIdx(who, file('images-idx3-ubyte'), 3);
  const labels = readIdx(who, file('labels-idx1-ubyte'), 1);
  if (images.shape[0] !== labels.shape[0]) {
    throw new GluonError(`${who}: expected as many labels as images in '${root}', but there are ${images.shape[0]} images and ${labels.shape[0]} labels`);
  }
  return { images: images.data, labels: labels.data, imageShape: [images.shape[1], images.shape[2], 1] as [number, number, number] };
}

const MNIST_SOURCE: IdxSource = {
  name: 'mnist',
  whereToGet: 'get train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from https://ossci-datasets.s3.amazonaws.com/mnist/ (or http://yann.lecun.com/exdb/mnist/)',
};

const FASHION_SOURCE: IdxSource = {
  name: 'fashion-mnist',
  whereToGet: 'get train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz from https://github.com/zalandoresearch/fashion-mnist (data/fashion)',
};

/**
 * MNIST's 60,000 training or 10,000 test digits from `root` (the four IDX files, gzipped or
 * not). Sample i: `[image (28, 28, 1) of 0–255, label 0–9]`.
 *
 * @example
 * const train = new gluon.data.vision.MNIST({ root: '/data/mnist' }).transformFirst(transforms.ToTensor());
 */
export class MNIST extends ImageBytesDataset {
  protected readonly images: Uint8Array;
  protected readonly labels: Uint8Array;
  protected readonly imageShape: readonly [number, number, number];

  constructor(options: VisionDatasetOptions = {}) {
    super();
    const source = new.target === FashionMNIST ? FASHION_SOURCE : MNIST_SOURCE;
    const { root, train, transform } = resolveOptions(new.target.name, options, source.name);
    ({ images: this.images, labels: this.labels, imageShape: this.imageShape } = readIdxSplit(new.target.name, root, train, source));
    this.transformFn = transform;
    if (transform === undefined) constructedFrom(this, THIS_MODULE, new.target === FashionMNIST ? 'FashionMNIST' : 'MNIST', [options]);
  }
}

/**
 * Zalando's Fashion-MNIST (the same formats and sizes as MNIST; labels 0–9 are T-shirt/top,
 * trouser, pullover, dress, coat, sandal, shirt, sneaker, bag, ankle boot).
 *
 * @example const test = new gluon.data.vision.FashionMNIST({ root: '/data/fashion', train: false });
 */
export class FashionMNIST extends MNIST {}
