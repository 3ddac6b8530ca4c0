/**
 * nd.sliceAssign / nd.sliceAssignScalar / x.sliceAssign: a new array with the slice replaced
 * (checked element by element against a naive index loop), the input untouched, negative steps
 * and None bounds as nd.slice; gradients by finite differences; sym and hybridized runs; errors.
 */
import { NDArray, nd, nn, sym } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

const x = nd.array(Float32Array.from(pseudoRandom(24, 1)), { shape: [4, 6] });

/** x with rows r0:r1:rs and columns c0:c1:cs replaced by `value(i, j)` (the slice's i-th row, j-th column). */
function naive(src: NDArray, rows: number[], cols: number[], value: (i: number, j: number) => number): number[][] {
  const out = (src.toArray() as number[][]).map((row) => [...row]);
  rows.forEach((r, i) => cols.forEach((c, j) => { out[r][c] = value(i, j); }));
  return out;
}

test('replaces the slice with an array or a number, leaving the input unchanged', () => {
  const before = x.toArray();
  const v = nd.array([[10, 11, 12], [13, 14, 15]]);
  const y = nd.sliceAssign(x, v, { begin: [1, 0], end: [3, null], step: [1, 2] });
  expect(y.toArray()).toEqual(naive(x, [1, 2], [0, 2, 4], (i, j) => [[10, 11, 12], [13, 14, 15]][i][j]));
  expect(x.toArray()).toEqual(before);
  expect(nd.sliceAssignScalar(x, { begin: [null, 5], end: [null, 1], step: [2, -2], scalar: 7 }).toArray())
    .toEqual(naive(x, [0, 2], [5, 3], () => 7));
  expect(x.sliceAssign(0, [-1], [null]).toArray()).toEqual(naive(x, [3], [0, 1, 2, 3, 4, 5], () => 0));
  expect(x.sliceAssign(nd.ones([1, 6]), [2], [3]).toArray()).toEqual(naive(x, [2], [0, 1, 2, 3, 4, 5], () => 1));
});

test('gradients: dy with the slice zeroed for the data, the slice of dy for the value', () => {
  const v = nd.array(Float32Array.from(pseudoRandom(6, 2)), { shape: [2, 3] });
  checkGradient((a, b) => nd.sliceAssign(a, b, { begin: [1, 0], end: [3, null], step: [1, 2] }), [x, v]);
  checkGradient((a) => nd.sliceAssignScalar(a, { begin: [0], end: [2], scalar: 3 }), [x]);
});

test('exists in sym and hybridizes with the same bits', () => {
  class Fill extends nn.HybridBlock {
    override hybridForward(F: nn.HybridF, a: nn.Tensor): nn.Tensor {
      return F.sliceAssignScalar(F.multiply(a, 2), { begin: [null, 1], end: [null, 3], scalar: -1 });
    }
  }
  const block = new Fill();
  const imperative = (block(x) as NDArray).toFloat32Array();
  block.hybridize();
  block(x);
  expect((block(x) as NDArray).toFloat32Array()).toEqual(imperative);
  const node = JSON.parse(sym.sliceAssign(sym.var('a'), sym.var('b'), { begin: [0], end: [1] }).toJson()).nodes[2];
  expect([node.op, node.attrs]).toEqual(['_slice_assign', { begin: '(0,)', end: '(1,)' }]);
});

test('names a value of the wrong shape', () => {
  expect(() => nd.sliceAssign(x, nd.ones([2, 2]), { begin: [1, 0], end: [3, null], step: [1, 2] }))
    .toThrow('_slice_assign: expected rhs of the slice\'s shape (2, 3), but got (2, 2)');
});
