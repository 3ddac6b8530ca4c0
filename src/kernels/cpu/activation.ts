/**
 * The input gradients of MXNet's `Activation` functions, `dx[i] = f'(x[i])·dy[i]`. Each
 * derivative is evaluated in float64 from the float32 input and rounded once. MXNet's own rules
 * use the float32 output where they can (relu: y > 0; sigmoid: y(1−y); tanh: 1−y²; softrelu:
 * 1−e^(−y)); these are the same derivatives without the output's rounding error. Each reads
 * x[i] and dy[i] before writing dx[i], so dx may be either input.
 */
import { ModuleActivation, activationGradientInModule } from './activation_wasm';

/** Computes `dx[i]` from `x[i]` and the output gradient `dy[i]` over whole arrays. */
export type GradKernel = (x: Float32Array, dy: Float32Array, dx: Float32Array) => void;

/** σ(v) in float64; exp(−v) overflows to Infinity for v < −709 and the quotient becomes 0. */
function logistic(v: number): number {
  return 1 / (1 + Math.exp(-v));
}

/** The JavaScript gradient loops by act type (MXNet's names). */
const GRADIENT_LOOPS = {
  // d relu = 1 for x > 0, else 0 (also at 0, as MXNet's `y > 0`); NaN gives 0 as in MXNet.
  relu: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : 0;
  },
  // σ'(x) = σ(x)·σ(−x) = e/(1 + e)², e = e^−|x|: no cancellation where σ(x) rounds to 1 (s·(1 − s) is 0 there from x ≈ 37).
  sigmoid: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const e = Math.exp(-Math.abs(x[i]));
      dx[i] = dy[i] * (e / ((1 + e) * (1 + e)));
    }
  },
  // tanh'(x) = 1 − tanh²x = 4(e + 1)/(e + 2)², e = expm1(2|x|): no cancellation where tanh x rounds to ±1
  // (from |x| ≈ 19). 2|x| is clamped to 708, where e stays finite; the value there is already 0 in float32.
  tanh: (x, dy, dx) => {
    for (let i = 0; i < x.length; i++) {
      const e = Math.expm1(Math.min(2 * Math.abs(x[i]), 708));
      dx[i] = dy[i] * ((4 * (e + 1)) / ((e + 2) * (e + 2)));
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

function moduleOr(kind: ModuleActivation, loop: GradKernel): GradKernel {
  return (x, dy, dx) => {
    if (x.length > 0 && !activationGradientInModule(kind, x, dy, dx)) loop(x, dy, dx);
  };
}

/**
 * The gradient kernels by act type (MXNet's names): the kernel module's (activation_wasm.ts, the
 * same formulas with its own exp and tanh) where it is loaded, else the loops above; relu's is
 * exact either way.
 */
export const ACTIVATION_GRAD = {
  relu: GRADIENT_LOOPS.relu,
  sigmoid: moduleOr('sigmoid', GRADIENT_LOOPS.sigmoid),
  tanh: moduleOr('tanh', GRADIENT_LOOPS.tanh),
  softrelu: moduleOr('softrelu', GRADIENT_LOOPS.softrelu),
  log_sigmoid: moduleOr('log_sigmoid', GRADIENT_LOOPS.log_sigmoid),
  mish: moduleOr('mish', GRADIENT_LOOPS.mish),
  softsign: moduleOr('softsign', GRADIENT_LOOPS.softsign),
} satisfies Record<string, GradKernel>;
