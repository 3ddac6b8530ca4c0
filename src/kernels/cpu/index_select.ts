/**
 * Selection by index arrays (float32 values, as MXNet's): `pick` (one element per lane of an
 * axis), `take` (whole slices along an axis), `one_hot`, and the adjoints of pick and take.
 * An index value is truncated toward zero (C's cast, as MXNet), then clipped to [0, length − 1]
 * or wrapped modulo length; callers reject non-finite values first.
 *
 * Arrays are viewed as (outer, length, inner): `length` the indexed axis, `outer` the product
 * of the axes before it, `inner` of those after.
 */

/** The position index value `value` selects on an axis of `length` (> 0). */
export function resolveIndex(value: number, length: number, wrap: boolean): number {
  let j = Math.trunc(value);
  if (wrap) {
    j %= length;
    return j < 0 ? j + length : j;
  }
  return j <= 0 ? 0 : j >= length ? length - 1 : j;
}

/** The position of the first value that is NaN or infinite, or −1. */
export function firstNonFinite(values: Float32Array): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}

/** The position of the first value outside [0, length − 1] (NaN included), or −1 (take's 'raise' mode). */
export function firstOutOfRange(values: Float32Array, length: number): number {
  for (let i = 0; i < values.length; i++) if (!(values[i] >= 0 && values[i] <= length - 1)) return i;
  return -1;
}

/**
 * `out[o, j] = x[o, index[o, j], j]`: one value per lane, out and index of `outer × inner` values.
 *
 * @example
 * // x = [[1, 2, 3], [4, 5, 6]], index = [2, 0] along axis 1 → [3, 4]
 * pickLanes(x, Float32Array.of(2, 0), 2, 3, 1, false, out);
 */
export function pickLanes(x: Float32Array, index: Float32Array, outer: number, length: number, inner: number, wrap: boolean, out: Float32Array): void {
  for (let o = 0, k = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++, k++) out[k] = x[(o * length + resolveIndex(index[k], length, wrap)) * inner + j];
  }
}

/** The adjoint of `pickLanes`: dx (outer × length × inner) is zero but at the picked positions, which get dy. */
export function pickLanesAdjoint(dy: Float32Array, index: Float32Array, outer: number, length: number, inner: number, wrap: boolean, dx: Float32Array): void {
  dx.fill(0);
  for (let o = 0, k = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++, k++) dx[(o * length + resolveIndex(index[k], length, wrap)) * inner + j] = dy[k];
  }
}

/**
 * `out[o, i, :] = x[o, indices[i], :]` for each of the n indices: out is (outer, n, inner).
 *
 * @example
 * // x = [[1, 2], [3, 4], [5, 6]] along axis 0 (outer 1, length 3, inner 2), indices [2, 0] → [[5, 6], [1, 2]]
 * takeSlices(x, Float32Array.of(2, 0), 1, 3, 2, false, out);
 */
export function takeSlices(x: Float32Array, indices: Float32Array, outer: number, length: number, inner: number, wrap: boolean, out: Float32Array): void {
  const n = indices.length;
  const rows = Int32Array.from(indices, (v) => resolveIndex(v, length, wrap));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const from = (o * length + rows[i]) * inner;
      const to = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) out[to + j] = x[from + j];
    }
  }
}

/**
 * The adjoint of `takeSlices`: dx (outer, length, inner) = Σ over the indices selecting each
 * slice of dy's slices, accumulated in float64 and rounded once (an index may repeat).
 */
export function takeSlicesAdjoint(dy: Float32Array, indices: Float32Array, outer: number, length: number, inner: number, wrap: boolean, dx: Float32Array): void {
  const n = indices.length;
  const rows = Int32Array.from(indices, (v) => resolveIndex(v, length, wrap));
  const acc = new Float64Array(dx.length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < n; i++) {
      const to = (o * length + rows[i]) * inner;
      const from = (o * n + i) * inner;
      for (let j = 0; j < inner; j++) acc[to + j] += dy[from + j];
    }
  }
  dx.set(acc);
}

/**
 * `out[i, :]` = `off` everywhere but `on` at `trunc(indices[i])` when that is in [0, depth); an
 * index outside (or NaN) gives a row of `off`, as MXNet. out is (indices.length, depth).
 *
 * @example oneHotRows(Float32Array.of(1, 5), 3, 1, 0, out); // out = [0, 1, 0, 0, 0, 0]
 */
export function oneHotRows(indices: Float32Array, depth: number, on: number, off: number, out: Float32Array): void {
  out.fill(off);
  for (let i = 0; i < indices.length; i++) {
    const j = Math.trunc(indices[i]);
    if (j >= 0 && j < depth) out[i * depth + j] = on;
  }
}
