import { nd, NDArray } from '../../src';
import { AxisSpec } from '../../src/ops/methods';
import {
  expectClose, makeRng, naiveReduce, randomArray, refArgmax, refArgmin, refMax, refMean, refMin, refOf, refSum,
} from '../helpers/naive_ops';

const rng = makeRng(3);

type ReduceFn = (x: NDArray, axis?: AxisSpec, keepdims?: boolean) => NDArray;
const positional = (op: typeof nd.sum): ReduceFn => (x, axis, keepdims) => op(x, { axis, keepdims });
const OPS: [string, ReduceFn, (v: number[]) => number][] = [
  ['sum', positional(nd.sum), refSum],
  ['mean', positional(nd.mean), refMean],
  ['max', positional(nd.max), refMax],
  ['min', positional(nd.min), refMin],
];

/** Every subset of the axes of a 4-d array, written once with positive and once with negative axes. */
const SUBSETS: number[][] = Array.from({ length: 16 }, (_, bits) => [0, 1, 2, 3].filter((d) => bits & (1 << d)));

describe.each(OPS)('%s', (name, op, ref) => {
  const x = randomArray(rng, [2, 3, 4, 5]);

  it.each(SUBSETS.filter((s) => s.length > 0).map((s) => [s]))('reduces axes %j, with and without keepdims', (axes) => {
    for (const keepdims of [false, true]) {
      const expected = naiveReduce(ref, refOf(x), axes, keepdims);
      expectClose(op(x, axes, keepdims), expected);
      expectClose(op(x, axes.map((d) => d - 4), keepdims), expected);
    }
  });

  it('reduces every axis when axis is absent or [] (MXNet axis=()), giving shape (1,)', () => {
    const all = naiveReduce(ref, refOf(x), [0, 1, 2, 3], false);
    expect(all.shape).toEqual([1]);
    expectClose(op(x), all);
    expectClose(op(x, []), all);
    expect(op(x, undefined, true).shape).toEqual([1, 1, 1, 1]);
  });

  it('takes a single axis as a number, negative counting from the end', () => {
    expectClose(op(x, -1), naiveReduce(ref, refOf(x), [3], false));
    expectClose(op(x, 1, true), naiveReduce(ref, refOf(x), [1], true));
  });

  it('reduces 1-d and 0-d arrays to shape (1,)', () => {
    expectClose(op(nd.array([1, 5, 2])), { shape: [1], data: [ref([1, 5, 2])] });
    expectClose(op(nd.array(4)), { shape: [1], data: [4] });
  });

  it('keeps 0-size output axes', () => {
    expect(op(nd.zeros([0, 3]), 1).shape).toEqual([0]);
  });

  it('rejects axes out of range, duplicated or not integers', () => {
    expect(() => op(x, 4)).toThrow(`${name}: expected an axis in [-4, 3] for an input of rank 4, but got 4`);
    expect(() => op(x, [1, -3])).toThrow(`${name}: expected distinct axes, but got (1, -3) for an input of rank 4`);
    expect(() => op(x, 0.5)).toThrow(`${name}: expected axis to be None or a tuple of integers (or one integer), but got the number 0.5`);
    expect(() => op(x, 'a' as unknown as number)).toThrow(`${name}: expected axis to be None or a tuple of integers (or one integer), but got the string 'a'`);
  });

  it('rejects a non-NDArray input and unknown options', () => {
    expect(() => op({} as NDArray)).toThrow(`${name}: expected data to be an NDArray, but got an object (Object)`);
    expect(() => op(5 as unknown as NDArray)).toThrow(`${name}: expected data to be an NDArray, but got the number 5`);
    expect(() => nd.sum(x, { axes: 1 } as never)).toThrow("sum: expected options among axis, keepdims, exclude, but got unknown option 'axes'");
  });

  it('reduces every axis but the given ones with exclude, as MXNet', () => {
    expectClose(nd.sum(x, { axis: [1, 3], exclude: true }), naiveReduce(refSum, refOf(x), [0, 2], false));
  });
});

describe('reduction numerics', () => {
  it('accumulates sums in float64', () => {
    // 1 + 1e-8 * 1e6 in float32 steps would stay 1; in float64 it is 1.01.
    const data = new Float32Array(1_000_001).fill(1e-8);
    data[0] = 1;
    expect(nd.sum(nd.array(data)).data[0]).toBe(Math.fround(1 + Math.fround(1e-8) * 1e6));
  });

  it('gives 0 for an empty sum and NaN for an empty mean', () => {
    expect(nd.sum(nd.zeros([3, 0]), { axis: 1 }).toArray()).toEqual([0, 0, 0]);
    expect(nd.mean(nd.zeros([3, 0]), { axis: 1 }).toArray()).toEqual([NaN, NaN, NaN]);
  });

  it('propagates NaN through max and min', () => {
    const x = nd.array([[1, NaN, 3], [4, 5, 6]]);
    expect(nd.max(x, { axis: 1 }).toArray()).toEqual([NaN, 6]);
    expect(nd.min(x, { axis: 0 }).toArray()).toEqual([1, NaN, 3]);
    expect(nd.max(nd.array([-Infinity])).toArray()).toEqual([-Infinity]);
  });

  it('refuses max/min over an empty axis', () => {
    expect(() => nd.max(nd.zeros([2, 0]), { axis: 1 })).toThrow('max: expected non-empty axes to reduce, but got shape (2, 0) reduced over axes (1,)');
    expect(() => nd.min(nd.zeros([0]))).toThrow('min: expected non-empty axes to reduce, but got shape (0,) reduced over axes (0,)');
  });
});

type ArgFn = (x: NDArray, axis?: number, keepdims?: boolean) => NDArray;
const positionalArg = (op: typeof nd.argmax): ArgFn => (x, axis, keepdims) => op(x, { axis, keepdims });
describe.each([
  ['argmax', positionalArg(nd.argmax), refArgmax],
  ['argmin', positionalArg(nd.argmin), refArgmin],
] as [string, ArgFn, (v: number[]) => number][])('%s', (name, op, ref) => {
  // Small integers make ties common.
  const x = nd.array(Array.from(randomArray(rng, [3, 4, 5], 0, 3).data, Math.floor), { shape: [3, 4, 5] });

  it.each([0, 1, 2, -1, -3])('searches along axis %d (ties pick the first index)', (axis) => {
    const a = (axis + 3) % 3;
    expectClose(op(x, axis), naiveReduce(ref, refOf(x), [a], false));
    expectClose(op(x, axis, true), naiveReduce(ref, refOf(x), [a], true));
  });

  it('searches the flattened array when axis is absent, giving (1,)', () => {
    expectClose(op(x), { shape: [1], data: [ref(Array.from(x.data))] });
    expect(op(x, undefined, true).shape).toEqual([1, 1, 1]);
  });

  it('returns shape (1,) for a 1-d input and float32 indices', () => {
    const v = nd.array([2, 9, 9, -1, -1]);
    expect(op(v, 0).shape).toEqual([1]);
    expect(op(v, 0).dtype).toBe('float32');
    expect(op(v, 0).toArray()).toEqual([name === 'argmax' ? 1 : 3]);
  });

  it('picks the first NaN, as numpy', () => {
    expect(op(nd.array([1, NaN, 5, NaN]), 0).toArray()).toEqual([1]);
  });

  it('rejects an empty axis, a bad axis and a non-integer axis', () => {
    expect(() => op(nd.zeros([2, 0]), 1)).toThrow(`${name}: expected a non-empty axis to search, but got shape (2, 0) along axis 1`);
    expect(() => op(nd.zeros([0]))).toThrow(`${name}: expected a non-empty axis to search, but got shape (0,) along axis None (flattened)`);
    expect(() => op(x, 3)).toThrow(`${name}: expected an axis in [-3, 2] for an input of rank 3, but got 3`);
    expect(() => op(x, 1.5)).toThrow(`${name}: expected axis to be None or an integer, but got the number 1.5`);
  });
});
