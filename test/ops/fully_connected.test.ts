import { GluonError, NDArray, autograd, nd, nn } from '../../src';
import { FULLY_CONNECTED, FULLY_CONNECTED_DATA_GRAD, FULLY_CONNECTED_WEIGHT_GRAD } from '../../src/ops/fully_connected';
import { invoke } from '../../src/ops/invoke';
import type { MaybeShape, Operator } from '../../src/ops/operator';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { makeRng, randomArray } from '../helpers/naive_dense';
import { denseReference, runWithGrads, worstRelative } from '../helpers/naive_layers';

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function infer(op: Operator, options: object, shapes: MaybeShape[]) {
  return op.inferShape(op.resolveOptions(options, op.name), shapes, op.name);
}

describe('nd.FullyConnected', () => {
  it('computes the documented example', () => {
    const y = nd.FullyConnected(nd.array([[1, 2]]), nd.array([[1, 1], [0, 1]]), nd.array([0, 10]), { numHidden: 2 });
    expect(y.toArray()).toEqual([[3, 12]]);
  });

  it.each([
    { xShape: [4, 3], flatten: true, bias: true },
    { xShape: [2, 3, 2, 2], flatten: true, bias: false },
    { xShape: [2, 3, 5], flatten: false, bias: true },
    { xShape: [7], flatten: true, bias: true },
    { xShape: [5], flatten: false, bias: true },
  ])('matches the float64 reference forward and backward for x $xShape, flatten $flatten, bias $bias', ({ xShape, flatten, bias }) => {
    const rng = makeRng(size(xShape));
    const units = 6;
    const k = flatten ? size(xShape.slice(1)) : xShape[xShape.length - 1];
    const x = randomArray(size(xShape), rng), w = randomArray(units * k, rng), b = randomArray(units, rng);
    const rows = size(xShape) / k;
    const dy = randomArray(rows * units, rng);
    const inputs = [nd.array(x, { shape: xShape }), nd.array(w, { shape: [units, k] }), ...(bias ? [nd.array(b)] : [])];
    const { y, grads } = runWithGrads((...a) => nd.FullyConnected(a[0], a[1], a[2], { numHidden: units, flatten }), inputs, dy);
    expect(y.shape).toEqual(flatten ? [xShape[0], units] : [...xShape.slice(0, -1), units]);
    const ref = denseReference(xShape, units, flatten, x, w, bias ? b : null, dy);
    expect(worstRelative(y.toFloat32Array(), ref.out)).toBeLessThanOrEqual(1);
    expect(worstRelative(grads[0], ref.dx)).toBeLessThanOrEqual(1);
    expect(worstRelative(grads[1], ref.dw)).toBeLessThanOrEqual(1);
    if (bias) expect(worstRelative(grads[2], ref.db)).toBeLessThanOrEqual(1);
  });

  it('passes a finite-difference gradient check of data, weight and bias', () => {
    const rng = makeRng(5);
    const xShape = [3, 2, 2];
    const x = nd.array(randomArray(12, rng), { shape: xShape });
    const w = nd.array(randomArray(20, rng), { shape: [5, 4] });
    const b = nd.array(randomArray(5, rng));
    checkGradient((a, c, d) => nd.FullyConnected(a, c, d, { numHidden: 5 }), [x, w, b], {
      reference64: (a, c, d) => denseReference(xShape, 5, true, a, c, d).out.value,
    });
  });

  it('takes a (numHidden, 1) bias, as MXNet, and gives its gradient that shape', () => {
    const b = nd.array([[1], [2]]);
    b.attachGrad();
    const y = autograd.record(() => nd.FullyConnected(nd.array([[1, 2], [3, 4]]), nd.array([[1, 0], [0, 1]]), b, { numHidden: 2 }));
    expect(y.toArray()).toEqual([[2, 4], [4, 6]]);
    y.backward();
    expect(b.grad?.toArray()).toEqual([[2], [2]]);
  });

  it('computes no data gradient for an input that needs none, and leaves its inputs unchanged', () => {
    const x = nd.array([[1, 2], [3, 4]]);
    const w = nd.array([[1, 0], [0, 1], [1, 1]]);
    w.attachGrad();
    const before = [x.toFloat32Array(), w.toFloat32Array()];
    const y = autograd.record(() => nd.FullyConnected(x, w, { numHidden: 3 }));
    y.backward();
    expect(x.grad).toBeUndefined();
    expect(w.grad?.toArray()).toEqual([[4, 6], [4, 6], [4, 6]]);
    expect([x.toFloat32Array(), w.toFloat32Array()]).toEqual(before);
  });

  it('gives an empty output and zero weight gradient for an empty batch', () => {
    const w = nd.ones([2, 3]);
    w.attachGrad();
    const y = autograd.record(() => nd.FullyConnected(nd.zeros([0, 3]), w, { numHidden: 2 }));
    expect(y.shape).toEqual([0, 2]);
    y.backward();
    expect(w.grad?.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('infers the weight (numHidden, K) and the bias from the data', () => {
    expect(infer(FULLY_CONNECTED, { numHidden: 4 }, [[2, 3, 5], undefined, undefined])).toMatchObject({
      inputs: [[2, 3, 5], [4, 15], [4]], outputs: [[2, 4]],
    });
    expect(infer(FULLY_CONNECTED, { numHidden: 4, flatten: false, noBias: true }, [[2, 3, 5], undefined])).toMatchObject({
      inputs: [[2, 3, 5], [4, 5]], outputs: [[2, 3, 4]],
    });
    expect(infer(FULLY_CONNECTED, { numHidden: 4 }, [undefined, undefined, undefined])).toMatchObject({ inputs: [undefined, undefined, [4]], outputs: [undefined] });
    expect(infer(FULLY_CONNECTED_DATA_GRAD, { numHidden: 4 }, [undefined, undefined, [2, 3, 5]]).outputs).toEqual([[2, 3, 5]]);
    expect(infer(FULLY_CONNECTED_WEIGHT_GRAD, { numHidden: 4, flatten: false }, [undefined, [2, 3, 5]]).outputs).toEqual([[4, 5]]);
    expect(FULLY_CONNECTED.aliases).toEqual(['_npx_fully_connected']);
  });

  it('names the argument, what it expected and what it got', () => {
    const x = nd.ones([2, 3]);
    const w = nd.ones([4, 3]);
    const fc = (options: object, weight: NDArray = w, bias?: NDArray, data: NDArray = x) =>
      () => nd.FullyConnected(data, weight, bias, options as nd.FullyConnectedOptions);
    expect(fc({ numHidden: 4 }, nd.ones([4, 2]))).toThrow(new GluonError('FullyConnected: expected weight of shape (4, 3) for data of shape (2, 3), but got (4, 2)'));
    expect(fc({ numHidden: 0 })).toThrow('FullyConnected: expected numHidden to be an integer >= 1, but got the number 0');
    expect(fc({})).toThrow('FullyConnected: expected numHidden (an integer >= 1), a required option, but got none');
    expect(fc({ numHidden: 4 }, w, nd.ones([3]))).toThrow('FullyConnected: expected bias of shape (4,), but got (3,)');
    expect(fc({ numHidden: 4 }, w, nd.ones([4, 2]))).toThrow('FullyConnected: expected bias of shape (4,), but got (4, 2)');
    expect(fc({ numHidden: 4, noBias: true }, w, nd.ones([4]))).toThrow(
      'FullyConnected: FullyConnected takes 2 input(s) (data, weight) with these options, but got 3 (options go last, in one object)');
    expect(fc({ numHidden: 4, noBias: false })).toThrow('FullyConnected: expected bias to be an NDArray, but got none');
    expect(fc({ numHidden: 4, flatten: 1 })).toThrow('FullyConnected: expected flatten to be true or false, but got the number 1');
    expect(fc({ numHidden: 3e9 }, nd.zeros([3e9, 0]), undefined, nd.ones([2, 0])))
      .toThrow('FullyConnected output: shape (2, 3000000000) has 6000000000 elements, more than the limit of 1073741824 per array');
    expect(fc({ numHidden: 4 }, w, undefined, nd.array([1], { shape: [] }))).toThrow('FullyConnected: expected data of rank >= 1, but got a 0-d array');
  });

  it('checks the gradient operators\' ograd and weight against the data', () => {
    const run = (op: Operator, inputs: NDArray[]) => () => invoke(nd, op, inputs, op.resolveOptions({ numHidden: 4 }, 'x'));
    expect(run(FULLY_CONNECTED_DATA_GRAD, [nd.ones([2, 3]), nd.ones([4, 5]), nd.ones([2, 5])])).toThrow(
      '_backward_FullyConnected_data: expected ograd of shape (2, 4) for data of shape (2, 5), but got (2, 3)');
    expect(run(FULLY_CONNECTED_DATA_GRAD, [nd.ones([2, 4]), nd.ones([4, 4]), nd.ones([2, 5])])).toThrow(
      '_backward_FullyConnected_data: expected weight of shape (4, 5) for data of shape (2, 5), but got (4, 4)');
    expect(run(FULLY_CONNECTED_WEIGHT_GRAD, [nd.ones([3, 4]), nd.ones([2, 5])])).toThrow(
      '_backward_FullyConnected_weight: expected ograd of shape (2, 4) for data of shape (2, 5), but got (3, 4)');
  });
});

/**
 * Second derivatives: g = ∂/∂v Σ r·tanh(FullyConnected(x, w, b)) for v = x, w, b, computed with
 * createGraph and differentiated again, against finite differences of g's float64 reference.
 */
describe('second derivatives through FullyConnected', () => {
  it.each([
    [[3, 2, 2], true, 0], [[3, 2, 2], true, 1], [[3, 2, 2], true, 2], [[2, 3, 4], false, 0], [[2, 3, 4], false, 1],
  ])('x %j, flatten %s, derivative with respect to input %i', (xShape, flatten, wrt) => {
    const units = 3;
    const k = flatten ? size(xShape.slice(1)) : xShape[xShape.length - 1];
    const outShape = flatten ? [xShape[0], units] : [...xShape.slice(0, -1), units];
    const r = Float32Array.from(pseudoRandom(size(outShape), 3));
    const op = (x: NDArray, w: NDArray, b: NDArray): NDArray => {
      const head = nd.tanh(nd.FullyConnected(x, w, b, { numHidden: units, flatten }));
      return autograd.grad(head, [[x, w, b][wrt]], { createGraph: true, headGrads: nd.array(r, { shape: outShape }) })[0];
    };
    const reference64 = (x: Float64Array, w: Float64Array, b: Float64Array): Float64Array => {
      const out = denseReference(xShape, units, flatten, x, w, b).out.value;
      const ref = denseReference(xShape, units, flatten, x, w, b, out.map((v, i) => r[i] * (1 - Math.tanh(v) ** 2)));
      return [ref.dx, ref.dw, ref.db][wrt].value;
    };
    const rng = makeRng(30 + wrt);
    const inputs = [nd.array(randomArray(size(xShape), rng), { shape: xShape }), nd.array(randomArray(units * k, rng), { shape: [units, k] }),
      nd.array(randomArray(units, rng))];
    checkGradient(op, inputs, { reference64 });
  });

  it('gives a gradient penalty ‖∂L/∂x‖² through nn.Dense its non-zero gradient with respect to the weights', () => {
    // L = Σ tanh(x·Wᵀ + b): ∂L/∂x = s·W with s = 1 − tanh²(x·Wᵀ + b), P = Σ (s·W)².
    const dense = new nn.Dense(3, { inUnits: 4 });
    dense.initialize('xavier');
    const rng = makeRng(41);
    const x = nd.array(randomArray(8, rng), { shape: [2, 4] });
    x.attachGrad();
    const penalty = autograd.record(() => {
      const [gx] = autograd.grad(nd.tanh(dense(x)).sum(), [x], { createGraph: true });
      return gx.square().sum();
    });
    penalty.backward();
    const got = dense.weight.grad().toFloat32Array();
    const w = Float64Array.from(dense.weight.data().toFloat32Array());
    const b = Float64Array.from(dense.bias?.data().toFloat32Array() ?? []);
    const xs = Float64Array.from(x.toFloat32Array());
    const P = (wv: Float64Array): number => {
      const out = denseReference([2, 4], 3, true, xs, wv, b).out.value;
      const gx = denseReference([2, 4], 3, true, xs, wv, b, out.map((v) => 1 - Math.tanh(v) ** 2)).dx.value;
      return gx.reduce((s, v) => s + v * v, 0);
    };
    expect(got.some((v) => Math.abs(v) > 1e-3)).toBe(true);
    w.forEach((_, j) => {
      const [plus, minus] = [1, -1].map((sign) => P(w.map((v, i) => (i === j ? v + sign * 1e-6 : v))));
      expect(Math.abs(got[j] - (plus - minus) / 2e-6)).toBeLessThanOrEqual(1e-4 + 1e-3 * Math.abs((plus - minus) / 2e-6));
    });
  });

  it('differentiates the penalty of a linear Dense layer: P = Σ_rows ‖1·W‖², dP/dW[u, k] = 2·rows·Σ_u′ W[u′, k]', () => {
    const dense = new nn.Dense(2, { inUnits: 3, weightInitializer: 'ones' });
    dense.initialize();
    dense.weight.setData(nd.array([[1, 2, 3], [-1, 0.5, 2]]));
    const x = nd.ones([4, 3]);
    x.attachGrad();
    autograd.record(() => autograd.grad(dense(x).sum(), [x], { createGraph: true })[0].square().sum()).backward();
    expect(dense.weight.grad().toArray()).toEqual([[0, 20, 40], [0, 20, 40]]);
  });
});
