import { autograd, nd, NDArray } from '../../src';
import { checkAgainst, naiveBroadcastTo, naiveConcat, naiveReshape, naiveSliceAxis } from '../helpers/grad_refs';
import { makeRng, naiveTranspose, randomArray, Ref } from '../helpers/naive_ops';

const rng = makeRng(9);

describe('reshaping ops pass the gradient back in the input shape', () => {
  const x = (): NDArray => randomArray(rng, [2, 3, 2]);

  it.each([
    ['reshape with 0 and -1', (v: NDArray) => nd.reshape(v, { shape: [0, -1] }), [2, 6]],
    ['reshape to 1-D', (v: NDArray) => nd.reshape(v, { shape: [12] }), [12]],
    ['reshape with -3 and -2', (v: NDArray) => nd.reshape(v, { shape: [-3, -2] }), [6, 2]],
    ['flatten', nd.flatten, [2, 6]],
    ['expandDims at a negative axis', (v: NDArray) => nd.expandDims(v, { axis: -1 }), [2, 3, 2, 1]],
    ['expandDims at 0', (v: NDArray) => nd.expandDims(v, { axis: 0 }), [1, 2, 3, 2]],
  ] as [string, (v: NDArray) => NDArray, number[]][])('%s', (_, op, shape) => {
    checkAgainst(op, [x()], (v: Ref) => naiveReshape(v, shape));
  });

  it('squeeze, of all or of chosen axes', () => {
    const y = randomArray(rng, [1, 3, 1, 2]);
    checkAgainst((v) => nd.squeeze(v), [y], (v: Ref) => naiveReshape(v, [3, 2]));
    checkAgainst((v) => nd.squeeze(v, { axis: -2 }), [y], (v: Ref) => naiveReshape(v, [1, 3, 2]));
  });

  it('keeps zero-length axes in the gradient shape', () => {
    const z = nd.zeros([2, 0, 3]);
    z.attachGrad();
    autograd.record(() => nd.reshape(z, { shape: [3, -1] }).sum()).backward();
    expect(z.grad?.shape).toEqual([2, 0, 3]);
  });
});

describe('permutations apply the inverse permutation to the gradient', () => {
  const x = (): NDArray => randomArray(rng, [2, 3, 4]);

  it.each([
    [[], [2, 1, 0]],
    [[1, 2, 0], [1, 2, 0]],
    [[2, 0, 1], [2, 0, 1]],
    [[-1, 0, -2], [2, 0, 1]],
  ] as [number[], number[]][])('transpose %j', (axes, perm) => {
    checkAgainst((v) => nd.transpose(v, { axes }), [x()], (v: Ref) => naiveTranspose(v, perm));
  });

  it.each([
    [0, 2, [2, 1, 0]],
    [-1, 1, [0, 2, 1]],
    [1, 1, [0, 1, 2]],
  ] as [number, number, number[]][])('swapaxes %i, %i', (a, b, perm) => {
    const v = x();
    v.attachGrad();
    expect(autograd.record(() => nd.swapaxes(v, { dim1: a, dim2: b })).tapeNode?.op).toBe('SwapAxis');
    checkAgainst((w) => nd.swapaxes(w, { dim1: a, dim2: b }), [x()], (w: Ref) => naiveTranspose(w, perm));
  });
});

describe('broadcastTo sums the gradient over the repeated axes', () => {
  it.each([
    [[3], [2, 3]],
    [[1], [2, 3]],
    [[2, 1], [2, 3]],
    [[3, 1], [2, 3, 4]],
    [[1, 3, 1], [2, 3, 2]],
    [[2, 3], [2, 3]],
  ])('from %j to %j', (from, to) => {
    checkAgainst((v) => nd.broadcastTo(v, { shape: to }), [randomArray(rng, from)], (v: Ref) => naiveBroadcastTo(v, to));
  });
});

describe('concat and sliceAxis', () => {
  it.each([0, 1, -1])('concat slices the gradient back to each array along axis %i', (axis) => {
    const a = (axis + 3) % 3;
    const inputs = [2, 1, 3].map((length) => randomArray(rng, [2, 3, 2].map((d, i) => (i === a ? length : d))));
    checkAgainst((...xs) => nd.concat(xs, axis), inputs, (...xs: Ref[]) => naiveConcat(xs, a));
  });

  it('concat sends the gradient of an array listed twice to it twice', () => {
    const x = randomArray(rng, [2, 2]);
    checkAgainst((v) => nd.concat([v, v], 0), [x], (v: Ref) => naiveConcat([v, v], 0));
  });

  it.each([
    [0, 1, 2, 0, 1, 2],
    [1, 0, null, 1, 0, 4],
    [-1, -2, null, 2, 1, 3],
    [1, 1, 3, 1, 1, 3],
    [2, 0, 1, 2, 0, 1],
    [1, 2, 2, 1, 2, 2],
  ] as [number, number, number | null, number, number, number][])(
    'sliceAxis(axis %i, %i, %s) pads the gradient with zeros',
    (axis, begin, end, a, from, to) => {
      const x = randomArray(rng, [3, 4, 3]);
      checkAgainst((v) => nd.sliceAxis(v, axis, begin, end), [x], (v: Ref) => naiveSliceAxis(v, a, from, to));
    },
  );
});
