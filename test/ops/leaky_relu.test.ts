import { GluonError, NDArray, autograd, nd, random } from '../../src';
import { erf, erfc } from '../../src/kernels/cpu/erf';
import { LEAKY_RELU, LEAKY_RELU_BACKWARD } from '../../src/ops/leaky_relu';
import { lookupOperator } from '../../src/ops/table';
import { activationFixtures, erfTable, expectAllClose } from '../helpers/activation_fixtures';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { makeRng, randomArray, unravel } from '../helpers/naive_ops';
import { SELU_ALPHA, SELU_SCALE, mapRef, refElu, refGelu, refLeaky, refSelu } from '../helpers/naive_activations';

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

const phi = (v: number): number => Math.exp(-0.5 * v * v) / Math.sqrt(2 * Math.PI);

/** f' of each elementwise type in float64, from the textbook formulas (gelu: Φ(x) + x·φ(x)). */
const DERIVATIVES: [nd.LeakyReLUOptions, (v: number) => number][] = [
  [{}, (v) => (v > 0 ? 1 : 0.25)],
  [{ actType: 'leaky', slope: 0.1 }, (v) => (v > 0 ? 1 : Math.fround(0.1))],
  [{ actType: 'elu', slope: 0.5 }, (v) => (v > 0 ? 1 : 0.5 * Math.exp(v))],
  [{ actType: 'selu' }, (v) => SELU_SCALE * (v > 0 ? 1 : SELU_ALPHA * Math.exp(v))],
  [{ actType: 'gelu' }, (v) => refGelu(v) / v + v * phi(v)],
  [{ actType: 'rrelu', lowerBound: 0.1, upperBound: 0.3 }, (v) => (v > 0 ? 1 : Math.fround(0.2))],
];

describe('nd.LeakyReLU: elementwise types against float64 references', () => {
  const cases: [nd.LeakyReLUOptions, (v: number) => number][] = [
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
    expectAllClose(nd.LeakyReLU(x, gamma, { actType: 'prelu' }).toFloat32Array(), refPrelu(x.toFloat32Array(), shape, gamma.toFloat32Array()), TOLERANCE);
    checkGradient((v, g) => nd.LeakyReLU(v, g, { actType: 'prelu' }), [randomArray(makeRng(4), shape, -3, 3), gamma], {
      reference64: (v, g) => refPrelu(v, shape, g),
    });
  });

  it('infers gamma as (C,) from the data, as MXNet', () => {
    const attrs = LEAKY_RELU.resolveOptions({ actType: 'prelu' }, 'test');
    expect(LEAKY_RELU.inputNames(attrs)).toEqual(['data', 'gamma']);
    expect(LEAKY_RELU.inferShape(attrs, [[2, 7, 3], undefined], 'test').inputs).toEqual([[2, 7, 3], [7]]);
    expect(LEAKY_RELU.inferShape(attrs, [[2, 7, 3], [1]], 'test').inputs).toEqual([[2, 7, 3], [1]]);
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

  it('has the mid slope as its gradient in prediction mode, even while recording', () => {
    const x = nd.array([-2, 3]);
    x.attachGrad();
    autograd.record(() => nd.LeakyReLU(x, { actType: 'rrelu', lowerBound: 0.1, upperBound: 0.3 }), { trainMode: false }).backward();
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual([Math.fround(0.2), 1]);
  });

  it('keeps its mask hidden: one visible output, two in the JSON', () => {
    const attrs = LEAKY_RELU.resolveOptions({ actType: 'rrelu' }, 'test');
    expect(LEAKY_RELU.outputNames(attrs)).toEqual(['output']);
    expect(LEAKY_RELU.hiddenOutputs(attrs)).toBe(1);
    expect(LEAKY_RELU.hiddenOutputs(LEAKY_RELU.resolveOptions({}, 'test'))).toBe(0);
  });
});

describe('nd.LeakyReLU: second derivatives', () => {
  // g(x) = r·f'(x) with createGraph, differentiated again against central differences of its float64 reference.
  it.each(DERIVATIVES)('%j: the gradient of the gradient matches finite differences of r·f\'(x)', (options, derivative) => {
    const shape = [3, 4];
    const r = Float32Array.from(pseudoRandom(12, 11));
    const x = randomArray(makeRng(12), shape, -3, 3).toFloat32Array().map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
    const op = (v: NDArray): NDArray => autograd.grad(nd.LeakyReLU(v, options), [v], { createGraph: true, headGrads: nd.array(r, { shape }) })[0];
    checkGradient(op, [nd.array(x, { shape })], { reference64: (v) => v.map((value, i) => r[i] * derivative(value)) });
  });

  it.each([[[2, 3, 2], [0.1, -0.2, 0.3]], [[6], [0.25]]])('prelu, data %j: second derivatives with respect to data and gamma', (shape, slopes) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const r = Float32Array.from(pseudoRandom(n, 13));
    const head = nd.array(r, { shape });
    // g = ∂/∂gamma Σ r·prelu(x, gamma): it depends on x (through min(x, 0)) but not on gamma.
    const dgamma = (v: NDArray, g: NDArray): NDArray => autograd.grad(nd.LeakyReLU(v, g, { actType: 'prelu' }), [g], { createGraph: true, headGrads: head })[0];
    const reference = (v: Float64Array): Float64Array => {
      const sums = new Float64Array(slopes.length);
      v.forEach((value, i) => (sums[slopes.length === 1 ? 0 : unravel(i, shape)[Math.min(1, shape.length - 1)]] += r[i] * Math.min(value, 0)));
      return sums;
    };
    const x = randomArray(makeRng(14), shape, -3, 3).toFloat32Array().map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
    checkGradient(dgamma, [nd.array(x, { shape }), nd.array(slopes)], { reference64: (v) => reference(v) });
    // g = ∂/∂x Σ r·prelu(x, gamma) = r·(x > 0 ? 1 : gamma[c]): linear in gamma.
    const dx = (v: NDArray, g: NDArray): NDArray => autograd.grad(nd.LeakyReLU(v, g, { actType: 'prelu' }), [v], { createGraph: true, headGrads: head })[0];
    checkGradient(dx, [nd.array(x, { shape }), nd.array(slopes)], {
      reference64: (v, g) => Float64Array.from(v, (value, i) => r[i] * (value > 0 ? 1 : g[slopes.length === 1 ? 0 : unravel(i, shape)[Math.min(1, shape.length - 1)]])),
    });
  });
});

describe('nd.LeakyReLU against PyTorch', () => {
  const cases: [string, (c: { params: { slope?: number; alpha?: number } }) => nd.LeakyReLUOptions][] = [
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
      const y = autograd.record(() => nd.LeakyReLU(x, gamma, { actType: 'prelu' }));
      y.backward(nd.array(c.head, { shape: c.x_shape }));
      expectAllClose(y.toFloat32Array(), c.y, TOLERANCE, 'prelu output');
      expectAllClose(x.grad?.toFloat32Array() ?? [], c.dx ?? [], TOLERANCE, 'prelu data gradient');
      expectAllClose(gamma.grad?.toFloat32Array() ?? [], c.dgamma ?? [], TOLERANCE, 'prelu gamma gradient');
    }
  });
});

describe('LeakyReLU in the registry', () => {
  it("parses and prints MXNet's attributes with MXNet's defaults", () => {
    expect(lookupOperator('LeakyReLU', 'test')).toBe(LEAKY_RELU);
    expect(lookupOperator('_npx_leaky_relu', 'test')).toBe(LEAKY_RELU);
    const { attrs } = LEAKY_RELU.resolveJson({ act_type: 'elu', slope: '0.3', lower_bound: '0.1', upper_bound: '0.2' }, 'node');
    expect(attrs.values).toEqual({ actType: 'elu', slope: 0.3, lowerBound: 0.1, upperBound: 0.2 });
    expect(LEAKY_RELU.printAttrs(attrs)).toEqual({ act_type: 'elu', slope: '0.3', lower_bound: '0.1', upper_bound: '0.2' });
    expect(LEAKY_RELU.resolveJson({}, 'node').attrs.values).toEqual({ actType: 'leaky', slope: 0.25, lowerBound: 0.125, upperBound: 0.334 });
    expect(() => LEAKY_RELU.resolveJson({ alpha: '0.1' }, 'node')).toThrow(
      "node: operator LeakyReLU has no attribute 'alpha' (MXNet declares: act_type, slope, lower_bound, upper_bound)",
    );
  });

  it("checks the gradient operator's shapes", () => {
    const attrs = LEAKY_RELU_BACKWARD.resolveOptions({ actType: 'prelu' }, 'test');
    expect(LEAKY_RELU_BACKWARD.inferShape(attrs, [[2, 3], [2, 3], undefined], 'test').outputs).toEqual([[2, 3], [3]]);
    expect(() => LEAKY_RELU_BACKWARD.inferShape(attrs, [[2, 4], [2, 3], [3]], 'test')).toThrow('test: expected ograd of shape (2, 3), but got (2, 4)');
  });
});

describe('nd.LeakyReLU: errors', () => {
  const x = nd.array([[1, -1, 2]]);
  it('lists the valid act types', () => {
    expect(() => nd.LeakyReLU(x, { actType: 'relu' as nd.LeakyReLUActType })).toThrow(GluonError);
    expect(() => nd.LeakyReLU(x, { actType: 'relu' as nd.LeakyReLUActType })).toThrow(
      "LeakyReLU: expected actType to be one of 'leaky', 'prelu', 'elu', 'selu', 'gelu', 'rrelu', but got the string 'relu'",
    );
  });

  it('checks gamma for prelu, and refuses it elsewhere', () => {
    expect(() => nd.LeakyReLU(x, undefined as unknown as NDArray, { actType: 'prelu' })).toThrow('LeakyReLU: expected gamma to be an NDArray, but got none');
    expect(() => nd.LeakyReLU(x, nd.ones([2]), { actType: 'prelu' })).toThrow(
      "LeakyReLU: expected gamma of shape (1,) or (3,) for actType 'prelu' and data of shape (1, 3), but got (2,)",
    );
    expect(() => nd.LeakyReLU(x, nd.ones([3, 1]), { actType: 'prelu' })).toThrow(/but got \(3, 1\)$/);
    expect(() => nd.LeakyReLU(nd.ones([2, 1]), nd.ones([2]), { actType: 'prelu' })).toThrow(/expected gamma of shape \(1,\) for actType 'prelu'/);
    expect(() => nd.LeakyReLU(nd.array(1), nd.ones([1]), { actType: 'prelu' })).toThrow("LeakyReLU: expected data of rank >= 1 for actType 'prelu', but got a 0-d array");
    expect(() => nd.LeakyReLU(x, [0.25] as unknown as NDArray, { actType: 'prelu' })).toThrow('LeakyReLU: expected gamma to be an NDArray, but got [0.25]');
    const elu: nd.LeakyReLUActType = 'elu';
    expect(() => nd.LeakyReLU(x, nd.ones([3]), { actType: elu as 'prelu' })).toThrow(
      'LeakyReLU: LeakyReLU takes 1 input(s) (data) with these options, but got 2 (options go last, in one object)',
    );
  });

  it('checks slope and the rrelu bounds', () => {
    expect(() => nd.LeakyReLU(x, { slope: Infinity })).toThrow('LeakyReLU: expected slope to be a finite number, but got the number Infinity');
    expect(() => nd.LeakyReLU(x, { actType: 'rrelu', lowerBound: 0.5, upperBound: 0.1 })).toThrow(
      "LeakyReLU: expected lowerBound <= upperBound for actType 'rrelu', but got lowerBound=0.5, upperBound=0.1",
    );
    expect(() => nd.LeakyReLU(x, { actType: 'rrelu', upperBound: NaN })).toThrow('LeakyReLU: expected upperBound to be a finite number, but got the number NaN');
  });

  it('checks data and options', () => {
    expect(() => nd.LeakyReLU('x' as unknown as NDArray)).toThrow('LeakyReLU: expected data to be an NDArray, but got the string \'x\'');
    expect(() => nd.LeakyReLU(x, { gamma: nd.ones([3]) } as nd.LeakyReLUOptions)).toThrow(
      "LeakyReLU: expected options among actType, slope, lowerBound, upperBound, but got unknown option 'gamma'",
    );
  });
});
