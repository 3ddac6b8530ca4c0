import { checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** Options of `AdaGrad`. */
export interface AdaGradOptions extends OptimizerOptions {
  /** Added to the accumulated squares under the root, > 0. Default 1e-7 (MXNet's `eps`). */
  epsilon?: number;
}

/**
 * AdaGrad, as MXNet 1.9's `AdaGrad` (dense path). Default learning rate 0.01. With
 * g = clip(rescaleGrad · grad, clipGradient) (the weight decay is not clipped):
 *
 *     h ← h + g²;   w ← w − lr·(g / √(h + ε) + wd·w)
 *
 * @example
 * const trainer = new gluon.Trainer(params, 'adagrad', { learningRate: 0.1 });
 */
export class AdaGrad extends Optimizer {
  readonly epsilon: number;

  constructor(options: AdaGradOptions = {}) {
    super('AdaGrad', options, 0.01, ['epsilon']);
    const { epsilon = 1e-7 } = options;
    this.epsilon = checkNumber('AdaGrad', 'epsilon', epsilon, { min: 0, minOpen: true });
  }

  protected stateCount(): number {
    return 1;
  }

  protected step(weight: Float32Array, grad: Float32Array, [history]: Float32Array[], context: UpdateContext): void {
    const { lr, wd, rescale, clip } = context;
    const epsilon = this.epsilon;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i], clip);
      const h = history[i] + g * g;
      history[i] = h;
      weight[i] -= lr * (g / Math.sqrt(h + epsilon) + wd * weight[i]);
    }
  }
}
