/**
 * MXNet's `LeakyReLU` operator: the leaky, parametric, exponential, scaled-exponential, Gaussian
 * and randomized ReLU family, each with its backward rule.
 */
import { GluonError, formatShape } from '../../core/errors';
import { isTraining } from '../../autograd/mode';
import { recordOp } from '../../autograd/tape';
import { uniform01 } from '../../random';
import { NDArray } from '../ndarray';
import { axisView, describeValue } from '../ops/validate';
import { GradKernel, elementwiseGrad } from './activation';
import { normalCdf, normalPdf } from './erf';
import { checkArray, checkChoice, checkFinite, checkOptions } from './op_checks';

/** The `act_type` values of MXNet 1.9's LeakyReLU. */
export const LEAKY_RELU_ACT_TYPES = ['leaky', 'prelu', 'elu', 'selu', 'gelu', 'rrelu'] as const;
export type LeakyReLUActType = (typeof LEAKY_RELU_ACT_TYPES)[number];

/** SELU's constants (Klambauer et al.), as MXNet's `SELU_LAMBDA` and `SELU_ALPHA`. */
export const SELU_LAMBDA = 1.0507009873554804934193349852946;
export const SELU_ALPHA = 1.6732632423543772848170429916717;

/** Options of the `nd.LeakyReLU` operator; the defaults are MXNet's. */
export interface LeakyReLUOpOptions {
  /** Default `'leaky'`. */
  actType?: LeakyReLUActType;
  /** The negative-side slope of 'leaky' and the α of 'elu'. Default 0.25. Rounded to float32, as MXNet's `float` parameter. */
  slope?: number;
  /** 'prelu' only (and required there): the learned slopes, shape (1,) or (C,) with C = data.shape[1]. */
  gamma?: NDArray;
  /** 'rrelu' only: the random slope's range [lowerBound, upperBound). Defaults 0.125 and 0.334. */
  lowerBound?: number;
  upperBound?: number;
}

/** An elementwise member of the family: its forward value and derivative at v (float64). */
interface ScalarAct {
  value(v: number): number;
  derivative(v: number): number;
}

function scalarAct(actType: 'leaky' | 'elu' | 'selu' | 'gelu', slope: number): ScalarAct {
  switch (actType) {
    case 'leaky':
      return { value: (v) => (v > 0 ? v : slope * v), derivative: (v) => (v > 0 ? 1 : slope) };
    case 'elu':
      return { value: (v) => (v > 0 ? v : slope * Math.expm1(v)), derivative: (v) => (v > 0 ? 1 : slope * Math.exp(v)) };
    case 'selu':
      return {
        value: (v) => SELU_LAMBDA * (v > 0 ? v : SELU_ALPHA * Math.expm1(v)),
        derivative: (v) => (v > 0 ? SELU_LAMBDA : SELU_LAMBDA * SELU_ALPHA * Math.exp(v)),
      };
    case 'gelu':
      return { value: (v) => v * normalCdf(v), derivative: (v) => normalCdf(v) + v * normalPdf(v) };
  }
}

/** Applies a ScalarAct and records its rule `dx = f'(x)·dy`. */
function applyScalar(x: NDArray, act: ScalarAct): NDArray {
  const out = new Float32Array(x.size);
  const xs = x.data;
  for (let i = 0; i < xs.length; i++) out[i] = act.value(xs[i]);
  const kernel: GradKernel = (v, g, dx) => {
    for (let i = 0; i < v.length; i++) dx[i] = g[i] * act.derivative(v[i]);
  };
  return recordOp('LeakyReLU', new NDArray(out, x.shape), [x], (dy) => [elementwiseGrad(x, dy, kernel)]);
}

/**
 * MXNet's `LeakyReLU` operator (`mx.nd.LeakyReLU`), elementwise:
 *
 *     leaky:  x > 0 ? x : slope·x
 *     prelu:  x > 0 ? x : gamma[c]·x          (gamma broadcast along axis 1, or one shared slope)
 *     elu:    x > 0 ? x : slope·(eˣ − 1)
 *     selu:   λ·(x > 0 ? x : α·(eˣ − 1))        λ = 1.0507009873554805, α = 1.6732632423543772
 *     gelu:   x·Φ(x) = ½x·(1 + erf(x/√2))      (MXNet 1.9's exact erf form, not the tanh approximation)
 *     rrelu:  x > 0 ? x : s·x, with s ~ U[lowerBound, upperBound) per element while training
 *             (autograd.isTraining()), and s = (lowerBound + upperBound)/2 otherwise
 *
 * Shapes: data any shape (prelu: gamma (1,) or (data.shape[1],); (data.shape[0],) for 1-D
 * data); the output has data's shape. Defaults: actType 'leaky', slope 0.25, lowerBound 0.125,
 * upperBound 0.334. Backward: dx = f'(x)·dy, and for prelu also dgamma[c] = Σ min(x, 0)·dy over
 * every axis but the channel's. The derivatives at 0 are those of the negative side, as MXNet's.
 * Values are computed in float64 and rounded once; the derivatives follow the sign of x (MXNet
 * tests the output's sign, which is the same for the slopes ≥ 0 Gluon allows).
 *
 * @example
 * nd.LeakyReLU(nd.array([-2, 3]), { actType: 'leaky', slope: 0.1 }).toArray(); // [-0.2, 3]
 */
export function LeakyReLU(data: NDArray, options?: LeakyReLUOpOptions): NDArray {
  const x = checkArray('LeakyReLU', 'data', data);
  const opts = checkOptions('LeakyReLU', options);
  const actType = checkChoice('LeakyReLU', 'actType', opts.actType ?? 'leaky', LEAKY_RELU_ACT_TYPES);
  if (actType !== 'prelu' && opts.gamma !== undefined) {
    throw new GluonError(`LeakyReLU: expected no gamma for actType '${actType}' (only 'prelu' takes one), but got ${describeValue(opts.gamma)}`);
  }
  switch (actType) {
    case 'prelu':
      return prelu(x, opts.gamma);
    case 'rrelu':
      return rrelu(x, opts.lowerBound ?? 0.125, opts.upperBound ?? 0.334);
    default:
      return applyScalar(x, scalarAct(actType, Math.fround(checkFinite('LeakyReLU', 'slope', opts.slope ?? 0.25))));
  }
}

/** PReLU's slopes and its view of data as (outer, channels, inner), channels = gamma.size. */
interface PreluView {
  gamma: NDArray;
  outer: number;
  channels: number;
  inner: number;
}

function preluView(x: NDArray, gamma: unknown): PreluView {
  const axis = x.ndim >= 2 ? 1 : 0;
  const channels = x.ndim === 0 ? 1 : x.shape[axis];
  if (!(gamma instanceof NDArray) || gamma.ndim !== 1 || (gamma.size !== 1 && gamma.size !== channels)) {
    const wanted = channels === 1 ? '(1,)' : `(1,) or (${channels},)`;
    throw new GluonError(
      `LeakyReLU: expected gamma of shape ${wanted} for actType 'prelu' and data of shape ${formatShape(x.shape)}, but got ${describeValue(gamma)}`,
    );
  }
  if (gamma.size === 1) return { gamma, outer: 1, channels: 1, inner: x.size };
  const { outer, inner } = axisView(x.shape, axis);
  return { gamma, outer, channels, inner };
}

/** PReLU: `x > 0 ? x : gamma[c]·x`; gradients for both data and gamma. */
function prelu(x: NDArray, gammaArg: unknown): NDArray {
  const { gamma, outer, channels, inner } = preluView(x, gammaArg);
  const xs = x.data;
  const gs = gamma.data;
  const out = new Float32Array(x.size);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const slope = gs[c];
      for (const end = i + inner; i < end; i++) out[i] = xs[i] > 0 ? xs[i] : slope * xs[i];
    }
  }
  return recordOp('LeakyReLU', new NDArray(out, x.shape), [x, gamma], (dy) => {
    const g = dy.data;
    const dx = new Float32Array(x.size);
    const dgamma = new Float64Array(channels);
    for (let o = 0, i = 0; o < outer; o++) {
      for (let c = 0; c < channels; c++) {
        const slope = gs[c];
        for (const end = i + inner; i < end; i++) {
          if (xs[i] > 0) dx[i] = g[i];
          else {
            dx[i] = slope * g[i];
            dgamma[c] += xs[i] * g[i];
          }
        }
      }
    }
    return [new NDArray(dx, x.shape), new NDArray(Float32Array.from(dgamma), gamma.shape)];
  });
}

/** RReLU: a random slope per element while training, the range's midpoint otherwise. */
function rrelu(x: NDArray, lowerBound: number, upperBound: number): NDArray {
  const lower = Math.fround(checkFinite('LeakyReLU', 'lowerBound', lowerBound));
  const upper = Math.fround(checkFinite('LeakyReLU', 'upperBound', upperBound));
  if (!(lower <= upper)) {
    throw new GluonError(`LeakyReLU: expected lowerBound <= upperBound for actType 'rrelu', but got lowerBound=${lowerBound}, upperBound=${upperBound}`);
  }
  if (!isTraining()) return applyScalar(x, scalarAct('leaky', Math.fround((lower + upper) / 2)));
  const slopes = new Float32Array(x.size);
  for (let i = 0; i < slopes.length; i++) slopes[i] = lower + (upper - lower) * uniform01();
  const xs = x.data;
  const out = new Float32Array(x.size);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i] > 0 ? xs[i] : slopes[i] * xs[i];
  return recordOp('LeakyReLU', new NDArray(out, x.shape), [x], (dy) => [
    elementwiseGrad(x, dy, (v, g, dx) => {
      for (let i = 0; i < v.length; i++) dx[i] = v[i] > 0 ? g[i] : slopes[i] * g[i];
    }),
  ]);
}
