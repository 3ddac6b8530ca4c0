/**
 * Shape transforms: reshape, transpose/swapaxes, expandDims, squeeze, flatten, broadcastTo.
 * Every result owns a fresh copy of the values, so no two arrays ever share a buffer.
 *
 * Their gradients move the output gradient back: the reshapes reshape it to the input's shape,
 * the permutations apply the inverse permutation, broadcastTo sums over the repeated axes.
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { checkShape, normalizeAxis, rowMajorStrides, shapeSize } from '../../core/shape';
import { broadcastStrides, forEachRun, innerStrides, planStrided } from '../../kernels/cpu/strided';
import { reduceToShape } from './reduce';
import { AxisSpec, atLeast1d, checkNDArray, describeValue, normalizeAxes } from './validate';

/** Copies `x` read with `strides` (in elements, one per axis of `shape`) into a new array. */
function gather(x: NDArray, shape: readonly number[], strides: readonly number[]): NDArray {
  const out = new Float32Array(shapeSize(shape));
  const plan = planStrided(shape, strides);
  const [step] = innerStrides(plan);
  const data = x.data;
  forEachRun(plan, (o, xi, _, n) => copyRun(out, o, data, xi, step, n));
  return new NDArray(out, shape);
}

/** `out[o + i] = x[xi + i*step]`; a separate function so V8 keeps the arrays in registers. */
function copyRun(out: Float32Array, o: number, x: Float32Array, xi: number, step: number, n: number): void {
  for (let i = 0; i < n; i++, xi += step) out[o + i] = x[xi];
}

/** Records `y`, the values of `x` in another shape: the gradient is `dy` in `x`'s shape. */
function recordReshape(op: string, y: NDArray, x: NDArray): NDArray {
  return recordOp(op, y, [x], (dy) => [reshapeTo(dy, x.shape)]);
}

/**
 * The values of `x` in `shape`, taken literally (a 0 is an empty axis, not "copy"), recorded
 * as a reshape. @internal For gradient rules, whose target shapes may contain zeros.
 */
export function reshapeTo(x: NDArray, shape: readonly number[]): NDArray {
  return recordReshape('reshape', new NDArray(x.data.slice(), shape), x);
}

/**
 * A new array with the same shape and values (MXNet's `copy`), e.g. to keep a snapshot of
 * `x.grad`, which backward updates in place. Its gradient passes through unchanged.
 *
 * @example
 * const snapshot = x.grad.copy();
 */
export function copy(x: NDArray): NDArray {
  checkNDArray(x, 'copy');
  return recordOp('copy', new NDArray(x.data.slice(), x.shape), [x], (dy) => [dy]);
}

/** `x` with output axis `i` taken from input axis `perm[i]` (not recorded: its callers record). */
function permute(x: NDArray, perm: readonly number[]): NDArray {
  const strides = rowMajorStrides(x.shape);
  return gather(x, perm.map((d) => x.shape[d]), perm.map((d) => strides[d]));
}

/**
 * The same values in a new shape. As MXNet's `reshape`, a dimension `0` copies the input's
 * dimension at that position and one `-1` is inferred from the remaining size.
 *
 * @example
 * const x = nd.zeros([2, 3, 4]);
 * nd.reshape(x, [6, 4]).shape;   // [6, 4]
 * nd.reshape(x, [0, -1]).shape;  // [2, 12]
 */
export function reshape(x: NDArray, shape: readonly number[]): NDArray {
  checkNDArray(x, 'reshape');
  return reshapeTo(x, resolveReshape(x.shape, shape));
}

function resolveReshape(from: readonly number[], spec: readonly number[]): number[] {
  const shown = Array.isArray(spec) ? formatShape(spec) : describeValue(spec);
  if (!Array.isArray(spec) || !spec.every((d) => Number.isInteger(d) && d >= -1)) {
    throw new GluonError(
      `reshape: expected a shape of integers >= 0, with 0 to copy an input dimension and -1 to infer one, but got ${shown}`,
    );
  }
  const out = spec.map((d, i) => (d === 0 ? from[i] : d));
  if (out.some((d) => d === undefined)) {
    throw new GluonError(
      `reshape: expected 0 only at positions below the input rank ${from.length} (it copies that input dimension), but got ${shown}`,
    );
  }
  const size = shapeSize(from);
  const inferAt = out.indexOf(-1);
  if (inferAt !== out.lastIndexOf(-1)) throw new GluonError(`reshape: expected at most one -1, but got ${shown}`);
  if (inferAt >= 0) {
    const known = -shapeSize(out); // the product of the other dimensions (one factor is -1)
    if (known === 0 || size % known !== 0) {
      throw new GluonError(
        `reshape: cannot infer the -1 in ${shown}: expected the other dimensions to divide the input size ${size} ` +
          `(shape ${formatShape(from)}), but their product is ${known}`,
      );
    }
    out[inferAt] = size / known;
  }
  checkShape(out, 'reshape');
  if (shapeSize(out) !== size) {
    throw new GluonError(
      `reshape: expected a shape with ${size} elements (the input has shape ${formatShape(from)}), ` +
        `but got ${shown} with ${shapeSize(out)} elements`,
    );
  }
  return out;
}

/**
 * Permutes the axes: output axis `i` is input axis `axes[i]` (negative counts from the end);
 * reverses them when `axes` is absent, as `mx.nd.transpose`.
 *
 * @example
 * nd.transpose(nd.array([[1, 2, 3]])).toArray();    // [[1], [2], [3]]
 * nd.transpose(nd.zeros([2, 3, 4]), [1, 0, 2]).shape; // [3, 2, 4]
 */
export function transpose(x: NDArray, axes?: readonly number[]): NDArray {
  checkNDArray(x, 'transpose');
  const perm = axes === undefined ? x.shape.map((_, d) => x.ndim - 1 - d) : permutation(x.ndim, axes);
  // The gradient undoes the permutation: input axis perm[i] is output axis i.
  return recordOp('transpose', permute(x, perm), [x], (dy) => [dy.transpose(inversePermutation(perm))]);
}

function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((p, i) => (inverse[p] = i));
  return inverse;
}

function permutation(ndim: number, axes: readonly number[]): number[] {
  const expected = `a permutation of the ${ndim} axes of the input`;
  if (!Array.isArray(axes) || axes.length !== ndim) {
    throw new GluonError(`transpose: expected axes to be ${expected}, but got ${Array.isArray(axes) ? formatShape(axes) : describeValue(axes)}`);
  }
  const perm = axes.map((a) => normalizeAxis(a, ndim, 'transpose'));
  if (new Set(perm).size !== ndim) throw new GluonError(`transpose: expected axes to be ${expected}, but got ${formatShape(axes)}`);
  return perm;
}

/**
 * Exchanges two axes (negative counts from the end).
 * @example nd.swapaxes(nd.zeros([2, 3, 4]), 0, -1).shape; // [4, 3, 2]
 */
export function swapaxes(x: NDArray, axis1: number, axis2: number): NDArray {
  checkNDArray(x, 'swapaxes');
  const a = normalizeAxis(axis1, x.ndim, 'swapaxes');
  const b = normalizeAxis(axis2, x.ndim, 'swapaxes');
  const perm = x.shape.map((_, d) => (d === a ? b : d === b ? a : d));
  // A swap is its own inverse.
  return recordOp('swapaxes', permute(x, perm), [x], (dy) => [dy.swapaxes(a, b)]);
}

/**
 * Inserts an axis of length 1 at `axis`, in [-ndim-1, ndim] (negative counts from the end of
 * the result).
 * @example nd.expandDims(nd.zeros([2, 3]), 1).shape; // [2, 1, 3]
 */
export function expandDims(x: NDArray, axis: number): NDArray {
  checkNDArray(x, 'expandDims');
  const at = normalizeAxis(axis, x.ndim + 1, 'expandDims');
  const shape = x.shape.slice();
  shape.splice(at, 0, 1);
  return recordReshape('expandDims', new NDArray(x.data.slice(), shape), x);
}

/**
 * Removes axes of length 1: the given ones (each must have length 1), or all when absent.
 * As MXNet, at least one axis remains: squeezing `(1, 1)` gives `(1,)`.
 * @example nd.squeeze(nd.zeros([2, 1, 3, 1])).shape; // [2, 3]
 */
export function squeeze(x: NDArray, axis?: AxisSpec): NDArray {
  checkNDArray(x, 'squeeze');
  const drop = axis === undefined ? x.shape.flatMap((dim, d) => (dim === 1 ? [d] : [])) : normalizeAxes('squeeze', axis, x.ndim);
  for (const d of drop) {
    if (x.shape[d] !== 1) {
      throw new GluonError(`squeeze: expected axis ${d} to have length 1, but got length ${x.shape[d]} (input shape ${formatShape(x.shape)})`);
    }
  }
  const shape = atLeast1d(x.shape.filter((_, d) => !drop.includes(d)));
  return recordReshape('squeeze', new NDArray(x.data.slice(), shape), x);
}

/**
 * Collapses every axis after the first: `(N, d1, …, dk)` → `(N, d1·…·dk)`, as `mx.nd.flatten`
 * (a 1-D input of length N gives `(N, 1)`).
 * @example nd.flatten(nd.zeros([2, 3, 4])).shape; // [2, 12]
 */
export function flatten(x: NDArray): NDArray {
  checkNDArray(x, 'flatten');
  if (x.ndim === 0) throw new GluonError('flatten: expected an input of rank >= 1, but got a 0-d array');
  return recordReshape('flatten', new NDArray(x.data.slice(), [x.shape[0], shapeSize(x.shape.slice(1))]), x);
}

/**
 * Repeats `x` to `shape` by numpy broadcasting: shapes align at the last axis and each input
 * dimension must equal the target's or be 1; missing leading axes are added. Gradient: `dy`
 * summed over the repeated axes (`reduceToShape`).
 * @example nd.broadcastTo(nd.array([1, 2]), [2, 2]).toArray(); // [[1, 2], [1, 2]]
 */
export function broadcastTo(x: NDArray, shape: readonly number[]): NDArray {
  checkNDArray(x, 'broadcastTo');
  checkShape(shape, 'broadcastTo');
  const offset = shape.length - x.ndim;
  if (offset < 0 || x.shape.some((dim, d) => dim !== 1 && dim !== shape[d + offset])) {
    throw new GluonError(
      `broadcastTo: expected a target shape that ${formatShape(x.shape)} broadcasts to ` +
        `(aligned at the last axis, each input dimension equal or 1), but got ${formatShape(shape)}`,
    );
  }
  const y = gather(x, shape, broadcastStrides(x.shape, shape));
  return recordOp('broadcastTo', y, [x], (dy) => [reduceToShape(dy, x.shape)]);
}
