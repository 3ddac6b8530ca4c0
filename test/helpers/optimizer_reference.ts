/**
 * Float64 references of MXNet 1.9's optimizer updates (and PyTorch's AdamW), written from the
 * documented formulas in their own form — e.g. SGD with a positive velocity `v = μv + lr·G`,
 * `w -= v` (MXNet's docstring) where the code keeps `m = −v`; NAG in PyTorch's buffer form —
 * so they are independent of src/gluon/optimizers. Each reference runs whole steps on a copy.
 *
 * Notes on MXNet's kernels (checked against src/operator/optimizer_op-inl.h):
 * - SGD/NAG/AdaGrad clip the *rescaled* gradient, and the weight decay is added after clipping
 *   (the SGD docstring's `rescale_grad * clip(grad)` is inaccurate);
 * - Adam and RMSProp clip `rescale·grad + wd·w`.
 */

/** Hyper-parameters of one reference run (lr already includes lrMult, wd includes wdMult). */
export interface ReferenceHyper {
  lr: number;
  wd: number;
  rescale: number;
  /** Infinity for no clipping. */
  clip: number;
  momentum?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  gamma1?: number;
  gamma2?: number;
  centered?: boolean;
  clipWeights?: number;
}

export type ReferenceKind = 'sgd' | 'nag' | 'adam' | 'adamw' | 'rmsprop' | 'adagrad';

const clip = (x: number, bound: number): number => Math.min(Math.max(x, -bound), bound);

/** Runs `grads.length` updates from `w0`; returns the weights after each update. */
export function referenceUpdates(kind: ReferenceKind, hyper: ReferenceHyper, w0: ArrayLike<number>, grads: ArrayLike<number>[]): number[][] {
  const w = Array.from(w0);
  const state = [0, 1, 2].map(() => new Array<number>(w.length).fill(0));
  return grads.map((grad, step) => {
    for (let i = 0; i < w.length; i++) STEPS[kind](hyper, step + 1, i, w, grad[i], state);
    return w.slice();
  });
}

/** One element's update at step t; `state` holds up to three per-element accumulators. */
type ElementStep = (h: ReferenceHyper, t: number, i: number, w: number[], grad: number, state: number[][]) => void;

const STEPS: Record<ReferenceKind, ElementStep> = {
  sgd: (h, _t, i, w, grad, [velocity]) => {
    const G = clip(h.rescale * grad, h.clip) + h.wd * w[i];
    velocity[i] = (h.momentum ?? 0) * velocity[i] + h.lr * G;
    w[i] -= velocity[i];
  },
  nag: (h, _t, i, w, grad, [buffer]) => {
    const mu = h.momentum ?? 0;
    const G = clip(h.rescale * grad, h.clip) + h.wd * w[i];
    buffer[i] = mu * buffer[i] + G; // PyTorch's nesterov buffer
    w[i] -= h.lr * (G + mu * buffer[i]);
  },
  adam: (h, t, i, w, grad, [m, v]) => {
    const b1 = h.beta1 ?? 0.9;
    const b2 = h.beta2 ?? 0.999;
    const G = clip(h.rescale * grad + h.wd * w[i], h.clip);
    m[i] = b1 * m[i] + (1 - b1) * G;
    v[i] = b2 * v[i] + (1 - b2) * G * G;
    const lrT = (h.lr * Math.sqrt(1 - Math.pow(b2, t))) / (1 - Math.pow(b1, t));
    w[i] -= (lrT * m[i]) / (Math.sqrt(v[i]) + (h.epsilon ?? 0));
  },
  adamw: (h, t, i, w, grad, [m, v]) => {
    const b1 = h.beta1 ?? 0.9;
    const b2 = h.beta2 ?? 0.999;
    w[i] *= 1 - h.lr * h.wd;
    const G = clip(h.rescale * grad, h.clip);
    m[i] = b1 * m[i] + (1 - b1) * G;
    v[i] = b2 * v[i] + (1 - b2) * G * G;
    const mHat = m[i] / (1 - Math.pow(b1, t));
    const vHat = v[i] / (1 - Math.pow(b2, t));
    w[i] -= (h.lr * mHat) / (Math.sqrt(vHat) + (h.epsilon ?? 0));
  },
  rmsprop: (h, _t, i, w, grad, [n, g, delta]) => {
    const g1 = h.gamma1 ?? 0.9;
    const eps = h.epsilon ?? 0;
    const G = clip(h.rescale * grad + h.wd * w[i], h.clip);
    n[i] = g1 * n[i] + (1 - g1) * G * G;
    let next = w[i] - (h.lr * G) / Math.sqrt(n[i] + eps);
    if (h.centered) {
      g[i] = g1 * g[i] + (1 - g1) * G;
      delta[i] = (h.gamma2 ?? 0.9) * delta[i] - (h.lr * G) / Math.sqrt(n[i] - g[i] * g[i] + eps);
      next = w[i] + delta[i];
    }
    w[i] = h.clipWeights === undefined ? next : clip(next, h.clipWeights);
  },
  adagrad: (h, _t, i, w, grad, [history]) => {
    const G = clip(h.rescale * grad, h.clip);
    history[i] += G * G;
    w[i] += -h.lr * (G / Math.sqrt(history[i] + (h.epsilon ?? 0)) + h.wd * w[i]);
  },
};
