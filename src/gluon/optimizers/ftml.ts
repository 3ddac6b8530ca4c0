import { checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** Options of `FTML`. */
export interface FTMLOptions extends OptimizerOptions {
  /** In [0, 1). Default 0.6. */
  beta1?: number;
  /** In [0, 1). Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  epsilon?: number;
}

/**
 * Follow the Moving Leader (Zheng & Kwok 2017), as MXNet 1.9's `FTML` (`ftml_update`); default
 * learning rate 0.01. With g = clip(rescaleGrad · grad + wd · w, clipGradient) and step t:
 *
 *     v ← β₂·v + (1 − β₂)·g²
 *     dₜ = (1 − β₁ᵗ)/lr · (√(v / (1 − β₂ᵗ)) + ε)
 *     z ← β₁·z + (1 − β₁)·g − (dₜ − β₁·dₜ₋₁)·w
 *     w ← −z / dₜ
 *
 * @example const trainer = new gluon.Trainer(params, 'ftml', { learningRate: 0.01 });
 */
export class FTML extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;

  constructor(options: FTMLOptions = {}) {
    super('FTML', options, 0.01, ['beta1', 'beta2', 'epsilon']);
    this.beta1 = checkNumber('FTML', 'beta1', options.beta1 ?? 0.6, { min: 0, max: 1, maxOpen: true });
    this.beta2 = checkNumber('FTML', 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1, maxOpen: true });
    this.epsilon = checkNumber('FTML', 'epsilon', options.epsilon ?? 1e-8, { min: 0 });
  }

  protected stateCount(): number {
    return 3; // d, v, z
  }

  protected step(weight: Float32Array, grad: Float32Array, [d, v, z]: Float32Array[], { lr, wd, rescale, clip, t }: UpdateContext): void {
    const { beta1, beta2, epsilon } = this;
    const [c1, c2] = [1 - beta1 ** t, 1 - beta2 ** t];
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i] + wd * weight[i], clip);
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const dt = (c1 / lr) * (Math.sqrt(v[i] / c2) + epsilon);
      z[i] = beta1 * z[i] + (1 - beta1) * g - (dt - beta1 * d[i]) * weight[i];
      d[i] = dt;
      weight[i] = -z[i] / dt;
    }
  }
}
