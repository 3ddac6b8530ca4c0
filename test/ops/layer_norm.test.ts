import { GluonError, NDArray, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { expectAllClose, expectMatchesFixture, itMatchesReference64, normFixtures } from '../helpers/norm_fixtures';
import { referenceNorm } from '../helpers/reference_norm';

function data(shape: number[], seed: number, center = 0, spread = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => center + spread * v), { shape });
}

describe('nd.LayerNorm against PyTorch (outputs and autograd gradients)', () => {
  for (const f of normFixtures('layer_norm')) {
    it(f.name, () => expectMatchesFixture(f, (x, gamma, beta) => nd.LayerNorm(x, gamma, beta, { eps: f.params.eps })));
  }
});

describe('nd.LayerNorm against the float64 reference', () => {
  const cases: [string, number[], number][] = [
    ['the last axis (default)', [3, 2, 5], -1],
    ['a middle axis', [2, 4, 3], 1],
    ['the first axis', [4, 3], 0],
    ['a 1-D input', [6], 0],
  ];
  for (const [name, shape, axis] of cases) {
    const a = axis < 0 ? axis + shape.length : axis;
    const keepAxes = shape.map((_, i) => i).filter((i) => i !== a);
    const eps = 1e-5;
    const reference64 = (x: Float64Array, gamma: Float64Array, beta: Float64Array) =>
      referenceNorm(x, { shape, keepAxes, affineAxis: a, eps, gamma, beta }).out;
    const inputs = () => [data(shape, 21, 2, 3), data([shape[a]], 22, 1, 0.5), data([shape[a]], 23)];
    const op = (x: NDArray, gamma: NDArray, beta: NDArray) => nd.LayerNorm(x, gamma, beta, axis === -1 ? {} : { axis });

    itMatchesReference64(name, op, inputs, reference64);
  }
});

describe('nd.LayerNorm with outputMeanVar: the mean and the standard deviation, as MXNet', () => {
  const eps = 1e-5;
  it('has statistics of the data\'s shape with the normalized axis of length 1', () => {
    const x = data([2, 3, 4], 24, 1, 2);
    const [y, mean, std] = nd.LayerNorm(x, nd.ones([3]), nd.zeros([3]), { axis: 1, outputMeanVar: true });
    expect([y.shape, mean.shape, std.shape]).toEqual([[2, 3, 4], [2, 1, 4], [2, 1, 4]]);
    const r = referenceNorm(x.toFloat32Array(), { shape: [2, 3, 4], keepAxes: [0, 2], affineAxis: 1, eps, gamma: [1, 1, 1], beta: [0, 0, 0] });
    expectAllClose(mean.toFloat32Array(), r.mean, 'mean', 2 ** -22);
    expectAllClose(std.toFloat32Array(), Array.from(r.variance, (v) => Math.sqrt(v + eps)), 'std', 2 ** -22);
    expect(y.toFloat32Array()).toEqual(nd.LayerNorm(x, nd.ones([3]), nd.zeros([3]), { axis: 1 }).toFloat32Array());
  });

  it('differentiates through all three outputs, against finite differences', () => {
    const shape = [3, 5];
    const [w0, w1, w2] = [data(shape, 25), data([3, 1], 26), data([3, 1], 27)];
    const op = (x: NDArray, g: NDArray, b: NDArray) => {
      const [y, mean, std] = nd.LayerNorm(x, g, b, { outputMeanVar: true });
      return nd.add(nd.add(nd.sum(nd.multiply(y, w0)), nd.sum(nd.multiply(mean, w1))), nd.sum(nd.multiply(std, w2)));
    };
    const reference64 = (x: Float64Array, g: Float64Array, b: Float64Array) => {
      const r = referenceNorm(x, { shape, keepAxes: [0], affineAxis: 1, eps, gamma: g, beta: b });
      const dot = (a: ArrayLike<number>, w: NDArray) => Array.from(a).reduce((s, v, i) => s + v * w.data[i], 0);
      return [dot(r.out, w0) + dot(r.mean, w1) + dot(Array.from(r.variance, (v) => Math.sqrt(v + eps)), w2)];
    };
    checkGradient(op, [data(shape, 28, 1, 2), data([5], 29, 1, 0.5), data([5], 30)], { reference64, atol: 1e-5, rtol: 1e-4 });
  });
});

describe('nd.LayerNorm errors name the operator, the expectation and the value', () => {
  it('rejects bad inputs and options', () => {
    const x = nd.zeros([2, 3]);
    expect(() => nd.LayerNorm(x, nd.ones([2]), nd.zeros([3]))).toThrow(GluonError);
    expect(() => nd.LayerNorm(x, nd.ones([2]), nd.zeros([3]))).toThrow('LayerNorm: expected gamma of shape (3,) for data of shape (2, 3), but got (2,)');
    expect(() => nd.LayerNorm(x, nd.ones([3]), nd.zeros([2]))).toThrow('LayerNorm: expected beta of shape (3,) for data of shape (2, 3), but got (2,)');
    expect(() => nd.LayerNorm(x, nd.ones([2]), nd.zeros([2]), { axis: 0, eps: -1 })).toThrow('LayerNorm: expected eps to be a finite number >= 0, but got -1');
    expect(() => nd.LayerNorm(x, nd.ones([3]), nd.zeros([3]), { axis: 2 })).toThrow('LayerNorm: expected an axis in [-2, 1] for an input of rank 2, but got 2');
    expect(() => nd.LayerNorm(x, nd.ones([3]), nd.zeros([3]), { axis: 0.5 })).toThrow('LayerNorm: expected axis to be an integer, but got the number 0.5');
    expect(() => nd.LayerNorm(x, nd.ones([3]), nd.zeros([3]), { outputMeanVar: 1 as unknown as boolean })).toThrow(
      'LayerNorm: expected outputMeanVar to be true or false, but got the number 1');
    expect(() => nd.LayerNorm(nd.zeros([]), nd.ones([1]), nd.zeros([1]))).toThrow('LayerNorm: expected an input of rank >= 1, but got an input of shape ()');
    expect(() => nd.LayerNorm(x, [1, 1, 1] as unknown as NDArray, nd.zeros([3]))).toThrow('LayerNorm: expected gamma to be an NDArray, but got [1, 1, 1]');
  });
});
