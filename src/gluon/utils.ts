/**
 * `gluon.utils` (MXNet 1.9): `splitData`, `splitAndLoad` and `clipGlobalNorm`.
 */
import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { nd } from '../ops/nd';

/** Options of splitData and splitAndLoad. */
export interface SplitOptions {
  /** The axis to split along. Default 0. */
  batchAxis?: number;
  /** Require the axis to divide evenly (default true); otherwise the last slice takes the rest. */
  evenSplit?: boolean;
}

/**
 * `data` cut into `numSlice` slices along `batchAxis` (MXNet's `split_data`): equal slices, or
 * with `evenSplit: false` slices of ⌊n/numSlice⌋ and a last one with the rest.
 *
 * @example gluon.utils.splitData(nd.zeros([6, 2]), 3).map((s) => s.shape); // [[2, 2], [2, 2], [2, 2]]
 */
export function splitData(data: NDArray, numSlice: number, options: SplitOptions = {}): NDArray[] {
  const who = 'gluon.utils.splitData';
  const { batchAxis = 0, evenSplit = true } = options;
  if (!(data instanceof NDArray)) throw new GluonError(`${who}: expected data to be an NDArray, but got ${describeValue(data)}`);
  if (!Number.isInteger(numSlice) || numSlice < 1) throw new GluonError(`${who}: expected numSlice to be an integer >= 1, but got ${describeValue(numSlice)}`);
  if (!Number.isInteger(batchAxis) || batchAxis < 0 || batchAxis >= data.ndim) {
    throw new GluonError(`${who}: expected batchAxis in [0, ${data.ndim}) for data of shape ${formatShape(data.shape)}, but got ${describeValue(batchAxis)}`);
  }
  const size = data.shape[batchAxis];
  if (evenSplit && size % numSlice !== 0) {
    throw new GluonError(`${who}: data with shape ${formatShape(data.shape)} cannot be evenly split into ${numSlice} slices along axis ${batchAxis}. Use a batch size that's multiple of ${numSlice} or set evenSplit false to allow uneven partitioning of data`);
  }
  if (size < numSlice) {
    throw new GluonError(`${who}: too many slices for data with shape ${formatShape(data.shape)}: numSlice ${numSlice} along batchAxis ${batchAxis}`);
  }
  if (numSlice === 1) return [data];
  const step = Math.floor(size / numSlice);
  return Array.from({ length: numSlice }, (_, i) => nd.sliceAxis(data, { axis: batchAxis, begin: i * step, end: i < numSlice - 1 ? (i + 1) * step : size }));
}

/**
 * MXNet's `split_and_load(data, ctx_list)`: `data` split into one slice per context. tsgluon runs
 * on one device, 'cpu', so `ctxList` is a list of 'cpu' entries (its length is the number of
 * slices), as code written for several devices passes it.
 *
 * @example const [x0] = gluon.utils.splitAndLoad(batch, ['cpu']);
 */
export function splitAndLoad(data: NDArray, ctxList: readonly 'cpu'[], options: SplitOptions = {}): NDArray[] {
  if (!Array.isArray(ctxList) || ctxList.length === 0 || ctxList.some((ctx) => ctx !== 'cpu')) {
    throw new GluonError(`gluon.utils.splitAndLoad: expected a non-empty list of contexts, each 'cpu' (the one device tsgluon runs on), but got ${describeValue(ctxList)}`);
  }
  return splitData(data, ctxList.length, options);
}

/**
 * Rescales `arrays` in place so that their joint 2-norm is at most `maxNorm` (MXNet's
 * `clip_global_norm`, used on gradients between backward and `trainer.step`):
 *
 *     total = √(Σ_arrays Σ a²);  if total > maxNorm: every a ← a · maxNorm / (total + 1e−8)
 *
 * and returns `total` (computed in float64). This is the one helper that writes into the arrays
 * it is given — gradients, as `param.grad()` returns them — because that is its purpose. A
 * non-finite total is returned as it is, with a warning, and nothing is scaled (MXNet scales by
 * NaN there).
 *
 * @example
 * const total = gluon.utils.clipGlobalNorm([...net.collectParams().values()].map((p) => p.grad()), 1);
 */
export function clipGlobalNorm(arrays: readonly NDArray[], maxNorm: number): number {
  const who = 'gluon.utils.clipGlobalNorm';
  if (!Array.isArray(arrays) || arrays.length === 0 || !arrays.every((a) => a instanceof NDArray)) {
    throw new GluonError(`${who}: expected a non-empty list of NDArrays, but got ${describeValue(arrays)}`);
  }
  if (typeof maxNorm !== 'number' || !(maxNorm > 0) || !Number.isFinite(maxNorm)) throw new GluonError(`${who}: expected maxNorm > 0, but got ${describeValue(maxNorm)}`);
  let sumSquares = 0;
  for (const a of arrays) for (const v of a.data) sumSquares += v * v;
  const total = Math.sqrt(sumSquares);
  if (!Number.isFinite(total)) {
    console.warn(`${who}: nan or inf is detected; the arrays are left as they are`);
    return total;
  }
  const scale = maxNorm / (total + 1e-8);
  if (scale < 1) for (const a of arrays) for (let i = 0; i < a.data.length; i++) a.data[i] *= scale;
  return total;
}
