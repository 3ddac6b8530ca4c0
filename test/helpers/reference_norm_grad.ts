/**
 * Independent float64 references for the normalization gradients: central finite differences of
 * a float64 forward, and that forward with *constant* statistics (BatchNorm on running
 * statistics), written with plain index arithmetic like reference_norm.ts.
 */
import { ReferenceNormSpec, groupAndAffineIndices } from './reference_norm';

/**
 * ∂/∂input_k[j] of L = Σ_i w_i·f(inputs)_i for every element of every input, by central
 * differences with `step` (f evaluated in float64, so the error is ~1e-9 relative).
 */
export function finiteDifferenceGradients(f: (...inputs: Float64Array[]) => ArrayLike<number>, inputs: readonly Float64Array[],
  w: ArrayLike<number>, step = 1e-6): Float64Array[] {
  const xs = inputs.map((input) => Float64Array.from(input));
  const loss = (): number => {
    const out = f(...xs);
    let total = 0;
    for (let i = 0; i < out.length; i++) total += out[i] * w[i];
    return total;
  };
  return xs.map((x) => {
    const grad = new Float64Array(x.length);
    for (let j = 0; j < x.length; j++) {
      const saved = x[j];
      x[j] = saved + step;
      const plus = loss();
      x[j] = saved - step;
      const minus = loss();
      x[j] = saved;
      grad[j] = (plus - minus) / (2 * step);
    }
    return grad;
  });
}

/**
 * out = (x − mean[g]) / sqrt(variance[g] + eps) · gamma[k] + beta[k] with the statistics given
 * (not computed from x): g enumerates the `keepAxes` indices row-major, k is the index along
 * `affineAxis`.
 */
export function referenceNormFixed(x: ArrayLike<number>, spec: ReferenceNormSpec, mean: ArrayLike<number>, variance: ArrayLike<number>): Float64Array {
  const { shape, keepAxes, affineAxis, eps, gamma, beta } = spec;
  const out = new Float64Array(x.length);
  const { group, affine } = groupAndAffineIndices(shape, keepAxes, affineAxis);
  for (let f = 0; f < x.length; f++) {
    const g = group[f], k = affine[f];
    out[f] = ((x[f] - mean[g]) / Math.sqrt(variance[g] + eps)) * gamma[k] + beta[k];
  }
  return out;
}

export interface ReferenceNormGradients {
  dx: Float64Array;
  dgamma: Float64Array;
  dbeta: Float64Array;
}

/**
 * The analytic gradients of referenceNorm (statistics computed from x), in float64, for inputs
 * too large for finite differences. Per group g of n elements, with x̂ = (x − mean)/sqrt(var + eps)
 * and γ = gamma[k] of each element:
 *   dx = (γ·dy − Σ γ·dy / n − x̂·Σ γ·dy·x̂ / n) / sqrt(var + eps),  dgamma[k] = Σ dy·x̂,  dbeta[k] = Σ dy.
 */
export function referenceNormGradients(x: ArrayLike<number>, dy: ArrayLike<number>, spec: ReferenceNormSpec): ReferenceNormGradients {
  const { shape, keepAxes, affineAxis, eps, gamma } = spec;
  const groups = keepAxes.reduce((a, axis) => a * shape[axis], 1);
  const n = x.length / groups;
  const mean = new Float64Array(groups), variance = new Float64Array(groups);
  const { group: groupOf, affine: affineOf } = groupAndAffineIndices(shape, keepAxes, affineAxis);
  for (let f = 0; f < x.length; f++) mean[groupOf[f]] += x[f] / n;
  for (let f = 0; f < x.length; f++) variance[groupOf[f]] += (x[f] - mean[groupOf[f]]) ** 2 / n;
  const xHat = (f: number) => (x[f] - mean[groupOf[f]]) / Math.sqrt(variance[groupOf[f]] + eps);
  const meanGDy = new Float64Array(groups), meanGDyX = new Float64Array(groups);
  const dgamma = new Float64Array(gamma.length), dbeta = new Float64Array(gamma.length);
  for (let f = 0; f < x.length; f++) {
    const g = groupOf[f], k = affineOf[f];
    meanGDy[g] += gamma[k] * dy[f] / n;
    meanGDyX[g] += gamma[k] * dy[f] * xHat(f) / n;
    dgamma[k] += dy[f] * xHat(f);
    dbeta[k] += dy[f];
  }
  const dx = new Float64Array(x.length);
  for (let f = 0; f < x.length; f++) {
    const g = groupOf[f];
    dx[f] = (gamma[affineOf[f]] * dy[f] - meanGDy[g] - xHat(f) * meanGDyX[g]) / Math.sqrt(variance[g] + eps);
  }
  return { dx, dgamma, dbeta };
}
