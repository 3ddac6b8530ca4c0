import { fillUniform } from '../random';
import { checkNumberIn } from '../core/checks';
import { Initializer } from './initializer';

/**
 * Fills with draws from U(−scale, scale) (Gluon's `Uniform`, registered as `'uniform'`; also
 * Gluon's default for parameters without an initializer), from the global seeded generator.
 *
 * @param scale the bound, default 0.07; must be ≥ 0.
 * @example
 * new init.Uniform(0.1).initialize('dense0_weight', [4, 3]); // values in [-0.1, 0.1)
 */
export class Uniform extends Initializer {
  readonly scale: number;

  constructor(scale = 0.07) {
    super('uniform', { scale: checkNumberIn('init.Uniform', 'scale', scale, { min: 0 }) });
    this.scale = scale;
  }

  protected override fill(_paramName: string, _shape: readonly number[], out: Float32Array): void {
    fillUniform(out, -this.scale, this.scale);
  }
}
