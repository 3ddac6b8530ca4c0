import { GluonError } from '../core/errors';
import { shapeSize } from '../core/shape';
import { fillNormal, fillUniform } from '../random';
import { checkChoice, checkNumberIn, checkOptionsObject, optionKeys } from '../core/checks';
import { Initializer } from './initializer';
import { orthonormalFactor } from './svd';

/** Orthogonal's draws: U(−1, 1) or N(0, 1). */
export type OrthogonalRandomType = 'uniform' | 'normal';

export const ORTHOGONAL_RANDOM_TYPES: readonly OrthogonalRandomType[] = ['uniform', 'normal'];

/** Options of `init.Orthogonal` (Gluon's `scale`, `rand_type`). */
export interface OrthogonalOptions {
  /** The factor the orthonormal matrix is multiplied by, default 1.414 (≈ √2, for ReLU). */
  scale?: number;
  /** `'uniform'` (default) draws U(−1, 1), `'normal'` draws N(0, 1) before the SVD. */
  randType?: OrthogonalRandomType;
}

const ORTHOGONAL_OPTIONS = optionKeys<OrthogonalOptions>({ scale: true, randType: true });

/**
 * Orthogonal initialization (Saxe et al. 2013; Gluon's `Orthogonal`, registered as
 * `'orthogonal'`). A parameter of shape (rows, *rest) is viewed as a rows × cols matrix,
 * cols = prod(rest); a matrix A of that shape is drawn, and with the reduced SVD A = U·S·Vᵀ the
 * value is `scale · U` when U is rows × cols (rows ≥ cols: WᵀW = scale²·I), else `scale · Vᵀ`
 * (rows < cols: WWᵀ = scale²·I), as MXNet. A 1-d parameter is a single column.
 *
 * Cost: the SVD takes O(min(rows, cols)² · max(rows, cols)) per Jacobi sweep.
 *
 * @example
 * new init.Orthogonal({ scale: 1 }).initialize('dense0_weight', [3, 5]); // rows orthonormal
 */
export class Orthogonal extends Initializer {
  readonly scale: number;
  readonly randType: OrthogonalRandomType;

  constructor(options: OrthogonalOptions = {}) {
    const who = 'init.Orthogonal';
    const { scale = 1.414, randType = 'uniform' } = checkOptionsObject(who, options, ORTHOGONAL_OPTIONS);
    const checkedScale = checkNumberIn(who, 'scale', scale);
    const checkedRandType = checkChoice(who, 'randType', randType, ORTHOGONAL_RANDOM_TYPES);
    super('orthogonal', { scale: checkedScale, rand_type: checkedRandType });
    this.scale = checkedScale;
    this.randType = checkedRandType;
  }

  protected override fill(paramName: string, shape: readonly number[], out: Float32Array): void {
    if (shape.length === 0) {
      throw new GluonError(`init.Orthogonal: cannot initialize parameter '${paramName}': expected at least 1 dimension, but got shape ()`);
    }
    const rows = shape[0];
    const cols = shapeSize(shape.slice(1));
    const draws = new Float64Array(rows * cols);
    if (this.randType === 'uniform') fillUniform(draws, -1, 1);
    else fillNormal(draws, 0, 1);
    const factor = orthonormalFactor(draws, rows, cols);
    for (let i = 0; i < out.length; i++) out[i] = this.scale * factor[i];
  }
}
