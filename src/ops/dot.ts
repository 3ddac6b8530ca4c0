/**
 * MXNet's `dot` and `batch_dot` on the shared CPU GEMM. Their gradients are the same operators
 * with transpose flags chosen so that no transposed copy is made (MXNet's rules), so they
 * differentiate any number of times.
 */
import { GluonError, formatShape } from '../core/errors';
import { checkShape, shapeSize, shapesEqual } from '../core/shape';
import { gemm } from '../kernels/cpu/gemm';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, choiceAttr, optionalAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import type { Nd } from './nd';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';

/** MXNet's DotParam (dot and batch_dot). `forwardStype` asks for a sparse output: values are the same, stored dense here. */
const DOT_ATTRS = {
  transposeA: boolAttr({ default: false }),
  transposeB: boolAttr({ default: false }),
  forwardStype: optionalAttr(choiceAttr(['default', 'row_sparse', 'csr'] as const), { default: null, ignored: true }),
};
type DotAttrs = AttrValues<typeof DOT_ATTRS>;

/** op(a) (m × k) · op(b) (k × n), `batch` times; a is stored (m, k), or (k, m) when transposed; b (k, n) or (n, k). */
interface ProductPlan {
  readonly batch: number;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly ta: boolean;
  readonly tb: boolean;
}

const flags = (a: DotAttrs): string => `(transposeA=${a.transposeA}, transposeB=${a.transposeB})`;

function contractionError(who: string, ka: number, kb: number, lhs: Shape, rhs: Shape, a: DotAttrs): GluonError {
  return new GluonError(`${who}: expected the contracted dimensions to match, but got ${ka} and ${kb} for shapes ${formatShape(lhs)} and ${formatShape(rhs)} ${flags(a)}`);
}

/** MXNet's DotShape: lhs's last axis (first with transposeA) against rhs's first (last with transposeB). */
function inferDot(who: string, a: DotAttrs, shapes: readonly MaybeShape[]): ShapeInference<ProductPlan> {
  const [lhs, rhs] = shapes;
  if (lhs === undefined || rhs === undefined) return { inputs: shapes, outputs: [undefined] };
  const { transposeA: ta, transposeB: tb } = a;
  if (lhs.length === 0 || rhs.length === 0) {
    throw new GluonError(`${who}: expected operands of rank >= 1, but got shapes ${formatShape(lhs)} and ${formatShape(rhs)}`);
  }
  const vectors = lhs.length === 1 && rhs.length === 1;
  if (vectors && (ta || tb)) {
    throw new GluonError(`${who}: expected transposeA and transposeB to be false for two 1-D operands (vectors cannot be transposed), but got transposeA=${ta}, transposeB=${tb}`);
  }
  const k = ta ? lhs[0] : lhs[lhs.length - 1];
  const kb = tb ? rhs[rhs.length - 1] : rhs[0];
  if (k !== kb) throw contractionError(who, k, kb, lhs, rhs, a);
  const lhsRest = ta ? lhs.slice(1) : lhs.slice(0, -1);
  const rhsRest = tb ? rhs.slice(0, -1) : rhs.slice(1);
  const out = vectors ? [1] : [...lhsRest, ...rhsRest];
  checkShape(out, `${who} output`);
  return { inputs: shapes, outputs: [out], plan: { batch: 1, m: shapeSize(lhsRest), n: shapeSize(rhsRest), k, ta, tb } };
}

/** MXNet's BatchDotShape: (B…, m, k)·(B…, k, n) → (B…, m, n), operands of one rank >= 3. */
function inferBatchDot(who: string, a: DotAttrs, shapes: readonly MaybeShape[]): ShapeInference<ProductPlan> {
  const [lhs, rhs] = shapes;
  if (lhs === undefined || rhs === undefined) return { inputs: shapes, outputs: [undefined] };
  const { transposeA: ta, transposeB: tb } = a;
  const d = lhs.length;
  if (d < 3 || rhs.length !== d) {
    throw new GluonError(`${who}: expected operands of the same rank >= 3, but got shapes ${formatShape(lhs)} and ${formatShape(rhs)}`);
  }
  const batchShape = lhs.slice(0, -2);
  if (!shapesEqual(batchShape, rhs.slice(0, -2))) {
    throw new GluonError(`${who}: expected the same leading batch dimensions, but got shapes ${formatShape(lhs)} and ${formatShape(rhs)}`);
  }
  const [m, k] = ta ? [lhs[d - 1], lhs[d - 2]] : [lhs[d - 2], lhs[d - 1]];
  const [kb, n] = tb ? [rhs[d - 1], rhs[d - 2]] : [rhs[d - 2], rhs[d - 1]];
  if (k !== kb) throw contractionError(who, k, kb, lhs, rhs, a);
  const out = [...batchShape, m, n];
  checkShape(out, `${who} output`);
  return { inputs: shapes, outputs: [out], plan: { batch: shapeSize(batchShape), m, n, k, ta, tb } };
}

/** C_i = op(A_i)·op(B_i) for each of `batch` consecutive matrices. */
function productForward({ batch, m, n, k, ta, tb }: ProductPlan, a: Float32Array, b: Float32Array, c: Float32Array): void {
  // Row strides as stored; gemm wants at least 1 even for an empty matrix.
  const lda = Math.max(1, ta ? m : k);
  const ldb = Math.max(1, tb ? k : n);
  for (let i = 0; i < batch; i++) gemm(ta, tb, m, n, k, 1, a, i * m * k, lda, b, i * k * n, ldb, 0, c, i * m * n, Math.max(1, n));
}

/**
 * The gradients of C = op(A)·op(B) for A and B as stored, each one product of the same kind
 * (MXNet's rules): dA = G·op(B)ᵀ, or op(B)·Gᵀ for a transposed A; dB = op(A)ᵀ·G, or Gᵀ·op(A)
 * for a transposed B.
 */
function productGrads(
  F: Nd, op: Operator, a: NDArray, b: NDArray, g: NDArray, ta: boolean, tb: boolean, needsGrad: readonly boolean[], into: readonly (Float32Array | undefined)[],
): (NDArray | undefined)[] {
  const call = (x: NDArray, y: NDArray, transposeA: boolean, transposeB: boolean, storage: Float32Array | undefined) =>
    runInto(F, op, [x, y], { transposeA, transposeB }, storage);
  return [
    needsGrad[0] ? (ta ? call(b, g, tb, true, into[0]) : call(g, b, false, !tb, into[0])) : undefined,
    needsGrad[1] ? (tb ? call(g, a, true, ta, into[1]) : call(a, g, !ta, false, into[1])) : undefined,
  ];
}

/** `x` in `shape` (same size): `x` itself when it already has it, so 2-D operands are not copied. */
function asShape(F: Nd, x: NDArray, shape: Shape): NDArray {
  return shapesEqual(x.shape, shape) ? x : F.reshape(x, { shape });
}

/** MXNet's `dot` (see DotSignatures). */
export const DOT: Operator = defineOperator({
  name: 'dot',
  aliases: ['_sparse_dot'],
  attrs: DOT_ATTRS,
  inputs: ['lhs', 'rhs'],
  inferShape: (a, shapes, who) => inferDot(who, a, shapes),
  forward: ({ plan, inputs: [a, b], outputs: [c] }) => productForward(plan, a.data, b.data, c.data),
  // The products of the 2-D views; an N-D or 1-D operand is reshaped to its view and its gradient back.
  backward: ({ plan: { m, n, k, ta, tb }, inputs: [a, b], outputGrads: [dy], needsGrad, into }, F) => {
    const a2 = asShape(F, a, ta ? [k, m] : [m, k]);
    const b2 = asShape(F, b, tb ? [n, k] : [k, n]);
    const storage = [a2 === a ? into[0] : undefined, b2 === b ? into[1] : undefined];
    const grads = productGrads(F, DOT, a2, b2, asShape(F, dy, [m, n]), ta, tb, needsGrad, storage);
    return grads.map((g, i) => (g === undefined ? g : asShape(F, g, [a, b][i].shape)));
  },
});

/** MXNet's `batch_dot` (see DotSignatures). */
export const BATCH_DOT: Operator = defineOperator({
  name: 'batch_dot',
  aliases: ['_npx_batch_dot'],
  attrs: DOT_ATTRS,
  inputs: ['lhs', 'rhs'],
  inferShape: (a, shapes, who) => inferBatchDot(who, a, shapes),
  forward: ({ plan, inputs: [a, b], outputs: [c] }) => productForward(plan, a.data, b.data, c.data),
  backward: ({ plan: { ta, tb }, inputs: [a, b], outputGrads: [dy], needsGrad, into }, F) => productGrads(F, BATCH_DOT, a, b, dy, ta, tb, needsGrad, into),
});

/** Options of `dot` and `batchDot`. */
export interface DotOptions extends NameOption {
  /** Use the transpose of lhs: for N-D lhs of shape (k, d1, …) that is (d1·…, k); batchDot: its last two axes. Default false. */
  transposeA?: boolean;
  /** Use the transpose of rhs: for N-D rhs of shape (…, k) that is (k, …); batchDot: its last two axes. Default false. */
  transposeB?: boolean;
  /** MXNet's requested output storage ('default', 'row_sparse', 'csr'): accepted and ignored, the output is dense. Default null. */
  forwardStype?: 'default' | 'row_sparse' | 'csr' | null;
}

/** The matrix products of `nd` and `sym`. */
export interface DotSignatures<T> {
  /**
   * MXNet's `dot`: out[i…, j…] = Σ_p lhs[i…, p] · rhs[p, j…], contracting lhs's last axis with
   * rhs's first. 2-D × 2-D is the matrix product (m, k)·(k, n) → (m, n); 1-D × 1-D the inner
   * product, of shape (1,) (vectors cannot be transposed); a 1-D operand contributes no output
   * axes. `transposeA` contracts lhs's first axis instead, `transposeB` rhs's last. Products
   * accumulate in float64 within GEMM panels. Gradient (differentiable again): with A, B the 2-D
   * views, dA = G·Bᵀ and dB = Aᵀ·G, each one `dot` with transpose flags (no transposed copies).
   *
   * @example
   * nd.dot(nd.array([[1, 2], [3, 4]]), nd.array([[5], [6]])).toArray(); // [[17], [39]]
   * nd.dot(nd.ones([2, 3]), nd.ones([4, 3]), { transposeB: true }).shape;  // [2, 4]
   */
  dot(lhs: T, rhs: T, options?: DotOptions): T;
  /**
   * MXNet's `batch_dot`: out[b…] = op(lhs[b…]) · op(rhs[b…]) over the last two axes, for operands
   * of the same rank >= 3 with the same leading (batch) axes: (B…, m, k)·(B…, k, n) → (B…, m, n).
   * `transposeA`/`transposeB` transpose each matrix. Gradient: `batchDot` with flags, as `dot`.
   *
   * @example
   * nd.batchDot(nd.ones([4, 2, 3]), nd.ones([4, 3, 5])).shape; // [4, 2, 5]
   */
  batchDot(lhs: T, rhs: T, options?: DotOptions): T;
}

export const DOT_FRONTENDS: FrontendTable<DotSignatures<unknown>> = {
  dot: standard(DOT),
  batchDot: standard(BATCH_DOT),
};
