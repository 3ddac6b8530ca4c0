import { nd, NDArray } from '../../../src';
import { expectClose, makeRng, naiveSoftmax, randomArray, refOf } from '../../helpers/naive_ops';

const rng = makeRng(13);

describe.each([
  ['softmax', nd.softmax, false],
  ['logSoftmax', nd.logSoftmax, true],
] as [string, typeof nd.softmax, boolean][])('%s', (name, op, log) => {
  const x = randomArray(rng, [2, 3, 4], -4, 4);

  it.each([0, 1, 2, -1, -2, -3])('matches the reference along axis %d', (axis) => {
    expectClose(op(x, axis), naiveSoftmax(refOf(x), (axis + 3) % 3, log));
  });

  it('defaults to the last axis', () => {
    expectClose(op(x), naiveSoftmax(refOf(x), 2, log));
  });

  it('is stable for large inputs: shifting every lane by 1e4 changes nothing', () => {
    const small = nd.array([[1, 2, 3], [-1, 0, 1]]);
    const large = nd.add(small, 1e4);
    const negLarge = nd.subtract(small, 1e4);
    const expected = naiveSoftmax(refOf(small), 1, log);
    expectClose(op(large), expected);
    expectClose(op(negLarge), expected);
  });

  it('gives a lane with one NaN all NaN and leaves other lanes alone', () => {
    const y = op(nd.array([[0, NaN], [0, 0]]));
    expect(Array.from(y.data.slice(0, 2)).every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(y.data[2])).toBe(false);
  });

  it('handles empty arrays and 0-size lanes', () => {
    expect(op(nd.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(op(nd.zeros([3, 0])).shape).toEqual([3, 0]);
  });

  it('rejects a bad axis and a non-NDArray', () => {
    expect(() => op(x, 3)).toThrow(`${name}: expected an axis in [-3, 2] for an input of rank 3, but got 3`);
    expect(() => op(x, 0.5)).toThrow(`${name}: expected axis to be an integer, but got number 0.5`);
    expect(() => op(null as unknown as NDArray)).toThrow(`${name}: expected input to be an NDArray, but got null`);
  });
});

describe('softmax specifics', () => {
  it('sums to 1 along the axis', () => {
    const y = nd.softmax(randomArray(rng, [5, 7], -30, 30), 0);
    const sums = nd.sum(y, 0);
    sums.data.forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(2 ** -21));
  });

  it('logSoftmax stays finite where softmax underflows to 0', () => {
    const x = nd.array([0, -200]);
    expect(nd.softmax(x).data[1]).toBe(0);
    expect(nd.logSoftmax(x).data[1]).toBe(-200);
  });
});
