import { nd, NDArray } from '../../../src';
import { expectClose, makeRng, randomArray, ravel, Ref, refOf, sizeOf, unravel } from '../../helpers/naive_ops';

const rng = makeRng(9);

/** Concatenation by definition: output index i along `axis` comes from the array covering i. */
function naiveConcat(parts: Ref[], axis: number): Ref {
  const shape = parts[0].shape.slice();
  shape[axis] = parts.reduce((s, p) => s + p.shape[axis], 0);
  const data: number[] = [];
  for (let flat = 0; flat < sizeOf(shape); flat++) {
    const index = unravel(flat, shape);
    let part = 0;
    while (index[axis] >= parts[part].shape[axis]) index[axis] -= parts[part++].shape[axis];
    data.push(parts[part].data[ravel(index, parts[part].shape)]);
  }
  return { shape, data };
}

function naiveSlice(x: Ref, axis: number, begin: number, end: number): Ref {
  const shape = x.shape.slice();
  shape[axis] = end - begin;
  const data: number[] = [];
  for (let flat = 0; flat < sizeOf(shape); flat++) {
    const index = unravel(flat, shape);
    index[axis] += begin;
    data.push(x.data[ravel(index, x.shape)]);
  }
  return { shape, data };
}

describe('concat', () => {
  it.each([0, 1, 2, -1, -3])('joins arrays of different lengths along axis %d', (axis) => {
    const a = (axis + 3) % 3;
    const parts = [2, 0, 3, 1].map((len) => randomArray(rng, [2, 3, 4].map((d, i) => (i === a ? len : d))));
    expectClose(nd.concat(parts, axis), naiveConcat(parts.map(refOf), a));
  });

  it('defaults to axis 1, as mx.nd.concat', () => {
    expect(nd.concat([nd.zeros([2, 1]), nd.ones([2, 3])]).shape).toEqual([2, 4]);
  });

  it('joins a single array and 1-d arrays', () => {
    expect(nd.concat([nd.array([1, 2])], 0).toArray()).toEqual([1, 2]);
    expect(nd.concat([nd.array([1, 2]), nd.array([3])], 0).toArray()).toEqual([1, 2, 3]);
  });

  it('explains mismatched inputs', () => {
    expect(() => nd.concat([nd.zeros([2, 3, 4]), nd.zeros([2, 5, 4]), nd.zeros([2, 3, 5])], 1)).toThrow(
      'concat: expected every array to have shape (2, *, 4) (any length on axis 1), but arrays[2] has shape (2, 3, 5)',
    );
    expect(() => nd.concat([nd.zeros([2]), nd.zeros([2, 1])], 0)).toThrow('concat: expected every array to have shape (*,) (any length on axis 0), but arrays[1] has shape (2, 1)');
    expect(() => nd.concat([], 0)).toThrow('concat: expected a non-empty array of NDArrays, but got an array of length 0');
    expect(() => nd.concat(nd.zeros([2]) as unknown as NDArray[], 0)).toThrow('concat: expected a non-empty array of NDArrays, but got an NDArray of shape (2,)');
    expect(() => nd.concat([nd.zeros([2]), 5 as unknown as NDArray], 0)).toThrow('concat: expected arrays[1] to be an NDArray, but got number 5');
    expect(() => nd.concat([nd.zeros([2])], 1)).toThrow('concat: expected an axis in [-1, 0] for an input of rank 1, but got 1');
    expect(() => nd.concat([nd.zeros([2])], 0.5)).toThrow('concat: expected axis to be an integer, but got number 0.5');
  });
});

describe('sliceAxis', () => {
  const x = randomArray(rng, [3, 4, 5]);

  it.each([
    [0, 1, 3, 1, 3],
    [1, 0, null, 0, 4],
    [2, -2, null, 3, 5],
    [-1, 1, -1, 1, 4],
    [1, 2, 2, 2, 2],
    [-3, -3, -2, 0, 1],
  ])('slices axis %d from %d to %p', (axis, begin, end, from, to) => {
    const a = ((axis as number) + 3) % 3;
    expectClose(nd.sliceAxis(x, axis as number, begin as number, end as number | null), naiveSlice(refOf(x), a, from as number, to as number));
  });

  it('treats an absent end as the axis length', () => {
    expectClose(nd.sliceAxis(x, 0, 1), naiveSlice(refOf(x), 0, 1, 3));
  });

  it('explains bad bounds and axes', () => {
    expect(() => nd.sliceAxis(x, 1, 3, 2)).toThrow('sliceAxis: expected 0 <= begin <= end <= 4 (negative values count from the end of axis 1), but got begin=3, end=2');
    expect(() => nd.sliceAxis(x, 1, 0, 5)).toThrow('sliceAxis: expected 0 <= begin <= end <= 4 (negative values count from the end of axis 1), but got begin=0, end=5');
    expect(() => nd.sliceAxis(x, 1, -5)).toThrow('but got begin=-5, end=null');
    expect(() => nd.sliceAxis(x, 3, 0)).toThrow('sliceAxis: expected an axis in [-3, 2] for an input of rank 3, but got 3');
    expect(() => nd.sliceAxis(x, 0, 0.5)).toThrow('sliceAxis: expected begin to be an integer, but got number 0.5');
    expect(() => nd.sliceAxis(x, 0, 0, 1.5)).toThrow('sliceAxis: expected end to be an integer, but got number 1.5');
    expect(() => nd.sliceAxis('x' as unknown as NDArray, 0, 0)).toThrow('sliceAxis: expected input to be an NDArray, but got string x');
  });
});
