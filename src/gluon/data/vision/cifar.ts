/**
 * `gluon.data.vision.CIFAR10` and `CIFAR100` (MXNet 1.9's `vision/datasets.py`): Krizhevsky's
 * binary-version files, read from a local folder. Each record is its label byte(s) and a 32×32
 * RGB image stored channel by channel (3072 bytes); samples are `[image, label]` with the image
 * transposed to (32, 32, 3), values 0–255, as MXNet's.
 */
import { checkFlag, checkOptionsObject } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { findFile, joinPath, readDatasetFile } from './dataset_files';
import { ImageBytesDataset, VisionDatasetOptions, resolveOptions } from './mnist';
import { constructedFrom } from '../recipes';

// This file, for the workers of a DataLoader with numWorkers (absent in an ES module build).
const THIS_MODULE = typeof __filename === 'string' ? __filename : undefined;

const SIDE = 32;
const PIXELS = SIDE * SIDE;

/** Reads records of `labelBytes` label bytes (the last one used, or the first for CIFAR-100's coarse labels) and an image. */
function readRecords(who: string, paths: readonly string[], labelBytes: number, labelAt: number) {
  const files = paths.map((path) => ({ path, bytes: readDatasetFile(who, path) }));
  const record = labelBytes + 3 * PIXELS;
  for (const { path, bytes } of files) {
    if (bytes.length % record !== 0) {
      throw new GluonError(`${who}: expected '${path}' to hold whole records of ${record} bytes (${labelBytes} label byte${labelBytes > 1 ? 's' : ''} and a 32×32×3 image), but its ${bytes.length} bytes are not a multiple of ${record}`);
    }
  }
  const count = files.reduce((n, { bytes }) => n + bytes.length / record, 0);
  const images = new Uint8Array(count * 3 * PIXELS);
  const labels = new Uint8Array(count);
  let n = 0;
  for (const { bytes } of files) {
    for (let at = 0; at < bytes.length; at += record, n++) {
      labels[n] = bytes[at + labelAt];
      // Channel-major (R plane, G plane, B plane) to height × width × channel.
      const image = images.subarray(n * 3 * PIXELS, (n + 1) * 3 * PIXELS);
      for (let c = 0; c < 3; c++) {
        const plane = at + labelBytes + c * PIXELS;
        for (let p = 0; p < PIXELS; p++) image[p * 3 + c] = bytes[plane + p];
      }
    }
  }
  return { images, labels };
}

const CIFAR10_WHERE = 'get the binary version, https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, and unpack it into root (the files are in cifar-10-batches-bin/)';
const CIFAR100_WHERE = 'get the binary version, https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz, and unpack it into root (the files are in cifar-100-binary/)';

/**
 * CIFAR-10's 50,000 training images (data_batch_1.bin … data_batch_5.bin) or 10,000 test images
 * (test_batch.bin), from `root/cifar-10-batches-bin/` (or `root` itself). Labels 0–9.
 *
 * @example const train = new gluon.data.vision.CIFAR10({ root: '/data/cifar10' });
 */
export class CIFAR10 extends ImageBytesDataset {
  protected readonly images: Uint8Array;
  protected readonly labels: Uint8Array;
  protected readonly imageShape = [SIDE, SIDE, 3] as const;

  constructor(options: VisionDatasetOptions = {}) {
    super();
    const who = 'CIFAR10';
    const { root, train, transform } = resolveOptions(who, options, 'cifar10');
    const names = train ? [1, 2, 3, 4, 5].map((i) => `data_batch_${i}.bin`) : ['test_batch.bin'];
    const paths = names.map((name) => findFile(who, root, [joinPath('cifar-10-batches-bin', name), name], CIFAR10_WHERE));
    ({ images: this.images, labels: this.labels } = readRecords(who, paths, 1, 0));
    this.transformFn = transform;
    if (transform === undefined) constructedFrom(this, THIS_MODULE, 'CIFAR10', [options]);
  }
}

/** Options of CIFAR100: the vision dataset options and which labels to use. */
export interface CIFAR100Options extends VisionDatasetOptions {
  /** The 100 fine labels (true) or the 20 coarse ones (false, MXNet's default). */
  fineLabel?: boolean;
}

/**
 * CIFAR-100's 50,000 training (train.bin) or 10,000 test (test.bin) images from
 * `root/cifar-100-binary/` (or `root`); each record has a coarse and a fine label byte.
 *
 * @example const train = new gluon.data.vision.CIFAR100({ root: '/data/cifar100', fineLabel: true });
 */
export class CIFAR100 extends ImageBytesDataset {
  protected readonly images: Uint8Array;
  protected readonly labels: Uint8Array;
  protected readonly imageShape = [SIDE, SIDE, 3] as const;

  constructor(options: CIFAR100Options = {}) {
    super();
    const who = 'CIFAR100';
    const { fineLabel = false, ...rest } = checkOptionsObject(who, options, ['root', 'train', 'transform', 'fineLabel']) as CIFAR100Options;
    const { root, train, transform } = resolveOptions(who, rest, 'cifar100');
    const name = train ? 'train.bin' : 'test.bin';
    const path = findFile(who, root, [joinPath('cifar-100-binary', name), name], CIFAR100_WHERE);
    ({ images: this.images, labels: this.labels } = readRecords(who, [path], 2, checkFlag(who, 'fineLabel', fineLabel) ? 1 : 0));
    this.transformFn = transform;
    if (transform === undefined) constructedFrom(this, THIS_MODULE, 'CIFAR100', [options]);
  }
}
