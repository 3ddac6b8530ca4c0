import { GluonError, NDArray, autograd, nd, random } from '../../src';
import { DROPOUT } from '../../src/ops/dropout';
import { lookupOperator } from '../../src/ops/table';
import { makeRng, randomArray, unravel } from '../helpers/naive_ops';

/** MXNet's float32 scale of the kept values: 1.0f / (1 - p) with p and 1 - p in float32. */
const scaleOf = (p: number): number => Math.fround(1 / Math.fround(1 - Math.fround(p)));

function train<T>(body: () => T): T {
  return autograd.trainMode(body);
}

describe('nd.Dropout: training mode', () => {
  it.each([0.5, 0.3, 0.9])('zeroes a fraction p = %d and scales the rest by 1/(1 − p)', (p) => {
    random.seed(1);
    const x = randomArray(makeRng(1), [100, 200], 0.5, 2);
    const y = train(() => nd.Dropout(x, { p })).toFloat32Array();
    const xs = x.toFloat32Array();
    let dropped = 0;
    for (let i = 0; i < xs.length; i++) {
      if (y[i] === 0) dropped++;
      else expect(y[i]).toBe(Math.fround(xs[i] * scaleOf(p)));
    }
    // 20000 Bernoulli draws: the fraction's standard deviation is below 0.0036.
    expect(Math.abs(dropped / xs.length - p)).toBeLessThan(0.02);
  });

  it('uses p = 0.5 by default', () => {
    random.seed(2);
    const y = train(() => nd.Dropout(nd.ones([4000]))).toFloat32Array();
    expect(new Set(y)).toEqual(new Set([0, 2]));
    expect(Math.abs(y.filter((v) => v === 0).length / 4000 - 0.5)).toBeLessThan(0.04);
  });

  it.each([
    [[6, 5, 4], [1]],
    [[6, 5, 4], [-1]],
    [[3, 4, 5, 6], [2, 3]],
    [[3, 4, 5, 6], [0, 1, 2, 3]],
  ])('shares one mask value along the axes: shape %j, axes %j', (shape, axes) => {
    random.seed(3);
    const y = train(() => nd.Dropout(nd.ones(shape), { p: 0.5, axes })).toFloat32Array();
    const shared = axes.map((a) => (a < 0 ? a + shape.length : a));
    const maskValue = new Map<string, number>();
    for (let i = 0; i < y.length; i++) {
      const key = unravel(i, shape).map((k, axis) => (shared.includes(axis) ? 0 : k)).join(',');
      if (!maskValue.has(key)) maskValue.set(key, y[i]);
      expect(y[i]).toBe(maskValue.get(key));
    }
    const values = [...maskValue.values()];
    expect(values.length).toBe(y.length / shared.reduce((s, a) => s * shape[a], 1));
    if (values.length > 4) expect(new Set(values)).toEqual(new Set([0, 2]));
  });

  it('reproduces the mask after random.seed', () => {
    const x = nd.ones([50]);
    random.seed(42);
    const a = train(() => nd.Dropout(x, { p: 0.4 })).toFloat32Array();
    const b = train(() => nd.Dropout(x, { p: 0.4 })).toFloat32Array();
    random.seed(42);
    expect(train(() => nd.Dropout(x, { p: 0.4 })).toFloat32Array()).toEqual(a);
    expect(b).not.toEqual(a);
  });

  it('gives zeros for p = 1 and a copy for p = 0', () => {
    const x = nd.array([1, -2, 3]);
    expect(Array.from(train(() => nd.Dropout(x, { p: 1 })).toFloat32Array())).toEqual([0, -0, 0]);
    const y = train(() => nd.Dropout(x, { p: 0 }));
    expect(y).not.toBe(x);
    expect(Array.from(y.toFloat32Array())).toEqual([1, -2, 3]);
  });

  it('backward multiplies by the same mask', () => {
    random.seed(4);
    const x = randomArray(makeRng(5), [8, 9], 1, 2);
    x.attachGrad();
    const head = randomArray(makeRng(6), [8, 9], -1, 1);
    const y = autograd.record(() => nd.Dropout(x, { p: 0.5, axes: [0] }));
    y.backward(head);
    const [ys, xs, hs, gs] = [y, x, head, x.grad as NDArray].map((a) => a.toFloat32Array());
    for (let i = 0; i < ys.length; i++) {
      const kept = ys[i] !== 0;
      expect(gs[i]).toBe(kept ? Math.fround(hs[i] * 2) : 0);
      if (kept) expect(ys[i]).toBe(Math.fround(xs[i] * 2));
    }
  });

  it('differentiates its backward again: the gradient of Σ (∂/∂x Σ w·dropout(x))² with respect to w is 2·w·mask²', () => {
    random.seed(5);
    const x = nd.ones([4, 5]);
    const w = randomArray(makeRng(7), [4, 5], -1, 1);
    x.attachGrad();
    w.attachGrad();
    let y = nd.zeros([1]);
    const penalty = autograd.record(() => {
      y = nd.Dropout(x, { p: 0.5 });
      const [g] = autograd.grad(y, [x], { createGraph: true, headGrads: w });
      return g.square().sum();
    });
    penalty.backward();
    // y = mask (x is ones), so mask² = y².
    const ys = y.toFloat32Array();
    const expected = Array.from(w.toFloat32Array(), (v, i) => Math.fround(Math.fround(2 * v) * Math.fround(ys[i] * ys[i])));
    expect(Array.from(w.grad?.toFloat32Array() ?? [])).toEqual(expected);
  });

  it('does not mutate its input', () => {
    const x = nd.array([1, 2, 3, 4]);
    train(() => nd.Dropout(x));
    expect(Array.from(x.toFloat32Array())).toEqual([1, 2, 3, 4]);
  });
});

describe('nd.Dropout: prediction mode', () => {
  it('is the identity (a copy) with an identity gradient', () => {
    const x = nd.array([[1, 2], [3, 4]]);
    x.attachGrad();
    const y = autograd.record(() => nd.Dropout(x, { p: 0.9 }), { trainMode: false });
    expect(y).not.toBe(x);
    expect(y.toArray()).toEqual([[1, 2], [3, 4]]);
    y.backward(nd.array([[5, 6], [7, 8]]));
    expect(x.grad?.toArray()).toEqual([[5, 6], [7, 8]]);
  });

  it("drops anyway in mode 'always'", () => {
    random.seed(7);
    const y = nd.Dropout(nd.ones([1000]), { p: 0.5, mode: 'always' }).toFloat32Array();
    expect(y.filter((v) => v === 0).length).toBeGreaterThan(400);
  });
});

describe('Dropout in the registry', () => {
  it("declares MXNet's attributes, its hidden mask output and accepts cudnn_off", () => {
    expect(lookupOperator('Dropout', 'test')).toBe(DROPOUT);
    const { attrs } = DROPOUT.resolveJson({ p: '0.25', mode: 'always', axes: '(2, 3)', cudnn_off: 'False' }, 'node');
    expect(attrs.values).toEqual({ p: 0.25, mode: 'always', axes: [2, 3], cudnnOff: false });
    expect(DROPOUT.printAttrs(attrs)).toEqual({ p: '0.25', mode: 'always', axes: '(2, 3)', cudnn_off: 'False' });
    expect(DROPOUT.resolveJson({}, 'node').attrs.values).toEqual({ p: 0.5, mode: 'training', axes: [], cudnnOff: false });
    expect(DROPOUT.attrSpecs.cudnnOff.ignored).toBe(true);
    expect(DROPOUT.hiddenOutputs(attrs)).toBe(1);
    expect(DROPOUT.inplace).toEqual([[0, 0]]);
    expect(() => DROPOUT.resolveJson({ p: '1.5' }, 'node')).toThrow("node: expected attribute 'p' of Dropout to be a number in [0, 1], but got '1.5'");
  });
});

describe('nd.Dropout: errors', () => {
  const x = nd.ones([2, 3]);
  it('checks p', () => {
    for (const p of [-0.1, 1.5, NaN]) {
      expect(() => nd.Dropout(x, { p })).toThrow(GluonError);
      expect(() => nd.Dropout(x, { p })).toThrow(`Dropout: expected p to be a number in [0, 1], but got the number ${p}`);
    }
    expect(() => nd.Dropout(x, { p: '0.5' as unknown as number })).toThrow('Dropout: expected p to be a number in [0, 1], but got the string \'0.5\'');
  });

  it('checks axes', () => {
    expect(() => nd.Dropout(x, { axes: [0.5] })).toThrow('Dropout: expected axes to be a tuple of integers, but got [0.5]');
    expect(() => nd.Dropout(x, { axes: 1 as unknown as number[] })).toThrow('Dropout: expected axes to be a tuple of integers, but got the number 1');
    expect(() => nd.Dropout(x, { axes: [2] })).toThrow('Dropout: expected an axis in [-2, 1] for an input of rank 2, but got 2');
    expect(() => nd.Dropout(x, { axes: [1, -1] })).toThrow('Dropout: expected distinct axes, but got (1, -1) for an input of rank 2');
  });

  it('checks mode, data and options', () => {
    expect(() => nd.Dropout(x, { mode: 'train' as nd.DropoutMode })).toThrow("Dropout: expected mode to be one of 'training', 'always', but got the string 'train'");
    expect(() => nd.Dropout(undefined as unknown as NDArray)).toThrow('Dropout: expected data to be an NDArray, but got none');
    expect(() => nd.Dropout(x, [0.5] as unknown as nd.DropoutOptions)).toThrow('Dropout: Dropout takes 1 input(s) (data) with these options, but got 2 (options go last, in one object)');
  });
});
