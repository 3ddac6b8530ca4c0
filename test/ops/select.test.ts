/**
 * where, tile and reverse/flip against naive float64 loops written here, with finite-difference
 * gradients and second derivatives, and their names in symbol files.
 */
import { GluonError, NDArray, autograd, nd, sym } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

const data = (shape: number[], seed: number): NDArray => nd.array(Float32Array.from(pseudoRandom(shape.reduce((a, b) => a * b, 1), seed)), { shape });

/** numpy's tile of a row-major (shape) array, by index arithmetic. */
function naiveTile(values: ArrayLike<number>, shape: number[], reps: number[]): number[] {
  const out = shape.map((d, i) => d * reps[i]);
  const total = out.reduce((a, b) => a * b, 1);
  return Array.from({ length: total }, (_, flat) => {
    let rest = flat;
    let src = 0;
    let stride = 1;
    const idx = out.map(() => 0);
    for (let i = out.length - 1; i >= 0; i--) {
      idx[i] = rest % out[i];
      rest = Math.floor(rest / out[i]);
    }
    for (let i = shape.length - 1; i >= 0; i--) {
      src += (idx[i] % shape[i]) * stride;
      stride *= shape[i];
    }
    return values[src];
  });
}

describe('where', () => {
  it('selects x where the condition is non-zero, else y', () => {
    expect(nd.where(nd.array([1, 0, -2, NaN]), nd.array([1, 2, 3, 4]), nd.array([5, 6, 7, 8])).toArray()).toEqual([1, 6, 3, 4]);
  });

  it('sends the gradient to x or y by the condition, and differentiates again', () => {
    const cond = nd.array([1, 0, 1, 0, 0, 1]);
    const [x, y] = [data([6], 1), data([6], 2)];
    const pick = (c: number, a: number, b: number) => (c !== 0 ? a : b);
    checkGradient((a, b) => nd.where(cond, a, b), [x, y], { reference64: (a, b) => Array.from(a, (v, i) => pick(cond.data[i], v, b[i])) });
    checkGradient((a) => nd.square(autograd.grad(nd.where(cond, nd.square(a), a), [a], { createGraph: true })[0]), [x], {
      reference64: (a) => Array.from(a, (v, i) => (cond.data[i] !== 0 ? 4 * v * v : 1)),
    });
  });

  it('names mismatched shapes', () => {
    const call = () => nd.where(nd.ones([2]), nd.ones([3]), nd.ones([3]));
    expect(call).toThrow(GluonError);
    expect(call).toThrow('where: expected condition, x and y of one shape, but got (2,) and (3,) (input 1)');
  });
});

describe('tile', () => {
  it.each([
    [[2, 3], [2, 2]],
    [[3], [4]],
    [[2, 1, 3], [1, 3, 2]],
    [[2, 3], [3]],
    [[3], [2, 1, 2]],
    [[2, 2], [0, 1]],
  ])('shape %j reps %j matches numpy', (shape, reps) => {
    const x = data(shape, 3);
    const y = nd.tile(x, { reps });
    const rank = Math.max(shape.length, reps.length);
    const pad = (v: number[]) => [...new Array<number>(rank - v.length).fill(1), ...v];
    expect(y.shape).toEqual(pad(shape).map((d, i) => d * pad(reps)[i]));
    expect(Array.from(y.toFloat32Array())).toEqual(naiveTile(x.toFloat32Array(), pad(shape), pad(reps)));
  });

  it('sums the gradient over the repetitions', () => {
    checkGradient((a) => nd.tile(a, { reps: [2, 3] }), [data([2, 2], 4)], { reference64: (a) => naiveTile(a, [2, 2], [2, 3]) });
  });
});

describe('reverse / flip', () => {
  it('reverses the given axes', () => {
    const x = nd.arange(0, 6).reshape([2, 3]);
    expect(nd.flip(x, { axis: 1 }).toArray()).toEqual([[2, 1, 0], [5, 4, 3]]);
    expect(nd.reverse(x, { axis: [0, 1] }).toArray()).toEqual([[5, 4, 3], [2, 1, 0]]);
    expect(nd.reverse(x, { axis: -2 }).toArray()).toEqual([[3, 4, 5], [0, 1, 2]]);
    expect(() => nd.flip(x, { axis: 2 })).toThrow('reverse: expected axes in [-2, 1], but got 2 for shape (2, 3)');
  });

  it('reverses the gradient the same way', () => {
    const rev = (a: ArrayLike<number>) => [a[2], a[1], a[0], a[5], a[4], a[3]];
    checkGradient((a) => nd.flip(a, { axis: 1 }), [data([2, 3], 5)], { reference64: (a) => rev(a) });
  });
});

describe('in symbol files', () => {
  it("uses MXNet's operator names and attributes", () => {
    const s = sym.flip(sym.tile(sym.var('x'), { reps: [2, 1], name: 't' }), { axis: 0, name: 'f' });
    const nodes = (JSON.parse(s.toJson()) as { nodes: { op: string; attrs?: Record<string, string> }[] }).nodes;
    expect(nodes.slice(1).map((n) => [n.op, n.attrs])).toEqual([['tile', { reps: '(2, 1)' }], ['reverse', { axis: '(0,)' }]]);
  });
});
