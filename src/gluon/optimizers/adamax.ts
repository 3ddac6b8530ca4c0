import { Optimizer, UpdateContext, clipTo } from './optimizer';
import { AdamMomentOptions, adamHyperParameters } from './adam';
import { checkNumber } from '../checks';

/** Options of `Adamax`. */
export type AdamaxOptions = Omit<AdamMomentOptions, 'epsilon'>;

/**
 * AdaMax (Kingma & Ba 2015, §7), as MXNet 1.9's `Adamax`; default learning rate 0.002. With
 * g = clip(rescaleGrad · grad + wd · w, clipGradient):
 *
 *     m ← β1·m + (1 − β1)·g;   u ← max(β2·u, |g|);   w ← w − lr/(1 − β1ᵗ) · m / u
 *
 * Where u is 0 (every gradient so far was 0), m is 0 too and the step is 0; MXNet divides 0 by 0
 * there and writes NaN into the weight.
 *
 * @example const trainer = new gluon.Trainer(params, 'adamax');
 */
export class Adamax extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;

  constructor(options: AdamaxOptions = {}) {
    super('Adamax', options, 0.002, ['beta1', 'beta2']);
    ({ beta1: this.beta1, beta2: this.beta2 } = adamHyperParameters('Adamax', options));
  }

  protected stateCount(): number {
    return 2;
  }

  protected step(weight: Float32Array, grad: Float32Array, [m, u]: Float32Array[], { lr, wd, rescale, clip, t }: UpdateContext): void {
    const { beta1, beta2 } = this;
    const stepSize = lr / (1 - beta1 ** t);
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i] + wd * weight[i], clip);
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      u[i] = Math.max(beta2 * u[i], Math.abs(g));
      if (u[i] !== 0) weight[i] -= (stepSize * m[i]) / u[i];
    }
  }
}

/** Options of `Nadam`. */
export interface NadamOptions extends AdamMomentOptions {
  /** Decay of the momentum schedule, ≥ 0. Default 0.004. */
  scheduleDecay?: number;
}

/**
 * Nadam (Dozat 2016: Adam with Nesterov momentum), as MXNet 1.9's `Nadam`; default learning rate
 * 0.001. With g = clip(rescaleGrad · grad + wd · w, clipGradient), μₜ = β1·(1 − ½·0.96^(t·sd)) and
 * Mₜ = μ₁·…·μₜ:
 *
 *     m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²
 *     m̄ = (1 − μₜ)·g/(1 − Mₜ) + μₜ₊₁·m/(1 − Mₜ·μₜ₊₁);   w ← w − lr·m̄ / (√(v/(1 − β2ᵗ)) + ε)
 *
 * Mₜ is each parameter's own product of its t steps; MXNet keeps one product for the whole
 * optimizer and multiplies it at every parameter's update, so with several parameters its
 * schedule runs faster than the paper's — the same with one.
 *
 * @example const trainer = new gluon.Trainer(params, 'nadam', { learningRate: 2e-3 });
 */
export class Nadam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly scheduleDecay: number;
  /** Mₜ for t = 0, 1, …: depends on t only, so it is recomputed, not saved. */
  private readonly schedule: number[] = [1];

  constructor(options: NadamOptions = {}) {
    super('Nadam', options, 0.001, ['beta1', 'beta2', 'epsilon', 'scheduleDecay']);
    ({ beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon } = adamHyperParameters('Nadam', options));
    this.scheduleDecay = checkNumber('Nadam', 'scheduleDecay', options.scheduleDecay ?? 0.004, { min: 0 });
  }

  private momentum(t: number): number {
    return this.beta1 * (1 - 0.5 * 0.96 ** (t * this.scheduleDecay));
  }

  private scheduleAt(t: number): number {
    while (this.schedule.length <= t) this.schedule.push(this.schedule[this.schedule.length - 1] * this.momentum(this.schedule.length));
    return this.schedule[t];
  }

  protected stateCount(): number {
    return 2;
  }

  protected step(weight: Float32Array, grad: Float32Array, [m, v]: Float32Array[], { lr, wd, rescale, clip, t }: UpdateContext): void {
    const { beta1, beta2, epsilon } = this;
    const [mu, muNext, schedule] = [this.momentum(t), this.momentum(t + 1), this.scheduleAt(t)];
    const scheduleNext = schedule * muNext;
    const vCorrection = 1 - beta2 ** t;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i] + wd * weight[i], clip);
      m[i] = beta1 * m[i] + (1 - beta1) * g;
      v[i] = beta2 * v[i] + (1 - beta2) * g * g;
      const mBar = ((1 - mu) * g) / (1 - schedule) + (muNext * m[i]) / (1 - scheduleNext);
      weight[i] -= (lr * mBar) / (Math.sqrt(v[i] / vCorrection) + epsilon);
    }
  }
}
