/**
 * Joining and slicing along one axis: concat and sliceAxis. Both view arrays as row-major
 * (outer, axis × inner) blocks, so every copy is a contiguous `Float32Array.set`.
 * Each is the other's gradient: concat's slices its output gradient back into pieces, and
 * sliceAxis's pads its output gradient with zeros to the input's length.
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp } from '../../autograd/tape';
import { zeros } from '../creation';
import { NDArray } from '../ndarray';
import { normalizeAxis, shapeSize } from '../../core/shape';
import { axisView, checkInteger, checkNDArray, describeValue } from './validate';

/**
 * Joins arrays along `axis` (default 1, as `mx.nd.concat`'s `dim`; negative counts from the
 * end). All arrays must have the same rank and the same dimensions except along `axis`.
 * Gradient: each array receives its own slice of `dy` along `axis`.
 *
 * @example
 * nd.concat([nd.zeros([2, 1]), nd.ones([2, 3])], 1).shape; // [2, 4]
 * nd.concat([nd.array([1, 2]), nd.array([3])], 0).toArray(); // [1, 2, 3]
 */
export function concat(arrays: readonly NDArray[], axis = 1): NDArray {
  if (!(arrays instanceof Array) || arrays.length === 0) {
    throw new GluonError(`concat: expected a non-empty array of NDArrays, but got ${describeValue(arrays)}`);
  }
  arrays.forEach((x, i) => checkNDArray(x, 'concat', `arrays[${i}]`));
  const first = arrays[0];
  checkInteger(axis, 'concat', 'axis');
  const a = normalizeAxis(axis, first.ndim, 'concat');
  const pattern = `(${first.shape.map((d, i) => (i === a ? '*' : d)).join(', ')}${first.ndim === 1 ? ',' : ''})`;
  arrays.forEach((x, i) => {
    if (x.ndim !== first.ndim || x.shape.some((d, j) => j !== a && d !== first.shape[j])) {
      throw new GluonError(
        `concat: expected every array to have shape ${pattern} (any length on axis ${a}), ` +
          `but arrays[${i}] has shape ${formatShape(x.shape)}`,
      );
    }
  });
  const inputs = arrays.slice(); // the caller may change its list after the call
  return recordOp('concat', join(inputs, a), inputs, (dy) => {
    let end = 0;
    return inputs.map((x) => {
      const begin = end;
      end += x.shape[a];
      return sliceAxis(dy, a, begin, end);
    });
  });
}

/** Concatenates checked arrays along axis `a`. */
function join(arrays: readonly NDArray[], a: number): NDArray {
  const shape = arrays[0].shape.slice();
  shape[a] = arrays.reduce((total, x) => total + x.shape[a], 0);
  const out = new Float32Array(shapeSize(shape));
  const { outer } = axisView(shape, a);
  let offset = 0;
  for (let o = 0; o < outer; o++) {
    for (const x of arrays) {
      const block = x.size / outer;
      out.set(x.data.subarray(o * block, (o + 1) * block), offset);
      offset += block;
    }
  }
  return new NDArray(out, shape);
}

/**
 * The slice `[begin, end)` of `x` along `axis`, as `mx.nd.slice_axis`. Negative `begin`/`end`
 * count from the end of the axis; `end` null or absent means the axis length. An empty slice
 * (`begin == end`) is allowed. Gradient: `dy` in the sliced range, 0 elsewhere.
 *
 * @example
 * const x = nd.array([[1, 2, 3], [4, 5, 6]]);
 * nd.sliceAxis(x, 1, 1, 3).toArray();   // [[2, 3], [5, 6]]
 * nd.sliceAxis(x, 0, -1).toArray();     // [[4, 5, 6]]
 */
export function sliceAxis(x: NDArray, axis: number, begin: number, end: number | null = null): NDArray {
  checkNDArray(x, 'sliceAxis');
  checkInteger(axis, 'sliceAxis', 'axis');
  const a = normalizeAxis(axis, x.ndim, 'sliceAxis');
  checkInteger(begin, 'sliceAxis', 'begin');
  if (end !== null && end !== undefined) checkInteger(end, 'sliceAxis', 'end');
  const { outer, length, inner } = axisView(x.shape, a);
  const from = begin < 0 ? begin + length : begin;
  const to = end === null || end === undefined ? length : end < 0 ? end + length : end;
  if (!(from >= 0 && from <= to && to <= length)) {
    throw new GluonError(
      `sliceAxis: expected 0 <= begin <= end <= ${length} (negative values count from the end of axis ${a}), ` +
        `but got begin=${begin}, end=${end}`,
    );
  }
  const shape = x.shape.slice();
  shape[a] = to - from;
  const out = new Float32Array(shapeSize(shape));
  const block = (to - from) * inner;
  for (let o = 0; o < outer; o++) {
    const start = (o * length + from) * inner;
    out.set(x.data.subarray(start, start + block), o * block);
  }
  return recordOp('sliceAxis', new NDArray(out, shape), [x], (dy) => [padAxis(dy, x.shape, a, from)]);
}

/** `dy` placed at `[from, from + dy.shape[a])` along axis `a` of zeros of `shape`. */
function padAxis(dy: NDArray, shape: readonly number[], a: number, from: number): NDArray {
  const zerosOfLength = (n: number): NDArray[] => (n > 0 ? [zeros(shape.map((dim, d) => (d === a ? n : dim)))] : []);
  const pieces = [...zerosOfLength(from), dy, ...zerosOfLength(shape[a] - from - dy.shape[a])];
  return pieces.length === 1 ? dy : concat(pieces, a);
}
