import { GluonError, NDArray, autograd, nd } from '../../../src';
import type { BatchNormOpOptions } from '../../../src/ndarray/nn';
import { checkGradient, pseudoRandom } from '../../helpers/gradient_check';
import { expectAllClose, expectMatchesFixture, normFixtures, toChannelsLast } from '../../helpers/norm_fixtures';
import { referenceNorm } from '../../helpers/reference_norm';
import { referenceNormFixed } from '../../helpers/reference_norm_grad';

function data(shape: number[], seed: number, center = 0, spread = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => center + spread * v), { shape });
}

/** Runs nd.BatchNorm and returns its output with the moving statistics it reported (if any). */
function batchNorm(x: NDArray, gamma: NDArray, beta: NDArray, mean: NDArray, variance: NDArray, options: BatchNormOpOptions) {
  let moving: [NDArray, NDArray] | undefined;
  const y = nd.BatchNorm(x, gamma, beta, mean, variance, { ...options, onMovingStats: (m, v) => (moving = [m, v]) });
  return { y, moving };
}

describe('nd.BatchNorm against PyTorch', () => {
  for (const f of normFixtures('batch_norm')) {
    const training = f.params.training === true;
    const mean = nd.array(f.running_mean ?? []), variance = nd.array(f.running_var ?? []);
    const options = { eps: f.params.eps, momentum: f.params.mxnet_momentum, fixGamma: false };
    // expectMatchesFixture records (training mode); the eval case switches to prediction inside.
    const run = (axis: number) => (x: NDArray, gamma: NDArray, beta: NDArray) => {
      const body = () => nd.BatchNorm(x, gamma, beta, mean, variance, { ...options, axis });
      return training ? body() : autograd.predictMode(body);
    };

    it(`${f.name}: output and gradients, channels-first and channels-last`, () => {
      expectMatchesFixture(f, run(1), false);
      expectMatchesFixture(f, run(-1), true);
    });

    if (training) {
      it(`${f.name}: the moving mean matches torch; the moving variance uses the biased batch variance`, () => {
        const { moving } = autograd.trainMode(() => batchNorm(nd.array(f.x, { shape: f.shape }), nd.array(f.gamma), nd.array(f.beta), mean, variance, options));
        const [newMean, newVar] = moving ?? [nd.zeros([0]), nd.zeros([0])];
        expectAllClose(newMean.toFloat32Array(), f.torch_running_mean_after ?? [], 'moving mean');
        // torch: 0.9·rv + 0.1·unbiased; MXNet's CPU operator: 0.9·rv + 0.1·biased, biased = unbiased·(n−1)/n.
        const n = f.x.length / f.shape[1];
        const rv = f.running_var ?? [];
        const expected = (f.torch_running_var_after ?? []).map((t, c) => 0.9 * rv[c] + (t - 0.9 * rv[c]) * ((n - 1) / n));
        expectAllClose(newVar.toFloat32Array(), expected, 'moving variance');
      });
    }
  }
});

describe('nd.BatchNorm: which statistics', () => {
  // Two samples, two channels: channel 0 sees 1 and 3 (mean 2, biased variance 1), channel 1 sees 10 and 30 (20, 100).
  const x = nd.array([[1, 10], [3, 30]]);
  const gamma = nd.array([2, 1]), beta = nd.array([0.5, -1]);
  const movingMean = nd.array([1, 5]), movingVar = nd.array([4, 25]);
  const options = { eps: 0, momentum: 0.75, fixGamma: false };

  it('predicts with the moving statistics and reports no update', () => {
    const { y, moving } = batchNorm(x, gamma, beta, movingMean, movingVar, options);
    // (1 − 1)/2·2 + 0.5, (10 − 5)/5·1 − 1, (3 − 1)/2·2 + 0.5, (30 − 5)/5 − 1
    expect(Array.from(y.toFloat32Array())).toEqual([0.5, 0, 2.5, 4]);
    expect(moving).toBeUndefined();
  });

  it('trains on the batch statistics and reports moving·momentum + batch·(1 − momentum)', () => {
    const { y, moving } = autograd.trainMode(() => batchNorm(x, gamma, beta, movingMean, movingVar, options));
    expect(Array.from(y.toFloat32Array())).toEqual([-1.5, -2, 2.5, 0]);
    expect(Array.from(moving?.[0].toFloat32Array() ?? [])).toEqual([0.75 * 1 + 0.25 * 2, 0.75 * 5 + 0.25 * 20]);
    expect(Array.from(moving?.[1].toFloat32Array() ?? [])).toEqual([0.75 * 4 + 0.25 * 1, 0.75 * 25 + 0.25 * 100]);
    // The inputs are untouched: the caller decides where the new statistics go.
    expect(Array.from(movingMean.toFloat32Array())).toEqual([1, 5]);
  });

  it('autograd.record trains too, unless trainMode is false', () => {
    expect(autograd.record(() => batchNorm(x, gamma, beta, movingMean, movingVar, options)).moving).toBeDefined();
    expect(autograd.record(() => batchNorm(x, gamma, beta, movingMean, movingVar, options), { trainMode: false }).moving).toBeUndefined();
  });

  it('useGlobalStats keeps the moving statistics in training', () => {
    const { y, moving } = autograd.trainMode(() => batchNorm(x, gamma, beta, movingMean, movingVar, { ...options, useGlobalStats: true }));
    expect(Array.from(y.toFloat32Array())).toEqual([0.5, 0, 2.5, 4]);
    expect(moving).toBeUndefined();
  });

  it("fixGamma (the operator's default) treats gamma as 1 and gives it a zero gradient", () => {
    const g = nd.array([2, 1]);
    g.attachGrad();
    const y = autograd.record(() => nd.BatchNorm(x, g, beta, movingMean, movingVar, { eps: 0 }));
    expect(Array.from(y.toFloat32Array())).toEqual([-0.5, -2, 1.5, 0]);
    y.backward(nd.array([[1, 2], [3, 4]]));
    expect(Array.from(g.grad?.toFloat32Array() ?? [])).toEqual([0, 0]);
    expect(Array.from(g.toFloat32Array())).toEqual([2, 1]);
  });

  it('an empty batch gives an empty output and no update', () => {
    const { y, moving } = autograd.trainMode(() => batchNorm(nd.zeros([0, 2]), gamma, beta, movingMean, movingVar, options));
    expect(y.shape).toEqual([0, 2]);
    expect(moving).toBeUndefined();
  });
});

describe('nd.BatchNorm gradients against finite differences of the float64 reference', () => {
  const eps = 1e-3;
  const cases: [string, number[], number][] = [
    ['(N, C, H, W)', [3, 2, 2, 3], 1],
    ['channels-last (N, H, W, C)', [3, 2, 3, 2], -1],
    ['(N, C)', [5, 3], 1],
  ];
  for (const [name, shape, axis] of cases) {
    const a = axis < 0 ? axis + shape.length : axis;
    const c = shape[a];
    const inputs = () => [data(shape, 7, 1, 2), data([c], 8, 1, 0.5), data([c], 9)];
    const movingMean = data([c], 10, 0.5, 0.5), movingVar = data([c], 11, 2, 1);

    it(`${name}, training (batch statistics)`, () => {
      const reference64 = (x: Float64Array, gamma: Float64Array, beta: Float64Array) =>
        referenceNorm(x, { shape, keepAxes: [a], affineAxis: a, eps, gamma, beta }).out;
      checkGradient((x, gamma, beta) => nd.BatchNorm(x, gamma, beta, movingMean, movingVar, { eps, axis, fixGamma: false }), inputs(),
        { reference64, atol: 1e-5, rtol: 1e-4 });
    });

    it(`${name}, prediction (moving statistics are constants)`, () => {
      const reference64 = (x: Float64Array, gamma: Float64Array, beta: Float64Array) =>
        referenceNormFixed(x, { shape, keepAxes: [a], affineAxis: a, eps, gamma, beta }, movingMean.toFloat32Array(), movingVar.toFloat32Array());
      const op = (x: NDArray, gamma: NDArray, beta: NDArray) =>
        autograd.predictMode(() => nd.BatchNorm(x, gamma, beta, movingMean, movingVar, { eps, axis, fixGamma: false }));
      checkGradient(op, inputs(), { reference64, atol: 1e-5, rtol: 1e-4 });
    });
  }
});

describe('nd.BatchNorm errors name the operator, the expectation and the value', () => {
  const x = nd.zeros([2, 3, 4]);
  const ok = [nd.ones([3]), nd.zeros([3]), nd.zeros([3]), nd.ones([3])] as const;
  const call = (options: BatchNormOpOptions, ...args: NDArray[]) => () => nd.BatchNorm(args[0] ?? x, args[1] ?? ok[0], args[2] ?? ok[1], args[3] ?? ok[2], args[4] ?? ok[3], options);

  it('rejects vectors of the wrong shape, naming which', () => {
    expect(call({}, x, nd.ones([4]))).toThrow(GluonError);
    expect(call({}, x, nd.ones([4]))).toThrow('BatchNorm: expected gamma of shape (3,) for data of shape (2, 3, 4), but got shape (4,)');
    expect(call({}, x, ok[0], ok[1], nd.zeros([3, 1]))).toThrow('BatchNorm: expected movingMean of shape (3,) for data of shape (2, 3, 4), but got shape (3, 1)');
    expect(call({}, x, ok[0], ok[1], ok[2], nd.zeros([2]))).toThrow('BatchNorm: expected movingVar of shape (3,) for data of shape (2, 3, 4), but got shape (2,)');
    expect(call({ axis: 2 })).toThrow('BatchNorm: expected gamma of shape (4,) for data of shape (2, 3, 4), but got shape (3,)');
  });

  it('rejects bad options and inputs', () => {
    expect(call({ eps: NaN })).toThrow('BatchNorm: expected a finite eps >= 0, but got NaN');
    expect(call({ momentum: 1.5 })).toThrow('BatchNorm: expected a momentum in [0, 1], but got 1.5');
    expect(call({ momentum: NaN })).toThrow('BatchNorm: expected a momentum in [0, 1], but got NaN');
    expect(call({ fixGamma: 1 as unknown as boolean })).toThrow('BatchNorm: expected fixGamma to be true or false, but got 1');
    expect(call({ useGlobalStats: 'no' as unknown as boolean })).toThrow('BatchNorm: expected useGlobalStats to be true or false, but got no');
    expect(call({ onMovingStats: 3 as unknown as () => void })).toThrow('BatchNorm: expected onMovingStats to be a function, but got number');
    expect(call({ axis: 3 })).toThrow('BatchNorm: expected an axis in [-3, 2] for an input of rank 3, but got 3');
    expect(call({}, nd.zeros([]))).toThrow('BatchNorm: expected an input of rank >= 1, but got an input of shape ()');
    expect(call({}, [1] as unknown as NDArray)).toThrow('BatchNorm: expected an NDArray input, but got object');
  });
});

describe('toChannelsLast (test helper)', () => {
  it('moves axis 1 to the end by index arithmetic', () => {
    expect(toChannelsLast([0, 1, 2, 3, 4, 5], [1, 2, 3])).toEqual({ values: [0, 3, 1, 4, 2, 5], shape: [1, 3, 2] });
  });
});
