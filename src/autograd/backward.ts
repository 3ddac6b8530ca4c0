import { GluonError, formatShape } from '../errors';
import { ones } from '../ndarray/creation';
import { NDArray } from '../ndarray/ndarray';
import { shapesEqual } from '../ndarray/shape';
import { withRecording } from './tape';

/**
 * Back-propagates from `head`: computes d(sum(head · headGrad))/dx for every array x with an
 * attached gradient that `head` depends on, writing it per x's gradReq ('write' overwrites,
 * 'add' accumulates, 'null' skips). `headGrad` defaults to ones of head's shape (MXNet's rule,
 * also for a non-scalar head). The graph is walked once, in reverse topological order.
 */
export function backward(head: NDArray, headGrad?: NDArray, options: { retainGraph?: boolean } = {}): void {
  if (head.tapeNode === undefined) {
    throw new GluonError(
      'backward: the head was not computed inside autograd.record(...) from an array with an attached gradient; ' +
        'call x.attachGrad() (or use a Parameter) and compute the head inside autograd.record(() => ...)',
    );
  }
  const seed = headGrad ?? ones(head.shape);
  if (!shapesEqual(seed.shape, head.shape)) {
    throw new GluonError(`backward: expected a head gradient of shape ${formatShape(head.shape)}, but got ${formatShape(seed.shape)}`);
  }
  const grads = propagate(head, seed);
  for (const [x, grad] of grads) {
    if (x.tapeNode === undefined) x.receiveGrad(grad);
  }
  if (!options.retainGraph) clearGraph(head);
}

/** The gradient of `head` with respect to each array it depends on (leaves included). */
export function propagate(head: NDArray, seed: NDArray): Map<NDArray, NDArray> {
  const order = topologicalOrder(head);
  const grads = new Map<NDArray, NDArray>([[head, seed]]);
  withRecording(false, () => {
    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i].tapeNode;
      const outputGrad = grads.get(order[i]);
      if (node === undefined || outputGrad === undefined) continue;
      const inputGrads = node.backward(outputGrad);
      node.inputs.forEach((input, k) => accumulate(grads, input, inputGrads[k], node.op));
    }
  });
  return grads;
}

function accumulate(grads: Map<NDArray, NDArray>, input: NDArray, grad: NDArray | undefined, op: string): void {
  if (grad === undefined) return;
  if (!shapesEqual(grad.shape, input.shape)) {
    throw new GluonError(`backward of ${op}: a rule returned a gradient of shape ${formatShape(grad.shape)} for an input of shape ${formatShape(input.shape)}`);
  }
  const previous = grads.get(input);
  grads.set(input, previous === undefined ? grad : previous.add(grad));
}

/** Arrays reachable from `head` through tape nodes, each after everything it depends on. */
function topologicalOrder(head: NDArray): NDArray[] {
  const order: NDArray[] = [];
  const visited = new Set<NDArray>();
  // An explicit stack: deep networks must not overflow the JS call stack.
  const stack: [NDArray, boolean][] = [[head, false]];
  while (stack.length > 0) {
    const [x, expanded] = stack.pop() as [NDArray, boolean];
    if (expanded) {
      order.push(x);
      continue;
    }
    if (visited.has(x)) continue;
    visited.add(x);
    stack.push([x, true]);
    for (const input of x.tapeNode?.inputs ?? []) if (!visited.has(input)) stack.push([input, false]);
  }
  return order;
}

/** Drops the tape nodes below `head`, so the intermediate arrays can be freed. */
function clearGraph(head: NDArray): void {
  for (const x of topologicalOrder(head)) x.tapeNode = undefined;
}
