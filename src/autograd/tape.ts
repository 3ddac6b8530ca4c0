import type { NDArray } from '../ndarray/ndarray';

/**
 * The autograd tape, micrograd-style: while recording, every differentiable operator call
 * attaches to its outputs one node holding its inputs and a backward rule; `backward()` walks
 * those nodes once in reverse topological order. Outside `record(...)` an operator pays one
 * boolean check.
 */

/**
 * A node's backward rule: given the gradients of its outputs (undefined for an output that
 * received none), the gradients of its inputs (same order and shapes as `inputs`; undefined for
 * an input that gets none, e.g. an index array). `into[k]`, when defined, is storage the rule may
 * write input k's whole gradient into (and then return an array over it) instead of allocating:
 * backward offers a leaf's own attached gradient when nothing else reads it (see
 * gradDestinations in backward.ts). Rules may ignore it.
 */
export type BackwardRule = (
  outputGrads: readonly (NDArray | undefined)[],
  into: readonly (Float32Array | undefined)[],
) => readonly (NDArray | undefined)[];

/** The record of one operator call on the tape. */
export interface TapeNode {
  readonly op: string;
  readonly inputs: readonly NDArray[];
  /** The shapes of its outputs (the arrays themselves are not kept alive by the node). */
  readonly outputShapes: readonly (readonly number[])[];
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

/** Whether a call on `inputs` is recorded now: recording is on and some input needs a gradient. */
export function shouldRecord(inputs: readonly (NDArray | undefined)[]): boolean {
  return recording && inputs.some((x) => x !== undefined && requiresGrad(x));
}

/**
 * Records `outputs = op(inputs)` with its backward rule: each output gets the node and its index.
 * Callers check `shouldRecord(inputs)` first (the operator layer does, in one place).
 */
export function recordNode(op: string, inputs: readonly NDArray[], outputs: readonly NDArray[], backward: BackwardRule): void {
  const node: TapeNode = { op, inputs, outputShapes: outputs.map((y) => y.shape), backward };
  outputs.forEach((y, i) => {
    y.tapeNode = node;
    y.tapeOutput = i;
  });
}

/**
 * Records a one-output op when `shouldRecord(inputs)`, and returns `output`: the short form for
 * rules of one output gradient.
 *
 * @example
 * const y = nd.array(x.toFloat32Array().map((v) => v ** 3), { shape: x.shape });
 * return recordOp('cube', y, [x], (dy) => [dy.mul(x.square()).mul(3)]);
 */
export function recordOp(op: string, output: NDArray, inputs: readonly NDArray[], backward: (outputGrad: NDArray, into: readonly (Float32Array | undefined)[]) => readonly (NDArray | undefined)[]): NDArray {
  if (shouldRecord(inputs)) {
    recordNode(op, inputs, [output], (grads, into) => {
      const grad = grads[0];
      return grad === undefined ? [] : backward(grad, into);
    });
  }
  return output;
}
