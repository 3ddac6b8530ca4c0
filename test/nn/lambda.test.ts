/**
 * nn.Lambda and nn.HybridLambda (a function, or an operator's name, as a Block), NDArray.detach
 * and the BlockGrad / stopGradient names: values against direct computation, hybridized and
 * exported runs with the imperative bits, no gradient through detached arrays, error messages.
 */
import { GluonError, NDArray, autograd, gluon, nd, nn } from '../../src';

const x = nd.array([[-1, 0.5], [2, -3]]);

describe('nn.Lambda', () => {
  it('calls a function or an nd operator by name, inside a Sequential', () => {
    const net = new nn.Sequential();
    net.add(new nn.Lambda((v) => (v as NDArray).mul(2)), new nn.Lambda('tanh'));
    expect((net(x) as NDArray).toArray()).toEqual(nd.tanh(x.mul(2)).toArray());
    expect(new nn.Lambda('tanh').toString()).toBe('Lambda(tanh)');
    expect(new nn.Lambda(function double(v) { return v; }).toString()).toBe('Lambda(double)');
  });

  it('refuses a name that is not an nd function, or something that is not a function', () => {
    expect(() => new nn.Lambda('tanhh')).toThrow("Lambda: expected the name of a function of nd, but 'tanhh' is not one");
    expect(() => new nn.Lambda(3 as never)).toThrow(GluonError);
    expect(() => new nn.Lambda(3 as never)).toThrow("Lambda: expected a function or the name of one of nd's, but got the number 3");
  });
});

describe('nn.HybridLambda', () => {
  it('runs against F, hybridizes and exports with the imperative bits', () => {
    const net = new nn.HybridSequential();
    net.add(new nn.Dense(3, { inUnits: 2 }), new nn.HybridLambda((F, v) => F.LeakyReLU(v, { slope: 0.1 })), new nn.HybridLambda('sigmoid'));
    net.initialize('xavier');
    const imperative = (net(x) as NDArray).toFloat32Array();
    net.hybridize();
    net(x);
    expect((net(x) as NDArray).toFloat32Array()).toEqual(imperative);
    const { symbol, params } = net.exportBytes();
    const back = gluon.SymbolBlock.imports(symbol, ['data'], params);
    expect((back(x) as NDArray).toFloat32Array()).toEqual(imperative);
    expect(JSON.parse(symbol).nodes.map((n: { op: string }) => n.op)).toEqual(expect.arrayContaining(['LeakyReLU', 'sigmoid']));
  });

  it('takes several inputs, and refuses an unknown operator name at construction', () => {
    const add = new nn.HybridLambda((F, a, b) => F.add(a, b));
    expect((add(x, x) as NDArray).toArray()).toEqual(x.mul(2).toArray());
    expect(() => new nn.HybridLambda('nope')).toThrow("HybridLambda: expected the name of a function of F (nd and sym), but 'nope' is not one");
    expect(() => new nn.HybridLambda(null as never)).toThrow('HybridLambda: expected a function of (F, ...inputs) or the name of an operator, but got null');
    expect(new nn.HybridLambda('relu').toString()).toBe('HybridLambda(relu)');
  });
});

describe('detach, BlockGrad and stopGradient', () => {
  it('pass values and stop gradients', () => {
    const v = nd.array([1, 2, 3]);
    v.attachGrad();
    autograd.record(() => nd.add(nd.multiply(v, v), nd.multiply(v, v).detach())).backward();
    expect(v.grad?.toArray()).toEqual([2, 4, 6]);
    for (const stop of [nd.BlockGrad, nd.stopGradient, nd.blockGrad]) {
      autograd.record(() => nd.add(v, stop(nd.multiply(v, 3)))).backward();
      expect(v.grad?.toArray()).toEqual([1, 1, 1]);
    }
    expect(v.detach().toArray()).toEqual([1, 2, 3]);
  });
});
