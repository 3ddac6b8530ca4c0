import { checkFlag, checkIntAtLeast, checkNumberIn } from '../core/checks';
import { NDArray } from '../ndarray/ndarray';
import { BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';
import { InitializerSpec, Parameter } from './parameter';
import { pyBool, pyFloat } from '../core/py_format';
import { layerOptionKeys } from './block_checks';
import { checkChannelCount, checkInitializerOption } from './layer_checks';

/** Options of `nn.BatchNorm`; every default is Gluon 1.9's. */
export interface BatchNormOptions extends BlockOptions {
  /** The channel axis: statistics per index along it, over every other axis. Negative counts from the end. Default 1. */
  axis?: number;
  /** Weight of the old running statistics in their update, in [0, 1]. Default 0.9. */
  momentum?: number;
  /** Added to the variance before the square root. Default 1e-5. */
  epsilon?: number;
  /** Whether beta is learned (gradReq 'write') or fixed ('null'). beta is applied either way. Default true. */
  center?: boolean;
  /** Whether gamma is learned; when false gamma is treated as 1 (MXNet's fix_gamma). Default true. */
  scale?: boolean;
  /** Normalize with the running statistics in training mode too (and never update them). Default false. */
  useGlobalStats?: boolean;
  /** Default `'zeros'`. */
  betaInitializer?: InitializerSpec;
  /** Default `'ones'`. */
  gammaInitializer?: InitializerSpec;
  /** Default `'zeros'`. */
  runningMeanInitializer?: InitializerSpec;
  /** Default `'ones'`. */
  runningVarianceInitializer?: InitializerSpec;
  /** The number of channels; 0 infers it from the first input. Default 0. */
  inChannels?: number;
}

/**
 * Batch normalization (Ioffe & Szegedy, "Batch Normalization: Accelerating Deep Network Training
 * by Reducing Internal Covariate Shift"), as Gluon's `nn.BatchNorm`:
 *
 *     out = (x − mean[c]) / sqrt(var[c] + epsilon) · gamma[c] + beta[c]
 *
 * with one mean and variance per channel c (the index along `axis`) over every other axis. Shapes:
 * input of rank ≥ 1 with C = x.shape[axis] (commonly (N, C) or (N, C, H, W)); output the same
 * shape; gamma, beta, runningMean, runningVar (C,).
 *
 * - In training mode (inside `autograd.record(...)` or `autograd.trainMode(...)`) and without
 *   `useGlobalStats`: the batch mean and biased variance, and the operator updates the running
 *   statistics' arrays in place to `running·momentum + batch·(1 − momentum)` (MXNet's CPU rule;
 *   see `nd.BatchNorm` for how this compares with MXNet's timing and PyTorch's unbiased running
 *   variance). Hybridized, the cached graph updates the same Parameters.
 * - Otherwise (prediction, the default, or `useGlobalStats`): runningMean and runningVar.
 *
 * As Gluon, `scale = false` is MXNet's `fix_gamma`: gamma is treated as 1 and gets no gradient
 * (gamma is not differentiable), while `center = false` only makes beta not differentiable — beta
 * is still applied. The running statistics are Parameters with gradReq 'null', saved and loaded
 * with the others under Gluon's names: `batchnorm0_running_mean`, and `running_mean` as the
 * structural key of `saveParameters` (so MXNet's files load), exposed as `runningMean`.
 *
 * @example
 * const bn = new nn.BatchNorm();
 * bn.initialize();
 * const x = nd.array([[1, 10], [3, 30]]);
 * bn(x);                           // prediction: (x − 0)/sqrt(1 + 1e-5) ≈ x
 * autograd.trainMode(() => bn(x)); // ≈ [[-1, -1], [1, 1]]; runningMean → [0.2, 2]
 */
export class BatchNorm extends HybridBlock {
  static override readonly optionKeys = layerOptionKeys<BatchNormOptions>({
    axis: true, momentum: true, epsilon: true, center: true, scale: true, useGlobalStats: true, betaInitializer: true,
    gammaInitializer: true, runningMeanInitializer: true, runningVarianceInitializer: true, inChannels: true,
  });
  static override readonly inputCount = 1;
  readonly axis: number;
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly useGlobalStats: boolean;
  readonly gamma: Parameter;
  readonly beta: Parameter;
  /** Not attributes: attributes register under their own name, and Gluon's keys are running_mean/running_var. */
  private readonly running: { mean: Parameter; variance: Parameter };

  constructor(options: BatchNormOptions = {}) {
    super(options);
    const layer = this.errorName;
    const { axis = 1, momentum = 0.9, epsilon = 1e-5, center = true, scale = true, useGlobalStats = false, inChannels = 0 } = options;
    const { gammaInitializer = 'ones', betaInitializer = 'zeros', runningMeanInitializer = 'zeros', runningVarianceInitializer = 'ones' } = options;
    this.axis = checkIntAtLeast(layer, 'axis', axis, -Infinity);
    this.momentum = checkNumberIn(layer, 'momentum', momentum, { min: 0, max: 1 });
    this.epsilon = checkNumberIn(layer, 'epsilon', epsilon, { min: 0 });
    this.center = checkFlag(layer, 'center', center);
    this.scale = checkFlag(layer, 'scale', scale);
    this.useGlobalStats = checkFlag(layer, 'useGlobalStats', useGlobalStats);
    checkIntAtLeast(layer, 'inChannels (0 = infer)', inChannels, 0);
    const shape = [inChannels];
    const initializer = (option: string, spec: InitializerSpec) => checkInitializerOption(layer, option, spec);
    const affine = (init: InitializerSpec | undefined, learned: boolean) => ({ gradReq: learned ? 'write' : 'null', differentiable: learned, shape, init, allowDeferredInit: true } as const);
    this.gamma = this.params.get('gamma', affine(initializer('gammaInitializer', gammaInitializer), scale));
    this.beta = this.params.get('beta', affine(initializer('betaInitializer', betaInitializer), center));
    const statistic = (init: InitializerSpec | undefined) => ({ gradReq: 'null', differentiable: false, shape, init, allowDeferredInit: true } as const);
    this.running = {
      mean: this.params.get('running_mean', statistic(initializer('runningMeanInitializer', runningMeanInitializer))),
      variance: this.params.get('running_var', statistic(initializer('runningVarianceInitializer', runningVarianceInitializer))),
    };
    this.registerParameter('running_mean', this.running.mean);
    this.registerParameter('running_var', this.running.variance);
  }

  /** The running mean, Gluon's `running_mean`: zeros until training updates it. */
  get runningMean(): Parameter {
    return this.running.mean;
  }

  /** The running (biased) variance, Gluon's `running_var`: ones until training updates it. */
  get runningVar(): Parameter {
    return this.running.variance;
  }


  /**
   * `F.BatchNorm(x, gamma, beta, running_mean, running_var, …)` with Gluon's five attributes; see the
   * class comment. In training the operator updates runningMean and runningVar in place. Parameter
   * keys are Gluon's.
   */
  override hybridForward(F: HybridF, x: Tensor, { gamma, beta, running_mean, running_var }: TensorRecord): Tensor {
    if (x instanceof NDArray) {
      const axis = this.axis < 0 ? this.axis + x.ndim : this.axis;
      // The operator reports an axis out of range and a wrong rank.
      if (axis >= 0 && axis < x.ndim) checkChannelCount(this.errorName, axis, (gamma as NDArray).size, x.shape);
    }
    return F.BatchNorm(x, gamma, beta, running_mean, running_var, {
      eps: this.epsilon, momentum: this.momentum, fixGamma: !this.scale, useGlobalStats: this.useGlobalStats, axis: this.axis, name: 'fwd',
    });
  }

  /** Gluon's text: `BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=None)`. */
  override toString(): string {
    const inChannels = this.gamma.shape?.[0] || 'None';
    return `BatchNorm(axis=${this.axis}, eps=${pyFloat(this.epsilon)}, momentum=${pyFloat(this.momentum)}, fix_gamma=${pyBool(!this.scale)}, ` +
      `use_global_stats=${pyBool(this.useGlobalStats)}, in_channels=${inChannels})`;
  }
}
