/**
 * Cumulative sums along one axis of a (outer, length, inner) view: out[o, k, i] =
 * Σ_{j ≤ k} x[o, j, i], accumulated in float64 and rounded once per output.
 *
 * @example cumsum(Float32Array.of(1, 2, 3), out, 1, 3, 1); // out = [1, 3, 6]
 */
export function cumsum(x: Float32Array, out: Float32Array, outer: number, length: number, inner: number): void {
  const sums = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    sums.fill(0);
    for (let k = 0; k < length; k++) {
      const at = (o * length + k) * inner;
      for (let i = 0; i < inner; i++) {
        sums[i] += x[at + i];
        out[at + i] = sums[i];
      }
    }
  }
}
