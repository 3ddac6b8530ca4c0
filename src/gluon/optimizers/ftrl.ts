import { checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** Options of `Ftrl`. */
export interface FtrlOptions extends OptimizerOptions {
  /** The L1 coefficient λ1 (MXNet's spelling), ≥ 0. Default 0.01. */
  lamda1?: number;
  /** The per-coordinate rate's β, ≥ 0. Default 1. */
  beta?: number;
}

/**
 * FTRL-Proximal (McMahan et al. 2013), as MXNet 1.9's `Ftrl` (`ftrl_update`); default learning
 * rate 0.1. With g = clip(rescaleGrad · grad, clipGradient):
 *
 *     z ← z + g − (√(n + g²) − √n)·w/lr;   n ← n + g²
 *     w ← (sign(z)·λ1 − z) / ((β + √n)/lr + wd)  where |z| > λ1, else 0
 *
 * @example const trainer = new gluon.Trainer(params, 'ftrl', { lamda1: 0.01, learningRate: 0.1 });
 */
export class Ftrl extends Optimizer {
  readonly lamda1: number;
  readonly beta: number;

  constructor(options: FtrlOptions = {}) {
    super('Ftrl', options, 0.1, ['lamda1', 'beta']);
    this.lamda1 = checkNumber('Ftrl', 'lamda1', options.lamda1 ?? 0.01, { min: 0 });
    this.beta = checkNumber('Ftrl', 'beta', options.beta ?? 1, { min: 0 });
  }

  protected stateCount(): number {
    return 2;
  }

  protected step(weight: Float32Array, grad: Float32Array, [z, n]: Float32Array[], { lr, wd, rescale, clip }: UpdateContext): void {
    const { lamda1, beta } = this;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i], clip);
      const nNext = n[i] + g * g;
      z[i] += g - ((Math.sqrt(nNext) - Math.sqrt(n[i])) * weight[i]) / lr;
      n[i] = nNext;
      weight[i] = Math.abs(z[i]) > lamda1 ? (Math.sign(z[i]) * lamda1 - z[i]) / ((beta + Math.sqrt(nNext)) / lr + wd) : 0;
    }
  }
}
