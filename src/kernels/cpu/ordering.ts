/**
 * Ordering along one axis of an (outer, length, inner) view: the stable order of each lane and
 * the scatter/gather of values at lane positions (MXNet's `topk`, `sort`, `argsort`).
 */

/** Where the lanes of an (outer, length, inner) array are. */
export interface Lanes {
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
}

/**
 * For each lane, the positions of its first `k` values in order (ascending or descending),
 * stable: equal values keep their order; NaN sorts as larger than every number (numpy's rule).
 * Output (outer, k, inner) of positions, as float32.
 */
export function orderLanes(x: Float32Array, lanes: Lanes, k: number, ascending: boolean, out: Float32Array): void {
  const { outer, length, inner } = lanes;
  const positions = new Array<number>(length);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * length * inner + i;
      for (let p = 0; p < length; p++) positions[p] = p;
      positions.sort((a, b) => {
        const va = x[base + a * inner], vb = x[base + b * inner];
        const order = ascending ? compare(va, vb) : compare(vb, va);
        return order !== 0 ? order : a - b;
      });
      for (let r = 0; r < k; r++) out[(o * k + r) * inner + i] = positions[r];
    }
  }
}

/** a before b (−1), after (1) or tied (0); NaN after every number and tied with NaN. */
function compare(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) === Number.isNaN(b) ? 0 : Number.isNaN(a) ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** out[o, r, i] = x[o, positions[o, r, i], i]: the values at the positions, (outer, k, inner). */
export function gatherLanes(x: Float32Array, positions: Float32Array, lanes: Lanes, k: number, out: Float32Array): void {
  const { outer, length, inner } = lanes;
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < inner; i++) out[(o * k + r) * inner + i] = x[(o * length + positions[(o * k + r) * inner + i]) * inner + i];
    }
  }
}

/** out = zeros, then out[o, positions[o, r, i], i] += g[o, r, i]: the adjoint of gatherLanes. */
export function scatterLanes(g: Float32Array, positions: Float32Array, lanes: Lanes, k: number, out: Float32Array): void {
  const { outer, length, inner } = lanes;
  out.fill(0);
  for (let o = 0; o < outer; o++) {
    for (let r = 0; r < k; r++) {
      for (let i = 0; i < inner; i++) out[(o * length + positions[(o * k + r) * inner + i]) * inner + i] += g[(o * k + r) * inner + i];
    }
  }
}
