import { checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** Options of `AdaDelta`. */
export interface AdaDeltaOptions extends OptimizerOptions {
  /** Decay of both accumulators, in [0, 1). Default 0.9. */
  rho?: number;
  /** Added under both square roots, > 0. Default 1e-5. */
  epsilon?: number;
}

/**
 * AdaDelta (Zeiler 2012), as MXNet 1.9's `AdaDelta`: no learning rate (MXNet's update ignores
 * it), weight decay outside the gradient. With g = clip(rescaleGrad · grad, clipGradient):
 *
 *     E[g²] ← ρ·E[g²] + (1 − ρ)·g²;   Δ = √(E[Δ²] + ε) / √(E[g²] + ε) · g
 *     E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²;   w ← w − Δ − wd·w
 *
 * @example const trainer = new gluon.Trainer(params, 'adadelta', { rho: 0.95 });
 */
export class AdaDelta extends Optimizer {
  readonly rho: number;
  readonly epsilon: number;

  constructor(options: AdaDeltaOptions = {}) {
    super('AdaDelta', options, 1, ['rho', 'epsilon']);
    const { rho = 0.9, epsilon = 1e-5 } = options;
    this.rho = checkNumber('AdaDelta', 'rho', rho, { min: 0, max: 1, maxOpen: true });
    this.epsilon = checkNumber('AdaDelta', 'epsilon', epsilon, { min: 0, minOpen: true });
  }

  protected stateCount(): number {
    return 2;
  }

  protected step(weight: Float32Array, grad: Float32Array, [accG, accDelta]: Float32Array[], { wd, rescale, clip }: UpdateContext): void {
    const { rho, epsilon } = this;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i], clip);
      const eg = rho * accG[i] + (1 - rho) * g * g;
      const delta = (Math.sqrt(accDelta[i] + epsilon) / Math.sqrt(eg + epsilon)) * g;
      accG[i] = eg;
      accDelta[i] = rho * accDelta[i] + (1 - rho) * delta * delta;
      weight[i] -= delta + wd * weight[i];
    }
  }
}
