import { autograd, nd, NDArray } from '../../src';
import { checkAgainst, naiveBroadcastTo, naiveReshape } from '../helpers/grad_refs';
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
