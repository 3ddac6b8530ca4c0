import { normal01 } from '../../random';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/**
 * Stochastic Gradient Langevin Dynamics (Welling & Teh 2011), as MXNet 1.9's `SGLD`: half a
 * gradient step plus Gaussian noise of variance lr, drawn from the seeded generator
 * (`random.seed`); default learning rate 0.01. With g = clip(rescaleGrad · grad, clipGradient):
 *
 *     w ← w − lr/2 · (g + wd·w) + N(0, lr)
 *
 * @example const trainer = new gluon.Trainer(params, 'sgld', { learningRate: 1e-4 });
 */
export class SGLD extends Optimizer {
  constructor(options: OptimizerOptions = {}) {
    super('SGLD', options, 0.01, []);
  }

  protected stateCount(): number {
    return 0;
  }

  protected step(weight: Float32Array, grad: Float32Array, _state: Float32Array[], { lr, wd, rescale, clip }: UpdateContext): void {
    const sd = Math.sqrt(lr);
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i], clip);
      // Two roundings, as MXNet's two in-place additions.
      weight[i] += (-lr / 2) * (g + wd * weight[i]);
      weight[i] += sd * normal01();
    }
  }
}
