import { SGD, SGDOptions } from './sgd';
import { UpdateContext, clipTo } from './optimizer';

/** Options of `NAG`: those of `SGD` but `lazyUpdate`, as MXNet's. */
export type NAGOptions = Omit<SGDOptions, 'lazyUpdate'>;

/**
 * Nesterov accelerated gradient: MXNet 1.9's `NAG` (`nag_mom_update`; without momentum it is
 * plain SGD). Default learning rate 0.01. With G = clip(rescaleGrad · grad, clipGradient) + wd·w:
 *
 *     m ← momentum·m − lr·G;   w ← w + momentum·m − lr·G
 *
 * which is PyTorch's `SGD(momentum, nesterov=True)` for a constant learning rate.
 *
 * @example
 * const trainer = new gluon.Trainer(params, 'nag', { learningRate: 0.1, momentum: 0.9 });
 */
export class NAG extends SGD {
  protected static override readonly optionKeys: readonly string[] = ['momentum'];

  constructor(options: NAGOptions = {}) {
    super(options);
  }

  protected override momentumStep(weight: Float32Array, grad: Float32Array, mom: Float32Array, context: UpdateContext): void {
    const { lr, wd, rescale, clip } = context;
    const mu = this.momentum;
    for (let i = 0; i < weight.length; i++) {
      const step = lr * (clipTo(rescale * grad[i], clip) + wd * weight[i]);
      const m = mu * mom[i] - step;
      mom[i] = m;
      weight[i] += mu * m - step;
    }
  }
}
