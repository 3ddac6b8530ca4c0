/**
 * MXNet's `Dropout` operator. Masks come from the global seeded generator (src/random.ts), so
 * `random.seed(n)` reproduces them; the mask is MXNet's hidden second output, kept here for the
 * backward, which multiplies by it (linear, so its own derivative is exact).
 */
import { GluonError, formatShape } from '../core/errors';
import { normalizeAxis, shapeSize } from '../core/shape';
import { MULTIPLY, binaryBroadcast } from '../kernels/cpu/binary';
import { NDArray } from '../ndarray/ndarray';
import { uniform01 } from '../random';
import { AttrSpec, boolAttr, choiceAttr, floatAttr, optionalAttr, tupleAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { Operator, Shape, defineOperator } from './operator';

/** When Dropout drops: only in training mode (MXNet's default), or on every call. */
export const DROPOUT_MODES = ['training', 'always'] as const;
export type DropoutMode = (typeof DROPOUT_MODES)[number];

/** A float attribute in [0, 1] (MXNet's `set_range(0, 1)`): Dropout's `p`, SoftmaxOutput's `smooth_alpha`. */
export function unitIntervalAttr(defaultValue: number): AttrSpec<number> {
  const base = floatAttr({ default: defaultValue });
  const inRange = (v: number | undefined): number | undefined => (v !== undefined && v >= 0 && v <= 1 ? v : undefined);
  return { ...base, description: 'a number in [0, 1]', fromOption: (v) => inRange(base.fromOption(v)), fromJson: (t) => inRange(base.fromJson(t)) };
}

/** MXNet's DropoutParam, in its declaration order, with its defaults. */
const DROPOUT_ATTRS = {
  p: unitIntervalAttr(0.5),
  mode: choiceAttr(DROPOUT_MODES, { default: 'training' }),
  axes: tupleAttr({ default: [] }),
  cudnnOff: optionalAttr(boolAttr(), { default: false, ignored: true }),
};

/** Options of `Dropout`; the defaults are MXNet's. */
export interface DropoutOptions extends NameOption {
  /** The fraction of elements to zero, in [0, 1]. Default 0.5. */
  p?: number;
  /** Default 'training': drop only while autograd.isTraining(); 'always' drops in prediction too. */
  mode?: DropoutMode;
  /** Axes along which one mask value is shared (e.g. [2, 3] drops whole feature maps of NCHW). Default [] (none). */
  axes?: readonly number[];
  /** cuDNN only: accepted and ignored. Default false. */
  cudnnOff?: boolean | null;
}

/** The mask's shape: the data's with every axis in `axes` (negative counts from the end) reduced to 1. */
function maskShape(who: string, axes: readonly number[], data: Shape): Shape {
  const shared = axes.map((a) => normalizeAxis(a, data.length, who));
  if (new Set(shared).size !== shared.length) {
    throw new GluonError(`${who}: expected distinct axes, but got ${formatShape(axes)} for an input of rank ${data.length}`);
  }
  return data.map((dim, d) => (shared.includes(d) ? 1 : dim));
}

/**
 * A mask of `shape`: each value is 1/(1 − p) with probability 1 − p, else 0, drawn in row-major
 * order from the global generator. The scale is MXNet's float32 `1.0f / (1.0f - p)`.
 */
function drawMask(shape: Shape, p: number): NDArray {
  const keep = Math.fround(1 - Math.fround(p));
  // p = 1 keeps nothing: MXNet's mask is then 0·(1/0) = NaN; zeros are what "drop all" means.
  const scale = keep > 0 ? Math.fround(1 / keep) : 0;
  const mask = new Float32Array(shapeSize(shape));
  for (let i = 0; i < mask.length; i++) mask[i] = uniform01() < keep ? scale : 0;
  return new NDArray(mask, shape);
}

/** MXNet's `Dropout` (see DropoutSignatures). */
export const DROPOUT: Operator = defineOperator({
  name: 'Dropout',
  aliases: ['_npx_dropout'],
  attrs: DROPOUT_ATTRS,
  inputs: ['data'],
  hiddenOutputs: 1,
  inplace: [[0, 0]],
  inferShape: ({ axes }, [data], who) =>
    data === undefined ? { inputs: [data], outputs: [undefined] } : { inputs: [data], outputs: [data], plan: maskShape(who, axes, data) },
  forward: ({ attrs: { p, mode }, plan, inputs: [x], outputs: [y], training }): NDArray | undefined => {
    if (p === 0 || (mode === 'training' && !training)) {
      y.data.set(x.data);
      return undefined;
    }
    const mask = drawMask(plan, p);
    binaryBroadcast(MULTIPLY, y.data, x.data, x.shape, mask.data, mask.shape, x.shape);
    return mask;
  },
  backward: ({ saved: mask, outputGrads: [dy] }, F) => [mask === undefined ? dy : F.multiply(dy, mask)],
});

/** The Dropout operator of `nd` and `sym`. */
export interface DropoutSignatures<T> {
  /**
   * MXNet's `Dropout` (Srivastava et al., 2014):
   *
   *     out = x · mask,   mask = 1/(1 − p) with probability 1 − p, else 0
   *
   * when dropping (p > 0 and, in mode 'training', autograd.isTraining()); otherwise a copy of x
   * (the identity at inference). The mask has x's shape with every axis in `axes` reduced to 1,
   * so one draw is shared along those axes (e.g. axes [2, 3] on NCHW zeroes whole channels).
   * Gradient: dx = dy · mask, the same mask (dy itself when nothing was dropped). Shapes: x of
   * every shape; the output has x's shape. Defaults (MXNet's): p 0.5, mode 'training', axes [],
   * cudnnOff false (ignored). p = 1 gives zeros (MXNet's kernel gives NaN there: 0 · 1/0).
   * Negative axes count from the end (a tsgluon extension).
   *
   * @example
   * random.seed(0);
   * const y = autograd.trainMode(() => nd.Dropout(nd.ones([2, 4]), { p: 0.5 }));
   * // each value is 0 or 2, about half of each
   */
  Dropout(data: T, options?: DropoutOptions): T;
}

export const DROPOUT_FRONTENDS: FrontendTable<DropoutSignatures<unknown>> = {
  Dropout: standard(DROPOUT),
};
