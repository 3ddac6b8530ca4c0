import { NDArray } from '../ndarray/ndarray';
import { BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';
import { InitializerSpec, Parameter } from './parameter';
import { pyBool, pyFloat } from '../core/py_format';
import { checkFlag, checkIntAtLeast, checkNumberIn } from '../core/checks';
import { layerOptionKeys } from './block_checks';
import { checkChannelCount, checkInitializerOption } from './layer_checks';

/** Options of `nn.LayerNorm`; every default is Gluon 1.9's. */
export interface LayerNormOptions extends BlockOptions {
  /** The normalized axis; negative counts from the end. Default -1. */
  axis?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  epsilon?: number;
  /** Whether beta is learned (gradReq 'write') or fixed ('null'). beta is applied either way. Default true. */
  center?: boolean;
  /** Whether gamma is learned (gradReq 'write') or fixed ('null'). gamma is applied either way. Default true. */
  scale?: boolean;
  /** Default `'zeros'`. */
  betaInitializer?: InitializerSpec;
  /** Default `'ones'`. */
  gammaInitializer?: InitializerSpec;
  /** The size of `axis`; 0 infers it from the first input. Default 0. */
  inChannels?: number;
}

/**
 * Layer normalization (Ba et al., "Layer Normalization"), as Gluon's `nn.LayerNorm`:
 *
 *     out = (x − mean) / sqrt(var + epsilon) · gamma[k] + beta[k]
 *
 * where mean and the biased variance are taken over `axis` alone, separately for every position of
 * the other axes, and k is the index along `axis`. Shapes: input of rank ≥ 1 with
 * C = x.shape[axis] (commonly (N, T, C) with the default axis -1); output the same shape; gamma
 * and beta (C,). The same in training and prediction. As Gluon, `center`/`scale` only set gradReq:
 * gamma and beta are always applied.
 *
 * @example
 * const ln = new nn.LayerNorm();
 * ln.initialize();
 * ln(nd.array([[1, 3], [10, 20]])); // ≈ [[-1, 1], [-1, 1]]
 */
export class LayerNorm extends HybridBlock {
  static override readonly optionKeys = layerOptionKeys<LayerNormOptions>({
    axis: true, epsilon: true, center: true, scale: true, betaInitializer: true, gammaInitializer: true, inChannels: true,
  });
  static override readonly inputCount = 1;
  readonly axis: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly gamma: Parameter;
  readonly beta: Parameter;

  constructor(options: LayerNormOptions = {}) {
    super(options);
    const layer = this.errorName;
    const { axis = -1, epsilon = 1e-5, center = true, scale = true, gammaInitializer = 'ones', betaInitializer = 'zeros', inChannels = 0 } = options;
    this.axis = checkIntAtLeast(layer, 'axis', axis, -Infinity);
    this.epsilon = checkNumberIn(layer, 'epsilon', epsilon, { min: 0 });
    this.center = checkFlag(layer, 'center', center);
    this.scale = checkFlag(layer, 'scale', scale);
    checkIntAtLeast(layer, 'inChannels (0 = infer)', inChannels, 0);
    const affine = (option: string, init: InitializerSpec, learned: boolean) =>
      ({ gradReq: learned ? 'write' : 'null', shape: [inChannels], init: checkInitializerOption(layer, option, init), allowDeferredInit: true } as const);
    this.gamma = this.params.get('gamma', affine('gammaInitializer', gammaInitializer, scale));
    this.beta = this.params.get('beta', affine('betaInitializer', betaInitializer, center));
  }


  /** `F.LayerNorm(x, gamma, beta, { axis, eps })`; see the class comment. */
  override hybridForward(F: HybridF, x: Tensor, { gamma, beta }: TensorRecord): Tensor {
    if (x instanceof NDArray) {
      const axis = this.axis < 0 ? this.axis + x.ndim : this.axis;
      // The operator reports an axis out of range and a wrong rank.
      if (axis >= 0 && axis < x.ndim) checkChannelCount(this.errorName, axis, (gamma as NDArray).size, x.shape);
    }
    return F.LayerNorm(x, gamma, beta, { axis: this.axis, eps: this.epsilon });
  }

  /** Gluon's text: `LayerNorm(eps=1e-05, axis=-1, center=True, scale=True, in_channels=0)`. */
  override toString(): string {
    const inChannels = this.gamma.shape?.[0] ?? 0;
    return `LayerNorm(eps=${pyFloat(this.epsilon)}, axis=${this.axis}, center=${pyBool(this.center)}, scale=${pyBool(this.scale)}, in_channels=${inChannels})`;
  }
}
