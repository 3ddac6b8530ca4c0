/**
 * Reading the standard dataset files from a local folder (Node only): the file's bytes,
 * gunzipped when it is gzip (by its magic bytes, so `train-images-idx3-ubyte` and its `.gz` both
 * work), and the default root folder MXNet uses (`$MXNET_HOME/datasets/<name>`, MXNET_HOME
 * defaulting to ~/.mxnet).
 */
import { GluonError } from '../../../core/errors';
import { nodeFs, readBytesFile } from '../../../ndarray/io/fs';

/** The first of `names` that exists in `root` (MXNet's datasets ship gzipped; unpacked copies are accepted too). */
export function findFile(who: string, root: string, names: readonly string[], whereToGet: string): string {
  const fs = nodeFs(who);
  for (const name of names) {
    const path = joinPath(root, name);
    if (fs.existsSync(path)) return path;
  }
  throw new GluonError(`${who}: expected the file ${names[0]} in '${root}', but it is not there (nor ${names.slice(1).join(', ')}); tsgluon downloads nothing: ${whereToGet}`);
}

/** The bytes of `path`, gunzipped when they start with gzip's magic bytes. */
export function readDatasetFile(who: string, path: string): Uint8Array {
  const bytes = readBytesFile(path, who);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    const zlib = require('zlib') as typeof import('zlib');
    const out = zlib.gunzipSync(bytes);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    throw new GluonError(`${who}: cannot gunzip '${path}': ${(error as Error).message}`);
  }
}

/** `$MXNET_HOME` (~/.mxnet by default), where MXNet keeps datasets and models. */
export function mxnetHome(): string {
  const env = typeof process !== 'undefined' ? process.env?.MXNET_HOME : undefined;
  return env ?? joinPath((require('os') as typeof import('os')).homedir(), '.mxnet');
}

/** `$MXNET_HOME/datasets/<name>`, as MXNet's default roots. */
export function defaultRoot(name: string): string {
  return joinPath(joinPath(mxnetHome(), 'datasets'), name);
}

/** `root` with a leading `~` expanded (as Python's os.path.expanduser). */
export function expandHome(root: string): string {
  return root === '~' || root.startsWith('~/') ? (require('os') as typeof import('os')).homedir() + root.slice(1) : root;
}

export function joinPath(dir: string, name: string): string {
  return `${dir.replace(/\/+$/, '')}/${name}`;
}
