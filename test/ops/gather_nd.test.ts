/**
 * gather_nd / scatter_nd against MXNet's documented examples and a naive index loop; gradients
 * (gather: scatter-add with repeated indices summed; scatter: gather) by finite differences;
 * negative and out-of-range indices; sym.
 */
import { nd, sym } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

test("MXNet's documented examples", () => {
  // gather_nd: data = [[0, 1], [2, 3]], indices = [[1, 1, 0], [0, 1, 0]] → [2, 3, 0]
  expect(nd.gatherNd(nd.array([[0, 1], [2, 3]]), nd.array([[1, 1, 0], [0, 1, 0]])).toArray()).toEqual([2, 3, 0]);
  // data = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], indices = [[0, 1], [1, 0]] → [[3, 4], [5, 6]]
  expect(nd.gatherNd(nd.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]), nd.array([[0, 1], [1, 0]])).toArray()).toEqual([[3, 4], [5, 6]]);
  // scatter_nd: data = [2, 3, 0], indices = [[1, 1, 0], [0, 1, 0]], shape = (2, 2) → [[0, 0], [2, 3]]
  expect(nd.scatterNd(nd.array([2, 3, 0]), nd.array([[1, 1, 0], [0, 1, 0]]), { shape: [2, 2] }).toArray()).toEqual([[0, 0], [2, 3]]);
  // data = [[[1, 2], [3, 4]], [[5, 6], [7, 8]]], indices = [[0, 1], [1, 1]], shape = (2, 2, 2, 2)
  const scattered = nd.scatterNd(nd.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]), nd.array([[0, 1], [1, 1]]), { shape: [2, 2, 2, 2] }).toArray();
  expect(scattered).toEqual([[[[0, 0], [0, 0]], [[1, 2], [3, 4]]], [[[0, 0], [0, 0]], [[5, 6], [7, 8]]]]);
});

test('negative indices count from the end; out-of-range and fractional ones are named', () => {
  const data = nd.array([[0, 1], [2, 3]]);
  expect(nd.gatherNd(data, nd.array([[-1], [-2]])).toArray()).toEqual([2]);
  expect(() => nd.gatherNd(data, nd.array([[2], [0]]))).toThrow('gather_nd: expected indices on axis 0 to be integers in [-2, 2), but position 0 has 2');
  expect(() => nd.gatherNd(data, nd.array([[0.5], [0]]))).toThrow('gather_nd: expected indices on axis 0 to be integers in [-2, 2), but position 0 has 0.5');
  expect(() => nd.gatherNd(data, nd.zeros([3, 1]))).toThrow('gather_nd: expected indices of shape (M, …) with 1 ≤ M ≤ 2 (the addressed array\'s rank), but got (3, 1)');
  expect(() => nd.scatterNd(nd.ones([2]), nd.zeros([1, 3]), { shape: [4] })).toThrow('scatter_nd: expected data of shape (3,) (indices (1, 3) into (4,)), but got (2,)');
});

test('gradients: gather sums repeated picks; scatter gathers', () => {
  const data = nd.array(Float32Array.from(pseudoRandom(12, 2)), { shape: [3, 4] });
  const indices = nd.array([[0, 2, 0], [1, 3, 1]]); // (0, 1) picked twice
  checkGradient((d) => nd.gatherNd(d, indices), [data], { check: [0] });
  const values = nd.array(Float32Array.from(pseudoRandom(2, 3)));
  checkGradient((v) => nd.scatterNd(v, nd.array([[0, 2], [1, 3]]), { shape: [3, 4] }), [values], { check: [0] });
  const node = JSON.parse(sym.scatterNd(sym.var('d'), sym.var('i'), { shape: [3, 4] }).toJson()).nodes[2];
  expect([node.op, node.attrs]).toEqual(['scatter_nd', { shape: '(3, 4)' }]);
});
