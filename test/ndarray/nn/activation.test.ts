import { GluonError, NDArray, autograd, nd } from '../../../src';
import { activationFixtures, expectAllClose } from '../../helpers/activation_fixtures';
import { checkGradient } from '../../helpers/gradient_check';
import { makeRng, randomArray } from '../../helpers/naive_ops';
import { mapRef, refRelu, refSigmoid, refSoftrelu, refSoftsign, refTanh } from '../../helpers/naive_activations';

const TOLERANCE = 2 ** -22;
type ActType = nd.ActType;

const REFERENCES: Record<ActType, (v: number) => number> = {
  relu: refRelu,
  sigmoid: refSigmoid,
  tanh: refTanh,
  softrelu: refSoftrelu,
  softsign: refSoftsign,
};
const ACT_TYPES = Object.keys(REFERENCES) as ActType[];

/** Inputs spanning the tails and the kink: random in [-8, 8) plus ±40 and ±1e-3. */
function inputs(seed: number, shape: number[]): NDArray {
  const x = randomArray(makeRng(seed), shape, -8, 8).toFloat32Array();
  x.set([40, -40, 1e-3, -1e-3]);
  return nd.array(x, { shape });
}

describe('nd.Activation: forward against float64 references', () => {
  it.each(ACT_TYPES)('%s', (actType) => {
    const x = inputs(1, [3, 4, 5]);
    const y = nd.Activation(x, { actType });
    expect(y.shape).toEqual([3, 4, 5]);
    expectAllClose(y.toFloat32Array(), mapRef(REFERENCES[actType], x.toFloat32Array()), TOLERANCE);
  });

  it('keeps the extremes exact: saturation, large inputs and zero', () => {
    const x = nd.array([-1000, -100, 0, 100, 1000]);
    expect(Array.from(nd.Activation(x, { actType: 'sigmoid' }).toFloat32Array())).toEqual([0, Math.fround(refSigmoid(-100)), 0.5, 1, 1]);
    expect(Array.from(nd.Activation(x, { actType: 'softrelu' }).toFloat32Array())).toEqual([0, Math.fround(Math.exp(-100)), Math.fround(Math.LN2), 100, 1000]);
    expect(Array.from(nd.Activation(x, { actType: 'tanh' }).toFloat32Array())).toEqual([-1, -1, 0, 1, 1]);
  });

  it('propagates NaN and handles an empty input', () => {
    for (const actType of ACT_TYPES) {
      expect(Number.isNaN(nd.Activation(nd.array([NaN]), { actType }).toFloat32Array()[0])).toBe(true);
      expect(nd.Activation(nd.zeros([0, 3]), { actType }).shape).toEqual([0, 3]);
    }
  });

  it('does not mutate its input', () => {
    const x = nd.array([-1, 2]);
    nd.Activation(x, { actType: 'relu' });
    expect(Array.from(x.toFloat32Array())).toEqual([-1, 2]);
  });
});

describe('nd.Activation: backward', () => {
  it.each(ACT_TYPES)('%s matches central differences of the float64 reference', (actType) => {
    const f = REFERENCES[actType];
    checkGradient((x) => nd.Activation(x, { actType }), [randomArray(makeRng(2), [2, 3, 4], -4, 4)], {
      reference64: (x) => mapRef(f, x),
    });
  });

  it('gives relu the derivative 0 at 0 and 1 above, as MXNet', () => {
    const x = nd.array([-1, 0, 2]);
    x.attachGrad();
    autograd.record(() => nd.Activation(x, { actType: 'relu' })).backward(nd.array([5, 5, 5]));
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual([0, 0, 5]);
  });

  it('records nothing outside autograd.record', () => {
    const x = nd.array([1]);
    x.attachGrad();
    expect(nd.Activation(x, { actType: 'tanh' }).tapeNode).toBeUndefined();
  });
});

describe('nd.Activation against PyTorch', () => {
  const cases: [string, (x: NDArray) => NDArray][] = [
    ['sigmoid', (x) => nd.Activation(x, { actType: 'sigmoid' })],
    ['tanh', (x) => nd.Activation(x, { actType: 'tanh' })],
    ['softplus', (x) => nd.Activation(x, { actType: 'softrelu' })],
    ['softsign', (x) => nd.Activation(x, { actType: 'softsign' })],
  ];
  it.each(cases)('%s: output and input gradient', (op, apply) => {
    for (const c of activationFixtures(op)) {
      const x = nd.array(c.x, { shape: c.x_shape });
      x.attachGrad();
      const y = autograd.record(() => apply(x));
      y.backward(nd.array(c.head, { shape: c.x_shape }));
      expectAllClose(y.toFloat32Array(), c.y, TOLERANCE, `${op} output`);
      expectAllClose(x.grad?.toFloat32Array() ?? [], c.dx ?? [], TOLERANCE, `${op} gradient`);
    }
  });
});

describe('nd.Activation: errors', () => {
  it('lists the valid act types for a bad one', () => {
    const x = nd.array([1]);
    const bad = (actType: unknown) => () => nd.Activation(x, { actType } as nd.ActivationOpOptions);
    expect(bad('gelu')).toThrow(GluonError);
    expect(bad('gelu')).toThrow("Activation: expected actType to be one of 'relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', but got 'gelu'");
    expect(bad(undefined)).toThrow(/expected actType to be one of .* but got undefined$/);
    expect(bad(3)).toThrow(/but got number 3$/);
  });

  it('rejects a missing options object or a non-array input', () => {
    expect(() => nd.Activation(nd.array([1]), undefined as unknown as nd.ActivationOpOptions)).toThrow(/Activation: expected actType .* but got undefined/);
    expect(() => nd.Activation(nd.array([1]), 'relu' as unknown as nd.ActivationOpOptions)).toThrow('Activation: expected an options object, but got string relu');
    expect(() => nd.Activation(null as unknown as NDArray, { actType: 'relu' })).toThrow('Activation: expected data to be an NDArray, but got null');
  });
});
