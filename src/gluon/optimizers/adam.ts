import { checkBoolean, checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** The moment options of `Adam`, `AdamW`, `Adamax` and `Nadam`. */
export interface AdamMomentOptions extends OptimizerOptions {
  /** Decay of the first-moment estimate, in [0, 1). Default 0.9. */
  beta1?: number;
  /** Decay of the second-moment estimate, in [0, 1). Default 0.999. */
  beta2?: number;
  /** Added to the denominator, ≥ 0. Default 1e-8. */
  epsilon?: number;
}

/** Options of `Adam`. */
export interface AdamOptions extends AdamMomentOptions {
  /**
   * MXNet's `lazy_update`: with row-sparse gradients, update only the rows that have one.
   * Accepted so that MXNet code ports unchanged; tsgluon's gradients are dense, where MXNet's lazy
   * and standard updates are the same. Default true.
   */
  lazyUpdate?: boolean;
}

/** The validated `beta1`, `beta2`, `epsilon` of Adam-family options. */
export function adamHyperParameters(owner: string, options: AdamMomentOptions): { beta1: number; beta2: number; epsilon: number } {
  const { beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8 } = options;
  return {
    beta1: checkNumber(owner, 'beta1', beta1, { min: 0, max: 1, maxOpen: true }),
    beta2: checkNumber(owner, 'beta2', beta2, { min: 0, max: 1, maxOpen: true }),
    epsilon: checkNumber(owner, 'epsilon', epsilon, { min: 0 }),
  };
}

/**
 * Adam, exactly as MXNet 1.9's `Adam` (`adam_update` kernel): the weight decay is an L2 term
 * added to the gradient *before* clipping, and bias correction is folded into the learning rate.
 * Default learning rate 0.001. At this parameter's t-th update:
 *
 *     g  = clip(rescaleGrad · grad + wd · w, clipGradient)
 *     m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
 *     w ← w − lr·√(1 − β2ᵗ)/(1 − β1ᵗ) · m / (√v + ε)
 *
 * PyTorch's `Adam(weight_decay)` adds ε to √v̂ = √v/√(1 − β2ᵗ) instead, i.e. MXNet's ε is in
 * effect 1/√(1 − β2ᵗ) times larger (≈ 32× at t = 1): the two differ by O(ε/|g|) — about 1e-6 in
 * the weights for gradients near 1e-3 — and agree otherwise.
 *
 * @example
 * const trainer = new gluon.Trainer(net.collectParams(), 'adam', { learningRate: 1e-3 });
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** See AdamOptions.lazyUpdate. */
  readonly lazyUpdate: boolean;

  constructor(options: AdamOptions = {}) {
    super('Adam', options, 0.001, ['beta1', 'beta2', 'epsilon', 'lazyUpdate']);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = adamHyperParameters('Adam', options));
    this.lazyUpdate = checkBoolean('Adam', 'lazyUpdate', options.lazyUpdate ?? true);
  }

  protected stateCount(): number {
    return 2;
  }

  protected step(weight: Float32Array, grad: Float32Array, [mean, variance]: Float32Array[], context: UpdateContext): void {
    const { lr, wd, rescale, clip, t } = context;
    const { beta1, beta2, epsilon } = this;
    const stepSize = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i] + wd * weight[i], clip);
      const m = beta1 * mean[i] + (1 - beta1) * g;
      const v = beta2 * variance[i] + (1 - beta2) * g * g;
      mean[i] = m;
      variance[i] = v;
      weight[i] -= (stepSize * m) / (Math.sqrt(v) + epsilon);
    }
  }
}
