/**
 * The loops of MXNet's `LeakyReLU` family: the elementwise members (leaky, elu, selu, gelu), the
 * per-channel slopes of prelu and the per-element slopes of rrelu, forward and backward. Values
 * and derivatives are computed in float64 from the float32 input and rounded once. The
 * derivatives follow the sign of x (the negative side at 0, as MXNet and PyTorch). Every loop
 * reads element i before writing it, so an output may be the input itself.
 */
import { normalCdf, normalPdf } from './erf';

/**
 * SELU's constants (Klambauer et al.), as MXNet's `SELU_LAMBDA` = 1.0507009873554804934193349852946
 * and `SELU_ALPHA` = 1.6732632423543772848170429916717, written as the doubles nearest to them.
 */
export const SELU_LAMBDA = 1.0507009873554805;
export const SELU_ALPHA = 1.6732632423543772;

/** The elementwise members with a fixed slope (rrelu's prediction mode is 'leaky' at the mid slope). */
export type LeakyKind = 'leaky' | 'elu' | 'selu' | 'gelu';

/** `out[i] = f(x[i])`: leaky x > 0 ? x : s·x; elu x > 0 ? x : s·(eˣ − 1); selu λ·elu with s = α; gelu x·Φ(x). */
export function leakyForward(kind: LeakyKind, slope: number, x: Float32Array, out: Float32Array): void {
  switch (kind) {
    case 'leaky':
      for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : slope * x[i];
      return;
    case 'elu':
      for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : slope * Math.expm1(x[i]);
      return;
    case 'selu':
      for (let i = 0; i < x.length; i++) out[i] = SELU_LAMBDA * (x[i] > 0 ? x[i] : SELU_ALPHA * Math.expm1(x[i]));
      return;
    case 'gelu':
      for (let i = 0; i < x.length; i++) out[i] = x[i] * normalCdf(x[i]);
  }
}

/** `dx[i] = f'(x[i])·dy[i]` for the members of `leakyForward`; gelu's f' = Φ(x) + x·φ(x). */
export function leakyBackward(kind: LeakyKind, slope: number, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  switch (kind) {
    case 'leaky':
      for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : slope * dy[i];
      return;
    case 'elu':
      for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : slope * Math.exp(x[i]) * dy[i];
      return;
    case 'selu':
      for (let i = 0; i < x.length; i++) dx[i] = (x[i] > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(x[i])) * dy[i];
      return;
    case 'gelu':
      for (let i = 0; i < x.length; i++) {
        const v = x[i];
        dx[i] = (normalCdf(v) + v * normalPdf(v)) * dy[i];
      }
  }
}

/** Data viewed as (outer, channels, inner): gamma[c] is the slope of every element of channel c. */
export interface ChannelView {
  readonly outer: number;
  readonly channels: number;
  readonly inner: number;
}

/** PReLU: `out = x > 0 ? x : gamma[c]·x` (channels 1: one shared slope). */
export function preluForward(x: Float32Array, gamma: Float32Array, out: Float32Array, { outer, channels, inner }: ChannelView): void {
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const slope = gamma[c];
      for (const end = i + inner; i < end; i++) out[i] = x[i] > 0 ? x[i] : slope * x[i];
    }
  }
}

/**
 * PReLU's gradients: `dx = x > 0 ? dy : gamma[c]·dy` and `dgamma[c] = Σ min(x, 0)·dy` over every
 * element of channel c, accumulated in float64.
 */
export function preluBackward(
  x: Float32Array, gamma: Float32Array, dy: Float32Array, dx: Float32Array, dgamma: Float32Array, { outer, channels, inner }: ChannelView,
): void {
  const sums = new Float64Array(channels);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const slope = gamma[c];
      let sum = 0;
      for (const end = i + inner; i < end; i++) {
        const v = x[i], g = dy[i];
        if (v > 0) dx[i] = g;
        else {
          dx[i] = slope * g;
          sum += v * g;
        }
      }
      sums[c] += sum;
    }
  }
  dgamma.set(sums);
}

/** RReLU with one slope per element (MXNet's mask): `out = x > 0 ? x : slopes[i]·x`. */
export function rreluForward(x: Float32Array, slopes: Float32Array, out: Float32Array): void {
  for (let i = 0; i < x.length; i++) out[i] = x[i] > 0 ? x[i] : slopes[i] * x[i];
}

/** RReLU's gradient: `dx = x > 0 ? dy : slopes[i]·dy`. */
export function rreluBackward(x: Float32Array, slopes: Float32Array, dy: Float32Array, dx: Float32Array): void {
  for (let i = 0; i < x.length; i++) dx[i] = x[i] > 0 ? dy[i] : slopes[i] * dy[i];
}
