import { autograd, nd, NDArray } from '../../src';
import { AxisSpec } from '../../src/ops/methods';
import { reduceToShape } from '../../src/ops/reduce_to_shape';
import { checkAgainst } from '../helpers/grad_refs';
import { makeRng, naiveReduce, naiveSoftmax, randomArray, Ref, refMax, refMean, refMin, refSum } from '../helpers/naive_ops';

const rng = makeRng(5);

type ReduceFn = (x: NDArray, axis?: AxisSpec, keepdims?: boolean) => NDArray;
const positional = (op: typeof nd.sum): ReduceFn => (x, axis, keepdims) => op(x, { axis, keepdims });
const [sum, mean, max, min] = [nd.sum, nd.mean, nd.max, nd.min].map(positional);
const REDUCTIONS: [string, ReduceFn, (v: number[]) => number][] = [
  ['sum', sum, refSum],
  ['mean', mean, refMean],
  ['max', max, refMax],
  ['min', min, refMin],
];

/** Axis arguments: all, one, one negative, several (mixed signs), and `[]` (MXNet's "all"). */
const AXES: [AxisSpec, number[]][] = [
  [undefined, [0, 1, 2]],
  [1, [1]],
  [-1, [2]],
  [[0, -1], [0, 2]],
  [[-3, 1], [0, 1]],
  [[], [0, 1, 2]],
];

describe.each(REDUCTIONS)('%s gradient', (_, op, f) => {
  describe.each(AXES)('over axis %j', (axis, axes) => {
    it.each([false, true])('keepdims %s', (keepdims) => {
      const x = randomArray(rng, [2, 3, 4]);
      checkAgainst((v) => op(v, axis, keepdims), [x], (v: Ref) => naiveReduce(f, v, axes, keepdims));
    });
  });

  it('gives an empty input an empty gradient', () => {
    if (op === max || op === min) return; // reducing an empty axis throws for them
    const x = nd.zeros([2, 0, 3]);
    x.attachGrad();
    autograd.record(() => op(x, 0)).backward();
    expect(x.grad?.shape).toEqual([2, 0, 3]);
  });
});

describe('max and min at ties, as MXNet (_backward_max: dy · (x == max))', () => {
  const grad = (op: ReduceFn, values: number[][], axis?: AxisSpec): number[] => {
    const x = nd.array(values);
    x.attachGrad();
    const y = autograd.record(() => op(x, axis));
    y.backward(nd.array(Float32Array.from({ length: y.size }, (_, i) => 10 * (i + 1)), { shape: y.shape }));
    return Array.from(x.grad?.data ?? []);
  };

  it('gives every tied maximum the whole output gradient (ties are not split)', () => {
    expect(grad(max, [[1, 3, 3], [2, 2, 0]], 1)).toEqual([0, 10, 10, 20, 20, 0]);
    expect(grad(max, [[4, 1], [4, 4]])).toEqual([10, 0, 10, 10]);
  });

  it('gives every tied minimum the whole output gradient', () => {
    expect(grad(min, [[1, 3, 1], [2, 2, 5]], -1)).toEqual([10, 0, 10, 20, 20, 0]);
  });

  it('passes no gradient through a slice whose extremum is NaN', () => {
    expect(grad(max, [[1, NaN], [2, 3]], 1)).toEqual([0, 0, 0, 20]);
  });
});

describe('reduceToShape', () => {
  const ones = nd.ones([2, 3]);
  const like = (shape: number[]): NDArray => nd.zeros(shape);

  it('sums a broadcast result back to each operand shape', () => {
    expect(reduceToShape(nd, ones, like([3])).toArray()).toEqual([2, 2, 2]);
    expect(reduceToShape(nd, ones, like([2, 1])).toArray()).toEqual([[3], [3]]);
    expect(reduceToShape(nd, ones, like([1])).toArray()).toEqual([6]);
    expect(reduceToShape(nd, ones, like([])).toArray()).toBe(6);
    expect(reduceToShape(nd, ones, like([1, 3])).toArray()).toEqual([[2, 2, 2]]);
    expect(reduceToShape(nd, nd.ones([2, 0, 3]), like([1, 3])).toArray()).toEqual([[0, 0, 0]]);
  });

  it('returns the gradient itself when the shapes match', () => {
    expect(reduceToShape(nd, ones, like([2, 3]))).toBe(ones);
  });

  it('is differentiable: the gradient of a broadcast sum is the broadcast', () => {
    const g = nd.array([[1, 2, 3], [4, 5, 6]]);
    g.attachGrad();
    const [dg] = autograd.grad(autograd.record(() => reduceToShape(nd, g, like([3])).square().sum()), [g]);
    // d/dg Σ_j (Σ_i g_ij)² = 2·Σ_i g_ij, repeated over i.
    expect(dg.toArray()).toEqual([[10, 14, 18], [10, 14, 18]]);
  });
});

describe.each([
  ['softmax', (x: NDArray, axis?: number) => nd.softmax(x, { axis }), false],
  ['logSoftmax', (x: NDArray, axis?: number) => nd.logSoftmax(x, { axis }), true],
] as [string, (x: NDArray, axis?: number) => NDArray, boolean][])('%s gradient', (_, op, log) => {
  it.each([[undefined, 2], [-1, 2], [0, 0], [1, 1], [-2, 1]])('along axis %s', (axis, resolved) => {
    const x = randomArray(rng, [2, 3, 4]);
    checkAgainst((v) => op(v, axis), [x], (v: Ref) => naiveSoftmax(v, resolved, log));
  });

  it('stays exact for large logits', () => {
    const x = nd.array([[1000, 1001, 999]]);
    checkAgainst((v) => op(v), [x], (v: Ref) => naiveSoftmax(v, 1, log));
  });
});
