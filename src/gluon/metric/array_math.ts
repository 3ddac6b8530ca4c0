/**
 * The numpy steps MXNet's metrics take on their inputs, on the row-major values
 * (`toFloat32Array()`) with every sum in float64: the int32 cast, argmax along an axis, and a
 * mean over two broadcast operands.
 */
import { GluonError, formatShape } from '../../core/errors';
import { broadcastShape, normalizeAxis, rowMajorStrides, shapeSize } from '../../core/shape';

const INT32_MIN = -2147483648;

/**
 * numpy's `astype('int32')` of one float, as it comes out on x86: toward zero, and NaN, ±Inf or
 * a value out of the int32 range give -2³¹ (so such a label matches no class).
 */
export function toInt32(value: number): number {
  return value > -2147483649 && value < 2147483648 ? Math.trunc(value) + 0 : INT32_MIN;
}

/** Every value cast as `toInt32`. */
export function toInt32Array(values: Float32Array): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = toInt32(values[i]);
  return out;
}

/**
 * The index of the largest value along `axis` (MXNet's `argmax`): the first maximum on ties,
 * and the first NaN when there is one (MXNet's and numpy's rule). An empty axis is an error.
 */
export function argmaxAxis(who: string, values: Float32Array, shape: readonly number[], axis: number): Int32Array {
  const ax = normalizeAxis(axis, shape.length, `${who}: argmax of predictions of shape ${formatShape(shape)}`);
  const n = shape[ax];
  const inner = shapeSize(shape.slice(ax + 1));
  const outer = shapeSize(shape.slice(0, ax));
  if (n === 0) {
    throw new GluonError(`${who}: expected classes along axis ${ax} to take the argmax of, but got predictions of shape ${formatShape(shape)}`);
  }
  const out = new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let best = 0;
      let bestValue = values[base];
      for (let k = 1; k < n && !Number.isNaN(bestValue); k++) {
        const v = values[base + k * inner];
        if (v > bestValue || Number.isNaN(v)) {
          best = k;
          bestValue = v;
        }
      }
      out[o * inner + i] = best;
    }
  }
  return out;
}

/**
 * The mean of `f(a, b)` over the numpy broadcast of `a` (shape `aShape`) and `b`, summed in
 * float64; NaN for an empty result (numpy's mean of nothing). Shapes that don't broadcast throw.
 */
export function broadcastMean(
  who: string,
  a: Float32Array,
  aShape: readonly number[],
  b: Float32Array,
  bShape: readonly number[],
  f: (x: number, y: number) => number,
): number {
  const shape = broadcastShape(`${who}: labels of shape ${formatShape(aShape)} and predictions of shape ${formatShape(bShape)}`, aShape, bShape);
  const size = shapeSize(shape);
  if (size === 0) return NaN;
  let sum = 0;
  if (a.length === size && b.length === size) {
    for (let i = 0; i < size; i++) sum += f(a[i], b[i]);
    return sum / size;
  }
  const aStrides = broadcastStrides(aShape, shape);
  const bStrides = broadcastStrides(bShape, shape);
  const index = new Array<number>(shape.length).fill(0);
  let ia = 0;
  let ib = 0;
  for (let n = 0; n < size; n++) {
    sum += f(a[ia], b[ib]);
    // Odometer step: carry through the finished axes, rewinding their offsets.
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d] += 1;
      ia += aStrides[d];
      ib += bStrides[d];
      if (index[d] < shape[d]) break;
      ia -= aStrides[d] * shape[d];
      ib -= bStrides[d] * shape[d];
      index[d] = 0;
    }
  }
  return sum / size;
}

/** Strides of an operand of `shape` read in the broadcast shape `out`: 0 along broadcast axes. */
function broadcastStrides(shape: readonly number[], out: readonly number[]): number[] {
  const own = rowMajorStrides(shape);
  const offset = out.length - shape.length;
  return out.map((_, d) => (d < offset || shape[d - offset] === 1 ? 0 : own[d - offset]));
}

/** The sum of `values` in float64. */
export function sum64(values: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}
