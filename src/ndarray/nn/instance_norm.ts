import { GluonError, formatShape } from '../../errors';
import { normForward } from '../../kernels/cpu/normalization';
import { instanceNormLayout } from '../../kernels/cpu/norm_layouts';
import { NDArray } from '../ndarray';
import { normalizeAxis } from '../shape';

/** Options of the `nd.InstanceNorm` operator. */
export interface InstanceNormOpOptions {
  /** Added to the variance. Default 1e-3, as MXNet's operator (the layer's default is 1e-5). */
  eps?: number;
  /**
   * The channel axis (any but 0; negative counts from the end). Default 1. MXNet's operator
   * always uses axis 1 and its layer swaps axes around it; tsgluon's kernel reads any axis in
   * place through strides.
   */
  axis?: number;
}

/**
 * MXNet's `InstanceNorm` operator: `out = (x − mean) / sqrt(var + eps) · gamma[c] + beta[c]`, with
 * mean and biased variance per sample and channel over every other axis but 0. Shapes: data of
 * rank ≥ 3, gamma and beta (C,) with C = data.shape[axis]; the output has data's shape.
 *
 * @example
 * nd.InstanceNorm(nd.array([[[1, 3]]]), nd.ones([1]), nd.zeros([1]), { eps: 0 }); // [[[-1, 1]]]
 */
export function InstanceNorm(data: NDArray, gamma: NDArray, beta: NDArray, options: InstanceNormOpOptions = {}): NDArray {
  const { eps = 1e-3, axis = 1 } = options;
  const channelAxis = checkInstanceNormInput(data, axis);
  const channels = data.shape[channelAxis];
  for (const [name, param] of [['gamma', gamma], ['beta', beta]] as const) {
    if (!(param instanceof NDArray) || param.ndim !== 1 || param.size !== channels) {
      const given = param instanceof NDArray ? `shape ${formatShape(param.shape)}` : typeof param;
      throw new GluonError(`InstanceNorm: expected ${name} of shape (${channels},) for data of shape ${formatShape(data.shape)}, but got ${given}`);
    }
  }
  if (typeof eps !== 'number' || !Number.isFinite(eps) || eps < 0) {
    throw new GluonError(`InstanceNorm: expected a finite eps >= 0, but got ${String(eps)}`);
  }
  const layout = instanceNormLayout(data.shape, channelAxis);
  const out = new Float32Array(data.size);
  const groups = layout.outer * layout.channels;
  normForward(data.data, 0, out, 0, layout, new Float64Array(groups), new Float64Array(groups), eps, gamma.data, beta.data);
  return new NDArray(out, data.shape);
}

/** Checks InstanceNorm's input (an NDArray of rank ≥ 3) and resolves the channel axis; `who` names the caller. */
export function checkInstanceNormInput(data: NDArray, axis: number, who = 'InstanceNorm'): number {
  if (!(data instanceof NDArray)) throw new GluonError(`${who}: expected an NDArray input, but got ${typeof data}`);
  if (data.ndim < 3) {
    throw new GluonError(`${who}: InstanceNorm only supports input tensors of rank >= 3, but got an input of shape ${formatShape(data.shape)}`);
  }
  const resolved = normalizeAxis(axis, data.ndim, who);
  if (resolved === 0) {
    throw new GluonError(`${who}: expected a channel axis other than the batch axis 0, but got axis ${axis} for an input of rank ${data.ndim}`);
  }
  return resolved;
}
