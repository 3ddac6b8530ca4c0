import { DeferredInitializationError, GluonError, autograd, nd, nn } from '../../src';
import { expectClose, layerCases, runLayerCase } from '../helpers/layer_fixtures';

describe('nn.Dense against PyTorch (forward and gradients)', () => {
  it.each(layerCases('Dense').map((c) => [c.name, c]))('%s', (_, c) => {
    const { y, grads } = runLayerCase(c);
    expect(y.shape).toEqual(c.y_shape);
    expectClose(y.toFloat32Array(), c.y);
    expectClose(grads.x, c.grads.x);
    expectClose(grads.weight, c.grads.weight ?? []);
    if (c.options.useBias) expectClose(grads.bias, c.grads.bias ?? []);
    else expect(grads.bias).toBeUndefined();
  });
});

describe('nn.Dense', () => {
  it('defers its weight (units, inUnits) until the first input and prints as Gluon', () => {
    const dense = new nn.Dense(10, { activation: 'relu' });
    expect(dense.toString()).toBe('Dense(None -> 10, Activation(relu))');
    expect(dense.weight.shape).toEqual([10, 0]);
    expect(dense.bias?.shape).toEqual([10]);
    dense.initialize();
    expect(() => dense.weight.data()).toThrow(DeferredInitializationError);
    expect(dense(nd.ones([2, 1, 28, 28])).shape).toEqual([2, 10]);
    expect(dense.weight.shape).toEqual([10, 784]);
    expect(dense.toString()).toBe('Dense(784 -> 10, Activation(relu))');
    expect(new nn.Dense(3, { inUnits: 5 }).toString()).toBe('Dense(5 -> 3, linear)');
  });

  it('names its activation child inside its own scope, and collects weight then bias', () => {
    const dense = new nn.Dense(4, { activation: 'tanh' });
    expect(dense.act?.prefix).toBe(`${dense.prefix}tanh_`);
    expect([...dense.childEntries().keys()]).toEqual(['act']);
    expect([...dense.collectParams().keys()]).toEqual([`${dense.prefix}weight`, `${dense.prefix}bias`]);
    const noBias = new nn.Dense(4, { useBias: false });
    expect(noBias.bias).toBeNull();
    expect([...noBias.collectParams().keys()]).toEqual([`${noBias.prefix}weight`]);
    expect(noBias.act).toBeNull();
  });

  it('applies its activation after x·Wᵀ + b, with the initializers given', () => {
    const dense = new nn.Dense(2, { activation: 'relu', weightInitializer: 'ones', biasInitializer: 'ones', inUnits: 3 });
    dense.initialize();
    expect(dense(nd.array([[1, 2, 3]])).toArray()).toEqual([[7, 7]]);
    dense.bias?.setData(nd.array([-10, 1]));
    expect(dense(nd.array([[1, 2, 3]])).toArray()).toEqual([[0, 7]]);
  });

  it('keeps the leading axes without flatten', () => {
    const dense = new nn.Dense(3, { flatten: false });
    dense.initialize();
    expect(dense(nd.ones([2, 5, 4])).shape).toEqual([2, 5, 3]);
    expect(dense.weight.shape).toEqual([3, 4]);
  });

  it('trains: gradients reach weight and bias through the activation', () => {
    const dense = new nn.Dense(1, { activation: 'relu', inUnits: 2, weightInitializer: 'ones' });
    dense.initialize();
    const y = autograd.record(() => dense(nd.array([[1, 2], [-3, -4]])));
    y.backward();
    // Only the first row is positive after relu: dW = [1, 2], db = [1].
    expect(dense.weight.grad().toArray()).toEqual([[1, 2]]);
    expect(dense.bias?.grad().toArray()).toEqual([1]);
  });

  it('names the layer, the option and the values for bad arguments and inputs', () => {
    expect(() => new nn.Dense(0)).toThrow(/^dense\d+: expected units to be an integer >= 1, but got the number 0$/);
    expect(() => new nn.Dense(2.5)).toThrow(/expected units to be an integer >= 1, but got the number 2.5/);
    expect(() => new nn.Dense(2, { inUnits: -1 })).toThrow(/expected inUnits \(0 = infer\) to be an integer >= 0, but got the number -1/);
    expect(() => new nn.Dense(2, { activation: 'swish' as 'relu' }))
      .toThrow(/^dense\d+: expected activation to be one of 'relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish', but got 'swish'$/);
    expect(() => new nn.Dense(2, { useBias: 1 as never })).toThrow(GluonError);
    expect(() => new nn.Dense(2, { useBias: 1 as never })).toThrow(/expected useBias to be true or false, but got the number 1/);
    const dense = new nn.Dense(2);
    dense.initialize();
    dense(nd.ones([4, 3]));
    expect(() => dense(nd.ones([4, 5]))).toThrow(
      new RegExp(`^${dense.name}: expected 3 input units \\(as at initialization\\), but got 5 from an input of shape \\(4, 5\\) \\(flatten = true\\)$`),
    );
    expect(() => dense(nd.array([1], { shape: [] }))).toThrow(`${dense.name}: expected data of rank >= 1, but got a 0-d array`);
  });
});
