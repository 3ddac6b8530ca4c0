import { checkBoolean, checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** Options of `RMSProp`. */
export interface RMSPropOptions extends OptimizerOptions {
  /** Decay of the mean squared gradient, in [0, 1). Default 0.9. */
  gamma1?: number;
  /** The momentum of the centered version, in [0, 1). Default 0.9; unused unless `centered`. */
  gamma2?: number;
  /** Added under the square root, ≥ 0. Default 1e-8. */
  epsilon?: number;
  /** Graves' centered version (subtracts the squared mean gradient). Default false. */
  centered?: boolean;
  /** If set (> 0), weights are clipped to [−clipWeights, clipWeights] after each update. */
  clipWeights?: number;
}

/**
 * RMSProp, as MXNet 1.9's `RMSProp` (`rmsprop_update` / `rmspropalex_update`). Default learning
 * rate 0.001. With g = clip(rescaleGrad · grad + wd · w, clipGradient):
 *
 *     not centered (Tieleman & Hinton):  n ← (1 − γ1)·g² + γ1·n;   w ← w − lr·g / √(n + ε)
 *     centered (Graves 2013):            n ← (1 − γ1)·g² + γ1·n;   ḡ ← (1 − γ1)·g + γ1·ḡ
 *                                        δ ← γ2·δ − lr·g / √(n − ḡ² + ε);   w ← w + δ
 *
 * then w is clipped to ±clipWeights if set. Note ε sits under the square root (PyTorch's RMSprop
 * adds it outside).
 *
 * @example
 * const trainer = new gluon.Trainer(params, 'rmsprop', { learningRate: 1e-3, centered: true });
 */
export class RMSProp extends Optimizer {
  readonly gamma1: number;
  readonly gamma2: number;
  readonly epsilon: number;
  readonly centered: boolean;
  readonly clipWeights: number;

  constructor(options: RMSPropOptions = {}) {
    super('RMSProp', options, 0.001, ['gamma1', 'gamma2', 'epsilon', 'centered', 'clipWeights']);
    const { gamma1 = 0.9, gamma2 = 0.9, epsilon = 1e-8, centered = false, clipWeights } = options;
    this.gamma1 = checkNumber('RMSProp', 'gamma1', gamma1, { min: 0, max: 1, maxOpen: true });
    this.gamma2 = checkNumber('RMSProp', 'gamma2', gamma2, { min: 0, max: 1, maxOpen: true });
    this.epsilon = checkNumber('RMSProp', 'epsilon', epsilon, { min: 0 });
    this.centered = checkBoolean('RMSProp', 'centered', centered);
    this.clipWeights = clipWeights === undefined ? Infinity : checkNumber('RMSProp', 'clipWeights', clipWeights, { min: 0, minOpen: true });
  }

  protected stateCount(): number {
    return this.centered ? 3 : 1;
  }

  protected step(weight: Float32Array, grad: Float32Array, state: Float32Array[], context: UpdateContext): void {
    if (this.centered) this.centeredStep(weight, grad, state, context);
    else this.plainStep(weight, grad, state[0], context);
  }

  private plainStep(weight: Float32Array, grad: Float32Array, meanSquare: Float32Array, context: UpdateContext): void {
    const { lr, wd, rescale, clip } = context;
    const { gamma1, epsilon, clipWeights } = this;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i] + wd * weight[i], clip);
      const n = (1 - gamma1) * g * g + gamma1 * meanSquare[i];
      meanSquare[i] = n;
      weight[i] = clipTo(weight[i] - (lr * g) / Math.sqrt(n + epsilon), clipWeights);
    }
  }

  private centeredStep(weight: Float32Array, grad: Float32Array, [meanSquare, meanGrad, delta]: Float32Array[], context: UpdateContext): void {
    const { lr, wd, rescale, clip } = context;
    const { gamma1, gamma2, epsilon, clipWeights } = this;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * grad[i] + wd * weight[i], clip);
      const n = (1 - gamma1) * g * g + gamma1 * meanSquare[i];
      const gBar = (1 - gamma1) * g + gamma1 * meanGrad[i];
      const d = gamma2 * delta[i] - (lr * g) / Math.sqrt(n - gBar * gBar + epsilon);
      meanSquare[i] = n;
      meanGrad[i] = gBar;
      delta[i] = d;
      weight[i] = clipTo(weight[i] + d, clipWeights);
    }
  }
}
