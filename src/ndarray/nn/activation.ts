/**
 * MXNet's `Activation` operator (relu, sigmoid, tanh, softrelu, softsign) with its backward rule.
 */
import { recordOp } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { relu, sigmoid, softrelu, softsign, tanh } from '../ops/unary';
import { checkArray, checkChoice, checkOptions } from './op_checks';

/** The activation functions of `nd.Activation` (MXNet 1.9's `act_type` values). */
export const ACT_TYPES = ['relu', 'sigmoid', 'tanh', 'softrelu', 'softsign'] as const;
export type ActType = (typeof ACT_TYPES)[number];

/** Options of the `nd.Activation` operator. */
export interface ActivationOpOptions {
  /** The function to apply; required, as in MXNet. */
  actType: ActType;
}

/** Computes `dx[i]` from `x[i]` and the output gradient `dy[i]` over whole arrays. @internal */
export type GradKernel = (x: Float32Array, dy: Float32Array, dx: Float32Array) => void;

/** The input gradient of an elementwise op: `dx = f'(x)·dy`, shaped as `x`. @internal */
export function elementwiseGrad(x: NDArray, dy: NDArray, kernel: GradKernel): NDArray {
  const dx = new Float32Array(x.size);
  kernel(x.data, dy.data, dx);
  return new NDArray(dx, x.shape);
}

const FORWARD: Record<ActType, (x: NDArray) => NDArray> = { relu, sigmoid, tanh, softrelu, softsign };

/** σ(v) in float64; exp(−v) overflows to Infinity for v < −709 and the quotient becomes 0. */
function logistic(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

// Each derivative is evaluated in float64 from the float32 input and rounded once. MXNet's own
// rules use the float32 output where they can (relu: y > 0; sigmoid: y(1−y); tanh: 1−y²;
// softrelu: 1−e^(−y)); these are the same derivatives without the output's rounding error.
const DERIVATIVE: Record<ActType, GradKernel> = {
  // d relu = 1 for x > 0, else 0 (also at 0, as MXNet's `y > 0`); NaN gives 0 as in MXNet.
  relu: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
  },
  sigmoid: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const s = logistic(x[i]);
      dx[i] = dy[i] * s * (1 - s);
    }
  },
  tanh: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]);
      dx[i] = dy[i] * (1 - t * t);
    }
  },
  // d/dx log(1 + e^x) = σ(x).
  softrelu: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) dx[i] = dy[i] * logistic(x[i]);
  },
  // d/dx x/(1 + |x|) = 1/(1 + |x|)².
  softsign: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const d = 1 + Math.abs(x[i]);
      dx[i] = dy[i] / (d * d);
    }
  },
};

/**
 * MXNet's `Activation` operator: applies `actType` elementwise.
 *
 *     relu(x) = max(x, 0)              sigmoid(x) = 1 / (1 + e^−x)      tanh(x)
 *     softrelu(x) = log(1 + e^x)       softsign(x) = x / (1 + |x|)
 *
 * Shapes: input of every shape, output of the same shape. Backward: `dx = f'(x)·dy` (the relu derivative
 * at 0 is 0, as MXNet's). Values are computed in float64 and rounded once to float32.
 *
 * @example
 * nd.Activation(nd.array([-1, 0, 2]), { actType: 'relu' }).toArray(); // [0, 0, 2]
 */
export function Activation(data: NDArray, options: ActivationOpOptions): NDArray {
  const x = checkArray('Activation', 'data', data);
  const actType = checkChoice('Activation', 'actType', checkOptions('Activation', options).actType, ACT_TYPES);
  const out = FORWARD[actType](x);
  return recordOp('Activation', out, [x], (dy) => [elementwiseGrad(x, dy, DERIVATIVE[actType])]);
}
