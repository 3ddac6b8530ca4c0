/**
 * Backward of max, average and global pooling (1, 2 or 3 spatial dims, channels-first or
 * channels-last), the adjoints of pooling.ts with MXNet 1.9's CPU semantics:
 *
 * - Max: each output gradient goes to the input position the forward chose (the first maximum
 *   of its window, as `maxPoolForward` reports in `argmax`); a window with no input value
 *   passes nothing. Gradients of overlapping windows add up.
 * - Average: each output gradient is divided by the forward's divisor (the window clipped at the
 *   padded edge when `countIncludePad`, else the number of input values it covers) and added to
 *   every input value of the window.
 * - Global: max routes to the first maximum of the whole plane (NaNs skipped, as the forward);
 *   average spreads dy / size over the plane.
 *
 * dx is fully overwritten. Sums of overlapping contributions are accumulated in float32 in dx.
 */
import { GluonError } from '../../errors';
import { checkBuffer, checkIndexBuffer, checkInt, product } from './check_args';
import { FLOAT32_LOWEST, GlobalPoolParams, PoolParams, poolOutputSize } from './pooling';

/** The windows of one spatial dimension: read range [lo, hi) and padded length per output index. */
interface DimWindows {
  readonly lo: Int32Array;
  readonly hi: Int32Array;
  readonly padded: Int32Array;
}

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
  const outPlane = product(poolOutputSize(params));
  const { batch, channels, channelsLast } = params;
  const inPlane = product(params.inSize);
  const outCount = batch * channels * outPlane;
  checkBuffer(name, 'dy', dy, dyOffset, outCount);
  checkIndexBuffer(name, 'argmax', argmax, argmaxOffset, outCount);
  checkBuffer(name, 'dx', dx, dxOffset, batch * channels * inPlane);
  dx.fill(0, dxOffset, dxOffset + batch * channels * inPlane);
  for (let j = 0; j < outCount; j++) {
    const index = argmax[argmaxOffset + j];
    if (index === -1) continue;
    if (index < -1 || index >= inPlane) {
      throw new GluonError(`${name}: expected argmax values in [-1, ${inPlane}), but got ${index} at position ${j}`);
    }
    const n = Math.floor(j / (channels * outPlane));
    const c = channelsLast ? j % channels : Math.floor(j / outPlane) % channels;
    const at = channelsLast ? (n * inPlane + index) * channels + c : (n * channels + c) * inPlane + index;
    dx[dxOffset + at] += dy[dyOffset + j];
  }
}

/**
 * Average pooling backward: dx[n, c, i] = Σ_{windows o containing i} dy[n, c, o] / divisor(o),
 * with the forward's divisor (see the module comment). Shapes as `avgPoolForward`.
 *
 * @throws GluonError for invalid sizes or buffers that are too short.
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
  const name = 'avgPoolBackward';
  const outDims = poolOutputSize(params);
  const { batch, channels, channelsLast } = params;
  const inPlane = product(params.inSize);
  const outPlane = product(outDims);
  checkBuffer(name, 'dy', dy, dyOffset, batch * channels * outPlane);
  checkBuffer(name, 'dx', dx, dxOffset, batch * channels * inPlane);
  dx.fill(0, dxOffset, dxOffset + batch * channels * inPlane);
  // Normalized to three dims: missing leading dims are one window over one value.
  const single: DimWindows = { lo: Int32Array.of(0), hi: Int32Array.of(1), padded: Int32Array.of(1) };
  const windows = [single, single, single, ...params.inSize.map((n, i) =>
    dimWindows(n, params.poolSize[i], params.strides[i], params.padding[i], outDims[i]))].slice(-3);
  const inDims = [1, 1, 1, ...params.inSize].slice(-3);
  const outDims3 = [1, 1, 1, ...outDims].slice(-3);
  const run: AvgRun = { windows, inDims, outDims: outDims3, countIncludePad, dy, dx, spatialStride: channelsLast ? channels : 1 };
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
  readonly windows: DimWindows[];
  readonly inDims: number[];
  readonly outDims: number[];
  readonly countIncludePad: boolean;
  readonly dy: Float32Array;
  readonly dx: Float32Array;
  /** Elements between consecutive spatial positions: 1 channels-first, channels channels-last. */
  readonly spatialStride: number;
}

/** Spreads the output gradients of one (n, c) plane over their windows. */
function scatterPlane(run: AvgRun, inBase: number, outBase: number): void {
  const [w0, w1, w2] = run.windows;
  const [, H, W] = run.inDims;
  const [O0, O1, O2] = run.outDims;
  const stride = run.spatialStride;
  for (let o0 = 0, j = 0; o0 < O0; o0++) {
    for (let o1 = 0; o1 < O1; o1++) {
      for (let o2 = 0; o2 < O2; o2++, j++) {
        const divisor = run.countIncludePad
          ? w0.padded[o0] * w1.padded[o1] * w2.padded[o2]
          : (w0.hi[o0] - w0.lo[o0]) * (w1.hi[o1] - w1.lo[o1]) * (w2.hi[o2] - w2.lo[o2]);
        if (divisor === 0) continue;
        const g = run.dy[outBase + j * stride] / divisor;
        for (let d = w0.lo[o0]; d < w0.hi[o0]; d++) {
          for (let h = w1.lo[o1]; h < w1.hi[o1]; h++) {
            const row = inBase + (d * H + h) * W * stride;
            for (let w = w2.lo[o2]; w < w2.hi[o2]; w++) run.dx[row + w * stride] += g;
          }
        }
      }
    }
  }
}

/** Window o covers [o·s − p, o·s − p + k): reads [max(start, 0), min(end, n)), padded length min(end, n + p) − start. */
function dimWindows(n: number, k: number, s: number, p: number, outSize: number): DimWindows {
  const lo = new Int32Array(outSize);
  const hi = new Int32Array(outSize);
  const padded = new Int32Array(outSize);
  for (let o = 0; o < outSize; o++) {
    const start = o * s - p;
    const end = Math.min(start + k, n + p);
    padded[o] = end - start;
    lo[o] = Math.max(start, 0);
    hi[o] = Math.max(lo[o], Math.min(end, n));
  }
  return { lo, hi, padded };
}

/**
 * Global pooling backward. x is the forward input (max needs it to find each plane's first
 * maximum), dy is (batch, channels) in either layout (the spatial dims are 1), dx has x's shape.
 *
 * @throws GluonError for an unknown kind, invalid sizes or buffers that are too short.
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
  if (kind !== 'max' && kind !== 'avg') throw new GluonError(`${name}: expected kind 'max' or 'avg', but got ${String(kind)}`);
  const size = checkGlobalParams(name, params);
  const { batch, channels } = params;
  checkBuffer(name, 'x', x, xOffset, batch * channels * size);
  checkBuffer(name, 'dy', dy, dyOffset, batch * channels);
  checkBuffer(name, 'dx', dx, dxOffset, batch * channels * size);
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

/** The index of the first value greater than all before it and than −FLT_MAX (NaNs never are), or −1. */
function firstMaximum(x: Float32Array, at: number, count: number, stride: number): number {
  let best = FLOAT32_LOWEST;
  let chosen = -1;
  for (let i = 0; i < count; i++, at += stride) {
    if (x[at] > best) {
      best = x[at];
      chosen = i;
    }
  }
  return chosen;
}

/** Validates global pooling sizes; returns the spatial size. */
function checkGlobalParams(name: string, params: GlobalPoolParams): number {
  if (params === null || typeof params !== 'object') throw new GluonError(`${name}: expected a parameter object, but got ${String(params)}`);
  checkInt(name, 'batch', params.batch, 0);
  checkInt(name, 'channels', params.channels, 0);
  const inSize = params.inSize;
  if (!Array.isArray(inSize) || inSize.length < 1 || inSize.length > 3) {
    const got = Array.isArray(inSize) ? `${inSize.length} values` : String(inSize);
    throw new GluonError(`${name}: expected inSize to have 1, 2 or 3 values (one per spatial dimension), but got ${got}`);
  }
  inSize.forEach((v, i) => checkInt(name, `inSize[${i}]`, v, 0));
  return product(inSize);
}
