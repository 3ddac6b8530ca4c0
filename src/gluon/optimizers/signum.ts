import { checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** Options of `Signum`. */
export interface SignumOptions extends OptimizerOptions {
  /** In [0, 1); 0 is signSGD (no state). Default 0.9. */
  momentum?: number;
  /** Decoupled weight decay (Loshchilov & Hutter), ≥ 0 (MXNet's wd_lh). Default 0. */
  wdLh?: number;
}

/**
 * Signum (Bernstein et al. 2018), as MXNet 1.9's `Signum` (`signum_update`, or `signsgd_update`
 * without momentum); default learning rate 0.01. With g = clip(rescaleGrad · grad, clipGradient):
 *
 *     momentum > 0:  m ← μ·m − (1 − μ)·(wd·w + g);   w ← (1 − lr·wdLh)·w + lr·sign(m)
 *     momentum = 0:  w ← (1 − lr·wd)·w − lr·sign(g)
 *
 * @example const trainer = new gluon.Trainer(params, 'signum', { learningRate: 1e-3, momentum: 0.9 });
 */
export class Signum extends Optimizer {
  readonly momentum: number;
  readonly wdLh: number;

  constructor(options: SignumOptions = {}) {
    super('Signum', options, 0.01, ['momentum', 'wdLh']);
    this.momentum = checkNumber('Signum', 'momentum', options.momentum ?? 0.9, { min: 0, max: 1, maxOpen: true });
    this.wdLh = checkNumber('Signum', 'wdLh', options.wdLh ?? 0, { min: 0 });
  }

  protected stateCount(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  protected step(weight: Float32Array, grad: Float32Array, [mom]: Float32Array[], { lr, wd, rescale, clip }: UpdateContext): void {
    const { momentum, wdLh } = this;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i], clip);
      if (momentum === 0) {
        weight[i] = (1 - lr * wd) * weight[i] - lr * Math.sign(g);
        continue;
      }
      mom[i] = momentum * mom[i] - (1 - momentum) * (wd * weight[i] + g);
      weight[i] = (1 - lr * wdLh) * weight[i] + lr * Math.sign(mom[i]);
    }
  }
}
