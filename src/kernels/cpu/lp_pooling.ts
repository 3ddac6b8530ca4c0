/**
 * Lp pooling (MXNet's pool_type 'lp' with p_value 1, 2 or 3), forward and backward, on the
 * windows of pool_geometry.ts (1, 2 or 3 spatial dims, channels-first or channels-last), with
 * MXNet 1.9's CPU semantics (`src/operator/nn/pool.h`, `pool_utils.h`):
 *
 *     out[n, c, o] = rootₚ(Σ_{i ∈ window o} x[n, c, i]^p)
 *     dx[n, c, i]  = Σ_{windows o ∋ i} dy[n, c, o] · (x[n, c, i] / out[n, c, o])^(p−1)
 *
 * No absolute value is taken (MXNet's a_pow_p): p = 3 keeps signs and root₃ is the real cube
 * root, p = 2 is the Euclidean norm of the window, p = 1 its sum. A backward term whose output
 * is 0 contributes 0 for p = 2 and 3 (MXNet's guard against 0/0). Padding is never read; a
 * window in the padding gives 0. Window sums are accumulated in float64; dx accumulates the
 * float64 terms in float32, as the average backward does.
 */
import { GluonError } from '../../core/errors';
import { checkArrays, product } from './check_args';
import { PoolParams, PoolWindows, checkPoolParams, poolWindows } from './pool_geometry';

/** The p values MXNet's CPU kernels instantiate. */
export type LpPower = 1 | 2 | 3;

/**
 * Lp pooling forward: out[n, c, o] = rootₚ(Σ x^p) over window o (see the module comment). x is
 * (batch, channels, *inSize), or (batch, *inSize, channels) when `channelsLast`; out is
 * (batch, channels, *poolOutputSize(params)) in the same layout.
 *
 * @throws GluonError for p not 1, 2 or 3, invalid sizes, or buffers that are too short.
 * @example
 * // x = [3, 4, 0], window 2, stride 1, p = 2 → out = [5, 4]
 * lpPoolForward({ batch: 1, channels: 1, inSize: [3], poolSize: [2], strides: [1], padding: [0],
 *   ceilMode: false, channelsLast: false }, 2, x, 0, out, 0);
 */
export function lpPoolForward(params: PoolParams, p: LpPower, x: Float32Array, xOffset: number, out: Float32Array, outOffset: number): void {
  const name = 'lpPoolForward';
  const run = planLp(name, params, p);
  checkArrays(name, [['x', x, xOffset, run.inCount]], ['out', out, outOffset, run.outCount]);
  forEachPlane(run, (inBase, outBase) => {
    forEachWindow(run.windows, (j, positions) => {
      let sum = 0;
      for (const at of positions(xOffset + inBase, run.stride)) sum += power(x[at], p);
      out[outOffset + outBase + j * run.stride] = root(sum, p);
    });
  });
}

/**
 * Lp pooling backward: dx[n, c, i] = Σ_{o ∋ i} dy[n, c, o] · (x[n, c, i] / y[n, c, o])^(p−1),
 * a term with y = 0 giving 0 for p > 1 (see the module comment). x and dx have the input's
 * shape, y (the forward's output) and dy the output's. dx is fully overwritten.
 *
 * @throws GluonError for p not 1, 2 or 3, invalid sizes, buffers that are too short, or dx
 *   sharing memory with x, y or dy.
 * @example
 * // x = [3, 4, 0], window 2, stride 1, p = 2: y = [5, 4], dy = [1, 1] → dx = [0.6, 0.8 + 1, 0]
 * lpPoolBackward(params, 2, x, 0, y, 0, dy, 0, dx, 0);
 */
export function lpPoolBackward(
  params: PoolParams, p: LpPower,
  x: Float32Array, xOffset: number,
  y: Float32Array, yOffset: number,
  dy: Float32Array, dyOffset: number,
  dx: Float32Array, dxOffset: number,
): void {
  const name = 'lpPoolBackward';
  const run = planLp(name, params, p);
  checkArrays(name, [['x', x, xOffset, run.inCount], ['y', y, yOffset, run.outCount], ['dy', dy, dyOffset, run.outCount]],
    ['dx', dx, dxOffset, run.inCount]);
  dx.fill(0, dxOffset, dxOffset + run.inCount);
  forEachPlane(run, (inBase, outBase) => {
    forEachWindow(run.windows, (j, positions) => {
      const g = dy[dyOffset + outBase + j * run.stride];
      const out = y[yOffset + outBase + j * run.stride];
      // MXNet's lp_grad: no contribution where the output is 0 (p > 1).
      if (p > 1 && out === 0) return;
      for (const at of positions(0, run.stride)) {
        dx[dxOffset + inBase + at] += p === 1 ? g : g * power(x[xOffset + inBase + at] / out, (p - 1) as LpPower);
      }
    });
  });
}

/** One checked Lp pooling call: its windows and the element counts and stride of its layout. */
interface LpRun {
  readonly params: PoolParams;
  readonly windows: PoolWindows;
  readonly inPlane: number;
  readonly outPlane: number;
  readonly inCount: number;
  readonly outCount: number;
  /** Elements between consecutive spatial positions: 1 channels-first, channels channels-last. */
  readonly stride: number;
}

function planLp(name: string, params: PoolParams, p: number): LpRun {
  if (p !== 1 && p !== 2 && p !== 3) throw new GluonError(`${name}: expected p to be 1, 2 or 3, but got ${String(p)}`);
  const outDims = checkPoolParams(name, params);
  const planes = params.batch * params.channels;
  const inPlane = product(params.inSize);
  const outPlane = product(outDims);
  return {
    params, windows: poolWindows(params, outDims), inPlane, outPlane, inCount: planes * inPlane, outCount: planes * outPlane,
    stride: params.channelsLast ? params.channels : 1,
  };
}

/** Calls `fn` with the first input and output element of every (n, c) plane, in either layout. */
function forEachPlane(run: LpRun, fn: (inBase: number, outBase: number) => void): void {
  const { batch, channels, channelsLast } = run.params;
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      if (channelsLast) fn(n * run.inPlane * channels + c, n * run.outPlane * channels + c);
      else fn((n * channels + c) * run.inPlane, (n * channels + c) * run.outPlane);
    }
  }
}

/** The element positions of one window's input values, from `base`, spatial positions `stride` apart. */
type WindowPositions = (base: number, stride: number) => Generator<number>;

/** Calls `fn` with every window's flat spatial output index and its input positions. */
function forEachWindow(windows: PoolWindows, fn: (j: number, positions: WindowPositions) => void): void {
  const { lo, hi, inDims, outDims } = windows;
  const [, H, W] = inDims;
  const [O0, O1, O2] = outDims;
  for (let o0 = 0, j = 0; o0 < O0; o0++) {
    for (let o1 = 0; o1 < O1; o1++) {
      for (let o2 = 0; o2 < O2; o2++, j++) {
        fn(j, function* positions(base: number, stride: number): Generator<number> {
          for (let d = lo[0][o0]; d < hi[0][o0]; d++) {
            for (let h = lo[1][o1]; h < hi[1][o1]; h++) {
              for (let w = lo[2][o2]; w < hi[2][o2]; w++) yield base + ((d * H + h) * W + w) * stride;
            }
          }
        });
      }
    }
  }
}

/** v^p for p = 1, 2, 3 (signed for odd p), as MXNet's a_pow_p. */
function power(v: number, p: LpPower): number {
  return p === 1 ? v : p === 2 ? v * v : v * v * v;
}

/** The p-th root (cube root of a negative sum is negative), as MXNet's a_root_p. */
function root(v: number, p: LpPower): number {
  return p === 1 ? v : p === 2 ? Math.sqrt(v) : Math.cbrt(v);
}
