import { GluonError, NDArray, autograd, nd } from '../../src';
import { ACTIVATION, ACTIVATION_BACKWARD } from '../../src/ops/activation';
import { lookupOperator } from '../../src/ops/table';
import { activationFixtures, expectAllClose } from '../helpers/activation_fixtures';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { makeRng, randomArray } from '../helpers/naive_ops';
import { mapRef, refRelu, refSigmoid, refSoftrelu, refSoftsign, refTanh } from '../helpers/naive_activations';

const TOLERANCE = 2 ** -22;
type ActType = nd.ActType;

const REFERENCES: Record<ActType, (v: number) => number> = {
  relu: refRelu,
  sigmoid: refSigmoid,
  tanh: refTanh,
  softrelu: refSoftrelu,
  softsign: refSoftsign,
  // log σ(v) and v·tanh(log(1 + e^v)), from the definitions (1 + e^v overflows only past v = 709).
  log_sigmoid: (v) => Math.log(refSigmoid(v)),
  mish: (v) => v * Math.tanh(v > 30 ? v : Math.log(1 + Math.exp(v))),
};
const ACT_TYPES = Object.keys(REFERENCES) as ActType[];

/** f' in float64, from the textbook formulas (independent of src/). */
const DERIVATIVES: Record<ActType, (v: number) => number> = {
  relu: (v) => (v > 0 ? 1 : 0),
  sigmoid: (v) => refSigmoid(v) * (1 - refSigmoid(v)),
  tanh: (v) => 1 - refTanh(v) ** 2,
  softrelu: (v) => refSigmoid(v),
  softsign: (v) => 1 / (1 + Math.abs(v)) ** 2,
  log_sigmoid: (v) => 1 - refSigmoid(v),
  mish: (v) => {
    const t = Math.tanh(v > 30 ? v : Math.log(1 + Math.exp(v)));
    return t + v * (1 - t * t) * refSigmoid(v);
  },
};

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

  it('gives nd.softrelu as Activation with actType softrelu', () => {
    const x = inputs(3, [2, 5]);
    expect(nd.softrelu(x).toFloat32Array()).toEqual(nd.Activation(x, { actType: 'softrelu' }).toFloat32Array());
    x.attachGrad();
    expect(autograd.record(() => nd.softrelu(x)).tapeNode?.op).toBe('Activation');
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

describe('nd.Activation: second derivatives', () => {
  it('d²/dx² of tanh(x) + x² at 0.5 is 2 − 2·tanh(0.5)·(1 − tanh²(0.5)) = 1.2731', () => {
    const x = nd.array([0.5]);
    x.attachGrad();
    const g = autograd.record(() => autograd.grad(nd.add(nd.Activation(x, { actType: 'tanh' }), nd.square(x)), [x], { createGraph: true })[0]);
    g.backward();
    const t = Math.tanh(0.5);
    expect(Math.abs((x.grad?.toFloat32Array()[0] ?? 0) - (2 - 2 * t * (1 - t * t)))).toBeLessThan(1e-6);
    expect(x.grad?.toFloat32Array()[0]).toBeCloseTo(1.2731, 4);
  });

  // g(x) = ∂/∂x Σ r·f(x) = r·f'(x), computed with createGraph, differentiated again against
  // central differences of r·f'(x) in float64.
  it.each(ACT_TYPES)('%s: the gradient of the gradient matches finite differences of r·f\'(x)', (actType) => {
    const shape = [3, 4];
    const r = Float32Array.from(pseudoRandom(12, 5));
    const x = randomArray(makeRng(7), shape, -3, 3).toFloat32Array().map((v) => (Math.abs(v) < 0.05 ? v + 0.1 : v));
    const op = (v: NDArray): NDArray => autograd.grad(nd.Activation(v, { actType }), [v], { createGraph: true, headGrads: nd.array(r, { shape }) })[0];
    checkGradient(op, [nd.array(x, { shape })], { reference64: (v) => v.map((value, i) => r[i] * DERIVATIVES[actType](value)) });
  });

  it.each(ACT_TYPES)('%s: the gradient of the gradient with respect to the head gradient is f\'(x)', (actType) => {
    const x = inputs(8, [2, 3]);
    const head = nd.array(Float32Array.from(pseudoRandom(6, 9)), { shape: [2, 3] });
    head.attachGrad();
    x.attachGrad();
    autograd.record(() => autograd.grad(nd.Activation(x, { actType }), [x], { createGraph: true, headGrads: head })[0].sum()).backward();
    expectAllClose(head.grad?.toFloat32Array() ?? [], mapRef(DERIVATIVES[actType], x.toFloat32Array()), TOLERANCE);
  });

  it('differentiates a third time: d³/dx³ tanh = −2(1 − t²)(1 − 3t²)', () => {
    const x = nd.array([0.5, -1.25]);
    x.attachGrad();
    const g2 = autograd.record(() => {
      const [g1] = autograd.grad(nd.Activation(x, { actType: 'tanh' }), [x], { createGraph: true });
      return autograd.grad(g1, [x], { createGraph: true })[0];
    });
    g2.backward();
    const expected = [0.5, -1.25].map((v) => -2 * (1 - Math.tanh(v) ** 2) * (1 - 3 * Math.tanh(v) ** 2));
    expectAllClose(x.grad?.toFloat32Array() ?? [], expected, 1e-6);
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

describe('Activation in the registry', () => {
  it("is MXNet's record: required act_type, one input, in place, and its JSON strings", () => {
    expect(lookupOperator('Activation', 'test')).toBe(ACTIVATION);
    expect(lookupOperator('_npx_activation', 'test')).toBe(ACTIVATION);
    const { attrs } = ACTIVATION.resolveJson({ act_type: 'softsign' }, 'node');
    expect(attrs.values).toEqual({ actType: 'softsign' });
    expect(ACTIVATION.printAttrs(attrs)).toEqual({ act_type: 'softsign' });
    expect(ACTIVATION.inputNames(attrs)).toEqual(['data']);
    expect(ACTIVATION.inplace).toEqual([[0, 0]]);
    expect(() => ACTIVATION.resolveJson({}, 'node')).toThrow("node: expected act_type (one of 'relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish'), a required option, but got none");
    expect(() => ACTIVATION.resolveJson({ act_type: 'gelu' }, 'node')).toThrow(
      "node: expected attribute 'act_type' of Activation to be one of 'relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish', but got 'gelu'",
    );
  });

  it('checks the gradient operator\'s shapes', () => {
    const attrs = ACTIVATION_BACKWARD.resolveOptions({ actType: 'tanh' }, 'test');
    expect(ACTIVATION_BACKWARD.inferShape(attrs, [undefined, [2, 3]], 'test').outputs).toEqual([[2, 3]]);
    expect(() => ACTIVATION_BACKWARD.inferShape(attrs, [[3, 2], [2, 3]], 'test')).toThrow('test: expected ograd of shape (2, 3), but got (3, 2)');
  });
});

describe('nd.Activation: errors', () => {
  const x = nd.array([1]);
  it('lists the valid act types for a bad one', () => {
    const bad = (actType: unknown) => () => nd.Activation(x, { actType } as nd.ActivationOptions);
    expect(bad('gelu')).toThrow(GluonError);
    expect(bad('gelu')).toThrow("Activation: expected actType to be one of 'relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish', but got the string 'gelu'");
    expect(bad(3)).toThrow(/but got the number 3$/);
  });

  it('requires actType, as MXNet', () => {
    const message = "Activation: expected actType (one of 'relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish'), a required option, but got none";
    expect(() => nd.Activation(x, {} as nd.ActivationOptions)).toThrow(message);
    expect(() => nd.Activation(x, undefined as unknown as nd.ActivationOptions)).toThrow(message);
    expect(() => nd.Activation(x, { actType: undefined } as unknown as nd.ActivationOptions)).toThrow(message);
  });

  it('rejects unknown options, a non-object options and a non-array input', () => {
    expect(() => nd.Activation(x, { actType: 'relu', act_type: 'relu' } as nd.ActivationOptions)).toThrow(
      "Activation: expected options among actType, but got unknown option 'act_type'",
    );
    expect(() => nd.Activation(x, 'relu' as unknown as nd.ActivationOptions)).toThrow(GluonError);
    expect(() => nd.Activation(null as unknown as NDArray, { actType: 'relu' })).toThrow('Activation: expected data to be an NDArray, but got null');
    expect(() => nd.softrelu('x' as unknown as NDArray)).toThrow('Activation: expected data to be an NDArray, but got the string \'x\'');
  });
});
