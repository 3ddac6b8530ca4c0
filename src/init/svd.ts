/**
 * Reduced singular value decomposition by one-sided (Hestenes) Jacobi rotations, in float64.
 *
 * Jacobi is used because it is short, needs no bidiagonalization, and gives singular vectors
 * orthonormal to working precision, which is what `init.Orthogonal` needs. Cost: about
 * 4·min(m, n)²·max(m, n) flops per sweep (plus 3·min(m, n)³ to accumulate V), with 8–13 sweeps
 * for random matrices.
 */
import { GluonError } from '../core/errors';

/** A = U · diag(s) · Vᵀ with k = min(rows, cols); all arrays row-major. */
export interface ReducedSvd {
  /** rows × k, orthonormal columns. */
  readonly u: Float64Array;
  /** k singular values, descending, ≥ 0. */
  readonly s: Float64Array;
  /** k × cols, orthonormal rows. */
  readonly vt: Float64Array;
}

/** Bound on sweeps, so the loop always ends; random matrices converge in 8–13. */
const MAX_SWEEPS = 60;

/**
 * The reduced SVD of the row-major `rows × cols` matrix `a` (numpy's
 * `svd(a, full_matrices=False)`): singular values descending; a zero singular value's singular
 * vector is completed to keep U's columns and Vᵀ's rows orthonormal.
 *
 * @example
 * const { u, s, vt } = svd([3, 0, 0, -2], 2, 2); // s = [3, 2]
 */
export function svd(a: ArrayLike<number>, rows: number, cols: number): ReducedSvd {
  const { vectors, s, basis } = decompose(a, rows, cols, true);
  const count = s.length;
  // Tall: the vectors are U's columns and the basis rows Vᵀ's rows; wide: the other way round.
  return rows >= cols
    ? { u: transpose(vectors, count, rows), s, vt: basis }
    : { u: transpose(basis, count, count), s, vt: vectors };
}

/**
 * The factor of `a`'s reduced SVD that has `a`'s shape, row-major: U when rows ≥ cols
 * (orthonormal columns), else Vᵀ (orthonormal rows). Cheaper than `svd`, which also builds the
 * other factor.
 */
export function orthonormalFactor(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const { vectors, s } = decompose(a, rows, cols, false);
  return rows >= cols ? transpose(vectors, s.length, rows) : vectors;
}

interface Decomposition {
  /** k × length, orthonormal rows. */
  vectors: Float64Array;
  /** k singular values, descending. */
  s: Float64Array;
  /** k × k rotations (V of the orthogonalized vectors), empty without `withBasis`. */
  basis: Float64Array;
}

/**
 * Jacobi on the k = min(rows, cols) vectors of the longer length — A's columns when A is tall,
 * A's rows (Aᵀ's columns) when it is wide. Returns them orthonormalized as rows (k × length),
 * the singular values, and the accumulated rotations (k × k) when `withBasis`; all ordered by
 * descending singular value.
 */
function decompose(a: ArrayLike<number>, rows: number, cols: number, withBasis: boolean): Decomposition {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || a.length !== rows * cols) {
    throw new GluonError(`svd: expected ${rows}·${cols} values for a ${rows}×${cols} matrix, but got ${a.length}`);
  }
  const count = Math.min(rows, cols);
  const length = Math.max(rows, cols);
  const vectors = rows >= cols ? transpose(a, rows, cols) : Float64Array.from(a);
  const scale = maxAbs(vectors);
  if (!Number.isFinite(scale)) throw new GluonError('svd: expected finite matrix entries, but got NaN or Infinity');
  // Working at unit scale keeps squared norms clear of overflow and underflow.
  if (scale > 0) for (let i = 0; i < vectors.length; i++) vectors[i] /= scale;
  const basis = withBasis ? identity(count) : null;
  orthogonalize(vectors, count, length, basis);
  const s = normalize(vectors, count, length);
  completeNullVectors(vectors, s, count, length);
  const order = Array.from(s.keys()).sort((i, j) => s[j] - s[i]);
  return {
    vectors: permuteRows(vectors, order, length),
    s: Float64Array.from(order, (j) => s[j] * scale),
    basis: basis === null ? new Float64Array(0) : permuteRows(basis, order, count),
  };
}

/**
 * Rotates pairs of the `count` contiguous vectors of `length` until all are mutually orthogonal,
 * applying the same rotations to the rows of `basis` (count × count), which so accumulates V.
 */
function orthogonalize(vectors: Float64Array, count: number, length: number, basis: Float64Array | null): void {
  const tolerance = Number.EPSILON * length;
  const norms = new Float64Array(count);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    // Squared norms are updated exactly per rotation below, and refreshed each sweep.
    for (let j = 0; j < count; j++) norms[j] = dot(vectors, j * length, vectors, j * length, length);
    // Visiting pairs by decreasing norm (de Rijk) cuts the sweeps on random matrices by a third.
    const byNorm = Array.from(norms.keys()).sort((i, j) => norms[j] - norms[i]);
    let rotated = false;
    for (let p = 0; p < count - 1; p++) {
      for (let q = p + 1; q < count; q++) {
        const i = byNorm[p];
        const j = byNorm[q];
        const alpha = norms[i];
        const beta = norms[j];
        const gamma = dot(vectors, i * length, vectors, j * length, length);
        if (Math.abs(gamma) <= tolerance * Math.sqrt(alpha * beta)) continue;
        // The rotation that zeroes the (i, j) entry of the Gram matrix, taking the smaller angle.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        rotate(vectors, i * length, j * length, length, c, c * t);
        if (basis !== null) rotate(basis, i * count, j * count, count, c, c * t);
        norms[i] = alpha - t * gamma;
        norms[j] = beta + t * gamma;
        rotated = true;
      }
    }
    if (!rotated) return;
  }
}

/** The dot product of the `length` values of `x` from `xAt` and of `y` from `yAt`. */
function dot(x: Float64Array, xAt: number, y: Float64Array, yAt: number, length: number): number {
  let sum = 0;
  for (let k = 0; k < length; k++) sum += x[xAt + k] * y[yAt + k];
  return sum;
}

/** (x, y) ← (c·x − s·y, s·x + c·y) on the vectors starting at `a` and `b`. */
function rotate(data: Float64Array, a: number, b: number, length: number, c: number, s: number): void {
  for (let k = 0; k < length; k++) {
    const x = data[a + k];
    const y = data[b + k];
    data[a + k] = c * x - s * y;
    data[b + k] = s * x + c * y;
  }
}

/** Scales each vector to unit length and returns the lengths (the singular values). */
function normalize(vectors: Float64Array, count: number, length: number): Float64Array {
  const norms = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    norms[j] = Math.sqrt(dot(vectors, j * length, vectors, j * length, length));
    if (norms[j] > 0) for (let k = 0; k < length; k++) vectors[j * length + k] /= norms[j];
  }
  return norms;
}

/**
 * Replaces each vector whose singular value is negligible (rank deficiency) with a unit vector
 * orthogonal to all the others: Gram–Schmidt on the standard basis vector eᵢ that keeps the most
 * of its length outside the accepted vectors' span (at least 1/length of it, as count ≤ length).
 */
function completeNullVectors(vectors: Float64Array, s: Float64Array, count: number, length: number): void {
  const largest = s.reduce((max, value) => Math.max(max, value), 0);
  const accepted = Array.from(s, (value) => value > largest * length * Number.EPSILON);
  // residual[i] = squared length of eᵢ outside the span of the accepted (orthonormal) vectors.
  const residual = new Float64Array(length).fill(1);
  const shrinkResidual = (j: number): void => {
    for (let k = 0; k < length; k++) residual[k] -= vectors[j * length + k] ** 2;
  };
  for (let j = 0; j < count; j++) if (accepted[j]) shrinkResidual(j);
  for (let j = 0; j < count; j++) {
    if (accepted[j]) continue;
    const candidate = new Float64Array(length);
    candidate[argmax(residual)] = 1;
    // Two projection passes make the result orthogonal to working precision.
    for (let pass = 0; pass < 2; pass++) {
      for (let i = 0; i < count; i++) {
        if (!accepted[i]) continue;
        const projection = dot(candidate, 0, vectors, i * length, length);
        for (let k = 0; k < length; k++) candidate[k] -= projection * vectors[i * length + k];
      }
    }
    const norm = Math.sqrt(dot(candidate, 0, candidate, 0, length));
    for (let k = 0; k < length; k++) vectors[j * length + k] = candidate[k] / norm;
    accepted[j] = true;
    shrinkResidual(j);
  }
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function transpose(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j];
  return out;
}

function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

function maxAbs(values: Float64Array): number {
  let max = 0;
  for (const value of values) {
    if (Number.isNaN(value)) return NaN;
    max = Math.max(max, Math.abs(value));
  }
  return max;
}

function permuteRows(matrix: Float64Array, order: readonly number[], width: number): Float64Array {
  const out = new Float64Array(matrix.length);
  order.forEach((from, to) => out.set(matrix.subarray(from * width, (from + 1) * width), to * width));
  return out;
}
