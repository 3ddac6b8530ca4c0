/**
 * SDMLLoss against a float64 reference written from MXNet 1.9's gluon/loss.py (the N × N
 * smoothed label matrix, KLDivLoss's mean over the row, times N), gradients by finite
 * differences on it, the hybridized graph at another batch size, and its errors.
 */
import { NDArray, gluon, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

const { SDMLLoss } = gluon.loss;

/** MXNet's formula with explicit loops: KL(y_i ‖ softmax(−d_i)) · N / N per row. */
function sdml64(x1: ArrayLike<number>, x2: ArrayLike<number>, n: number, dim: number, s = 0.3): number[] {
  return Array.from({ length: n }, (_, i) => {
    const d = Array.from({ length: n }, (_, j) => {
      let total = 0;
      for (let k = 0; k < dim; k++) total += (x1[i * dim + k] - x2[j * dim + k]) ** 2;
      return -total;
    });
    const max = Math.max(...d);
    const logSum = max + Math.log(d.reduce((acc, v) => acc + Math.exp(v - max), 0));
    let kl = 0;
    for (let j = 0; j < n; j++) {
      const y = i === j ? 1 - s : s / (n - 1);
      kl += y * (Math.log(y + 1e-12) - (d[j] - logSum));
    }
    return (kl / n) * n;
  });
}

function expectClose(actual: NDArray, expected: number[]): void {
  expect(actual.shape).toEqual([expected.length]);
  actual.toFloat32Array().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[i]))));
}

const [N, D] = [4, 3];
const x1 = nd.array(Float32Array.from(pseudoRandom(N * D, 1)), { shape: [N, D] });
const x2 = nd.array(Float32Array.from(pseudoRandom(N * D, 2)), { shape: [N, D] });

test('SDMLLoss is the smoothed KL of each row of softmax(−distances), as MXNet computes it', () => {
  const [a, b] = [x1.toFloat32Array(), x2.toFloat32Array()];
  expectClose(new SDMLLoss()(x1, x2), sdml64(a, b, N, D));
  expectClose(new SDMLLoss({ smoothingParameter: 0 })(x1, x2), sdml64(a, b, N, D, 0));
  expectClose(new SDMLLoss({ smoothingParameter: 0.5, weight: 2 })(x1, x2), sdml64(a, b, N, D, 0.5).map((v) => 2 * v));
});

test('SDMLLoss gradients match finite differences of the reference', () => {
  checkGradient((a, b) => new SDMLLoss()(a, b), [x1, x2], { reference64: (a, b) => sdml64(a, b, N, D) });
});

test('hybridized SDMLLoss takes any batch size (N is read from the graph)', () => {
  const loss = new SDMLLoss();
  loss.hybridize();
  expectClose(loss(x1, x2), sdml64(x1.toFloat32Array(), x2.toFloat32Array(), N, D));
  const [y1, y2] = [nd.array(Float32Array.from(pseudoRandom(6 * D, 3)), { shape: [6, D] }), nd.array(Float32Array.from(pseudoRandom(6 * D, 4)), { shape: [6, D] })];
  expectClose(loss(y1, y2), sdml64(y1.toFloat32Array(), y2.toFloat32Array(), 6, D));
});

test('SDMLLoss errors name the loss, what it expected and what it got', () => {
  const loss = new SDMLLoss();
  expect(() => loss(x1)).toThrow('SDMLLoss: expected inputs (x1, x2), but got 1 inputs');
  expect(() => loss(x1, 3 as never)).toThrow('SDMLLoss: expected x2 to be an NDArray, but got');
  expect(() => loss(nd.ones([1, 3]), nd.ones([1, 3]))).toThrow('SDMLLoss: expected x1 of shape (N, D) with N ≥ 2, but got shape (1, 3)');
  expect(() => loss(x1, nd.ones([4, 2]))).toThrow("SDMLLoss: expected x2 of x1's shape (4, 3), but got shape (4, 2)");
  expect(() => new SDMLLoss({ smoothingParameter: 1 })).toThrow('SDMLLoss: expected smoothingParameter');
});
