import { GluonError } from '../../core/errors';
import { NDArray } from '../ndarray';
import { concatBytes } from './byte_writer';
import { ByteReader, ByteSource } from './byte_reader';
import { NDArrays, decodeArrays, encodeChunks } from './params_file';

/**
 * Node's `fs`, required only when `nd.save`/`nd.load` run, so code that only uses
 * `nd.saveBytes`/`nd.loadBytes` (e.g. in a browser) never loads it. Bundlers that resolve
 * `require` calls statically should map 'fs' to an empty module for browser builds.
 * @internal A GluonError naming `what` outside Node.
 */
export function nodeFs(what: string): typeof import('fs') {
  // A browser bundle maps 'fs' to an empty module (package.json's "browser" field): check for the functions, not the name.
  const fs: Partial<typeof import('fs')> | undefined = typeof require === 'function' ? require('fs') : undefined;
  if (typeof fs?.openSync !== 'function') {
    throw new GluonError(`${what}: expected Node.js (it needs the 'fs' module), but this environment has none; use nd.saveBytes/nd.loadBytes`);
  }
  return fs as typeof import('fs');
}

function checkPath(path: unknown, what: string): asserts path is string {
  if (typeof path !== 'string' || path === '') {
    throw new GluonError(`${what}: expected a file path string, but got ${typeof path === 'string' ? 'an empty string' : typeof path}`);
  }
}

/** The message of an error from `fs`; checked structurally, as such errors may come from another realm (e.g. jest's). */
function reason(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
}

function errorCode(error: unknown): unknown {
  return typeof error === 'object' && error !== null && 'code' in error ? error.code : undefined;
}

/**
 * Saves arrays to the file `path` exactly as MXNet 1.9's `mx.nd.save` does; see `nd.saveBytes`
 * for what is accepted and how it is encoded. Overwrites an existing file.
 *
 * @throws GluonError for a bad argument (as `nd.saveBytes`) or when the file cannot be written.
 * @example
 * nd.save('/tmp/arrays.params', { weight: nd.ones([2, 3]) });
 * nd.load('/tmp/arrays.params'); // { weight: <NDArray 2x3 @cpu(0)> }
 */
export function save(path: string, arrays: NDArray | NDArrays): void {
  checkPath(path, 'nd.save');
  const chunks = encodeChunks(arrays, 'nd.save');
  const fs = nodeFs('nd.save');
  try {
    const fd = openForWriting(fs, path, 'nd.save');
    try {
      writeChunks(fs, fd, chunks);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if (error instanceof GluonError) throw error;
    throw new GluonError(`nd.save: cannot write '${path}': ${reason(error)}`);
  }
}

/** Below this size, chunks (record metadata, small arrays) are joined before writing: fewer system calls. */
const SMALL_CHUNK_BYTES = 1 << 16;

/** Writes the chunks in order; large ones straight from the arrays' memory. */
function writeChunks(fs: typeof import('fs'), fd: number, chunks: readonly Uint8Array[]): void {
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pendingBytes > 0) writeFully(fs, fd, concatBytes(pending, 'nd.save'));
    pending = [];
    pendingBytes = 0;
  };
  for (const chunk of chunks) {
    if (chunk.length >= SMALL_CHUNK_BYTES) {
      flush();
      writeFully(fs, fd, chunk);
    } else {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= SMALL_CHUNK_BYTES) flush();
    }
  }
  flush();
}

/** `writeSync` may write less than asked; loop until every byte is out. */
function writeFully(fs: typeof import('fs'), fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += fs.writeSync(fd, bytes, offset, bytes.length - offset);
}

/**
 * Loads an MXNet NDArray file (`mx.nd.save`, `save_parameters`, `save_params`, symbolic
 * checkpoints): a list when the file has no names, a record of name → array otherwise. See
 * `nd.loadBytes` for the versions and dtypes read.
 *
 * @throws GluonError naming `path` when it does not exist or cannot be read, and naming `path`
 * and the byte offset when its contents are not a valid NDArray file.
 * @example
 * const params = nd.load('lenet.params') as Record<string, NDArray>;
 * params['0.weight'].shape; // [6, 1, 5, 5]
 */
export function load(path: string): NDArrays {
  checkPath(path, 'nd.load');
  const fs = nodeFs('nd.load');
  const fd = openForReading(fs, path);
  try {
    return decodeArrays(new ByteReader(fileSource(fs, fd, path), 'nd.load', path));
  } catch (error) {
    if (error instanceof GluonError) throw error;
    throw new GluonError(`nd.load: cannot read '${path}': ${reason(error)}`);
  } finally {
    fs.closeSync(fd);
  }
}

function openForReading(fs: typeof import('fs'), path: string): number {
  try {
    // Non-blocking: opening a named pipe would otherwise wait for a writer forever (fileSource then refuses it).
    return fs.openSync(path, fs.constants.O_RDONLY | nonBlocking(fs));
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new GluonError(`nd.load: expected an existing file, but '${path}' does not exist`);
    }
    throw new GluonError(`nd.load: cannot read '${path}': ${reason(error)}`);
  }
}

/**
 * The open file as a `ByteSource`: the reader pulls headers in small windows and reads each large
 * array straight into its own memory, so loading never holds a second copy of the file.
 */
function fileSource(fs: typeof import('fs'), fd: number, path: string): ByteSource {
  const stats = fs.fstatSync(fd);
  if (!stats.isFile()) {
    throw new GluonError(`nd.load: cannot read '${path}': expected a file, but it is a ${stats.isDirectory() ? 'directory' : 'special file'}`);
  }
  return {
    length: stats.size,
    read(offset: number, target: Uint8Array): void {
      for (let done = 0; done < target.length; ) {
        const got = fs.readSync(fd, target, done, target.length - done, offset + done);
        if (got === 0) {
          throw new GluonError(`nd.load: cannot read '${path}': it ended at byte ${offset + done}, before its size of ${stats.size} bytes (did it change while loading?)`);
        }
        done += got;
      }
    },
  };
}

/**
 * @internal The text of the file `path` (UTF-8), for symbol JSON files; `what` names the caller.
 * Errors as `nd.load`'s: a GluonError naming the file.
 */
export function readTextFile(path: string, what: string): string {
  checkPath(path, what);
  const fs = nodeFs(what);
  try {
    if (!fs.statSync(path).isFile()) throw new GluonError(`${what}: '${path}' is not a regular file`);
    return fs.readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof GluonError) throw error;
    throw new GluonError(`${what}: cannot read '${path}': ${reason(error)}`);
  }
}

/**
 * @internal The bytes of the file `path` (Trainer states); `what` names the caller. Errors as
 * readTextFile's.
 */
export function readBytesFile(path: string, what: string): Uint8Array {
  checkPath(path, what);
  const fs = nodeFs(what);
  try {
    if (!fs.statSync(path).isFile()) throw new GluonError(`${what}: '${path}' is not a regular file`);
    const buffer = fs.readFileSync(path);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  } catch (error) {
    if (error instanceof GluonError) throw error;
    throw new GluonError(`${what}: cannot read '${path}': ${reason(error)}`);
  }
}

/** @internal Writes `text` (UTF-8) to the file `path`, replacing it. */
export function writeTextFile(path: string, text: string, what: string): void {
  checkPath(path, what);
  writeFile(path, Buffer.from(text, 'utf8'), what);
}

/** @internal Writes `bytes` to the file `path`, replacing it. */
export function writeBytesFile(path: string, bytes: Uint8Array, what: string): void {
  checkPath(path, what);
  writeFile(path, bytes, what);
}

function writeFile(path: string, bytes: Uint8Array, what: string): void {
  const fs = nodeFs(what);
  try {
    const fd = openForWriting(fs, path, what);
    try {
      writeFully(fs, fd, bytes);
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    if (error instanceof GluonError) throw error;
    throw new GluonError(`${what}: cannot write '${path}': ${reason(error)}`);
  }
}

/**
 * Opens `path` for writing (created or truncated), non-blocking so that a named pipe without a
 * reader fails at once instead of waiting forever; anything but a regular file is refused.
 */
function openForWriting(fs: typeof import('fs'), path: string, what: string): number {
  const { O_WRONLY, O_CREAT, O_TRUNC } = fs.constants;
  const fd = fs.openSync(path, O_WRONLY | O_CREAT | O_TRUNC | nonBlocking(fs));
  if (!fs.fstatSync(fd).isFile()) {
    fs.closeSync(fd);
    throw new GluonError(`${what}: cannot write '${path}': expected a regular file, but it is a special file`);
  }
  return fd;
}

/** O_NONBLOCK where the platform has it (not on Windows, which has no named pipes in the file system). */
function nonBlocking(fs: typeof import('fs')): number {
  return fs.constants.O_NONBLOCK ?? 0;
}
