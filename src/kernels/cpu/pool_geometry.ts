/**
 * Hyperparameters, validation, output sizes and window bounds of max and average pooling (1, 2
 * or 3 spatial dims), shared by the forward kernels (pooling.ts, which states the MXNet
 * semantics) and their backward (pooling_backward.ts). Window bounds are normalized to three
 * spatial dims, missing leading dims being one window over one value.
 */
import { GluonError } from '../../core/errors';
import { checkInt, checkIntTuple, checkObject, checkSpatialRank, product } from './check_args';
import type { WindowParams } from './conv_geometry';

/**
 * Hyperparameters of a pooling window (the padding is never read as a value); layers fill in
 * Gluon's defaults (strides = poolSize, padding 0) before calling.
 */
export interface PoolParams extends WindowParams {
  readonly channels: number;
  readonly poolSize: readonly number[];
  /** MXNet's 'full' convention: round the output size up instead of down. */
  readonly ceilMode: boolean;
  /**
   * MXNet's 'same' convention (it pads nothing itself: padding is 0 there): ceil((in + 2p)/s)
   * windows, the last ones running past the input's end. Overrides ceilMode. Default false.
   */
  readonly same?: boolean;
}

/** Input of global pooling: the whole spatial extent is one window. */
export type GlobalPoolParams = Pick<PoolParams, 'batch' | 'channels' | 'inSize' | 'channelsLast'>;

/**
 * Per-dimension window bounds of one pooling call, normalized to three dims (missing leading
 * dims are one window over one value); shared by the forward and backward kernels.
 */
export interface PoolWindows {
  /** First and one-past-last input index each output index reads, per dimension. */
  readonly lo: Int32Array[];
  readonly hi: Int32Array[];
  /** Window length clipped at the padded edge (count_include_pad divisor factor), per dimension. */
  readonly padded: Int32Array[];
  readonly inDims: number[];
  readonly outDims: number[];
}

/**
 * Spatial output size of pooling: floor((in + 2p − k)/s) + 1 per dimension, or with `ceilMode`
 * (MXNet's 'full' convention) ceil((in + 2p − k)/s) + 1, or with `same` ceil((in + 2p)/s) (see
 * pooling.ts).
 *
 * @example poolOutputSize({ ..., inSize: [5], poolSize: [2], strides: [2], padding: [0], ceilMode: true }) // [3]
 */
export function poolOutputSize(params: PoolParams): number[] {
  return checkPoolParams('poolOutputSize', params);
}

/**
 * The window bounds of validated `params` with output size `outDims` (`poolOutputSize`):
 * window o covers [o·s − p, o·s − p + k) and reads [max(start, 0), min(end, n)), with padded
 * length min(end, n + p) − start.
 *
 * @example poolWindows({ ..., inSize: [3], poolSize: [2], strides: [1], padding: [1] }, [4]).lo[2] // [0, 0, 1, 2]
 */
export function poolWindows(params: PoolParams, outDims: readonly number[]): PoolWindows {
  const rank = params.inSize.length;
  const windows: PoolWindows = { lo: [], hi: [], padded: [], inDims: [], outDims: [] };
  for (let i = rank - 3; i < rank; i++) {
    // Leading dims beyond the rank are size-1 windows over size-1 inputs.
    const dim = i < 0 ? { n: 1, k: 1, s: 1, p: 0, o: 1 } :
      { n: params.inSize[i], k: params.poolSize[i], s: params.strides[i], p: params.padding[i], o: outDims[i] };
    const lo = new Int32Array(dim.o);
    const hi = new Int32Array(dim.o);
    const padded = new Int32Array(dim.o);
    for (let o = 0; o < dim.o; o++) {
      const start = o * dim.s - dim.p;
      const end = Math.min(start + dim.k, dim.n + dim.p);
      padded[o] = end - start;
      lo[o] = Math.max(start, 0);
      hi[o] = Math.max(lo[o], Math.min(end, dim.n));
    }
    windows.lo.push(lo);
    windows.hi.push(hi);
    windows.padded.push(padded);
    windows.inDims.push(dim.n);
    windows.outDims.push(dim.o);
  }
  return windows;
}

/**
 * The average divisor of window (o0, o1, o2): with count_include_pad its volume clipped at the
 * padded edge, otherwise the number of input values it covers (0 for a window in the padding).
 *
 * @example
 * // x = [1, 2, 3], window 2, stride 1, padding 1: window 0 covers [-1, 1)
 * windowDivisor(poolWindows(params, [4]), true, 0, 0, 0) // 2; with false: 1
 */
export function windowDivisor(windows: PoolWindows, countIncludePad: boolean, o0: number, o1: number, o2: number): number {
  const { lo, hi, padded } = windows;
  if (countIncludePad) return padded[0][o0] * padded[1][o1] * padded[2][o2];
  return (hi[0][o0] - lo[0][o0]) * (hi[1][o1] - lo[1][o1]) * (hi[2][o2] - lo[2][o2]);
}

/** The output size of validated `params` (see `poolOutputSize`). */
function outputSize(params: PoolParams): number[] {
  return params.inSize.map((n, i) => {
    if (params.same === true) return Math.ceil((n + 2 * params.padding[i]) / params.strides[i]);
    const span = n + 2 * params.padding[i] - params.poolSize[i];
    const steps = params.ceilMode ? Math.ceil(span / params.strides[i]) : Math.floor(span / params.strides[i]);
    return steps + 1;
  });
}

/**
 * Checks the arguments of global pooling, forward or backward; returns the spatial size.
 *
 * @example checkGlobalPool('globalPoolBackward', 'max', { batch: 1, channels: 2, inSize: [3, 3], channelsLast: false }) // 9
 */
export function checkGlobalPool(name: string, kind: 'max' | 'avg', params: GlobalPoolParams): number {
  if (kind !== 'max' && kind !== 'avg') {
    throw new GluonError(`${name}: expected kind 'max' or 'avg', but got ${String(kind)}`);
  }
  return checkPoolInput(name, params);
}

/** Checks what global and windowed pooling share: the parameter object, batch, channels and input size. */
function checkPoolInput(name: string, params: GlobalPoolParams): number {
  checkObject(name, 'a parameter object', params);
  checkInt(name, 'batch', params.batch, 0);
  checkInt(name, 'channels', params.channels, 0);
  checkIntTuple(name, 'inSize', params.inSize, checkSpatialRank(name, 'inSize', params.inSize), 0);
  return product(params.inSize);
}

/**
 * Checks every size and hyperparameter of windowed pooling, including MXNet's "kernel size
 * exceeds input", and returns the spatial output size.
 *
 * @example checkPoolParams('maxPoolForward', { ..., inSize: [5], poolSize: [2], strides: [2], padding: [0], ceilMode: true }) // [3]
 */
export function checkPoolParams(name: string, params: PoolParams): number[] {
  checkPoolInput(name, params);
  const rank = params.inSize.length;
  checkIntTuple(name, 'poolSize', params.poolSize, rank, 1);
  checkIntTuple(name, 'strides', params.strides, rank, 1);
  checkIntTuple(name, 'padding', params.padding, rank, 0);
  params.poolSize.forEach((k, i) => {
    const padded = params.inSize[i] + 2 * params.padding[i];
    if (k > padded) {
      throw new GluonError(
        `${name}: expected poolSize[${i}] <= the padded input size ${padded} (${params.inSize[i]} + 2*${params.padding[i]}), but got ${k}`,
      );
    }
  });
  return outputSize(params);
}
