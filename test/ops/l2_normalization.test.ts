import { GluonError, NDArray, autograd, nd } from '../../src';
import { L2_NORMALIZATION, L2_NORMALIZATION_BACKWARD } from '../../src/ops/l2_normalization';
import { lookupOperator } from '../../src/ops/table';
import { checkAgainst } from '../helpers/grad_refs';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { Ref, expectClose, makeRng, randomArray, refOf, unravel } from '../helpers/naive_ops';

const rng = makeRng(29);
type Mode = nd.L2NormalizationMode;

/** Which elements share element `flat`'s norm: the same instance, the same (instance, position), or the same (instance, channel). */
function groupKey(mode: Mode, shape: number[], flat: number): string {
  const index = unravel(flat, shape);
  if (mode === 'instance') return `${index[0]}`;
  if (mode === 'channel') return [index[0], ...index.slice(2)].join(',');
  return `${index[0]},${index[1]}`;
}

/** x / √(Σ_group x² + eps) in float64, grouping elements by their multi-index. */
function reference(a: Ref, mode: Mode, eps: number): Ref {
  const sums = new Map<string, number>();
  a.data.forEach((v, flat) => {
    const key = groupKey(mode, a.shape, flat);
    sums.set(key, (sums.get(key) ?? 0) + v * v);
  });
  return { shape: a.shape, data: a.data.map((v, flat) => v / Math.sqrt((sums.get(groupKey(mode, a.shape, flat)) ?? 0) + eps)) };
}

const CASES: [Mode, number[]][] = [
  ['instance', [3, 4]],
  ['instance', [2, 3, 2, 2]],
  ['instance', [5]],
  ['channel', [2, 3, 4]],
  ['channel', [2, 3, 2, 2]],
  ['spatial', [2, 3, 2, 2]],
  ['spatial', [2, 2, 5]],
];

describe('nd.L2Normalization', () => {
  it('computes the documented example', () => {
    expect(nd.L2Normalization(nd.array([[3, 4]])).toArray()).toEqual([[0.6, 0.8].map(Math.fround)]);
  });

  it.each(CASES)('mode %s on %j matches the float64 reference', (mode, shape) => {
    const x = randomArray(rng, shape, -3, 3);
    expectClose(nd.L2Normalization(x, { mode }), reference(refOf(x), mode, Math.fround(1e-10)));
  });

  it('uses eps (rounded to float32) under the root, so zeros stay zeros', () => {
    const x = nd.array([[0, 0], [1, 1]]);
    expect(nd.L2Normalization(x).toArray()).toEqual([[0, 0], [Math.fround(Math.SQRT1_2), Math.fround(Math.SQRT1_2)]]);
    expectClose(nd.L2Normalization(x, { eps: 0.5 }), reference(refOf(x), 'instance', 0.5));
  });

  it.each(CASES)('mode %s on %j: gradient matches central differences', (mode, shape) => {
    const x = randomArray(rng, shape, -3, 3);
    checkAgainst((a) => nd.L2Normalization(a, { mode, eps: 0.01 }), [x], (a) => reference(a, mode, Math.fround(0.01)));
  });

  // g = ∂/∂x Σ r·y with createGraph, differentiated again against central differences of g's
  // float64 reference g = (r − y·Σ_group r·y)/n.
  it.each([['instance', [2, 3]], ['channel', [2, 3, 2]], ['spatial', [2, 2, 3]]] as [Mode, number[]][])(
    'mode %s on %j: differentiates its gradient again',
    (mode, shape) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const r = Float32Array.from(pseudoRandom(size, 31));
      const eps = Math.fround(0.01);
      const gradient = (a: NDArray): NDArray =>
        autograd.grad(nd.L2Normalization(a, { mode, eps: 0.01 }), [a], { createGraph: true, headGrads: nd.array(r, { shape }) })[0];
      const reference64 = (v: Float64Array): number[] => {
        const x: Ref = { shape, data: Array.from(v) };
        const y = reference(x, mode, eps).data;
        const dots = new Map<string, number>();
        y.forEach((yi, flat) => dots.set(groupKey(mode, shape, flat), (dots.get(groupKey(mode, shape, flat)) ?? 0) + r[flat] * yi));
        return y.map((yi, flat) => {
          const norm = v[flat] / yi;
          return (r[flat] - yi * (dots.get(groupKey(mode, shape, flat)) ?? 0)) / norm;
        });
      };
      checkGradient(gradient, [randomArray(rng, shape, 0.5, 2)], { reference64 });
    },
  );

  it("declares MXNet's attributes and its hidden norm output", () => {
    expect(lookupOperator('L2Normalization', 'test')).toBe(L2_NORMALIZATION);
    const { attrs } = L2_NORMALIZATION.resolveJson({ eps: '1e-05', mode: 'spatial' }, 'node');
    expect(attrs.values).toEqual({ eps: 1e-5, mode: 'spatial' });
    expect(L2_NORMALIZATION.printAttrs(attrs)).toEqual({ eps: '1e-05', mode: 'spatial' });
    expect(L2_NORMALIZATION.resolveJson({}, 'node').attrs.values).toEqual({ eps: 1e-10, mode: 'instance' });
    expect(L2_NORMALIZATION.outputNames(attrs)).toEqual(['output']);
    expect(L2_NORMALIZATION.hiddenOutputs(attrs)).toBe(1);
    const grad = L2_NORMALIZATION_BACKWARD.resolveOptions({}, 'test');
    expect(() => L2_NORMALIZATION_BACKWARD.inferShape(grad, [[2, 3], [3, 2]], 'test')).toThrow('test: expected ograd of shape (3, 2), but got (2, 3)');
  });

  it('rejects bad data and options', () => {
    expect(() => nd.L2Normalization(nd.zeros([2, 3]), { mode: 'channel' })).toThrow(GluonError);
    expect(() => nd.L2Normalization(nd.zeros([2, 3]), { mode: 'channel' })).toThrow("L2Normalization: expected data of rank >= 3 for mode 'channel', but got shape (2, 3)");
    expect(() => nd.L2Normalization(nd.zeros([2, 3]), { mode: 'spatial' })).toThrow("L2Normalization: expected data of rank >= 3 for mode 'spatial', but got shape (2, 3)");
    expect(() => nd.L2Normalization(nd.array(1))).toThrow('L2Normalization: expected data of rank >= 1, but got a 0-d array');
    expect(() => nd.L2Normalization(nd.zeros([2]), { mode: 'batch' as Mode })).toThrow(
      "L2Normalization: expected mode to be one of 'instance', 'channel', 'spatial', but got the string 'batch'",
    );
    expect(() => nd.L2Normalization(nd.zeros([2]), { eps: NaN })).toThrow('L2Normalization: expected eps to be a finite number, but got the number NaN');
    expect(() => nd.L2Normalization([1, 2] as unknown as NDArray)).toThrow('L2Normalization: expected data to be an NDArray, but got [1, 2]');
  });
});
