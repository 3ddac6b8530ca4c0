/**
 * A naive float64 normalization reference for the kernel tests, written independently of the
 * kernel's 4-D view: it works on an N-D row-major array with explicit index arithmetic, groups
 * elements by the indices of `keepAxes`, and picks gamma/beta by the index along `affineAxis`.
 *
 *   mean[g] = Σ x / n,  variance[g] = Σ (x − mean[g])² / n   (two plain passes, float64)
 *   out     = (x − mean[g]) / sqrt(variance[g] + eps) · gamma[k] + beta[k]
 *
 * Group ids enumerate the kept axes' indices in row-major order (e.g. keepAxes [0, 1] of
 * (N, C, H, W) gives g = n·C + c).
 */
export interface ReferenceNormSpec {
  shape: readonly number[];
  /** Axes whose indices identify a group; statistics run over all the other axes. */
  keepAxes: readonly number[];
  /** The axis whose index selects gamma/beta. */
  affineAxis: number;
  eps: number;
  gamma: ArrayLike<number>;
  beta: ArrayLike<number>;
}

export interface ReferenceNormResult {
  out: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * For every flat position of a row-major array of `shape`: its group (the `keepAxes` indices
 * enumerated row-major) and its index along `affineAxis`. The multi-index is stepped like an
 * odometer, so large references allocate nothing per element.
 */
export function groupAndAffineIndices(shape: readonly number[], keepAxes: readonly number[], affineAxis: number): { group: Int32Array; affine: Int32Array } {
  const total = shape.reduce((a, b) => a * b, 1);
  const group = new Int32Array(total), affine = new Int32Array(total);
  const index = new Int32Array(shape.length);
  for (let f = 0; f < total; f++) {
    let g = 0;
    for (const axis of keepAxes) g = g * shape[axis] + index[axis];
    group[f] = g;
    affine[f] = index[affineAxis];
    for (let axis = shape.length - 1; axis >= 0 && ++index[axis] === shape[axis]; axis--) index[axis] = 0;
  }
  return { group, affine };
}

export function referenceNorm(x: ArrayLike<number>, spec: ReferenceNormSpec): ReferenceNormResult {
  const { shape, keepAxes, affineAxis, eps, gamma, beta } = spec;
  const total = shape.reduce((a, b) => a * b, 1);
  const groups = keepAxes.reduce((a, axis) => a * shape[axis], 1);
  const count = total / Math.max(groups, 1);
  const { group: groupIds, affine } = groupAndAffineIndices(shape, keepAxes, affineAxis);

  const mean = new Float64Array(groups);
  for (let f = 0; f < total; f++) mean[groupIds[f]] += x[f];
  for (let g = 0; g < groups; g++) mean[g] /= count;

  const variance = new Float64Array(groups);
  for (let f = 0; f < total; f++) variance[groupIds[f]] += (x[f] - mean[groupIds[f]]) ** 2;
  for (let g = 0; g < groups; g++) variance[g] /= count;

  const out = new Float64Array(total);
  for (let f = 0; f < total; f++) {
    const k = affine[f];
    const g = groupIds[f];
    out[f] = ((x[f] - mean[g]) / Math.sqrt(variance[g] + eps)) * gamma[k] + beta[k];
  }
  return { out, mean, variance };
}
