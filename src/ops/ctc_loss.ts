/**
 * MXNet's `CTCLoss` (aliases `ctc_loss`, `_contrib_CTCLoss`, `_contrib_ctc_loss`;
 * src/operator/nn/ctc_loss-inl.h): the connectionist temporal classification loss of
 * activations (T, N, C) against label sequences (N, L), with a softmax over the alphabet inside,
 * on the CPU CTC kernel. Gradient: softmax − the symbols' posteriors, times the output gradient;
 * the labels and lengths get none.
 */
import { GluonError, formatShape } from '../core/errors';
import { isRecording } from '../autograd/tape';
import { CtcItem, ctcForward } from '../kernels/cpu/ctc';
import { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, choiceAttr } from './attrs';
import { isPlainObject } from '../core/checks';
import { Frontend, FrontendTable, NameOption, OpCaller, standard } from './frontend';
import { Operator, Shape, defineOperator } from './operator';

/** MXNet's CTCLossOpParam, in its declaration order. */
const CTC_ATTRS = {
  useDataLengths: boolAttr({ default: false }),
  useLabelLengths: boolAttr({ default: false }),
  blankLabel: choiceAttr(['first', 'last'] as const, { default: 'first' }),
};
type CtcAttrs = AttrValues<typeof CTC_ATTRS>;

/** Options of `CTCLoss`. */
export interface CTCLossOptions extends NameOption {
  /** data_lengths (N,) is given: item n uses its first data_lengths[n] steps. Default false (all T). */
  useDataLengths?: boolean;
  /** label_lengths (N,) is given; otherwise a label ends at its first padding value. Default false. */
  useLabelLengths?: boolean;
  /** The blank symbol: 'first' (0; labels 1…C−1, padding 0) or 'last' (C−1; labels 0…C−2, padding −1). Default 'first'. */
  blankLabel?: 'first' | 'last';
}

const inputNames = (a: CtcAttrs) => ['data', 'label', ...(a.useDataLengths ? ['data_lengths'] : []), ...(a.useLabelLengths ? ['label_lengths'] : [])];

/** Checks data (T, N, C), label (N, L) and lengths (N,); the loss is (N,). */
function inferCtcShapes(who: string, a: CtcAttrs, shapes: readonly (Shape | undefined)[]): Shape {
  const [data, label, ...lengths] = shapes;
  if (data === undefined) throw new GluonError(`${who}: expected data (sequence length, batch, alphabet), but it has no shape`);
  if (data.length !== 3 || data[2] < 2) throw new GluonError(`${who}: expected data of shape (sequence length, batch, alphabet ≥ 2), but got shape ${formatShape(data)}`);
  const batch = data[1];
  if (label !== undefined && (label.length !== 2 || label[0] !== batch)) {
    throw new GluonError(`${who}: expected label of shape (${batch}, label length), but got shape ${formatShape(label)}`);
  }
  lengths.forEach((shape, i) => {
    if (shape !== undefined && (shape.length !== 1 || shape[0] !== batch)) {
      throw new GluonError(`${who}: expected ${inputNames(a)[2 + i]} of shape (${batch},), but got shape ${formatShape(shape)}`);
    }
  });
  return [batch];
}

/** Each item's label and steps, read and checked from the label and length arrays. */
function ctcItems(who: string, a: CtcAttrs, inputs: readonly NDArray[]): { items: CtcItem[]; blank: number } {
  const [data, label] = inputs;
  const [T, N, C] = data.shape;
  const L = label.shape[1];
  const blank = a.blankLabel === 'first' ? 0 : C - 1;
  const padding = a.blankLabel === 'first' ? 0 : -1;
  const dataLengths = a.useDataLengths ? inputs[2].data : undefined;
  const labelLengths = a.useLabelLengths ? inputs[a.useDataLengths ? 3 : 2].data : undefined;
  const checkCount = (name: string, v: number, max: number) => {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new GluonError(`${who}: expected ${name} to be integers in [0, ${max}], but got ${v}`);
    return v;
  };
  const items = Array.from({ length: N }, (_, n) => {
    const steps = dataLengths ? checkCount('data_lengths', dataLengths[n], T) : T;
    const row = Array.from(label.data.subarray(n * L, (n + 1) * L));
    const end = labelLengths ? checkCount('label_lengths', labelLengths[n], L) : (row.indexOf(padding) < 0 ? L : row.indexOf(padding));
    const symbols = row.slice(0, end);
    symbols.forEach((s) => {
      if (!Number.isInteger(s) || s < 0 || s >= C || s === blank) {
        throw new GluonError(`${who}: expected labels to be symbol indices in [0, ${C}) other than the blank ${blank} (blankLabel '${a.blankLabel}'), but item ${n} has ${s}`);
      }
    });
    return { label: symbols, steps };
  });
  return { items, blank };
}

/** MXNet's `CTCLoss` (see CTCLossSignatures). */
export const CTC_LOSS: Operator = defineOperator({
  name: 'CTCLoss',
  aliases: ['ctc_loss', '_contrib_CTCLoss', '_contrib_ctc_loss'],
  attrs: CTC_ATTRS,
  inputs: inputNames,
  indexInputs: [1, 2, 3],
  // MXNet also outputs the gradient it computes in the forward, hidden.
  hiddenOutputs: 1,
  inferShape: (a, shapes, who) => ({ inputs: shapes, outputs: [shapes[0] === undefined ? undefined : inferCtcShapes(who, a, shapes)] }),
  forward: ({ attrs, inputs, outputs: [loss], recording, who }) => {
    const { items, blank } = ctcItems(who, attrs, inputs);
    const [, N, C] = inputs[0].shape;
    const grad = recording ? new Float32Array(inputs[0].size) : undefined;
    ctcForward(inputs[0].data, N, C, items, blank, loss.data, grad);
    return grad === undefined ? undefined : new NDArray(grad, inputs[0].shape);
  },
  backward: ({ who, saved, outputGrads: [dy], inputs, needsGrad }, F) => {
    const none = inputs.map(() => undefined);
    if (!needsGrad[0] || saved === undefined) return none;
    if (isRecording()) {
      throw new GluonError(`${who}: CTCLoss's gradient is computed with its forward and cannot be differentiated again (autograd.grad with createGraph)`);
    }
    const [, N] = saved.shape;
    return [F.broadcastMul(saved, F.reshape(dy, { shape: [1, N, 1] })), ...none.slice(1)];
  },
});

/** CTC of `nd` and `sym`. */
export interface CTCLossSignatures<T> {
  /**
   * MXNet's `CTCLoss`: for each item n, −log Σ over the alignments of its label to its time steps
   * of Π_t softmax(data[t, n])[symbol_t], a blank allowed between symbols and each symbol
   * repeatable. data (T, N, C), label (N, L) (padded: 0 with blankLabel 'first', −1 with 'last'),
   * optional dataLengths (N,) and labelLengths (N,) (giving one sets its use flag); output (N,).
   * A label that cannot fit its steps gives +Infinity (and a zero gradient). MXNet leaves
   * out-of-range lengths and labels undefined; here they are errors.
   *
   * @example nd.CTCLoss(nd.zeros([3, 1, 2]), nd.array([[1]])).toArray(); // [−log(6/8)]: 6 of the 8 paths read "1"
   */
  CTCLoss(data: T, label: T, options?: CTCLossOptions): T;
  CTCLoss(data: T, label: T, dataLengths: T | undefined, labelLengths?: T, options?: CTCLossOptions): T;
  /** The same as `CTCLoss` (MXNet's alias). @example nd.ctcLoss(x, labels, { blankLabel: 'last' }) */
  ctcLoss(data: T, label: T, options?: CTCLossOptions): T;
  ctcLoss(data: T, label: T, dataLengths: T | undefined, labelLengths?: T, options?: CTCLossOptions): T;
}

/** The standard frontend with the lengths compacted: a given length sets its use flag (unless the options say). */
const ctcFrontend: Frontend = <T>(caller: OpCaller<T>) => {
  // The standard frontend checks the inputs and options; it is typed for its signature, not this call.
  const call = standard(CTC_LOSS)(caller) as (...args: unknown[]) => unknown;
  return (...args: unknown[]) => {
    const last = args[args.length - 1];
    const options = isPlainObject(last) ? last : undefined;
    const [data, label, dataLengths, labelLengths] = options === undefined ? args : args.slice(0, -1);
    const flags = { useDataLengths: dataLengths !== undefined, useLabelLengths: labelLengths !== undefined };
    return call(data, label, ...[dataLengths, labelLengths].filter((x) => x !== undefined), { ...flags, ...options });
  };
};

export const CTC_FRONTENDS: FrontendTable<CTCLossSignatures<unknown>> = {
  CTCLoss: ctcFrontend,
  ctcLoss: ctcFrontend,
};
