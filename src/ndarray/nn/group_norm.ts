import { recordOp } from '../../autograd/tape';
import { GluonError, formatShape } from '../../core/errors';
import { groupNormLayout } from '../../kernels/cpu/norm_layouts';
import { NDArray } from '../ndarray';
import { checkNormData, checkNormEps, checkNormVector, normGradients, normalizeWithBatchStatistics } from './norm_common';

/** Options of the `nd.GroupNorm` operator (MXNet's defaults). */
export interface GroupNormOpOptions {
  /** The number of groups the channel axis 1 is split into; must divide the channel count. Default 1. */
  numGroups?: number;
  /** Added to the variance. Default 1e-5. */
  eps?: number;
}

/**
 * MXNet 1.9's `GroupNorm` operator (Wu & He, "Group Normalization"): the channels (axis 1) are
 * split into `numGroups` groups of consecutive channels, and each (sample, group) is normalized
 * over its channels and every spatial position:
 *
 *     x' = x.reshape(N, G, C/G, ...);  out = (x' − mean) / sqrt(var + eps) · gamma[g] + beta[g]
 *
 * with the biased variance. **gamma and beta have one value per group, shape (numGroups,)**, as
 * MXNet 1.9 (upstream issue 17139); PyTorch's group_norm has one per channel instead. Shapes: data
 * (N, C, ...) of rank ≥ 3 (as MXNet), C divisible by numGroups; the output has data's shape.
 * Differentiable with respect to data, gamma and beta through the shared kernel's backward.
 *
 * @example
 * nd.GroupNorm(nd.array([[[1], [3], [5], [7]]]), nd.ones([2]), nd.zeros([2]), { numGroups: 2, eps: 0 });
 * // [[[-1], [1], [-1], [1]]]
 */
export function GroupNorm(data: NDArray, gamma: NDArray, beta: NDArray, options: GroupNormOpOptions = {}): NDArray {
  const { numGroups = 1, eps = 1e-5 } = options;
  checkGroupNormInput(data, numGroups);
  checkNormVector('GroupNorm', 'gamma', gamma, numGroups, data);
  checkNormVector('GroupNorm', 'beta', beta, numGroups, data);
  checkNormEps('GroupNorm', eps);
  const layout = groupNormLayout(data.shape, numGroups);
  const { output, statistics } = normalizeWithBatchStatistics(data, layout, eps, gamma.data, beta.data);
  return recordOp('GroupNorm', output, [data, gamma, beta], (dy, into) =>
    normGradients(data, dy, layout, statistics, eps, gamma.data, false, into[0]));
}

/** Checks GroupNorm's input (an NDArray of rank ≥ 3 whose channels numGroups divides); `who` names the caller. */
export function checkGroupNormInput(data: NDArray, numGroups: number, who = 'GroupNorm'): void {
  checkNormData(who, data, 3);
  if (!Number.isInteger(numGroups) || numGroups < 1) {
    throw new GluonError(`${who}: expected numGroups to be a positive integer, but got ${String(numGroups)}`);
  }
  if (data.shape[1] % numGroups !== 0) {
    throw new GluonError(
      `${who}: expected a channel count divisible by numGroups ${numGroups}, but got ${data.shape[1]} channels (axis 1) in an input of shape ${formatShape(data.shape)}`,
    );
  }
}
