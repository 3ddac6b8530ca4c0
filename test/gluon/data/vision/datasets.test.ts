/**
 * gluon.data.vision's datasets on small files written here in the standard formats: MNIST's and
 * Fashion-MNIST's IDX files (gzipped and not), CIFAR-10's and CIFAR-100's binary records, and an
 * image folder of PNG and JPEG files (encoded with pngjs and jpeg-js). Samples are checked
 * against the values written; every malformed or missing file is a GluonError naming it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { PNG } from 'pngjs';
import { GluonError, gluon } from '../../../../src';

const { MNIST, FashionMNIST, CIFAR10, CIFAR100, ImageFolderDataset } = gluon.data.vision;

let root: string;
beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-vision-')); });
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

/** An IDX file of unsigned bytes: magic 0x0000080D, the dims (big-endian), the data. */
function idx(dims: number[], data: Uint8Array): Buffer {
  const header = Buffer.alloc(4 + 4 * dims.length);
  header.writeUInt32BE(0x800 + dims.length, 0);
  dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([header, Buffer.from(data)]);
}

/** Pixel (n, r, c) of the test images: a value that differs per image and position. */
const pixel = (n: number, r: number, c: number, ch = 0) => (n * 31 + r * 7 + c * 3 + ch * 50) % 256;

function writeMnist(dir: string, prefix: string, count: number, gzip: boolean): void {
  const images = new Uint8Array(count * 28 * 28).map((_, i) => pixel(Math.floor(i / 784), Math.floor((i % 784) / 28), i % 28));
  const labels = Uint8Array.from({ length: count }, (_, n) => (n * 3) % 10);
  const write = (name: string, bytes: Buffer) => fs.writeFileSync(path.join(dir, gzip ? `${name}.gz` : name), gzip ? zlib.gzipSync(bytes) : bytes);
  write(`${prefix}-images-idx3-ubyte`, idx([count, 28, 28], images));
  write(`${prefix}-labels-idx1-ubyte`, idx([count], labels));
}

describe('MNIST and FashionMNIST', () => {
  it.each([[true], [false]])('read the IDX files (gzipped: %s) into (28, 28, 1) images and labels', (gzip) => {
    writeMnist(root, 'train', 5, gzip);
    writeMnist(root, 't10k', 3, gzip);
    const train = new MNIST({ root });
    expect(train.length).toBe(5);
    const [image, label] = train.get(4);
    expect([image.shape, image.dtype]).toEqual([[28, 28, 1], 'uint8']);
    expect([image.toFloat32Array()[28 * 2 + 5], label]).toEqual([pixel(4, 2, 5), 2]);
    const test = new FashionMNIST({ root, train: false });
    expect(test.length).toBe(3);
    expect(test.get(1)[1]).toBe(3);
  });

  it('applies the deprecated transform(data, label) and works with a DataLoader', () => {
    writeMnist(root, 'train', 4, true);
    // A uint8 image divided by 255 stays uint8 (MXNet's integer division): convert first, as in MXNet.
    const ds = new MNIST({ root, transform: (data, label) => [data.astype('float32').div(255), label + 1] });
    expect(ds.get(0)[0].toFloat32Array()[1]).toBeCloseTo(pixel(0, 0, 1) / 255, 7);
    expect(ds.get(0)[1]).toBe(1);
    const [[x, y]] = [...new gluon.data.DataLoader(new MNIST({ root }), { batchSize: 4 })];
    expect([x.shape, x.dtype, Array.from(y.toFloat32Array())]).toEqual([[4, 28, 28, 1], 'uint8', [0, 3, 6, 9]]);
  });

  it('say where to get missing files, and refuse malformed ones', () => {
    expect(() => new MNIST({ root })).toThrow(new RegExp(`^MNIST: expected the file train-images-idx3-ubyte.gz in '${root}', but it is not there \\(nor train-images-idx3-ubyte\\); tsgluon downloads nothing: get .*ossci-datasets`));
    expect(() => new FashionMNIST({ root })).toThrow(/zalandoresearch/);
    fs.writeFileSync(path.join(root, 'train-images-idx3-ubyte'), idx([2, 28, 28], new Uint8Array(100)));
    fs.writeFileSync(path.join(root, 'train-labels-idx1-ubyte'), idx([2], new Uint8Array(2)));
    expect(() => new MNIST({ root })).toThrow(/^MNIST: expected 1568 data bytes after the header of '.*train-images-idx3-ubyte' \(shape 2×28×28\), but it has 100$/);
    fs.writeFileSync(path.join(root, 'train-images-idx3-ubyte'), idx([2, 28], new Uint8Array(56)));
    expect(() => new MNIST({ root })).toThrow(/expected an IDX file of unsigned bytes with 3 dimensions \(magic 0x00000803\) in '.*', but it starts with 0x00000802/);
    writeMnist(root, 'train', 3, false);
    fs.writeFileSync(path.join(root, 'train-labels-idx1-ubyte'), idx([2], new Uint8Array(2)));
    expect(() => new MNIST({ root })).toThrow(/^MNIST: expected as many labels as images in '.*', but there are 3 images and 2 labels$/);
    fs.writeFileSync(path.join(root, 'train-images-idx3-ubyte.gz'), Buffer.from([0x1f, 0x8b, 1, 2, 3]));
    expect(() => new MNIST({ root })).toThrow(/^MNIST: cannot gunzip '.*train-images-idx3-ubyte.gz': /);
    expect(() => new MNIST({ root: 5 as unknown as string })).toThrow(GluonError);
    expect(() => new MNIST({ root, bogus: 1 } as never)).toThrow(/MNIST: .*bogus/);
  });

  it('refuses an index out of range', () => {
    writeMnist(root, 'train', 2, false);
    expect(() => new MNIST({ root }).get(2)).toThrow('MNIST.get: expected an index in [0, 2), but got 2');
  });
});

/** CIFAR records: `labelBytes` labels, then R, G and B planes of 32×32. */
function cifarRecords(count: number, labels: (n: number) => number[]): Buffer {
  const records = count * (labels(0).length + 3072);
  const out = Buffer.alloc(records);
  let at = 0;
  for (let n = 0; n < count; n++) {
    for (const l of labels(n)) out[at++] = l;
    for (let ch = 0; ch < 3; ch++) for (let p = 0; p < 1024; p++) out[at++] = pixel(n, Math.floor(p / 32), p % 32, ch);
  }
  return out;
}

describe('CIFAR10 and CIFAR100', () => {
  it('read the binary batches into (32, 32, 3) images, channels last', () => {
    const dir = path.join(root, 'cifar-10-batches-bin');
    fs.mkdirSync(dir);
    for (let i = 1; i <= 5; i++) fs.writeFileSync(path.join(dir, `data_batch_${i}.bin`), cifarRecords(2, (n) => [(n + i) % 10]));
    fs.writeFileSync(path.join(dir, 'test_batch.bin'), cifarRecords(3, () => [7]));
    const train = new CIFAR10({ root });
    expect(train.length).toBe(10);
    const [image, label] = train.get(3); // batch 2, record 1
    expect(image.shape).toEqual([32, 32, 3]);
    const values = image.toFloat32Array();
    expect([values[(5 * 32 + 9) * 3 + 0], values[(5 * 32 + 9) * 3 + 2], label]).toEqual([pixel(1, 5, 9, 0), pixel(1, 5, 9, 2), 3]);
    expect(new CIFAR10({ root, train: false }).get(2)[1]).toBe(7);
  });

  it('CIFAR100 gives the coarse label by default and the fine one with fineLabel', () => {
    fs.writeFileSync(path.join(root, 'train.bin'), cifarRecords(2, (n) => [n + 1, 50 + n]));
    expect(new CIFAR100({ root }).get(1)[1]).toBe(2);
    expect(new CIFAR100({ root, fineLabel: true }).get(1)[1]).toBe(51);
    fs.writeFileSync(path.join(root, 'test.bin'), Buffer.alloc(3000));
    expect(() => new CIFAR100({ root, train: false })).toThrow(/^CIFAR100: expected '.*test\.bin' to hold whole records of 3074 bytes \(2 label bytes and a 32×32×3 image\), but its 3000 bytes are not a multiple of 3074$/);
    expect(() => new CIFAR10({ root })).toThrow(/^CIFAR10: expected the file cifar-10-batches-bin\/data_batch_1.bin in '.*', but it is not there \(nor data_batch_1.bin\); tsgluon downloads nothing: get the binary version, https:\/\/www.cs.toronto.edu\/~kriz\/cifar-10-binary.tar.gz/);
  });
});

/** A PNG of (h, w) RGB pixels from `color`. */
function png(h: number, w: number, color: (r: number, c: number) => [number, number, number]): Buffer {
  const image = new PNG({ width: w, height: h });
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const [red, green, blue] = color(r, c);
      image.data.set([red, green, blue, 255], 4 * (r * w + c));
    }
  }
  return PNG.sync.write(image);
}

describe('ImageFolderDataset', () => {
  const color = (r: number, c: number): [number, number, number] => [(r * 40) % 256, (c * 60) % 256, 200];

  function writeFolder(): void {
    for (const cls of ['dog', 'cat']) fs.mkdirSync(path.join(root, cls));
    fs.writeFileSync(path.join(root, 'cat', 'b.png'), png(3, 4, color));
    fs.writeFileSync(path.join(root, 'cat', 'a.png'), png(2, 2, () => [10, 20, 30]));
    fs.writeFileSync(path.join(root, 'cat', 'notes.txt'), 'not an image');
    const jpeg = require('jpeg-js') as { encode(raw: { data: Buffer; width: number; height: number }, quality: number): { data: Buffer } };
    const raw = Buffer.alloc(8 * 8 * 4);
    for (let p = 0; p < 64; p++) raw.set([120, 130, 140, 255], 4 * p);
    fs.writeFileSync(path.join(root, 'dog', 'x.JPG'), jpeg.encode({ data: raw, width: 8, height: 8 }, 100).data);
    fs.writeFileSync(path.join(root, 'readme.md'), 'a file at the top');
  }

  it('lists the sorted class folders and their images, and decodes PNG exactly and JPEG closely', () => {
    writeFolder();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const ds = new ImageFolderDataset(root);
    expect(warn.mock.calls.map(([m]) => String(m).replace(root, 'ROOT'))).toEqual([
      'Ignoring ROOT/cat/notes.txt of type .txt. Only support .jpg, .jpeg, .png',
      'Ignoring ROOT/readme.md, which is not a directory.',
    ]);
    warn.mockRestore();
    expect(ds.synsets).toEqual(['cat', 'dog']);
    expect(ds.items.map(([p, l]) => [path.basename(p), l])).toEqual([['a.png', 0], ['b.png', 0], ['x.JPG', 1]]);
    const [image, label] = ds.get(1);
    expect([image.shape, label]).toEqual([[3, 4, 3], 0]);
    expect(Array.from(image.toFloat32Array().subarray(3 * (2 * 4 + 3), 3 * (2 * 4 + 3) + 3))).toEqual(color(2, 3));
    const [photo] = ds.get(2);
    expect(photo.shape).toEqual([8, 8, 3]);
    for (const [v, want] of Array.from(photo.toFloat32Array()).map((v, i) => [v, [120, 130, 140][i % 3]])) expect(Math.abs(v - want)).toBeLessThanOrEqual(2);
  });

  it('flag 0 gives one gray channel by OpenCV\'s weights', () => {
    writeFolder();
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const [gray] = new ImageFolderDataset(root, { flag: 0 }).get(0);
    expect(gray.shape).toEqual([2, 2, 1]);
    expect(gray.toFloat32Array()[0]).toBe(Math.round(0.299 * 10 + 0.587 * 20 + 0.114 * 30));
    jest.restoreAllMocks();
  });

  it('refuses a bad root, flag, corrupt or oversized image', () => {
    expect(() => new ImageFolderDataset(path.join(root, 'missing'))).toThrow(/^ImageFolderDataset: cannot read the folder '.*missing': /);
    expect(() => new ImageFolderDataset(root, { flag: 2 as 0 })).toThrow('ImageFolderDataset: expected flag 0 (grayscale) or 1 (color), but got 2');
    fs.mkdirSync(path.join(root, 'a'));
    fs.writeFileSync(path.join(root, 'a', 'bad.png'), Buffer.from('not really a png'));
    const huge = png(1, 1, () => [0, 0, 0]);
    huge.writeUInt32BE(20000, 16);
    huge.writeUInt32BE(20000, 20);
    fs.writeFileSync(path.join(root, 'a', 'huge.png'), huge);
    fs.writeFileSync(path.join(root, 'a', 'trunc.png'), png(4, 4, color).subarray(0, 40));
    const ds = new ImageFolderDataset(root);
    expect(() => ds.get(0)).toThrow(/^ImageFolderDataset: expected a JPEG or PNG image in '.*bad\.png', but its bytes are neither$/);
    expect(() => ds.get(1)).toThrow(/^ImageFolderDataset: expected an image of at most 104857600 pixels in '.*huge\.png', but its header says 20000×20000$/);
    expect(() => ds.get(2)).toThrow(/^ImageFolderDataset: cannot decode the PNG image in '.*trunc\.png': /);
    expect(() => ds.get(3)).toThrow('ImageFolderDataset.get: expected an index in [0, 3), but got 3');
  });
});
