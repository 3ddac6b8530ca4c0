/**
 * MXNet's `Flatten` operator with its backward rule.
 */
import { GluonError } from '../../core/errors';
import { recordOp } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { shapeSize } from '../../core/shape';
import { checkArray } from './op_checks';

/**
 * MXNet's `Flatten` operator: collapses every axis after the first,
 *
 *     (N, d1, …, dk) → (N, d1·…·dk)
 *
 * keeping the row-major order of the values. A 1-D input (N,) gives (N, 1), as MXNet; a 0-d
 * input is an error. Backward: the output gradient reshaped back to the input's shape.
 *
 * @example
 * nd.Flatten(nd.zeros([2, 3, 4])).shape; // [2, 12]
 */
export function Flatten(data: NDArray): NDArray {
  const x = checkArray('Flatten', 'data', data);
  if (x.ndim === 0) throw new GluonError('Flatten: expected data of rank >= 1, but got a 0-d array');
  const out = withShape(x, [x.shape[0], shapeSize(x.shape.slice(1))]);
  return recordOp('Flatten', out, [x], (dy) => [withShape(dy, x.shape)]);
}

/**
 * The values of `a` (copied) under `shape` of the same size. Not `nd.reshape`: its MXNet
 * convention reads a 0 in the target as "copy the input's dimension", which would misread the
 * literal empty shapes Flatten produces, e.g. (2, 3, 0) → (2, 0).
 */
function withShape(a: NDArray, shape: readonly number[]): NDArray {
  return new NDArray(a.data.slice(), shape);
}
