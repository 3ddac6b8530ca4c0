/**
 * MXNet's `Activation` operator (relu, sigmoid, tanh, softrelu, softsign, log_sigmoid, mish) over the loops of
 * kernels/cpu/activation_forward.ts (the kernel module's where it is loaded, else those of
 * kernels/cpu/unary.ts), and its gradient operator `_backward_Activation(ograd, data)` =
 * f'(data)·ograd (kernels/cpu/activation.ts). The gradient operator is differentiable again: its
 * gradient is itself for ograd and ograd·f''(data) — written with operators — for data, so second
 * (and higher) derivatives through every act type are exact.
 */
import { GluonError } from '../core/errors';
import { describeValue } from '../core/checks';
import { ACTIVATION_GRAD } from '../kernels/cpu/activation';
import { ACTIVATION_FORWARD } from '../kernels/cpu/activation_forward';
import type { NDArray } from '../ndarray/ndarray';
import { choiceAttr } from './attrs';
import { Frontend, FrontendTable, NameOption, OpCaller, standard } from './frontend';
import { currentCaller } from './invoke';
import type { Nd } from './nd';
import { Operator, defineOperator } from './operator';
import { runInto } from './run_into';
import { sameShapeInference } from './lanes';

/** The activation functions of `Activation`: MXNet 1.9's `act_type` values (log_sigmoid and mish last, as added there). */
export const ACT_TYPES = ['relu', 'sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish'] as const;
export type ActType = (typeof ACT_TYPES)[number];

/** MXNet's ActivationParam: `act_type` is required. */
const ACTIVATION_ATTRS = { actType: choiceAttr(ACT_TYPES) };

/** Options of `Activation`. */
export interface ActivationOptions extends NameOption {
  /** The function to apply; required, as in MXNet. */
  actType: ActType;
}


/** f''(x), written with operators so that it is differentiable again. */
const SECOND_DERIVATIVE: Record<ActType, (x: NDArray, F: Nd) => NDArray> = {
  // Piecewise linear: zero wherever it is defined.
  relu: (x, F) => F.zerosLike(x),
  // σ' = σ(1 − σ), σ'' = σ(1 − σ)(1 − 2σ).
  sigmoid: (x, F) => {
    const s = F.sigmoid(x);
    return F.multiply(F.multiply(s, F.subtract(1, s)), F.subtract(1, F.multiply(s, 2)));
  },
  // tanh' = 1 − t², tanh'' = −2t(1 − t²).
  tanh: (x, F) => {
    const t = F.tanh(x);
    return F.multiply(F.multiply(t, F.subtract(1, F.square(t))), -2);
  },
  // softrelu' = σ, softrelu'' = σ(1 − σ).
  softrelu: (x, F) => {
    const s = F.sigmoid(x);
    return F.multiply(s, F.subtract(1, s));
  },
  // softsign' = (1 + |x|)⁻², softsign'' = −2·sign(x)·(1 + |x|)⁻³.
  softsign: (x, F) => F.divide(F.multiply(F.sign(x), -2), F.power(F.add(F.abs(x), 1), 3)),
  // log σ' = 1 − σ, log σ'' = −σ(1 − σ).
  log_sigmoid: (x, F) => {
    const s = F.sigmoid(x);
    return F.negative(F.multiply(s, F.subtract(1, s)));
  },
  // With t = tanh(softplus x), s = σ(x): mish' = t + x(1 − t²)s, so
  // mish'' = (1 − t²)·s·(2 − 2x·t·s + x(1 − s)).
  mish: (x, F) => {
    const s = F.sigmoid(x);
    const t = F.tanh(F.Activation(x, { actType: 'softrelu' }));
    const inner = F.add(F.subtract(2, F.multiply(F.multiply(F.multiply(x, t), s), 2)), F.multiply(x, F.subtract(1, s)));
    return F.multiply(F.multiply(F.subtract(1, F.square(t)), s), inner);
  },
};

/** MXNet's `Activation` (see ActivationSignatures). */
export const ACTIVATION: Operator = defineOperator({
  name: 'Activation',
  aliases: ['_npx_activation'],
  attrs: ACTIVATION_ATTRS,
  inputs: ['data'],
  inplace: [[0, 0]],
  inferShape: (_, shapes) => ({ inputs: shapes, outputs: [shapes[0]] }),
  forward: ({ attrs, inputs: [x], outputs: [y] }) => ACTIVATION_FORWARD[attrs.actType](x.data, y.data),
  backward: ({ attrs, inputs: [x], outputGrads: [dy], into }, F) => [runInto(F, ACTIVATION_BACKWARD, [dy, x], attrs, into[0])],
});

/** `_backward_Activation(ograd, data)`: f'(data)·ograd, elementwise. */
export const ACTIVATION_BACKWARD: Operator = defineOperator({
  name: '_backward_Activation',
  attrs: ACTIVATION_ATTRS,
  inputs: ['ograd', 'data'],
  inplace: [[0, 0]],
  inferShape: (_, shapes, who) => sameShapeInference(who, ['ograd', 'data'], shapes),
  forward: ({ attrs, inputs: [dy, x], outputs: [dx] }) => ACTIVATION_GRAD[attrs.actType](x.data, dy.data, dx.data),
  backward: ({ attrs, inputs: [dy, x], outputGrads: [g], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, ACTIVATION_BACKWARD, [g, x], attrs, into[0]) : undefined,
    needsGrad[1] ? F.multiply(F.multiply(g, dy), SECOND_DERIVATIVE[attrs.actType](x, F)) : undefined,
  ],
});

/** The activation operators of `nd` and `sym`. */
export interface ActivationSignatures<T> {
  /**
   * MXNet's `Activation`: applies `actType` elementwise.
   *
   *     relu(x) = max(x, 0)              sigmoid(x) = 1 / (1 + e^−x)      tanh(x)
   *     softrelu(x) = log(1 + e^x)       softsign(x) = x / (1 + |x|)
   *
   * Shapes: data of every shape; the output has its shape. `actType` is required (no default, as
   * MXNet). Values are computed in float64 and rounded once (NaN stays NaN). Gradient: dx =
   * f'(x)·dy, with relu's derivative 0 at 0 (as MXNet); differentiable again (second derivatives
   * through every act type).
   *
   * @example
   * nd.Activation(nd.array([-1, 0, 2]), { actType: 'relu' }).toArray(); // [0, 0, 2]
   */
  Activation(data: T, options: ActivationOptions): T;
  /**
   * Softplus, `log(1 + e^x)` elementwise: `Activation` with actType 'softrelu' (computed without
   * overflow: exact for large |x|). Gradient `dy·σ(x)`.
   * @example nd.softrelu(nd.array([0, 100])).toArray(); // [0.6931472, 100]
   */
  softrelu(data: T): T;
}

/** `softrelu(data)`: the Activation operator with its act type fixed. */
const softrelu: Frontend = <T>(caller: OpCaller<T>) => (data: unknown): T => {
  const who = currentCaller(ACTIVATION);
  if (!caller.isTensor(data)) throw new GluonError(`${who}: expected data to be ${caller.kind}, but got ${describeValue(data)}`);
  return caller.call(ACTIVATION, [data], ACTIVATION.resolveOptions({ actType: 'softrelu' }, who))[0];
};

export const ACTIVATION_FRONTENDS: FrontendTable<ActivationSignatures<unknown>> = {
  Activation: standard(ACTIVATION),
  softrelu,
};
