import { shapesEqual } from '../core/shape';
import type { NDArray } from '../ndarray/ndarray';
import type { Nd } from './nd';

/**
 * Sums `grad`, shaped like the result of a broadcast, back to the shape of `operand`, which was
 * broadcast to it: over the leading axes the operand lacks and the axes where it has length 1.
 * This is the gradient of every broadcast operand. Returns `grad` itself when the shapes match.
 * Written with operators, so it is differentiable.
 *
 * @example
 * reduceToShape(nd, nd.ones([2, 3]), nd.zeros([3])).toArray();    // [2, 2, 2]
 * reduceToShape(nd, nd.ones([2, 3]), nd.zeros([2, 1])).toArray(); // [[3], [3]]
 */
export function reduceToShape(F: Nd, grad: NDArray, operand: NDArray): NDArray {
  if (shapesEqual(grad.shape, operand.shape)) return grad;
  const lead = grad.ndim - operand.ndim;
  const axes = grad.shape.flatMap((dim, d) => (d < lead || (operand.shape[d - lead] === 1 && dim !== 1) ? [d] : []));
  const summed = axes.length === 0 ? grad : F.sum(grad, { axis: axes, keepdims: true });
  return F.reshapeLike(summed, operand);
}
