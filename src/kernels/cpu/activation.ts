/**
 * The input gradients of MXNet's `Activation` functions, `dx[i] = f'(x[i])·dy[i]`. Each
 * derivative is evaluated in float64 from the float32 input and rounded once. MXNet's own rules
 * use the float32 output where they can (relu: y > 0; sigmoid: y(1−y); tanh: 1−y²; softrelu:
 * 1−e^(−y)); these are the same derivatives without the output's rounding error. Each reads
 * x[i] and dy[i] before writing dx[i], so dx may be either input.
 */

/** Computes `dx[i]` from `x[i]` and the output gradient `dy[i]` over whole arrays. */
export type GradKernel = (x: Float32Array, dy: Float32Array, dx: Float32Array) => void;

/** σ(v) in float64; exp(−v) overflows to Infinity for v < −709 and the quotient becomes 0. */
function logistic(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** The gradient kernels by act type (MXNet's names). */
export const ACTIVATION_GRAD = {
  // d relu = 1 for x > 0, else 0 (also at 0, as MXNet's `y > 0`); NaN gives 0 as in MXNet.
  relu: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
  },
  sigmoid: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const s = logistic(x[i]);
      dx[i] = dy[i] * s * (1 - s);
    }
  },
  tanh: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const t = Math.tanh(x[i]);
      dx[i] = dy[i] * (1 - t * t);
    }
  },
  // d/dx log(1 + e^x) = σ(x).
  softrelu: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) dx[i] = dy[i] * logistic(x[i]);
  },
  // d/dx log σ(x) = 1 − σ(x) = σ(−x).
  log_sigmoid: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) dx[i] = dy[i] * logistic(-x[i]);
  },
  // mish' = tanh(sp) + x·(1 − tanh²(sp))·σ(x), sp = softplus(x) (sp' = σ).
  mish: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i];
      const t = Math.tanh(v > 0 ? v + Math.log1p(Math.exp(-v)) : Math.log1p(Math.exp(v)));
      dx[i] = dy[i] * (t + v * (1 - t * t) * logistic(v));
    }
  },
  // d/dx x/(1 + |x|) = 1/(1 + |x|)².
  softsign: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const d = 1 + Math.abs(x[i]);
      dx[i] = dy[i] / (d * d);
    }
  },
} satisfies Record<string, GradKernel>;
