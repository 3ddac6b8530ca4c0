/**
 * The backward of MXNet's `SoftmaxOutput`: the gradient of the cross-entropy loss with respect to
 * the logits, `softmax − one_hot(label)` (mshadow's SoftmaxGrad / SmoothSoftmaxGrad), from the
 * softmax output and the labels. Computed in float64 and rounded once.
 */
import type { LaneView } from './softmax';

/** How the class-label gradient is formed; the caller resolved MXNet's attributes into these. */
export interface SoftmaxOutputGradOptions {
  /** Labels whose integer part equals this give an all-zero lane (MXNet's use_ignore); undefined: none. */
  readonly ignore: number | undefined;
  /** Label smoothing α: the labelled class gets −(1 − α), every other class α/(classes − 1). */
  readonly smoothAlpha: number;
  /** The factor every gradient is multiplied by (grad_scale over the normalization count). */
  readonly scale: number;
  /** MXNet's out_grad: also multiply elementwise by the output's gradient. */
  readonly ograd?: Float32Array;
}

/**
 * `dx = (y − onehot_α(label)) · scale` lane by lane: lane (o, j) of the (outer, length, inner)
 * view is the softmax over `length` classes, and its label is `label[o·inner + j]`, truncated to
 * an integer as MXNet's `static_cast<int>`. A label outside [0, length) (or NaN) matches no
 * class, so the lane's gradient is y·scale (minus the smoothing), as MXNet's loops leave it.
 */
export function softmaxOutputGrad(y: Float32Array, label: Float32Array, dx: Float32Array, view: LaneView, options: SoftmaxOutputGradOptions): void {
  const { outer, length, inner } = view;
  const { ignore, smoothAlpha, scale, ograd } = options;
  const others = smoothAlpha === 0 ? 0 : smoothAlpha / (length - 1);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * length * inner + j;
      const k = Math.trunc(label[o * inner + j]);
      const ignored = ignore !== undefined && k === ignore;
      for (let c = 0; c < length; c++) {
        const at = base + c * inner;
        const g = ignored ? 0 : (y[at] - (c === k ? 1 - smoothAlpha : others)) * scale;
        dx[at] = ograd === undefined ? g : g * ograd[at];
      }
    }
  }
}

/** Probability labels (of the output's shape): `dx = (y − label) · scale` (· ograd when given). */
export function softmaxOutputProbabilityGrad(y: Float32Array, label: Float32Array, dx: Float32Array, scale: number, ograd?: Float32Array): void {
  for (let i = 0; i < y.length; i++) dx[i] = (y[i] - label[i]) * scale * (ograd === undefined ? 1 : ograd[i]);
}

/** How many labels do not equal `ignore` (integer parts compared, as MXNet's 'valid' normalization), at least 1. */
export function countValidLabels(label: Float32Array, ignore: number): number {
  let valid = 0;
  for (let i = 0; i < label.length; i++) if (Math.trunc(label[i]) !== ignore) valid++;
  return Math.max(valid, 1);
}
