import { checkBoolean, checkNumber } from '../checks';
import { UpdateContext, l2Norm } from './optimizer';
import { SGD, SGDOptions } from './sgd';

/** Options of `LARS`: those of `SGD` and the trust ratio's. */
export interface LARSOptions extends SGDOptions {
  /** The trust coefficient η. Default 0.001. */
  eta?: number;
  /** Added to the denominator of the trust ratio. Default 0. */
  eps?: number;
  /** Scale the momentum by lrₜ/lrₜ₋₁ when a scheduler changes the rate. Default true. */
  momentumCorrection?: boolean;
}

/**
 * Layer-wise Adaptive Rate Scaling (You et al. 2017), as MXNet 1.9's `LARS`: SGD whose learning
 * rate is scaled per parameter by the trust ratio; default learning rate 0.01. For a parameter
 * whose name does not end in `gamma`, `beta` or `bias` (those keep lr):
 *
 *     lr′ = lr · η·‖w‖ / (‖rescaleGrad·grad‖ + wd·‖w‖ + eps)   (lr when either norm is 0)
 *
 * then SGD's update with lr′ (see `SGD`), the momentum multiplied by lrₜ/lrₜ₋₁ of the scheduled
 * rate when `momentumCorrection`: the ratio between this parameter's own consecutive updates
 * (MXNet keeps one previous rate per aggregation group of parameters updated together; the two
 * agree whenever every parameter is updated every step). The gradient's norm is taken after
 * rescaling, as MXNet's `multi_lars` (its unaggregated path rescales the gradient twice; tsgluon
 * follows the first).
 *
 * @example const trainer = new gluon.Trainer(params, 'lars', { learningRate: 1, momentum: 0.9, eta: 0.001 });
 */
export class LARS extends SGD {
  readonly eta: number;
  readonly eps: number;
  readonly momentumCorrection: boolean;
  /** The scheduled rate of each parameter's previous update, for the momentum correction. */
  private readonly lastLr = new WeakMap<Float32Array, number>();

  constructor(options: LARSOptions = {}) {
    const { eta, eps, momentumCorrection, ...sgdOptions } = options;
    super(sgdOptions);
    this.eta = checkNumber('LARS', 'eta', eta ?? 0.001, { min: 0 });
    this.eps = checkNumber('LARS', 'eps', eps ?? 0, { min: 0 });
    this.momentumCorrection = checkBoolean('LARS', 'momentumCorrection', momentumCorrection ?? true);
  }

  protected override step(weight: Float32Array, grad: Float32Array, state: Float32Array[], context: UpdateContext): void {
    const scaled = { ...context, lr: this.trustedLr(weight, grad, context) };
    if (state.length === 0) {
      super.step(weight, grad, state, scaled);
      return;
    }
    const previous = this.lastLr.get(state[0]) ?? context.lr;
    this.lastLr.set(state[0], context.lr);
    const correction = this.momentumCorrection && previous !== 0 ? context.lr / previous : 1;
    this.momentumStep(weight, grad, state[0], scaled, this.momentum * correction);
  }

  private trustedLr(weight: Float32Array, grad: Float32Array, { lr, wd, rescale, name }: UpdateContext): number {
    if (/(gamma|beta|bias)$/.test(name)) return lr;
    const [w, g] = [l2Norm(weight), l2Norm(grad, rescale)];
    return w > 0 && g > 0 ? (lr * this.eta * w) / (g + wd * w + this.eps) : lr;
  }
}
