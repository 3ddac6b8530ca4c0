/**
 * nd.cumsum against float64 running sums written here (every axis, negative axes, flattened),
 * gradients by finite differences, sym/JSON, and an empty axis.
 */
import { NDArray, nd, sym } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

const x = nd.array(Float32Array.from(pseudoRandom(24, 3)), { shape: [2, 3, 4] });

/** Running sums of x along `axis` by explicit multi-indices. */
function reference(a: NDArray, axis: number): number[] {
  const [d0, d1, d2] = a.shape;
  const v = a.toFloat32Array();
  const out: number[] = [];
  for (let i = 0; i < d0; i++) for (let j = 0; j < d1; j++) for (let k = 0; k < d2; k++) {
    let s = 0;
    const idx = [i, j, k];
    for (let t = 0; t <= idx[axis]; t++) {
      const p = [...idx];
      p[axis] = t;
      s += v[(p[0] * d1 + p[1]) * d2 + p[2]];
    }
    out.push(Math.fround(s));
  }
  return out;
}

test('running sums along each axis, a negative axis, and the flattened array', () => {
  for (const axis of [0, 1, 2]) expect(Array.from(nd.cumsum(x, { axis }).toFloat32Array())).toEqual(reference(x, axis));
  expect(nd.cumsum(x, { axis: -1 }).toArray()).toEqual(nd.cumsum(x, { axis: 2 }).toArray());
  const flat = nd.cumsum(x);
  expect(flat.shape).toEqual([24]);
  let s = 0;
  expect(Array.from(flat.toFloat32Array())).toEqual(Array.from(x.toFloat32Array(), (v) => Math.fround((s += v))));
  expect(nd.cumsum(nd.zeros([2, 0]), { axis: 1 }).shape).toEqual([2, 0]);
});

test('gradients by finite differences, along an axis and flattened', () => {
  checkGradient((a) => nd.cumsum(a, { axis: 1 }), [x]);
  checkGradient((a) => nd.cumsum(a), [x]);
});

test("sym.cumsum writes MXNet's _np_cumsum node", () => {
  const node = JSON.parse(sym.cumsum(sym.var('a'), { axis: 1 }).toJson()).nodes[1];
  expect([node.op, node.attrs]).toEqual(['_np_cumsum', { axis: '1' }]);
  expect(() => nd.cumsum(x, { axis: 3 })).toThrow('_np_cumsum: expected an axis in [-3, 2] for an input of rank 3, but got 3');
});
