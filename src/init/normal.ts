import { fillNormal } from '../random';
import { checkNumberIn } from '../core/checks';
import { Initializer } from './initializer';

/**
 * Fills with draws from N(0, sigma²) (Gluon's `Normal`, registered as `'normal'`), from the
 * global seeded generator.
 *
 * @param sigma the standard deviation, default 0.01; must be ≥ 0.
 * @example
 * new init.Normal(0.02).initialize('conv0_weight', [8, 3, 3, 3]).shape; // [8, 3, 3, 3]
 */
export class Normal extends Initializer {
  readonly sigma: number;

  constructor(sigma = 0.01) {
    super('normal', { sigma: checkNumberIn('init.Normal', 'sigma', sigma, { min: 0 }) });
    this.sigma = sigma;
  }

  protected override fill(_paramName: string, _shape: readonly number[], out: Float32Array): void {
    fillNormal(out, 0, this.sigma);
  }
}
