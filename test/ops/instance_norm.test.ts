import { GluonError, NDArray, autograd, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { expectMatchesFixture, normFixtures } from '../helpers/norm_fixtures';
import { referenceNorm } from '../helpers/reference_norm';

/** A deterministic array of `shape` with values in [center − spread, center + spread). */
function data(shape: number[], seed: number, center = 0, spread = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => center + spread * v), { shape });
}

describe('nd.InstanceNorm against PyTorch (outputs and autograd gradients)', () => {
  for (const f of normFixtures('instance_norm')) {
    it(`${f.name}, channels-first and channels-last`, () => {
      expectMatchesFixture(f, (x, gamma, beta) => nd.InstanceNorm(x, gamma, beta, { eps: f.params.eps }), false);
      expectMatchesFixture(f, (x, gamma, beta) => nd.InstanceNorm(x, gamma, beta, { eps: f.params.eps, axis: -1 }), true);
    });
  }
});

describe('nd.InstanceNorm gradients against finite differences of the float64 reference', () => {
  const cases: [string, number[], number][] = [
    ['NCHW', [2, 3, 4, 2], 1],
    ['channels-last', [2, 4, 2, 3], -1],
    ['a middle axis', [2, 3, 2, 4], 2],
  ];
  for (const [name, shape, axis] of cases) {
    it(name, () => {
      const a = axis < 0 ? axis + shape.length : axis;
      const eps = 1e-3;
      const reference64 = (x: Float64Array, gamma: Float64Array, beta: Float64Array) =>
        referenceNorm(x, { shape, keepAxes: [0, a], affineAxis: a, eps, gamma, beta }).out;
      checkGradient((x, gamma, beta) => nd.InstanceNorm(x, gamma, beta, { eps, axis }),
        [data(shape, 1, 1, 2), data([shape[a]], 2, 1, 0.5), data([shape[a]], 3)], { reference64, atol: 1e-5, rtol: 1e-4 });
    });
  }
});

describe('nd.InstanceNorm on the tape', () => {
  it('records only inside autograd.record, for inputs that need gradients, and does not mutate them', () => {
    const x = data([2, 2, 3], 4), gamma = nd.ones([2]), beta = nd.zeros([2]);
    const before = x.toFloat32Array();
    expect(nd.InstanceNorm(x, gamma, beta).tapeNode).toBeUndefined();
    expect(autograd.record(() => nd.InstanceNorm(x, gamma, beta)).tapeNode).toBeUndefined();
    gamma.attachGrad();
    expect(autograd.record(() => nd.InstanceNorm(x, gamma, beta)).tapeNode?.op).toBe('InstanceNorm');
    expect(x.toFloat32Array()).toEqual(before);
  });

  it('gives gradients only to the inputs that asked for them', () => {
    const x = data([1, 2, 4], 5), gamma = data([2], 6, 1, 0.5), beta = nd.zeros([2]);
    beta.attachGrad();
    autograd.record(() => nd.InstanceNorm(x, gamma, beta)).backward();
    // d(Σ out)/dbeta = the number of elements per channel.
    expect(Array.from(beta.grad?.toFloat32Array() ?? [])).toEqual([4, 4]);
    expect(x.grad).toBeUndefined();
  });
});

describe('nd.InstanceNorm errors name the operator, the expectation and the value', () => {
  const x = nd.zeros([2, 3, 4]);
  it('rejects gamma/beta of the wrong shape, a missing or non-array input, and a bad eps', () => {
    expect(() => nd.InstanceNorm(x, nd.ones([2]), nd.zeros([3]))).toThrow(GluonError);
    expect(() => nd.InstanceNorm(x, nd.ones([2]), nd.zeros([3]))).toThrow('InstanceNorm: expected gamma of shape (3,) for data of shape (2, 3, 4), but got (2,)');
    expect(() => nd.InstanceNorm(x, nd.ones([3]), nd.zeros([1, 3]))).toThrow('InstanceNorm: expected beta of shape (3,) for data of shape (2, 3, 4), but got (1, 3)');
    expect(() => nd.InstanceNorm(x, nd.ones([3]), nd.zeros([3]), { eps: -1 })).toThrow('InstanceNorm: expected eps to be a finite number >= 0, but got -1');
    expect(() => nd.InstanceNorm(x, nd.ones([3]), nd.zeros([3]), { eps: NaN })).toThrow('InstanceNorm: expected eps to be a finite number, but got the number NaN');
    expect(() => nd.InstanceNorm(x, nd.ones([3]), [0, 0, 0] as unknown as NDArray)).toThrow('InstanceNorm: expected beta to be an NDArray, but got [0, 0, 0]');
    const untyped = nd.InstanceNorm as (...args: unknown[]) => NDArray;
    expect(() => untyped(x, nd.ones([3]))).toThrow('InstanceNorm: expected beta to be an NDArray, but got none');
    expect(() => nd.InstanceNorm(x, nd.ones([3]), nd.zeros([3]), { momentum: 0.9 } as never)).toThrow("InstanceNorm: expected options among eps, axis, but got unknown option 'momentum'");
  });

  it('rejects a rank below 3 and the batch axis', () => {
    expect(() => nd.InstanceNorm(nd.zeros([2, 3]), nd.ones([3]), nd.zeros([3]))).toThrow(
      'InstanceNorm: InstanceNorm only supports input tensors of rank >= 3, but got an input of shape (2, 3)',
    );
    expect(() => nd.InstanceNorm(x, nd.ones([2]), nd.zeros([2]), { axis: 0 })).toThrow(
      'InstanceNorm: expected a channel axis other than the batch axis 0, but got axis 0 for an input of rank 3',
    );
    expect(() => nd.InstanceNorm(x, nd.ones([2]), nd.zeros([2]), { axis: 3 })).toThrow(
      'InstanceNorm: expected an axis in [-3, 2] for an input of rank 3, but got 3',
    );
  });
});
