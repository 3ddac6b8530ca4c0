import type { NDArray } from '../ndarray/ndarray';

/**
 * The autograd tape, micrograd-style: while recording, every differentiable op attaches to its
 * output a node holding its inputs and a backward rule; `backward()` walks those nodes once in
 * reverse topological order. Outside `record(...)` an op only pays one boolean check.
 */

/**
 * An op's backward rule: given the gradient of its output, the gradients of its inputs (same
 * order and shapes as `inputs`; undefined for an input that gets none, e.g. an index array).
 * `into[k]`, when defined, is storage the rule may write input k's whole gradient into (and then
 * return an array over it) instead of allocating: backward offers a leaf's own attached gradient
 * when nothing else reads it (see gradDestinations in backward.ts). Rules may ignore it.
 */
export type BackwardRule = (outputGrad: NDArray, into: readonly (Float32Array | undefined)[]) => readonly (NDArray | undefined)[];

/** The record of one op on the tape. */
export interface TapeNode {
  readonly op: string;
  readonly inputs: readonly NDArray[];
  readonly backward: BackwardRule;
}

let recording = false;

/** True inside `autograd.record(...)` (and not inside `autograd.pause(...)`). */
export function isRecording(): boolean {
  return recording;
}

/** Runs `body` with recording set to `value`, restoring the previous state after. */
export function withRecording<T>(value: boolean, body: () => T): T {
  const previous = recording;
  recording = value;
  try {
    return body();
  } finally {
    recording = previous;
  }
}

/** Whether gradients flow to `x`: it has an attached gradient or was computed on the tape. */
export function requiresGrad(x: NDArray): boolean {
  return x.tapeNode !== undefined || (x.gradReq !== undefined && x.gradReq !== 'null');
}

/**
 * Records `output = op(inputs)` with its backward rule when recording and some input needs a
 * gradient, and returns `output`. Every differentiable op ends with this call, its backward rule
 * written beside its forward.
 *
 * @example
 * export function square(x: NDArray): NDArray {
 *   const y = mapUnary('square', x, SQUARE);
 *   return recordOp('square', y, [x], (dy) => [dy.mul(x).mul(2)]);
 * }
 */
export function recordOp(op: string, output: NDArray, inputs: readonly NDArray[], backward: BackwardRule): NDArray {
  if (recording && inputs.some(requiresGrad)) output.tapeNode = { op, inputs, backward };
  return output;
}
