/**
 * gluon.contrib.rnn.LSTMPCell against a float64 reference of MXNet's formula (LSTM gates i, f,
 * g, o on the projected state, then r = W_h2r·h), its parameter names and shapes, an unroll, and
 * finite-difference gradients.
 */
import { NDArray, gluon, nd, random } from '../../../src';
import { checkGradient, pseudoRandom } from '../../helpers/gradient_check';

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
const matvec = (w: ArrayLike<number>, b: ArrayLike<number> | undefined, v: number[], rows: number) =>
  Array.from({ length: rows }, (_, r) => v.reduce((s, x, c) => s + w[r * v.length + c] * x, b ? b[r] : 0));

test('LSTMPCell steps as MXNet\'s formula, with MXNet\'s parameters, and differentiates', () => {
  const [H, P, C] = [3, 2, 4];
  random.seed(5);
  const cell = new gluon.contrib.rnn.LSTMPCell(H, P);
  cell.initialize('xavier');
  const x = nd.array(Float32Array.from(pseudoRandom(2 * C, 1)), { shape: [2, C] });
  const [r0, c0] = [nd.array(Float32Array.from(pseudoRandom(2 * P, 2)), { shape: [2, P] }), nd.array(Float32Array.from(pseudoRandom(2 * H, 3)), { shape: [2, H] })];
  const [out, r, c] = cell(x, r0, c0) as NDArray[];
  expect([...cell.collectParams().values()].map((p) => [p.name.replace(/\d+_/, '_'), p.shape])).toEqual([
    ['lstmp_i2h_weight', [4 * H, C]], ['lstmp_h2h_weight', [4 * H, P]], ['lstmp_h2r_weight', [P, H]], ['lstmp_i2h_bias', [4 * H]], ['lstmp_h2h_bias', [4 * H]],
  ]);
  const v = Object.fromEntries([...cell.collectParams().values()].map((p) => [p.name.replace(/^lstmp\d+_/, ''), p.data().toFloat32Array()]));
  for (let n = 0; n < 2; n++) {
    const xi = matvec(v.i2h_weight, v.i2h_bias, (x.toArray() as number[][])[n], 4 * H);
    const hh = matvec(v.h2h_weight, v.h2h_bias, (r0.toArray() as number[][])[n], 4 * H);
    const g = (k: number, j: number) => xi[k * H + j] + hh[k * H + j];
    const nc = Array.from({ length: H }, (_, j) => sigmoid(g(1, j)) * (c0.toArray() as number[][])[n][j] + sigmoid(g(0, j)) * Math.tanh(g(2, j)));
    const h = nc.map((cv, j) => sigmoid(g(3, j)) * Math.tanh(cv));
    const nr = matvec(v.h2r_weight, undefined, h, P);
    (out.toArray() as number[][])[n].forEach((value, j) => expect(value).toBeCloseTo(nr[j], 5));
    (c.toArray() as number[][])[n].forEach((value, j) => expect(value).toBeCloseTo(nc[j], 5));
  }
  expect(r.toArray()).toEqual(out.toArray());
  const [outputs] = cell.unroll(3, nd.ones([2, 3, C])) as [NDArray, NDArray[]];
  expect(outputs.shape).toEqual([2, 3, P]);
  checkGradient((input) => (cell(input, r0, c0) as NDArray[])[0], [x], { atol: 1e-3, rtol: 1e-2 });
  expect(cell.toString()).toBe(`LSTMPCell(${C} -> ${4 * H} -> ${P})`);
});
