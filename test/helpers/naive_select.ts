/**
 * Float64 references for the joining, slicing and index-selection operators (stack, split,
 * slice, pick, take, one_hot), written on explicit multi-indices like naive_ops.ts; and a check
 * of second derivatives through operators that are affine in their input.
 */
import { NDArray, autograd, nd } from '../../src';
import { checkGradient, pseudoRandom } from './gradient_check';
import { Ref, ravel, sizeOf, unravel } from './naive_ops';

/** Builds a Ref of `shape` from a function of the output multi-index. */
function build(shape: number[], value: (index: number[]) => number): Ref {
  const data: number[] = [];
  for (let flat = 0; flat < sizeOf(shape); flat++) data.push(value(unravel(flat, shape)));
  return { shape, data };
}

/** numpy's stack: a new axis `axis` whose index chooses the array. */
export function naiveStack(arrays: Ref[], axis: number): Ref {
  const shape = [...arrays[0].shape.slice(0, axis), arrays.length, ...arrays[0].shape.slice(axis)];
  return build(shape, (index) => {
    const inner = [...index.slice(0, axis), ...index.slice(axis + 1)];
    return arrays[index[axis]].data[ravel(inner, arrays[0].shape)];
  });
}

/** numpy's split into `n` equal pieces along `axis`, each squeezed when asked. */
export function naiveSplit(a: Ref, n: number, axis: number, squeeze: boolean): Ref[] {
  const part = a.shape[axis] / n;
  return Array.from({ length: n }, (_, k) => {
    const kept = a.shape.map((d, i) => (i === axis ? part : d));
    const piece = build(kept, (index) => a.data[ravel(index.map((v, i) => (i === axis ? v + k * part : v)), a.shape)]);
    return squeeze ? { shape: kept.filter((_, i) => i !== axis), data: piece.data } : piece;
  });
}

/** Python's `range(*slice(begin, end, step).indices(length))`. */
export function pythonSliceIndices(begin: number | null, end: number | null, step: number | null, length: number): number[] {
  const s = step ?? 1;
  const lower = s < 0 ? -1 : 0;
  const upper = s < 0 ? length - 1 : length;
  const resolve = (v: number | null, fallback: number): number => {
    if (v === null) return fallback;
    const w = v < 0 ? v + length : v;
    return Math.min(Math.max(w, lower), upper);
  };
  const start = resolve(begin, s < 0 ? upper : lower);
  const stop = resolve(end, s < 0 ? lower : upper);
  const out: number[] = [];
  for (let i = start; s > 0 ? i < stop : i > stop; i += s) out.push(i);
  return out;
}

/** numpy's `a[b0:e0:s0, …]` over the leading begin.length axes. */
export function naiveSlice(a: Ref, begin: (number | null)[], end: (number | null)[], step: (number | null)[] = []): Ref {
  const picks = a.shape.map((len, d) => (d < begin.length ? pythonSliceIndices(begin[d], end[d], step[d] ?? null, len) : [...Array(len).keys()]));
  return build(picks.map((p) => p.length), (index) => a.data[ravel(index.map((v, d) => picks[d][v]), a.shape)]);
}

/** The position an index selects: truncated, then clipped or wrapped (MXNet's rule, written separately). */
function position(value: number, length: number, mode: 'clip' | 'wrap' | 'raise'): number {
  const j = Math.trunc(value);
  if (mode === 'wrap') return ((j % length) + length) % length;
  return Math.min(Math.max(j, 0), length - 1);
}

/** MXNet's pick: per lane of `axis`, the element `index` chooses; index with or without the axis. */
export function naivePick(a: Ref, index: Ref, axis: number, keepdims: boolean, mode: 'clip' | 'wrap' = 'clip'): Ref {
  const kept = a.shape.map((d, i) => (i === axis ? 1 : d));
  const outShape = keepdims ? kept : a.shape.filter((_, i) => i !== axis);
  return build(outShape, (out) => {
    const full = keepdims ? out : [...out.slice(0, axis), 0, ...out.slice(axis)];
    const lane = index.shape.length === a.shape.length ? full.map((v, i) => (i === axis ? 0 : v)) : full.filter((_, i) => i !== axis);
    const j = position(index.data[ravel(lane, index.shape)], a.shape[axis], mode);
    return a.data[ravel(full.map((v, i) => (i === axis ? j : v)), a.shape)];
  });
}

/** MXNet's take: a.shape[:axis] + indices.shape + a.shape[axis+1:]. */
export function naiveTake(a: Ref, indices: Ref, axis: number, mode: 'clip' | 'wrap' | 'raise' = 'clip'): Ref {
  const k = indices.shape.length;
  const shape = [...a.shape.slice(0, axis), ...indices.shape, ...a.shape.slice(axis + 1)];
  return build(shape, (out) => {
    const j = position(indices.data[ravel(out.slice(axis, axis + k), indices.shape)], a.shape[axis], mode);
    return a.data[ravel([...out.slice(0, axis), j, ...out.slice(axis + k)], a.shape)];
  });
}

/** one_hot: a new last axis of `depth`, `on` where its index equals trunc(value). */
export function naiveOneHot(indices: Ref, depth: number, on = 1, off = 0): Ref {
  return build([...indices.shape, depth], (index) => (index[index.length - 1] === Math.trunc(indices.data[ravel(index.slice(0, -1), indices.shape)]) ? on : off));
}

/** Lᵀw for an affine float64 map f(x) = L·x + c of n inputs, read column by column from f. */
function adjoint(f: (x: Float64Array) => ArrayLike<number>, n: number, w: ArrayLike<number>): Float64Array {
  const base = f(new Float64Array(n));
  return Float64Array.from({ length: n }, (_, j) => {
    const column = f(Float64Array.from({ length: n }, (__, i) => (i === j ? 1 : 0)));
    let total = 0;
    for (let i = 0; i < w.length; i++) total += (column[i] - base[i]) * w[i];
    return total;
  });
}

/**
 * Second derivatives through an operator affine in x (a selection): g(x) = ∂/∂x Σ r·tanh(op(x))
 * is computed with createGraph and differentiated again, against finite differences of g's
 * float64 reference Lᵀ(r ⊙ (1 − tanh²(f(x)))), where `ref` is op's float64 forward f.
 */
export function checkSecondDerivative(op: (x: NDArray) => NDArray, ref: (x: Float64Array) => ArrayLike<number>, x: NDArray): void {
  const outShape = op(x).shape;
  const r = Float32Array.from(pseudoRandom(sizeOf(outShape), 7));
  const g = (v: NDArray): NDArray => autograd.grad(nd.tanh(op(v)), [v], { createGraph: true, headGrads: nd.array(r, { shape: outShape }) })[0];
  const reference64 = (v: Float64Array): Float64Array => {
    const y = ref(v);
    return adjoint(ref, v.length, Float64Array.from(r, (ri, i) => ri * (1 - Math.tanh(y[i]) ** 2)));
  };
  checkGradient(g, [x], { reference64 });
}
