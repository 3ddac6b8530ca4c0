/**
 * Images in RecordIO files: `recordio.packImg` / `unpackImg` (MXNet's `pack_img`, `unpack_img`:
 * the header, then the image encoded as JPEG or PNG) and `gluon.data.vision.ImageRecordDataset`
 * (MXNet 1.9), whose sample i is `[image, label]` decoded from record i.
 */
import { checkFunction, checkOptionsObject, describeValue, optionKeys } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { NDArray } from '../../../ndarray/ndarray';
import { IRHeader, pack, unpack } from '../../../ndarray/io/recordio_header';
import { Dataset } from '../dataset';
import { RecordFileDataset } from '../record_dataset';
import { ImageFlag, decodeImage, jpegJs, pngjs } from './image_decode';
import { constructedFrom } from '../recipes';

// This file, for the workers of a DataLoader with numWorkers (absent in an ES module build).
const THIS_MODULE = typeof __filename === 'string' ? __filename : undefined;

/** Options of packImg. */
export interface PackImgOptions {
  /** JPEG quality 1–100. Default 95. */
  quality?: number;
  /** '.jpg' (default) or '.png' (lossless). */
  imgFmt?: '.jpg' | '.jpeg' | '.png';
}

const PACK_KEYS = optionKeys<PackImgOptions>({ quality: true, imgFmt: true });

/**
 * `header` and an image (H, W, 3) RGB or (H, W, 1) gray, values 0–255 (rounded and clamped to
 * bytes), encoded as JPEG or PNG into one record. MXNet's takes OpenCV's BGR arrays; the file
 * is the same image either way.
 *
 * @example out.writeIdx(0, recordio.packImg({ label: 3 }, image, { imgFmt: '.png' }));
 */
export function packImg(header: { label: number | ArrayLike<number>; id?: number; id2?: number }, image: NDArray, options: PackImgOptions = {}): Uint8Array {
  const who = 'recordio.packImg';
  const { quality = 95, imgFmt = '.jpg' } = checkOptionsObject(who, options, PACK_KEYS) as PackImgOptions;
  if (!(image instanceof NDArray) || image.ndim !== 3 || (image.shape[2] !== 3 && image.shape[2] !== 1)) {
    throw new GluonError(`${who}: expected an image NDArray (height, width, 3 or 1), but got ${image instanceof NDArray ? `shape (${image.shape.join(', ')})` : describeValue(image)}`);
  }
  if (!Number.isInteger(quality) || quality < 1 || quality > 100) throw new GluonError(`${who}: expected quality to be an integer from 1 to 100, but got ${describeValue(quality)}`);
  if (imgFmt !== '.jpg' && imgFmt !== '.jpeg' && imgFmt !== '.png') throw new GluonError(`${who}: expected imgFmt '.jpg' or '.png', but got ${describeValue(imgFmt)}`);
  return pack(header, encodeImage(image, imgFmt === '.png' ? 'png' : 'jpeg', quality));
}

/**
 * A record's header and its image decoded (flag 1: (H, W, 3) RGB, 0: (H, W, 1) gray).
 *
 * @example const [header, image] = recordio.unpackImg(record);
 */
export function unpackImg(record: Uint8Array, flag: ImageFlag = 1): [IRHeader, NDArray] {
  const [header, bytes] = unpack(record);
  return [header, decodeImage('recordio.unpackImg', bytes, flag, 'the record')];
}

/** RGBA bytes of an (H, W, C) image, rounded and clamped to 0–255, encoded by jpeg-js or pngjs. */
function encodeImage(image: NDArray, format: 'jpeg' | 'png', quality: number): Uint8Array {
  const [height, width, channels] = image.shape;
  const values = image.toFloat32Array();
  const rgba = new Uint8Array(width * height * 4);
  const byte = (v: number) => Math.min(255, Math.max(0, Math.round(v)));
  for (let p = 0; p < width * height; p++) {
    const [r, g, b] = channels === 3 ? [values[3 * p], values[3 * p + 1], values[3 * p + 2]] : [values[p], values[p], values[p]];
    rgba.set([byte(r), byte(g), byte(b), 255], 4 * p);
  }
  if (format === 'png') {
    const { PNG } = pngjs('recordio.packImg');
    const png = new PNG({ width, height });
    png.data.set(rgba);
    return new Uint8Array(PNG.sync.write(png));
  }
  return new Uint8Array(jpegJs('recordio.packImg').encode({ data: rgba, width, height }, quality).data);
}

/** Options of ImageRecordDataset. */
export interface ImageRecordOptions {
  /** 1: color (H, W, 3), default; 0: grayscale (H, W, 1). */
  flag?: ImageFlag;
  /** MXNet's deprecated `transform(data, label) → [data, label]`; prefer `dataset.transformFirst`. */
  transform?: (data: NDArray, label: number | NDArray) => [NDArray, number | NDArray];
}

/**
 * The images of a RecordIO file made with `packImg` (or MXNet's im2rec): sample i is
 * `[image, label]`, the label a number or, for a record with several labels, a 1-D NDArray.
 *
 * @example const ds = new gluon.data.vision.ImageRecordDataset('/data/train.rec');
 */
export class ImageRecordDataset extends Dataset<[NDArray, number | NDArray]> {
  readonly flag: ImageFlag;
  private readonly records: RecordFileDataset;
  private readonly transformFn: ImageRecordOptions['transform'];

  constructor(filename: string, options: ImageRecordOptions = {}) {
    super();
    const { flag = 1, transform } = checkOptionsObject('ImageRecordDataset', options, ['flag', 'transform']) as ImageRecordOptions;
    if (flag !== 0 && flag !== 1) throw new GluonError(`ImageRecordDataset: expected flag 0 (grayscale) or 1 (color), but got ${String(flag)}`);
    if (transform !== undefined) checkFunction('ImageRecordDataset', 'transform', transform);
    this.records = new RecordFileDataset(filename);
    this.flag = flag;
    this.transformFn = transform;
    if (transform === undefined) constructedFrom(this, THIS_MODULE, 'ImageRecordDataset', [filename, options]);
  }

  get length(): number {
    return this.records.length;
  }

  get(index: number): [NDArray, number | NDArray] {
    const [header, bytes] = unpack(this.records.get(index));
    const image = decodeImage('ImageRecordDataset', bytes, this.flag, `record ${index} of '${this.records.filename}'`);
    const label = typeof header.label === 'number' ? header.label : new NDArray(header.label, [header.label.length]);
    return this.transformFn ? this.transformFn(image, label) : [image, label];
  }
}
