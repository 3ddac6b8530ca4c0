import { checkChoice } from '../../core/checks';
import { checkNumber } from '../checks';
import { Optimizer, OptimizerOptions, UpdateContext, clipTo } from './optimizer';

/** How LBSGD's learning-rate multiplier grows during warm-up. */
export type WarmupStrategy = 'linear' | 'power2' | 'sqrt' | 'lars';

/** Options of `LBSGD`. */
export interface LBSGDOptions extends OptimizerOptions {
  /** In [0, 1]. Default 0. */
  momentum?: number;
  /** Default 'linear'; 'lars' uses the layer's trust ratio instead of a schedule. */
  warmupStrategy?: WarmupStrategy;
  /** Default 5. */
  warmupEpochs?: number;
  /** Gradients of this many calls are averaged into one update (the large batch). Default 1. */
  batchScale?: number;
  /** Updates per epoch, for the warm-up length. Default 32. */
  updatesPerEpoch?: number;
  /** The epoch to start from. Default 0. */
  beginEpoch?: number;
  /** Accepted for MXNet's signature; unused there too. Default 60. */
  numEpochs?: number;
}

/**
 * Large-batch SGD, as MXNet 1.9's `LBSGD`; default learning rate 0.01. Gradients are summed over
 * `batchScale` calls; on the call that completes a large batch (n = beginEpoch·updatesPerEpoch +
 * the update count, n divisible by batchScale) the average ḡ = Σgrad / batchScale updates the
 * weight by SGD (see `SGD`, with rescaling and clipping) at lr · mult, and the sum restarts;
 * other calls change nothing. With W = warmupEpochs · updatesPerEpoch and B = batchScale:
 *
 *     mult = B once n ≥ W (1 if W ≤ 1); before: 1 + (B − 1)·n/W ('linear'), ·(n/W)² ('power2'),
 *            ·√(n/W) ('sqrt');  'lars': clip(√(‖w‖² / (‖ḡ‖² + wd·‖w‖² + 1e-18)), 0.01, 100)
 *
 * @example const trainer = new gluon.Trainer(params, 'lbsgd', { learningRate: 0.1, momentum: 0.9, batchScale: 4 });
 */
export class LBSGD extends Optimizer {
  readonly momentum: number;
  readonly warmupStrategy: WarmupStrategy;
  readonly warmupEpochs: number;
  readonly batchScale: number;
  readonly updatesPerEpoch: number;
  readonly beginEpoch: number;
  readonly numEpochs: number;

  constructor(options: LBSGDOptions = {}) {
    super('LBSGD', options, 0.01, ['momentum', 'warmupStrategy', 'warmupEpochs', 'batchScale', 'updatesPerEpoch', 'beginEpoch', 'numEpochs']);
    this.momentum = checkNumber('LBSGD', 'momentum', options.momentum ?? 0, { min: 0, max: 1 });
    this.warmupStrategy = checkChoice('LBSGD', 'warmupStrategy', options.warmupStrategy ?? 'linear', ['linear', 'power2', 'sqrt', 'lars'] as const);
    this.warmupEpochs = checkNumber('LBSGD', 'warmupEpochs', options.warmupEpochs ?? 5, { integer: true, min: 0 });
    this.batchScale = checkNumber('LBSGD', 'batchScale', options.batchScale ?? 1, { integer: true, min: 1 });
    this.updatesPerEpoch = checkNumber('LBSGD', 'updatesPerEpoch', options.updatesPerEpoch ?? 32, { integer: true, min: 1 });
    this.beginEpoch = checkNumber('LBSGD', 'beginEpoch', options.beginEpoch ?? 0, { integer: true, min: 0 });
    this.numEpochs = checkNumber('LBSGD', 'numEpochs', options.numEpochs ?? 60, { integer: true, min: 0 });
  }

  protected stateCount(): number {
    return this.momentum > 0 ? 2 : 1; // [momentum,] gradient sum
  }

  protected step(weight: Float32Array, grad: Float32Array, state: Float32Array[], context: UpdateContext): void {
    const sum = state[state.length - 1];
    for (let i = 0; i < grad.length; i++) sum[i] += grad[i];
    const n = this.beginEpoch * this.updatesPerEpoch + context.t - this.beginNumUpdate;
    if (n % this.batchScale !== 0) return;
    const average = Float32Array.from(sum, (v) => v / this.batchScale);
    sum.fill(0);
    const mult = this.warmupStrategy === 'lars' ? this.trustRatio(weight, average, context.wd) : this.warmupMultiplier(n);
    const { wd, rescale, clip } = context;
    const lr = context.lr * mult;
    const mom = state.length === 2 ? state[0] : undefined;
    for (let i = 0; i < weight.length; i++) {
      const g = clipTo(rescale * average[i], clip);
      if (mom === undefined) {
        weight[i] = (1 - lr * wd) * weight[i] - lr * g;
      } else {
        mom[i] = this.momentum * mom[i] - lr * wd * weight[i] - lr * g;
        weight[i] += mom[i];
      }
    }
  }

  private warmupMultiplier(n: number): number {
    const warmup = this.warmupEpochs * this.updatesPerEpoch;
    const most = this.batchScale;
    if (n >= warmup) return most;
    if (warmup <= 1) return 1;
    const progress = n / warmup;
    if (this.warmupStrategy === 'linear') return 1 + (most - 1) * progress;
    if (this.warmupStrategy === 'power2') return 1 + (most - 1) * progress * progress;
    return 1 + (most - 1) * Math.sqrt(progress);
  }

  private trustRatio(weight: Float32Array, grad: Float32Array, wd: number): number {
    let [w2, g2] = [0, 0];
    for (let i = 0; i < weight.length; i++) {
      w2 += weight[i] * weight[i];
      g2 += grad[i] * grad[i];
    }
    return Math.min(100, Math.max(0.01, Math.sqrt(w2 / (g2 + wd * w2 + 1e-18))));
  }
}
