/**
 * MXNet's sequence operators for padded batches of variable-length sequences: `SequenceMask`,
 * `SequenceLast` and `SequenceReverse`, with the backward operator `_backward_SequenceLast`.
 * Data is (max_sequence_length, batch_size, …) for axis 0, (batch_size, max_sequence_length, …)
 * for axis 1 (SequenceMask and SequenceLast; SequenceReverse supports axis 0 only, as MXNet 1.9).
 * `sequence_length` (float32, shape (batch_size,)) is an input only with `useSequenceLength`; its
 * values are truncated toward zero as MXNet's C cast. Without it every sequence is full length.
 *
 * Where MXNet's kernels read or write out of bounds (undefined behaviour), we throw instead: a
 * length that is not finite or is negative; for SequenceLast one outside [1, max length], for
 * SequenceReverse one past the max length. SequenceMask keeps a sequence longer than the max
 * length whole, as MXNet. The sequence lengths get no gradient.
 */
import { GluonError, formatShape } from '../core/errors';
import { shapeSize } from '../core/shape';
import * as k from '../kernels/cpu/sequence';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, floatAttr, intAttr } from './attrs';
import { AbsentInputOptions, FrontendTable, NameOption, standard } from './frontend';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

const SEQUENCE_ATTRS = { useSequenceLength: boolAttr({ default: false }), axis: intAttr({ default: 0 }) };
/** MXNet's order: use_sequence_length, value, axis. */
const MASK_ATTRS = { useSequenceLength: SEQUENCE_ATTRS.useSequenceLength, value: floatAttr({ finite: false, default: 0 }), axis: SEQUENCE_ATTRS.axis };
type SequenceAttrs = AttrValues<typeof SEQUENCE_ATTRS>;

/** The inputs: `sequence_length` only with `useSequenceLength`, as MXNet's ListArguments. */
const sequenceInputs = ({ useSequenceLength }: SequenceAttrs): readonly string[] => (useSequenceLength ? ['data', 'sequence_length'] : ['data']);

/**
 * The view of data of `shape` and the batch size, checking the axis and rank; with
 * `useSequenceLength`, sequence_length must be (batch_size,), and is inferred so when unknown.
 */
function sequenceInference({ useSequenceLength, axis }: SequenceAttrs, shapes: readonly MaybeShape[], who: string, axes: readonly number[]): ShapeInference<k.SequenceView> {
  if (!axes.includes(axis)) {
    throw new GluonError(`${who}: expected axis ${axes.join(' or ')} (the sequence axes MXNet 1.9 supports here), but got ${axis}`);
  }
  const [data, lengths] = shapes;
  if (data === undefined) return { inputs: shapes, outputs: [undefined] };
  if (data.length < 2) {
    throw new GluonError(`${who}: expected data of rank 2 or more (${axis === 0 ? 'max_sequence_length, batch_size' : 'batch_size, max_sequence_length'}, …), but got shape ${formatShape(data)}`);
  }
  const batch = data[1 - axis];
  if (useSequenceLength && lengths !== undefined) expectShape(who, 'sequence_length', lengths, [batch], data);
  const view: k.SequenceView = { steps: data[axis], batch, rest: shapeSize(data.slice(2)), axis: axis === 0 ? 0 : 1 };
  return { inputs: useSequenceLength ? [data, [batch]] : [data], outputs: [data], plan: view };
}

/**
 * The sequence lengths, checked: finite, and after truncation at least `min` and (unless
 * `max` is Infinity) at most `max`. Undefined without `useSequenceLength`.
 */
function checkedLengths(who: string, inputs: readonly NDArray[], min: number, max: number): Float32Array | undefined {
  const lengths = inputs[1]?.data;
  if (lengths === undefined) return undefined;
  for (let b = 0; b < lengths.length; b++) {
    const length = Math.trunc(lengths[b]);
    if (!(Number.isFinite(length) && length >= min && length <= max)) {
      const range = max === Infinity ? `finite and >= ${min}` : `in [${min}, ${max}]`;
      throw new GluonError(`${who}: expected sequence_length values ${range} (after truncation toward zero), but got ${lengths[b]} for sequence ${b}`);
    }
  }
  return lengths;
}

/**
 * `SequenceMask`: data with every step at or past its sequence's length set to `value`
 * (identity without `useSequenceLength`). Gradient: dy masked the same way with 0.
 */
export const SEQUENCE_MASK: Operator = defineOperator({
  name: 'SequenceMask',
  aliases: ['_npx_sequence_mask'],
  attrs: MASK_ATTRS,
  inputs: sequenceInputs,
  indexInputs: [1],
  inplace: [[0, 0]],
  inferShape: (attrs, shapes, who) => sequenceInference(attrs, shapes, who, [0, 1]),
  forward: ({ attrs, plan, inputs, outputs: [y], who }) =>
    k.sequenceMask(inputs[0].data, checkedLengths(who, inputs, 0, Infinity), plan, attrs.value, y.data),
  backward: ({ attrs, inputs: [, lengths], outputGrads: [dy] }, F) => [
    attrs.useSequenceLength ? F.SequenceMask(dy, lengths, { useSequenceLength: true, axis: attrs.axis }) : dy,
    undefined,
  ],
});

/** `SequenceLast`'s output shape: data's without the sequence axis, batch first. */
function lastShape(data: Shape, axis: number): Shape {
  return [data[1 - axis], ...data.slice(2)];
}

/**
 * `SequenceLast`: each sequence's last step (step length − 1), shape (batch_size, …).
 * Gradient: dy at those steps, 0 elsewhere (`_backward_SequenceLast`).
 */
export const SEQUENCE_LAST: Operator = defineOperator({
  name: 'SequenceLast',
  attrs: SEQUENCE_ATTRS,
  inputs: sequenceInputs,
  indexInputs: [1],
  inferShape: (attrs, shapes, who) => {
    const inference = sequenceInference(attrs, shapes, who, [0, 1]);
    return { ...inference, outputs: [shapes[0] === undefined ? undefined : lastShape(shapes[0], attrs.axis)] };
  },
  forward: ({ plan, inputs, outputs: [y], who }) => k.sequenceLast(inputs[0].data, checkedLengths(who, inputs, 1, plan.steps), plan, y.data),
  backward: ({ attrs, inputs: [x, lengths], outputGrads: [dy], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, BACKWARD_SEQUENCE_LAST, lengths === undefined ? [dy, x] : [dy, x, lengths], attrs, into[0]) : undefined,
    undefined,
  ],
});

/** `_backward_SequenceLast(ograd, data, sequence_length?)`: ograd at each sequence's last step of zeros of data's shape. */
export const BACKWARD_SEQUENCE_LAST: Operator = defineOperator({
  name: '_backward_SequenceLast',
  attrs: SEQUENCE_ATTRS,
  inputs: (attrs) => ['ograd', ...sequenceInputs(attrs)],
  inferShape: (attrs, shapes, who) => {
    const [ograd, ...rest] = shapes;
    const inference = sequenceInference(attrs, rest, who, [0, 1]);
    const data = rest[0];
    if (data !== undefined && ograd !== undefined) expectShape(who, 'ograd', ograd, lastShape(data, attrs.axis), data);
    return { inputs: [ograd, ...inference.inputs], outputs: [data], plan: inference.plan };
  },
  forward: ({ plan, inputs: [dy, ...rest], outputs: [dx], who }) => k.sequenceLastAdjoint(dy.data, checkedLengths(who, rest, 1, plan.steps), plan, dx.data),
  backward: ({ attrs, inputs: [, , lengths], outputGrads: [g], needsGrad }, F) => [
    needsGrad[0] ? F.SequenceLast(g, lengths, { useSequenceLength: attrs.useSequenceLength, axis: attrs.axis }) : undefined,
    undefined,
    undefined,
  ],
});

/**
 * `SequenceReverse`: the first length steps of each sequence in reverse order, the padding after
 * them in place (axis 0 only). Gradient: dy reversed the same way.
 */
export const SEQUENCE_REVERSE: Operator = defineOperator({
  name: 'SequenceReverse',
  attrs: SEQUENCE_ATTRS,
  inputs: sequenceInputs,
  indexInputs: [1],
  inferShape: (attrs, shapes, who) => sequenceInference(attrs, shapes, who, [0]),
  forward: ({ plan, inputs, outputs: [y], who }) => k.sequenceReverse(inputs[0].data, checkedLengths(who, inputs, 0, plan.steps), plan, y.data),
  backward: ({ attrs, inputs: [, lengths], outputGrads: [dy] }, F) => [F.SequenceReverse(dy, lengths, { useSequenceLength: attrs.useSequenceLength, axis: 0 }), undefined],
});

/** Options of `SequenceLast` and `SequenceReverse`. */
export interface SequenceOptions extends NameOption {
  /**
   * Whether `sequenceLength` is an input. Default: whether it is given (MXNet requires the flag;
   * `sym` with the flag and no input makes a variable `<name>_sequence_length`, as MXNet).
   */
  useSequenceLength?: boolean;
  /** The sequence axis: 0 (data (T, N, …), the default) or 1 (data (N, T, …); not SequenceReverse). */
  axis?: number;
}

/** Options of `SequenceMask`. */
export interface SequenceMaskOptions extends SequenceOptions {
  /** The value of the masked steps. Default 0. */
  value?: number;
}

/** A given sequence_length sets `useSequenceLength` unless the options say otherwise. */
const lengthGiven: AbsentInputOptions = (present) => (present[1] === true ? { useSequenceLength: true } : {});

/** The sequence operators of `nd` and `sym`. */
export interface SequenceSignatures<T> {
  /**
   * MXNet's `SequenceMask`: with data (T, N, …) (axis 0) or (N, T, …) (axis 1), sets every step
   * t ≥ sequenceLength[n] of sequence n to `value`; identity without lengths. Shape unchanged.
   * Gradient: dy with the same steps zeroed.
   * @example nd.SequenceMask(nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([1, 3])).toArray(); // [[1, 2], [0, 4], [0, 6]]
   */
  SequenceMask(data: T, options?: SequenceMaskOptions): T;
  SequenceMask(data: T, sequenceLength: T | undefined, options?: SequenceMaskOptions): T;
  /**
   * MXNet's `SequenceLast`: the step sequenceLength[n] − 1 of each sequence n (the last step
   * without lengths), shape (N, …). Lengths must be in [1, T]. Gradient: dy at those steps.
   * @example nd.SequenceLast(nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([1, 3])).toArray(); // [1, 6]
   */
  SequenceLast(data: T, options?: SequenceOptions): T;
  SequenceLast(data: T, sequenceLength: T | undefined, options?: SequenceOptions): T;
  /**
   * MXNet's `SequenceReverse` (axis 0 only): the first sequenceLength[n] steps of sequence n in
   * reverse order, later (padding) steps in place. Lengths must be in [0, T]. Gradient: dy reversed the same way.
   * @example nd.SequenceReverse(nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([2, 3])).toArray(); // [[3, 6], [1, 4], [5, 2]]
   */
  SequenceReverse(data: T, options?: SequenceOptions): T;
  SequenceReverse(data: T, sequenceLength: T | undefined, options?: SequenceOptions): T;
}

export const SEQUENCE_FRONTENDS: FrontendTable<SequenceSignatures<unknown>> = {
  SequenceMask: standard(SEQUENCE_MASK, lengthGiven),
  SequenceLast: standard(SEQUENCE_LAST, lengthGiven),
  SequenceReverse: standard(SEQUENCE_REVERSE, lengthGiven),
};
