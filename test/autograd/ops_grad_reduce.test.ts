import { autograd, GluonError, nd, NDArray } from '../../src';
import { AxisSpec } from '../../src/ndarray/ops';
import { reduceToShape } from '../../src/ndarray/ops/reduce';
import { checkAgainst } from '../helpers/grad_refs';
import { makeRng, naiveReduce, naiveSoftmax, randomArray, Ref, refMax, refMean, refMin, refSum } from '../helpers/naive_ops';

const rng = makeRng(5);

type ReduceFn = (x: NDArray, axis?: AxisSpec, keepdims?: boolean) => NDArray;
const REDUCTIONS: [string, ReduceFn, (v: number[]) => number][] = [
  ['sum', nd.sum, refSum],
  ['mean', nd.mean, refMean],
  ['max', nd.max, refMax],
  ['min', nd.min, refMin],
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
    if (op === nd.max || op === nd.min) return; // reducing an empty axis throws for them
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
    expect(grad(nd.max, [[1, 3, 3], [2, 2, 0]], 1)).toEqual([0, 10, 10, 20, 20, 0]);
    expect(grad(nd.max, [[4, 1], [4, 4]])).toEqual([10, 0, 10, 10]);
  });

  it('gives every tied minimum the whole output gradient', () => {
    expect(grad(nd.min, [[1, 3, 1], [2, 2, 5]], -1)).toEqual([10, 0, 10, 20, 20, 0]);
  });

  it('passes no gradient through a slice whose extremum is NaN', () => {
    expect(grad(nd.max, [[1, NaN], [2, 3]], 1)).toEqual([0, 0, 0, 20]);
  });
});

describe('reduceToShape', () => {
  const ones = nd.ones([2, 3]);

  it('sums a broadcast result back to each operand shape', () => {
    expect(reduceToShape(ones, [3]).toArray()).toEqual([2, 2, 2]);
    expect(reduceToShape(ones, [2, 1]).toArray()).toEqual([[3], [3]]);
    expect(reduceToShape(ones, [1]).toArray()).toEqual([6]);
    expect(reduceToShape(ones, []).toArray()).toBe(6);
    expect(reduceToShape(ones, [1, 3]).toArray()).toEqual([[2, 2, 2]]);
    expect(reduceToShape(nd.ones([2, 0, 3]), [1, 3]).toArray()).toEqual([[0, 0, 0]]);
  });

  it('returns the gradient itself when the shapes match', () => {
    expect(reduceToShape(ones, [2, 3])).toBe(ones);
  });

  it('says which shapes do not broadcast', () => {
    expect(() => reduceToShape(ones, [2])).toThrow(GluonError);
    expect(() => reduceToShape(ones, [2])).toThrow('reduceToShape: expected a shape that broadcasts to (2, 3), but got (2,)');
    expect(() => reduceToShape(ones, [1, 2, 3, 1])).toThrow(/expected a shape that broadcasts to \(2, 3\), but got \(1, 2, 3, 1\)/);
  });
});

describe.each([
  ['softmax', nd.softmax, false],
  ['logSoftmax', nd.logSoftmax, true],
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
