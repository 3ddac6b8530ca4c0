/**
 * RecordIO files (MXRecordIO, MXIndexedRecordIO) and the image-record header (pack, unpack),
 * against bytes written out by hand from dmlc-core's recordio.h and MXNet's recordio.py: the
 * magic 0xced7230a, the length word with its continuation flag, splits at aligned magic numbers,
 * zero padding, `key\toffset` index lines, and the 24-byte IRHeader.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { recordio } from '../../../src';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-rec-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const MAGIC = [0x0a, 0x23, 0xd7, 0xce];
const le32 = (n: number) => [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255];

describe('MXRecordIO', () => {
  it('writes each record as magic, length, bytes and zero padding to 4', () => {
    const file = path.join(dir, 'a.rec');
    const out = new recordio.MXRecordIO(file, 'w');
    out.write(Uint8Array.from([1, 2, 3, 4, 5]));
    expect(out.tell()).toBe(16);
    out.write(new Uint8Array(0));
    out.close();
    expect(Array.from(fs.readFileSync(file))).toEqual([...MAGIC, ...le32(5), 1, 2, 3, 4, 5, 0, 0, 0, ...MAGIC, ...le32(0)]);
    const back = new recordio.MXRecordIO(file, 'r');
    expect(Array.from(back.read() ?? [])).toEqual([1, 2, 3, 4, 5]);
    expect(back.read()).toEqual(new Uint8Array(0));
    expect(back.read()).toBeNull();
    back.reset();
    expect(Array.from(back.read() ?? [])).toEqual([1, 2, 3, 4, 5]);
  });

  it('splits a record at each 4-aligned magic number (cflag 1, 2, 3) and joins it back', () => {
    const file = path.join(dir, 'b.rec');
    const record = Uint8Array.from([9, 9, 9, 9, ...MAGIC, ...MAGIC, 7, 7, ...MAGIC.slice(0, 2)]);
    const out = new recordio.MXRecordIO(file, 'w');
    out.write(record);
    out.close();
    expect(Array.from(fs.readFileSync(file))).toEqual([
      ...MAGIC, ...le32((1 << 29) | 4), 9, 9, 9, 9,
      ...MAGIC, ...le32((2 << 29) | 0),
      ...MAGIC, ...le32(((3 << 29) | 4) >>> 0), 7, 7, 0x0a, 0x23,
    ]);
    expect(Array.from(new recordio.MXRecordIO(file, 'r').read() ?? [])).toEqual(Array.from(record));
  });

  it('refuses corrupt files, wrong modes and closed files', () => {
    const file = path.join(dir, 'c.rec');
    fs.writeFileSync(file, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(() => new recordio.MXRecordIO(file, 'r').read()).toThrow(/^MXRecordIO\.read: '.*c\.rec' is not a valid RecordIO file: expected the record magic 0xced7230a at byte 0, but found 0x4030201$/);
    fs.writeFileSync(file, Buffer.from([...MAGIC, ...le32(100), 1, 2]));
    expect(() => new recordio.MXRecordIO(file, 'r').read()).toThrow('a record at byte 0 needs 100 bytes from byte 8, past the file\'s end at 10');
    fs.writeFileSync(file, Buffer.from([...MAGIC, ...le32((1 << 29) | 0)]));
    expect(() => new recordio.MXRecordIO(file, 'r').read()).toThrow('a record split at a magic number ends at byte 8 without its last part');
    const reader = new recordio.MXRecordIO(file, 'r');
    expect(() => reader.write(new Uint8Array(1))).toThrow(/^MXRecordIO\.write: expected a file opened with 'w', but '.*' is opened with 'r'$/);
    reader.close();
    expect(() => reader.read()).toThrow(/^MXRecordIO\.read: the file '.*' is closed$/);
    expect(() => new recordio.MXRecordIO(file, 'x' as 'r')).toThrow("MXRecordIO: expected flag 'r' or 'w', but got x");
    expect(() => new recordio.MXRecordIO(path.join(dir, 'missing.rec'), 'r')).toThrow(/^MXRecordIO: cannot open '.*missing\.rec' for reading: /);
    expect(() => new recordio.MXRecordIO(dir, 'r')).toThrow(/^MXRecordIO: expected '.*' to be a regular file, but it is not$/);
  });
});

describe('MXIndexedRecordIO', () => {
  it("writes 'key\\toffset' lines and reads records by key in any order", () => {
    const [idx, rec] = [path.join(dir, 'd.idx'), path.join(dir, 'd.rec')];
    const out = new recordio.MXIndexedRecordIO(idx, rec, 'w');
    out.writeIdx(5, Uint8Array.from([1]));
    out.writeIdx(2, Uint8Array.from([2, 2, 2, 2, 2]));
    out.writeIdx(9, Uint8Array.from([3]));
    out.close();
    expect(fs.readFileSync(idx, 'utf8')).toBe('5\t0\n2\t12\n9\t28\n');
    const back = new recordio.MXIndexedRecordIO(idx, rec, 'r');
    expect(back.keys).toEqual([5, 2, 9]);
    expect(Array.from(back.readIdx(9))).toEqual([3]);
    expect(Array.from(back.readIdx(2))).toEqual([2, 2, 2, 2, 2]);
    expect(() => back.readIdx(4)).toThrow(/^MXIndexedRecordIO\.seek: expected one of the 3 keys of '.*d\.idx', but got 4$/);
    fs.writeFileSync(idx, '5\t0\n2\t9999\n');
    expect(() => new recordio.MXIndexedRecordIO(idx, rec, 'r')).toThrow(/expected lines 'key<TAB>offset' with offsets inside '.*d\.rec' \(40 bytes\) in '.*d\.idx', but line 2 is '2\t9999'$/);
    expect(() => out.writeIdx(1.5, new Uint8Array(0))).toThrow('MXIndexedRecordIO.writeIdx: expected an integer key, but got 1.5');
  });
});

describe('pack and unpack', () => {
  it('store a number label in the 24-byte header (flag 0), and a list after it (flag = count)', () => {
    const one = recordio.pack({ label: 2.5, id: 7, id2: 1 }, Uint8Array.from([0xaa]));
    expect(Array.from(one)).toEqual([...le32(0), 0, 0, 0x20, 0x40, ...le32(7), 0, 0, 0, 0, ...le32(1), 0, 0, 0, 0, 0xaa]);
    expect(recordio.unpack(one)).toEqual([{ flag: 0, label: 2.5, id: 7, id2: 1 }, Uint8Array.from([0xaa])]);
    const many = recordio.pack({ label: [1, -2] }, new Uint8Array(0));
    expect(Array.from(many.subarray(0, 8))).toEqual([...le32(2), 0, 0, 0, 0]);
    expect(Array.from(many.subarray(24))).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0]);
    const [header, payload] = recordio.unpack(many);
    expect([header.flag, Array.from(header.label as Float32Array), payload.length]).toEqual([2, [1, -2], 0]);
  });

  it('refuse short records and bad ids', () => {
    expect(() => recordio.unpack(new Uint8Array(10))).toThrow('recordio.unpack: expected a record of at least 24 bytes (its header), but got 10');
    const bad = recordio.pack({ label: [1, 2, 3] }, new Uint8Array(0)).subarray(0, 30);
    expect(() => recordio.unpack(bad)).toThrow('recordio.unpack: expected 3 labels after the header, but the record has 6 bytes after it');
    expect(() => recordio.pack({ label: 1, id: -1 }, new Uint8Array(0))).toThrow('recordio.pack: expected id to be an integer from 0 to 2^53 − 1, but got the number -1');
  });
});
