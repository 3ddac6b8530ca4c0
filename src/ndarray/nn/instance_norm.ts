import { recordOp } from '../../autograd/tape';
import { GluonError, formatShape } from '../../core/errors';
import { instanceNormLayout } from '../../kernels/cpu/norm_layouts';
import { NDArray } from '../ndarray';
import { normalizeAxis } from '../../core/shape';
import { checkNormEps, checkNormVector, normGradients, normalizeWithBatchStatistics } from './norm_common';

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
 * Differentiable (inside `autograd.record`) with respect to data, gamma and beta; the backward is
 * the shared kernel's (the statistics depend on data). It equals MXNet's per-row formulas
 * (mxnet-gluon-behaviour.md §2) rearranged: dx = rstd·(g·dy − mean(g·dy) − x̂·mean(g·dy·x̂)),
 * dgamma[c] = Σ dy·x̂, dbeta[c] = Σ dy, with x̂ = (x − mean)·rstd.
 *
 * @example
 * nd.InstanceNorm(nd.array([[[1, 3]]]), nd.ones([1]), nd.zeros([1]), { eps: 0 }); // [[[-1, 1]]]
 */
export function InstanceNorm(data: NDArray, gamma: NDArray, beta: NDArray, options: InstanceNormOpOptions = {}): NDArray {
  const { eps = 1e-3, axis = 1 } = options;
  const channelAxis = checkInstanceNormInput(data, axis);
  const channels = data.shape[channelAxis];
  checkNormVector('InstanceNorm', 'gamma', gamma, channels, data);
  checkNormVector('InstanceNorm', 'beta', beta, channels, data);
  checkNormEps('InstanceNorm', eps);
  const layout = instanceNormLayout(data.shape, channelAxis);
  const { output, statistics } = normalizeWithBatchStatistics(data, layout, eps, gamma.data, beta.data);
  return recordOp('InstanceNorm', output, [data, gamma, beta], (dy, into) =>
    normGradients(data, dy, layout, statistics, eps, gamma.data, false, into[0]));
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
