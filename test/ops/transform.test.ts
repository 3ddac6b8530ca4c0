import { nd, NDArray } from '../../src';
import { expectClose, makeRng, naiveBinary, naiveTranspose, randomArray, refOf } from '../helpers/naive_ops';

const rng = makeRng(5);

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((first, i) => permutations(items.filter((_, j) => j !== i)).map((rest) => [first, ...rest]));
}

describe('reshape', () => {
  const x = randomArray(rng, [2, 3, 4]);

  it('keeps the row-major values and takes the new shape', () => {
    const y = nd.reshape(x, { shape: [4, 6] });
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
    expect(nd.reshape(x, { shape: spec }).shape).toEqual(shape);
  });

  it('reshapes 0-d, to 0-d and 0-size arrays', () => {
    expect(nd.reshape(nd.array(3), { shape: [1, 1] }).toArray()).toEqual([[3]]);
    expect(nd.reshape(nd.array([3]), { shape: [] }).toArray()).toBe(3);
    expect(nd.reshape(nd.zeros([0, 3]), { shape: [3, -1] }).shape).toEqual([3, 0]);
  });

  it.each([
    [[-2], [2, 3, 4]],
    [[2, -2], [2, 3, 4]],
    [[-3, 4], [6, 4]],
    [[0, -3], [2, 12]],
    [[-4, 1, 2, -2], [1, 2, 3, 4]],
    [[-4, -1, 1, 3, 4], [2, 1, 3, 4]],
    [[0, -4, 3, -1, 4], [2, 3, 1, 4]],
  ])("resolves MXNet's special codes %j to %j", (spec, shape) => {
    expect(nd.reshape(x, { shape: spec }).shape).toEqual(shape);
  });

  it('matches the codes from the last axis with reverse, as MXNet', () => {
    // MXNet's documented example: (10, 5, 4) with (-1, 0) gives (40, 5), with reverse (50, 4).
    const y = nd.zeros([10, 5, 4]);
    expect(nd.reshape(y, { shape: [-1, 0] }).shape).toEqual([40, 5]);
    expect(nd.reshape(y, { shape: [-1, 0], reverse: true }).shape).toEqual([50, 4]);
  });

  it('accepts varargs and an array as a method', () => {
    expect(x.reshape(6, 4).shape).toEqual([6, 4]);
    expect(x.reshape([0, -1]).shape).toEqual([2, 12]);
  });

  it('explains every invalid shape', () => {
    const bad = 'Reshape: cannot reshape an input of shape (2, 3, 4) to ';
    expect(() => nd.reshape(x, { shape: [5, 5] })).toThrow(`${bad}(5, 5): the result has 25 elements, the input 24`);
    expect(() => nd.reshape(x, { shape: [-1, -1] })).toThrow(`${bad}(-1, -1): only one dimension can be inferred (-1)`);
    expect(() => nd.reshape(x, { shape: [-1, 5] })).toThrow(`${bad}(-1, 5): the other dimensions (product 5) do not divide the input size 24`);
    expect(() => nd.reshape(x, { shape: [0, 0, 0, 0] })).toThrow(`${bad}(0, 0, 0, 0): the codes read more input dimensions than there are`);
    expect(() => nd.reshape(x, { shape: [-4, 5, -1, -2] })).toThrow(`${bad}(-4, 5, -1, -2): 5, -1 do not split 2`);
    expect(() => nd.reshape(x, { shape: [-4, -1, -1] })).toThrow(`${bad}(-4, -1, -1): the two dimensions after -4 cannot both be -1`);
    expect(() => nd.reshape(x, { shape: [2, -4] })).toThrow(`${bad}(2, -4): -4 must be followed by two dimensions`);
    expect(() => nd.reshape(x, { shape: [-5] })).toThrow(`${bad}(-5,): -5 is not a dimension or one of the codes 0, -1, -2, -3, -4`);
    expect(() => nd.reshape(nd.zeros([0, 3]), { shape: [0, -1] })).toThrow('Reshape: cannot reshape an input of shape (0, 3) to (0, -1): the other dimensions (product 0) do not divide the input size 0');
    expect(() => nd.reshape(x, { shape: [2.5] })).toThrow('Reshape: expected shape to be a tuple of integers, but got [2.5]');
    expect(() => nd.reshape(x, { shape: 6 as unknown as number[] })).toThrow('Reshape: expected shape to be a tuple of integers, but got the number 6');
    expect(() => nd.reshape(x, { shape: [2 ** 40, 0, -1] })).toThrow(`${bad}(1099511627776, 0, -1): the other dimensions`);
    expect(() => nd.reshape(x, [4, 6] as never)).toThrow('Reshape: Reshape takes 1 input(s) (data) with these options, but got 2 (options go last, in one object)');
    expect(() => nd.reshape(x, { shape: [24], size: 24 } as never)).toThrow("Reshape: expected options among shape, reverse, targetShape, keepHighest, but got unknown option 'size'");
  });

  it("reads old files' deprecated targetShape (one 0 inferred) and keepHighest", () => {
    expect(nd.reshape(x, { targetShape: [4, 0] } as never).shape).toEqual([4, 6]);
    expect(nd.reshape(x, { targetShape: [7, 0], keepHighest: true } as never).shape).toEqual([2, 12]);
  });
});

describe('transpose', () => {
  const x = randomArray(rng, [2, 3, 4, 5]);

  it.each(permutations([0, 1, 2, 3]).map((p) => [p]))('permutes a 4-d array by %j', (perm) => {
    expectClose(nd.transpose(x, { axes: perm }), naiveTranspose(refOf(x), perm));
  });

  it('reverses the axes by default and accepts negative axes', () => {
    expectClose(nd.transpose(x), naiveTranspose(refOf(x), [3, 2, 1, 0]));
    expectClose(nd.transpose(x, { axes: [-1, 0, -2, 1] }), naiveTranspose(refOf(x), [3, 0, 2, 1]));
  });

  it('handles size-1 and 0-size axes', () => {
    const y = randomArray(rng, [1, 4, 1, 3]);
    expectClose(nd.transpose(y, { axes: [3, 2, 1, 0] }), naiveTranspose(refOf(y), [3, 2, 1, 0]));
    expect(nd.transpose(nd.zeros([2, 0, 3])).shape).toEqual([3, 0, 2]);
    expect(nd.transpose(nd.array(5)).toArray()).toBe(5);
  });

  it('rejects axes that are not a permutation', () => {
    expect(() => nd.transpose(x, { axes: [0, 1, 2] })).toThrow('transpose: expected axes to be a permutation of the 4 axes of the input, but got (0, 1, 2)');
    expect(() => nd.transpose(x, { axes: [0, 1, 1, 2] })).toThrow('transpose: expected axes to be a permutation of the 4 axes of the input, but got (0, 1, 1, 2)');
    expect(() => nd.transpose(x, { axes: [0, 1, 3, -1] })).toThrow('transpose: expected axes to be a permutation of the 4 axes of the input, but got (0, 1, 3, -1)');
    expect(() => nd.transpose(x, { axes: [0, 1, 2, 4] })).toThrow('transpose: expected an axis in [-4, 3] for an input of rank 4, but got 4');
  });
});

describe('swapaxes', () => {
  const x = randomArray(rng, [2, 3, 4]);

  it.each([[0, 2, [2, 1, 0]], [1, -1, [0, 2, 1]], [-3, 1, [1, 0, 2]], [1, 1, [0, 1, 2]]])('swaps %d and %d', (a, b, perm) => {
    expectClose(nd.swapaxes(x, { dim1: a as number, dim2: b as number }), naiveTranspose(refOf(x), perm as number[]));
  });

  it('rejects a bad axis', () => {
    expect(() => nd.swapaxes(x, { dim1: 0, dim2: 3 })).toThrow('SwapAxis: expected an axis in [-3, 2] for an input of rank 3, but got 3');
  });
});

describe('expandDims, squeeze, flatten', () => {
  const x = randomArray(rng, [2, 3]);

  it.each([[0, [1, 2, 3]], [1, [2, 1, 3]], [2, [2, 3, 1]], [-1, [2, 3, 1]], [-3, [1, 2, 3]]])('expandDims at %d', (axis, shape) => {
    const y = nd.expandDims(x, { axis: axis as number });
    expect(y.shape).toEqual(shape);
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
  });

  it('squeezes all length-1 axes or the given ones, keeping at least one axis', () => {
    const y = nd.zeros([1, 2, 1, 3, 1]);
    expect(nd.squeeze(y).shape).toEqual([2, 3]);
    expect(nd.squeeze(y, { axis: 2 }).shape).toEqual([1, 2, 3, 1]);
    expect(nd.squeeze(y, { axis: [0, -1] }).shape).toEqual([2, 1, 3]);
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
    expect(() => nd.expandDims(x, { axis: 3 })).toThrow('expand_dims: expected an axis in [-3, 2] for an input of rank 3, but got 3');
    expect(() => nd.squeeze(x, { axis: 1 })).toThrow('squeeze: expected axis 1 to have length 1, but got length 3 (input shape (2, 3))');
    expect(() => nd.squeeze(x, { axis: 2 })).toThrow('squeeze: expected an axis in [-2, 1] for an input of rank 2, but got 2');
    expect(() => nd.flatten(nd.array(1))).toThrow('Flatten: expected data of rank >= 1, but got a 0-d array');
  });
});

describe('broadcastTo', () => {
  it.each([
    [[3], [2, 3]],
    [[2, 1], [2, 4]],
    [[1, 3, 1], [2, 3, 4]],
    [[], [2, 2]],
    [[2, 3], [2, 3]],
    [[4, 1, 2], [3, 4, 5, 2]],
  ])('broadcasts %j to %j', (from, to) => {
    const x = randomArray(rng, from);
    expectClose(nd.broadcastTo(x, { shape: to }), naiveBinary((v) => v, refOf(x), { shape: to, data: new Array<number>(to.reduce((a, b) => a * b, 1)).fill(0) }));
  });

  it('rejects shapes it cannot broadcast to', () => {
    expect(() => nd.broadcastTo(nd.zeros([2, 3]), { shape: [3] })).toThrow('broadcast_to: expected a target shape that (2, 3) broadcasts to (aligned at the last axis, each input dimension equal or 1), but got (3,)');
    expect(() => nd.broadcastTo(nd.zeros([2, 3]), { shape: [4, 3] })).toThrow('but got (4, 3)');
    expect(() => nd.broadcastTo(nd.zeros([2]), { shape: [-1, 2] })).toThrow('broadcast_to: expected shape to be a tuple of integers >= 0, but got [-1, 2]');
    // As MXNet, a 0 keeps the input's dimension.
    expect(nd.broadcastTo(nd.zeros([2, 1]), { shape: [0, 3] }).shape).toEqual([2, 3]);
  });
});

describe('input validation', () => {
  it.each([
    ['Reshape', () => nd.reshape(1 as unknown as NDArray, { shape: [1] })],
    ['transpose', () => nd.transpose(1 as unknown as NDArray)],
    ['SwapAxis', () => nd.swapaxes(1 as unknown as NDArray, { dim1: 0, dim2: 0 })],
    ['expand_dims', () => nd.expandDims(1 as unknown as NDArray, { axis: 0 })],
    ['squeeze', () => nd.squeeze(1 as unknown as NDArray)],
    ['Flatten', () => nd.flatten(1 as unknown as NDArray)],
    ['broadcast_to', () => nd.broadcastTo(1 as unknown as NDArray, { shape: [1] })],
  ])('%s rejects a non-NDArray input', (name, call) => {
    expect(call).toThrow(`${name}: expected data to be an NDArray, but got the number 1`);
  });
});

describe('reshapeLike and broadcastLike', () => {
  it('take the shape of the second array, which gets no gradient', () => {
    const a = randomArray(rng, [2, 6]);
    const b = nd.zeros([3, 4]);
    expect(Array.from(nd.reshapeLike(a, b).data)).toEqual(Array.from(a.data));
    expect(nd.reshapeLike(a, b).shape).toEqual([3, 4]);
    expect(nd.reshapeLike(nd.zeros([2, 3, 4]), nd.zeros([6]), { lhsBegin: 0, lhsEnd: 2 }).shape).toEqual([6, 4]);
    expectClose(nd.broadcastLike(nd.array([[1], [2]]), nd.zeros([2, 3])), { shape: [2, 3], data: [1, 1, 1, 2, 2, 2] });
    expect(nd.broadcastLike(nd.zeros([1, 2, 1]), nd.zeros([5, 6]), { lhsAxes: [0, 2], rhsAxes: [0, 1] }).shape).toEqual([5, 2, 6]);
  });

  it('explain what does not fit', () => {
    expect(() => nd.reshapeLike(nd.zeros([5]), nd.zeros([2, 3]))).toThrow('reshape_like: cannot reshape lhs of shape (5,) like rhs of shape (2, 3): 6 elements vs 5');
    expect(() => nd.broadcastLike(nd.zeros([2]), nd.zeros([3]))).toThrow('broadcast_like: expected a target shape that (2,) broadcasts to');
    expect(() => nd.broadcastLike(nd.zeros([1]), nd.zeros([3]), { lhsAxes: [0], rhsAxes: [] })).toThrow('broadcast_like: expected lhsAxes and rhsAxes of the same length, but got (0,) and ()');
  });
});
