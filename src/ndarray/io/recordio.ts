/**
 * MXNet's RecordIO files (`mx.recordio.MXRecordIO` and `MXIndexedRecordIO`; dmlc-core's
 * `recordio.h`), read and written byte for byte as MXNet does. Node only (files).
 *
 * A record is written as: the magic 0xced7230a, a length word `cflag << 29 | length`, the bytes,
 * and zero padding to a multiple of 4 (all little-endian). A record whose bytes hold the magic at
 * a 4-aligned offset is split there into parts (cflag 1 first, 2 middle, 3 last; 0 for a whole
 * record), the magic itself left out and put back by the reader — so a reader that finds the
 * magic always finds a record start. An index file beside it has one line `key\toffset` per
 * record (MXIndexedRecordIO), for random access.
 */
import { GluonError } from '../../core/errors';
import { nodeFs } from './fs';

const MAGIC = 0xced7230a;
const MAX_LENGTH = (1 << 29) - 1;

type Fs = typeof import('fs');

/** Opens `path` ('r' read, 'w' write: created or truncated), refusing anything but a regular file (a pipe would block). */
function openFile(who: string, fs: Fs, path: string, flag: 'r' | 'w'): number {
  const { O_RDONLY, O_WRONLY, O_CREAT, O_TRUNC, O_NONBLOCK = 0 } = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(path, (flag === 'r' ? O_RDONLY : O_WRONLY | O_CREAT | O_TRUNC) | O_NONBLOCK);
  } catch (error) {
    throw new GluonError(`${who}: cannot open '${path}' for ${flag === 'r' ? 'reading' : 'writing'}: ${(error as Error).message}`);
  }
  if (!fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd);
    throw new GluonError(`${who}: expected '${path}' to be a regular file, but it is not`);
  }
  return fd;
}

/**
 * A RecordIO file, read or written record by record (MXNet's MXRecordIO).
 *
 * @example
 * const out = new recordio.MXRecordIO('/tmp/a.rec', 'w');
 * out.write(new TextEncoder().encode('record 0'));
 * out.close();
 * new recordio.MXRecordIO('/tmp/a.rec', 'r').read(); // the bytes of 'record 0'
 */
export class MXRecordIO {
  readonly uri: string;
  readonly flag: 'r' | 'w';
  protected fd: number | undefined;
  /** Where the next read or write happens (MXNet's `tell()`). */
  protected position = 0;
  protected fileSize = 0;
  private readonly fs: Fs;

  constructor(uri: string, flag: 'r' | 'w') {
    const who = new.target.name;
    if (typeof uri !== 'string' || uri === '') throw new GluonError(`${who}: expected uri to be a file path, but got ${String(uri)}`);
    if (flag !== 'r' && flag !== 'w') throw new GluonError(`${who}: expected flag 'r' or 'w', but got ${String(flag)}`);
    this.uri = uri;
    this.flag = flag;
    this.fs = nodeFs(who);
    this.open();
  }

  /** (Re)opens the file at its start; writing truncates it. */
  open(): void {
    this.close();
    this.fd = openFile(this.constructor.name, this.fs, this.uri, this.flag);
    this.position = 0;
    this.fileSize = this.flag === 'r' ? this.fs.fstatSync(this.fd).size : 0;
  }

  close(): void {
    if (this.fd !== undefined) this.fs.closeSync(this.fd);
    this.fd = undefined;
  }

  /** Back to the first record (MXNet's reset: close and open). */
  reset(): void {
    this.open();
  }

  /** The byte offset of the next record. */
  tell(): number {
    return this.position;
  }

  /** Appends one record. */
  write(bytes: Uint8Array): void {
    const fd = this.checkOpen('write', 'w');
    if (!(bytes instanceof Uint8Array)) throw new GluonError(`${this.constructor.name}.write: expected the record's bytes as a Uint8Array, but got ${typeof bytes}`);
    if (bytes.length > MAX_LENGTH) throw new GluonError(`${this.constructor.name}.write: expected a record of at most ${MAX_LENGTH} bytes, but got ${bytes.length}`);
    const chunks = encodeRecord(bytes);
    for (const chunk of chunks) this.fs.writeSync(fd, chunk);
    this.position += chunks.reduce((n, c) => n + c.length, 0);
  }

  /** The next record's bytes, or null at the end of the file. */
  read(): Uint8Array | null {
    this.checkOpen('read', 'r');
    if (this.position >= this.fileSize) return null;
    const parts: Uint8Array[] = [];
    for (;;) {
      const [cflag, length] = this.readHeader();
      parts.push(this.readBytes(this.position + 8, length));
      this.position += 8 + roundUp4(length);
      if (cflag === 0 || cflag === 3) break;
      parts.push(MAGIC_BYTES);
      if (this.position >= this.fileSize) throw this.corrupt(`a record split at a magic number ends at byte ${this.position} without its last part`);
    }
    return concat(parts);
  }

  /** The record header at `position`: its cflag and length, checked against the file. */
  private readHeader(): [number, number] {
    const header = this.readBytes(this.position, 8);
    const view = new DataView(header.buffer, header.byteOffset, 8);
    if (view.getUint32(0, true) !== MAGIC) throw this.corrupt(`expected the record magic 0xced7230a at byte ${this.position}, but found 0x${view.getUint32(0, true).toString(16)}`);
    const word = view.getUint32(4, true);
    return [word >>> 29, word & MAX_LENGTH];
  }

  private readBytes(at: number, length: number): Uint8Array {
    if (at + length > this.fileSize) throw this.corrupt(`a record at byte ${this.position} needs ${length} bytes from byte ${at}, past the file's end at ${this.fileSize}`);
    const out = new Uint8Array(length);
    for (let done = 0; done < length;) done += this.fs.readSync(this.fd as number, out, done, length - done, at + done);
    return out;
  }

  private corrupt(why: string): GluonError {
    return new GluonError(`${this.constructor.name}.read: '${this.uri}' is not a valid RecordIO file: ${why}`);
  }

  protected checkOpen(what: string, flag: 'r' | 'w'): number {
    if (this.fd === undefined) throw new GluonError(`${this.constructor.name}.${what}: the file '${this.uri}' is closed`);
    if (this.flag !== flag) throw new GluonError(`${this.constructor.name}.${what}: expected a file opened with '${flag}', but '${this.uri}' is opened with '${this.flag}'`);
    return this.fd;
  }
}

/**
 * A RecordIO file with an index file of `key\toffset` lines (MXNet's MXIndexedRecordIO): records
 * are written under integer keys and read back by key, in any order.
 *
 * @example
 * const out = new recordio.MXIndexedRecordIO('/tmp/a.idx', '/tmp/a.rec', 'w');
 * out.writeIdx(7, bytes); out.close();
 * new recordio.MXIndexedRecordIO('/tmp/a.idx', '/tmp/a.rec', 'r').readIdx(7);
 */
export class MXIndexedRecordIO extends MXRecordIO {
  readonly idxPath: string;
  /** The keys, in file order. */
  readonly keys: number[] = [];
  private readonly offsets = new Map<number, number>();

  constructor(idxPath: string, uri: string, flag: 'r' | 'w') {
    super(uri, flag);
    if (typeof idxPath !== 'string' || idxPath === '') throw new GluonError(`MXIndexedRecordIO: expected idxPath to be a file path, but got ${String(idxPath)}`);
    this.idxPath = idxPath;
    if (flag === 'r') this.readIndex();
    else this.writeIndexFile('');
  }

  /** Writes (flag '' truncates) or appends to the index file, as MXNet writes each line as its record goes out. */
  private writeIndexFile(text: string): void {
    const fs = nodeFs('MXIndexedRecordIO');
    try {
      if (text === '') fs.writeFileSync(this.idxPath, '');
      else fs.appendFileSync(this.idxPath, text);
    } catch (error) {
      throw new GluonError(`MXIndexedRecordIO: cannot write the index file '${this.idxPath}': ${(error as Error).message}`);
    }
  }

  private readIndex(): void {
    const fs = nodeFs('MXIndexedRecordIO');
    let text: string;
    try {
      text = fs.readFileSync(this.idxPath, 'utf8');
    } catch (error) {
      throw new GluonError(`MXIndexedRecordIO: cannot read the index file '${this.idxPath}': ${(error as Error).message}`);
    }
    text.split('\n').forEach((line, i) => {
      if (line.trim() === '') return;
      const match = /^\s*(-?\d+)\t(\d+)\s*$/.exec(line);
      const offset = match ? Number(match[2]) : NaN;
      if (!match || offset >= this.fileSize) {
        throw new GluonError(`MXIndexedRecordIO: expected lines 'key<TAB>offset' with offsets inside '${this.uri}' (${this.fileSize} bytes) in '${this.idxPath}', but line ${i + 1} is '${line.slice(0, 80)}'`);
      }
      const key = Number(match[1]);
      if (!this.offsets.has(key)) this.keys.push(key);
      this.offsets.set(key, offset);
    });
  }

  /** Moves to the record of `key`. */
  seek(key: number): void {
    const offset = this.offsets.get(key);
    if (offset === undefined) throw new GluonError(`MXIndexedRecordIO.seek: expected one of the ${this.keys.length} keys of '${this.idxPath}', but got ${String(key)}`);
    this.position = offset;
  }

  /** The record of `key`. */
  readIdx(key: number): Uint8Array {
    this.seek(key);
    return this.read() as Uint8Array;
  }

  /** Writes a record under `key` and appends its index line. */
  writeIdx(key: number, bytes: Uint8Array): void {
    if (!Number.isSafeInteger(key)) throw new GluonError(`MXIndexedRecordIO.writeIdx: expected an integer key, but got ${String(key)}`);
    const offset = this.tell();
    this.write(bytes);
    if (!this.offsets.has(key)) this.keys.push(key);
    this.offsets.set(key, offset);
    this.writeIndexFile(`${key}\t${offset}\n`);
  }
}

const MAGIC_BYTES = new Uint8Array(new Uint32Array([MAGIC]).buffer);

const roundUp4 = (n: number) => (n + 3) & ~3;

/** One record as written: parts split at 4-aligned magic numbers, each with its header, then padding. */
function encodeRecord(bytes: Uint8Array): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  const header = (cflag: number, length: number) => {
    const h = new Uint8Array(8);
    const view = new DataView(h.buffer);
    view.setUint32(0, MAGIC, true);
    view.setUint32(4, ((cflag << 29) | length) >>> 0, true);
    return h;
  };
  let start = 0;
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    if (bytes[i] === MAGIC_BYTES[0] && bytes[i + 1] === MAGIC_BYTES[1] && bytes[i + 2] === MAGIC_BYTES[2] && bytes[i + 3] === MAGIC_BYTES[3]) {
      chunks.push(header(start === 0 ? 1 : 2, i - start), bytes.subarray(start, i));
      start = i + 4;
    }
  }
  chunks.push(header(start === 0 ? 0 : 3, bytes.length - start), bytes.subarray(start));
  const padding = roundUp4(bytes.length) - bytes.length;
  if (padding > 0) chunks.push(new Uint8Array(padding));
  return chunks;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
