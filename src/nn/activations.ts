/**
 * Gluon's activation layers (mxnet.gluon.nn.activations): Activation, LeakyReLU, PReLU, ELU,
 * SELU, GELU and Swish, each a HybridBlock over the `nd.Activation` / `nd.LeakyReLU` operators.
 */
import { GluonError, formatShape } from '../core/errors';
import { Constant } from '../init/constant';
import { checkChoice, checkFinite, checkIntAtLeast, checkNumberIn } from '../core/checks';
import { NDArray } from '../ndarray/ndarray';
import type { ActType } from '../ops/activation';
import { BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';
import { InitializerSpec, Parameter } from './parameter';
import { pyFloat } from '../core/py_format';
import { layerOptionKeys } from './block_checks';
import { checkInitializerOption } from './layer_checks';

/** The act types `nn.Activation` (and the `activation` option of Dense and the convolutions) accept: MXNet's. */
export const ACT_TYPES: readonly ActType[] = ['relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish'];

/**
 * Applies an activation function elementwise (Gluon's `nn.Activation`), through `nd.Activation`:
 *
 *     relu(x) = max(x, 0)              sigmoid(x) = 1 / (1 + e^−x)      tanh(x)
 *     softrelu(x) = log(1 + e^x)       softsign(x) = x / (1 + |x|)
 *
 * Shapes: input any shape; output the same. Named after its act type, as Gluon: the first
 * `new nn.Activation('relu')` has the prefix `relu0_`.
 *
 * @example
 * const act = new nn.Activation('relu');
 * act(nd.array([-1, 2])).toArray(); // [0, 2]
 * act.toString();                   // 'Activation(relu)'
 */
export class Activation extends HybridBlock {
  static override readonly inputCount = 1;
  readonly actType: ActType;

  constructor(activation: ActType, options: BlockOptions = {}) {
    // Named after the act type (Gluon's `_alias()`), so it is checked before the block is named.
    super(options, checkChoice('Activation', 'activation', activation, ACT_TYPES));
    this.actType = activation;
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.Activation(x, { actType: this.actType, name: 'fwd' });
  }

  /** Gluon's text: `Activation(relu)`. */
  override toString(): string {
    return `Activation(${this.actType})`;
  }
}

/**
 * Leaky ReLU (Gluon's `nn.LeakyReLU`): `f(x) = x > 0 ? x : alpha·x`, through
 * `nd.LeakyReLU(x, { actType: 'leaky', slope: alpha })`.
 *
 * Shapes: input any shape; output the same. `alpha` is required and must be ≥ 0 (Gluon's
 * assertion); it is used as a float32, as MXNet's `slope` parameter.
 *
 * @example
 * new nn.LeakyReLU(0.1)(nd.array([-2, 3])).toArray(); // [-0.2, 3]
 */
export class LeakyReLU extends HybridBlock {
  static override readonly inputCount = 1;
  readonly alpha: number;

  constructor(alpha: number, options: BlockOptions = {}) {
    super(options);
    this.alpha = checkNumberIn(this.errorName, 'alpha', alpha, { min: 0 });
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.LeakyReLU(x, { actType: 'leaky', slope: this.alpha, name: 'fwd' });
  }

  /** Gluon's text: `LeakyReLU(0.1)`. */
  override toString(): string {
    return `LeakyReLU(${pyFloat(this.alpha)})`;
  }
}

/** Options of `nn.PReLU`; every default is Gluon 1.9's. */
export interface PReLUOptions extends BlockOptions {
  /** Default `new init.Constant(0.25)`. */
  alphaInitializer?: InitializerSpec;
  /** The number of learned slopes: 1 (shared by every element) or C = input.shape[1]. Default 1. */
  inChannels?: number;
}

/**
 * Parametric ReLU (He et al., "Delving Deep into Rectifiers"; Gluon's `nn.PReLU`):
 *
 *     f(x) = x > 0 ? x : alpha[c]·x
 *
 * with `alpha` a learned Parameter of shape (inChannels,), broadcast along axis 1 (the channel
 * axis of NCHW) — or one slope for every element when inChannels is 1. Through
 * `nd.LeakyReLU(x, alpha, { actType: 'prelu' })`, which also gives alpha's gradient.
 * Shapes: input (N, C, ...) with C = inChannels (any shape when inChannels is 1); output the
 * same. Defaults: alphaInitializer Constant(0.25), inChannels 1. Gluon defines no text form for
 * PReLU, so it prints as a plain Block: `PReLU(\n\n)`.
 *
 * @example
 * const prelu = new nn.PReLU({ inChannels: 2 });
 * prelu.initialize();
 * prelu(nd.array([[-4, -4]])).toArray(); // [[-1, -1]]
 */
export class PReLU extends HybridBlock {
  static override readonly optionKeys = layerOptionKeys<PReLUOptions>({ alphaInitializer: true, inChannels: true });
  static override readonly inputCount = 1;
  readonly alpha: Parameter;

  constructor(options: PReLUOptions = {}) {
    super(options);
    const { alphaInitializer = new Constant(0.25), inChannels = 1 } = options;
    const channels = checkIntAtLeast(this.errorName, 'inChannels', inChannels, 1);
    const init = checkInitializerOption(this.errorName, 'alphaInitializer', alphaInitializer);
    this.alpha = this.params.get('alpha', { shape: [channels], init });
  }

  override hybridForward(F: HybridF, x: Tensor, { alpha }: TensorRecord): Tensor {
    // The operator checks gamma against the data; this names inChannels (while traced, shapes are unknown here).
    if (x instanceof NDArray && alpha instanceof NDArray) checkChannels(this.errorName, x, alpha);
    return F.LeakyReLU(x, alpha, { actType: 'prelu', name: 'fwd' });
  }
}

/** An input with as many channels on axis 1 (axis 0 of 1-D input) as alpha has slopes, unless alpha is one shared slope. */
function checkChannels(layer: string, x: NDArray, alpha: NDArray): void {
  const channels = x.ndim >= 2 ? x.shape[1] : x.shape[0];
  if (alpha.size !== 1 && channels !== alpha.size) {
    throw new GluonError(`${layer}: expected ${alpha.size} channels on axis 1 (inChannels), but got an input of shape ${formatShape(x.shape)}`);
  }
}

/**
 * Exponential Linear Unit (Clevert et al., 2016; Gluon's `nn.ELU`):
 * `f(x) = x > 0 ? x : alpha·(eˣ − 1)`, through `nd.LeakyReLU(x, { actType: 'elu', slope: alpha })`.
 * Shapes: input any shape; output the same. Default alpha 1.0. Prints as a plain Block, as Gluon.
 *
 * @example
 * new nn.ELU()(nd.array([-1, 2])).toArray(); // [-0.63212055, 2]
 */
export class ELU extends HybridBlock {
  static override readonly inputCount = 1;
  readonly alpha: number;

  constructor(alpha = 1.0, options: BlockOptions = {}) {
    super(options);
    this.alpha = checkFinite(this.errorName, 'alpha', alpha);
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.LeakyReLU(x, { actType: 'elu', slope: this.alpha });
  }
}

/**
 * Scaled Exponential Linear Unit (Klambauer et al., 2017; Gluon's `nn.SELU`):
 * `f(x) = λ·(x > 0 ? x : α·(eˣ − 1))` with λ = 1.0507009873554805 and α = 1.6732632423543772,
 * through `nd.LeakyReLU(x, { actType: 'selu' })`. Shapes: input any shape; output the same.
 * Prints as a plain Block, as Gluon.
 *
 * @example
 * new nn.SELU()(nd.array([1])).toArray(); // [1.050701]
 */
export class SELU extends HybridBlock {
  static override readonly inputCount = 1;

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.LeakyReLU(x, { actType: 'selu', name: 'fwd' });
  }
}

/**
 * Gaussian Error Linear Unit (Hendrycks and Gimpel, 2016; Gluon's `nn.GELU`):
 * `f(x) = x·Φ(x) = ½x·(1 + erf(x/√2))`, the exact erf form MXNet 1.9 computes (not the tanh
 * approximation), through `nd.LeakyReLU(x, { actType: 'gelu' })`. Shapes: input any shape;
 * output the same. Prints as a plain Block, as Gluon.
 *
 * @example
 * new nn.GELU()(nd.array([1])).toArray(); // [0.8413447]
 */
export class GELU extends HybridBlock {
  static override readonly inputCount = 1;

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.LeakyReLU(x, { actType: 'gelu', name: 'fwd' });
  }
}

/**
 * Swish (Ramachandran et al., 2017; Gluon's `nn.Swish`): `f(x) = x·σ(βx)`, SiLU for β = 1,
 * composed as Gluon does from `F.multiply` and `F.sigmoid` (so it rounds as MXNet's float32
 * ops, and its gradient comes from theirs). Shapes: input any shape; output the same. Default
 * beta 1.0. Prints as a plain Block, as Gluon.
 *
 * @example
 * new nn.Swish()(nd.array([1])).toArray(); // [0.7310586]
 */
export class Swish extends HybridBlock {
  static override readonly inputCount = 1;
  readonly beta: number;

  constructor(beta = 1.0, options: BlockOptions = {}) {
    super(options);
    this.beta = checkFinite(this.errorName, 'beta', beta);
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.multiply(x, F.sigmoid(F.multiply(x, this.beta), { name: 'fwd' }));
  }
}
