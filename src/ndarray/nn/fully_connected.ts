/**
 * MXNet's `FullyConnected` operator (behind `nn.Dense`) with its backward rule, on the shared
 * CPU GEMM.
 */
import { GluonError } from '../../core/errors';
import { recordOp, requiresGrad } from '../../autograd/tape';
import { biasGradient } from '../../kernels/cpu/conv_backward';
import { gemm } from '../../kernels/cpu/gemm';
import { NDArray } from '../ndarray';
import { checkShape, shapeSize } from '../../core/shape';
import { checkBias, checkFlag, checkIntAtLeast, checkWeightShape } from './layer_op_checks';
import { checkArray, checkOptions } from './op_checks';

/** Options of the `nd.FullyConnected` operator (MXNet's names in camelCase). */
export interface FullyConnectedOpOptions {
  /** The number of output units; weight is (numHidden, inputUnits). Required. */
  numHidden: number;
  /** Whether there is no bias. Default: true exactly when `bias` is undefined. */
  noBias?: boolean;
  /**
   * true: x is (N, d1, …) viewed as (N, d1·…), output (N, numHidden). false: the last axis is
   * the input units, output (…, numHidden) keeps the leading axes. Default true.
   */
  flatten?: boolean;
}

/** How FullyConnected views its input: `rows` × `units` input units, and the output shape. */
export interface FullyConnectedView {
  readonly rows: number;
  readonly units: number;
  readonly outShape: number[];
}

/**
 * The input view of FullyConnected: with `flatten`, (N, d1, …) is N rows of d1·… units (a 1-D
 * input (N,) is N rows of 1 unit, as MXNet); without, the last axis holds the units.
 * `who` names the caller in errors (the operator, or a Dense layer).
 */
export function fullyConnectedView(who: string, data: NDArray, flatten: boolean, numHidden: number): FullyConnectedView {
  if (data.ndim === 0) throw new GluonError(`${who}: expected data of rank >= 1, but got a 0-d array`);
  const units = flatten ? shapeSize(data.shape.slice(1)) : data.shape[data.ndim - 1];
  const lead = flatten ? [data.shape[0]] : data.shape.slice(0, -1);
  const outShape = [...lead, numHidden];
  checkShape(outShape, `${who} output`);
  return { rows: shapeSize(lead), units, outShape };
}

/**
 * MXNet's `FullyConnected`: `out = x·Wᵀ + b`, i.e. out[r, u] = b[u] + Σ_k x[r, k]·W[u, k].
 *
 * Shapes: data (N, d1, …) with `flatten` (the default) — viewed as (N, K), K = d1·… — or
 * (…, K) without; weight (numHidden, K); bias (numHidden,) unless noBias. Output (N, numHidden),
 * or (…, numHidden) without flatten. Products accumulate in float64 within GEMM panels.
 *
 * Backward: dx = dy·W (reshaped to x), dW = dyᵀ·x, db = column sums of dy.
 *
 * @example
 * nd.FullyConnected(nd.array([[1, 2]]), nd.array([[1, 1], [0, 1]]), nd.array([0, 10]), { numHidden: 2 }).toArray();
 * // [[3, 12]]
 */
export function FullyConnected(data: NDArray, weight: NDArray, bias: NDArray | undefined, options: FullyConnectedOpOptions): NDArray {
  const op = 'FullyConnected';
  const x = checkArray(op, 'data', data);
  const w = checkArray(op, 'weight', weight);
  const opts = checkOptions(op, options);
  const numHidden = checkIntAtLeast(op, 'numHidden', opts.numHidden, 1);
  const flatten = checkFlag(op, 'flatten', opts.flatten ?? true);
  const view = fullyConnectedView(op, x, flatten, numHidden);
  checkWeightShape(op, w, [numHidden, view.units], x);
  const b = checkBias(op, bias, opts.noBias, numHidden);
  const { rows, units } = view;
  const out = new Float32Array(rows * numHidden);
  if (b !== undefined) for (let r = 0; r < rows; r++) out.set(b.data, r * numHidden);
  gemm(false, true, rows, numHidden, units, 1, x.data, 0, Math.max(1, units), w.data, 0, Math.max(1, units),
    b === undefined ? 0 : 1, out, 0, numHidden);
  const y = new NDArray(out, view.outShape);
  const inputs = b === undefined ? [x, w] : [x, w, b];
  return recordOp(op, y, inputs, (dy) => {
    const grads = [
      requiresGrad(x) ? inputGradient(view, x, w, dy) : undefined,
      requiresGrad(w) ? weightGradient(view, x, w, dy) : undefined,
    ];
    if (b !== undefined) grads.push(requiresGrad(b) ? denseBiasGradient(view, b, dy) : undefined);
    return grads;
  });
}

/** dx (rows × K) = dy (rows × H) · W (H × K), in x's shape. */
function inputGradient(view: FullyConnectedView, x: NDArray, w: NDArray, dy: NDArray): NDArray {
  const hidden = w.shape[0];
  const dx = new Float32Array(x.size);
  gemm(false, false, view.rows, view.units, hidden, 1, dy.data, 0, hidden, w.data, 0, Math.max(1, view.units),
    0, dx, 0, Math.max(1, view.units));
  return new NDArray(dx, x.shape);
}

/** dW (H × K) = dyᵀ (H × rows) · x (rows × K). */
function weightGradient(view: FullyConnectedView, x: NDArray, w: NDArray, dy: NDArray): NDArray {
  const hidden = w.shape[0];
  const dw = new Float32Array(w.size);
  gemm(true, false, hidden, view.units, view.rows, 1, dy.data, 0, hidden, x.data, 0, Math.max(1, view.units),
    0, dw, 0, Math.max(1, view.units));
  return new NDArray(dw, w.shape);
}

function denseBiasGradient(view: FullyConnectedView, b: NDArray, dy: NDArray): NDArray {
  const db = new Float32Array(b.size);
  biasGradient({ batch: view.rows, channels: b.size, size: 1, channelsLast: true }, dy.data, 0, db, 0);
  return new NDArray(db, b.shape);
}
