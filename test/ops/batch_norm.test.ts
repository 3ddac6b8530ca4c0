import { GluonError, NDArray, autograd, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { expectAllClose, expectMatchesFixture, normFixtures, toChannelsLast } from '../helpers/norm_fixtures';
import { referenceNorm } from '../helpers/reference_norm';
import { referenceNormFixed } from '../helpers/reference_norm_grad';

function data(shape: number[], seed: number, center = 0, spread = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => center + spread * v), { shape });
}

const values = (x: NDArray): number[] => Array.from(x.toFloat32Array());

describe('nd.BatchNorm against PyTorch', () => {
  for (const f of normFixtures('batch_norm')) {
    const training = f.params.training === true;
    // Fresh moving statistics per call: training updates them in place.
    const moving = () => [nd.array(f.running_mean ?? []), nd.array(f.running_var ?? [])] as const;
    const options = { eps: f.params.eps, momentum: f.params.mxnet_momentum, fixGamma: false };
    // expectMatchesFixture records (training mode); the eval case switches to prediction inside.
    const run = (axis: number) => (x: NDArray, gamma: NDArray, beta: NDArray) => {
      const body = () => nd.BatchNorm(x, gamma, beta, ...moving(), { ...options, axis });
      return training ? body() : autograd.predictMode(body);
    };

    it(`${f.name}: output and gradients, channels-first and channels-last`, () => {
      expectMatchesFixture(f, run(1), false);
      expectMatchesFixture(f, run(-1), true);
    });

    if (training) {
      it(`${f.name}: the moving mean matches torch; the moving variance uses the biased batch variance (both axes)`, () => {
        const n = f.x.length / f.shape[1];
        const rv = f.running_var ?? [];
        // torch: 0.9·rv + 0.1·unbiased; MXNet's CPU operator: 0.9·rv + 0.1·biased, biased = unbiased·(n−1)/n.
        const expected = (f.torch_running_var_after ?? []).map((t, c) => 0.9 * rv[c] + (t - 0.9 * rv[c]) * ((n - 1) / n));
        for (const channelsLast of [false, true]) {
          const [mean, variance] = moving();
          const arranged = channelsLast ? toChannelsLast(f.x, f.shape) : { values: f.x, shape: f.shape };
          const x = nd.array(arranged.values, { shape: arranged.shape });
          autograd.trainMode(() => nd.BatchNorm(x, nd.array(f.gamma), nd.array(f.beta), mean, variance, { ...options, axis: channelsLast ? -1 : 1 }));
          expectAllClose(mean.toFloat32Array(), f.torch_running_mean_after ?? [], 'moving mean');
          expectAllClose(variance.toFloat32Array(), expected, 'moving variance');
        }
      });
    }
  }
});

describe('nd.BatchNorm: which statistics, and the in-place update of the moving ones', () => {
  // Two samples, two channels: channel 0 sees 1 and 3 (mean 2, biased variance 1), channel 1 sees 10 and 30 (20, 100).
  const x = nd.array([[1, 10], [3, 30]]);
  const gamma = nd.array([2, 1]), beta = nd.array([0.5, -1]);
  const moving = () => [nd.array([1, 5]), nd.array([4, 25])] as const;
  const options = { eps: 0, momentum: 0.75, fixGamma: false };

  it('predicts with the moving statistics and leaves them as they are', () => {
    const [movingMean, movingVar] = moving();
    const y = nd.BatchNorm(x, gamma, beta, movingMean, movingVar, options);
    // (1 − 1)/2·2 + 0.5, (10 − 5)/5·1 − 1, (3 − 1)/2·2 + 0.5, (30 − 5)/5 − 1
    expect(values(y)).toEqual([0.5, 0, 2.5, 4]);
    expect([values(movingMean), values(movingVar)]).toEqual([[1, 5], [4, 25]]);
  });

  it('trains on the batch statistics and updates the moving arrays themselves: moving·momentum + batch·(1 − momentum)', () => {
    const [movingMean, movingVar] = moving();
    const before = [movingMean.data, movingVar.data];
    const y = autograd.trainMode(() => nd.BatchNorm(x, gamma, beta, movingMean, movingVar, options));
    expect(values(y)).toEqual([-1.5, -2, 2.5, 0]);
    expect(values(movingMean)).toEqual([0.75 * 1 + 0.25 * 2, 0.75 * 5 + 0.25 * 20]);
    expect(values(movingVar)).toEqual([0.75 * 4 + 0.25 * 1, 0.75 * 25 + 0.25 * 100]);
    // The same storage, written in place (MXNet's mutated inputs), not replaced.
    expect(movingMean.data).toBe(before[0]);
    expect(movingVar.data).toBe(before[1]);
    // A second step starts from the updated values.
    autograd.trainMode(() => nd.BatchNorm(x, gamma, beta, movingMean, movingVar, options));
    expect(values(movingMean)).toEqual([0.75 * 1.25 + 0.25 * 2, 0.75 * 8.75 + 0.25 * 20]);
  });

  it('autograd.record trains too, unless trainMode is false', () => {
    const [m1, v1] = moving();
    autograd.record(() => nd.BatchNorm(x, gamma, beta, m1, v1, options));
    expect(values(m1)).toEqual([1.25, 8.75]);
    const [m2, v2] = moving();
    autograd.record(() => nd.BatchNorm(x, gamma, beta, m2, v2, options), { trainMode: false });
    expect(values(m2)).toEqual([1, 5]);
  });

  it('useGlobalStats keeps the moving statistics in training, and leaves them as they are', () => {
    const [movingMean, movingVar] = moving();
    const y = autograd.trainMode(() => nd.BatchNorm(x, gamma, beta, movingMean, movingVar, { ...options, useGlobalStats: true }));
    expect(values(y)).toEqual([0.5, 0, 2.5, 4]);
    expect([values(movingMean), values(movingVar)]).toEqual([[1, 5], [4, 25]]);
  });

  it("fixGamma (the operator's default) treats gamma as 1, never writes it, and gives it a zero gradient", () => {
    const [movingMean, movingVar] = moving();
    const g = nd.array([2, 1]);
    g.attachGrad();
    const y = autograd.record(() => nd.BatchNorm(x, g, beta, movingMean, movingVar, { eps: 0 }));
    expect(values(y)).toEqual([-0.5, -2, 1.5, 0]);
    y.backward(nd.array([[1, 2], [3, 4]]));
    expect(values(g.grad as NDArray)).toEqual([0, 0]);
    expect(values(g)).toEqual([2, 1]);
  });

  it('an empty batch gives an empty output and no update', () => {
    const [movingMean, movingVar] = moving();
    const y = autograd.trainMode(() => nd.BatchNorm(nd.zeros([0, 2]), gamma, beta, movingMean, movingVar, options));
    expect(y.shape).toEqual([0, 2]);
    expect([values(movingMean), values(movingVar)]).toEqual([[1, 5], [4, 25]]);
  });
});

describe('nd.BatchNorm with outputMeanVar: the mean and the inverse standard deviation, as MXNet', () => {
  const x = nd.array([[1, 10], [3, 30]]);
  const gamma = nd.array([2, 1]), beta = nd.array([0.5, -1]);
  const options = { eps: 1e-3, fixGamma: false, outputMeanVar: true } as const;

  it('in training: the batch mean and 1/sqrt(batch variance + eps)', () => {
    const [y, mean, invStd] = autograd.trainMode(() => nd.BatchNorm(x, gamma, beta, nd.array([1, 5]), nd.array([4, 25]), options));
    expect(y.shape).toEqual([2, 2]);
    expect(values(mean)).toEqual([2, 20]);
    expectAllClose(invStd.toFloat32Array(), [1 / Math.sqrt(1 + 1e-3), 1 / Math.sqrt(100 + 1e-3)], 'inverse std', 2 ** -22);
    expect(values(y)).toEqual(values(autograd.trainMode(() => nd.BatchNorm(x, gamma, beta, nd.array([1, 5]), nd.array([4, 25]), { ...options, outputMeanVar: false }))));
  });

  it('in prediction: the moving mean and 1/sqrt(moving variance + eps)', () => {
    const [, mean, invStd] = nd.BatchNorm(x, gamma, beta, nd.array([1, 5]), nd.array([4, 25]), options);
    expect(values(mean)).toEqual([1, 5]);
    expectAllClose(invStd.toFloat32Array(), [1 / Math.sqrt(4 + 1e-3), 1 / Math.sqrt(25 + 1e-3)], 'inverse std', 2 ** -22);
  });

  it('differentiates through all three outputs (training), against finite differences', () => {
    const shape = [4, 3, 2], eps = 1e-3;
    const [w0, w1, w2] = [data(shape, 41), data([3], 42), data([3], 43)];
    const op = (xv: NDArray, g: NDArray, b: NDArray) => {
      const [y, mean, invStd] = nd.BatchNorm(xv, g, b, nd.zeros([3]), nd.ones([3]), { ...options, eps });
      return nd.add(nd.add(nd.sum(nd.multiply(y, w0)), nd.sum(nd.multiply(mean, w1))), nd.sum(nd.multiply(invStd, w2)));
    };
    const reference64 = (xv: Float64Array, g: Float64Array, b: Float64Array) => {
      const r = referenceNorm(xv, { shape, keepAxes: [1], affineAxis: 1, eps, gamma: g, beta: b });
      const dot = (a: ArrayLike<number>, w: NDArray) => Array.from(a).reduce((s, v, i) => s + v * w.data[i], 0);
      return [dot(r.out, w0) + dot(r.mean, w1) + dot(Array.from(r.variance, (v) => 1 / Math.sqrt(v + eps)), w2)];
    };
    checkGradient(op, [data(shape, 44, 1, 2), data([3], 45, 1, 0.5), data([3], 46)], { reference64, atol: 1e-5, rtol: 1e-4 });
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
    const moving = () => [data([c], 10, 0.5, 0.5), data([c], 11, 2, 1)] as const;

    it(`${name}, training (batch statistics)`, () => {
      const reference64 = (x: Float64Array, gamma: Float64Array, beta: Float64Array) =>
        referenceNorm(x, { shape, keepAxes: [a], affineAxis: a, eps, gamma, beta }).out;
      checkGradient((x, gamma, beta) => nd.BatchNorm(x, gamma, beta, ...moving(), { eps, axis, fixGamma: false }), inputs(),
        { reference64, atol: 1e-5, rtol: 1e-4 });
    });

    it(`${name}, prediction (moving statistics are constants)`, () => {
      const [movingMean, movingVar] = moving();
      const reference64 = (x: Float64Array, gamma: Float64Array, beta: Float64Array) =>
        referenceNormFixed(x, { shape, keepAxes: [a], affineAxis: a, eps, gamma, beta }, movingMean.toFloat32Array(), movingVar.toFloat32Array());
      const op = (x: NDArray, gamma: NDArray, beta: NDArray) =>
        autograd.predictMode(() => nd.BatchNorm(x, gamma, beta, movingMean, movingVar, { eps, axis, fixGamma: false }));
      checkGradient(op, inputs(), { reference64, atol: 1e-5, rtol: 1e-4 });
    });
  }

  it('the backward of a prediction reads the moving statistics of its forward, not later updates', () => {
    const shape = [4, 2], [movingMean, movingVar] = [nd.array([0.5, -1]), nd.array([2, 3])];
    const x = data(shape, 12), gamma = nd.array([1.5, 0.5]), dy = data(shape, 13);
    x.attachGrad();
    const y = autograd.record(() => nd.BatchNorm(x, gamma, nd.zeros([2]), movingMean, movingVar, { eps, fixGamma: false }), { trainMode: false });
    autograd.trainMode(() => nd.BatchNorm(data(shape, 14), gamma, nd.zeros([2]), movingMean, movingVar, { momentum: 0 }));
    y.backward(dy);
    const expected = values(dy).map((d, i) => d * gamma.data[i % 2] / Math.sqrt([2, 3][i % 2] + eps));
    expectAllClose(x.grad?.toFloat32Array() ?? [], expected, 'dx', 2e-6);
  });
});

describe('nd.BatchNorm errors name the operator, the expectation and the value', () => {
  const x = nd.zeros([2, 3, 4]);
  const ok = [nd.ones([3]), nd.zeros([3]), nd.zeros([3]), nd.ones([3])] as const;
  const call = (options: nd.BatchNormOptions, ...args: NDArray[]) => () => nd.BatchNorm(args[0] ?? x, args[1] ?? ok[0], args[2] ?? ok[1], args[3] ?? ok[2], args[4] ?? ok[3], options);

  it('rejects vectors of the wrong shape, naming which', () => {
    expect(call({}, x, nd.ones([4]))).toThrow(GluonError);
    expect(call({}, x, nd.ones([4]))).toThrow('BatchNorm: expected gamma of shape (3,) for data of shape (2, 3, 4), but got (4,)');
    expect(call({}, x, ok[0], nd.ones([4]))).toThrow('BatchNorm: expected beta of shape (3,) for data of shape (2, 3, 4), but got (4,)');
    expect(call({}, x, ok[0], ok[1], nd.zeros([3, 1]))).toThrow('BatchNorm: expected moving_mean of shape (3,) for data of shape (2, 3, 4), but got (3, 1)');
    expect(call({}, x, ok[0], ok[1], ok[2], nd.zeros([2]))).toThrow('BatchNorm: expected moving_var of shape (3,) for data of shape (2, 3, 4), but got (2,)');
    expect(call({ axis: 2 })).toThrow('BatchNorm: expected gamma of shape (4,) for data of shape (2, 3, 4), but got (3,)');
  });

  it('rejects bad options and inputs', () => {
    expect(call({ eps: NaN })).toThrow('BatchNorm: expected eps to be a finite number, but got the number NaN');
    expect(call({ eps: -1e-3 })).toThrow('BatchNorm: expected eps to be a finite number >= 0, but got -0.001');
    expect(call({ momentum: Infinity })).toThrow('BatchNorm: expected momentum to be a finite number, but got the number Infinity');
    expect(call({ fixGamma: 1 as unknown as boolean })).toThrow('BatchNorm: expected fixGamma to be true or false, but got the number 1');
    expect(call({ useGlobalStats: 'no' as unknown as boolean })).toThrow('BatchNorm: expected useGlobalStats to be true or false, but got the string \'no\'');
    expect(call({ minCalibRange: 'a' as unknown as number })).toThrow('BatchNorm: expected minCalibRange to be None or a finite number, but got the string \'a\'');
    expect(call({ onMovingStats: () => undefined } as never)).toThrow(
      "BatchNorm: expected options among eps, momentum, fixGamma, useGlobalStats, outputMeanVar, axis, cudnnOff, minCalibRange, maxCalibRange, but got unknown option 'onMovingStats'",
    );
    expect(call({ axis: 3 })).toThrow('BatchNorm: expected an axis in [-3, 2] for an input of rank 3, but got 3');
    expect(call({}, nd.zeros([]))).toThrow('BatchNorm: expected an input of rank >= 1, but got an input of shape ()');
    expect(call({}, [1] as unknown as NDArray)).toThrow('BatchNorm: expected data to be an NDArray, but got [1]');
    const untyped = nd.BatchNorm as (...args: unknown[]) => NDArray;
    expect(() => untyped(x, ok[0], ok[1], ok[2])).toThrow('BatchNorm: expected moving_var to be an NDArray, but got none');
  });

  it('accepts, and ignores, the GPU and quantization attributes', () => {
    const plain = nd.BatchNorm(data([2, 3, 4], 15), ...ok, { fixGamma: false });
    const tagged = nd.BatchNorm(data([2, 3, 4], 15), ...ok, { fixGamma: false, cudnnOff: true, minCalibRange: -1, maxCalibRange: 1 });
    expect(values(tagged)).toEqual(values(plain));
  });
});

describe('toChannelsLast (test helper)', () => {
  it('moves axis 1 to the end by index arithmetic', () => {
    expect(toChannelsLast([0, 1, 2, 3, 4, 5], [1, 2, 3])).toEqual({ values: [0, 3, 1, 4, 2, 5], shape: [1, 3, 2] });
  });
});
