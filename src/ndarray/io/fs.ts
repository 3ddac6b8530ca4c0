import { GluonError } from '../../errors';
import { NDArray } from '../ndarray';
import { NDArrays, decodeArrays, encodeArrays } from './params_file';

/**
 * Node's `fs`, required only when `nd.save`/`nd.load` run, so code that only uses
 * `nd.saveBytes`/`nd.loadBytes` (e.g. in a browser) never loads it. Bundlers that resolve
 * `require` calls statically should map 'fs' to an empty module for browser builds.
 */
function nodeFs(what: string): typeof import('fs') {
  if (typeof require !== 'function') {
    throw new GluonError(`${what}: expected Node.js (it needs the 'fs' module), but this environment has none; use nd.saveBytes/nd.loadBytes`);
  }
  return require('fs');
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
  const bytes = encodeArrays(arrays, 'nd.save');
  try {
    nodeFs('nd.save').writeFileSync(path, bytes);
  } catch (error) {
    if (error instanceof GluonError) throw error;
    throw new GluonError(`nd.save: cannot write '${path}': ${reason(error)}`);
  }
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
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new GluonError(`nd.load: expected an existing file, but '${path}' does not exist`);
    }
    throw new GluonError(`nd.load: cannot read '${path}': ${reason(error)}`);
  }
  return decodeArrays(bytes, path, 'nd.load');
}
