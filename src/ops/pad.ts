/**
 * MXNet's `Pad` (alias `pad`, `src/operator/pad.cc`): constant, edge and reflect padding of the
 * spatial axes of 4-D and 5-D arrays, on the CPU pad kernel, with its gradient operator
 * `_backward_Pad`.
 *
 * The gradients are operators again, so Pad differentiates any number of times: Pad is affine in
 * its data, y = A·x + c·b (A copies input values, b marks the constant border), so its data
 * gradient is Aᵀ·dy (`_backward_Pad`, each output gradient added to the input element it was
 * copied from); `_backward_Pad` is linear and its gradient is A·G, which is `Pad` itself with
 * constant value 0 (for edge and reflect the constant is never read).
 */
import { GluonError, formatShape } from '../core/errors';
import { checkShape } from '../core/shape';
import { InputPad, PadGeometry, padBackward, padForward } from '../kernels/cpu/pad';
import { AttrValues, choiceAttr, floatAttr, tupleAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';

/** How Pad fills the border: a constant, the edge values repeated, or the mirror image without the edge. */
export const PAD_MODES = ['constant', 'edge', 'reflect'] as const;
export type PadMode = (typeof PAD_MODES)[number];

/** MXNet's PadParam, in its declaration order (`mode` has no default there: it is required). */
const PAD_ATTRS = {
  mode: choiceAttr(PAD_MODES),
  // Checked against the data's rank (2 widths per axis, >= 0) by shape inference.
  padWidth: tupleAttr(),
  constantValue: floatAttr({ finite: false, default: 0 }),
};
type PadAttrs = AttrValues<typeof PAD_ATTRS>;

/** A planned padding: the kernel's geometry, the border value (float32) and the output shape. */
interface PadPlan extends InputPad {
  readonly outShape: Shape;
}

/** Checks pad_width against data of `shape`: 2 widths >= 0 per axis, none on axes 0 and 1. */
function checkPadWidth(who: string, widths: readonly number[], shape: Shape): void {
  const count = 2 * shape.length;
  if (widths.length !== count || widths.some((w) => w < 0)) {
    throw new GluonError(
      `${who}: expected padWidth to be ${count} integers >= 0 (before and after for each of the ${shape.length} axes of data), but got ${formatShape(widths)}`,
    );
  }
  if (widths.slice(0, 4).some((w) => w !== 0)) {
    throw new GluonError(`${who}: expected no padding on axes 0 and 1 (padWidth[0..3] all 0, as MXNet), but got padWidth ${formatShape(widths)}`);
  }
}

/** Checks that every padded axis of data of `shape` can supply the values `mode` copies. */
function checkSources(who: string, mode: PadMode, widths: readonly number[], shape: Shape): void {
  for (let axis = 2; axis < shape.length; axis++) {
    const [before, after, n] = [widths[2 * axis], widths[2 * axis + 1], shape[axis]];
    if (mode === 'reflect' && before + after > 0 && (before >= n || after >= n)) {
      throw new GluonError(
        `${who}: expected reflect widths smaller than the axis they pad, but got ${before} and ${after} for axis ${axis} of size ${n} in data of shape ${formatShape(shape)}`,
      );
    }
    if (mode === 'edge' && n === 0 && before + after > 0) {
      throw new GluonError(`${who}: expected a non-empty axis to pad in mode 'edge', but axis ${axis} of data of shape ${formatShape(shape)} is empty`);
    }
  }
}

/** Checks a padding of data of `shape` and plans the kernel (MXNet's PadShape). */
function planPad(who: string, a: PadAttrs, shape: Shape): PadPlan {
  if (shape.length !== 4 && shape.length !== 5) {
    throw new GluonError(`${who}: expected data of rank 4 or 5 (MXNet pads only 4-D and 5-D arrays), but got shape ${formatShape(shape)}`);
  }
  const widths = a.padWidth;
  checkPadWidth(who, widths, shape);
  checkSources(who, a.mode, widths, shape);
  const outShape = shape.map((n, axis) => widths[2 * axis] + n + widths[2 * axis + 1]);
  checkShape(outShape, `${who} output`);
  const spatial = shape.slice(2).map((_, i) => i + 2);
  const geometry: PadGeometry = {
    mode: a.mode,
    blocks: shape[0] * shape[1],
    inSize: shape.slice(2),
    before: spatial.map((axis) => widths[2 * axis]),
    after: spatial.map((axis) => widths[2 * axis + 1]),
  };
  return { geometry, outShape, value: Math.fround(a.constantValue) };
}

/** MXNet's `Pad` (see PadSignatures). */
export const PAD: Operator = defineOperator({
  name: 'Pad',
  aliases: ['pad'],
  attrs: PAD_ATTRS,
  inputs: ['data'],
  inferShape: (a, shapes, who): ShapeInference<PadPlan> => {
    const [data] = shapes;
    if (data === undefined) return { inputs: shapes, outputs: [undefined] };
    const plan = planPad(who, a, data);
    return { inputs: shapes, outputs: [plan.outShape], plan };
  },
  forward: ({ plan, inputs: [x], outputs: [y] }) => padForward(plan.geometry, x.data, y.data, plan.value),
  backward: ({ attrs, outputGrads: [dy], needsGrad, into }, F) => [needsGrad[0] ? runInto(F, PAD_GRAD, [dy], attrs, into[0]) : undefined],
});

/**
 * What a planned node of `op` pads, when it is a `Pad`: the cached graph then folds it into a
 * convolution that reads it (symbol/fusion.ts).
 */
export function padOfNode(op: Operator, plan: unknown): InputPad | undefined {
  return op === PAD ? (plan as PadPlan) : undefined;
}

/**
 * `_backward_Pad(ograd)` (MXNet's takes the output gradient only, as here): the data gradient
 * of `Pad` with the same attributes, in the data's shape (ograd's minus the widths): each ograd
 * element added to the input element it was copied from, the constant border dropped. Linear; its
 * gradient is `Pad` with constant value 0.
 */
export const PAD_GRAD: Operator = defineOperator({
  name: '_backward_Pad',
  attrs: PAD_ATTRS,
  inputs: ['ograd'],
  inferShape: (a, shapes, who): ShapeInference<PadPlan> => {
    const [ograd] = shapes;
    if (ograd === undefined) return { inputs: shapes, outputs: [undefined] };
    const widths = a.padWidth;
    const data = widths.length === 2 * ograd.length ? ograd.map((n, axis) => n - widths[2 * axis] - widths[2 * axis + 1]) : ograd;
    if (data.some((n) => n < 0)) {
      throw new GluonError(`${who}: expected ograd at least as large as padWidth ${formatShape(widths)} on every axis, but got shape ${formatShape(ograd)}`);
    }
    return { inputs: shapes, outputs: [data], plan: planPad(who, a, data) };
  },
  forward: ({ plan, inputs: [dy], outputs: [dx] }) => padBackward(plan.geometry, dy.data, dx.data),
  backward: ({ attrs, outputGrads: [g], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, PAD, [g], { ...attrs, constantValue: 0 }, into[0]) : undefined,
  ],
});

/** Options of `Pad` (MXNet's attributes in camelCase). */
export interface PadOptions extends NameOption {
  /** 'constant', 'edge' or 'reflect'. Required, as in MXNet. */
  mode: PadMode;
  /**
   * `[before₀, after₀, before₁, after₁, …]`: two widths per axis of data (numpy's pad_width,
   * flattened). Required; the four widths of axes 0 and 1 (N and C) must be 0, as MXNet.
   */
  padWidth: readonly number[];
  /** The fill value of mode 'constant' (rounded to float32). Default 0. */
  constantValue?: number;
}

/** Padding of `nd` and `sym`. */
export interface PadSignatures<T> {
  /**
   * MXNet's `Pad` on 4-D (N, C, H, W) or 5-D (N, C, D, H, W) data: each spatial axis a grows by
   * its before and after widths,
   *
   *     out.shape[a] = padWidth[2a] + data.shape[a] + padWidth[2a + 1]
   *
   * and the border holds `constantValue` ('constant'; constantValue default 0), the
   * nearest edge value ('edge'), or the mirror image without the edge ('reflect': [1, 2, 3]
   * padded by 2 is [3, 2, 1, 2, 3, 2, 1]; its widths must be smaller than the axis). Gradient:
   * each output gradient added to the input element it was copied from (float64, rounded once),
   * differentiable again.
   *
   * @example
   * nd.pad(nd.array([[[[1, 2, 3]]]]), { mode: 'reflect', padWidth: [0, 0, 0, 0, 0, 0, 2, 1] }).toArray();
   * // [[[[3, 2, 1, 2, 3, 2]]]]
   */
  Pad(data: T, options: PadOptions): T;
  /** The same as `Pad` (MXNet's alias). @example nd.pad(x, { mode: 'edge', padWidth: [0, 0, 0, 0, 1, 1, 1, 1] }); */
  pad(data: T, options: PadOptions): T;
}

export const PAD_FRONTENDS: FrontendTable<PadSignatures<unknown>> = {
  Pad: standard(PAD),
  pad: standard(PAD),
};

