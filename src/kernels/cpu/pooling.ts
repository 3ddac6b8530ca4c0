/**
 * Max, average and sum pooling (1, 2 or 3 spatial dims, channels-first or channels-last) and
 * global pooling, with MXNet 1.9's CPU semantics (`src/operator/nn/pool.h`, `pooling.cc`):
 *
 * - Output size per dimension: floor((in + 2p − k)/s) + 1 ("valid"), or with `ceilMode`
 *   (Gluon `ceil_mode=True`, MXNet `pooling_convention='full'`) ceil((in + 2p − k)/s) + 1.
 *   Unlike PyTorch, MXNet does not drop a last window that starts inside the right padding.
 *   MXNet's 'same' convention (`same`): ceil((in + 2p)/s).
 * - Window o covers [o·s − p, o·s − p + k), clipped to the input for the values it reads.
 * - Max: the largest input value in the window, starting from −FLT_MAX (−3.4028235e38) and
 *   replacing it only when a value is strictly greater: ties keep the first position, NaNs are
 *   skipped, and a window that lies entirely in the padding gives −FLT_MAX.
 * - Average: the window sum divided by the window size clipped at the *padded* edge
 *   (min(start + k, in + p) − start per dimension) when `countIncludePad`, or by the number of
 *   input values it covers otherwise; a window with no input values gives 0.
 * - Sum: the window sum (average with divisor 1). Lp pooling: lp_pooling.ts.
 * - Global pooling reduces all spatial dims to 1 (kernel = input, no padding).
 *
 * Sums are accumulated in float64.
 */
import { checkArrays, checkDisjoint, checkIndexBuffer, product } from './check_args';
import { GlobalPoolParams, PoolParams, PoolWindows, checkGlobalPool, checkPoolParams, poolWindows, windowDivisor } from './pool_geometry';
import { maxPoolWasm } from './pool_wasm';
import { gemmSimd } from './simd/gemm_simd';

export type { GlobalPoolParams, PoolParams } from './pool_geometry';
export { poolOutputSize } from './pool_geometry';

/** The most negative finite float32: MXNet's starting value for a max window. */
export const FLOAT32_LOWEST = -3.4028234663852886e38;

/**
 * Max pooling forward: out[n, c, o] = max over the window of x[n, c, ·] (MXNet semantics: see
 * the module comment). x is (batch, channels, *inSize) — or (batch, *inSize, channels) when
 * `channelsLast` — and out (batch, channels, *poolOutputSize(params)) in the same layout.
 *
 * When `argmax` is given it receives, in out's layout, the flat spatial index (row-major over
 * inSize, within the (n, c) plane) of the chosen input value, or −1 for a window with none:
 * the max-pooling backward scatters the output gradient there.
 *
 * @throws GluonError naming the argument for invalid sizes, a window larger than the padded
 *   input, or buffers that are too short.
 * @example
 * // x = [1, 3, 2, 5, 4], window 2, stride 2, ceilMode → out = [3, 5, 4]
 * maxPoolForward({ batch: 1, channels: 1, inSize: [5], poolSize: [2], strides: [2], padding: [0],
 *   ceilMode: true, channelsLast: false }, x, 0, out, 0, null, 0);
 */
export function maxPoolForward(
  params: PoolParams,
  x: Float32Array, xOffset: number,
  out: Float32Array, outOffset: number,
  argmax: Int32Array | null, argmaxOffset: number,
): void {
  const windows = planPool('maxPoolForward', params, x, xOffset, out, outOffset);
  const outCount = params.batch * params.channels * product(windows.outDims);
  if (argmax !== null) {
    checkIndexBuffer('maxPoolForward', 'argmax', argmax, argmaxOffset, outCount);
    checkDisjoint('maxPoolForward', 'argmax', argmax, argmaxOffset, outCount, 'out', out, outOffset, outCount);
    checkDisjoint('maxPoolForward', 'argmax', argmax, argmaxOffset, outCount, 'x', x, xOffset, outCount / product(windows.outDims) * product(params.inSize));
  }
  const simd = gemmSimd();
  if (simd && maxPoolWasm(simd, params, windows, x, xOffset, out, outOffset, argmax, argmaxOffset)) return;
  const cfg: PoolRun = { params, windows, x, xOffset, out, outOffset, argmax, argmaxOffset, countIncludePad: false, sum: false };
  if (params.channelsLast) forEachWindowLast(cfg, maxWindowLast);
  else forEachWindowFirst(cfg, maxWindowFirst);
}

/**
 * Average pooling forward: out[n, c, o] = (sum of the window's input values) / divisor, with the
 * divisor counting the padding inside the padded edge when `countIncludePad` (Gluon's default
 * for AvgPool) and only the input values otherwise; a window with no input values gives 0.
 * Shapes and layouts as `maxPoolForward`.
 *
 * @throws GluonError naming the argument for invalid sizes, a window larger than the padded
 *   input, or buffers that are too short.
 * @example
 * // x = [1, 2, 3], window 2, stride 1, padding 1, countIncludePad → out = [0.5, 1.5, 2.5, 1.5]
 * avgPoolForward({ batch: 1, channels: 1, inSize: [3], poolSize: [2], strides: [1], padding: [1],
 *   ceilMode: false, channelsLast: false }, true, x, 0, out, 0);
 */
export function avgPoolForward(
  params: PoolParams,
  countIncludePad: boolean,
  x: Float32Array, xOffset: number,
  out: Float32Array, outOffset: number,
): void {
  const windows = planPool('avgPoolForward', params, x, xOffset, out, outOffset);
  const cfg: PoolRun = { params, windows, x, xOffset, out, outOffset, argmax: null, argmaxOffset: 0, countIncludePad, sum: false };
  if (params.channelsLast) forEachWindowLast(cfg, avgWindowLast);
  else forEachWindowFirst(cfg, avgWindowFirst);
}

/**
 * Sum pooling forward (MXNet's pool_type 'sum'): out[n, c, o] = the float64 sum of the window's
 * input values (0 for a window in the padding). Shapes and layouts as `maxPoolForward`.
 *
 * @example
 * // x = [1, 2, 3], window 2, stride 1, padding 1 → out = [1, 3, 5, 3]
 * sumPoolForward({ batch: 1, channels: 1, inSize: [3], poolSize: [2], strides: [1], padding: [1],
 *   ceilMode: false, channelsLast: false }, x, 0, out, 0);
 */
export function sumPoolForward(params: PoolParams, x: Float32Array, xOffset: number, out: Float32Array, outOffset: number): void {
  const windows = planPool('sumPoolForward', params, x, xOffset, out, outOffset);
  const cfg: PoolRun = { params, windows, x, xOffset, out, outOffset, argmax: null, argmaxOffset: 0, countIncludePad: false, sum: true };
  if (params.channelsLast) forEachWindowLast(cfg, avgWindowLast);
  else forEachWindowFirst(cfg, avgWindowFirst);
}

/**
 * Global max or average pooling: out (batch, channels, 1, …) = max or mean of each (n, c) over
 * all spatial positions (max starts from −FLT_MAX and skips NaNs; an empty input gives −FLT_MAX
 * or 0). x is (batch, channels, *inSize), or (batch, *inSize, channels) when `channelsLast`.
 *
 * @example
 * // x (1, 2, 2) channels-first = [[1, 2], [3, 5]] → max [2, 5], avg [1.5, 4]
 * globalPoolForward('avg', { batch: 1, channels: 2, inSize: [2], channelsLast: false }, x, 0, out, 0);
 */
export function globalPoolForward(
  kind: 'max' | 'avg',
  params: GlobalPoolParams,
  x: Float32Array, xOffset: number,
  out: Float32Array, outOffset: number,
): void {
  const name = 'globalPoolForward';
  const size = checkGlobalPool(name, kind, params);
  const { batch, channels } = params;
  checkArrays(name, [['x', x, xOffset, batch * channels * size]], ['out', out, outOffset, batch * channels]);
  // Element (n, c, i) sits at n·C·size + c·cStride + i·iStride.
  const cStride = params.channelsLast ? 1 : size;
  const iStride = params.channelsLast ? channels : 1;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const src = xOffset + n * channels * size + c * cStride;
      let value = 0;
      if (kind === 'avg') {
        for (let i = 0; i < size; i++) value += x[src + i * iStride];
        if (size > 0) value /= size;
      } else {
        const chosen = firstMaximum(x, src, size, iStride);
        value = chosen < 0 ? FLOAT32_LOWEST : x[src + chosen * iStride];
      }
      out[outOffset + n * channels + c] = value;
    }
  }
}

/**
 * The index of the first of `count` values (from `at`, `stride` apart) greater than all before
 * it and than −FLT_MAX (NaNs never are), or −1: the value global max pooling takes and the
 * position its backward routes the gradient to.
 *
 * @example firstMaximum(Float32Array.of(1, 5, NaN, 5), 0, 4, 1) // 1
 */
export function firstMaximum(x: Float32Array, at: number, count: number, stride: number): number {
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

/** Everything one pooling pass reads and writes. */
interface PoolRun {
  readonly params: PoolParams;
  readonly windows: PoolWindows;
  readonly x: Float32Array;
  readonly xOffset: number;
  readonly out: Float32Array;
  readonly outOffset: number;
  readonly argmax: Int32Array | null;
  readonly argmaxOffset: number;
  readonly countIncludePad: boolean;
  /** Sum pooling: the average kernels with divisor 1. */
  readonly sum: boolean;
}

/** Signature of a per-window reducer; `o` is (o0, o1, o2), `plane`/`dst` the input/output bases. */
type WindowFn = (run: PoolRun, o0: number, o1: number, o2: number, plane: number, dst: number) => void;

/** Channels-first: one (n, c) plane at a time, one output value per window. */
function forEachWindowFirst(run: PoolRun, fn: WindowFn): void {
  const { params, windows } = run;
  const inPlane = product(windows.inDims);
  const [O0, O1, O2] = windows.outDims;
  const planes = params.batch * params.channels;
  for (let nc = 0, dst = 0; nc < planes; nc++) {
    const plane = run.xOffset + nc * inPlane;
    for (let o0 = 0; o0 < O0; o0++) {
      for (let o1 = 0; o1 < O1; o1++) {
        for (let o2 = 0; o2 < O2; o2++, dst++) fn(run, o0, o1, o2, plane, dst);
      }
    }
  }
}

/** Channels-last: one output pixel at a time, all channels of a window at once. */
function forEachWindowLast(run: PoolRun, fn: WindowFn): void {
  const { params, windows } = run;
  const C = params.channels;
  const inImage = product(windows.inDims) * C;
  const [O0, O1, O2] = windows.outDims;
  for (let n = 0, dst = 0; n < params.batch; n++) {
    const image = run.xOffset + n * inImage;
    for (let o0 = 0; o0 < O0; o0++) {
      for (let o1 = 0; o1 < O1; o1++) {
        for (let o2 = 0; o2 < O2; o2++, dst += C) fn(run, o0, o1, o2, image, dst);
      }
    }
  }
}

function maxWindowFirst(run: PoolRun, o0: number, o1: number, o2: number, plane: number, dst: number): void {
  const { lo, hi, inDims } = run.windows;
  const [, H, W] = inDims;
  const x = run.x;
  let best = FLOAT32_LOWEST;
  let index = -1;
  for (let d = lo[0][o0]; d < hi[0][o0]; d++) {
    for (let h = lo[1][o1]; h < hi[1][o1]; h++) {
      const rowIndex = (d * H + h) * W;
      for (let w = lo[2][o2]; w < hi[2][o2]; w++) {
        const v = x[plane + rowIndex + w];
        if (v > best) {
          best = v;
          index = rowIndex + w;
        }
      }
    }
  }
  run.out[run.outOffset + dst] = best;
  if (run.argmax !== null) run.argmax[run.argmaxOffset + dst] = index;
}

function avgWindowFirst(run: PoolRun, o0: number, o1: number, o2: number, plane: number, dst: number): void {
  const { lo, hi, inDims } = run.windows;
  const [, H, W] = inDims;
  const x = run.x;
  let sum = 0;
  for (let d = lo[0][o0]; d < hi[0][o0]; d++) {
    for (let h = lo[1][o1]; h < hi[1][o1]; h++) {
      const row = plane + (d * H + h) * W;
      for (let w = lo[2][o2]; w < hi[2][o2]; w++) sum += x[row + w];
    }
  }
  const divisor = run.sum ? 1 : windowDivisor(run.windows, run.countIncludePad, o0, o1, o2);
  run.out[run.outOffset + dst] = divisor === 0 ? 0 : sum / divisor;
}

function maxWindowLast(run: PoolRun, o0: number, o1: number, o2: number, image: number, dst: number): void {
  const { lo, hi, inDims } = run.windows;
  const [, H, W] = inDims;
  const { x, out, argmax } = run;
  const C = run.params.channels;
  const outBase = run.outOffset + dst;
  const argBase = run.argmaxOffset + dst;
  out.fill(FLOAT32_LOWEST, outBase, outBase + C);
  if (argmax !== null) argmax.fill(-1, argBase, argBase + C);
  for (let d = lo[0][o0]; d < hi[0][o0]; d++) {
    for (let h = lo[1][o1]; h < hi[1][o1]; h++) {
      for (let w = lo[2][o2]; w < hi[2][o2]; w++) {
        const index = (d * H + h) * W + w;
        const src = image + index * C;
        for (let c = 0; c < C; c++) {
          const v = x[src + c];
          if (v > out[outBase + c]) {
            out[outBase + c] = v;
            if (argmax !== null) argmax[argBase + c] = index;
          }
        }
      }
    }
  }
}

/** Per-channel float64 sums for channels-last average pooling, grown as needed. */
let channelSums = new Float64Array(0);

function avgWindowLast(run: PoolRun, o0: number, o1: number, o2: number, image: number, dst: number): void {
  const { lo, hi, inDims } = run.windows;
  const [, H, W] = inDims;
  const C = run.params.channels;
  if (channelSums.length < C) channelSums = new Float64Array(C);
  const sums = channelSums;
  sums.fill(0, 0, C);
  for (let d = lo[0][o0]; d < hi[0][o0]; d++) {
    for (let h = lo[1][o1]; h < hi[1][o1]; h++) {
      for (let w = lo[2][o2]; w < hi[2][o2]; w++) {
        const src = image + ((d * H + h) * W + w) * C;
        for (let c = 0; c < C; c++) sums[c] += run.x[src + c];
      }
    }
  }
  const divisor = run.sum ? 1 : windowDivisor(run.windows, run.countIncludePad, o0, o1, o2);
  const outBase = run.outOffset + dst;
  for (let c = 0; c < C; c++) run.out[outBase + c] = divisor === 0 ? 0 : sums[c] / divisor;
}

/** Validates a pooling call and its buffers, then precomputes its per-dimension windows. */
function planPool(
  name: string, params: PoolParams, x: Float32Array, xOffset: number, out: Float32Array, outOffset: number,
): PoolWindows {
  const outDims = checkPoolParams(name, params);
  const planes = params.batch * params.channels;
  // Buffers are checked before the window tables are allocated.
  checkArrays(name, [['x', x, xOffset, planes * product(params.inSize)]], ['out', out, outOffset, planes * product(outDims)]);
  return poolWindows(params, outDims);
}
