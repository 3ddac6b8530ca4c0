/**
 * Row lookup in a (rows, width) matrix and its adjoint, the scatter-add of rows (MXNet's
 * `Embedding`, `src/operator/tensor/indexing_op.h`):
 *
 *     lookup:  out[k, :] = weight[ids[k], :]
 *     scatter: dw[r, :] = Σ_{k : ids[k] = r} dy[k, :]   (float64, rounded once)
 *
 * Indices are float32 values; callers check them with `firstBadIndex` first.
 */
import { GluonError } from '../../core/errors';
import { checkArrays, checkInt } from './check_args';

/**
 * The position of the first index that is not an integer in [0, rows), or −1 when all are.
 *
 * @example firstBadIndex(Float32Array.of(0, 2, 3), 3) // 2
 */
export function firstBadIndex(ids: Float32Array, rows: number): number {
  for (let k = 0; k < ids.length; k++) {
    const v = ids[k];
    if (!(Number.isInteger(v) && v >= 0 && v < rows)) return k;
  }
  return -1;
}

function checkIds(name: string, ids: Float32Array, rows: number, width: number): void {
  checkInt(name, 'rows', rows, 0);
  checkInt(name, 'width', width, 0);
  const bad = firstBadIndex(ids, rows);
  if (bad >= 0) throw new GluonError(`${name}: expected indices in [0, ${rows}), but got ${ids[bad]} at position ${bad}`);
}

/**
 * out[k, :] = weight[ids[k], :] for every index k; out is (ids.length, width).
 *
 * @throws GluonError for an index that is not an integer row, or buffers that are too short.
 * @example
 * // weight = [[0, 0], [1, 1], [2, 2]], ids = [2, 0] → out = [[2, 2], [0, 0]]
 * embeddingForward(ids, weight, 3, 2, out);
 */
export function embeddingForward(ids: Float32Array, weight: Float32Array, rows: number, width: number, out: Float32Array): void {
  checkIds('embeddingForward', ids, rows, width);
  checkArrays('embeddingForward', [['weight', weight, 0, rows * width]], ['out', out, 0, ids.length * width]);
  for (let k = 0; k < ids.length; k++) out.set(weight.subarray(ids[k] * width, ids[k] * width + width), k * width);
}

/**
 * The adjoint in the weight: dw[r, :] = Σ_{k : ids[k] = r} dy[k, :] (float64, rounded once); dw
 * is (rows, width) and overwritten, dy is (ids.length, width).
 *
 * @throws GluonError for an index that is not an integer row, or buffers that are too short.
 * @example
 * // ids = [1, 1], dy = [[1, 2], [3, 4]], rows 2 → dw = [[0, 0], [4, 6]]
 * embeddingBackward(ids, dy, 2, 2, dw);
 */
export function embeddingBackward(ids: Float32Array, dy: Float32Array, rows: number, width: number, dw: Float32Array): void {
  checkIds('embeddingBackward', ids, rows, width);
  checkArrays('embeddingBackward', [['dy', dy, 0, ids.length * width]], ['dw', dw, 0, rows * width]);
  const sums = new Float64Array(rows * width);
  for (let k = 0; k < ids.length; k++) {
    const row = ids[k] * width;
    for (let j = 0; j < width; j++) sums[row + j] += dy[k * width + j];
  }
  dw.set(sums);
}
