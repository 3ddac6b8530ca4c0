import { GluonError, NDArray, autograd, nd } from '../../src';
import { LOG_SOFTMAX, SOFTMAX, SOFTMAX_ACTIVATION } from '../../src/ops/softmax';
import { lookupOperator } from '../../src/ops/table';
import { checkAgainst } from '../helpers/grad_refs';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { Ref, expectClose, makeRng, naiveSoftmax, randomArray, ravel, refOf, unravel } from '../helpers/naive_ops';

const rng = makeRng(13);

/** x/t, then the naive softmax (the definition of MXNet's temperature). */
function tempered(a: Ref, axis: number, log: boolean, t = 1): Ref {
  return naiveSoftmax({ shape: a.shape, data: a.data.map((v) => v / t) }, axis, log);
}

/** Softmax of the first `lengths[lane]` values of each lane along `axis`, zeros after them. */
function maskedSoftmax(a: Ref, axis: number, lengths: number[]): Ref {
  const data = a.data.map((_, flat) => {
    const index = unravel(flat, a.shape);
    const laneIndex = index.filter((_, d) => d !== axis);
    const laneShape = a.shape.filter((_, d) => d !== axis);
    const len = lengths[laneShape.length === 0 ? 0 : ravel(laneIndex, laneShape)];
    if (index[axis] >= len) return 0;
    const lane = Array.from({ length: len }, (_, k) => a.data[ravel(index.map((v, d) => (d === axis ? k : v)), a.shape)]);
    const m = Math.max(...lane);
    return Math.exp(a.data[flat] - m) / lane.reduce((s, v) => s + Math.exp(v - m), 0);
  });
  return { shape: a.shape, data };
}

describe.each([
  ['softmax', nd.softmax, false],
  ['log_softmax', nd.logSoftmax, true],
] as [string, typeof nd.logSoftmax, boolean][])('%s', (name, op, log) => {
  const x = randomArray(rng, [2, 3, 4], -4, 4);

  it.each([0, 1, 2, -1, -2, -3])('matches the reference along axis %d', (axis) => {
    expectClose(op(x, { axis }), naiveSoftmax(refOf(x), (axis + 3) % 3, log));
  });

  it('defaults to the last axis', () => {
    expectClose(op(x), naiveSoftmax(refOf(x), 2, log));
  });

  it.each([2, 0.5, -1.5])('divides by the temperature %d', (temperature) => {
    expectClose(op(x, { axis: 1, temperature }), tempered(refOf(x), 1, log, Math.fround(temperature)));
  });

  it('is stable for large inputs: shifting every lane by 1e4 changes nothing', () => {
    const small = nd.array([[1, 2, 3], [-1, 0, 1]]);
    const expected = naiveSoftmax(refOf(small), 1, log);
    expectClose(op(nd.add(small, 1e4)), expected);
    expectClose(op(nd.subtract(small, 1e4)), expected);
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

  it.each([[0, 1], [2, 1], [-1, 2]])('has the gradient of the float64 reference along axis %d, temperature %d', (axis, temperature) => {
    const v = randomArray(rng, [2, 3, 4], -3, 3);
    checkAgainst((a) => op(a, { axis, temperature }), [v], (a) => tempered(a, (axis + 3) % 3, log, temperature));
  });

  // g = ∂/∂x Σ r·f(x) with createGraph, differentiated again against central differences of g's float64 reference.
  it.each([[1, 1], [0, 0.5]])('differentiates its gradient again: axis %d, temperature %d', (axis, temperature) => {
    const shape = [3, 4];
    const r = Float32Array.from(pseudoRandom(12, 17));
    const gradient = (a: NDArray): NDArray => autograd.grad(op(a, { axis, temperature }), [a], { createGraph: true, headGrads: nd.array(r, { shape }) })[0];
    const reference64 = (v: Float64Array): number[] => {
      const p = tempered({ shape, data: Array.from(v) }, axis, false, temperature).data;
      return p.map((pi, flat) => {
        const index = unravel(flat, shape);
        const lane = Array.from({ length: shape[axis] }, (_, k) => ravel(index.map((d, i) => (i === axis ? k : d)), shape));
        // softmax: p·(r − Σ r·p)/t; log_softmax: (r − p·Σ r)/t.
        return log ? (r[flat] - pi * lane.reduce((s, j) => s + r[j], 0)) / temperature : (pi * (r[flat] - lane.reduce((s, j) => s + r[j] * p[j], 0))) / temperature;
      });
    };
    checkGradient(gradient, [randomArray(rng, shape, -2, 2)], { reference64 });
  });

  it('rejects a bad axis, dtype, temperature and data', () => {
    expect(() => op(x, { axis: 3 })).toThrow(`${name}: expected an axis in [-3, 2] for an input of rank 3, but got 3`);
    expect(() => op(x, { axis: 0.5 })).toThrow(`${name}: expected axis to be an integer, but got the number 0.5`);
    expect(() => op(x, { temperature: 0 })).toThrow(`${name}: expected temperature to be nonzero (None means 1), but got 0`);
    expect(() => op(x, { temperature: Infinity })).toThrow(`${name}: expected temperature to be None or a finite number, but got the number Infinity`);
    expect(() => op(x, { dtype: 'float64' })).toThrow(`${name}: expected dtype to be None or 'float32' (tsgluon's arrays are float32), but got 'float64'`);
    expect(() => op(nd.array(1))).toThrow(`${name}: expected data of rank >= 1, but got a 0-d array`);
    expect(() => op(null as unknown as NDArray)).toThrow(`${name}: expected data to be an NDArray, but got null`);
    expect(op(x, { dtype: 'float32' }).shape).toEqual([2, 3, 4]);
  });
});

describe('softmax specifics', () => {
  it('sums to 1 along the axis', () => {
    const y = nd.softmax(randomArray(rng, [5, 7], -30, 30), { axis: 0 });
    nd.sum(y, { axis: 0 }).data.forEach((s) => expect(Math.abs(s - 1)).toBeLessThan(2 ** -21));
  });

  it('logSoftmax stays finite where softmax underflows to 0', () => {
    const x = nd.array([0, -200]);
    expect(nd.softmax(x).data[1]).toBe(0);
    expect(nd.logSoftmax(x).data[1]).toBe(-200);
  });

  it("reproduces MXNet's log_softmax examples", () => {
    expectClose(nd.logSoftmax(nd.array([1, 2, 0.1])), { shape: [3], data: [-1.41702998, -0.41702995, -2.31702995] }, 1e-7);
    expectClose(nd.logSoftmax(nd.array([[1, 2, 0.1], [0.1, 2, 1]]), { axis: 0 }), {
      shape: [2, 3], data: [-0.34115392, -0.69314718, -1.24115396, -1.24115396, -0.69314718, -0.34115392],
    }, 1e-7);
  });

  it('is the method x.softmax(axis)', () => {
    const x = randomArray(rng, [3, 4]);
    expect(x.softmax(0).toFloat32Array()).toEqual(nd.softmax(x, { axis: 0 }).toFloat32Array());
    expect(x.softmax().toFloat32Array()).toEqual(nd.softmax(x).toFloat32Array());
  });
});

describe('softmax with a length input (use_length)', () => {
  const x = randomArray(rng, [2, 4, 3], -3, 3);

  it('normalizes the first length values of each lane and zeroes the rest', () => {
    const lengths = [4, 1, 0, 3, 2, 2];
    const y = nd.softmax(x, nd.array(lengths, { shape: [2, 3] }), { axis: 1 });
    expectClose(y, maskedSoftmax(refOf(x), 1, lengths));
    expect(nd.softmax(nd.array([1, 2, 3]), nd.array([2])).toArray()).toEqual([Math.fround(1 / (1 + Math.E)), Math.fround(Math.E / (1 + Math.E)), 0]);
  });

  it('sets useLength from the length input, and passes no gradient to it', () => {
    const lengths = nd.array([3, 1, 2, 4, 4, 0], { shape: [2, 3] });
    const data = randomArray(rng, [2, 4, 3], -2, 2);
    checkAgainst((a, l) => nd.softmax(a, l, { axis: 1 }), [data, lengths], (a) => maskedSoftmax(a, 1, Array.from(lengths.data)), { check: [0] });
    const attrs = SOFTMAX.resolveOptions({ useLength: true, axis: 1 }, 'test');
    expect(SOFTMAX.inputNames(attrs)).toEqual(['data', 'length']);
    expect(SOFTMAX.inferShape(attrs, [[2, 4, 3], undefined], 'test').inputs).toEqual([[2, 4, 3], [2, 3]]);
  });

  it('checks the length input', () => {
    expect(() => nd.softmax(x, nd.zeros([2, 4]), { axis: 1 })).toThrow('softmax: expected length of shape (2, 3) for data of shape (2, 4, 3), but got (2, 4)');
    expect(() => nd.softmax(x, nd.full([2, 3], 5), { axis: 1 })).toThrow('softmax: expected length values to be integers in [0, 4], but got 5 at position 0 of shape (2, 3)');
    expect(() => nd.softmax(x, nd.full([2, 3], 1.5), { axis: 1 })).toThrow(/expected length values to be integers in \[0, 4\], but got 1.5/);
    expect(() => nd.softmax(x, { axis: 1, useLength: true })).toThrow('softmax: expected length to be an NDArray, but got none');
    expect(() => nd.logSoftmax(x, { useLength: true })).toThrow('log_softmax: log_softmax has no length input, so useLength must be false, but got true');
  });
});

describe('nd.SoftmaxActivation', () => {
  it("reproduces MXNet's example (mode 'instance': each row)", () => {
    const y = nd.SoftmaxActivation(nd.array([[3, 0.5, -0.5, 2, 7], [2, -0.4, 7, 3, 0.2]]));
    expectClose(y, {
      shape: [2, 5],
      data: [1.78322066e-2, 1.46375655e-3, 5.38485940e-4, 6.56010211e-3, 9.73605454e-1, 6.56221947e-3, 5.95310994e-4, 9.73919690e-1, 1.78379621e-2, 1.08472735e-3],
    }, 1e-7);
  });

  it.each([
    ['channel', [2, 3, 2, 2], 1],
    ['channel', [2, 4, 5], 1],
    ['instance', [3, 5], 1],
    ['instance', [2, 3, 4], 2],
  ] as [nd.SoftmaxActivationMode, number[], number][])('mode %s on %j is a softmax along axis %d, with its gradient', (mode, shape, axis) => {
    const x = randomArray(rng, shape, -3, 3);
    expectClose(nd.SoftmaxActivation(x, { mode }), naiveSoftmax(refOf(x), axis, false));
    checkAgainst((a) => nd.SoftmaxActivation(a, { mode }), [x], (a) => naiveSoftmax(a, axis, false));
  });

  it('differentiates its gradient again (channel mode)', () => {
    const shape = [2, 3, 2];
    const r = Float32Array.from(pseudoRandom(12, 19));
    const gradient = (a: NDArray): NDArray =>
      autograd.grad(nd.SoftmaxActivation(a, { mode: 'channel' }), [a], { createGraph: true, headGrads: nd.array(r, { shape }) })[0];
    const reference64 = (v: Float64Array): number[] => {
      const p = naiveSoftmax({ shape, data: Array.from(v) }, 1, false).data;
      return p.map((pi, flat) => {
        const [n, , w] = unravel(flat, shape);
        const dot = [0, 1, 2].reduce((s, c) => s + r[ravel([n, c, w], shape)] * p[ravel([n, c, w], shape)], 0);
        return pi * (r[flat] - dot);
      });
    };
    checkGradient(gradient, [randomArray(rng, shape, -2, 2)], { reference64 });
  });

  it('checks its mode and the rank of channel mode', () => {
    expect(() => nd.SoftmaxActivation(nd.zeros([2, 3]), { mode: 'channel' })).toThrow("SoftmaxActivation: expected data of rank >= 3 for mode 'channel', but got shape (2, 3)");
    expect(() => nd.SoftmaxActivation(nd.zeros([2, 3]), { mode: 'spatial' as nd.SoftmaxActivationMode })).toThrow(
      "SoftmaxActivation: expected mode to be one of 'instance', 'channel', but got the string 'spatial'",
    );
    expect(() => nd.SoftmaxActivation(nd.array(2))).toThrow('SoftmaxActivation: expected data of rank >= 1, but got a 0-d array');
  });
});

describe('softmax operators in the registry', () => {
  it("parse and print MXNet's SoftmaxParam", () => {
    expect(lookupOperator('_npx_softmax', 'test')).toBe(SOFTMAX);
    expect(lookupOperator('_npx_log_softmax', 'test')).toBe(LOG_SOFTMAX);
    expect(lookupOperator('SoftmaxActivation', 'test')).toBe(SOFTMAX_ACTIVATION);
    const { attrs } = SOFTMAX.resolveJson({ axis: '1', temperature: '2.0', dtype: 'None', use_length: 'False' }, 'node');
    expect(attrs.values).toEqual({ axis: 1, temperature: 2, dtype: null, useLength: false });
    expect(SOFTMAX.printAttrs(attrs)).toEqual({ axis: '1', temperature: '2.0', dtype: 'None', use_length: 'False' });
    expect(SOFTMAX.resolveJson({}, 'node').attrs.values).toEqual({ axis: -1, temperature: null, dtype: null, useLength: false });
    expect(SOFTMAX_ACTIVATION.resolveJson({ mode: 'channel' }, 'node').attrs.values).toEqual({ mode: 'channel' });
    expect(() => SOFTMAX_ACTIVATION.resolveJson({ axis: '1' }, 'node')).toThrow("node: operator SoftmaxActivation has no attribute 'axis' (MXNet declares: mode)");
  });

  it('print only the attributes given', () => {
    expect(SOFTMAX.printAttrs(SOFTMAX.resolveOptions({ axis: 0 }, 'test'))).toEqual({ axis: '0' });
    expect(() => nd.softmax(nd.zeros([2]), { axis: 1 })).toThrow(GluonError);
  });
});
