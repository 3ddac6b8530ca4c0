import { GluonError, autograd, nd, nn } from '../../src';

describe('nn.Flatten', () => {
  it('flattens every axis after the first, names itself flatten<N>_ and prints as Gluon', () => {
    const flatten = new nn.Flatten();
    expect(flatten.prefix).toMatch(/^flatten\d+_$/);
    expect(flatten.toString()).toBe('Flatten');
    const x = nd.arange(0, 24).reshape([2, 3, 4]);
    const y = flatten(x);
    expect(y.shape).toEqual([2, 12]);
    expect(y.toFloat32Array()).toEqual(x.toFloat32Array());
    expect(flatten(nd.array([1, 2])).shape).toEqual([2, 1]);
    expect(new nn.HybridSequential().add(flatten).toString()).toBe('HybridSequential(\n  (0): Flatten\n)');
  });

  it('passes the gradient back in the input shape', () => {
    const x = nd.ones([2, 2, 2]);
    x.attachGrad();
    autograd.record(() => new nn.Flatten()(x)).backward(nd.array([[1, 2, 3, 4], [5, 6, 7, 8]]));
    expect(x.grad?.toArray()).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
  });

  it('rejects a 0-d input', () => {
    const layer = new nn.Flatten();
    expect(() => layer(nd.array(1))).toThrow(GluonError);
    expect(() => layer(nd.array(1))).toThrow(`${layer.name}: expected data of rank >= 1, but got a 0-d array`);
  });
});
