import { checkBoolean, checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** Options of `SGD` and `NAG`. */
export interface SGDOptions extends OptimizerOptions {
  /** The momentum, in [0, 1]. Default 0 (plain SGD, no state). */
  momentum?: number;
  /**
   * MXNet's `lazy_update`: with row-sparse gradients, update only the rows that have one.
   * Accepted so that MXNet code ports unchanged; tsgluon's gradients are dense, where MXNet's lazy
   * and standard updates are the same. Default true.
   */
  lazyUpdate?: boolean;
}

/**
 * Stochastic gradient descent with momentum and weight decay: MXNet 1.9's `SGD`
 * (`sgd_update` / `sgd_mom_update` kernels). Default learning rate 0.01.
 *
 * With g = clip(rescaleGrad · grad, clipGradient) (clipping before the decay term is added):
 *
 *     momentum = 0:  w ← (1 − lr·wd)·w − lr·g
 *     momentum > 0:  m ← momentum·m − lr·wd·w − lr·g;   w ← w + m
 *
 * For a constant learning rate this is PyTorch's `SGD(momentum, weight_decay)` (its buffer is
 * −m/lr) — except that PyTorch clips nothing and applies no rescaling.
 *
 * @example
 * const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.1, momentum: 0.9, wd: 1e-4 });
 */
export class SGD extends Optimizer {
  /** The options a subclass takes beyond the base ones (MXNet's NAG has no `lazy_update`). */
  protected static readonly optionKeys: readonly string[] = ['momentum', 'lazyUpdate'];
  readonly momentum: number;
  /** See SGDOptions.lazyUpdate. */
  readonly lazyUpdate: boolean;

  constructor(options: SGDOptions = {}) {
    super(new.target.name, options, 0.01, (new.target as typeof SGD).optionKeys);
    const { momentum = 0, lazyUpdate = true } = options;
    this.momentum = checkNumber(new.target.name, 'momentum', momentum, { min: 0, max: 1 });
    this.lazyUpdate = checkBoolean(new.target.name, 'lazyUpdate', lazyUpdate);
  }

  protected stateCount(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  protected step(weight: Float32Array, grad: Float32Array, state: Float32Array[], context: UpdateContext): void {
    if (state.length === 0) plainStep(weight, grad, context);
    else this.momentumStep(weight, grad, state[0], context);
  }

  /** `m ← μm − lr·wd·w − lr·g; w ← w + m` (μ: the momentum, unless a subclass corrects it). */
  protected momentumStep(weight: Float32Array, grad: Float32Array, mom: Float32Array, context: UpdateContext, mu = this.momentum): void {
    const { lr, wd, rescale, clip } = context;
    for (let i = 0; i < weight.length; i++) {
      const m = mu * mom[i] - lr * wd * weight[i] - lr * clipTo(rescale * grad[i], clip);
      mom[i] = m;
      weight[i] += m;
    }
  }
}

/** `w ← (1 − lr·wd)·w − lr·clip(rescale·grad)`: SGD without momentum (MXNet's `sgd_update`). */
function plainStep(weight: Float32Array, grad: Float32Array, context: UpdateContext): void {
  const { lr, wd, rescale, clip } = context;
  const decay = 1 - lr * wd;
  for (let i = 0; i < weight.length; i++) weight[i] = decay * weight[i] - lr * clipTo(rescale * grad[i], clip);
}
