/**
 * Unary elementwise operators (MXNet's `negative`, `abs`, `exp`, …, `clip`), over the loops of
 * kernels/cpu/unary.ts. Each backward is written with operators; where the derivative is a
 * function of the output (exp, sqrt, sigmoid, tanh, relu) the rule reuses it.
 */
import { GluonError } from '../core/errors';
import { ACTIVATION_FORWARD } from '../kernels/cpu/activation_forward';
import * as k from '../kernels/cpu/unary';
import type { NDArray } from '../ndarray/ndarray';
import { floatAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import type { Nd } from './nd';
import { Operator, defineOperator } from './operator';

/** The gradient of x given dy, x and y = f(x). */
export type UnaryPartial = (dy: NDArray, x: NDArray, y: NDArray, F: Nd) => NDArray;

/** A one-input, same-shape operator over a kernel loop; its gradient from `partial`, or none ('constant'). */
export function unaryOperator(name: string, kernel: k.UnaryKernel, partial: UnaryPartial | 'constant', aliases: readonly string[] = [], dtypes?: 'same'): Operator {
  return defineOperator({
    name,
    aliases,
    attrs: {},
    anyAttrs: true,
    inputs: ['data'],
    dtypes,
    inplace: [[0, 0]],
    inferShape: (_, shapes) => ({ inputs: shapes, outputs: [shapes[0]] }),
    forward: ({ inputs: [x], outputs: [y] }) => kernel(x.data, y.data),
    backward: partial === 'constant' ? 'constant' : ({ inputs: [x], outputs: [y], outputGrads: [dy] }, F) => [partial(dy, x, y, F)],
  });
}

const FILL_ZERO: k.UnaryKernel = (_, out) => out.fill(0);
const FILL_ONE: k.UnaryKernel = (_, out) => out.fill(1);
const COPY: k.UnaryKernel = (x, out) => out.set(x);

/** The unary operators, by frontend name; those that are exact on integers take any dtype, as MXNet's. */
export const UNARY = {
  negative: unaryOperator('negative', k.NEGATIVE, (dy, _x, _y, F) => F.negative(dy), [], 'same'),
  abs: unaryOperator('abs', k.ABS, (dy, x, _y, F) => F.multiply(dy, F.sign(x)), [], 'same'),
  exp: unaryOperator('exp', k.EXP, (dy, _x, y, F) => F.multiply(dy, y)),
  log: unaryOperator('log', k.LOG, (dy, x, _y, F) => F.divide(dy, x)),
  sqrt: unaryOperator('sqrt', k.SQRT, (dy, _x, y, F) => F.divide(dy, F.multiply(y, 2))),
  square: unaryOperator('square', k.SQUARE, (dy, x, _y, F) => F.multiply(F.multiply(dy, x), 2), [], 'same'),
  // Piecewise constant, but recorded: an input reached only through sign gets a zero gradient written.
  sign: unaryOperator('sign', k.SIGN, (_dy, x, _y, F) => F.zerosLike(x), [], 'same'),
  relu: unaryOperator('relu', k.RELU, (dy, _x, y, F) => F.multiply(dy, F.greater(y, 0))),
  sigmoid: unaryOperator('sigmoid', ACTIVATION_FORWARD.sigmoid, (dy, _x, y, F) => F.multiply(F.multiply(dy, y), F.subtract(1, y))),
  tanh: unaryOperator('tanh', ACTIVATION_FORWARD.tanh, (dy, _x, y, F) => F.multiply(dy, F.subtract(1, F.square(y)))),
  softsign: unaryOperator('softsign', ACTIVATION_FORWARD.softsign, (dy, x, _y, F) => F.divide(dy, F.square(F.add(F.abs(x), 1)))),
  zerosLike: unaryOperator('zeros_like', FILL_ZERO, 'constant', [], 'same'),
  onesLike: unaryOperator('ones_like', FILL_ONE, 'constant', [], 'same'),
  copy: unaryOperator('_copy', COPY, (dy) => dy, ['identity'], 'same'),
  blockGrad: unaryOperator('BlockGrad', COPY, 'constant', ['stop_gradient']),
} as const;

/**
 * MXNet's `clip`: min(max(x, a_min), a_max), NaN kept. Gradient, as MXNet: dy where
 * a_min ≤ x ≤ a_max (bounds included) or x is NaN, 0 where x was clipped.
 */
export const CLIP = defineOperator({
  name: 'clip',
  attrs: { aMin: floatAttr({ finite: false }), aMax: floatAttr({ finite: false }) },
  inputs: ['data'],
  inplace: [[0, 0]],
  inferShape: ({ aMin, aMax }, shapes, who) => {
    if (!(aMin <= aMax)) throw new GluonError(`${who}: expected aMin <= aMax, but got aMin=${aMin}, aMax=${aMax}`);
    return { inputs: shapes, outputs: [shapes[0]] };
  },
  forward: ({ attrs, inputs: [x], outputs: [y] }) => k.clip(x.data, y.data, Math.fround(attrs.aMin), Math.fround(attrs.aMax)),
  // (x > hi) + (x < lo) is 1 exactly where x was clipped (never both, since lo <= hi).
  backward: ({ attrs, inputs: [x], outputGrads: [dy] }, F) => {
    const clipped = F.add(F.greater(x, Math.fround(attrs.aMax)), F.lesser(x, Math.fround(attrs.aMin)));
    return [F.multiply(dy, F.equal(clipped, 0))];
  },
});

/** Unary functions of `nd` and `sym`: one array in, one array of the same shape out. */
export interface UnarySignatures<T> {
  /** `-x`; gradient `-dy`. @example nd.negative(nd.array([1, -2])).toArray(); // [-1, 2] */
  negative(data: T, options?: NameOption): T;
  /** `|x|`; gradient `dy·sign(x)` (0 at 0, as MXNet). @example nd.abs(nd.array([1, -2])).toArray(); // [1, 2] */
  abs(data: T, options?: NameOption): T;
  /** `e^x`; gradient `dy·e^x`. @example nd.exp(nd.array([0])).toArray(); // [1] */
  exp(data: T, options?: NameOption): T;
  /** Natural logarithm (`log 0 = -Infinity`, negative → NaN); gradient `dy/x`. @example nd.log(nd.array([1])).toArray(); // [0] */
  log(data: T, options?: NameOption): T;
  /** `√x` (negative → NaN); gradient `dy/(2√x)`. @example nd.sqrt(nd.array([4, 9])).toArray(); // [2, 3] */
  sqrt(data: T, options?: NameOption): T;
  /** `x²`; gradient `2x·dy`. @example nd.square(nd.array([-3])).toArray(); // [9] */
  square(data: T, options?: NameOption): T;
  /** -1, 0 or 1 (NaN stays NaN); its gradient is zero (written). @example nd.sign(nd.array([-2, 0, 5])).toArray(); // [-1, 0, 1] */
  sign(data: T, options?: NameOption): T;
  /** `max(x, 0)` (NaN stays NaN); gradient dy where x > 0 (0 at 0 and for NaN, as MXNet). @example nd.relu(nd.array([-1, 2])).toArray(); // [0, 2] */
  relu(data: T, options?: NameOption): T;
  /** `σ(x) = 1/(1 + e^−x)`; gradient `dy·σ(x)(1 − σ(x))`. @example nd.sigmoid(nd.array([0])).toArray(); // [0.5] */
  sigmoid(data: T, options?: NameOption): T;
  /** Hyperbolic tangent; gradient `dy·(1 − tanh²x)`. @example nd.tanh(nd.array([0])).toArray(); // [0] */
  tanh(data: T, options?: NameOption): T;
  /** `x/(1 + |x|)` (±1 at ±Infinity); gradient `dy/(1 + |x|)²`. @example nd.softsign(nd.array([1, -3])).toArray(); // [0.5, -0.75] */
  softsign(data: T, options?: NameOption): T;
  /** Zeros of the input's shape (MXNet's `zeros_like`); no gradient. */
  zerosLike(data: T, options?: NameOption): T;
  /** Ones of the input's shape (MXNet's `ones_like`); no gradient. */
  onesLike(data: T, options?: NameOption): T;
  /** A new array with the same values (MXNet's `_copy`/`identity`); the gradient passes through. @example const snapshot = nd.copy(x.grad); */
  copy(data: T, options?: NameOption): T;
  /** The same values, through which no gradient flows (MXNet's `BlockGrad`/`stop_gradient`). @example const fixed = nd.blockGrad(x); */
  blockGrad(data: T, options?: NameOption): T;
  /** MXNet's name for `blockGrad`. @example nd.BlockGrad(x) */
  BlockGrad(data: T, options?: NameOption): T;
  /** MXNet's `stop_gradient`: the same as `blockGrad`. @example nd.stopGradient(x) */
  stopGradient(data: T, options?: NameOption): T;
  /**
   * Limits every value to [aMin, aMax] (MXNet's `clip`; bounds rounded to float32, aMin ≤ aMax
   * required); NaN stays NaN. Gradient: dy where aMin ≤ x ≤ aMax or x is NaN, else 0.
   * @example nd.clip(nd.array([-2, 0.5, 3]), { aMin: 0, aMax: 1 }).toArray(); // [0, 0.5, 1]
   */
  clip(data: T, options: { aMin: number; aMax: number } & NameOption): T;
}

export const UNARY_FRONTENDS: FrontendTable<UnarySignatures<unknown>> = {
  negative: standard(UNARY.negative),
  abs: standard(UNARY.abs),
  exp: standard(UNARY.exp),
  log: standard(UNARY.log),
  sqrt: standard(UNARY.sqrt),
  square: standard(UNARY.square),
  sign: standard(UNARY.sign),
  relu: standard(UNARY.relu),
  sigmoid: standard(UNARY.sigmoid),
  tanh: standard(UNARY.tanh),
  softsign: standard(UNARY.softsign),
  zerosLike: standard(UNARY.zerosLike),
  onesLike: standard(UNARY.onesLike),
  copy: standard(UNARY.copy),
  blockGrad: standard(UNARY.blockGrad),
  BlockGrad: standard(UNARY.blockGrad),
  stopGradient: standard(UNARY.blockGrad),
  clip: standard(CLIP),
};
