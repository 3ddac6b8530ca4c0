import { GluonError, formatShape } from '../errors';
import { ones } from '../ndarray/creation';
import { NDArray } from '../ndarray/ndarray';
import { shapesEqual } from '../ndarray/shape';
import { withRecording } from './tape';

/** Options of `backward` and `autograd.grad`. */
export interface BackwardOptions {
  /** Keep the recorded graph so that backward can run through it again. Default false (createGraph for grad). */
  retainGraph?: boolean;
}

/**
 * Back-propagates from `heads`: computes d(Σ head · headGrad)/dx for every array x with an
 * attached gradient that the heads depend on, writing it per x's gradReq ('write' overwrites,
 * 'add' accumulates, 'null' skips). A missing head gradient is ones of the head's shape (MXNet's
 * rule, also for a non-scalar head). The graph is walked once, in reverse topological order.
 */
export function backward(heads: NDArray | readonly NDArray[], headGrads?: NDArray | readonly (NDArray | undefined)[], options: BackwardOptions = {}): void {
  const seeds = seedGradients('backward', heads, headGrads);
  const order = topologicalOrder(seeds.keys());
  const grads = withRecording(false, () => propagate(seeds, order, gradDestinations(seeds, order)));
  for (const [x, grad] of grads) {
    if (x.tapeNode === undefined) x.receiveGrad(grad);
  }
  if (!options.retainGraph) clearGraph(seeds.keys());
}

/** Options of `autograd.grad`. */
export interface GradOptions extends BackwardOptions {
  /** Head gradients (default ones). */
  headGrads?: NDArray | readonly (NDArray | undefined)[];
  /** Record the backward computation itself, so the returned gradients can be differentiated again. Default false. */
  createGraph?: boolean;
}

/**
 * The gradients of `heads` with respect to `variables`, returned instead of written to `x.grad`
 * (MXNet's `autograd.grad`). With `createGraph` the gradients are themselves recorded, for
 * higher-order derivatives.
 *
 * @example
 * const x = nd.array([3]);
 * x.attachGrad();
 * const y = autograd.record(() => x.mul(x).mul(x));
 * const [dy] = autograd.grad(y, [x]); // [27]
 */
export function grad(heads: NDArray | readonly NDArray[], variables: NDArray | readonly NDArray[], options: GradOptions = {}): NDArray[] {
  const { createGraph = false, retainGraph = createGraph } = options;
  const seeds = seedGradients('grad', heads, options.headGrads);
  const grads = withRecording(createGraph, () => propagate(seeds, topologicalOrder(seeds.keys()), NO_DESTINATIONS));
  const list = variables instanceof NDArray ? [variables] : variables;
  const result = list.map((x, i) => {
    const g = grads.get(x);
    if (g === undefined) {
      throw new GluonError(
        `grad: variable ${i} of shape ${formatShape(x.shape)} is not an input of the recorded heads: attach its gradient ` +
          '(x.attachGrad()) before computing the heads from it inside autograd.record(...)',
      );
    }
    return g;
  });
  if (!retainGraph) clearGraph(seeds.keys());
  return result;
}

/** Pairs each head with its gradient (ones by default), checking both. */
function seedGradients(what: string, heads: NDArray | readonly NDArray[], headGrads?: NDArray | readonly (NDArray | undefined)[]): Map<NDArray, NDArray> {
  const headList = heads instanceof NDArray ? [heads] : heads;
  const gradList = headGrads === undefined ? [] : headGrads instanceof NDArray ? [headGrads] : headGrads;
  const seeds = new Map<NDArray, NDArray>();
  headList.forEach((head, i) => {
    if (head.tapeNode === undefined) {
      throw new GluonError(
        `${what}: the head was not computed inside autograd.record(...) from an array with an attached gradient; ` +
          'call x.attachGrad() (or use a Parameter) and compute the head inside autograd.record(() => ...)',
      );
    }
    const seed = gradList[i] ?? ones(head.shape);
    if (!shapesEqual(seed.shape, head.shape)) {
      throw new GluonError(`${what}: expected a head gradient of shape ${formatShape(head.shape)}, but got ${formatShape(seed.shape)}`);
    }
    const previous = seeds.get(head);
    seeds.set(head, previous === undefined ? seed : previous.add(seed));
  });
  return seeds;
}

type Destinations = ReadonlyMap<NDArray, Float32Array>;
const NO_DESTINATIONS: Destinations = new Map();
const NO_INTO: readonly undefined[] = [];

/**
 * Leaves whose gradient a rule may write straight into their attached gradient's storage
 * ('write' only), sparing a fresh array per step: a leaf read by exactly one op (so its gradient
 * is that op's alone), whose gradient storage no array of the graph or head gradient uses.
 */
function gradDestinations(seeds: Map<NDArray, NDArray>, order: readonly NDArray[]): Destinations {
  const uses = new Map<NDArray, number>();
  // Compared by buffer, so that views of one buffer count as the same storage.
  const storages = new Set<ArrayBufferLike>([...seeds.values()].map((seed) => seed.data.buffer));
  for (const x of order) {
    storages.add(x.data.buffer);
    for (const input of x.tapeNode?.inputs ?? []) uses.set(input, (uses.get(input) ?? 0) + 1);
  }
  const destinations = new Map<NDArray, Float32Array>();
  for (const [x, count] of uses) {
    const storage = x.tapeNode === undefined && count === 1 ? x.gradDestination() : undefined;
    if (storage !== undefined && !storages.has(storage.buffer)) destinations.set(x, storage);
  }
  return destinations;
}

/** The gradient of the seeded heads with respect to each array they depend on (leaves included). */
function propagate(seeds: Map<NDArray, NDArray>, order: readonly NDArray[], destinations: Destinations): Map<NDArray, NDArray> {
  const grads = new Map(seeds);
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i].tapeNode;
    const outputGrad = grads.get(order[i]);
    if (node === undefined || outputGrad === undefined) continue;
    const into = destinations.size > 0 ? node.inputs.map((input) => destinations.get(input)) : NO_INTO;
    const inputGrads = node.backward(outputGrad, into);
    node.inputs.forEach((input, k) => accumulate(grads, input, inputGrads[k], node.op));
  }
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

/** Arrays reachable from `heads` through tape nodes, each after everything it depends on. */
function topologicalOrder(heads: Iterable<NDArray>): NDArray[] {
  const order: NDArray[] = [];
  const visited = new Set<NDArray>();
  // An explicit stack: deep networks must not overflow the JS call stack.
  const stack: [NDArray, boolean][] = [...heads].reverse().map((head): [NDArray, boolean] => [head, false]);
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

/** Drops the tape nodes below `heads`, so the intermediate arrays can be freed. */
function clearGraph(heads: Iterable<NDArray>): void {
  for (const x of topologicalOrder(heads)) x.tapeNode = undefined;
}
