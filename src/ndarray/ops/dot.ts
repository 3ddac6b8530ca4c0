/**
 * Matrix product with MXNet's `nd.dot` semantics: shape logic here, arithmetic in the shared
 * CPU gemm kernel.
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp, requiresGrad } from '../../autograd/tape';
import { gemm } from '../../kernels/cpu/gemm';
import { NDArray } from '../ndarray';
import { shapeSize, shapesEqual } from '../../core/shape';
import { reshapeTo } from './transform';
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
 * Products accumulate in float64 within each of gemm's k-panels (kernels/cpu/gemm.ts), so a
 * moderate k gives the float32 rounding of the exact sum; any k stays within a few float32
 * ulps of Σ|a·b|.
 *
 * Gradient: with A (m, k), B (k, n) the operands as used and G = dy as (m, n),
 * `dA = G·Bᵀ` and `dB = Aᵀ·G`, each computed only for an operand that needs it.
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
    throw new GluonError(
      'dot: expected transposeA and transposeB to be false for two 1-D operands (vectors cannot be transposed), ' +
        `but got transposeA=${ta}, transposeB=${tb}`,
    );
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
  const out = new Float32Array(m * n);
  // Row strides of the matrices as stored: a is (m, k), or (k, m) when transposed; b is (k, n),
  // or (n, k). gemm wants a stride of at least 1 even for an empty matrix.
  const lda = Math.max(1, ta ? m : k);
  const ldb = Math.max(1, tb ? k : n);
  gemm(ta, tb, m, n, k, 1, a.data, 0, lda, b.data, 0, ldb, 0, out, 0, Math.max(1, n));
  const y = new NDArray(out, a.ndim === 1 && b.ndim === 1 ? [1] : [...aRest, ...bRest]);
  return recordOp('dot', y, [a, b], (dy) => dotGrads(matrix(dy, [m, n]), a, b, ta, tb));
}

/**
 * The gradients of `dot` for G = dy as an (m, n) matrix. Each is one `dot` on the operands'
 * stored 2-D layouts — a is (m, k), or (k, m) when transposed; b is (k, n), or (n, k) — with
 * transpose flags chosen so that no transposed copy is made, and only for an operand that
 * needs a gradient.
 */
function dotGrads(g: NDArray, a: NDArray, b: NDArray, ta: boolean, tb: boolean): (NDArray | undefined)[] {
  const [m, n] = g.shape;
  const k = ta ? a.shape[0] : a.shape[a.ndim - 1];
  // dA = G·Bᵀ (m, k); a transposed a is stored (k, m), so its gradient is B·Gᵀ.
  const gradA = (): NDArray => {
    const b2 = matrix(b, tb ? [n, k] : [k, n]);
    return ta ? dot(b2, g, { transposeA: tb, transposeB: true }) : dot(g, b2, { transposeB: !tb });
  };
  // dB = Aᵀ·G (k, n); a transposed b is stored (n, k), so its gradient is Gᵀ·A.
  const gradB = (): NDArray => {
    const a2 = matrix(a, ta ? [k, m] : [m, k]);
    return tb ? dot(g, a2, { transposeA: true, transposeB: ta }) : dot(a2, g, { transposeA: !ta });
  };
  return [requiresGrad(a) ? matrix(gradA(), a.shape) : undefined, requiresGrad(b) ? matrix(gradB(), b.shape) : undefined];
}

/** `x` in `shape` (same size): `x` itself when it already has it, so 2-D operands are not copied. */
function matrix(x: NDArray, shape: readonly number[]): NDArray {
  return shapesEqual(x.shape, shape) ? x : reshapeTo(x, shape);
}

function flag(value: unknown, name: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new GluonError(`dot: expected ${name} to be a boolean, but got ${describeValue(value)}`);
  return value;
}
