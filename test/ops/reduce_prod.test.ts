/**
 * prod, nanprod and nansum: values against naive float64 reductions (naive_ops.ts), gradients
 * against the product of the other values computed naively (exact at zeros, where MXNet's
 * prod/x is NaN), finite differences of first and second derivatives, the internal backward
 * operators' errors, symbol JSON and hybridized runs.
 */
import { GluonError, NDArray, autograd, nd, nn, sym } from '../../src';
import { BACKWARD_BACKWARD_PROD, BACKWARD_PROD } from '../../src/ops/reduce_prod';
import { runInto } from '../../src/ops/run_into';
import { checkGradient } from '../helpers/gradient_check';
import { expectHybridMatches } from '../helpers/hybrid_check';
import { Ref, expectClose, makeRng, naiveReduce, randomArray, ravel, refOf, unravel } from '../helpers/naive_ops';

const rng = makeRng(23);

const refProd = (v: number[]): number => v.reduce((p, x) => p * x, 1);
const refNanprod = (v: number[]): number => refProd(v.filter((x) => !Number.isNaN(x)));
const refNansum = (v: number[]): number => v.filter((x) => !Number.isNaN(x)).reduce((s, x) => s + x, 0);

/** For each value, the product of the other values of its slice over `axes` (skipping NaNs when asked), times the slice's head. */
function productOfOthers(a: Ref, axes: number[], skipNaN: boolean, head?: Ref): Ref {
  const data = a.data.map((v, flat) => {
    if (skipNaN && Number.isNaN(v)) return 0;
    const index = unravel(flat, a.shape);
    let p = head === undefined ? 1 : head.data[ravel(index.map((i, d) => (axes.includes(d) ? 0 : i)), head.shape)];
    a.data.forEach((u, other) => {
      const at = unravel(other, a.shape);
      const sameSlice = at.every((i, d) => axes.includes(d) || i === index[d]);
      if (other !== flat && sameSlice && !(skipNaN && Number.isNaN(u))) p *= u;
    });
    return p;
  });
  return { shape: a.shape.slice(), data };
}

/** Values in [-2, 2) with zeros (every 5th) and the given specials mixed in. */
function operand(shape: number[], specials: number[] = []): NDArray {
  const x = randomArray(rng, shape, -2, 2).toFloat32Array();
  x.forEach((_, i) => {
    if (i % 5 === 0) x[i] = 0;
  });
  specials.forEach((v, k) => (x[(7 * k + 3) % x.length] = v));
  return nd.array(x, { shape });
}

const AXES: [number | number[] | null, number[]][] = [[null, [0, 1, 2]], [0, [0]], [-1, [2]], [[0, 2], [0, 2]], [[], [0, 1, 2]]];

describe.each([
  ['prod', nd.prod, refProd, false],
  ['nanprod', nd.nanprod, refNanprod, true],
  ['nansum', nd.nansum, refNansum, true],
] as const)('%s', (_name, op, ref, skipsNaN) => {
  it.each(AXES)('reduces axis %j like the naive reduction, keepdims or not', (axis, axes) => {
    const x = operand([3, 4, 2], skipsNaN ? [NaN, NaN] : []);
    expectClose(op(x, { axis }), naiveReduce(ref, refOf(x), axes, false));
    expectClose(op(x, { axis, keepdims: true }), naiveReduce(ref, refOf(x), axes, true));
  });

  it('reduces the other axes with exclude, and gives the identity for an empty slice', () => {
    const x = operand([3, 4, 2], skipsNaN ? [NaN] : []);
    expectClose(op(x, { axis: 1, exclude: true }), naiveReduce(ref, refOf(x), [0, 2], false));
    expect(op(nd.zeros([2, 0]), { axis: 1 }).toArray()).toEqual([ref([]), ref([])]);
  });
});

describe('special values', () => {
  it('nan reductions skip NaN (a slice of NaNs gives the identity); prod keeps it', () => {
    const x = nd.array([[NaN, NaN], [NaN, 2], [Infinity, 0]]);
    expect(nd.nansum(x, { axis: 1 }).toArray()).toEqual([0, 2, Infinity]);
    expect(nd.nanprod(x, { axis: 1 }).toArray()).toEqual([1, 2, NaN]);
    expect(nd.prod(x, { axis: 1 }).toArray()).toEqual([NaN, NaN, NaN]);
    // float64 accumulation: no float32 overflow in between.
    expect(nd.prod(nd.array([1e30, 1e30, 1e-30, 1e-20])).toArray()).toEqual([Math.fround(1e10)]);
  });
});

describe('gradients', () => {
  const gradOf = (f: (a: NDArray) => NDArray, x: NDArray): NDArray => {
    const v = nd.array(x);
    v.attachGrad();
    autograd.record(() => f(v)).backward();
    return v.grad as NDArray;
  };

  it('prod: the product of the others, exact with one or more zeros, NaN or Infinity in the slice', () => {
    const x = nd.array([[2, 0, 3], [0, 0, 5], [1, NaN, 4], [Infinity, 2, 0.5], [0, Infinity, 3]]);
    expect(gradOf((a) => nd.prod(a, { axis: 1 }), x).toArray()).toEqual([[0, 6, 0], [0, 0, 0], [NaN, 4, NaN], [1, Infinity, Infinity], [Infinity, 0, NaN]]);
    for (const [axis, axes] of AXES) {
      const y = operand([3, 4, 2]);
      expectClose(gradOf((a) => nd.prod(a, { axis }), y), productOfOthers(refOf(y), axes, false));
    }
  });

  it('nanprod: 0 at NaN, elsewhere the product of the other numbers; nansum: 1 but at NaN', () => {
    const x = operand([3, 4, 2], [NaN, NaN, NaN]);
    for (const [axis, axes] of AXES) expectClose(gradOf((a) => nd.nanprod(a, { axis }), x), productOfOthers(refOf(x), axes, true));
    expect(gradOf((a) => nd.nansum(a, { axis: 1 }), nd.array([[NaN, 2], [3, NaN]])).toArray()).toEqual([[0, 1], [1, 0]]);
  });

  it('pass finite-difference checks with a head gradient, zeros included', () => {
    const x = operand([3, 4]);
    const axes = [1];
    const reduceRef = (f: (v: number[]) => number) => (a: Float64Array) => naiveReduce(f, { shape: [3, 4], data: Array.from(a) }, axes, false).data;
    checkGradient((a) => nd.prod(a, { axis: 1 }), [x], { reference64: reduceRef(refProd) });
    checkGradient((a) => nd.nanprod(a, { axis: 1 }), [x], { reference64: reduceRef(refNanprod) });
    checkGradient((a) => nd.nansum(a, { axis: 1 }), [x], { reference64: reduceRef(refNansum) });
  });

  it('differentiate twice exactly (through both inputs of _backward_prod), but not three times', () => {
    const x = operand([2, 4]);
    const others = (a: Float64Array): Ref => productOfOthers({ shape: [2, 4], data: Array.from(a) }, [1], false);
    // ∂/∂x Σ prod(x)² = 2·prod·(product of the others): its derivative is the Hessian of the square.
    const squareGrad = (a: Float64Array): number[] => {
      const p = naiveReduce(refProd, { shape: [2, 4], data: Array.from(a) }, [1], true);
      return others(a).data.map((o, i) => 2 * o * p.data[Math.floor(i / 4)]);
    };
    checkGradient((a) => autograd.grad(nd.prod(a, { axis: 1 }), [a], { createGraph: true })[0], [x], { reference64: (a) => others(a).data });
    checkGradient((a) => autograd.grad(nd.sum(nd.square(nd.prod(a, { axis: 1 }))), [a], { createGraph: true })[0], [x], { reference64: squareGrad });
    // Excluding every axis reduces none: each slice is one value, the product of the others 1.
    checkGradient((a) => autograd.grad(nd.sum(nd.square(nd.prod(a, { axis: [0, 1], exclude: true }))), [a], { createGraph: true })[0], [x], {
      reference64: (a) => Array.from(a, (v) => 2 * v),
    });
    const v = nd.array(x);
    v.attachGrad();
    expect(() => autograd.record(() => {
      const first = autograd.grad(nd.prod(v), [v], { createGraph: true })[0];
      return autograd.grad(nd.sum(first), [v], { createGraph: true })[0];
    })).toThrow(new GluonError('_backward_backward_prod: _backward_backward_prod has no gradient: it cannot be differentiated (called inside autograd.record on an input that needs a gradient)'));
  });
});

describe('the backward operators', () => {
  it('check their inputs against the data, naming the operator', () => {
    const x = nd.ones([2, 3]);
    expect(() => runInto(nd, BACKWARD_PROD, [nd.ones([3]), x], { reduced: [1, 0] })).toThrow(
      new GluonError('_backward_prod: expected ograd of shape (1, 3) for data of shape (2, 3), but got (3,)'));
    expect(() => runInto(nd, BACKWARD_PROD, [nd.ones([1, 3]), x], { reduced: [1] })).toThrow(
      new GluonError('_backward_prod: expected reduced to have one flag per axis of data of rank 2, but got 1'));
    expect(() => runInto(nd, BACKWARD_BACKWARD_PROD, [nd.ones([1, 3]), nd.ones([3, 2]), x], { reduced: [1, 0] })).toThrow(
      new GluonError('_backward_backward_prod: expected head of shape (2, 3) for data of shape (2, 3), but got (3, 2)'));
  });
});

describe('symbols and hybridized blocks', () => {
  it("write MXNet's names and attributes and read them back", () => {
    const y = sym.nansum(sym.nanprod(sym.prod(sym.var('x'), { axis: [0, 2], keepdims: true, name: 'p' }), { axis: 1, exclude: true, name: 'q' }), { name: 's' });
    const text = y.toJson();
    const nodes = (JSON.parse(text) as { nodes: { op: string; attrs?: Record<string, string> }[] }).nodes;
    expect(nodes.slice(1).map((n) => [n.op, n.attrs])).toEqual([
      ['prod', { axis: '(0, 2)', keepdims: 'True' }], ['nanprod', { axis: '(1,)', exclude: 'True' }], ['nansum', undefined],
    ]);
    expect(sym.loadJson(text).toJson()).toBe(text);
    expect(y.inferShape({ x: [2, 3, 4] }).outShapes).toEqual([[1]]);
  });

  class Products extends nn.HybridBlock {
    override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor {
      return F.add(F.prod(x, { axis: 1 }), F.multiply(F.nansum(x, { axis: 1 }), F.nanprod(x, { axis: 1 })));
    }
  }

  it('give the same bits hybridized as imperatively, gradients included', () => {
    expectHybridMatches(() => new Products(), operand([3, 5], [NaN]));
  });
});
