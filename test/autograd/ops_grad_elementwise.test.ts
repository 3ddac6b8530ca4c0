import { autograd, nd, NDArray } from '../../src';
type Operand = NDArray | number;
import { checkAgainst } from '../helpers/grad_refs';
import { makeRng, naiveBinary, naiveUnary, randomArray, Ref } from '../helpers/naive_ops';

const rng = makeRng(11);

type BinaryFn = (a: Operand, b: Operand) => NDArray;

/**
 * Each binary op, its float64 reference, and the range its operands are drawn from (positive
 * for power's base and away from 0 for divisors, so the maths is smooth at every point).
 */
const BINARY: [string, BinaryFn, (x: number, y: number) => number, [number, number], [number, number]][] = [
  ['add', nd.add, (x, y) => x + y, [-3, 3], [-3, 3]],
  ['subtract', nd.subtract, (x, y) => x - y, [-3, 3], [-3, 3]],
  ['multiply', nd.multiply, (x, y) => x * y, [-3, 3], [-3, 3]],
  ['divide', nd.divide, (x, y) => x / y, [-3, 3], [0.5, 2]],
  ['power', nd.power, (x, y) => Math.pow(x, y), [0.5, 2], [-2, 2]],
  ['maximum', nd.maximum, (x, y) => Math.max(x, y), [-3, 3], [-3, 3]],
  ['minimum', nd.minimum, (x, y) => Math.min(x, y), [-3, 3], [-3, 3]],
];

/** The broadcasting classes: the gradient of a broadcast operand is summed over its repeated axes. */
const SHAPE_PAIRS: [string, number[], number[]][] = [
  ['same shape', [2, 3], [2, 3]],
  ['scalar-like (1,)', [2, 3], [1]],
  ['0-d array', [3, 2], []],
  ['trailing 1s', [2, 3, 2], [2, 1, 1]],
  ['missing leading axes', [2, 3, 2], [2]],
  ['leading 1s', [1, 3, 2], [2, 3, 2]],
  ['both sides broadcast', [3, 1], [1, 4]],
  ['interleaved 1s', [2, 1, 3], [4, 1]],
];

describe.each(BINARY)('%s gradient', (_, op, f, rangeA, rangeB) => {
  it.each(SHAPE_PAIRS)('reaches both operands, broadcast as %s', (__, sa, sb) => {
    const a = randomArray(rng, sa, ...rangeA);
    const b = randomArray(rng, sb, ...rangeB);
    checkAgainst(op, [a, b], (x: Ref, y: Ref) => naiveBinary(f, x, y));
  });

  it.each(SHAPE_PAIRS)('reaches both operands in swapped order, broadcast as %s', (__, sb, sa) => {
    const a = randomArray(rng, sa, ...rangeA);
    const b = randomArray(rng, sb, ...rangeB);
    checkAgainst(op, [a, b], (x: Ref, y: Ref) => naiveBinary(f, x, y));
  });

  it('gives a number operand no gradient and the array operand its own', () => {
    const a = randomArray(rng, [2, 3], ...rangeA);
    const b = randomArray(rng, [3, 2], ...rangeB);
    const numberB = Math.fround((rangeB[0] + rangeB[1]) / 2 + 0.25);
    const numberA = Math.fround((rangeA[0] + rangeA[1]) / 2 + 0.25);
    checkAgainst((x) => op(x, numberB), [a], (x: Ref) => naiveUnary((v) => f(v, numberB), x));
    checkAgainst((y) => op(numberA, y), [b], (y: Ref) => naiveUnary((v) => f(numberA, v), y));
    const x = nd.array(a);
    x.attachGrad();
    expect(autograd.record(() => op(x, numberB)).tapeNode?.inputs).toEqual([x]);
  });

  it('accumulates both partials when one array is both operands', () => {
    const a = randomArray(rng, [2, 3], ...(rangeA[0] > 0 ? rangeA : rangeB));
    checkAgainst((x) => op(x, x), [a], (x: Ref) => naiveUnary((v) => f(v, v), x));
  });
});

describe('maximum and minimum at ties, as MXNet', () => {
  const a = nd.array([1, 2, 3, 2]);
  const b = nd.array([2, 2, 1, 2]);
  const grads = (op: BinaryFn): number[][] => {
    const x = nd.array(a);
    const y = nd.array(b);
    x.attachGrad();
    y.attachGrad();
    autograd.record(() => op(x, y)).backward(nd.array([10, 20, 30, 40]));
    return [Array.from(x.grad?.data ?? []), Array.from(y.grad?.data ?? [])];
  };

  it('maximum sends a tie to the first operand (a >= b), the rest to the larger', () => {
    expect(grads(nd.maximum)).toEqual([[0, 20, 30, 40], [10, 0, 0, 0]]);
  });

  it('minimum sends a tie to the first operand (a <= b), the rest to the smaller', () => {
    expect(grads(nd.minimum)).toEqual([[10, 20, 0, 40], [0, 0, 30, 0]]);
  });

  it('sums a broadcast operand over its ties', () => {
    const x = nd.array([[1, 5], [3, 0]]);
    const t = nd.array([3]);
    t.attachGrad();
    autograd.record(() => nd.maximum(x, t)).backward();
    // t is the maximum where x < 3: three of the four entries (x = 3 is a tie and goes to x).
    expect(Array.from(t.grad?.data ?? [])).toEqual([2]);
  });
});

type UnaryCase = [string, (x: NDArray) => NDArray, (v: number) => number, [number, number]];
const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v));

/** Each unary op with its float64 reference and an input range where the op is smooth. */
const UNARY: UnaryCase[] = [
  ['negative', nd.negative, (v) => -v, [-3, 3]],
  ['abs', nd.abs, Math.abs, [-3, 3]],
  ['exp', nd.exp, Math.exp, [-3, 3]],
  ['log', nd.log, Math.log, [0.2, 3]],
  ['sqrt', nd.sqrt, Math.sqrt, [0.2, 3]],
  ['square', nd.square, (v) => v * v, [-3, 3]],
  ['sign', nd.sign, Math.sign, [-3, 3]],
  ['relu', nd.relu, (v) => Math.max(v, 0), [-3, 3]],
  ['sigmoid', nd.sigmoid, sigmoid, [-5, 5]],
  ['tanh', nd.tanh, Math.tanh, [-3, 3]],
  ['softrelu', nd.softrelu, (v) => Math.log(1 + Math.exp(v)), [-5, 5]],
  ['softsign', nd.softsign, (v) => v / (1 + Math.abs(v)), [-3, 3]],
  ['clip', (x) => nd.clip(x, { aMin: -1.3, aMax: 0.7 }), (v) => Math.min(Math.max(v, -1.3), 0.7), [-3, 3]],
];

describe.each(UNARY)('%s gradient', (_, op, f, range) => {
  it('matches finite differences of the float64 reference', () => {
    checkAgainst(op, [randomArray(rng, [3, 4], ...range)], (x: Ref) => naiveUnary(f, x));
  });

  it('accumulates when the result feeds a product with its own input', () => {
    // x · op(x): the gradient reaches x along two paths, op(x) + x · op'(x).
    checkAgainst((x) => x.mul(op(x)), [randomArray(rng, [2, 3], ...range)], (x: Ref) => naiveUnary((v) => v * f(v), x));
  });
});

describe('unary gradients at their kinks, as MXNet', () => {
  const gradAt = (op: (x: NDArray) => NDArray, values: number[]): number[] => {
    const x = nd.array(values);
    x.attachGrad();
    autograd.record(() => op(x)).backward();
    return Array.from(x.grad?.data ?? []);
  };

  it('relu passes nothing at 0 or for NaN', () => {
    expect(gradAt(nd.relu, [-1, 0, 2, NaN])).toEqual([0, 0, 1, 0]);
  });

  it('abs has gradient sign(x): 0 at 0', () => {
    expect(gradAt(nd.abs, [-2, 0, 3])).toEqual([-1, 0, 1]);
  });

  it('clip passes the gradient at its bounds and for NaN, and nowhere it clipped', () => {
    expect(gradAt((x) => nd.clip(x, { aMin: 0, aMax: 1 }), [-0.5, 0, 0.5, 1, 1.5, NaN])).toEqual([0, 1, 1, 1, 0, 1]);
  });

  it('sign gives a zero gradient (written, not skipped)', () => {
    expect(gradAt(nd.sign, [-2, 0, 3])).toEqual([0, 0, 0]);
  });

  it('sigmoid and softrelu stay finite for large inputs', () => {
    for (const g of gradAt(nd.sigmoid, [-100, 100])) expect(Math.abs(g)).toBeLessThan(1e-40);
    expect(gradAt(nd.softrelu, [-100, 100])).toEqual([Math.fround(sigmoid(-100)), 1]);
  });
});
