/**
 * nd.diag against MXNet's documented examples and naive index loops (every k, 3-D planes on
 * chosen axes), gradients both ways by finite differences, and errors.
 */
import { nd, nn, NDArray } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

test("MXNet's examples: a vector to a matrix, a matrix to its diagonals", () => {
  expect(nd.diag(nd.array([1, 2])).toArray()).toEqual([[1, 0], [0, 2]]);
  expect(nd.diag(nd.array([1, 2]), { k: 1 }).toArray()).toEqual([[0, 1, 0], [0, 0, 2], [0, 0, 0]]);
  expect(nd.diag(nd.array([1, 2]), { k: -1 }).toArray()).toEqual([[0, 0, 0], [1, 0, 0], [0, 2, 0]]);
  const m = nd.array([[1, 2, 3], [4, 5, 6]]);
  expect([0, 1, 2, 3, -1, -2].map((k) => nd.diag(m, { k }).toArray())).toEqual([[1, 5], [2, 6], [3], [], [4], []]);
});

test('the diagonals of 3-D planes on any two axes, as a naive loop', () => {
  const x = nd.array(Float32Array.from(pseudoRandom(24, 1)), { shape: [2, 3, 4] });
  const v = x.toArray() as number[][][];
  const d = nd.diag(x, { axis1: 1, axis2: 2, k: 1 });
  expect(d.shape).toEqual([2, 3]);
  expect(d.toArray()).toEqual([0, 1].map((a) => [0, 1, 2].map((i) => v[a][i][i + 1])));
  const e = nd.diag(x, { axis1: 2, axis2: 0, k: -1 });
  expect(e.toArray()).toEqual([0, 1, 2].map((b) => [0, 1].map((i) => v[i][b][i + 1]))); // axis1 = 2 (rows i + 1), axis2 = 0 (columns i)
});

test('gradients both ways, hybridized bits, and errors', () => {
  checkGradient((a) => nd.diag(a, { k: -1 }), [nd.array(Float32Array.from(pseudoRandom(3, 2)))]);
  checkGradient((a) => nd.diag(a, { axis1: 0, axis2: 2, k: 1 }), [nd.array(Float32Array.from(pseudoRandom(24, 3)), { shape: [3, 2, 4] })]);
  class Build extends nn.HybridBlock {
    override hybridForward(F: nn.HybridF, a: nn.Tensor): nn.Tensor { return F.diag(F.multiply(a, 3), { k: 1 }); }
  }
  const block = new Build();
  const a = nd.array([1, 2, 3]);
  const imperative = (block(a) as NDArray).toFloat32Array();
  block.hybridize();
  block(a);
  expect((block(a) as NDArray).toFloat32Array()).toEqual(imperative);
  expect(() => nd.diag(nd.zeros([2, 2]), { axis1: 1, axis2: -1 })).toThrow('diag: expected two different axes, but got axis1 = axis2 = 1 for data of shape (2, 2)');
  expect(() => nd.diag(nd.array(5))).toThrow('diag: expected data of rank ≥ 1, but got a 0-d array');
});
