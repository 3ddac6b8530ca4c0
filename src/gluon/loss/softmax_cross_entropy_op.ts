/**
 * The fused softmax cross-entropy op behind SoftmaxCrossEntropyLoss: the loss comes from a
 * log-softmax computed in float64 (no log of a rounded probability), and the gradient is the
 * closed form `softmax − onehot` rather than a chain through log and exp.
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp, requiresGrad, withRecording } from '../../autograd/tape';
import { NDArray } from '../../ndarray/ndarray';
import { logSoftmax } from '../../ndarray/ops';
import { axisView } from '../../ndarray/ops/validate';

/** How the op reads its inputs. */
export interface SoftmaxCrossEntropyMode {
  /** Labels are class indices (one per lane) rather than distributions. */
  readonly sparse: boolean;
  /** pred already holds log-probabilities: no log-softmax is applied. */
  readonly fromLogits: boolean;
}

/**
 * Per-lane cross-entropy along `axis` (normalized, ≥ 0), in pred's shape with `axis` of length 1
 * (Gluon's keepdims): `−log p[label]` (sparse) or `−Σ_k label_k · log p_k` (dense), where
 * `log p = logSoftmax(pred)` or `pred` itself when `fromLogits`.
 *
 * Gradient, per lane with upstream g: sparse `g·(p − onehot(label))`, dense
 * `g·(p·Σ_k label_k − label)` (both without the `p` term when `fromLogits`); dense labels also
 * get `−g·log p`. Sparse labels (indices) get none.
 *
 * @example
 * const loss = softmaxCrossEntropy('ce', nd.array([[0, 0]]), nd.array([1]), 1, { sparse: true, fromLogits: false });
 * loss.toArray(); // [[0.6931472]]
 */
export function softmaxCrossEntropy(owner: string, pred: NDArray, label: NDArray, axis: number, mode: SoftmaxCrossEntropyMode): NDArray {
  const { outer, length, inner } = axisView(pred.shape, axis);
  const classes = mode.sparse ? classIndices(owner, pred, label, axis) : undefined;
  // The log-probabilities are an intermediate of this op, not a separate step on the tape.
  const logp = mode.fromLogits ? pred.data : withRecording(false, () => logSoftmax(pred, axis)).data;
  const y = label.data;
  const out = new Float32Array(outer * inner);
  forEachLane(outer, length, inner, (lane, base) => {
    if (classes !== undefined) {
      out[lane] = -logp[base + classes[lane] * inner];
    } else {
      let total = 0;
      for (let k = 0, at = base; k < length; k++, at += inner) total += y[at] * logp[at];
      out[lane] = -total;
    }
  });
  const shape = pred.shape.map((dim, d) => (d === axis ? 1 : dim));
  return recordOp(owner, new NDArray(out, shape), [pred, label], (dout) => [
    requiresGrad(pred) ? predGradient(dout.data, pred, logp, y, classes, axis, mode.fromLogits) : undefined,
    requiresGrad(label) && classes === undefined ? scaledLogp(dout.data, label, logp, outer, length, inner) : undefined,
  ]);
}

/** Calls `visit(lane, base)` for each lane: its output index and the flat index of its first element. */
function forEachLane(outer: number, length: number, inner: number, visit: (lane: number, base: number) => void): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) visit(o * inner + j, o * length * inner + j);
  }
}

function predGradient(
  dout: Float32Array, pred: NDArray, logp: ArrayLike<number>, y: Float32Array,
  classes: Int32Array | undefined, axis: number, fromLogits: boolean,
): NDArray {
  const { outer, length, inner } = axisView(pred.shape, axis);
  const grad = new Float32Array(pred.size);
  forEachLane(outer, length, inner, (lane, base) => {
    const g = dout[lane];
    let labelTotal = 1;
    if (classes === undefined) {
      labelTotal = 0;
      for (let k = 0, at = base; k < length; k++, at += inner) labelTotal += y[at];
    }
    for (let k = 0, at = base; k < length; k++, at += inner) {
      const target = classes === undefined ? y[at] : k === classes[lane] ? 1 : 0;
      const p = fromLogits ? 0 : Math.exp(logp[at]) * labelTotal;
      grad[at] = g * (p - target);
    }
  });
  return new NDArray(grad, pred.shape);
}

/** `dlabel = −dout · log p`, in label's shape (dense labels). */
function scaledLogp(dout: Float32Array, label: NDArray, logp: ArrayLike<number>, outer: number, length: number, inner: number): NDArray {
  const grad = new Float32Array(label.size);
  forEachLane(outer, length, inner, (lane, base) => {
    for (let k = 0, at = base; k < length; k++, at += inner) grad[at] = -dout[lane] * logp[at];
  });
  return new NDArray(grad, label.shape);
}

/**
 * The sparse labels as class indices. The label's shape must be pred's without `axis`, or with
 * `axis` of length 1 (as MXNet's pick); each value an integer in [0, classes). (MXNet silently
 * clips out-of-range indices; tsgluon throws, since such a label is always a bug.)
 */
function classIndices(owner: string, pred: NDArray, label: NDArray, axis: number): Int32Array {
  const dropped = pred.shape.filter((_, d) => d !== axis);
  const kept = pred.shape.map((dim, d) => (d === axis ? 1 : dim));
  const fits = (shape: readonly number[]): boolean => shape.length === label.ndim && shape.every((dim, d) => dim === label.shape[d]);
  if (!fits(dropped) && !fits(kept)) {
    throw new GluonError(
      `${owner}: expected sparse labels of shape ${formatShape(dropped)} or ${formatShape(kept)} (pred's shape ` +
        `${formatShape(pred.shape)} without axis ${axis}), but got ${formatShape(label.shape)}`,
    );
  }
  const count = pred.shape[axis];
  const classes = new Int32Array(label.size);
  label.data.forEach((value, i) => {
    if (!Number.isInteger(value) || value < 0 || value >= count) {
      throw new GluonError(`${owner}: expected class indices (integers in [0, ${count - 1}]) as labels, but got ${value} at position ${i}`);
    }
    classes[i] = value;
  });
  return classes;
}
