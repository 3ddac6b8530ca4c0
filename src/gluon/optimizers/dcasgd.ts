import { checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** Options of `DCASGD`. */
export interface DCASGDOptions extends OptimizerOptions {
  /** In [0, 1]. Default 0 (no momentum state). */
  momentum?: number;
  /** The delay-compensation scale λ. Default 0.04. */
  lamda?: number;
}

/**
 * Delay-compensated asynchronous SGD (Zheng et al. 2017), as MXNet 1.9's `DCASGD`; default
 * learning rate 0.01. It keeps the previous weight w′ (the weight itself before the first
 * update). With g = clip(rescaleGrad · grad, clipGradient):
 *
 *     Δ = −lr·(g + wd·w + λ·g²·(w − w′))
 *     m ← momentum·m + Δ   (m = Δ without momentum);   w′ ← w;   w ← w + m
 *
 * @example const trainer = new gluon.Trainer(params, 'dcasgd', { learningRate: 0.1, momentum: 0.9 });
 */
export class DCASGD extends Optimizer {
  readonly momentum: number;
  readonly lamda: number;

  constructor(options: DCASGDOptions = {}) {
    super('DCASGD', options, 0.01, ['momentum', 'lamda']);
    this.momentum = checkNumber('DCASGD', 'momentum', options.momentum ?? 0, { min: 0, max: 1 });
    this.lamda = checkNumber('DCASGD', 'lamda', options.lamda ?? 0.04);
  }

  protected stateCount(): number {
    return this.momentum > 0 ? 2 : 1; // [momentum,] previous weight
  }

  protected override initState(state: Float32Array[], weight: Float32Array): void {
    state[state.length - 1].set(weight);
  }

  protected step(weight: Float32Array, grad: Float32Array, state: Float32Array[], { lr, wd, rescale, clip }: UpdateContext): void {
    const previous = state[state.length - 1];
    const mom = state.length === 2 ? state[0] : undefined;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i], clip);
      const delta = -lr * (g + wd * weight[i] + this.lamda * g * g * (weight[i] - previous[i]));
      const m = mom === undefined ? delta : (mom[i] = this.momentum * mom[i] + delta);
      previous[i] = weight[i];
      weight[i] += m;
    }
  }
}
