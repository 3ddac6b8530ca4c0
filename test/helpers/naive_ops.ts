/**
 * Naive float64 references for the NDArray ops, written to be obviously correct rather than
 * fast: every element is addressed through an explicit multi-index (unravel/ravel with div and
 * mod), never through the strided runs the library uses.
 */
import { NDArray } from '../../src/ndarray/ndarray';

/** A reference tensor: float64 values in row-major order and a shape. */
export interface Ref {
  shape: number[];
  data: number[];
}

export function refOf(x: NDArray): Ref {
  return { shape: x.shape.slice(), data: Array.from(x.data) };
}

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** The multi-index of flat position `flat` in a row-major array of `shape`. */
export function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

/** The flat position of a multi-index in a row-major array of `shape`. */
export function ravel(index: readonly number[], shape: readonly number[]): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + index[d];
  return flat;
}

/** A deterministic generator (mulberry32) so test data is the same on every run. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An NDArray of `shape` with values uniform in [low, high), exactly representable in float32. */
export function randomArray(rng: () => number, shape: number[], low = -3, high = 3): NDArray {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng();
  return new NDArray(data, shape);
}

/** numpy broadcasting, by padding both shapes to the same rank with leading 1s. */
export function naiveBinary(f: (x: number, y: number) => number, a: Ref, b: Ref): Ref {
  const ndim = Math.max(a.shape.length, b.shape.length);
  const pa = [...new Array<number>(ndim - a.shape.length).fill(1), ...a.shape];
  const pb = [...new Array<number>(ndim - b.shape.length).fill(1), ...b.shape];
  const shape = pa.map((da, d) => {
    if (da !== pb[d] && da !== 1 && pb[d] !== 1) throw new Error('reference: shapes do not broadcast');
    return da === 1 ? pb[d] : da;
  });
  const data: number[] = [];
  for (let flat = 0; flat < sizeOf(shape); flat++) {
    const index = unravel(flat, shape);
    const ia = index.map((i, d) => (pa[d] === 1 ? 0 : i));
    const ib = index.map((i, d) => (pb[d] === 1 ? 0 : i));
    data.push(f(a.data[ravel(ia, pa)], b.data[ravel(ib, pb)]));
  }
  return { shape, data };
}

export function naiveUnary(f: (x: number) => number, a: Ref): Ref {
  return { shape: a.shape.slice(), data: a.data.map(f) };
}

/**
 * Reduces over `axes` (already non-negative) by gathering each output's values into a list
 * and folding the list with `f`. Returns MXNet's shapes: `(1,)` when nothing remains.
 */
export function naiveReduce(f: (values: number[]) => number, a: Ref, axes: number[], keepdims: boolean): Ref {
  const keptShape = a.shape.map((dim, d) => (axes.includes(d) ? 1 : dim));
  const buckets: number[][] = Array.from({ length: sizeOf(keptShape) }, () => []);
  for (let flat = 0; flat < a.data.length; flat++) {
    const index = unravel(flat, a.shape).map((i, d) => (axes.includes(d) ? 0 : i));
    buckets[ravel(index, keptShape)].push(a.data[flat]);
  }
  const shape = keepdims ? keptShape : a.shape.filter((_, d) => !axes.includes(d));
  return { shape: shape.length === 0 ? [1] : shape, data: buckets.map(f) };
}

export const refSum = (v: number[]): number => v.reduce((s, x) => s + x, 0);
export const refMean = (v: number[]): number => refSum(v) / v.length;
export const refMax = (v: number[]): number => (v.some(Number.isNaN) ? NaN : Math.max(...v));
export const refMin = (v: number[]): number => (v.some(Number.isNaN) ? NaN : Math.min(...v));
/** numpy's argmax: the first NaN if any, else the first occurrence of the maximum. */
export const refArgmax = (v: number[]): number => (v.some(Number.isNaN) ? v.findIndex(Number.isNaN) : v.indexOf(Math.max(...v)));
export const refArgmin = (v: number[]): number => (v.some(Number.isNaN) ? v.findIndex(Number.isNaN) : v.indexOf(Math.min(...v)));

/** Output axis i is input axis perm[i]. */
export function naiveTranspose(a: Ref, perm: number[]): Ref {
  const shape = perm.map((p) => a.shape[p]);
  const data = new Array<number>(a.data.length);
  for (let flat = 0; flat < a.data.length; flat++) {
    const index = unravel(flat, a.shape);
    data[ravel(perm.map((p) => index[p]), shape)] = a.data[flat];
  }
  return { shape, data };
}

/**
 * MXNet's dot by its definition on multi-indices: out[I, J] = Σ_p a[I, p] · b[p, J], where a
 * transposed `a` is indexed (p, I) and a transposed `b` (J, p).
 */
export function naiveDot(a: Ref, b: Ref, transposeA = false, transposeB = false): Ref {
  const aOuter = transposeA ? a.shape.slice(1) : a.shape.slice(0, -1);
  const bOuter = transposeB ? b.shape.slice(0, -1) : b.shape.slice(1);
  const k = transposeA ? a.shape[0] : a.shape[a.shape.length - 1];
  const shape = a.shape.length === 1 && b.shape.length === 1 ? [1] : [...aOuter, ...bOuter];
  const data: number[] = [];
  for (let flat = 0; flat < sizeOf(aOuter) * sizeOf(bOuter); flat++) {
    const index = unravel(flat, [...aOuter, ...bOuter]);
    const I = index.slice(0, aOuter.length);
    const J = index.slice(aOuter.length);
    let s = 0;
    for (let p = 0; p < k; p++) {
      const ai = transposeA ? [p, ...I] : [...I, p];
      const bi = transposeB ? [...J, p] : [p, ...J];
      s += a.data[ravel(ai, a.shape)] * b.data[ravel(bi, b.shape)];
    }
    data.push(s);
  }
  return { shape, data };
}

/** Softmax (or its log) of every lane along `axis`, from the lane's values gathered one by one. */
export function naiveSoftmax(a: Ref, axis: number, log: boolean): Ref {
  const data = new Array<number>(a.data.length);
  for (let flat = 0; flat < a.data.length; flat++) {
    const index = unravel(flat, a.shape);
    const lane: number[] = [];
    for (let k = 0; k < a.shape[axis]; k++) {
      const at = index.slice();
      at[axis] = k;
      lane.push(a.data[ravel(at, a.shape)]);
    }
    const m = Math.max(...lane);
    const logZ = m + Math.log(lane.reduce((s, v) => s + Math.exp(v - m), 0));
    data[flat] = log ? a.data[flat] - logZ : Math.exp(a.data[flat] - logZ);
  }
  return { shape: a.shape.slice(), data };
}

/** The tolerance of DESIGN §5: within 2⁻²² · max(1, |ref|) of a float64 reference. */
export const TOLERANCE = 2 ** -22;

/**
 * Asserts `actual` has the reference's shape and every value is within `tol · max(1, |ref|)`
 * (NaN must match NaN; a reference beyond float32's range must be the matching infinity).
 */
export function expectClose(actual: NDArray, expected: Ref, tol = TOLERANCE): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.size).toBe(expected.data.length);
  for (let i = 0; i < expected.data.length; i++) {
    const got = actual.data[i];
    const want = expected.data[i];
    const ok = Number.isNaN(want)
      ? Number.isNaN(got)
      : !Number.isFinite(Math.fround(want))
        ? got === Math.fround(want)
        : Math.abs(got - want) <= tol * Math.max(1, Math.abs(want));
    if (!ok) throw new Error(`at flat index ${i} (${unravel(i, expected.shape).join(', ')}): expected ${want}, got ${got}`);
  }
}

/**
 * gemm.ts's stated error bound for a reduction of length k, relative to Σ|terms|:
 * (min(k, 256) + ⌈k/256⌉ + 2) · 2⁻²⁴ (float32 sums over 256-deep panels, added panel by panel).
 */
export function productErrorFactor(k: number): number {
  return (Math.min(k, 256) + Math.ceil(k / 256) + 2) * 2 ** -24;
}

/**
 * Asserts every value is within `factor · scale[i]` of the reference (`scale`: the same product
 * on absolute values, Σ|a·b|) — the contract of matrix products, whose error grows with the
 * reduction length rather than with the result.
 */
export function expectWithinBound(actual: NDArray, expected: Ref, scale: Ref, factor: number): void {
  expect(actual.shape).toEqual(expected.shape);
  expected.data.forEach((want, i) => {
    const got = actual.data[i];
    if (!(Math.abs(got - want) <= factor * scale.data[i] + 1e-30)) {
      throw new Error(`at flat index ${i} (${unravel(i, expected.shape).join(', ')}): expected ${want} ± ${factor * scale.data[i]}, got ${got}`);
    }
  });
}
