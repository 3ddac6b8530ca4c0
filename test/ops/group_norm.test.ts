import { GluonError, NDArray, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { expectAllClose, expectMatchesFixture, itMatchesReference64, normFixtures, perGroup } from '../helpers/norm_fixtures';
import { referenceNorm } from '../helpers/reference_norm';

function data(shape: number[], seed: number, center = 0, spread = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => center + spread * v), { shape });
}

describe('nd.GroupNorm against PyTorch (outputs and autograd gradients)', () => {
  for (const f of normFixtures('group_norm')) {
    it(f.name, () => {
      expectMatchesFixture(perGroup(f), (x, gamma, beta) => nd.GroupNorm(x, gamma, beta, { numGroups: f.params.num_groups, eps: f.params.eps }));
    });
  }
});

describe('nd.GroupNorm against the float64 reference', () => {
  const cases: [number[], number][] = [
    [[2, 6, 5], 3],
    [[3, 4, 2, 3], 4],
    [[2, 4, 3], 1],
  ];
  for (const [shape, numGroups] of cases) {
    // The reference sees (N, C, S…) as (N, G, C/G, S…): groups are (sample, group), affine by group.
    const refShape = [shape[0], numGroups, shape[1] / numGroups, ...shape.slice(2)];
    const eps = 1e-5;
    const reference64 = (x: Float64Array, gamma: Float64Array, beta: Float64Array) =>
      referenceNorm(x, { shape: refShape, keepAxes: [0, 1], affineAxis: 1, eps, gamma, beta }).out;
    const inputs = () => [data(shape, 31, -1, 2), data([numGroups], 32, 1, 0.5), data([numGroups], 33)];
    const op = (x: NDArray, gamma: NDArray, beta: NDArray) => nd.GroupNorm(x, gamma, beta, { numGroups });
    const name = `(${shape.join(', ')}) in ${numGroups} groups`;

    itMatchesReference64(name, op, inputs, reference64);
  }

  it('with numGroups = C and gamma/beta per channel, equals InstanceNorm', () => {
    const x = data([2, 3, 4], 34, 1, 2), gamma = data([3], 35, 1, 0.5), beta = data([3], 36);
    expect(nd.GroupNorm(x, gamma, beta, { numGroups: 3, eps: 1e-5 }).toFloat32Array()).toEqual(nd.InstanceNorm(x, gamma, beta, { eps: 1e-5 }).toFloat32Array());
  });
});

describe('nd.GroupNorm with outputMeanVar: the mean and the standard deviation, as MXNet', () => {
  const eps = 1e-5;
  it('has statistics of shape (N, numGroups)', () => {
    const x = data([2, 6, 3], 37, 1, 2);
    const [y, mean, std] = nd.GroupNorm(x, nd.ones([3]), nd.zeros([3]), { numGroups: 3, outputMeanVar: true });
    expect([y.shape, mean.shape, std.shape]).toEqual([[2, 6, 3], [2, 3], [2, 3]]);
    const r = referenceNorm(x.toFloat32Array(), { shape: [2, 3, 2, 3], keepAxes: [0, 1], affineAxis: 1, eps, gamma: [1, 1, 1], beta: [0, 0, 0] });
    expectAllClose(mean.toFloat32Array(), r.mean, 'mean', 2 ** -22);
    expectAllClose(std.toFloat32Array(), Array.from(r.variance, (v) => Math.sqrt(v + eps)), 'std', 2 ** -22);
  });

  it('differentiates through all three outputs, against finite differences', () => {
    const shape = [2, 4, 3], refShape = [2, 2, 2, 3];
    const [w0, w1, w2] = [data(shape, 38), data([2, 2], 39), data([2, 2], 40)];
    const op = (x: NDArray, g: NDArray, b: NDArray) => {
      const [y, mean, std] = nd.GroupNorm(x, g, b, { numGroups: 2, outputMeanVar: true });
      return nd.add(nd.add(nd.sum(nd.multiply(y, w0)), nd.sum(nd.multiply(mean, w1))), nd.sum(nd.multiply(std, w2)));
    };
    const reference64 = (x: Float64Array, g: Float64Array, b: Float64Array) => {
      const r = referenceNorm(x, { shape: refShape, keepAxes: [0, 1], affineAxis: 1, eps, gamma: g, beta: b });
      const dot = (a: ArrayLike<number>, w: NDArray) => Array.from(a).reduce((s, v, i) => s + v * w.data[i], 0);
      return [dot(r.out, w0) + dot(r.mean, w1) + dot(Array.from(r.variance, (v) => Math.sqrt(v + eps)), w2)];
    };
    checkGradient(op, [data(shape, 41, -1, 2), data([2], 42, 1, 0.5), data([2], 43)], { reference64, atol: 1e-5, rtol: 1e-4 });
  });
});

describe('nd.GroupNorm errors name the operator, the expectation and the value', () => {
  it('rejects bad inputs and options', () => {
    const x = nd.zeros([2, 6, 4]);
    const ones = (n: number) => nd.ones([n]);
    expect(() => nd.GroupNorm(x, ones(4), ones(4), { numGroups: 4 })).toThrow(GluonError);
    expect(() => nd.GroupNorm(x, ones(4), ones(4), { numGroups: 4 })).toThrow(
      'GroupNorm: expected a channel count divisible by numGroups 4, but got 6 channels (axis 1) in an input of shape (2, 6, 4)',
    );
    expect(() => nd.GroupNorm(x, ones(1), ones(1), { numGroups: 0 })).toThrow('GroupNorm: expected numGroups to be an integer >= 1, but got the number 0');
    expect(() => nd.GroupNorm(x, ones(6), ones(3), { numGroups: 3 })).toThrow('GroupNorm: expected gamma of shape (3,) for data of shape (2, 6, 4), but got (6,)');
    expect(() => nd.GroupNorm(x, ones(3), ones(6), { numGroups: 3 })).toThrow('GroupNorm: expected beta of shape (3,) for data of shape (2, 6, 4), but got (6,)');
    expect(() => nd.GroupNorm(x, ones(1), ones(1), { eps: Infinity })).toThrow('GroupNorm: expected eps to be a finite number, but got the number Infinity');
    expect(() => nd.GroupNorm(x, ones(1), ones(1), { eps: -2 })).toThrow('GroupNorm: expected eps to be a finite number >= 0, but got -2');
    expect(() => nd.GroupNorm(nd.zeros([2, 6]), ones(1), ones(1))).toThrow('GroupNorm: expected an input of rank >= 3, but got an input of shape (2, 6)');
    expect(() => nd.GroupNorm(x, ones(1), 'beta' as unknown as NDArray)).toThrow('GroupNorm: expected beta to be an NDArray, but got the string \'beta\'');
  });
});
