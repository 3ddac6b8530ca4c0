import { GluonError, NDArray, autograd, init, nd, nn } from '../../src';
import { activationFixtures, expectAllClose } from '../helpers/activation_fixtures';
import { checkGradient } from '../helpers/gradient_check';
import { makeRng, randomArray } from '../helpers/naive_ops';
import { mapRef, refElu, refGelu, refLeaky, refRelu, refSelu, refSoftsign, refSwish, refTanh } from '../helpers/naive_activations';

const TOLERANCE = 2 ** -22;
const x = randomArray(makeRng(1), [2, 3, 4], -5, 5);

function applied(layer: nn.HybridBlock, input: NDArray = x): Float32Array {
  return layer(input).toFloat32Array();
}

describe('activation layers: Gluon names', () => {
  // First in the file: Gluon's global per-hint counters start at 0 in each test process.
  it("names nn.Activation after its act type (relu0_, relu1_, tanh0_), as Gluon's _alias", () => {
    expect(new nn.Activation('relu').prefix).toBe('relu0_');
    expect(new nn.Activation('relu').name).toBe('relu1');
    expect(new nn.Activation('tanh').prefix).toBe('tanh0_');
    expect(new nn.Activation('relu', { prefix: 'relu_' }).prefix).toBe('relu_');
  });

  it('names the others after their class and creates prelu alpha inside its scope', () => {
    expect(new nn.LeakyReLU(0.1).prefix).toBe('leakyrelu0_');
    expect([new nn.ELU().prefix, new nn.SELU().prefix, new nn.GELU().prefix, new nn.Swish().prefix]).toEqual(['elu0_', 'selu0_', 'gelu0_', 'swish0_']);
    const prelu = new nn.PReLU();
    expect(prelu.prefix).toBe('prelu0_');
    expect([...prelu.collectParams().keys()]).toEqual(['prelu0_alpha']);
  });

  it('names an Activation inside a parent scope with the parent prefix', () => {
    const net = new nn.HybridSequential();
    net.nameScope(() => net.add(new nn.Activation('sigmoid'), new nn.Activation('sigmoid')));
    expect([net.get(0).prefix, net.get(1).prefix]).toEqual([`${net.prefix}sigmoid0_`, `${net.prefix}sigmoid1_`]);
  });
});

describe('activation layers: forward', () => {
  const cases: [string, () => nn.HybridBlock, (v: number) => number][] = [
    ['Activation(relu)', () => new nn.Activation('relu'), refRelu],
    ['Activation(tanh)', () => new nn.Activation('tanh'), refTanh],
    ['Activation(softsign)', () => new nn.Activation('softsign'), refSoftsign],
    ['LeakyReLU(0.1)', () => new nn.LeakyReLU(0.1), refLeaky(Math.fround(0.1))],
    ['LeakyReLU(0)', () => new nn.LeakyReLU(0), refLeaky(0)],
    ['ELU()', () => new nn.ELU(), refElu(1)],
    ['ELU(0.5)', () => new nn.ELU(0.5), refElu(0.5)],
    ['SELU()', () => new nn.SELU(), refSelu],
    ['GELU()', () => new nn.GELU(), refGelu],
    ['Swish()', () => new nn.Swish(), refSwish(1)],
    ['Swish(2)', () => new nn.Swish(2), refSwish(2)],
  ];
  it.each(cases)('%s matches its float64 formula', (_name, make, reference) => {
    expectAllClose(applied(make()), mapRef(reference, x.toFloat32Array()), TOLERANCE);
  });

  it('passes gradients through (ELU: slope·eˣ below 0, 1 above)', () => {
    const v = nd.array([-1, 2]);
    v.attachGrad();
    autograd.record(() => new nn.ELU(0.5)(v)).backward();
    expectAllClose(v.grad?.toFloat32Array() ?? [], [0.5 * Math.exp(-1), 1], TOLERANCE);
  });
});

describe('nn.Swish', () => {
  it.each([1, 0.5, -2])('has the gradient of x·σ(βx) for beta %d', (beta) => {
    const swish = new nn.Swish(beta);
    checkGradient((v) => swish(v), [randomArray(makeRng(4), [2, 5], -4, 4)], { reference64: (v) => mapRef(refSwish(beta), v) });
  });

  it('is x/2 at beta 0', () => {
    expect(Array.from(new nn.Swish(0)(nd.array([-3, 4])).toFloat32Array())).toEqual([-1.5, 2]);
  });

  it("matches PyTorch's silu (output and input gradient) for beta 1", () => {
    for (const c of activationFixtures('silu')) {
      const v = nd.array(c.x, { shape: c.x_shape });
      v.attachGrad();
      const y = autograd.record(() => new nn.Swish()(v));
      y.backward(nd.array(c.head, { shape: c.x_shape }));
      expectAllClose(y.toFloat32Array(), c.y, TOLERANCE, 'silu output');
      expectAllClose(v.grad?.toFloat32Array() ?? [], c.dx ?? [], TOLERANCE, 'silu gradient');
    }
  });
});

describe('nn.PReLU', () => {
  it('defaults to one slope of 0.25 shared by every element', () => {
    const prelu = new nn.PReLU();
    prelu.initialize();
    expect(prelu.alpha.shape).toEqual([1]);
    expect(Array.from(prelu.alpha.data().toFloat32Array())).toEqual([0.25]);
    expectAllClose(applied(prelu), mapRef(refLeaky(0.25), x.toFloat32Array()), TOLERANCE);
  });

  it('learns one slope per channel along axis 1, with its gradient', () => {
    const prelu = new nn.PReLU({ inChannels: 3, alphaInitializer: new init.Constant(0.5) });
    prelu.initialize();
    prelu.alpha.setData(nd.array([0.1, 0.2, 0.3]));
    const input = nd.array([[[-1, 2], [-3, -4], [5, -6]]]);
    const y = autograd.record(() => prelu(input));
    const [a, b, c] = [0.1, 0.2, 0.3].map(Math.fround);
    expect(Array.from(y.toFloat32Array())).toEqual([-1 * a, 2, -3 * b, -4 * b, 5, -6 * c].map(Math.fround));
    y.backward();
    expect(Array.from(prelu.alpha.grad().toFloat32Array())).toEqual([-1, -7, -6]);
  });

  it('uses the initializer given to initialize() only when none of its own is set', () => {
    const prelu = new nn.PReLU();
    prelu.initialize('zeros');
    expect(Array.from(prelu.alpha.data().toFloat32Array())).toEqual([0.25]);
  });

  it('rejects a bad inChannels and an input with other channels', () => {
    expect(() => new nn.PReLU({ inChannels: 0 })).toThrow(GluonError);
    expect(() => new nn.PReLU({ inChannels: 0 })).toThrow(/prelu\d+: expected inChannels to be an integer >= 1, but got the number 0/);
    const prelu = new nn.PReLU({ inChannels: 3 });
    prelu.initialize();
    expect(() => prelu(nd.zeros([2, 4, 5]))).toThrow(`${prelu.name}: expected 3 channels on axis 1 (inChannels), but got an input of shape (2, 4, 5)`);
  });
});

describe('activation layers: Gluon text forms', () => {
  it('prints Activation and LeakyReLU as Gluon, and the rest as plain Blocks (Gluon defines no repr for them)', () => {
    expect(new nn.Activation('softrelu').toString()).toBe('Activation(softrelu)');
    expect(new nn.LeakyReLU(0.1).toString()).toBe('LeakyReLU(0.1)');
    expect(new nn.LeakyReLU(1).toString()).toBe('LeakyReLU(1.0)');
    for (const [layer, name] of [[new nn.PReLU(), 'PReLU'], [new nn.ELU(), 'ELU'], [new nn.SELU(), 'SELU'], [new nn.GELU(), 'GELU'], [new nn.Swish(), 'Swish']] as const) {
      expect(layer.toString()).toBe(`${name}(\n\n)`);
    }
    const net = new nn.HybridSequential().add(new nn.Activation('relu'), new nn.LeakyReLU(0.2));
    expect(net.toString()).toBe('HybridSequential(\n  (0): Activation(relu)\n  (1): LeakyReLU(0.2)\n)');
  });

  it('keeps the options it was given', () => {
    expect(new nn.Activation('tanh').actType).toBe('tanh');
    expect([new nn.LeakyReLU(0.3).alpha, new nn.ELU().alpha, new nn.Swish().beta, new nn.Swish(0.5).beta]).toEqual([0.3, 1, 1, 0.5]);
  });
});

describe('activation layers: errors', () => {
  it('lists the valid activations for a bad one', () => {
    expect(() => new nn.Activation('swish' as nd.ActType)).toThrow(GluonError);
    expect(() => new nn.Activation('swish' as nd.ActType)).toThrow(
      "Activation: expected activation to be one of 'relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish', but got 'swish'",
    );
  });

  it('checks alpha and beta', () => {
    expect(() => new nn.LeakyReLU(-0.1)).toThrow(/leakyrelu\d+: expected alpha to be a finite number >= 0, but got the number -0.1/);
    expect(() => new nn.LeakyReLU(undefined as unknown as number)).toThrow(/leakyrelu\d+: expected alpha to be a finite number >= 0, but got undefined/);
    expect(() => new nn.ELU(NaN)).toThrow(/elu\d+: expected alpha to be a finite number, but got the number NaN/);
    expect(() => new nn.Swish(Infinity)).toThrow(/swish\d+: expected beta to be a finite number, but got the number Infinity/);
  });
});
