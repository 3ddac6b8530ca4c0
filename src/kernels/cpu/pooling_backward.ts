/**
 * Backward of max, average, sum and global pooling (1, 2 or 3 spatial dims, channels-first or
 * channels-last), the adjoints of pooling.ts with MXNet 1.9's CPU semantics, and the adjoint of
 * the max backward (`maxPoolGather`), through which a max-pooling gradient is differentiated:
 *
 * - Max: each output gradient goes to the input position the forward chose (the first maximum
 *   of its window, as `maxPoolForward` reports in `argmax`); a window with no input value
 *   passes nothing. Gradients of overlapping windows add up.
 * - Average: each output gradient is divided by the forward's divisor (the window clipped at the
 *   padded edge when `countIncludePad`, else the number of input values it covers) and added to
 *   every input value of the window.
 * - Sum: each output gradient is added to every input value of its window.
 * - Global: max routes to the first maximum of the whole plane (NaNs skipped, as the forward);
 *   average spreads dy / size over the plane.
 *
 * dx is fully overwritten. Sums of overlapping contributions are accumulated in float32 in dx.
 */
import { GluonError } from '../../core/errors';
import { checkArrays, checkBuffer, checkIndexBuffer, product } from './check_args';
import {
  GlobalPoolParams, PoolParams, PoolWindows, checkGlobalPool, poolOutputSize, poolWindows, windowDivisor,
} from './pool_geometry';
import { firstMaximum } from './pooling';

/**
 * Max pooling backward: dx[n, c, argmax[n, c, o]] += dy[n, c, o] for every output o with
 * argmax ≥ 0. Shapes as `maxPoolForward`: dy and argmax in the output's layout, dx in x's.
 *
 * @throws GluonError for invalid sizes, buffers that are too short, or an argmax value outside
 *   [-1, spatial size of the input).
 * @example
 * // x = [1, 3, 2, 5, 4], window 2, stride 2, ceilMode: argmax = [1, 3, 4]; dy = [1, 2, 3] → dx = [0, 1, 0, 2, 3]
 * maxPoolBackward(params, dy, 0, argmax, 0, dx, 0);
 */
export function maxPoolBackward(
  params: PoolParams,
  dy: Float32Array, dyOffset: number,
  argmax: Int32Array, argmaxOffset: number,
  dx: Float32Array, dxOffset: number,
): void {
  const name = 'maxPoolBackward';
  const { inPlane, outPlane, inCount, outCount } = planeSizes(params);
  checkBuffer(name, 'dy', dy, dyOffset, outCount);
  checkIndexBuffer(name, 'argmax', argmax, argmaxOffset, outCount);
  checkBuffer(name, 'dx', dx, dxOffset, inCount);
  dx.fill(0, dxOffset, dxOffset + inCount);
  for (let j = 0; j < outCount; j++) {
    const at = inputPosition(name, params, inPlane, outPlane, j, argmax[argmaxOffset + j]);
    if (at >= 0) dx[dxOffset + at] += dy[dyOffset + j];
  }
}

/**
 * Average pooling backward: dx[n, c, i] = Σ_{windows o containing i} dy[n, c, o] / divisor(o),
 * with the forward's divisor (see the module comment). Shapes as `avgPoolForward`.
 *
 * @throws GluonError for invalid sizes, buffers that are too short, or dx sharing memory with dy.
 * @example
 * // x of size 3, window 2, stride 1, padding 1, countIncludePad: dy = [1, 1, 1, 1] → dx = [1, 1, 1]
 * avgPoolBackward(params, true, dy, 0, dx, 0);
 */
export function avgPoolBackward(
  params: PoolParams,
  countIncludePad: boolean,
  dy: Float32Array, dyOffset: number,
  dx: Float32Array, dxOffset: number,
): void {
  spreadBackward('avgPoolBackward', params, countIncludePad, false, dy, dyOffset, dx, dxOffset);
}

/**
 * Sum pooling backward: dx[n, c, i] = Σ_{windows o containing i} dy[n, c, o] (the average's
 * backward with divisor 1). Shapes as `sumPoolForward`.
 *
 * @example
 * // x of size 3, window 2, stride 1, padding 1: dy = [1, 1, 1, 1] → dx = [2, 2, 2]
 * sumPoolBackward(params, dy, 0, dx, 0);
 */
export function sumPoolBackward(params: PoolParams, dy: Float32Array, dyOffset: number, dx: Float32Array, dxOffset: number): void {
  spreadBackward('sumPoolBackward', params, false, true, dy, dyOffset, dx, dxOffset);
}

/**
 * The adjoint of `maxPoolBackward` in dy (so the derivative of a max-pooling gradient): out[n, c,
 * o] = g[n, c, argmax[n, c, o]], or 0 for a window with no input value. g has x's shape and
 * layout, out and argmax the output's.
 *
 * @throws GluonError for invalid sizes, buffers that are too short, or an argmax value outside
 *   [-1, spatial size of the input).
 * @example
 * // argmax = [1, 3, 4] (see maxPoolBackward), g = [10, 11, 12, 13, 14] → out = [11, 13, 14]
 * maxPoolGather(params, g, 0, argmax, 0, out, 0);
 */
export function maxPoolGather(
  params: PoolParams,
  g: Float32Array, gOffset: number,
  argmax: Int32Array, argmaxOffset: number,
  out: Float32Array, outOffset: number,
): void {
  const name = 'maxPoolGather';
  const { inPlane, outPlane, inCount, outCount } = planeSizes(params);
  checkArrays(name, [['g', g, gOffset, inCount]], ['out', out, outOffset, outCount]);
  checkIndexBuffer(name, 'argmax', argmax, argmaxOffset, outCount);
  for (let j = 0; j < outCount; j++) {
    const at = inputPosition(name, params, inPlane, outPlane, j, argmax[argmaxOffset + j]);
    out[outOffset + j] = at < 0 ? 0 : g[gOffset + at];
  }
}

/** The spatial sizes of one input and one output plane, and the element counts of x and of the output. */
function planeSizes(params: PoolParams): { inPlane: number; outPlane: number; inCount: number; outCount: number } {
  const inPlane = product(params.inSize);
  const outPlane = product(poolOutputSize(params));
  const planes = params.batch * params.channels;
  return { inPlane, outPlane, inCount: planes * inPlane, outCount: planes * outPlane };
}

/**
 * The flat position in x of output j's chosen spatial index `index` (−1 for none), checked.
 * (Output j of the n-th image and c-th channel, in either layout.)
 */
function inputPosition(name: string, params: PoolParams, inPlane: number, outPlane: number, j: number, index: number): number {
  if (index === -1) return -1;
  if (index < -1 || index >= inPlane) {
    throw new GluonError(`${name}: expected argmax values in [-1, ${inPlane}), but got ${index} at position ${j}`);
  }
  const { channels, channelsLast } = params;
  const n = Math.floor(j / (channels * outPlane));
  const c = channelsLast ? j % channels : Math.floor(j / outPlane) % channels;
  return channelsLast ? (n * inPlane + index) * channels + c : (n * channels + c) * inPlane + index;
}

/** Average (or, with `sum`, sum) pooling backward: each output gradient spread over its window. */
function spreadBackward(
  name: string, params: PoolParams, countIncludePad: boolean, sum: boolean,
  dy: Float32Array, dyOffset: number, dx: Float32Array, dxOffset: number,
): void {
  const outDims = poolOutputSize(params);
  const { batch, channels, channelsLast } = params;
  const inPlane = product(params.inSize);
  const outPlane = product(outDims);
  checkArrays(name, [['dy', dy, dyOffset, batch * channels * outPlane]], ['dx', dx, dxOffset, batch * channels * inPlane]);
  dx.fill(0, dxOffset, dxOffset + batch * channels * inPlane);
  const windows = poolWindows(params, outDims);
  const run: AvgRun = { windows, countIncludePad, sum, dy, dx, spatialStride: channelsLast ? channels : 1 };
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const inBase = dxOffset + (channelsLast ? n * inPlane * channels + c : (n * channels + c) * inPlane);
      const outBase = dyOffset + (channelsLast ? n * outPlane * channels + c : (n * channels + c) * outPlane);
      scatterPlane(run, inBase, outBase);
    }
  }
}

/** What `scatterPlane` reads and writes for one average-pooling backward. */
interface AvgRun {
  readonly windows: PoolWindows;
  readonly countIncludePad: boolean;
  /** Divisor 1 (sum pooling). */
  readonly sum: boolean;
  readonly dy: Float32Array;
  readonly dx: Float32Array;
  /** Elements between consecutive spatial positions: 1 channels-first, channels channels-last. */
  readonly spatialStride: number;
}

/** Spreads the output gradients of one (n, c) plane over their windows. */
function scatterPlane(run: AvgRun, inBase: number, outBase: number): void {
  const { windows, countIncludePad, sum, dy, dx } = run;
  const [lo0, lo1, lo2] = windows.lo;
  const [hi0, hi1, hi2] = windows.hi;
  const [, H, W] = windows.inDims;
  const [O0, O1, O2] = windows.outDims;
  const stride = run.spatialStride;
  for (let o0 = 0, j = 0; o0 < O0; o0++) {
    for (let o1 = 0; o1 < O1; o1++) {
      for (let o2 = 0; o2 < O2; o2++, j++) {
        const divisor = sum ? 1 : windowDivisor(windows, countIncludePad, o0, o1, o2);
        if (divisor === 0) continue;
        const g = dy[outBase + j * stride] / divisor;
        for (let d = lo0[o0]; d < hi0[o0]; d++) {
          for (let h = lo1[o1]; h < hi1[o1]; h++) {
            const row = inBase + (d * H + h) * W * stride;
            for (let w = lo2[o2]; w < hi2[o2]; w++) dx[row + w * stride] += g;
          }
        }
      }
    }
  }
}

/**
 * Global pooling backward. x is the forward input (max needs it to find each plane's first
 * maximum), dy is (batch, channels) in either layout (the spatial dims are 1), dx has x's shape.
 *
 * @throws GluonError for an unknown kind, invalid sizes, buffers that are too short, or dx sharing
 *   memory with x or dy.
 * @example
 * // x (1, 2, 2) channels-first = [[1, 2], [3, 5]], dy = [10, 20]: max → dx = [[0, 10], [0, 20]]; avg → [[5, 5], [10, 10]]
 * globalPoolBackward('max', { batch: 1, channels: 2, inSize: [2], channelsLast: false }, x, 0, dy, 0, dx, 0);
 */
export function globalPoolBackward(
  kind: 'max' | 'avg',
  params: GlobalPoolParams,
  x: Float32Array, xOffset: number,
  dy: Float32Array, dyOffset: number,
  dx: Float32Array, dxOffset: number,
): void {
  const name = 'globalPoolBackward';
  const size = checkGlobalPool(name, kind, params);
  const { batch, channels } = params;
  checkArrays(name, [['x', x, xOffset, batch * channels * size], ['dy', dy, dyOffset, batch * channels]],
    ['dx', dx, dxOffset, batch * channels * size]);
  dx.fill(0, dxOffset, dxOffset + batch * channels * size);
  // Element (n, c, i) sits at n·C·size + c·cStride + i·iStride.
  const cStride = params.channelsLast ? 1 : size;
  const iStride = params.channelsLast ? channels : 1;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const base = n * channels * size + c * cStride;
      const g = dy[dyOffset + n * channels + c];
      if (kind === 'avg') {
        for (let i = 0, at = dxOffset + base; i < size; i++, at += iStride) dx[at] = g / size;
      } else {
        const chosen = firstMaximum(x, xOffset + base, size, iStride);
        if (chosen >= 0) dx[dxOffset + base + chosen * iStride] = g;
      }
    }
  }
}
