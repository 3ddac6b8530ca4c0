/**
 * Images in RecordIO files: packImg / unpackImg (PNG exactly, JPEG closely), RecordFileDataset
 * (records in index order) and ImageRecordDataset (decoded images with number or list labels),
 * on files written here; bad input is a GluonError naming it.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { gluon, nd, recordio } from '../../../../src';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-imrec-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A (4, 5, 3) image whose values differ per position and channel. */
const image = (shift: number) => nd.array(Array.from({ length: 4 }, (_, r) => Array.from({ length: 5 }, (_, c) => [r * 50 + shift, c * 40, 255 - r * c * 10])));

function writeRecords(): { rec: string } {
  const [idx, rec] = [path.join(dir, 'train.idx'), path.join(dir, 'train.rec')];
  const out = new recordio.MXIndexedRecordIO(idx, rec, 'w');
  out.writeIdx(10, recordio.packImg({ label: 4 }, image(0), { imgFmt: '.png' }));
  out.writeIdx(11, recordio.packImg({ label: [1, 2], id: 11 }, image(5), { imgFmt: '.png' }));
  out.writeIdx(12, recordio.packImg({ label: 0 }, nd.full([8, 8, 3], 128), { quality: 100 }));
  out.close();
  return { rec };
}

test('packImg / unpackImg keep a PNG image exactly and a JPEG within a few levels', () => {
  const [header, back] = recordio.unpackImg(recordio.packImg({ label: 3, id: 1 }, image(0), { imgFmt: '.png' }));
  expect([header.label, header.id, back.shape]).toEqual([3, 1, [4, 5, 3]]);
  expect(back.toArray()).toEqual(image(0).toArray());
  const [, gray] = recordio.unpackImg(recordio.packImg({ label: 0 }, image(0), { imgFmt: '.png' }), 0);
  expect(gray.shape).toEqual([4, 5, 1]);
  const [, photo] = recordio.unpackImg(recordio.packImg({ label: 0 }, nd.full([8, 8, 3], 100), { quality: 100 }));
  for (const v of photo.toFloat32Array()) expect(Math.abs(v - 100)).toBeLessThanOrEqual(2);
});

test('RecordFileDataset gives the raw records in index order', () => {
  const { rec } = writeRecords();
  const ds = new gluon.data.RecordFileDataset(rec);
  expect(ds.length).toBe(3);
  expect(recordio.unpack(ds.get(1))[0].id).toBe(11);
  expect(() => ds.get(3)).toThrow('RecordFileDataset.get: expected an index in [0, 3), but got 3');
  expect(() => new gluon.data.RecordFileDataset(path.join(dir, 'none.rec'))).toThrow(/^MXIndexedRecordIO: cannot open '.*none\.rec' for reading/);
});

test('ImageRecordDataset decodes each image with its label (a number, or an NDArray of several)', () => {
  const { rec } = writeRecords();
  const ds = new gluon.data.vision.ImageRecordDataset(rec);
  const [first, label] = ds.get(0);
  expect([first.shape, label]).toEqual([[4, 5, 3], 4]);
  expect(first.toArray()).toEqual(image(0).toArray());
  const [, labels] = ds.get(1);
  expect((labels as ReturnType<typeof nd.array>).toArray()).toEqual([1, 2]);
  const [[x, y]] = [...new gluon.data.DataLoader(new gluon.data.vision.ImageRecordDataset(rec, { flag: 0 }).take(1), { batchSize: 1 })];
  expect([x.shape, y.toArray()]).toEqual([[1, 4, 5, 1], [4]]);
  expect(() => new gluon.data.vision.ImageRecordDataset(rec, { flag: 3 as 1 })).toThrow('ImageRecordDataset: expected flag 0 (grayscale) or 1 (color), but got 3');
});

test('packImg refuses what it cannot encode', () => {
  expect(() => recordio.packImg({ label: 0 }, nd.zeros([4, 4]))).toThrow('recordio.packImg: expected an image NDArray (height, width, 3 or 1), but got shape (4, 4)');
  expect(() => recordio.packImg({ label: 0 }, image(0), { quality: 0 })).toThrow('recordio.packImg: expected quality to be an integer from 1 to 100, but got the number 0');
  expect(() => recordio.packImg({ label: 0 }, image(0), { imgFmt: '.gif' as '.png' })).toThrow("recordio.packImg: expected imgFmt '.jpg' or '.png', but got");
});

test("in a bundle without the Node packages (the browser field maps them away), image coding and files are GluonErrors", () => {
  jest.isolateModules(() => {
    jest.doMock('pngjs', () => ({}));
    jest.doMock('jpeg-js', () => ({}));
    jest.doMock('fs', () => ({}));
    const lib = require('../../../../src') as typeof import('../../../../src');
    const { recordio: rio, nd: n } = lib;
    expect(() => rio.packImg({ label: 0 }, n.zeros([2, 2, 3]), { imgFmt: '.png' }))
      .toThrow("recordio.packImg: expected the 'pngjs' package (Node), but this build has none: a browser bundle leaves it out; decode images with the browser's own image elements");
    expect(() => rio.packImg({ label: 0 }, n.zeros([2, 2, 3]))).toThrow("recordio.packImg: expected the 'jpeg-js' package (Node)");
    expect(() => n.save('/tmp/never.params', n.ones([1]))).toThrow("nd.save: expected Node.js (it needs the 'fs' module), but this environment has none; use nd.saveBytes/nd.loadBytes");
  });
  jest.dontMock('pngjs');
  jest.dontMock('jpeg-js');
  jest.dontMock('fs');
});
