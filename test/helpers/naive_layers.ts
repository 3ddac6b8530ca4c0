/**
 * Float64 references for the Dense, convolution and pooling operators and their gradients,
 * written from the defining sums with N-D index loops (no im2col, no GEMM, no window tables):
 * every forward term out[o] += a·b is visited once and its adjoint terms da += b·dy[o],
 * db += a·dy[o] are accumulated beside it. Each result also carries Σ|term| per element, the
 * scale of a float32 rounding tolerance. Inputs are any ArrayLike<number>, so the forwards also
 * serve as the float64 `reference64` of finite-difference gradient checks.
 */
import { NDArray, autograd, nd } from '../../src';
import { NaiveConv, NaivePool, activationIndex, forEachIndex, naivePoolOutSize, weightIndex } from './naive_dense';

const { abs, floor, min } = Math;

/** Values and their Σ|term| bounds. */
export class Accumulator {
  readonly value: Float64Array;
  readonly bound: Float64Array;
  constructor(size: number) {
    this.value = new Float64Array(size);
    this.bound = new Float64Array(size);
  }
  add(i: number, term: number): void {
    this.value[i] += term;
    this.bound[i] += abs(term);
  }
}

/** Convolution geometry, one entry per spatial dim; `transposed` adds outputPadding. */
export interface ConvSpec extends NaiveConv {
  outputPadding?: number[];
}

export interface Grads {
  out: Accumulator;
  dx: Accumulator;
  dw: Accumulator;
  db: Accumulator;
}

const volume = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

export function convOutSize(p: ConvSpec): number[] {
  return p.inSize.map((n, i) => {
    const extent = p.dilation[i] * (p.kernel[i] - 1);
    return p.outputPadding === undefined
      ? floor((n + 2 * p.padding[i] - extent - 1) / p.strides[i]) + 1
      : (n - 1) * p.strides[i] - 2 * p.padding[i] + extent + p.outputPadding[i] + 1;
  });
}

/**
 * Forward and gradients of a convolution (or, with `outputPadding`, a transposed convolution)
 * for output gradient `dy` (zeros when absent). For a convolution the "small" side is the
 * output: out[n, o, y] += w[o, ci, t]·x[n, c, y·s − p + t·d]; for a transposed convolution the
 * roles flip: out[n, o, y·s − p + t·d] += w[c, oi, t]·x[n, c, y].
 */
export function convReference(
  p: ConvSpec, x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, dy?: ArrayLike<number>,
): Grads {
  const transposed = p.outputPadding !== undefined;
  const outSize = convOutSize(p);
  const cinG = p.inChannels / p.groups;
  const coutG = p.outChannels / p.groups;
  const r: Grads = {
    out: new Accumulator(p.batch * p.outChannels * volume(outSize)),
    dx: new Accumulator(x.length), dw: new Accumulator(w.length), db: new Accumulator(p.outChannels),
  };
  const g = (i: number): number => (dy === undefined ? 0 : dy[i]);
  forEachIndex([p.batch, p.groups, cinG, coutG], ([n, grp, ci, oi]) => {
    const c = grp * cinG + ci;
    const o = grp * coutG + oi;
    const wIndex = (t: number[]): number => (transposed ? weightIndex(c, oi, t, coutG, p.kernel, p.channelsLast) : weightIndex(o, ci, t, cinG, p.kernel, p.channelsLast));
    // Positions on the patch grid: the output of a convolution, the input of a transposed one.
    forEachIndex(transposed ? p.inSize : outSize, (y) => forEachIndex(p.kernel, (t) => {
      const pos = y.map((yi, i) => yi * p.strides[i] - p.padding[i] + t[i] * p.dilation[i]);
      const image = transposed ? outSize : p.inSize;
      if (pos.some((v, i) => v < 0 || v >= image[i])) return;
      const xi = activationIndex(n, c, transposed ? y : pos, p.inChannels, p.inSize, p.channelsLast);
      const oIdx = activationIndex(n, o, transposed ? pos : y, p.outChannels, outSize, p.channelsLast);
      const wi = wIndex(t);
      r.out.add(oIdx, x[xi] * w[wi]);
      r.dx.add(xi, w[wi] * g(oIdx));
      r.dw.add(wi, x[xi] * g(oIdx));
    }));
  });
  forEachIndex([p.batch, p.outChannels], ([n, o]) => forEachIndex(outSize, (y) => {
    const at = activationIndex(n, o, y, p.outChannels, outSize, p.channelsLast);
    if (b !== null) r.out.add(at, b[o]);
    r.db.add(o, g(at));
  }));
  return r;
}

/** Pooling geometry, one entry per spatial dim (the forward reference's own). */
export type PoolSpec = NaivePool;
export const poolOutSize = naivePoolOutSize;

/**
 * Forward and input gradient of max, average, sum or Lp pooling by MXNet's rules (max: first
 * strictly greater value from −FLT_MAX, gradient to that position; avg: divisor = window clipped
 * to the padded input when includePad, else the input values covered; lp: (Σ x^p)^(1/p), p = power).
 */
export function poolReference(
  p: PoolSpec, kind: 'max' | 'avg' | 'sum' | 'lp', includePad: boolean, x: ArrayLike<number>, dy?: ArrayLike<number>, power = 2,
): { out: Accumulator; dx: Accumulator } {
  const outSize = poolOutSize(p);
  const out = new Accumulator(p.batch * p.channels * volume(outSize));
  const dx = new Accumulator(x.length);
  forEachIndex([p.batch, p.channels], ([n, c]) => forEachIndex(outSize, (y) => {
    const start = y.map((yi, i) => yi * p.strides[i] - p.padding[i]);
    const inside: number[] = [];
    forEachIndex(p.poolSize, (t) => {
      const pos = start.map((s, i) => s + t[i]);
      if (pos.every((v, i) => v >= 0 && v < p.inSize[i])) inside.push(activationIndex(n, c, pos, p.channels, p.inSize, p.channelsLast));
    });
    const at = activationIndex(n, c, y, p.channels, outSize, p.channelsLast);
    const g = dy === undefined ? 0 : dy[at];
    if (kind === 'max') {
      let best = -3.4028234663852886e38;
      let chosen = -1;
      for (const i of inside) if (x[i] > best) [best, chosen] = [x[i], i];
      out.add(at, best);
      if (chosen >= 0) dx.add(chosen, g);
      return;
    }
    if (kind === 'sum' || kind === 'lp') {
      // Lp: out = (Σ x^p)^(1/p), dx_i = g·x_i^(p−1)/out^(p−1) (0 where out = 0, as MXNet); sum is p = 1.
      const q = kind === 'sum' ? 1 : power;
      const total = Math.pow(inside.reduce((acc, i) => acc + Math.pow(x[i], q), 0), 1 / q);
      out.add(at, total);
      for (const i of inside) dx.add(i, total === 0 ? 0 : (g * Math.pow(x[i], q - 1)) / Math.pow(total, q - 1));
      return;
    }
    const padded = start.reduce((acc, s, i) => acc * (min(s + p.poolSize[i], p.inSize[i] + p.padding[i]) - s), 1);
    const divisor = includePad ? padded : inside.length;
    if (inside.length === 0 || divisor === 0) return;
    for (const i of inside) {
      out.add(at, x[i] / divisor);
      dx.add(i, g / divisor);
    }
  }));
  return { out, dx };
}

/**
 * FullyConnected: out[r, u] = b[u] + Σ_k x[r, k]·w[u, k] with x viewed as (rows, k): rows =
 * shape[0] when `flatten`, else the product of all but the last axis.
 */
export function denseReference(
  xShape: readonly number[], units: number, flatten: boolean,
  x: ArrayLike<number>, w: ArrayLike<number>, b: ArrayLike<number> | null, dy?: ArrayLike<number>,
): Grads {
  const k = flatten ? volume(xShape.slice(1)) : xShape[xShape.length - 1];
  const rows = x.length / k;
  const r: Grads = { out: new Accumulator(rows * units), dx: new Accumulator(x.length), dw: new Accumulator(w.length), db: new Accumulator(units) };
  forEachIndex([rows, units], ([row, u]) => {
    const at = row * units + u;
    const g = dy === undefined ? 0 : dy[at];
    if (b !== null) r.out.add(at, b[u]);
    r.db.add(u, g);
    for (let j = 0; j < k; j++) {
      r.out.add(at, x[row * k + j] * w[u * k + j]);
      r.dx.add(row * k + j, w[u * k + j] * g);
      r.dw.add(u * k + j, x[row * k + j] * g);
    }
  });
  return r;
}

/** Largest |got − ref| / (rtol·Σ|term| + atol); ≤ 1 means within tolerance. */
export function worstRelative(got: ArrayLike<number>, ref: Accumulator, rtol = 1e-5, atol = 1e-6): number {
  if (got.length !== ref.value.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const err = abs(got[i] - ref.value[i]) / (rtol * ref.bound[i] + atol);
    if (!(err <= worst)) worst = Number.isNaN(err) ? Infinity : err;
  }
  return worst;
}

/**
 * Runs `op` on copies of `inputs` inside autograd.record and back-propagates `dy`; returns the
 * output and each input's gradient.
 */
export function runWithGrads(op: (...inputs: NDArray[]) => NDArray, inputs: NDArray[], dy: Float32Array): { y: NDArray; grads: Float32Array[] } {
  const vars = inputs.map((x) => nd.array(x));
  vars.forEach((v) => v.attachGrad());
  const y = autograd.record(() => op(...vars));
  y.backward(nd.array(dy, { shape: y.shape }));
  return { y, grads: vars.map((v) => v.grad?.toFloat32Array() ?? new Float32Array(0)) };
}
