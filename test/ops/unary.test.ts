import { nd, NDArray } from '../../src';
import { expectClose, makeRng, naiveUnary, randomArray, refOf } from '../helpers/naive_ops';

const rng = makeRng(11);

// References written from the textbook definitions in float64 (softrelu via the plain
// formula where it does not overflow, the limit where it does).
const OPS: [string, (x: NDArray) => NDArray, (x: number) => number][] = [
  ['negative', nd.negative, (x) => -x],
  ['abs', nd.abs, (x) => (x < 0 ? -x : x)],
  ['exp', nd.exp, (x) => Math.E ** x],
  ['log', nd.log, (x) => Math.log(x)],
  ['sqrt', nd.sqrt, (x) => (x < 0 ? NaN : x ** 0.5)],
  ['square', nd.square, (x) => x ** 2],
  ['sign', nd.sign, (x) => (x > 0 ? 1 : x < 0 ? -1 : x)],
  ['relu', nd.relu, (x) => (Number.isNaN(x) ? NaN : Math.max(x, 0))],
  ['sigmoid', nd.sigmoid, (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)))],
  ['tanh', nd.tanh, (x) => (x > 20 ? 1 : x < -20 ? -1 : (Math.exp(2 * x) - 1) / (Math.exp(2 * x) + 1))],
  ['softrelu', nd.softrelu, (x) => (x > 30 ? x : Math.log(1 + Math.exp(x)))],
  ['softsign', nd.softsign, (x) => (Math.abs(x) === Infinity ? Math.sign(x) : x / (1 + Math.abs(x)))],
];

const SPECIAL = [0, -0, 1, -1, 0.5, 1e-30, -1e-30, 20, -20, 88, -88, 100, -100, 1e30, -1e30, 3e38, -3e38, Infinity, -Infinity, NaN];

describe.each(OPS)('%s', (name, op, ref) => {
  it('matches the float64 reference on random values of a 3-d array', () => {
    const x = randomArray(rng, [2, 3, 5], -5, 5);
    expectClose(op(x), naiveUnary(ref, refOf(x)));
  });

  it('handles extreme and special values', () => {
    const x = nd.array(SPECIAL);
    expectClose(op(x), naiveUnary(ref, refOf(x)));
  });

  it('keeps the shape, including 0-d and empty arrays', () => {
    expect(op(nd.array(2)).shape).toEqual([]);
    expect(op(nd.zeros([3, 0])).shape).toEqual([3, 0]);
  });

  it('rejects a non-NDArray input, naming itself', () => {
    const opName = name === 'softrelu' ? 'Activation' : name;
    expect(() => op([1, 2] as unknown as NDArray)).toThrow(`${opName}: expected data to be an NDArray, but got [1, 2]`);
  });
});

describe('numerically delicate activations', () => {
  it('softrelu neither overflows nor loses precision for large inputs', () => {
    expect(nd.softrelu(nd.array([1000, -1000])).toArray()).toEqual([1000, 0]);
    // log1p(e^-40) ≈ 4.25e-18 is below half an ulp of 40, so the result is exactly 40.
    expect(nd.softrelu(nd.array([40])).toArray()).toEqual([40]);
    expect(nd.softrelu(nd.array([-40])).data[0]).toBe(Math.fround(Math.exp(-40)));
  });

  it('sigmoid saturates to exactly 0 and 1', () => {
    expect(nd.sigmoid(nd.array([-1000, 1000])).toArray()).toEqual([0, 1]);
  });

  it('relu keeps NaN rather than hiding it', () => {
    expect(nd.relu(nd.array([NaN, -1])).toArray()).toEqual([NaN, 0]);
  });
});

describe('clip', () => {
  it('limits values to [min, max] and keeps NaN', () => {
    const x = nd.array([-2, 0.5, 3, NaN, -Infinity, Infinity]);
    expect(nd.clip(x, { aMin: 0, aMax: 1 }).toArray()).toEqual([0, 0.5, 1, NaN, 0, 1]);
  });

  it('matches the reference on random values, with float32-rounded bounds', () => {
    const x = randomArray(rng, [4, 6]);
    const lo = Math.fround(-0.3);
    const hi = Math.fround(1.7);
    expectClose(nd.clip(x, { aMin: -0.3, aMax: 1.7 }), naiveUnary((v) => Math.min(Math.max(v, lo), hi), refOf(x)));
  });

  it('allows min == max and infinite bounds', () => {
    expect(nd.clip(nd.array([-1, 2]), { aMin: 1, aMax: 1 }).toArray()).toEqual([1, 1]);
    expect(nd.clip(nd.array([-1, 2]), { aMin: -Infinity, aMax: 0 }).toArray()).toEqual([-1, 0]);
  });

  it('rejects bounds in the wrong order or not numbers', () => {
    expect(() => nd.clip(nd.zeros([1]), { aMin: 3, aMax: 1 })).toThrow('clip: expected aMin <= aMax, but got aMin=3, aMax=1');
    expect(() => nd.clip(nd.zeros([1]), { aMin: NaN, aMax: 1 })).toThrow('clip: expected aMin <= aMax, but got aMin=NaN, aMax=1');
    expect(() => nd.clip(nd.zeros([1]), { aMin: 0, aMax: '1' as unknown as number })).toThrow('clip: expected aMax to be a number, but got the string \'1\'');
    expect(() => nd.clip(nd.zeros([1]), { aMin: 0 } as never)).toThrow('clip: expected aMax (a number), a required option, but got none');
  });

  it('rejects a non-NDArray input', () => {
    expect(() => nd.clip(3 as unknown as NDArray, { aMin: 0, aMax: 1 })).toThrow('clip: expected data to be an NDArray, but got the number 3');
  });

  it('is also the method x.clip(min, max)', () => {
    expect(nd.array([-2, 5]).clip(0, 1).toArray()).toEqual([0, 1]);
  });
});
