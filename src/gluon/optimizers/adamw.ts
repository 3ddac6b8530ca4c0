import { AdamMomentOptions, adamHyperParameters } from './adam';
import { Optimizer, UpdateContext, clipTo } from './optimizer';

/** Options of `AdamW`: those of `Adam` but `lazyUpdate` (MXNet's AdamW has none). */
export type AdamWOptions = AdamMomentOptions;

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter), with PyTorch's `torch.optim.AdamW`
 * update — MXNet 1.9 has no AdamW optimizer class (only the `contrib.adamw_update` operator,
 * which leaves bias correction to the caller), so PyTorch's is the reference. Default learning
 * rate 0.001; `wd` defaults to 0 as for every tsgluon optimizer (PyTorch's default is 0.01).
 * At this parameter's t-th update:
 *
 *     w ← w·(1 − lr·wd)                               (the decay never enters the moments)
 *     g  = clip(rescaleGrad · grad, clipGradient)
 *     m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
 *     w ← w − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
 *
 * @example
 * const trainer = new gluon.Trainer(net.collectParams(), 'adamw', { learningRate: 1e-3, wd: 0.01 });
 */
export class AdamW extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: AdamWOptions = {}) {
    super('AdamW', options, 0.001, ['beta1', 'beta2', 'epsilon']);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = adamHyperParameters('AdamW', options));
  }

  protected stateCount(): number {
    return 2;
  }

  protected step(weight: Float32Array, grad: Float32Array, [mean, variance]: Float32Array[], context: UpdateContext): void {
    const { lr, wd, rescale, clip, t } = context;
    const { beta1, beta2, epsilon } = this;
    const decay = 1 - lr * wd;
    const stepSize = lr / (1 - beta1 ** t);
    const rootCorrection = Math.sqrt(1 - beta2 ** t);
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i], clip);
      const m = beta1 * mean[i] + (1 - beta1) * g;
      const v = beta2 * variance[i] + (1 - beta2) * g * g;
      mean[i] = m;
      variance[i] = v;
      weight[i] = decay * weight[i] - (stepSize * m) / (Math.sqrt(v) / rootCorrection + epsilon);
    }
  }
}
