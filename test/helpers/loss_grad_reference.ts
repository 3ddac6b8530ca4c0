/**
 * Float64 first derivatives of Gluon's losses with respect to pred, written from the textbook
 * derivatives (independent of src/gluon/loss): the gradient of Σ_b r[b]·loss[b] for head
 * gradients r. Finite differences of these give the losses' second derivatives.
 */
import type { ElementKind, ReferenceOptions } from './loss_reference';

function unravel(flat: number, shape: readonly number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

function ravel(index: readonly number[], shape: readonly number[]): number {
  return index.reduce((flat, v, d) => flat * shape[d] + v, 0);
}

/** The flat index into a `small`-shaped array broadcast (numpy rules) to the index's shape. */
function broadcastIndex(index: readonly number[], small: readonly number[]): number {
  const offset = index.length - small.length;
  return ravel(small.map((dim, d) => (dim === 1 ? 0 : index[offset + d])), small);
}

/** ∂l/∂p of one element's loss. */
export function elementDerivative(kind: ElementKind, p: number, y: number, rho = 1): number {
  switch (kind) {
    case 'l1':
      return Math.sign(p - y);
    case 'l2':
      return p - y;
    case 'huber':
      return Math.abs(p - y) > rho ? Math.sign(p - y) : (p - y) / rho;
    case 'bce':
      return 1 / (1 + Math.exp(-p)) - y;
    case 'bceFromSigmoid':
      return -y / (p + 1e-12) + (1 - y) / (1 - p + 1e-12);
    case 'kl':
      return -y;
  }
}

/**
 * The factor each element of a loss of `shape` gets from the head gradient, the weights and the
 * batch mean: r[b]·weight·sampleWeight(i)/count, b the element's batch index.
 */
function headFactor(i: number, shape: number[], r: ArrayLike<number>, options: ReferenceOptions): number {
  const ndim = shape.length;
  const axis = ((options.batchAxis ?? 0) + ndim) % ndim;
  const index = unravel(i, shape);
  const count = shape.reduce((a, b) => a * b, 1) / shape[axis];
  const sw = options.sampleWeight === undefined ? 1 : options.sampleWeight.data[broadcastIndex(index, options.sampleWeight.shape)];
  return (r[index[axis]] * (options.weight ?? 1) * sw) / count;
}

/** ∂/∂pred of Σ_b r[b]·loss[b] for an elementwise loss (label read in pred's shape). */
export function elementwiseGradReference(
  kind: ElementKind, pred: ArrayLike<number>, label: ArrayLike<number>, shape: number[], r: ArrayLike<number>, options: ReferenceOptions = {},
): Float64Array {
  return Float64Array.from(pred, (p, i) => headFactor(i, shape, r, options) * elementDerivative(kind, p, label[i], options.rho));
}

/** The lanes of `shape` along `axis`: each lane's flat indices. */
function lanes(shape: number[], axis: number): { laneShape: number[]; members: number[][] } {
  const laneShape = shape.map((d, k) => (k === axis ? 1 : d));
  const count = laneShape.reduce((a, b) => a * b, 1);
  const members = Array.from({ length: count }, (_, lane) => {
    const index = unravel(lane, laneShape);
    return Array.from({ length: shape[axis] }, (__, k) => ravel(index.map((v, d) => (d === axis ? k : v)), shape));
  });
  return { laneShape, members };
}

/** Each lane's softmax along the lane's flat indices (float64, max subtracted). */
function softmaxOf(pred: ArrayLike<number>, lane: number[]): number[] {
  const max = Math.max(...lane.map((at) => pred[at]));
  const sum = lane.reduce((s, at) => s + Math.exp(pred[at] - max), 0);
  return lane.map((at) => Math.exp(pred[at] - max) / sum);
}

/**
 * ∂/∂pred of Σ_b r[b]·loss[b] for SoftmaxCrossEntropyLoss along `axis`: per lane, with targets t
 * (the one-hot of the class when `sparse`, else the label's values) and the lane's factor f,
 * `f·(softmax·Σt − t)`; from logits (pred = log-probabilities) `−f·t`.
 */
export function softmaxCrossEntropyGradReference(
  pred: ArrayLike<number>, label: ArrayLike<number>, shape: number[], axis: number,
  mode: { sparse: boolean; fromLogits: boolean }, r: ArrayLike<number>, options: ReferenceOptions = {},
): Float64Array {
  const { laneShape, members } = lanes(shape, (axis + shape.length) % shape.length);
  const out = new Float64Array(pred.length);
  members.forEach((lane, l) => {
    const targets = lane.map((at, k) => (mode.sparse ? (k === label[l] ? 1 : 0) : label[at]));
    const total = targets.reduce((a, b) => a + b, 0);
    const softmax = softmaxOf(pred, lane);
    const f = headFactor(l, laneShape, r, options);
    lane.forEach((at, k) => (out[at] = f * ((mode.fromLogits ? 0 : softmax[k] * total) - targets[k])));
  });
  return out;
}

/**
 * ∂/∂pred of Σ_b r[b]·loss[b] for KLDivLoss, per element `f_i·y_i·(log(y_i + ε) − logp_i)`:
 * from log-probabilities `−f_j·y_j`; through logSoftmax along `axis`,
 * `−f_j·y_j + softmax_j·Σ_{i in the lane} f_i·y_i`.
 */
export function klDivGradReference(
  pred: ArrayLike<number>, label: ArrayLike<number>, shape: number[], axis: number | null, r: ArrayLike<number>, options: ReferenceOptions = {},
): Float64Array {
  const weighted = Float64Array.from(label, (y, i) => headFactor(i, shape, r, options) * y);
  const out = weighted.map((v) => -v);
  if (axis === null) return out;
  for (const lane of lanes(shape, (axis + shape.length) % shape.length).members) {
    const softmax = softmaxOf(pred, lane);
    const total = lane.reduce((s, at) => s + weighted[at], 0);
    lane.forEach((at, k) => (out[at] += softmax[k] * total));
  }
  return out;
}
