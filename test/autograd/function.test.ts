/**
 * autograd.Function: a custom forward/backward pair is one node on the tape; its gradient reaches
 * the inputs through your backward (checked against the analytic derivative and finite
 * differences), with several inputs and outputs; its forward's own ops are not recorded; errors
 * name the function.
 */
import { GluonError, NDArray, autograd, nd } from '../../src';
import { checkGradient } from '../helpers/gradient_check';

class Sigmoid extends autograd.Function {
  forward(x: NDArray): NDArray {
    const y = nd.divide(1, nd.add(nd.exp(nd.negative(x)), 1));
    this.saveForBackward(y);
    return y;
  }

  backward(dy: NDArray): NDArray {
    const [y] = this.savedTensors;
    return nd.multiply(dy, nd.multiply(y, nd.subtract(1, y)));
  }
}

/** (a, b) → (a·b, a + b), with its gradients. */
class ProductAndSum extends autograd.Function<NDArray[]> {
  forward(a: NDArray, b: NDArray): NDArray[] {
    this.saveForBackward(a, b);
    return [nd.multiply(a, b), nd.add(a, b)];
  }

  backward(dProduct: NDArray, dSum: NDArray): NDArray[] {
    const [a, b] = this.savedTensors;
    return [nd.add(nd.multiply(dProduct, b), dSum), nd.add(nd.multiply(dProduct, a), dSum)];
  }
}

test('a callable instance whose backward gives the gradient', () => {
  const x = nd.array([-2, 0, 3]);
  x.attachGrad();
  const sigmoid = new Sigmoid();
  const y = autograd.record(() => sigmoid(x));
  expect(y.tapeNode?.op).toBe('Sigmoid'); // one node, whatever forward computed inside
  y.backward();
  const s = [-2, 0, 3].map((v) => 1 / (1 + Math.exp(-v)));
  y.toFloat32Array().forEach((v, i) => expect(v).toBeCloseTo(s[i], 6));
  x.grad!.toFloat32Array().forEach((g, i) => expect(g).toBeCloseTo(s[i] * (1 - s[i]), 6));
  checkGradient((v) => new Sigmoid()(v), [nd.array([0.3, -1.2, 2])], { reference64: (v) => v.map((t) => 1 / (1 + Math.exp(-t))) });
});

test('several inputs and outputs, in a larger graph', () => {
  const a = nd.array([1, 2]);
  const b = nd.array([3, -1]);
  a.attachGrad();
  b.attachGrad();
  const fn = new ProductAndSum();
  autograd.record(() => {
    const [p, s] = fn(a, b);
    return nd.add(nd.multiply(p, 2), nd.square(s)).sum();
  }).backward();
  // d/da (2ab + (a + b)²) = 2b + 2(a + b); d/db = 2a + 2(a + b).
  expect(a.grad?.toArray()).toEqual([2 * 3 + 2 * 4, 2 * -1 + 2 * 1]);
  expect(b.grad?.toArray()).toEqual([2 * 1 + 2 * 4, 2 * 2 + 2 * 1]);
});

test('outside recording nothing is recorded; errors name the function', () => {
  expect(new Sigmoid()(nd.array([1])).tapeNode).toBeUndefined();
  class Wrong extends autograd.Function {
    forward(x: NDArray): NDArray { return x; }
    backward(): NDArray[] { return []; }
  }
  const x = nd.array([1, 2]);
  x.attachGrad();
  const y = autograd.record(() => new Wrong()(x));
  expect(() => y.backward()).toThrow('autograd.Function Wrong: expected backward to return an NDArray or a list of them, but it returned');
  expect(() => new Sigmoid()(5 as unknown as NDArray)).toThrow(GluonError);
  expect(() => new Sigmoid()(5 as unknown as NDArray)).toThrow('autograd.Function Sigmoid: expected NDArray inputs, but input 0 is the number 5');
});
