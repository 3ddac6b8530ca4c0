/**
 * `recordio`, as `mx.recordio`: MXNet's RecordIO files (MXRecordIO, MXIndexedRecordIO), the
 * image-record header (pack, unpack) and images in records (packImg, unpackImg). Node only.
 *
 * @example
 * const out = new recordio.MXIndexedRecordIO('/tmp/train.idx', '/tmp/train.rec', 'w');
 * out.writeIdx(0, recordio.packImg({ label: 3 }, image));
 * out.close();
 * new gluon.data.vision.ImageRecordDataset('/tmp/train.rec').get(0); // [image, 3]
 */
export { MXIndexedRecordIO, MXRecordIO } from './ndarray/io/recordio';
export { pack, unpack } from './ndarray/io/recordio_header';
export type { IRHeader } from './ndarray/io/recordio_header';
export { packImg, unpackImg } from './gluon/data/vision/image_record';
export type { PackImgOptions } from './gluon/data/vision/image_record';
