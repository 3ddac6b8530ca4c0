import { recordOp } from '../../autograd/tape';
import { layerNormLayout } from '../../kernels/cpu/norm_layouts';
import { NDArray } from '../ndarray';
import { normalizeAxis } from '../../core/shape';
import { checkNormData, checkNormEps, checkNormVector, normGradients, normalizeWithBatchStatistics } from './norm_common';

/** Options of the `nd.LayerNorm` operator (MXNet's defaults). */
export interface LayerNormOpOptions {
  /** The normalized axis; negative counts from the end. Default -1. */
  axis?: number;
  /** Added to the variance. Default 1e-5. */
  eps?: number;
}

/**
 * MXNet's `LayerNorm` operator (Ba et al., "Layer Normalization"): every position of the other
 * axes is normalized over the `axis` values, then scaled and shifted per feature:
 *
 *     out = (x − mean) / sqrt(var + eps) · gamma[k] + beta[k],   k = index along `axis`
 *
 * with the mean and biased variance over `axis` only. Shapes: data of rank ≥ 1, gamma and beta
 * (C,) with C = data.shape[axis]; the output has data's shape. Differentiable with respect to
 * data, gamma and beta through the shared kernel's backward (gamma varies inside each normalized
 * group, which the kernel handles per element).
 *
 * @example
 * nd.LayerNorm(nd.array([[1, 3]]), nd.array([2, 1]), nd.array([0, 5]), { eps: 0 }); // [[-2, 6]]
 */
export function LayerNorm(data: NDArray, gamma: NDArray, beta: NDArray, options: LayerNormOpOptions = {}): NDArray {
  const { axis = -1, eps = 1e-5 } = options;
  checkNormData('LayerNorm', data, 1);
  const featureAxis = normalizeAxis(axis, data.ndim, 'LayerNorm');
  const features = data.shape[featureAxis];
  checkNormVector('LayerNorm', 'gamma', gamma, features, data);
  checkNormVector('LayerNorm', 'beta', beta, features, data);
  checkNormEps('LayerNorm', eps);
  const layout = layerNormLayout(data.shape, featureAxis);
  const { output, statistics } = normalizeWithBatchStatistics(data, layout, eps, gamma.data, beta.data);
  return recordOp('LayerNorm', output, [data, gamma, beta], (dy, into) =>
    normGradients(data, dy, layout, statistics, eps, gamma.data, false, into[0]));
}
