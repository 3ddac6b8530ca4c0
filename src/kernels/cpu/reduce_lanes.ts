/**
 * Products of the other values of each reduction lane, for the exact gradients of `prod` and
 * `nanprod`. A lane is the set of values one reduced output is made of; with prefix and suffix
 * products each value's "product of the others" costs O(1), with no division, so zeros, NaNs and
 * infinities elsewhere in the lane give the true product rather than the NaN of `prod / x`.
 */
import { rowMajorStrides } from '../../core/shape';

/** Where the lanes of a reduction lie: value i of lane j is at `bases[j] + offsets[i]`. */
export interface Lanes {
  /** One per output, row-major over the kept axes (the order of the reduced output). */
  readonly bases: Int32Array;
  /** One per value of a lane, row-major over the reduced axes. */
  readonly offsets: Int32Array;
}

/** The offsets of every multi-index over the axes `selected` picks, row-major over them. */
function offsetsAlong(shape: readonly number[], strides: readonly number[], selected: readonly boolean[]): Int32Array {
  let offsets = Int32Array.of(0);
  shape.forEach((dim, d) => {
    if (!selected[d]) return;
    const next = new Int32Array(offsets.length * dim);
    for (let k = 0; k < offsets.length; k++) for (let i = 0; i < dim; i++) next[k * dim + i] = offsets[k] + i * strides[d];
    offsets = next;
  });
  return offsets;
}

/** The lanes of a row-major array of `shape` reduced over the axes where `reduced[d]`. */
export function lanesOf(shape: readonly number[], reduced: readonly boolean[]): Lanes {
  const strides = rowMajorStrides(shape);
  return { bases: offsetsAlong(shape, strides, reduced.map((r) => !r)), offsets: offsetsAlong(shape, strides, reduced) };
}

/**
 * `out[v] = scale[j] · Π_{u ≠ v in lane j} x[u]` for every value v of every lane j, in float64
 * (rounded once): an exclusive prefix product times the exclusive suffix product.
 */
export function productsOfOthers(x: Float32Array, scale: Float32Array, lanes: Lanes, out: Float32Array): void {
  const { bases, offsets } = lanes;
  const prefix = new Float64Array(offsets.length);
  for (let j = 0; j < bases.length; j++) {
    const base = bases[j];
    let p = 1;
    for (let i = 0; i < offsets.length; i++) {
      prefix[i] = p;
      p *= x[base + offsets[i]];
    }
    let s = scale[j];
    for (let i = offsets.length - 1; i >= 0; i--) {
      out[base + offsets[i]] = prefix[i] * s;
      s *= x[base + offsets[i]];
    }
  }
}

/**
 * The adjoint of `productsOfOthers` with respect to x: for a head gradient w (x's shape),
 * `out[v] = scale[j] · Σ_{u ≠ v} w[u] · Π_{t ≠ u, v} x[t]` over lane j. With prefix products P
 * and suffix products S (exclusive), the sums run as L_{i+1} = L_i·x_i + w_i·P_i from the left
 * and R_{i−1} = R_i·x_i + w_i·S_i from the right, and out_i = scale·(L_i·S_i + P_i·R_i).
 */
export function productsOfOthersAdjoint(x: Float32Array, w: Float32Array, scale: Float32Array, lanes: Lanes, out: Float32Array): void {
  const { bases, offsets } = lanes;
  const n = offsets.length;
  const prefix = new Float64Array(n);
  const left = new Float64Array(n);
  for (let j = 0; j < bases.length; j++) {
    const base = bases[j];
    let p = 1;
    let l = 0;
    for (let i = 0; i < n; i++) {
      const v = x[base + offsets[i]];
      prefix[i] = p;
      left[i] = l;
      l = l * v + w[base + offsets[i]] * p;
      p *= v;
    }
    let s = 1;
    let r = 0;
    for (let i = n - 1; i >= 0; i--) {
      const v = x[base + offsets[i]];
      out[base + offsets[i]] = scale[j] * (left[i] * s + prefix[i] * r);
      r = r * v + w[base + offsets[i]] * s;
      s *= v;
    }
  }
}
