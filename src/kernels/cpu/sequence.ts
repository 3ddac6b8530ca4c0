/**
 * The loops of MXNet's sequence operators (SequenceMask, SequenceLast, SequenceReverse) and of
 * SequenceLast's adjoint. Data is viewed as (steps, batch, rest) when the sequence axis is 0 and
 * (batch, steps, rest) when it is 1, `rest` the product of the axes after the first two. Each
 * sequence's length is `trunc(lengths[b])` (C's cast, as MXNet), or `steps` without lengths;
 * the caller checked the lengths are in range (finite, and at most `steps` where it matters).
 */

/** The view of the data. */
export interface SequenceView {
  readonly steps: number;
  readonly batch: number;
  readonly rest: number;
  /** The sequence axis: 0 for (steps, batch, rest), 1 for (batch, steps, rest). */
  readonly axis: 0 | 1;
}

/** The offset of (step t, sequence b, rest 0). */
function offsetOf(view: SequenceView, t: number, b: number): number {
  return (view.axis === 0 ? t * view.batch + b : b * view.steps + t) * view.rest;
}

/** Sequence b's length: trunc(lengths[b]) (at least 0 once checked), or every step. */
function lengthOf(view: SequenceView, lengths: Float32Array | undefined, b: number): number {
  return lengths === undefined ? view.steps : Math.min(view.steps, Math.trunc(lengths[b]));
}

/** `out` = x with every step at or past its sequence's length set to `value`. */
export function sequenceMask(x: Float32Array, lengths: Float32Array | undefined, view: SequenceView, value: number, out: Float32Array): void {
  if (out !== x) out.set(x);
  for (let b = 0; b < view.batch; b++) {
    for (let t = lengthOf(view, lengths, b); t < view.steps; t++) {
      const start = offsetOf(view, t, b);
      out.fill(value, start, start + view.rest);
    }
  }
}

/** `out` (batch, rest) = each sequence's last step (length ≥ 1). */
export function sequenceLast(x: Float32Array, lengths: Float32Array | undefined, view: SequenceView, out: Float32Array): void {
  for (let b = 0; b < view.batch; b++) {
    const start = offsetOf(view, lengthOf(view, lengths, b) - 1, b);
    out.set(x.subarray(start, start + view.rest), b * view.rest);
  }
}

/** The adjoint of `sequenceLast`: dx is zero but at each sequence's last step, which gets dy. */
export function sequenceLastAdjoint(dy: Float32Array, lengths: Float32Array | undefined, view: SequenceView, dx: Float32Array): void {
  dx.fill(0);
  for (let b = 0; b < view.batch; b++) {
    dx.set(dy.subarray(b * view.rest, (b + 1) * view.rest), offsetOf(view, lengthOf(view, lengths, b) - 1, b));
  }
}

/** `out` = x with the first length steps of each sequence reversed and the padding after them kept in place. */
export function sequenceReverse(x: Float32Array, lengths: Float32Array | undefined, view: SequenceView, out: Float32Array): void {
  for (let b = 0; b < view.batch; b++) {
    const length = lengthOf(view, lengths, b);
    for (let t = 0; t < view.steps; t++) {
      const from = offsetOf(view, t < length ? length - 1 - t : t, b);
      out.set(x.subarray(from, from + view.rest), offsetOf(view, t, b));
    }
  }
}
