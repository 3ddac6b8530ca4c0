import { GluonError, NDArray, autograd, nd } from '../../src';
import { BATCH_DOT, DOT } from '../../src/ops/dot';
import { checkAgainst } from '../helpers/grad_refs';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import {
  Ref, expectWithinBound, makeRng, naiveDot, naiveTranspose, naiveUnary, productErrorFactor, randomArray, refOf, sizeOf,
} from '../helpers/naive_ops';

const naiveAbs = (x: Ref): Ref => naiveUnary(Math.abs, x);

const rng = makeRng(17);

/** dot(a, b) against the float64 product, within gemm's bound for the contracted length. */
function expectDot(y: NDArray, a: NDArray, b: NDArray, transposeA = false, transposeB = false): void {
  const k = transposeA ? a.shape[0] : a.shape[a.shape.length - 1];
  expectWithinBound(y, naiveDot(refOf(a), refOf(b), transposeA, transposeB),
    naiveDot(naiveAbs(refOf(a)), naiveAbs(refOf(b)), transposeA, transposeB), productErrorFactor(k));
}

/** batch_dot by its definition: naiveDot of each pair of matrices of the leading axes. */
function naiveBatchDot(a: Ref, b: Ref, transposeA = false, transposeB = false): Ref {
  const batch = a.shape.slice(0, -2);
  const matrix = (x: Ref, i: number): Ref => {
    const shape = x.shape.slice(-2);
    return { shape, data: x.data.slice(i * sizeOf(shape), (i + 1) * sizeOf(shape)) };
  };
  const products = Array.from({ length: sizeOf(batch) }, (_, i) =>
    naiveDot(transposeA ? naiveTranspose(matrix(a, i), [1, 0]) : matrix(a, i), transposeB ? naiveTranspose(matrix(b, i), [1, 0]) : matrix(b, i)));
  return { shape: [...batch, ...products[0].shape], data: products.flatMap((p) => p.data) };
}

describe('nd.dot', () => {
  it('multiplies a known pair of matrices, also as a method', () => {
    const a = nd.array([[1, 2], [3, 4]]);
    const b = nd.array([[5, 6], [7, 8]]);
    expect(nd.dot(a, b).toArray()).toEqual([[19, 22], [43, 50]]);
    expect(a.dot(b, { transposeB: true }).toArray()).toEqual([[17, 23], [39, 53]]);
  });

  // [a shape, b shape, transposeA, transposeB, output shape], shapes as stored.
  it.each([
    [[3, 4], [4, 5], false, false, [3, 5]],
    [[4, 3], [4, 5], true, false, [3, 5]],
    [[3, 4], [5, 4], false, true, [3, 5]],
    [[4, 3], [5, 4], true, true, [3, 5]],
    [[7], [7], false, false, [1]],
    [[4], [4, 5], false, false, [5]],
    [[4], [5, 4], false, true, [5]],
    [[4], [4, 5], true, false, [5]],
    [[3, 4], [4], false, false, [3]],
    [[4, 3], [4], true, false, [3]],
    [[2, 3, 4], [4, 5], false, false, [2, 3, 5]],
    [[2, 3, 4], [4, 2, 5], false, false, [2, 3, 2, 5]],
    [[4, 2, 3], [4, 5], true, false, [2, 3, 5]],
    [[2, 3, 4], [5, 2, 4], false, true, [2, 3, 5, 2]],
    [[4, 2, 3], [2, 5, 4], true, true, [2, 3, 2, 5]],
    [[1, 1], [1, 1], false, false, [1, 1]],
    [[0, 4], [4, 3], false, false, [0, 3]],
    [[3, 0], [0, 2], false, false, [3, 2]],
  ])('%j · %j (transposeA=%p, transposeB=%p) → %j', (sa, sb, ta, tb, shape) => {
    const a = randomArray(rng, sa as number[]);
    const b = randomArray(rng, sb as number[]);
    const y = nd.dot(a, b, { transposeA: ta as boolean, transposeB: tb as boolean });
    expect(y.shape).toEqual(shape);
    expectDot(y, a, b, ta as boolean, tb as boolean);
  });

  it('gives zeros when the contracted dimension is 0', () => {
    expect(nd.dot(nd.zeros([2, 0]), nd.zeros([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('keeps a large cancelling sum within the bound, relative to Σ|a·b| (float32 sums, as every BLAS)', () => {
    const a = nd.array([[1e8, 1, -1e8]]), b = nd.array([[1], [1], [1]]);
    expectDot(nd.dot(a, b), a, b);
  });

  it('matches the reference on a larger product', () => {
    const a = randomArray(rng, [33, 70]);
    const b = randomArray(rng, [70, 29]);
    expectDot(nd.dot(a, b), a, b);
    expectDot(nd.dot(b, a, { transposeA: true, transposeB: true }), b, a, true, true);
  });

  it('stays within the bound for a deep contraction', () => {
    const a = randomArray(rng, [3, 1500]);
    const b = randomArray(rng, [1500, 4]);
    expectDot(nd.dot(a, b), a, b);
  });

  it('accepts MXNet\'s forward_stype and ignores it (the output is dense), and has the alias _sparse_dot', () => {
    const a = nd.array([[1, 2]]);
    expect(nd.dot(a, a, { transposeB: true, forwardStype: 'csr' }).toArray()).toEqual([[5]]);
    expect(DOT.aliases).toEqual(['_sparse_dot']);
    expect(DOT.attrSpecs.forwardStype.ignored).toBe(true);
  });

  it('explains every invalid input', () => {
    expect(() => nd.dot(nd.zeros([2, 3]), nd.zeros([4, 5]))).toThrow(new GluonError(
      'dot: expected the contracted dimensions to match, but got 3 and 4 for shapes (2, 3) and (4, 5) (transposeA=false, transposeB=false)',
    ));
    expect(() => nd.dot(nd.zeros([3]), nd.zeros([4]))).toThrow('dot: expected the contracted dimensions to match, but got 3 and 4 for shapes (3,) and (4,)');
    expect(() => nd.dot(nd.zeros([3]), nd.zeros([3]), { transposeA: true })).toThrow(
      'dot: expected transposeA and transposeB to be false for two 1-D operands (vectors cannot be transposed), but got transposeA=true, transposeB=false',
    );
    expect(() => nd.dot(nd.array(1), nd.zeros([3]))).toThrow('dot: expected operands of rank >= 1, but got shapes () and (3,)');
    expect(() => nd.dot(nd.zeros([3]), [1, 2, 3] as unknown as NDArray)).toThrow('dot: expected rhs to be an NDArray, but got [1, 2, 3]');
    expect(() => nd.dot(nd.zeros([3]), nd.zeros([3, 1]), { transposeB: 1 as unknown as boolean })).toThrow('dot: expected transposeB to be true or false, but got the number 1');
    expect(() => nd.dot(nd.zeros([1e5, 1]), nd.zeros([1, 1e5]))).toThrow(
      'dot output: shape (100000, 100000) has 10000000000 elements, more than the limit of 1073741824 per array');
  });
});

describe('nd.dot gradient: dA = G·Bᵀ, dB = Aᵀ·G', () => {
  it.each([
    ['matrix · matrix', [3, 4], [4, 2], false, false],
    ['matrix · matrixᵀ', [3, 4], [2, 4], false, true],
    ['matrixᵀ · matrix', [4, 3], [4, 2], true, false],
    ['matrixᵀ · matrixᵀ', [4, 3], [2, 4], true, true],
    ['vector · vector', [4], [4], false, false],
    ['vector · matrix', [4], [4, 3], false, false],
    ['matrix · vector', [3, 4], [4], false, false],
    ['vectorᵀ · matrix', [4], [4, 3], true, false],
    ['matrix · vectorᵀ', [3, 4], [4], false, true],
    ['3-D · matrix', [2, 3, 4], [4, 2], false, false],
    ['matrix · 3-D', [3, 2], [2, 2, 3], false, false],
    ['3-Dᵀ · 3-D', [2, 3, 2], [2, 2, 3], true, false],
    ['3-D · 3-Dᵀ', [2, 1, 3], [2, 2, 3], false, true],
  ] as [string, number[], number[], boolean, boolean][])('%s', (_, sa, sb, transposeA, transposeB) => {
    const a = randomArray(rng, sa);
    const b = randomArray(rng, sb);
    checkAgainst((x, y) => nd.dot(x, y, { transposeA, transposeB }), [a, b], (x: Ref, y: Ref) => naiveDot(x, y, transposeA, transposeB));
  });

  it('computes the gradient only of an operand that needs one', () => {
    const x = randomArray(rng, [2, 3]);
    const w = randomArray(rng, [3, 4]);
    w.attachGrad();
    const y = autograd.record(() => nd.dot(x, w));
    const grads = y.tapeNode?.backward([nd.ones([2, 4])], []) ?? [];
    expect(grads[0]).toBeUndefined();
    expect(grads[1]?.shape).toEqual([3, 4]);
  });

  it('gives zero gradients for an empty contraction', () => {
    const a = nd.zeros([2, 0]);
    const b = nd.zeros([0, 3]);
    a.attachGrad();
    b.attachGrad();
    autograd.record(() => nd.dot(a, b)).backward();
    expect(a.grad?.shape).toEqual([2, 0]);
    expect(b.grad?.shape).toEqual([0, 3]);
  });

  // g = ∂/∂a Σ r·tanh(op(a)·op(b)), differentiated again with respect to a and b.
  it.each([[false, false], [false, true], [true, false], [true, true]])('differentiates twice (transposeA=%p, transposeB=%p)', (ta, tb) => {
    const [sa, sb] = [ta ? [4, 3] : [3, 4], tb ? [2, 4] : [4, 2]];
    const r = Array.from(pseudoRandom(6, 5));
    const op = (a: NDArray, b: NDArray): NDArray => {
      const head = nd.tanh(nd.dot(a, b, { transposeA: ta, transposeB: tb }));
      return autograd.grad(head, [a], { createGraph: true, headGrads: nd.array(r, { shape: [3, 2] }) })[0];
    };
    const reference64 = (a: Float64Array, b: Float64Array): number[] => {
      const [A, B] = [{ shape: sa, data: Array.from(a) }, { shape: sb, data: Array.from(b) }];
      const [opA, opB] = [ta ? naiveTranspose(A, [1, 0]) : A, tb ? naiveTranspose(B, [1, 0]) : B];
      const out = naiveDot(opA, opB);
      const s = { shape: out.shape, data: out.data.map((v, i) => r[i] * (1 - Math.tanh(v) ** 2)) };
      const dOpA = naiveDot(s, naiveTranspose(opB, [1, 0]));
      return (ta ? naiveTranspose(dOpA, [1, 0]) : dOpA).data;
    };
    checkGradient(op, [randomArray(rng, sa), randomArray(rng, sb)], { reference64 });
  });
});

describe('nd.batchDot', () => {
  it.each([
    [[2, 3, 4], [2, 4, 5], false, false],
    [[2, 4, 3], [2, 4, 5], true, false],
    [[2, 3, 4], [2, 5, 4], false, true],
    [[3, 2, 4, 3], [3, 2, 5, 4], true, true],
    [[2, 0, 4], [2, 4, 3], false, false],
  ])('%j · %j (transposeA=%p, transposeB=%p) matches the reference, gradients too', (sa, sb, ta, tb) => {
    const a = randomArray(rng, sa);
    const b = randomArray(rng, sb);
    const k = ta ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
    expectWithinBound(nd.batchDot(a, b, { transposeA: ta, transposeB: tb }), naiveBatchDot(refOf(a), refOf(b), ta, tb),
      naiveBatchDot(naiveAbs(refOf(a)), naiveAbs(refOf(b)), ta, tb), productErrorFactor(k));
    checkAgainst((x, y) => nd.batchDot(x, y, { transposeA: ta, transposeB: tb }), [a, b], (x: Ref, y: Ref) => naiveBatchDot(x, y, ta, tb));
  });

  it.each([[false, false], [true, true]])('differentiates twice (transposeA=%p, transposeB=%p)', (ta, tb) => {
    const [sa, sb] = [ta ? [2, 3, 2] : [2, 2, 3], tb ? [2, 2, 3] : [2, 3, 2]];
    const r = Array.from(pseudoRandom(8, 9));
    const op = (a: NDArray, b: NDArray): NDArray => {
      const head = nd.tanh(nd.batchDot(a, b, { transposeA: ta, transposeB: tb }));
      return autograd.grad(head, [b], { createGraph: true, headGrads: nd.array(r, { shape: [2, 2, 2] }) })[0];
    };
    // ∂/∂b: per batch item, op(A)ᵀ·s, transposed back when b is.
    const reference64 = (a: Float64Array, b: Float64Array): number[] => {
      const [A, B] = [{ shape: sa, data: Array.from(a) }, { shape: sb, data: Array.from(b) }];
      const out = naiveBatchDot(A, B, ta, tb);
      const s = { shape: out.shape, data: out.data.map((v, i) => r[i] * (1 - Math.tanh(v) ** 2)) };
      return (tb ? naiveBatchDot(s, A, true, ta) : naiveBatchDot(A, s, !ta, false)).data;
    };
    checkGradient(op, [randomArray(rng, sa), randomArray(rng, sb)], { reference64 });
  });

  it('explains every invalid input, and has the alias _npx_batch_dot', () => {
    expect(() => nd.batchDot(nd.zeros([2, 3]), nd.zeros([2, 3, 1]))).toThrow('batch_dot: expected operands of the same rank >= 3, but got shapes (2, 3) and (2, 3, 1)');
    expect(() => nd.batchDot(nd.zeros([2, 3, 4]), nd.zeros([3, 4, 1]))).toThrow(
      'batch_dot: expected the same leading batch dimensions, but got shapes (2, 3, 4) and (3, 4, 1)');
    expect(() => nd.batchDot(nd.zeros([2, 3, 4]), nd.zeros([2, 3, 1]))).toThrow(
      'batch_dot: expected the contracted dimensions to match, but got 4 and 3 for shapes (2, 3, 4) and (2, 3, 1) (transposeA=false, transposeB=false)');
    expect(BATCH_DOT.aliases).toEqual(['_npx_batch_dot']);
  });
});
