import { nd, NDArray } from '../../src';
import { makeRng, randomArray } from '../helpers/naive_ops';

const rng = makeRng(21);

describe('NDArray methods', () => {
  const x = nd.array([[1, -2, 3], [-4, 5, -6]]);

  it('do arithmetic with arrays and numbers', () => {
    expect(x.add(nd.array([1, 1, 1])).toArray()).toEqual([[2, -1, 4], [-3, 6, -5]]);
    expect(x.sub(1).toArray()).toEqual([[0, -3, 2], [-5, 4, -7]]);
    expect(x.mul(nd.array([[2], [0]])).toArray()).toEqual([[2, -4, 6], [-0, 0, -0]]);
    expect(x.div(2).toArray()).toEqual([[0.5, -1, 1.5], [-2, 2.5, -3]]);
    expect(x.pow(2).toArray()).toEqual([[1, 4, 9], [16, 25, 36]]);
    expect(x.neg().toArray()).toEqual([[-1, 2, -3], [4, -5, 6]]);
  });

  it('apply unary functions', () => {
    expect(x.abs().toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(x.relu().toArray()).toEqual([[1, 0, 3], [0, 5, 0]]);
    expect(x.square().toArray()).toEqual([[1, 4, 9], [16, 25, 36]]);
    expect(x.clip(-2, 2).toArray()).toEqual([[1, -2, 2], [-2, 2, -2]]);
    expect(nd.array([0]).exp().toArray()).toEqual([1]);
    expect(nd.array([1]).log().toArray()).toEqual([0]);
    expect(nd.array([9]).sqrt().toArray()).toEqual([3]);
    expect(nd.array([0]).sigmoid().toArray()).toEqual([0.5]);
    expect(nd.array([0]).tanh().toArray()).toEqual([0]);
    expect(nd.array([[0, 1], [0, 1]]).softmax(0).toArray()).toEqual([[0.5, 0.5], [0.5, 0.5]]);
    expect(nd.array([0, 0]).softmax().toArray()).toEqual([0.5, 0.5]);
  });

  it('reduce with axis and keepdims', () => {
    expect(x.sum().toArray()).toEqual([-3]);
    expect(x.sum(1).toArray()).toEqual([2, -5]);
    expect(x.sum(0, true).toArray()).toEqual([[-3, 3, -3]]);
    expect(x.mean([0, 1]).toArray()).toEqual([-0.5]);
    expect(x.max(0).toArray()).toEqual([1, 5, 3]);
    expect(x.min(-1, true).toArray()).toEqual([[-2], [-6]]);
    expect(x.argmax(1).toArray()).toEqual([2, 1]);
    expect(x.argmin(1).toArray()).toEqual([1, 2]);
  });

  it('transform shapes', () => {
    expect(x.reshape(3, 2).toArray()).toEqual([[1, -2], [3, -4], [5, -6]]);
    expect(x.reshape([-1]).toArray()).toEqual([1, -2, 3, -4, 5, -6]);
    expect(x.transpose().toArray()).toEqual([[1, -4], [-2, 5], [3, -6]]);
    expect(x.transpose([0, 1]).toArray()).toEqual(x.toArray());
    expect(x.swapaxes(0, 1).shape).toEqual([3, 2]);
    expect(x.expandDims(0).shape).toEqual([1, 2, 3]);
    expect(x.expandDims(0).squeeze().shape).toEqual([2, 3]);
    expect(x.expandDims(2).squeeze(2).shape).toEqual([2, 3]);
    expect(nd.zeros([2, 3, 4]).flatten().shape).toEqual([2, 12]);
    expect(nd.array([1, 2]).broadcastTo([2, 2]).toArray()).toEqual([[1, 2], [1, 2]]);
  });

  it('multiply matrices', () => {
    expect(x.dot(nd.array([1, 1, 1])).toArray()).toEqual([2, -5]);
    expect(x.dot(x, { transposeB: true }).toArray()).toEqual([[14, -32], [-32, 77]]);
  });
});

describe('immutability', () => {
  const a = randomArray(rng, [2, 3, 4]);
  const b = randomArray(rng, [3, 1]);
  const v = randomArray(rng, [4]);

  const CALLS: [string, () => NDArray][] = [
    ['add', () => nd.add(a, b)], ['subtract', () => nd.subtract(b, a)], ['multiply', () => nd.multiply(a, 2)],
    ['divide', () => nd.divide(a, b)], ['power', () => nd.power(a, b)], ['maximum', () => nd.maximum(a, b)],
    ['minimum', () => nd.minimum(a, b)], ['equal', () => nd.equal(a, b)], ['notEqual', () => nd.notEqual(a, b)],
    ['greater', () => nd.greater(a, b)], ['greaterEqual', () => nd.greaterEqual(a, b)], ['lesser', () => nd.lesser(a, b)],
    ['lesserEqual', () => nd.lesserEqual(a, b)], ['negative', () => nd.negative(a)], ['abs', () => nd.abs(a)],
    ['exp', () => nd.exp(a)], ['log', () => nd.log(a)], ['sqrt', () => nd.sqrt(a)], ['square', () => nd.square(a)],
    ['sign', () => nd.sign(a)], ['relu', () => nd.relu(a)], ['sigmoid', () => nd.sigmoid(a)], ['tanh', () => nd.tanh(a)],
    ['softrelu', () => nd.softrelu(a)], ['softsign', () => nd.softsign(a)], ['clip', () => nd.clip(a, { aMin: -1, aMax: 1 })],
    ['sum', () => nd.sum(a, { axis: 1 })], ['mean', () => nd.mean(a)], ['max', () => nd.max(a, { axis: [0, 2] })], ['min', () => nd.min(a, { axis: 2, keepdims: true })],
    ['argmax', () => nd.argmax(a, { axis: 1 })], ['argmin', () => nd.argmin(a)], ['reshape', () => nd.reshape(a, { shape: [0, -1] })],
    ['reshape same shape', () => nd.reshape(a, { shape: [2, 3, 4] })], ['transpose', () => nd.transpose(a)],
    ['transpose identity', () => nd.transpose(a, { axes: [0, 1, 2] })], ['swapaxes', () => nd.swapaxes(a, { dim1: 0, dim2: 2 })],
    ['expandDims', () => nd.expandDims(a, { axis: 1 })], ['squeeze', () => nd.squeeze(b)], ['flatten', () => nd.flatten(a)],
    ['broadcastTo', () => nd.broadcastTo(b, { shape: [2, 3, 4] })], ['broadcastTo same shape', () => nd.broadcastTo(a, { shape: [2, 3, 4] })],
    ['concat', () => nd.concat(a, a, { dim: 0 })], ['concat single', () => nd.concat(a, { dim: 0 })], ['sliceAxis', () => nd.sliceAxis(a, { axis: 0, begin: 0, end: null })],
    ['softmax', () => nd.softmax(a, { axis: 1 })], ['logSoftmax', () => nd.logSoftmax(a)], ['dot', () => nd.dot(a, v)],
  ];

  it.each(CALLS)('%s leaves its inputs unchanged and returns a fresh buffer', (_, call) => {
    const before = [a, b, v].map((x) => x.toFloat32Array());
    const y = call();
    [a, b, v].forEach((x, i) => {
      expect(x.data).toEqual(before[i]);
      expect(y.data.buffer).not.toBe(x.data.buffer);
    });
  });
});
