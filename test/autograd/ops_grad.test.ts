import { autograd, nd, NDArray } from '../../src';
import { checkGradient } from '../helpers/gradient_check';
import { makeRng, randomArray } from '../helpers/naive_ops';

const rng = makeRng(21);

/** Every differentiable op (by the MXNet operator it records), applied to x of shape (2, 3) (and a constant where it needs two). */
const DIFFERENTIABLE: [string, (x: NDArray) => NDArray][] = [
  ['_plus_scalar', (x) => nd.add(x, 1)],
  ['_rminus_scalar', (x) => nd.subtract(1, x)],
  ['broadcast_mul', (x) => nd.multiply(x, nd.ones([3]))],
  ['_div_scalar', (x) => nd.divide(x, 2)],
  ['_power_scalar', (x) => nd.power(x, 2)],
  ['_maximum_scalar', (x) => nd.maximum(x, 0)],
  ['_minimum_scalar', (x) => nd.minimum(x, 0)],
  ['negative', nd.negative],
  ['abs', nd.abs],
  ['exp', nd.exp],
  ['log', nd.log],
  ['sqrt', nd.sqrt],
  ['square', nd.square],
  ['sign', nd.sign],
  ['relu', nd.relu],
  ['sigmoid', nd.sigmoid],
  ['tanh', nd.tanh],
  ['Activation', nd.softrelu],
  ['softsign', nd.softsign],
  ['clip', (x) => nd.clip(x, { aMin: 0, aMax: 1 })],
  ['sum', (x) => nd.sum(x, { axis: 1 })],
  ['mean', (x) => nd.mean(x)],
  ['max', (x) => nd.max(x, { axis: 0 })],
  ['min', (x) => nd.min(x, { axis: -1, keepdims: true })],
  ['_copy', nd.copy],
  ['Reshape', (x) => nd.reshape(x, { shape: [3, 2] })],
  ['transpose', (x) => nd.transpose(x)],
  ['SwapAxis', (x) => nd.swapaxes(x, { dim1: 0, dim2: 1 })],
  ['expand_dims', (x) => nd.expandDims(x, { axis: 1 })],
  ['squeeze', (x) => nd.squeeze(nd.expandDims(x, { axis: 0 }))],
  ['Flatten', nd.flatten],
  ['broadcast_to', (x) => nd.broadcastTo(x, { shape: [4, 2, 3] })],
  ['Concat', (x) => nd.concat(x, nd.zeros([2, 1]), { dim: 1 })],
  ['slice_axis', (x) => nd.sliceAxis(x, { axis: 1, begin: 1, end: null })],
  ['softmax', (x) => nd.softmax(x)],
  ['log_softmax', (x) => nd.logSoftmax(x)],
  ['dot', (x) => nd.dot(x, nd.ones([3, 2]))],
];

/** Ops without a gradient: comparisons and index searches. */
const NOT_DIFFERENTIABLE: [string, (x: NDArray) => NDArray][] = [
  ['equal', (x) => nd.equal(x, 0)],
  ['notEqual', (x) => nd.notEqual(x, x)],
  ['greater', (x) => nd.greater(x, 0)],
  ['greaterEqual', (x) => nd.greaterEqual(0, x)],
  ['lesser', (x) => nd.lesser(x, nd.zeros([3]))],
  ['lesserEqual', (x) => nd.lesserEqual(x, 0)],
  ['argmax', (x) => nd.argmax(x, { axis: 1 })],
  ['argmin', (x) => nd.argmin(x)],
];

describe('recording', () => {
  const input = (): NDArray => {
    const x = randomArray(rng, [2, 3], 0.5, 2);
    x.attachGrad();
    return x;
  };

  it.each(DIFFERENTIABLE)('%s records a node only inside record', (name, op) => {
    expect(op(input()).tapeNode).toBeUndefined();
    expect(autograd.record(() => autograd.pause(() => op(input()))).tapeNode).toBeUndefined();
    expect(autograd.record(() => op(randomArray(rng, [2, 3], 0.5, 2))).tapeNode).toBeUndefined();
    expect(autograd.record(() => op(input())).tapeNode?.op).toBe(name);
  });

  it.each(NOT_DIFFERENTIABLE)('%s is never recorded', (_, op) => {
    const x = input();
    const y = autograd.record(() => op(x));
    expect(y.tapeNode).toBeUndefined();
    // Downstream ops treat the result as a constant.
    expect(autograd.record(() => y.mul(2)).tapeNode).toBeUndefined();
  });
});

describe('gradient flow through expressions', () => {
  it('accumulates the gradient of an array used twice: d(x·x)/dx = 2x', () => {
    const x = nd.array([1, -2, 3]);
    x.attachGrad();
    autograd.record(() => x.mul(x)).backward();
    expect(Array.from(x.grad?.data ?? [])).toEqual([2, -4, 6]);
  });

  it('sums every path of a diamond: d/dx Σ (x² + eˣ)·x', () => {
    checkGradient(
      (x) => x.square().add(x.exp()).mul(x).sum(),
      [randomArray(rng, [2, 3])],
      { reference64: (x) => [Array.from(x).reduce((s, v) => s + (v * v + Math.exp(v)) * v, 0)] },
    );
  });

  it("with gradReq 'add', two backward calls accumulate; 'write' overwrites", () => {
    const added = nd.array([1, 2]);
    const written = nd.array([1, 2]);
    added.attachGrad('add');
    written.attachGrad('write');
    for (let k = 0; k < 2; k++) {
      autograd.record(() => added.mul(added).sum()).backward();
      autograd.record(() => written.mul(written).sum()).backward();
    }
    expect(Array.from(added.grad?.data ?? [])).toEqual([4, 8]);
    expect(Array.from(written.grad?.data ?? [])).toEqual([2, 4]);
  });

  it('keeps x.grad as one array, updated in place by backward and zeroGrad (MXNet); copy() keeps a snapshot', () => {
    const x = nd.array([1, 2]);
    x.attachGrad('write');
    const held = x.grad;
    autograd.record(() => x.mul(x).sum()).backward();
    const snapshot = x.grad?.copy();
    autograd.record(() => x.mul(3).sum()).backward();
    expect(x.grad).toBe(held);
    expect(Array.from(held?.data ?? [])).toEqual([3, 3]);
    expect(Array.from(snapshot?.data ?? [])).toEqual([2, 4]);
    x.zeroGrad();
    expect(x.grad).toBe(held);
    expect(Array.from(held?.data ?? [])).toEqual([0, 0]);

    const y = nd.array([1, 2]);
    y.attachGrad('add');
    const heldAdd = y.grad;
    autograd.record(() => y.mul(y).sum()).backward();
    autograd.record(() => y.mul(y).sum()).backward();
    expect(y.grad).toBe(heldAdd);
    expect(Array.from(heldAdd?.data ?? [])).toEqual([4, 8]);
  });

  it('copy has the identity gradient', () => {
    checkGradient((x) => x.copy().square().sum(), [randomArray(rng, [2, 3])], {
      reference64: (x) => [Array.from(x).reduce((s, v) => s + v * v, 0)],
    });
  });

  it('gives a broadcast bias the gradient summed over the batch', () => {
    const x = nd.array([[1, 2], [3, 4], [5, 6]]);
    const b = nd.array([0.5, -0.5]);
    b.attachGrad();
    autograd.record(() => x.add(b).square().sum()).backward();
    // d/db Σ (x + b)² = 2 Σ_rows (x + b)
    expect(Array.from(b.grad?.data ?? [])).toEqual([2 * (9 + 1.5), 2 * (12 - 1.5)]);
  });
});

/** A float64 2-layer MLP: Σ (relu(x·W1 + b1)·W2 + b2), by explicit loops over flat arrays. */
function mlpReference(dims: { n: number; d: number; h: number; o: number }) {
  const { n, d, h, o } = dims;
  return (x: Float64Array, w1: Float64Array, b1: Float64Array, w2: Float64Array, b2: Float64Array): number[] => {
    let total = 0;
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < o; k++) {
        let out = b2[k];
        for (let j = 0; j < h; j++) {
          let pre = b1[j];
          for (let p = 0; p < d; p++) pre += x[i * d + p] * w1[p * h + j];
          out += Math.max(pre, 0) * w2[j * o + k];
        }
        total += out;
      }
    }
    return [total];
  };
}

describe('end to end: a 2-layer MLP of nd.dot, add, relu and sum', () => {
  const dims = { n: 4, d: 3, h: 5, o: 2 };
  const mlp = (x: NDArray, w1: NDArray, b1: NDArray, w2: NDArray, b2: NDArray): NDArray =>
    nd.sum(nd.add(nd.dot(nd.relu(nd.add(nd.dot(x, w1), b1)), w2), b2));

  it('matches finite differences for every parameter and the input', () => {
    const inputs = [[dims.n, dims.d], [dims.d, dims.h], [dims.h], [dims.h, dims.o], [dims.o]].map((s) => randomArray(rng, s, -1, 1));
    checkGradient(mlp, inputs, { reference64: mlpReference(dims) });
  });

  it('trains: a few SGD steps on the gradients reduce a squared loss', () => {
    const x = randomArray(rng, [8, 3], -1, 1);
    const target = randomArray(rng, [8, 1], -1, 1);
    let params = [randomArray(rng, [3, 6], -1, 1), nd.zeros([6]), randomArray(rng, [6, 1], -1, 1), nd.zeros([1])];
    const lossOf = (p: NDArray[]): NDArray =>
      nd.mean(nd.square(nd.add(nd.dot(nd.relu(nd.add(nd.dot(x, p[0]), p[1])), p[2]), p[3]).sub(target)));
    const first = lossOf(params).data[0];
    for (let step = 0; step < 20; step++) {
      params.forEach((p) => p.attachGrad());
      autograd.record(() => lossOf(params)).backward();
      params = params.map((p) => p.sub((p.grad as NDArray).mul(0.1)));
    }
    expect(lossOf(params).data[0]).toBeLessThan(first * 0.8);
  });
});
