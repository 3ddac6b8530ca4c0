/**
 * Everyday NDArray conveniences: eye, linspace, fullLike, asScalar, x.at(i) (Gluon's x[i]) and
 * x.slice(...) (Gluon's x[a:b]) — values by hand or by numpy's documented rules, gradients by
 * finite differences, and every error message.
 */
import { GluonError, NDArray, nd } from '../../src';
import { checkGradient } from '../helpers/gradient_check';

describe('creation', () => {
  it.each([
    [[3], [[1, 0, 0], [0, 1, 0], [0, 0, 1]]],
    [[2, 3, 1], [[0, 1, 0], [0, 0, 1]]],
    [[3, 2, -1], [[0, 0], [1, 0], [0, 1]]],
    [[2, 2, 5], [[0, 0], [0, 0]]],
  ])('eye%j as numpy.eye', (args, expected) => {
    expect(nd.eye(...(args as [number, number?, number?])).toArray()).toEqual(expected);
  });

  it('linspace includes the endpoint by default, as numpy', () => {
    expect(nd.linspace(0, 1, 5).toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(nd.linspace(0, 1, 4, false).toArray()).toEqual([0, 0.25, 0.5, 0.75]);
    expect(nd.linspace(2, 3, 1).toArray()).toEqual([2]);
    expect(nd.linspace(2, 3, 0).shape).toEqual([0]);
  });

  it('fullLike copies the shape', () => {
    expect(nd.fullLike(nd.zeros([2, 1]), 7).toArray()).toEqual([[7], [7]]);
  });

  it.each([
    ['eye with a negative N', () => nd.eye(-1), 'nd.eye: expected N to be an integer >= 0, but got the number -1'],
    ['linspace with a NaN stop', () => nd.linspace(0, NaN, 3), 'nd.linspace: expected stop to be a finite number, but got the number NaN'],
    ['linspace with a fractional num', () => nd.linspace(0, 1, 2.5), 'nd.linspace: expected num to be an integer >= 0, but got the number 2.5'],
    ['fullLike of a list', () => nd.fullLike([1] as never, 0), 'nd.fullLike: expected an NDArray, but got [1]'],
  ] as [string, () => unknown, string][])('%s', (_name, call, message) => {
    expect(call).toThrow(GluonError);
    expect(call).toThrow(message);
  });
});

describe('asScalar, at and slice', () => {
  const x = nd.arange(0, 6).reshape([2, 3]);

  it('asScalar reads a one-element array and names any other shape', () => {
    expect(nd.array([[3]]).asScalar()).toBe(3);
    expect(() => x.asScalar()).toThrow('asScalar: expected an array of one element, but got shape (2, 3)');
  });

  it('at(i) is x[i]: rows of a matrix, (1,) items of a vector, negative from the end', () => {
    expect(x.at(0).toArray()).toEqual([0, 1, 2]);
    expect(x.at(-1).toArray()).toEqual([3, 4, 5]);
    expect(nd.array([7, 8]).at(1).shape).toEqual([1]);
    expect(() => x.at(2)).toThrow(GluonError);
  });

  it('slice is x[b:e:s] per leading axis, with null for the defaults', () => {
    expect(x.slice([null, 1], [null, null]).toArray()).toEqual([[1, 2], [4, 5]]);
    expect(x.slice([1], [2]).toArray()).toEqual([[3, 4, 5]]);
    expect(x.slice([null, null], [null, null], [null, -1]).toArray()).toEqual([[2, 1, 0], [5, 4, 3]]);
  });

  it('passes gradients back through at and slice', () => {
    // at(1) + the first row, sliced: [a3 + a0, a4 + a1, a5 + a2].
    checkGradient((a: NDArray) => nd.add(a.at(1), a.slice([0], [1]).reshape([3])), [nd.array([[1, 2, 3], [4, 5, 6]])], {
      reference64: (a) => [a[3] + a[0], a[4] + a[1], a[5] + a[2]],
    });
  });
});
