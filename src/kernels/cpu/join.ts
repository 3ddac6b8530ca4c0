/**
 * Joining and slicing along one axis. An array is viewed as `outer` rows, one per index of the
 * axes before the joined or sliced one; a row holds `axis length × inner` contiguous values, so
 * every piece of a row is one contiguous run. Serves Concat, stack, SliceChannel, slice_axis and
 * the backward of slice_axis.
 */

/** Runs shorter than this are copied by a loop: a `subarray` view costs more than it saves. */
const SHORT_RUN = 32;

/** `dst[di .. di + n) = src[si .. si + n)`. */
function copyRun(src: Float32Array, si: number, dst: Float32Array, di: number, n: number): void {
  if (n >= SHORT_RUN) {
    dst.set(src.subarray(si, si + n), di);
    return;
  }
  for (let i = 0; i < n; i++) dst[di + i] = src[si + i];
}

/**
 * The rows of `parts` side by side: out row o is row o of parts[0], then of parts[1], …;
 * `widths[i]` is the row length of parts[i] (its axis length × inner). out has
 * `outer × Σ widths` values.
 *
 * @example
 * // concat of (2, 1) and (2, 2) along axis 1: widths [1, 2], outer 2
 * joinRows([Float32Array.of(1, 2), Float32Array.of(3, 4, 5, 6)], [1, 2], 2, out); // out = [1, 3, 4, 2, 5, 6]
 */
export function joinRows(parts: readonly Float32Array[], widths: readonly number[], outer: number, out: Float32Array): void {
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < parts.length; i++) {
      const width = widths[i];
      copyRun(parts[i], o * width, out, offset, width);
      offset += width;
    }
  }
}

/**
 * out row o = x row o's values `[from, from + width)`, x's rows being `rowLength` long; out has
 * `outer × width` values.
 *
 * @example
 * // slice_axis of a (2, 3) array along axis 1 from 1 to 3
 * sliceRows(Float32Array.of(1, 2, 3, 4, 5, 6), 3, 1, 2, 2, out); // out = [2, 3, 5, 6]
 */
export function sliceRows(x: Float32Array, rowLength: number, from: number, width: number, outer: number, out: Float32Array): void {
  for (let o = 0; o < outer; o++) copyRun(x, o * rowLength + from, out, o * width, width);
}

/**
 * The adjoint of `sliceRows`: out (rows of `rowLength`) is zero except that row o's values
 * `[from, from + width)` are dy's row o.
 */
export function padRows(dy: Float32Array, rowLength: number, from: number, width: number, outer: number, out: Float32Array): void {
  out.fill(0);
  for (let o = 0; o < outer; o++) copyRun(dy, o * width, out, o * rowLength + from, width);
}
