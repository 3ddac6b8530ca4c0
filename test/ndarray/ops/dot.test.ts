import { nd, NDArray } from '../../../src';
import { expectClose, makeRng, naiveDot, naiveUnary, randomArray, Ref, refOf } from '../../helpers/naive_ops';

const naiveAbs = (x: Ref): Ref => naiveUnary(Math.abs, x);

const rng = makeRng(17);

describe('dot', () => {
  it('multiplies a known pair of matrices', () => {
    const a = nd.array([[1, 2], [3, 4]]);
    const b = nd.array([[5, 6], [7, 8]]);
    expect(nd.dot(a, b).toArray()).toEqual([[19, 22], [43, 50]]);
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
    expectClose(y, naiveDot(refOf(a), refOf(b), ta as boolean, tb as boolean));
  });

  it('gives zeros when the contracted dimension is 0', () => {
    expect(nd.dot(nd.zeros([2, 0]), nd.zeros([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('accumulates in float64: a large cancelling sum stays exact', () => {
    const a = nd.array([[1e8, 1, -1e8]]);
    const b = nd.array([[1], [1], [1]]);
    expect(nd.dot(a, b).toArray()).toEqual([[1]]);
  });

  it('matches the reference on a larger product', () => {
    const a = randomArray(rng, [33, 70]);
    const b = randomArray(rng, [70, 29]);
    expectClose(nd.dot(a, b), naiveDot(refOf(a), refOf(b)));
    expectClose(nd.dot(b, a, { transposeA: true, transposeB: true }), naiveDot(refOf(b), refOf(a), true, true));
  });

  it('stays within a few float32 ulps of the sum of |products| for a deep contraction', () => {
    const a = randomArray(rng, [3, 1500]);
    const b = randomArray(rng, [1500, 4]);
    const want = naiveDot(refOf(a), refOf(b));
    const scale = naiveDot(naiveAbs(refOf(a)), naiveAbs(refOf(b)));
    const got = nd.dot(a, b);
    expect(got.shape).toEqual(want.shape);
    want.data.forEach((w, i) => expect(Math.abs(got.data[i] - w)).toBeLessThanOrEqual(2 ** -21 * scale.data[i]));
  });

  it('explains every invalid input', () => {
    expect(() => nd.dot(nd.zeros([2, 3]), nd.zeros([4, 5]))).toThrow(
      'dot: expected the contracted dimensions to match, but got 3 and 4 for shapes (2, 3) and (4, 5) (transposeA=false, transposeB=false)',
    );
    expect(() => nd.dot(nd.zeros([3]), nd.zeros([4]))).toThrow('dot: expected the contracted dimensions to match, but got 3 and 4 for shapes (3,) and (4,)');
    expect(() => nd.dot(nd.zeros([3]), nd.zeros([3]), { transposeA: true })).toThrow(
      'dot: expected transposeA and transposeB to be false for two 1-D operands (vectors cannot be transposed), but got transposeA=true, transposeB=false',
    );
    expect(() => nd.dot(nd.array(1), nd.zeros([3]))).toThrow('dot: expected operands of rank >= 1, but got shapes () and (3,)');
    expect(() => nd.dot(nd.zeros([3]), [1, 2, 3] as unknown as NDArray)).toThrow('dot: expected rhs to be an NDArray, but got an array of length 3');
    expect(() => nd.dot(undefined as unknown as NDArray, nd.zeros([3]))).toThrow('dot: expected lhs to be an NDArray, but got undefined');
    expect(() => nd.dot(nd.zeros([3]), nd.zeros([3, 1]), { transposeB: 1 as unknown as boolean })).toThrow('dot: expected transposeB to be a boolean, but got number 1');
  });
});
