import { BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';
import { InitializerSpec, Parameter } from './parameter';
import { pyBool, pyFloat } from '../core/py_format';
import { checkFlag, checkIntAtLeast, checkNumberIn } from '../core/checks';
import { layerOptionKeys } from './block_checks';
import { checkInitializerOption } from './layer_checks';

/** Options of `nn.GroupNorm`; every default is Gluon 1.9's. */
export interface GroupNormOptions extends BlockOptions {
  /** The number of groups the channel axis 1 is split into; must divide the channel count. Default 1. */
  numGroups?: number;
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
}

/**
 * Group normalization (Wu & He, "Group Normalization"), as MXNet 1.9 Gluon's `nn.GroupNorm`: the
 * channels (axis 1) are split into `numGroups` groups of consecutive channels, and each sample's
 * group is normalized over its channels and every spatial position:
 *
 *     x' = x.reshape(N, G, C/G, ...);  out = (x' − mean) / sqrt(var + epsilon) · gamma[g] + beta[g]
 *
 * with the biased variance. Shapes: input (N, C, ...) of rank ≥ 3 with C divisible by numGroups;
 * output the same shape; **gamma and beta (numGroups,)** — one value per group, as MXNet 1.9
 * (upstream issue 17139; PyTorch's GroupNorm has one per channel), so nothing is deferred. The same
 * in training and prediction. `center`/`scale` only set gradReq: gamma and beta are always applied.
 *
 * @example
 * const gn = new nn.GroupNorm({ numGroups: 2 });
 * gn.initialize();
 * gn(nd.zeros([8, 4, 16, 16])).shape; // [8, 4, 16, 16]; gn.gamma.shape is [2]
 */
export class GroupNorm extends HybridBlock {
  static override readonly optionKeys = layerOptionKeys<GroupNormOptions>({
    numGroups: true, epsilon: true, center: true, scale: true, betaInitializer: true, gammaInitializer: true,
  });
  static override readonly inputCount = 1;
  readonly numGroups: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly gamma: Parameter;
  readonly beta: Parameter;

  constructor(options: GroupNormOptions = {}) {
    super(options);
    const layer = this.errorName;
    const { numGroups = 1, epsilon = 1e-5, center = true, scale = true, gammaInitializer = 'ones', betaInitializer = 'zeros' } = options;
    this.numGroups = checkIntAtLeast(layer, 'numGroups', numGroups, 1);
    this.epsilon = checkNumberIn(layer, 'epsilon', epsilon, { min: 0 });
    this.center = checkFlag(layer, 'center', center);
    this.scale = checkFlag(layer, 'scale', scale);
    const affine = (option: string, init: InitializerSpec, learned: boolean) =>
      ({ gradReq: learned ? 'write' : 'null', shape: [numGroups], init: checkInitializerOption(layer, option, init), allowDeferredInit: true } as const);
    this.gamma = this.params.get('gamma', affine('gammaInitializer', gammaInitializer, scale));
    this.beta = this.params.get('beta', affine('betaInitializer', betaInitializer, center));
  }

  /** `F.GroupNorm(x, gamma, beta, { numGroups, eps })`: the operator checks the input; see the class comment. */
  override hybridForward(F: HybridF, x: Tensor, { gamma, beta }: TensorRecord): Tensor {
    return F.GroupNorm(x, gamma, beta, { numGroups: this.numGroups, eps: this.epsilon });
  }

  /** Gluon's text: `GroupNorm(eps=1e-05, num_groups=1, center=True, scale=True)`. */
  override toString(): string {
    return `GroupNorm(eps=${pyFloat(this.epsilon)}, num_groups=${this.numGroups}, center=${pyBool(this.center)}, scale=${pyBool(this.scale)})`;
  }
}
