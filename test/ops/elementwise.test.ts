import { nd, NDArray } from '../../src';
type Operand = NDArray | number;
import { expectClose, makeRng, naiveBinary, randomArray, refOf, Ref } from '../helpers/naive_ops';

const rng = makeRng(7);

type BinaryFn = (a: Operand, b: Operand) => NDArray;

/** Each op with its float64 reference; the library result is float32-rounded. */
const OPS: [string, BinaryFn, (x: number, y: number) => number][] = [
  ['add', nd.add, (x, y) => x + y],
  ['subtract', nd.subtract, (x, y) => x - y],
  ['multiply', nd.multiply, (x, y) => x * y],
  ['divide', nd.divide, (x, y) => x / y],
  ['power', nd.power, (x, y) => Math.pow(x, y)],
  ['maximum', nd.maximum, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.max(x, y))],
  ['minimum', nd.minimum, (x, y) => (Number.isNaN(x) || Number.isNaN(y) ? NaN : Math.min(x, y))],
  ['equal', nd.equal, (x, y) => Number(x === y)],
  ['notEqual', nd.notEqual, (x, y) => Number(x !== y)],
  ['greater', nd.greater, (x, y) => Number(x > y)],
  ['greaterEqual', nd.greaterEqual, (x, y) => Number(x >= y)],
  ['lesser', nd.lesser, (x, y) => Number(x < y)],
  ['lesserEqual', nd.lesserEqual, (x, y) => Number(x <= y)],
];

/** Every class of shape pair numpy broadcasting distinguishes. */
const SHAPE_PAIRS: [string, number[], number[]][] = [
  ['same shape', [2, 3, 4], [2, 3, 4]],
  ['0-d array', [2, 3], []],
  ['0-d lhs', [], [3, 2]],
  ['trailing 1s', [2, 3, 4], [2, 1, 1]],
  ['trailing 1 on lhs', [5, 1], [5, 3]],
  ['missing leading dims', [2, 3, 4], [4]],
  ['missing leading dims on lhs', [3, 1], [2, 4, 3, 5]],
  ['both sides broadcast', [3, 1], [1, 4]],
  ['interleaved 1s', [2, 1, 3, 1], [4, 1, 5]],
  ['per-channel bias NCHW', [2, 3, 4, 5], [1, 3, 1, 1]],
  ['channels-last bias', [2, 4, 5, 3], [3]],
  ['5-d', [2, 1, 2, 3, 2], [1, 3, 2, 1, 2]],
  ['all ones', [1, 1], [1]],
  ['0-size dim', [0, 3], [3]],
  ['0-size against 1', [2, 0], [2, 1]],
  ['0-size both', [0], [1]],
  ['0-size leading', [4, 0, 2], [0, 1]],
];

// Mixes in equal values so the comparisons see ties, and small exponents so power stays finite.
function operand(shape: number[]): NDArray {
  const x = randomArray(rng, shape, -2, 2);
  const data = x.toFloat32Array().map((v, i) => (i % 3 === 0 ? Math.round(v) : v));
  return nd.array(data, { shape });
}

describe.each(OPS)('%s', (name, op, ref) => {
  it.each(SHAPE_PAIRS)('broadcasts %s', (_, sa, sb) => {
    const a = operand(sa);
    const b = operand(sb);
    expectClose(op(a, b), naiveBinary(ref, refOf(a), refOf(b)));
    expectClose(op(b, a), naiveBinary(ref, refOf(b), refOf(a)));
  });

  it('takes a number on either side, rounded to float32 first', () => {
    const a = operand([3, 4]);
    const s: Ref = { shape: [], data: [Math.fround(0.1)] };
    expectClose(op(a, 0.1), naiveBinary(ref, refOf(a), s));
    expectClose(op(0.1, a), naiveBinary(ref, s, refOf(a)));
  });

  it("names MXNet's operator when shapes do not broadcast", () => {
    const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const mxnet = `broadcast_${({ subtract: 'sub', multiply: 'mul', divide: 'div' } as Record<string, string>)[name] ?? snake}`;
    expect(() => op(nd.zeros([2, 3]), nd.zeros([4]))).toThrow(
      `${mxnet}: operands could not be broadcast together with shapes (2, 3) (4,): expected each pair of trailing dimensions to be equal or 1, but got 3 and 4`,
    );
  });
});

describe('binary op edge cases', () => {
  it('gives the float32 rounding of the exact result', () => {
    const a = nd.array([1e-8, 16777216]);
    expect(nd.add(a, 1).toArray()).toEqual([1, 16777216]);
    expect(nd.divide(nd.array([1]), 3).data[0]).toBe(Math.fround(1 / 3));
  });

  it('follows IEEE for division by zero and overflow', () => {
    expect(nd.divide(nd.array([1, -1, 0]), 0).toArray()).toEqual([Infinity, -Infinity, NaN]);
    expect(nd.multiply(nd.array([3e38]), 10).toArray()).toEqual([Infinity]);
    expect(nd.power(nd.array([-8]), 1 / 3).toArray()).toEqual([NaN]);
  });

  it('propagates NaN through maximum and minimum from either side', () => {
    const a = nd.array([NaN, 1, 2]);
    const b = nd.array([0, NaN, 1]);
    expect(nd.maximum(a, b).toArray()).toEqual([NaN, NaN, 2]);
    expect(nd.minimum(a, b).toArray()).toEqual([NaN, NaN, 1]);
  });

  it('compares NaN as IEEE does, giving float 1/0', () => {
    const a = nd.array([NaN, 1]);
    expect(nd.equal(a, a).toArray()).toEqual([0, 1]);
    expect(nd.notEqual(a, a).toArray()).toEqual([1, 0]);
    expect(nd.greater(a, 0).dtype).toBe('float32');
  });

  it('keeps the shape of a 0-d operand pair', () => {
    expect(nd.add(nd.array(2), 3).shape).toEqual([]);
    expect(nd.add(nd.array(2), 3).toArray()).toBe(5);
  });

  it('rejects operands that are neither NDArrays nor numbers', () => {
    const bad: unknown = '1';
    expect(() => nd.add(nd.zeros([1]), bad as number)).toThrow("add: expected rhs to be an NDArray or a number, but got the string '1'");
    expect(() => nd.multiply(null as unknown as number, nd.zeros([1]))).toThrow('multiply: expected lhs to be an NDArray or a number, but got null');
  });

  it('rejects two numbers', () => {
    expect(() => nd.add(1, 2)).toThrow('add: expected at least one operand to be an NDArray, but got two numbers (1, 2)');
  });
});
