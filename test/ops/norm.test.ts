/**
 * nd.norm against float64 sums written here, with finite-difference gradients (and the zero
 * subgradient at a zero norm).
 */
import { GluonError, autograd, nd, sym } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

const X = [[3, -4, 1], [0.5, 2, -2]];

describe('norm', () => {
  it.each([
    [{}, [Math.hypot(3, 4, 1, 0.5, 2, 2)]],
    [{ axis: 1 }, [Math.hypot(3, 4, 1), Math.hypot(0.5, 2, 2)]],
    [{ axis: 0, keepdims: true }, [[Math.hypot(3, 0.5), Math.hypot(4, 2), Math.hypot(1, 2)]]],
    [{ ord: 1, axis: -1 }, [8, 4.5]],
  ])('%j matches the float64 sums', (options, expected) => {
    const got = nd.norm(nd.array(X), options);
    const flat = (expected as number[] | number[][]).flat();
    expect(got.shape).toEqual(Array.isArray(expected[0]) ? [1, 3] : [flat.length]);
    Array.from(got.toFloat32Array()).forEach((v, i) => expect(v).toBe(Math.fround(flat[i])));
  });

  it.each([1, 2])('passes a finite-difference gradient check (ord %d)', (ord) => {
    const x = nd.array(Float32Array.from(pseudoRandom(6, 9)), { shape: [2, 3] });
    checkGradient((a) => nd.norm(a, { ord, axis: 1 }), [x], {
      reference64: (a) => [0, 3].map((o) => (ord === 2 ? Math.hypot(a[o], a[o + 1], a[o + 2]) : Math.abs(a[o]) + Math.abs(a[o + 1]) + Math.abs(a[o + 2]))),
    });
  });

  it('gives a zero gradient where the norm is zero (MXNet gives NaN)', () => {
    const x = nd.zeros([2, 2]);
    x.attachGrad();
    autograd.record(() => nd.norm(x, { axis: 1 })).backward();
    expect(x.grad?.toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it('names a bad ord, and is "norm" in symbol files', () => {
    expect(() => nd.norm(nd.array(X), { ord: 3 })).toThrow(GluonError);
    expect(() => nd.norm(nd.array(X), { ord: 3 })).toThrow("norm: expected ord to be 1 or 2 (MXNet's), but got 3");
    expect(JSON.parse(sym.norm(sym.var('x'), { axis: 1, name: 'n' }).toJson()).nodes[1]).toEqual({ op: 'norm', name: 'n', attrs: { axis: '(1,)' }, inputs: [[0, 0, 0]] });
  });
});
