import { GluonError, NDArray, autograd, nd, random } from '../../../src';
import { erf, erfc } from '../../../src/ndarray/nn/erf';
import { activationFixtures, erfTable, expectAllClose } from '../../helpers/activation_fixtures';
import { checkGradient } from '../../helpers/gradient_check';
import { makeRng, randomArray, unravel } from '../../helpers/naive_ops';
import { mapRef, refElu, refGelu, refLeaky, refSelu } from '../../helpers/naive_activations';

const TOLERANCE = 2 ** -22;

function inputs(seed: number, shape: number[]): NDArray {
  const x = randomArray(makeRng(seed), shape, -6, 6).toFloat32Array();
  x.set([30, -30, 1e-3, -1e-3, 0]);
  return nd.array(x, { shape });
}

/** PReLU by index arithmetic: the slope of element i is gamma[channel of i] (axis 1, or 0 for 1-D). */
function refPrelu(xs: ArrayLike<number>, shape: number[], gamma: ArrayLike<number>): Float64Array {
  return Float64Array.from(xs, (v, i) => {
    const index = unravel(i, shape);
    const slope = gamma.length === 1 ? gamma[0] : gamma[index[Math.min(1, shape.length - 1)]];
    return v > 0 ? v : slope * v;
  });
}

describe('nd.LeakyReLU: elementwise types against float64 references', () => {
  const cases: [nd.LeakyReLUOpOptions, (v: number) => number][] = [
    [{}, refLeaky(0.25)],
    [{ actType: 'leaky', slope: 0.1 }, refLeaky(Math.fround(0.1))],
    [{ actType: 'leaky', slope: 0 }, refLeaky(0)],
    [{ actType: 'elu' }, refElu(0.25)],
    [{ actType: 'elu', slope: 1 }, refElu(1)],
    [{ actType: 'selu' }, refSelu],
    [{ actType: 'gelu' }, refGelu],
  ];
  it.each(cases)('%j', (options, reference) => {
    const x = inputs(1, [4, 6]);
    const y = nd.LeakyReLU(x, options);
    expect(y.shape).toEqual([4, 6]);
    expectAllClose(y.toFloat32Array(), mapRef(reference, x.toFloat32Array()), TOLERANCE);
  });

  it.each(cases)('%j: gradient matches central differences', (options, reference) => {
    checkGradient((x) => nd.LeakyReLU(x, options), [randomArray(makeRng(2), [2, 4], -4, 4)], { reference64: (x) => mapRef(reference, x) });
  });

  it('uses the negative side at 0 (derivative slope, as MXNet and PyTorch)', () => {
    const x = nd.array([0, 0]);
    x.attachGrad();
    autograd.record(() => nd.LeakyReLU(x, { actType: 'elu', slope: 0.5 })).backward();
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual([0.5, 0.5]);
  });

  it('gives GELU full relative precision in the left tail', () => {
    const x = nd.array([-6, -9, -12]);
    const got = nd.LeakyReLU(x, { actType: 'gelu' }).toFloat32Array();
    [-6, -9, -12].forEach((v, i) => expect(Math.abs(got[i] / refGelu(v) - 1)).toBeLessThan(2 ** -23));
  });
});

describe('erf, the function behind GELU', () => {
  it("agrees with the C library's erf and erfc to a few ulps", () => {
    erfTable.z.forEach((z, i) => {
      expect(Math.abs(erf(z) - erfTable.erf[i])).toBeLessThanOrEqual(4e-16);
      expect(Math.abs(erfc(z) - erfTable.erfc[i])).toBeLessThanOrEqual(4e-15 * erfTable.erfc[i]);
    });
  });

  it('handles NaN and the infinities', () => {
    expect([erf(Infinity), erf(-Infinity), erfc(Infinity), erfc(-Infinity)]).toEqual([1, -1, 0, 2]);
    expect(Number.isNaN(erf(NaN)) && Number.isNaN(erfc(NaN))).toBe(true);
  });
});

describe('nd.LeakyReLU: prelu', () => {
  const cases: [number[], number[]][] = [
    [[2, 3, 4], [0.1, 0.2, 0.3]],
    [[2, 3, 2, 2], [0.5, -0.25, 2]],
    [[4, 5], [0.1, 0.2, 0.3, 0.4, 0.5]],
    [[5], [0.1, 0.2, 0.3, 0.4, 0.5]],
    [[2, 3, 4], [0.3]],
  ];
  it.each(cases)('data %j, gamma %j: forward and both gradients', (shape, slopes) => {
    const x = inputs(3, shape);
    const gamma = nd.array(slopes);
    expectAllClose(nd.LeakyReLU(x, { actType: 'prelu', gamma }).toFloat32Array(), refPrelu(x.toFloat32Array(), shape, gamma.toFloat32Array()), TOLERANCE);
    checkGradient((v, g) => nd.LeakyReLU(v, { actType: 'prelu', gamma: g }), [randomArray(makeRng(4), shape, -3, 3), gamma], {
      reference64: (v, g) => refPrelu(v, shape, g),
    });
  });
});

describe('nd.LeakyReLU: rrelu', () => {
  it('uses the midpoint slope in prediction mode', () => {
    const y = nd.LeakyReLU(nd.array([-2, 3]), { actType: 'rrelu', lowerBound: 0.1, upperBound: 0.3 });
    expect(Array.from(y.toFloat32Array())).toEqual([Math.fround(-2 * Math.fround(0.2)), 3]);
  });

  it('draws one slope per element in [lower, upper) while training, reproducibly, with a matching gradient', () => {
    const x = nd.full([2000], -1);
    x.attachGrad();
    random.seed(9);
    const y = autograd.record(() => nd.LeakyReLU(x, { actType: 'rrelu' }));
    y.backward();
    const slopes = Array.from(y.toFloat32Array(), (v) => -v);
    expect(Math.min(...slopes)).toBeGreaterThanOrEqual(Math.fround(0.125));
    expect(Math.max(...slopes)).toBeLessThan(Math.fround(0.334));
    expect(Math.abs(slopes.reduce((s, v) => s + v, 0) / slopes.length - 0.2295)).toBeLessThan(0.01);
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual(slopes);
    random.seed(9);
    expect(autograd.trainMode(() => nd.LeakyReLU(x, { actType: 'rrelu' })).toFloat32Array()).toEqual(y.toFloat32Array());
  });
});

describe('nd.LeakyReLU against PyTorch', () => {
  const cases: [string, (c: { params: { slope?: number; alpha?: number } }) => nd.LeakyReLUOpOptions][] = [
    ['leaky_relu', (c) => ({ actType: 'leaky', slope: c.params.slope })],
    ['elu', (c) => ({ actType: 'elu', slope: c.params.alpha })],
    ['selu', () => ({ actType: 'selu' })],
    ['gelu', () => ({ actType: 'gelu' })],
  ];
  it.each(cases)('%s: output and input gradient', (op, optionsOf) => {
    for (const c of activationFixtures(op)) {
      const x = nd.array(c.x, { shape: c.x_shape });
      x.attachGrad();
      const y = autograd.record(() => nd.LeakyReLU(x, optionsOf(c)));
      y.backward(nd.array(c.head, { shape: c.x_shape }));
      // PyTorch's slope is the float64 0.1; MXNet's (and ours) is float32, 1.5e-9 apart.
      expectAllClose(y.toFloat32Array(), c.y, TOLERANCE, `${op} output`);
      expectAllClose(x.grad?.toFloat32Array() ?? [], c.dx ?? [], TOLERANCE, `${op} gradient`);
    }
  });

  it('prelu: output, data gradient and gamma gradient', () => {
    for (const c of activationFixtures('prelu')) {
      const x = nd.array(c.x, { shape: c.x_shape });
      const gamma = nd.array(c.gamma ?? []);
      x.attachGrad();
      gamma.attachGrad();
      const y = autograd.record(() => nd.LeakyReLU(x, { actType: 'prelu', gamma }));
      y.backward(nd.array(c.head, { shape: c.x_shape }));
      expectAllClose(y.toFloat32Array(), c.y, TOLERANCE, 'prelu output');
      expectAllClose(x.grad?.toFloat32Array() ?? [], c.dx ?? [], TOLERANCE, 'prelu data gradient');
      expectAllClose(gamma.grad?.toFloat32Array() ?? [], c.dgamma ?? [], TOLERANCE, 'prelu gamma gradient');
    }
  });
});

describe('nd.LeakyReLU: errors', () => {
  const x = nd.array([[1, -1, 2]]);
  it('lists the valid act types', () => {
    expect(() => nd.LeakyReLU(x, { actType: 'relu' as nd.LeakyReLUActType })).toThrow(GluonError);
    expect(() => nd.LeakyReLU(x, { actType: 'relu' as nd.LeakyReLUActType })).toThrow(
      "LeakyReLU: expected actType to be one of 'leaky', 'prelu', 'elu', 'selu', 'gelu', 'rrelu', but got 'relu'",
    );
  });

  it('checks gamma for prelu, and refuses it elsewhere', () => {
    expect(() => nd.LeakyReLU(x, { actType: 'prelu' })).toThrow(
      "LeakyReLU: expected gamma of shape (1,) or (3,) for actType 'prelu' and data of shape (1, 3), but got undefined",
    );
    expect(() => nd.LeakyReLU(x, { actType: 'prelu', gamma: nd.ones([2]) })).toThrow(/expected gamma of shape \(1,\) or \(3,\) .* but got an NDArray of shape \(2,\)/);
    expect(() => nd.LeakyReLU(x, { actType: 'prelu', gamma: nd.ones([3, 1]) })).toThrow(/but got an NDArray of shape \(3, 1\)/);
    expect(() => nd.LeakyReLU(nd.ones([2, 1]), { actType: 'prelu', gamma: nd.ones([2]) })).toThrow(/expected gamma of shape \(1,\) for actType 'prelu'/);
    expect(() => nd.LeakyReLU(x, { actType: 'elu', gamma: nd.ones([3]) })).toThrow(
      "LeakyReLU: expected no gamma for actType 'elu' (only 'prelu' takes one), but got an NDArray of shape (3,)",
    );
  });

  it('checks slope and the rrelu bounds', () => {
    expect(() => nd.LeakyReLU(x, { slope: Infinity })).toThrow('LeakyReLU: expected slope to be a finite number, but got number Infinity');
    expect(() => nd.LeakyReLU(x, { actType: 'rrelu', lowerBound: 0.5, upperBound: 0.1 })).toThrow(
      "LeakyReLU: expected lowerBound <= upperBound for actType 'rrelu', but got lowerBound=0.5, upperBound=0.1",
    );
    expect(() => nd.LeakyReLU(x, { actType: 'rrelu', upperBound: NaN })).toThrow('LeakyReLU: expected upperBound to be a finite number, but got number NaN');
  });

  it('checks data and options', () => {
    expect(() => nd.LeakyReLU('x' as unknown as NDArray)).toThrow('LeakyReLU: expected data to be an NDArray, but got string x');
    expect(() => nd.LeakyReLU(x, 0.1 as unknown as nd.LeakyReLUOpOptions)).toThrow('LeakyReLU: expected an options object, but got number 0.1');
  });
});
