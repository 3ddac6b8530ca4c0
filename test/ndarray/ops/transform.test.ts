import { nd, NDArray } from '../../../src';
import { expectClose, makeRng, naiveBinary, naiveTranspose, randomArray, refOf } from '../../helpers/naive_ops';

const rng = makeRng(5);

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((first, i) => permutations(items.filter((_, j) => j !== i)).map((rest) => [first, ...rest]));
}

describe('reshape', () => {
  const x = randomArray(rng, [2, 3, 4]);

  it('keeps the row-major values and takes the new shape', () => {
    const y = nd.reshape(x, [4, 6]);
    expect(y.shape).toEqual([4, 6]);
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
  });

  it.each([
    [[0, -1], [2, 12]],
    [[-1, 4], [6, 4]],
    [[0, 0, -1], [2, 3, 4]],
    [[0, 3, 2, 2], [2, 3, 2, 2]],
    [[24], [24]],
    [[-1], [24]],
    [[1, -1, 1], [1, 24, 1]],
  ])('resolves MXNet codes %j to %j', (spec, shape) => {
    expect(nd.reshape(x, spec).shape).toEqual(shape);
  });

  it('reshapes 0-d, to 0-d and 0-size arrays', () => {
    expect(nd.reshape(nd.array(3), [1, 1]).toArray()).toEqual([[3]]);
    expect(nd.reshape(nd.array([3]), []).toArray()).toBe(3);
    expect(nd.reshape(nd.zeros([0, 3]), [3, -1]).shape).toEqual([3, 0]);
  });

  it('accepts varargs and an array as a method', () => {
    expect(x.reshape(6, 4).shape).toEqual([6, 4]);
    expect(x.reshape([0, -1]).shape).toEqual([2, 12]);
  });

  it('explains every invalid shape', () => {
    expect(() => nd.reshape(x, [5, 5])).toThrow('reshape: expected a shape with 24 elements (the input has shape (2, 3, 4)), but got (5, 5) with 25 elements');
    expect(() => nd.reshape(x, [-1, -1])).toThrow('reshape: expected at most one -1, but got (-1, -1)');
    expect(() => nd.reshape(x, [-1, 5])).toThrow('reshape: cannot infer the -1 in (-1, 5): expected the other dimensions to divide the input size 24 (shape (2, 3, 4)), but their product is 5');
    expect(() => nd.reshape(nd.zeros([0, 3]), [-1, 0, 0])).toThrow('reshape: expected 0 only at positions below the input rank 2 (it copies that input dimension), but got (-1, 0, 0)');
    expect(() => nd.reshape(nd.zeros([0, 3]), [0, -1])).toThrow('reshape: cannot infer the -1 in (0, -1): expected the other dimensions to divide the input size 0 (shape (0, 3)), but their product is 0');
    expect(() => nd.reshape(x, [2, -2, 3])).toThrow('reshape: expected a shape of integers >= 0, with 0 to copy an input dimension and -1 to infer one, but got (2, -2, 3)');
    expect(() => nd.reshape(x, [2.5])).toThrow('reshape: expected a shape of integers >= 0');
    expect(() => nd.reshape(x, 6 as unknown as number[])).toThrow('reshape: expected a shape of integers >= 0, with 0 to copy an input dimension and -1 to infer one, but got number 6');
    expect(() => nd.reshape(x, [2 ** 40, 0, -1])).toThrow('reshape: cannot infer the -1');
  });
});

describe('transpose', () => {
  const x = randomArray(rng, [2, 3, 4, 5]);

  it.each(permutations([0, 1, 2, 3]).map((p) => [p]))('permutes a 4-d array by %j', (perm) => {
    expectClose(nd.transpose(x, perm), naiveTranspose(refOf(x), perm));
  });

  it('reverses the axes by default and accepts negative axes', () => {
    expectClose(nd.transpose(x), naiveTranspose(refOf(x), [3, 2, 1, 0]));
    expectClose(nd.transpose(x, [-1, 0, -2, 1]), naiveTranspose(refOf(x), [3, 0, 2, 1]));
  });

  it('handles size-1 and 0-size axes', () => {
    const y = randomArray(rng, [1, 4, 1, 3]);
    expectClose(nd.transpose(y, [3, 2, 1, 0]), naiveTranspose(refOf(y), [3, 2, 1, 0]));
    expect(nd.transpose(nd.zeros([2, 0, 3])).shape).toEqual([3, 0, 2]);
    expect(nd.transpose(nd.array(5)).toArray()).toBe(5);
  });

  it('rejects axes that are not a permutation', () => {
    expect(() => nd.transpose(x, [0, 1, 2])).toThrow('transpose: expected axes to be a permutation of the 4 axes of the input, but got (0, 1, 2)');
    expect(() => nd.transpose(x, [0, 1, 1, 2])).toThrow('transpose: expected axes to be a permutation of the 4 axes of the input, but got (0, 1, 1, 2)');
    expect(() => nd.transpose(x, [0, 1, 3, -1])).toThrow('transpose: expected axes to be a permutation of the 4 axes of the input, but got (0, 1, 3, -1)');
    expect(() => nd.transpose(x, [0, 1, 2, 4])).toThrow('transpose: expected an axis in [-4, 3] for an input of rank 4, but got 4');
  });
});

describe('swapaxes', () => {
  const x = randomArray(rng, [2, 3, 4]);

  it.each([[0, 2, [2, 1, 0]], [1, -1, [0, 2, 1]], [-3, 1, [1, 0, 2]], [1, 1, [0, 1, 2]]])('swaps %d and %d', (a, b, perm) => {
    expectClose(nd.swapaxes(x, a as number, b as number), naiveTranspose(refOf(x), perm as number[]));
  });

  it('rejects a bad axis', () => {
    expect(() => nd.swapaxes(x, 0, 3)).toThrow('swapaxes: expected an axis in [-3, 2] for an input of rank 3, but got 3');
  });
});

describe('expandDims, squeeze, flatten', () => {
  const x = randomArray(rng, [2, 3]);

  it.each([[0, [1, 2, 3]], [1, [2, 1, 3]], [2, [2, 3, 1]], [-1, [2, 3, 1]], [-3, [1, 2, 3]]])('expandDims at %d', (axis, shape) => {
    const y = nd.expandDims(x, axis as number);
    expect(y.shape).toEqual(shape);
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
  });

  it('squeezes all length-1 axes or the given ones, keeping at least one axis', () => {
    const y = nd.zeros([1, 2, 1, 3, 1]);
    expect(nd.squeeze(y).shape).toEqual([2, 3]);
    expect(nd.squeeze(y, 2).shape).toEqual([1, 2, 3, 1]);
    expect(nd.squeeze(y, [0, -1]).shape).toEqual([2, 1, 3]);
    expect(nd.squeeze(nd.zeros([1, 1])).shape).toEqual([1]);
    expect(nd.squeeze(nd.array([[[4]]])).toArray()).toEqual([4]);
  });

  it('flattens (N, …) to (N, rest), as mx.nd.flatten', () => {
    expect(nd.flatten(nd.zeros([2, 3, 4])).shape).toEqual([2, 12]);
    expect(nd.flatten(nd.zeros([5])).shape).toEqual([5, 1]);
    expect(nd.flatten(nd.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(Array.from(nd.flatten(x).data)).toEqual(Array.from(x.data));
  });

  it('explains bad axes and ranks', () => {
    expect(() => nd.expandDims(x, 3)).toThrow('expandDims: expected an axis in [-3, 2] for an input of rank 3, but got 3');
    expect(() => nd.squeeze(x, 1)).toThrow('squeeze: expected axis 1 to have length 1, but got length 3 (input shape (2, 3))');
    expect(() => nd.squeeze(x, 2)).toThrow('squeeze: expected an axis in [-2, 1] for an input of rank 2, but got 2');
    expect(() => nd.flatten(nd.array(1))).toThrow('flatten: expected an input of rank >= 1, but got a 0-d array');
  });
});

describe('broadcastTo', () => {
  it.each([
    [[3], [2, 3]],
    [[2, 1], [2, 4]],
    [[1, 3, 1], [2, 3, 4]],
    [[], [2, 2]],
    [[1], [0]],
    [[2, 3], [2, 3]],
    [[4, 1, 2], [3, 4, 5, 2]],
  ])('broadcasts %j to %j', (from, to) => {
    const x = randomArray(rng, from);
    expectClose(nd.broadcastTo(x, to), naiveBinary((v) => v, refOf(x), { shape: to, data: new Array<number>(to.reduce((a, b) => a * b, 1)).fill(0) }));
  });

  it('rejects shapes it cannot broadcast to', () => {
    expect(() => nd.broadcastTo(nd.zeros([2, 3]), [3])).toThrow('broadcastTo: expected a target shape that (2, 3) broadcasts to (aligned at the last axis, each input dimension equal or 1), but got (3,)');
    expect(() => nd.broadcastTo(nd.zeros([2, 3]), [4, 3])).toThrow('but got (4, 3)');
    expect(() => nd.broadcastTo(nd.zeros([2]), [-1, 2])).toThrow('broadcastTo: expected a shape of non-negative integers, but got (-1, 2)');
  });
});

describe('input validation', () => {
  it.each([
    ['reshape', () => nd.reshape(1 as unknown as NDArray, [1])],
    ['transpose', () => nd.transpose(1 as unknown as NDArray)],
    ['swapaxes', () => nd.swapaxes(1 as unknown as NDArray, 0, 0)],
    ['expandDims', () => nd.expandDims(1 as unknown as NDArray, 0)],
    ['squeeze', () => nd.squeeze(1 as unknown as NDArray)],
    ['flatten', () => nd.flatten(1 as unknown as NDArray)],
    ['broadcastTo', () => nd.broadcastTo(1 as unknown as NDArray, [1])],
  ])('%s rejects a non-NDArray input', (name, call) => {
    expect(call).toThrow(`${name}: expected input to be an NDArray, but got number 1`);
  });
});
