import { GluonError, NDArray, autograd, init, nd, nn, sym } from '../../src';
import type { Symbol } from '../../src/symbol/symbol';

describe('nn.Embedding', () => {
  it('creates a (inputDim, outputDim) weight named <prefix>weight and prints as Gluon', () => {
    const embed = new nn.Embedding(10, 4);
    expect(embed.prefix).toMatch(/^embedding\d+_$/);
    expect([...embed.collectParams().keys()]).toEqual([`${embed.prefix}weight`]);
    expect(embed.weight.shape).toEqual([10, 4]);
    expect(embed.toString()).toBe('Embedding(10 -> 4, float32)');
  });

  it('looks up rows of its weight', () => {
    const embed = new nn.Embedding(3, 2, { weightInitializer: new init.Constant(0) });
    embed.initialize();
    embed.weight.setData(nd.array([[0, 1], [2, 3], [4, 5]]));
    expect(embed(nd.array([[2, 0], [1, 1]])).toArray()).toEqual([[[4, 5], [0, 1]], [[2, 3], [2, 3]]]);
  });

  it('uses its own initializer before the one given to initialize()', () => {
    const own = new nn.Embedding(2, 2, { weightInitializer: 'ones' });
    own.initialize('zeros');
    expect(own.weight.data().toArray()).toEqual([[1, 1], [1, 1]]);
    const plain = new nn.Embedding(2, 2);
    plain.initialize('zeros');
    expect(plain.weight.data().toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it('accumulates the weight gradient of repeated indices', () => {
    const embed = new nn.Embedding(4, 3);
    embed.initialize();
    autograd.record(() => embed(nd.array([1, 3, 1]))).backward();
    expect(embed.weight.grad().toArray()).toEqual([[0, 0, 0], [2, 2, 2], [0, 0, 0], [1, 1, 1]]);
  });

  it('traces to an Embedding node named <prefix>fwd with its weight, and runs hybridized', () => {
    const embed = new nn.Embedding(5, 2);
    const y = embed(sym.var('data')) as Symbol;
    expect(y.listArguments()).toEqual(['data', `${embed.prefix}weight`]);
    expect(y.toJson()).toContain(`"name": "${embed.prefix}fwd"`);
    embed.initialize();
    const x = nd.array([[4, 0], [1, 1]]);
    const imperative = (embed(x) as NDArray).toArray();
    embed.hybridize();
    expect((embed(x) as NDArray).toArray()).toEqual(imperative);
  });

  it('rejects bad sizes and out-of-range indices', () => {
    expect(() => new nn.Embedding(0, 4)).toThrow(GluonError);
    expect(() => new nn.Embedding(0, 4)).toThrow(/^embedding\d+: expected inputDim to be an integer >= 1, but got the number 0$/);
    expect(() => new nn.Embedding(5, -2)).toThrow(/^embedding\d+: expected outputDim to be an integer >= 1, but got the number -2$/);
    expect(() => new nn.Embedding(5, 2.5)).toThrow(/expected outputDim to be an integer >= 1, but got the number 2.5$/);
    const embed = new nn.Embedding(5, 2);
    embed.initialize();
    expect(() => embed(nd.array([7]))).toThrow(`${embed.name}: expected integer indices in [0, 4] (inputDim 5), but got 7 at flat position 0 of data of shape (1,)`);
  });
});
