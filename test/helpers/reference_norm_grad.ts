/**
 * Independent float64 references for the normalization gradients: central finite differences of
 * a float64 forward, and that forward with *constant* statistics (BatchNorm on running
 * statistics), written with plain index arithmetic like reference_norm.ts.
 */
import { ReferenceNormSpec, unravelIndex } from './reference_norm';

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
  for (let f = 0; f < x.length; f++) {
    const index = unravelIndex(f, shape);
    let g = 0;
    for (const axis of keepAxes) g = g * shape[axis] + index[axis];
    const k = index[affineAxis];
    out[f] = ((x[f] - mean[g]) / Math.sqrt(variance[g] + eps)) * gamma[k] + beta[k];
  }
  return out;
}
