import { recordOp, requiresGrad } from '../../autograd/tape';
import { NDArray } from '../../ndarray/ndarray';

/**
 * A loss computed element by element from a prediction p and a label y, with its derivatives
 * written beside it (micrograd-style), so each loss is one op with an exact, stable gradient.
 */
export interface ElementwiseLossKernel {
  /** The op's name on the autograd tape. */
  readonly name: string;
  /** l(p, y), computed in float64. */
  value(p: number, y: number): number;
  /** ∂l/∂p. */
  gradPred(p: number, y: number): number;
  /** ∂l/∂y. */
  gradLabel(p: number, y: number): number;
}

/**
 * `out[i] = kernel.value(pred[i], label[i])`, in pred's shape. `label` must have pred's size; it
 * is read in row-major order whatever its shape (Gluon's `reshape_like`). Backward gives
 * `dpred[i] = dout[i]·∂l/∂p` and, when the label needs a gradient, `dlabel[i] = dout[i]·∂l/∂y`
 * in label's shape.
 *
 * @example
 * const ABSOLUTE: ElementwiseLossKernel = {
 *   name: 'absoluteError',
 *   value: (p, y) => Math.abs(y - p),
 *   gradPred: (p, y) => Math.sign(p - y),
 *   gradLabel: (p, y) => Math.sign(y - p),
 * };
 * elementwiseLoss(ABSOLUTE, nd.array([1, 2]), nd.array([3, 2])).toArray(); // [2, 0]
 */
export function elementwiseLoss(kernel: ElementwiseLossKernel, pred: NDArray, label: NDArray): NDArray {
  const p = pred.data;
  const y = label.data;
  const out = new Float32Array(pred.size);
  for (let i = 0; i < out.length; i++) out[i] = kernel.value(p[i], y[i]);
  return recordOp(kernel.name, new NDArray(out, pred.shape), [pred, label], (dout) => [
    requiresGrad(pred) ? scaleBy(dout.data, pred.shape, (i) => kernel.gradPred(p[i], y[i])) : undefined,
    requiresGrad(label) ? scaleBy(dout.data, label.shape, (i) => kernel.gradLabel(p[i], y[i])) : undefined,
  ]);
}

/** `dout[i] · derivative(i)` as an array of `shape`. */
function scaleBy(dout: Float32Array, shape: readonly number[], derivative: (i: number) => number): NDArray {
  const grad = new Float32Array(dout.length);
  for (let i = 0; i < grad.length; i++) grad[i] = dout[i] * derivative(i);
  return new NDArray(grad, shape);
}
