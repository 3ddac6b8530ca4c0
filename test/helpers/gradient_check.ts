import { NDArray, autograd, nd } from '../../src';

/**
 * Checks an op's backward rule against central finite differences.
 *
 * The op's Jacobian-vector product is taken with a random head gradient w (so every output
 * element matters): analytic = Jᵀw from `y.backward(w)`; numeric = ∂/∂x_j Σ f(x)·w by central
 * differences. Where a float64 reference of the forward is given, the differences are taken on it
 * (exact to ~1e-10, so the check is tight); otherwise on the op itself in float32 with a larger step.
 */
export interface GradientCheckOptions {
  /** Float64 forward, same maths as the op: inputs → flat output. Strongly preferred. */
  reference64?: (...inputs: Float64Array[]) => ArrayLike<number>;
  /** Which inputs to check (default all). */
  check?: number[];
  /** Step; default 1e-6 with a float64 reference, 1e-2 without. */
  step?: number;
  /** Allowed |analytic − numeric| ≤ atol + rtol·|numeric|. Defaults 1e-4 and 1e-3. */
  atol?: number;
  rtol?: number;
  seed?: number;
}

export function checkGradient(op: (...inputs: NDArray[]) => NDArray, inputs: NDArray[], options: GradientCheckOptions = {}): void {
  const { reference64, check = inputs.map((_, i) => i), atol = 1e-4, rtol = 1e-3, seed = 1 } = options;
  const step = options.step ?? (reference64 ? 1e-6 : 1e-2);
  const variables = inputs.map((x) => nd.array(x));
  variables.forEach((x, i) => check.includes(i) && x.attachGrad());
  const y = autograd.record(() => op(...variables));
  const w = pseudoRandom(y.size, seed);
  y.backward(nd.array(Float32Array.from(w), { shape: y.shape }));

  const loss = (xs: Float64Array[]): number => {
    const out = reference64 ? reference64(...xs) : op(...xs.map((x, i) => nd.array(Float32Array.from(x), { shape: inputs[i].shape }))).toFloat32Array();
    let total = 0;
    for (let k = 0; k < w.length; k++) total += out[k] * w[k];
    return total;
  };
  for (const i of check) {
    const analytic = variables[i].grad?.toFloat32Array();
    if (analytic === undefined) throw new Error(`input ${i} received no gradient`);
    const xs = inputs.map((x) => Float64Array.from(x.toFloat32Array()));
    for (let j = 0; j < xs[i].length; j++) {
      const saved = xs[i][j];
      xs[i][j] = saved + step;
      const plus = loss(xs);
      xs[i][j] = saved - step;
      const minus = loss(xs);
      xs[i][j] = saved;
      const numeric = (plus - minus) / (2 * step);
      if (!(Math.abs(analytic[j] - numeric) <= atol + rtol * Math.abs(numeric))) {
        throw new Error(`gradient of input ${i} element ${j}: analytic ${analytic[j]}, numeric ${numeric}`);
      }
    }
  }
}

/** Deterministic values in [-1, 1) (a small LCG), independent of the library's generator. */
export function pseudoRandom(count: number, seed: number): Float64Array {
  const out = new Float64Array(count);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}
