/**
 * Matrix product with MXNet's `nd.dot` semantics, accumulated in float64.
 */
import { GluonError, formatShape } from '../../errors';
import { NDArray } from '../ndarray';
import { shapeSize } from '../shape';
import { checkNDArray, describeValue } from './validate';

/** Options of `nd.dot`. */
export interface DotOptions {
  /** Use the transpose of `a`: for N-D `a` of shape (k, d1, …) that is (d1·…, k). Default false. */
  transposeA?: boolean;
  /** Use the transpose of `b`: for N-D `b` of shape (…, k) that is (k, …). Default false. */
  transposeB?: boolean;
}

/**
 * The dot product of `a` and `b`, as `mx.nd.dot`: `out[i…, j…] = Σ_p a[i…, p] · b[p, j…]`,
 * contracting the last axis of `a` with the first axis of `b`.
 *
 * - 2-D × 2-D is the matrix product: (m, k) · (k, n) → (m, n).
 * - 1-D × 1-D is the inner product, of shape `(1,)` (MXNet has no 0-d arrays); vectors cannot
 *   be transposed.
 * - A 1-D operand contributes no output axes: (k,) · (k, n) → (n,); (m, k) · (k,) → (m,).
 * - `transposeA` contracts the *first* axis of `a` instead (output axes: the rest of `a`);
 *   `transposeB` contracts the *last* axis of `b` (output axes: the others of `b`).
 *
 * Sums accumulate in float64, so results are the float32 rounding of the exact product sum.
 *
 * @example
 * nd.dot(nd.array([[1, 2], [3, 4]]), nd.array([[5], [6]])).toArray(); // [[17], [39]]
 * nd.dot(nd.array([1, 2]), nd.array([3, 4])).toArray();                // [11]
 * nd.dot(nd.ones([2, 3]), nd.ones([4, 3]), { transposeB: true }).shape; // [2, 4]
 */
export function dot(a: NDArray, b: NDArray, options: DotOptions = {}): NDArray {
  checkNDArray(a, 'dot', 'lhs');
  checkNDArray(b, 'dot', 'rhs');
  const ta = flag(options.transposeA, 'transposeA');
  const tb = flag(options.transposeB, 'transposeB');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new GluonError(`dot: expected operands of rank >= 1, but got shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  if (a.ndim === 1 && b.ndim === 1 && (ta || tb)) {
    throw new GluonError(`dot: expected transposeA and transposeB to be false for two 1-D operands (vectors cannot be transposed), but got transposeA=${ta}, transposeB=${tb}`);
  }
  // View a as (m, k) and b as (k, n); `rest` are the axes each contributes to the output.
  const k = ta ? a.shape[0] : a.shape[a.ndim - 1];
  const aRest = ta ? a.shape.slice(1) : a.shape.slice(0, -1);
  const kb = tb ? b.shape[b.ndim - 1] : b.shape[0];
  const bRest = tb ? b.shape.slice(0, -1) : b.shape.slice(1);
  if (k !== kb) {
    throw new GluonError(
      `dot: expected the contracted dimensions to match, but got ${k} and ${kb} for shapes ` +
        `${formatShape(a.shape)} and ${formatShape(b.shape)} (transposeA=${ta}, transposeB=${tb})`,
    );
  }
  const m = shapeSize(aRest);
  const n = shapeSize(bRest);
  const shape = a.ndim === 1 && b.ndim === 1 ? [1] : [...aRest, ...bRest];
  const out = tb
    ? rowDotKernel(a.data, ta ? 1 : k, ta ? m : 1, b.data, m, n, k)
    : rowAxpyKernel(a.data, ta ? 1 : k, ta ? m : 1, b.data, m, n, k);
  return new NDArray(out, shape);
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new GluonError(`dot: expected ${name} to be a boolean, but got ${describeValue(value)}`);
  return value;
}

/**
 * `out = A · B` for A read as `A[i, p] = a[i*aRow + p*aCol]` and a row-major (k, n) `b`:
 * each output row accumulates `A[i, p] * b[p, :]` in float64, streaming `b`'s rows.
 */
function rowAxpyKernel(a: Float32Array, aRow: number, aCol: number, b: Float32Array, m: number, n: number, k: number): Float32Array {
  const out = new Float32Array(m * n);
  const acc = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    acc.fill(0);
    for (let p = 0; p < k; p++) {
      const s = a[i * aRow + p * aCol];
      const row = p * n;
      for (let j = 0; j < n; j++) acc[j] += s * b[row + j];
    }
    out.set(acc, i * n);
  }
  return out;
}

/**
 * `out = A · bᵀ` for A read as in `rowAxpyKernel` and a row-major (n, k) `b`: each output is
 * a float64 dot product of an A row with a contiguous `b` row.
 */
function rowDotKernel(a: Float32Array, aRow: number, aCol: number, b: Float32Array, m: number, n: number, k: number): Float32Array {
  const out = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      const row = j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * aRow + p * aCol] * b[row + p];
      out[i * n + j] = s;
    }
  }
  return out;
}
