/**
 * Softmax and log-softmax along one axis, computed in float64 after subtracting each lane's
 * maximum, so inputs like 1e4 neither overflow nor lose the differences between values.
 */
import { recordOp } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { normalizeAxis } from '../../core/shape';
import { axisView, checkInteger, checkNDArray } from './validate';

/**
 * `exp(x_i) / Σ_j exp(x_j)` along `axis` (default -1, the last), as `mx.nd.softmax`.
 * Every lane sums to 1; a NaN in a lane makes the whole lane NaN.
 * Gradient: `dx = y · (dy - Σ_lane dy·y)`.
 *
 * @example
 * nd.softmax(nd.array([[1000, 1000]])).toArray(); // [[0.5, 0.5]]
 */
export function softmax(x: NDArray, axis = -1): NDArray {
  const y = normalizeLanes('softmax', x, axis, false);
  return recordOp('softmax', y, [x], (dy) => [y.mul(dy.sub(dy.mul(y).sum(axis, true)))]);
}

/**
 * `x_i - log Σ_j exp(x_j)` along `axis` (default -1), as `mx.nd.log_softmax`: the logarithm of
 * `softmax`, computed without taking the log of a rounded probability (no -Infinity for tiny
 * probabilities). Gradient: `dx = dy - softmax(x) · Σ_lane dy`.
 *
 * @example
 * nd.logSoftmax(nd.array([0, 0])).toArray(); // [-0.6931472, -0.6931472]
 */
export function logSoftmax(x: NDArray, axis = -1): NDArray {
  const y = normalizeLanes('logSoftmax', x, axis, true);
  return recordOp('logSoftmax', y, [x], (dy) => [dy.sub(y.exp().mul(dy.sum(axis, true)))]);
}

function normalizeLanes(op: string, x: NDArray, axis: number, log: boolean): NDArray {
  checkNDArray(x, op);
  checkInteger(axis, op, 'axis');
  const { outer, length, inner } = axisView(x.shape, normalizeAxis(axis, x.ndim, op));
  const data = x.data;
  const out = new Float32Array(x.size);
  const exps = new Float64Array(length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * length * inner + j;
      let max = -Infinity;
      for (let k = 0; k < length; k++) {
        const v = data[base + k * inner];
        if (v > max || v !== v) max = v;
      }
      let total = 0;
      for (let k = 0; k < length; k++) total += exps[k] = Math.exp(data[base + k * inner] - max);
      const logTotal = Math.log(total);
      for (let k = 0; k < length; k++) {
        const at = base + k * inner;
        out[at] = log ? data[at] - max - logTotal : exps[k] / total;
      }
    }
  }
  return new NDArray(out, x.shape);
}
