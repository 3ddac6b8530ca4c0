import { GluonError, NDArray, autograd, nd } from '../../src';
import { makeRng, randomArray } from '../helpers/naive_ops';

describe('nd.Flatten', () => {
  it.each([
    [[2, 3, 4], [2, 12]],
    [[5], [5, 1]],
    [[3, 1], [3, 1]],
    [[2, 3, 0], [2, 0]],
    [[0, 4, 2], [0, 8]],
    [[2, 1, 2, 1, 3], [2, 6]],
  ])('%j → %j, keeping the row-major order', (shape, expected) => {
    const x = randomArray(makeRng(1), shape);
    const y = nd.Flatten(x);
    expect(y.shape).toEqual(expected);
    expect(y.toFloat32Array()).toEqual(x.toFloat32Array());
    expect(y.data).not.toBe(x.data);
  });

  it('reshapes the gradient back to the input shape', () => {
    const x = nd.arange(0, 6).reshape([1, 2, 3]);
    x.attachGrad();
    const y = autograd.record(() => nd.Flatten(x));
    y.backward(nd.array([[10, 20, 30, 40, 50, 60]]));
    expect(x.grad?.toArray()).toEqual([[[10, 20, 30], [40, 50, 60]]]);
  });

  it('rejects 0-d arrays and non-arrays', () => {
    expect(() => nd.Flatten(nd.array(3))).toThrow(GluonError);
    expect(() => nd.Flatten(nd.array(3))).toThrow('Flatten: expected data of rank >= 1, but got a 0-d array');
    expect(() => nd.Flatten({} as NDArray)).toThrow('Flatten: expected data to be an NDArray, but got none');
    expect(() => nd.Flatten(5 as unknown as NDArray)).toThrow('Flatten: expected data to be an NDArray, but got the number 5');
  });
});
