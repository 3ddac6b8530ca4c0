import { NDArray } from '../ndarray/ndarray';
import { BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';
import { InitializerSpec, Parameter } from './parameter';
import { pyBool, pyFloat } from '../core/py_format';
import { checkFlag, checkIntAtLeast, checkNumberIn } from '../core/checks';
import { layerOptionKeys } from './block_checks';
import { checkChannelAxis, checkChannelCount, checkInitializerOption } from './layer_checks';

/** Options of `nn.InstanceNorm`; every default is Gluon 1.9's. */
export interface InstanceNormOptions extends BlockOptions {
  /** The channel axis, excluded from the statistics with axis 0. Any axis but 0; negative counts from the end. Default 1. */
  axis?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  epsilon?: number;
  /** Whether beta is learned (gradReq 'write') or fixed ('null'). beta is applied either way. Default true. */
  center?: boolean;
  /** Whether gamma is learned (gradReq 'write') or fixed ('null'). gamma is applied either way. Default false. */
  scale?: boolean;
  /** Default `'zeros'`. */
  betaInitializer?: InitializerSpec;
  /** Default `'ones'`. */
  gammaInitializer?: InitializerSpec;
  /** The number of channels; 0 infers it from the first input. Default 0. */
  inChannels?: number;
}

/**
 * Instance normalization (Ulyanov et al., "Instance Normalization: The Missing Ingredient for
 * Fast Stylization"), as Gluon's `nn.InstanceNorm`:
 *
 *     out = (x − mean) / sqrt(var + epsilon) · gamma[c] + beta[c]
 *
 * with mean and the biased variance taken per sample and channel, over every axis except 0 and
 * `axis`. Shapes: input (N, C, ...) for axis 1, or any rank ≥ 3 with C = x.shape[axis]; output the
 * same shape; gamma and beta (C,).
 *
 * Where Gluon's documentation and code differ we follow the code (DESIGN.md §2): the formula is
 * `sqrt(var + eps)` (the docs' `sqrt(var) + eps` is a typo), `scale` defaults to false (the
 * signature, not the doc text), and `center`/`scale` only set gradReq — gamma and beta are always
 * created, saved, loaded and applied, so MXNet weights give MXNet's answer. Statistics are
 * accumulated in float64, so outputs are closer to exact than MXNet's float32 kernel (the seed
 * example prints -0.99998349 where MXNet printed -0.99998355). Channels-last (axis = -1) is
 * normalized in place by strides, without transposing: the operator's `axis` is tsgluon's
 * extension of MXNet's InstanceNorm, passed only when it is not 1, so a graph exported with the
 * default layout reads in MXNet (Gluon swaps axes around the operator instead).
 *
 * Edge cases: spatial size 1 or a constant instance gives beta; an empty batch an empty output;
 * a NaN or Inf only affects its own instance.
 *
 * @example
 * const layer = new nn.InstanceNorm();
 * layer.initialize();
 * layer(nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]));
 * // [[[-0.99998349  0.99998349]]
 * //  [[-0.99998349  0.99998349]]]
 */
export class InstanceNorm extends HybridBlock {
  static override readonly optionKeys = layerOptionKeys<InstanceNormOptions>({
    axis: true, epsilon: true, center: true, scale: true, betaInitializer: true, gammaInitializer: true, inChannels: true,
  });
  static override readonly inputCount = 1;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly gamma: Parameter;
  readonly beta: Parameter;

  constructor(options: InstanceNormOptions = {}) {
    super(options);
    const layer = this.errorName;
    const { axis = 1, epsilon = 1e-5, center = true, scale = false, gammaInitializer = 'ones', betaInitializer = 'zeros', inChannels = 0 } = options;
    this.axis = checkChannelAxis(layer, axis);
    this.epsilon = checkNumberIn(layer, 'epsilon', epsilon, { min: 0 });
    this.center = checkFlag(layer, 'center', center);
    this.scale = checkFlag(layer, 'scale', scale);
    checkIntAtLeast(layer, 'inChannels (0 = infer)', inChannels, 0);
    this.gamma = this.params.get('gamma', {
      gradReq: scale ? 'write' : 'null',
      shape: [inChannels],
      init: checkInitializerOption(layer, 'gammaInitializer', gammaInitializer),
      allowDeferredInit: true,
    });
    this.beta = this.params.get('beta', {
      gradReq: center ? 'write' : 'null',
      shape: [inChannels],
      init: checkInitializerOption(layer, 'betaInitializer', betaInitializer),
      allowDeferredInit: true,
    });
  }

  /**
   * `F.InstanceNorm(x, gamma, beta, { eps, axis })`; see the class comment. Imperatively the axis
   * goes to the operator (tsgluon's extension of MXNet's, no copies). Traced into a graph with a
   * positive axis other than 1, the graph is Gluon's — swapaxes(1, axis), InstanceNorm, swapaxes
   * back — so an exported model reads in MXNet; a negative axis stays an attribute (MXNet's
   * SwapAxis takes no negative axes, and the rank is unknown while tracing).
   */
  override hybridForward(F: HybridF, x: Tensor, { gamma, beta }: TensorRecord): Tensor {
    if (x instanceof NDArray) {
      const axis = this.axis < 0 ? this.axis + x.ndim : this.axis;
      // The operator reports an axis out of range (or the batch axis) and a wrong rank.
      if (axis > 0 && axis < x.ndim) checkChannelCount(this.errorName, axis, (gamma as NDArray).size, x.shape);
    } else if (this.axis > 1) {
      const swap = { dim1: 1, dim2: this.axis };
      return F.swapaxes(F.InstanceNorm(F.swapaxes(x, swap), gamma, beta, { eps: this.epsilon, name: 'fwd' }), swap);
    }
    return F.InstanceNorm(x, gamma, beta, this.axis === 1 ? { eps: this.epsilon, name: 'fwd' } : { eps: this.epsilon, axis: this.axis, name: 'fwd' });
  }

  /** Gluon's text: `InstanceNorm(eps=1e-05, axis=1, center=True, scale=False, in_channels=0)`. */
  override toString(): string {
    const inChannels = this.gamma.shape?.[0] ?? 0;
    return `InstanceNorm(eps=${pyFloat(this.epsilon)}, axis=${this.axis}, center=${pyBool(this.center)}, scale=${pyBool(this.scale)}, in_channels=${inChannels})`;
  }
}
