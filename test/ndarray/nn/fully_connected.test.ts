import { GluonError, NDArray, autograd, nd } from '../../../src';
import { checkGradient } from '../../helpers/gradient_check';
import { makeRng, randomArray } from '../../helpers/naive_dense';
import { denseReference, runWithGrads, worstRelative } from '../../helpers/naive_layers';

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

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

  it('computes no data gradient for an input that needs none, and leaves its inputs unchanged', () => {
    const x = nd.array([[1, 2], [3, 4]]);
    const w = nd.array([[1, 0], [0, 1], [1, 1]]);
    w.attachGrad();
    const before = [x.toFloat32Array(), w.toFloat32Array()];
    const y = autograd.record(() => nd.FullyConnected(x, w, undefined, { numHidden: 3 }));
    y.backward();
    expect(x.grad).toBeUndefined();
    expect(w.grad?.toArray()).toEqual([[4, 6], [4, 6], [4, 6]]);
    expect([x.toFloat32Array(), w.toFloat32Array()]).toEqual(before);
  });

  it('gives an empty output and zero weight gradient for an empty batch', () => {
    const w = nd.ones([2, 3]);
    w.attachGrad();
    const y = autograd.record(() => nd.FullyConnected(nd.zeros([0, 3]), w, undefined, { numHidden: 2 }));
    expect(y.shape).toEqual([0, 2]);
    y.backward();
    expect(w.grad?.toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
  });

  it('names the argument, what it expected and what it got', () => {
    const x = nd.ones([2, 3]);
    const w = nd.ones([4, 3]);
    const fc = (options: object, weight: NDArray = w, bias?: NDArray, data: NDArray = x) =>
      () => nd.FullyConnected(data, weight, bias, options as nd.FullyConnectedOpOptions);
    expect(fc({ numHidden: 4 }, nd.ones([4, 2]))).toThrow(new GluonError('FullyConnected: expected weight of shape (4, 3) for data of shape (2, 3), but got (4, 2)'));
    expect(fc({ numHidden: 0 })).toThrow('FullyConnected: expected numHidden to be an integer >= 1, but got number 0');
    expect(fc({})).toThrow('FullyConnected: expected numHidden to be an integer >= 1, but got undefined');
    expect(fc({ numHidden: 4 }, w, nd.ones([3]))).toThrow('FullyConnected: expected bias of shape (4,), but got (3,)');
    expect(fc({ numHidden: 4, noBias: true }, w, nd.ones([4]))).toThrow(/expected no bias with noBias = true, but got an NDArray of shape \(4,\)/);
    expect(fc({ numHidden: 4, noBias: false })).toThrow('FullyConnected: expected bias (noBias is false) to be an NDArray, but got undefined');
    expect(fc({ numHidden: 4, flatten: 1 })).toThrow('FullyConnected: expected flatten to be true or false, but got number 1');
    expect(fc({ numHidden: 3e9 }, nd.zeros([3e9, 0]), undefined, nd.ones([2, 0])))
      .toThrow('FullyConnected output: shape (2, 3000000000) has 6000000000 elements, more than the 2147483647 an NDArray can hold');
    expect(fc({ numHidden: 4 }, w, undefined, nd.array([1], { shape: [] }))).toThrow('FullyConnected: expected data of rank >= 1, but got a 0-d array');
  });
});
