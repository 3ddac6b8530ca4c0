/**
 * gather_nd / scatter_nd on (positions, block) views: indices (M, P) pick, for each of the P
 * positions, the block data[i0, …, i(M−1), …] of `inner` values from an array whose first M
 * axes have `dims`.
 */

/** The flat offsets of the P blocks, or the first bad index (its position and axis). */
export function blockOffsets(indices: ArrayLike<number>, dims: readonly number[], positions: number, inner: number): Int32Array | { position: number; axis: number; value: number } {
  const offsets = new Int32Array(positions);
  for (let p = 0; p < positions; p++) {
    let offset = 0;
    for (let m = 0; m < dims.length; m++) {
      const v = indices[m * positions + p];
      const i = v < 0 ? v + dims[m] : v;
      if (!Number.isInteger(v) || i < 0 || i >= dims[m]) return { position: p, axis: m, value: v };
      offset = offset * dims[m] + i;
    }
    offsets[p] = offset * inner;
  }
  return offsets;
}

/** out[p·inner + j] = data[offsets[p] + j]. */
export function gatherBlocks(data: Float32Array, offsets: Int32Array, inner: number, out: Float32Array): void {
  for (let p = 0; p < offsets.length; p++) out.set(data.subarray(offsets[p], offsets[p] + inner), p * inner);
}

/** out[offsets[p] + j] (+)= values[p·inner + j] over zeros: `add` sums repeated blocks (float64), otherwise the last one wins. */
export function scatterBlocks(values: Float32Array, offsets: Int32Array, inner: number, out: Float32Array, add: boolean): void {
  if (!add) {
    out.fill(0);
    for (let p = 0; p < offsets.length; p++) out.set(values.subarray(p * inner, (p + 1) * inner), offsets[p]);
    return;
  }
  const sums = new Float64Array(out.length);
  for (let p = 0; p < offsets.length; p++) for (let j = 0; j < inner; j++) sums[offsets[p] + j] += values[p * inner + j];
  out.set(sums);
}
