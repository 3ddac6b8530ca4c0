import { checkBoolean, checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo, l2Norm } from './optimizer';

/** Options of `LAMB`. */
export interface LAMBOptions extends OptimizerOptions {
  /** In [0, 1). Default 0.9. */
  beta1?: number;
  /** In [0, 1). Default 0.999. */
  beta2?: number;
  /** Default 1e-6. */
  epsilon?: number;
  /** ‖w‖ is raised to at least this. Default: no bound. */
  lowerBound?: number;
  /** ‖w‖ is lowered to at most this. Default: no bound. */
  upperBound?: number;
  /** Divide the moments by 1 − βᵗ. Default true. */
  biasCorrection?: boolean;
}

/**
 * Layer-wise Adaptive Moments for Batch training (You et al. 2019), as MXNet 1.9's `LAMB`
 * (`lamb_update_phase1`, `lamb_update_phase2`); default learning rate 0.001. With
 * g = clip(rescaleGrad · grad, clipGradient) and step t:
 *
 *     m ← β₁·m + (1 − β₁)·g;   v ← β₂·v + (1 − β₂)·g²
 *     u = m̂ / (√v̂ + ε) + wd·w      (m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ) with biasCorrection; else m, v)
 *     r₁ = ‖w‖ (bounded by lowerBound, upperBound), r₂ = ‖u‖
 *     w ← w − lr · (r₁/r₂) · u      (ratio 1 when r₁ or r₂ is 0)
 *
 * The norms are over the whole parameter, in float64.
 *
 * @example const trainer = new gluon.Trainer(params, 'lamb', { learningRate: 1e-3, wd: 0.01 });
 */
export class LAMB extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly lowerBound: number | undefined;
  readonly upperBound: number | undefined;
  readonly biasCorrection: boolean;

  constructor(options: LAMBOptions = {}) {
    super('LAMB', options, 0.001, ['beta1', 'beta2', 'epsilon', 'lowerBound', 'upperBound', 'biasCorrection']);
    this.beta1 = checkNumber('LAMB', 'beta1', options.beta1 ?? 0.9, { min: 0, max: 1, maxOpen: true });
    this.beta2 = checkNumber('LAMB', 'beta2', options.beta2 ?? 0.999, { min: 0, max: 1, maxOpen: true });
    this.epsilon = checkNumber('LAMB', 'epsilon', options.epsilon ?? 1e-6, { min: 0 });
    this.lowerBound = options.lowerBound === undefined ? undefined : checkNumber('LAMB', 'lowerBound', options.lowerBound, { min: 0 });
    this.upperBound = options.upperBound === undefined ? undefined : checkNumber('LAMB', 'upperBound', options.upperBound, { min: 0 });
    this.biasCorrection = checkBoolean('LAMB', 'biasCorrection', options.biasCorrection ?? true);
  }

  protected stateCount(): number {
    return 2; // mean, variance
  }

  protected step(weight: Float32Array, grad: Float32Array, [mean, variance]: Float32Array[], { lr, wd, rescale, clip, t }: UpdateContext): void {
    const { beta1, beta2, epsilon } = this;
    const [c1, c2] = this.biasCorrection ? [1 - beta1 ** t, 1 - beta2 ** t] : [1, 1];
    // Phase 1 writes u as float32, as MXNet's kernel returns it.
    const u = new Float32Array(weight.length);
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i], clip);
      mean[i] = beta1 * mean[i] + (1 - beta1) * g;
      variance[i] = beta2 * variance[i] + (1 - beta2) * g * g;
      u[i] = mean[i] / c1 / (Math.sqrt(variance[i] / c2) + epsilon) + wd * weight[i];
    }
    let r1 = l2Norm(weight);
    if (this.lowerBound !== undefined) r1 = Math.max(r1, this.lowerBound);
    if (this.upperBound !== undefined) r1 = Math.min(r1, this.upperBound);
    const r2 = l2Norm(u);
    const ratio = r1 === 0 || r2 === 0 ? 1 : r1 / r2;
    for (let i = 0; i < weight.length; i++) weight[i] -= lr * ratio * u[i];
  }
}
