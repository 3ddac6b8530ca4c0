/**
 * Float64 references of Gluon's losses (python/mxnet/gluon/loss.py, MXNet 1.9), written naively
 * from the documented formulas with explicit index arithmetic — independent of src/gluon/loss.
 * Each returns the per-sample losses, shape (shape[batchAxis],).
 */

export type ElementKind = 'l1' | 'l2' | 'huber' | 'bce' | 'bceFromSigmoid' | 'kl';

export interface ReferenceOptions {
  weight?: number;
  batchAxis?: number;
  rho?: number;
  sampleWeight?: { data: ArrayLike<number>; shape: number[] };
}

/** The loss of one element (before weighting), from the textbook definitions. */
export function elementLoss(kind: ElementKind, p: number, y: number, rho = 1): number {
  switch (kind) {
    case 'l1':
      return Math.abs(y - p);
    case 'l2':
      return 0.5 * (y - p) ** 2; // Gluon's L2Loss is half the squared error
    case 'huber': {
      const d = Math.abs(y - p);
      return d > rho ? d - rho / 2 : (d * d) / (2 * rho);
    }
    case 'bce': {
      const s = 1 / (1 + Math.exp(-p));
      return -(y * Math.log(s) + (1 - y) * Math.log(1 - s));
    }
    case 'bceFromSigmoid':
      return -(y * Math.log(p + 1e-12) + (1 - y) * Math.log(1 - p + 1e-12));
    case 'kl':
      return y * (Math.log(y + 1e-12) - p);
  }
}

/**
 * Weighted batch mean: `out[b] = mean over elements i with batch index b of
 * loss[i] · sampleWeight[broadcast(i)] · weight`. `shape` is the loss's shape.
 */
export function weightedBatchMean(loss: ArrayLike<number>, shape: number[], options: ReferenceOptions = {}): Float64Array {
  const ndim = shape.length;
  const axis = ((options.batchAxis ?? 0) + ndim) % ndim;
  const batch = shape[axis];
  const out = new Float64Array(batch);
  const counts = new Float64Array(batch);
  for (let i = 0; i < loss.length; i++) {
    const index = unravel(i, shape);
    let value = loss[i] * (options.weight ?? 1);
    if (options.sampleWeight !== undefined) value *= options.sampleWeight.data[broadcastIndex(index, options.sampleWeight.shape)];
    out[index[axis]] += value;
    counts[index[axis]] += 1;
  }
  return out.map((total, b) => total / counts[b]);
}

/** An elementwise loss end to end; `label` is read in pred's shape (same size). */
export function elementwiseReference(
  kind: ElementKind, pred: ArrayLike<number>, label: ArrayLike<number>, shape: number[], options: ReferenceOptions = {},
): Float64Array {
  const loss = Array.from(pred, (p, i) => elementLoss(kind, p, label[i], options.rho));
  return weightedBatchMean(loss, shape, options);
}

/**
 * Softmax cross-entropy along `axis` of `shape`: per lane `logsumexp(x) − x[label]` (sparse) or
 * `Σ_k y_k (logsumexp(x) − x_k)` (dense); with `fromLogits`, `−x[label]` / `−Σ y_k x_k`. The loss
 * keeps `axis` with length 1 before the weighted batch mean.
 */
export function softmaxCrossEntropyReference(
  pred: ArrayLike<number>, label: ArrayLike<number>, shape: number[], axis: number,
  mode: { sparse: boolean; fromLogits: boolean }, options: ReferenceOptions = {},
): Float64Array {
  const ax = (axis + shape.length) % shape.length;
  const laneShape = shape.map((d, k) => (k === ax ? 1 : d));
  const lanes = laneShape.reduce((a, b) => a * b, 1);
  const loss = new Float64Array(lanes);
  for (let lane = 0; lane < lanes; lane++) {
    const index = unravel(lane, laneShape);
    const at = (k: number): number => ravel(index.map((v, d) => (d === ax ? k : v)), shape);
    let lse = 0;
    for (let k = 0; k < shape[ax]; k++) lse += Math.exp(pred[at(k)]);
    const logp = (k: number): number => (mode.fromLogits ? pred[at(k)] : pred[at(k)] - Math.log(lse));
    if (mode.sparse) {
      loss[lane] = -logp(label[lane]);
    } else {
      for (let k = 0; k < shape[ax]; k++) loss[lane] -= label[at(k)] * logp(k);
    }
  }
  return weightedBatchMean(loss, laneShape, options);
}

/** log_softmax along `axis` (naive float64). */
export function logSoftmaxReference(x: ArrayLike<number>, shape: number[], axis: number): Float64Array {
  const ax = (axis + shape.length) % shape.length;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const index = unravel(i, shape);
    let total = 0;
    for (let k = 0; k < shape[ax]; k++) total += Math.exp(x[ravel(index.map((v, d) => (d === ax ? k : v)), shape)]);
    out[i] = x[i] - Math.log(total);
  }
  return out;
}

function unravel(flat: number, shape: number[]): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

function ravel(index: number[], shape: number[]): number {
  return index.reduce((flat, v, d) => flat * shape[d] + v, 0);
}

/** The flat index into a `small`-shaped array broadcast (numpy rules) to the index's shape. */
function broadcastIndex(index: number[], small: number[]): number {
  const offset = index.length - small.length;
  return ravel(small.map((dim, d) => (dim === 1 ? 0 : index[offset + d])), small);
}
