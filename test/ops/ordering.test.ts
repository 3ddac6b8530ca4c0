/**
 * topk, sort and argsort against a naive stable sort written here (numpy's order: NaN last
 * ascending), with finite-difference gradients and second derivatives through the lane
 * gather/scatter operators.
 */
import { GluonError, autograd, nd, sym } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

/** The stable order of a list (NaN after every number), ascending or descending. */
function naiveOrder(values: number[], ascending: boolean): number[] {
  const rank = (v: number) => (Number.isNaN(v) ? Infinity : v);
  const idx = values.map((_, i) => i);
  return idx.sort((a, b) => {
    const [va, vb] = [values[a], values[b]];
    const nanA = Number.isNaN(va), nanB = Number.isNaN(vb);
    let c = nanA || nanB ? Number(nanA) - Number(nanB) : rank(va) - rank(vb);
    if (!ascending) c = -c;
    return c !== 0 ? c : a - b;
  });
}

const X = [[3, 1, 2, 1], [NaN, -1, 4, 0]];

describe('ordering', () => {
  it('sort and argsort order each row ascending (NaN last), stable on ties', () => {
    const rows = X.map((r) => naiveOrder(r, true));
    expect(nd.argsort(nd.array(X)).toArray()).toEqual(rows);
    expect(nd.sort(nd.array(X)).toArray()).toEqual(rows.map((r, i) => r.map((p) => X[i][p])));
    expect(nd.sort(nd.array(X), { isAscend: false, axis: 0 }).toArray()).toEqual([[NaN, 1, 4, 1], [3, -1, 2, 0]]);
  });

  it('topk returns indices by default, values, both or a mask', () => {
    const x = nd.array([[1, 5, 3, 5]]);
    expect(nd.topk(x, { k: 2 }).toArray()).toEqual([[1, 3]]);
    expect(nd.topk(x, { k: 2, retTyp: 'value' }).toArray()).toEqual([[5, 5]]);
    const [values, indices] = nd.topk(x, { k: 3, retTyp: 'both', isAscend: true });
    expect([values.toArray(), indices.toArray()]).toEqual([[[1, 3, 5]], [[0, 2, 1]]]);
    expect(nd.topk(x, { k: 2, retTyp: 'mask' }).toArray()).toEqual([[0, 1, 0, 1]]);
    expect(nd.topk(x, { k: 0, axis: null, retTyp: 'value' }).toArray()).toEqual([5, 5, 3, 1]);
  });

  it('sends the gradient of the values back to where they came from, and differentiates again', () => {
    const x = nd.array(Float32Array.from(pseudoRandom(8, 3)), { shape: [2, 4] });
    const topValues = (a: ArrayLike<number>) => [0, 4].flatMap((o) => naiveOrder(Array.from(a).slice(o, o + 4), false).slice(0, 2).map((p) => a[o + p]));
    checkGradient((a) => nd.topk(a, { k: 2, retTyp: 'value' }), [x], { reference64: topValues });
    const sorted = (a: ArrayLike<number>) => [0, 4].flatMap((o) => naiveOrder(Array.from(a).slice(o, o + 4), true).map((p) => a[o + p]));
    checkGradient((a) => nd.sort(a), [x], { reference64: sorted });
    // d/dx of Σ (∂/∂x Σ w·sort(x)²)² = 8·w_{rank(x)}²·x: through the scatter and gather operators.
    const w = nd.array(Float32Array.from(pseudoRandom(8, 4)), { shape: [2, 4] });
    checkGradient((a) => nd.square(autograd.grad(nd.square(nd.sort(a)), [a], { createGraph: true, headGrads: w })[0]), [x], {
      reference64: (a) => {
        const out = new Array<number>(8);
        [0, 4].forEach((o) => naiveOrder(Array.from(a).slice(o, o + 4), true).forEach((p, r) => (out[o + p] = (2 * w.data[o + r] * a[o + p]) ** 2)));
        return out;
      },
    });
  });

  it('names a k larger than the axis, and uses MXNet names in symbol files', () => {
    expect(() => nd.topk(nd.ones([2, 3]), { k: 4 })).toThrow(GluonError);
    expect(() => nd.topk(nd.ones([2, 3]), { k: 4 })).toThrow('topk: expected k <= 3 (the length of the axis), but got 4');
    const graph = JSON.parse(sym.topk(sym.var('x'), { k: 2, retTyp: 'value', name: 't' }).toJson()) as { nodes: { op: string; attrs?: Record<string, string> }[] };
    expect(graph.nodes[1]).toMatchObject({ op: 'topk', attrs: { k: '2', ret_typ: 'value' } });
  });
});
