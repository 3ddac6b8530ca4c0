/**
 * MXNet's `LeakyReLU` operator — the leaky, parametric, exponential, scaled-exponential,
 * Gaussian and randomized ReLU family — over kernels/cpu/leaky_relu.ts, and its gradient operator
 * `_backward_LeakyReLU`. The gradient operator is differentiable again: for the elementwise types
 * its gradient is itself for ograd and ograd·f''(data) for data; for prelu it is the gradient of
 * the same maths written with operators (compositeGradients). rrelu's slopes (drawn per element
 * while training, MXNet's hidden mask output) are kept for the backward, `(ograd, data, mask)`.
 */
import { GluonError } from '../core/errors';
import { shapeSize } from '../core/shape';
import {
  ChannelView, LeakyKind, SELU_ALPHA, SELU_LAMBDA, leakyBackward, leakyForward, preluBackward, preluForward, rreluBackward, rreluForward,
} from '../kernels/cpu/leaky_relu';
import { NDArray } from '../ndarray/ndarray';
import { uniform01 } from '../random';
import { AttrValues, choiceAttr, floatAttr } from './attrs';
import { compositeGradients } from './composite';
import { FrontendTable, NameOption, standard } from './frontend';
import { invoke } from './invoke';
import type { Nd } from './nd';
import { MaybeShape, Operator, ShapeInference, defineOperator, showShape } from './operator';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

/** The `act_type` values of MXNet 1.9's LeakyReLU. */
export const LEAKY_RELU_ACT_TYPES = ['leaky', 'prelu', 'elu', 'selu', 'gelu', 'rrelu'] as const;
export type LeakyReLUActType = (typeof LEAKY_RELU_ACT_TYPES)[number];

/** MXNet's LeakyReLUParam, in its declaration order, with its defaults. */
const LEAKY_RELU_ATTRS = {
  actType: choiceAttr(LEAKY_RELU_ACT_TYPES, { default: 'leaky' }),
  slope: floatAttr({ default: 0.25 }),
  lowerBound: floatAttr({ default: 0.125 }),
  upperBound: floatAttr({ default: 0.334 }),
};
type LeakyAttrs = AttrValues<typeof LEAKY_RELU_ATTRS>;

/** Options of `LeakyReLU`; the defaults are MXNet's. */
export interface LeakyReLUOptions extends NameOption {
  /** Default 'leaky'. 'prelu' takes a second input, gamma. */
  actType?: LeakyReLUActType;
  /** The negative-side slope of 'leaky' and the α of 'elu'. Default 0.25. Rounded to float32, as MXNet's `float`. */
  slope?: number;
  /** 'rrelu' only: the random slope's range [lowerBound, upperBound). Defaults 0.125 and 0.334. */
  lowerBound?: number;
  upperBound?: number;
}

/** The prelu view: gamma's channel axis of the data, and the data as (outer, channels, inner). */
interface PreluPlan {
  readonly axis: number;
  readonly view: ChannelView;
}

/** rrelu's slope outside training: the middle of its range, `(lower + upper) / 2` in float32 as MXNet. */
function midSlope(a: LeakyAttrs): number {
  return Math.fround((Math.fround(a.lowerBound) + Math.fround(a.upperBound)) / 2);
}

/** The fixed-slope member a type computes (rrelu outside training: leaky at the mid slope, as MXNet). */
function leakyKind(a: LeakyAttrs): { kind: LeakyKind; slope: number } {
  if (a.actType === 'rrelu') return { kind: 'leaky', slope: midSlope(a) };
  if (a.actType === 'prelu') throw new GluonError('LeakyReLU: prelu has no fixed slope');
  return { kind: a.actType, slope: Math.fround(a.slope) };
}

/**
 * Shapes of (data, gamma) for prelu: gamma is (1,) (one shared slope) or (C,) with C the data's
 * axis 1 ((N,) for 1-D data); inferred as (C,) when unknown, as MXNet.
 */
function inferPrelu(who: string, data: MaybeShape, gamma: MaybeShape): ShapeInference<PreluPlan> {
  if (data === undefined) return { inputs: [data, gamma], outputs: [undefined] };
  if (data.length === 0) throw new GluonError(`${who}: expected data of rank >= 1 for actType 'prelu', but got a 0-d array`);
  const axis = data.length >= 2 ? 1 : 0;
  const channels = data[axis];
  if (gamma !== undefined && !(gamma.length === 1 && (gamma[0] === 1 || gamma[0] === channels))) {
    const wanted = channels === 1 ? '(1,)' : `(1,) or (${channels},)`;
    throw new GluonError(
      `${who}: expected gamma of shape ${wanted} for actType 'prelu' and data of shape ${showShape(data)}, but got ${showShape(gamma)}`,
    );
  }
  const gammaShape = gamma ?? [channels];
  const view = gammaShape[0] === 1 && channels !== 1
    ? { outer: 1, channels: 1, inner: shapeSize(data) }
    : { outer: shapeSize(data.slice(0, axis)), channels, inner: shapeSize(data.slice(axis + 1)) };
  return { inputs: [data, gammaShape], outputs: [data], plan: { axis, view } };
}

function inferLeaky(a: LeakyAttrs, shapes: readonly MaybeShape[], who: string): ShapeInference<PreluPlan | undefined> {
  if (a.actType === 'prelu') return inferPrelu(who, shapes[0], shapes[1]);
  if (a.actType === 'rrelu' && !(Math.fround(a.lowerBound) <= Math.fround(a.upperBound))) {
    const bounds = `lowerBound=${a.lowerBound}, upperBound=${a.upperBound}`;
    throw new GluonError(`${who}: expected lowerBound <= upperBound for actType 'rrelu', but got ${bounds}`);
  }
  return { inputs: shapes, outputs: [shapes[0]] };
}

/** rrelu while training: one slope per element in [lower, upper) from the global generator; returns them (the mask). */
function rreluTraining(a: LeakyAttrs, x: NDArray, y: NDArray): NDArray {
  const lower = Math.fround(a.lowerBound);
  const range = Math.fround(a.upperBound) - lower;
  const slopes = new Float32Array(x.size);
  for (let i = 0; i < slopes.length; i++) slopes[i] = lower + range * uniform01();
  rreluForward(x.data, slopes, y.data);
  return new NDArray(slopes, x.shape);
}

/** rrelu's mask for the backward: the slopes drawn while training, else the mid slope everywhere. */
function rreluMask(a: LeakyAttrs, x: NDArray, drawn: NDArray | undefined): NDArray {
  return drawn ?? new NDArray(new Float32Array(x.size).fill(midSlope(a)), x.shape);
}

/** f''(x) of the fixed-slope members, written with operators. */
function secondDerivative(F: Nd, { kind, slope }: { kind: LeakyKind; slope: number }, x: NDArray): NDArray {
  // e^min(x, 0) is finite everywhere (e^x would overflow where the x > 0 mask zeroes it: 0·∞ = NaN).
  const negativeExp = (scale: number): NDArray => F.multiply(F.multiply(F.exp(F.minimum(x, 0)), F.lesserEqual(x, 0)), scale);
  switch (kind) {
    case 'leaky':
      return F.zerosLike(x);
    case 'elu':
      return negativeExp(slope);
    case 'selu':
      return negativeExp(SELU_LAMBDA * SELU_ALPHA);
    case 'gelu': {
      // (x·Φ(x))'' = φ(x)·(2 − x²), φ(x) = e^(−x²/2)/√(2π).
      const x2 = F.square(x);
      return F.multiply(F.multiply(F.exp(F.multiply(x2, -0.5)), 1 / Math.sqrt(2 * Math.PI)), F.subtract(2, x2));
    }
  }
}

/** prelu's two gradients, written with operators: dx = dy·(x > 0 ? 1 : gamma), dgamma = Σ dy·min(x, 0). */
function preluGradients(F: Nd, axis: number, [dy, x, gamma]: readonly NDArray[]): NDArray[] {
  const positive = F.greater(x, 0);
  const slopes = gamma.size === 1 ? gamma : F.reshape(gamma, { shape: x.shape.map((d, i) => (i === axis ? d : 1)) });
  const dx = F.multiply(dy, F.add(positive, F.multiply(F.subtract(1, positive), slopes)));
  const weighted = F.multiply(dy, F.minimum(x, 0));
  return [dx, gamma.size === 1 ? F.sum(weighted) : F.sum(weighted, { axis: [axis], exclude: true })];
}

/** MXNet's `LeakyReLU` (see LeakyReLUSignatures). */
export const LEAKY_RELU: Operator = defineOperator({
  name: 'LeakyReLU',
  aliases: ['_npx_leaky_relu'],
  attrs: LEAKY_RELU_ATTRS,
  inputs: (a) => (a.actType === 'prelu' ? ['data', 'gamma'] : ['data']),
  // MXNet 1.9 declares rrelu's mask as a second output; tsgluon keeps it hidden (see the signature).
  hiddenOutputs: (a) => (a.actType === 'rrelu' ? 1 : 0),
  inplace: [[0, 0]],
  inferShape: (a, shapes, who) => inferLeaky(a, shapes, who),
  forward: ({ attrs, plan, inputs: [x, gamma], outputs: [y], training }): NDArray | undefined => {
    if (attrs.actType === 'prelu') preluForward(x.data, gamma.data, y.data, (plan as PreluPlan).view);
    else if (attrs.actType === 'rrelu' && training) return rreluTraining(attrs, x, y);
    else {
      const { kind, slope } = leakyKind(attrs);
      leakyForward(kind, slope, x.data, y.data);
    }
    return undefined;
  },
  backward: ({ attrs, inputs: [x, gamma], outputGrads: [dy], saved, needsGrad, into }, F) => {
    if (attrs.actType === 'rrelu') return [runInto(F, LEAKY_RELU_BACKWARD, [dy, x, rreluMask(attrs, x, saved)], attrs, into[0])];
    if (attrs.actType !== 'prelu') return [runInto(F, LEAKY_RELU_BACKWARD, [dy, x], attrs, into[0])];
    const grads = invoke(F, LEAKY_RELU_BACKWARD, [dy, x, gamma], LEAKY_RELU_BACKWARD.resolveOptions(attrs, LEAKY_RELU_BACKWARD.name), into);
    return grads.map((g, i) => (needsGrad[i] ? g : undefined));
  },
});

/** Inputs of the gradient operator: prelu's gamma and rrelu's mask (its per-element slopes) come third. */
const BACKWARD_INPUTS: Readonly<Record<string, readonly string[]>> = { prelu: ['ograd', 'data', 'gamma'], rrelu: ['ograd', 'data', 'mask'] };

/**
 * `_backward_LeakyReLU(ograd, data)` = f'(data)·ograd; `(ograd, data, gamma)` → (dx, dgamma) for
 * prelu; `(ograd, data, mask)` for rrelu.
 */
export const LEAKY_RELU_BACKWARD: Operator = defineOperator({
  name: '_backward_LeakyReLU',
  attrs: LEAKY_RELU_ATTRS,
  inputs: (a) => BACKWARD_INPUTS[a.actType] ?? ['ograd', 'data'],
  outputs: (a) => (a.actType === 'prelu' ? ['data_grad', 'gamma_grad'] : ['data_grad']),
  inplace: [[0, 0]],
  inferShape: (a, [ograd, data, gamma], who): ShapeInference<PreluPlan | undefined> => {
    const dataShape: MaybeShape = data ?? ograd;
    if (ograd !== undefined && dataShape !== undefined) expectShape(who, 'ograd', ograd, dataShape);
    if (a.actType === 'rrelu') {
      if (gamma !== undefined && dataShape !== undefined) expectShape(who, 'mask', gamma, dataShape);
      return { inputs: [dataShape, dataShape, dataShape], outputs: [dataShape] };
    }
    if (a.actType !== 'prelu') return { inputs: [dataShape, dataShape], outputs: [dataShape] };
    const { inputs, outputs, plan } = inferPrelu(who, dataShape, gamma);
    return { inputs: [dataShape, ...inputs], outputs: [...outputs, inputs[1]], plan };
  },
  forward: ({ attrs, plan, inputs: [dy, x, third], outputs: [dx, dgamma] }) => {
    if (attrs.actType === 'prelu') preluBackward(x.data, third.data, dy.data, dx.data, dgamma.data, (plan as PreluPlan).view);
    else if (attrs.actType === 'rrelu') rreluBackward(x.data, third.data, dy.data, dx.data);
    else {
      const { kind, slope } = leakyKind(attrs);
      leakyBackward(kind, slope, x.data, dy.data, dx.data);
    }
  },
  backward: ({ attrs, plan, inputs, outputGrads, needsGrad, into }, F) => {
    const [dy, x] = inputs;
    if (attrs.actType === 'prelu') {
      const grads = compositeGradients(F, (G, xs) => preluGradients(G, (plan as PreluPlan).axis, xs), inputs, outputGrads);
      return grads.map((g, i) => (needsGrad[i] ? g : undefined));
    }
    const [g] = outputGrads;
    // rrelu is linear in x for fixed slopes: the mask, a constant, gets no gradient.
    if (attrs.actType === 'rrelu') {
      const dOgrad = needsGrad[0] ? runInto(F, LEAKY_RELU_BACKWARD, [g, x, inputs[2]], attrs, into[0]) : undefined;
      return [dOgrad, needsGrad[1] ? F.zerosLike(x) : undefined, undefined];
    }
    return [
      needsGrad[0] ? runInto(F, LEAKY_RELU_BACKWARD, [g, x], attrs, into[0]) : undefined,
      needsGrad[1] ? F.multiply(F.multiply(g, dy), secondDerivative(F, leakyKind(attrs), x)) : undefined,
    ];
  },
});

/** The LeakyReLU operator of `nd` and `sym`. */
export interface LeakyReLUSignatures<T> {
  /**
   * MXNet's `LeakyReLU`, elementwise:
   *
   *     leaky:  x > 0 ? x : slope·x
   *     prelu:  x > 0 ? x : gamma[c]·x          (gamma broadcast along axis 1, or one shared slope)
   *     elu:    x > 0 ? x : slope·(eˣ − 1)
   *     selu:   λ·(x > 0 ? x : α·(eˣ − 1))        λ = 1.0507009873554805, α = 1.6732632423543772
   *     gelu:   x·Φ(x) = ½x·(1 + erf(x/√2))      (MXNet 1.9's exact erf form, not the tanh approximation)
   *     rrelu:  x > 0 ? x : s·x, with s ~ U[lowerBound, upperBound) per element while training
   *             (autograd.isTraining()), and s = (lowerBound + upperBound)/2 otherwise
   *
   * Inputs: data, and for actType 'prelu' gamma (positional, as MXNet's input order). Shapes: data
   * any shape (prelu: rank >= 1); gamma (1,) or (C,) with C = data.shape[1] ((N,) for 1-D data),
   * inferred as (C,) by shape inference; the output has data's shape. Defaults (MXNet's): actType
   * 'leaky', slope 0.25, lowerBound 0.125, upperBound 0.334 (slopes rounded to float32). Values
   * are computed in float64 and rounded once. Gradients: dx = f'(x)·dy (the negative side at 0, as
   * MXNet), for prelu also dgamma[c] = Σ min(x, 0)·dy over every axis but the channel's; all
   * differentiable again. MXNet 1.9 shows rrelu's mask as a second output; here it stays hidden
   * (MXNet ≤ 1.5's behaviour, and the JSON is the same either way: the node has two outputs).
   *
   * @example
   * nd.LeakyReLU(nd.array([-2, 3]), { actType: 'leaky', slope: 0.1 }).toArray(); // [-0.2, 3]
   * nd.LeakyReLU(nd.array([[-2, 3]]), nd.array([0.5]), { actType: 'prelu' }).toArray(); // [[-1, 3]]
   */
  LeakyReLU(data: T, gamma: T, options: LeakyReLUOptions & { actType: 'prelu' }): T;
  LeakyReLU(data: T, options?: LeakyReLUOptions): T;
}

export const LEAKY_RELU_FRONTENDS: FrontendTable<LeakyReLUSignatures<unknown>> = {
  LeakyReLU: standard(LEAKY_RELU),
};
