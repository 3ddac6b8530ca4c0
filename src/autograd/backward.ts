import { checkFlag, checkOptionsObject, describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { shapesEqual } from '../core/shape';
import { full } from '../ndarray/creation';
import { NDArray } from '../ndarray/ndarray';
import { TapeNode, isRecording, recordNode, withRecording } from './tape';

/**
 * Head gradients: one per head, each an NDArray of the head's shape, a number (that value
 * everywhere: `y.backward(2)`) or undefined (ones, MXNet's default).
 */
export type HeadGrads = NDArray | number | readonly (NDArray | number | undefined)[];

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
export function backward(heads: NDArray | readonly NDArray[], headGrads?: HeadGrads, options: BackwardOptions = {}): void {
  const { retainGraph = false } = checkOptionsObject('backward', options, ['retainGraph']);
  checkFlag('backward', 'retainGraph', retainGraph);
  const seeds = seedGradients('backward', heads, headGrads);
  const order = topologicalOrder(seeds.keys(), NO_STOPS);
  const grads = withRecording(false, () => propagate(seeds, order, NO_STOPS, gradDestinations(seeds, order)));
  for (const [x, grad] of grads) x.receiveGrad(grad);
  if (retainGraph !== true) clearGraph(seeds.keys(), NO_STOPS);
}

/** Options of `autograd.grad`. */
export interface GradOptions extends BackwardOptions {
  /** Head gradients (default ones; a number n means n everywhere). */
  headGrads?: HeadGrads;
  /** Record the backward computation itself, so the returned gradients can be differentiated again. Default false. */
  createGraph?: boolean;
}

/**
 * The gradients of `heads` with respect to `variables`, returned instead of written to `x.grad`
 * (MXNet's `autograd.grad`). A variable may also be an intermediate result: the walk stops there.
 * With `createGraph` the gradients are themselves recorded, for higher-order derivatives.
 *
 * @example
 * const x = nd.array([3]);
 * x.attachGrad();
 * const y = autograd.record(() => x.mul(x).mul(x));
 * const [dy] = autograd.grad(y, [x]); // [27]
 */
export function grad(heads: NDArray | readonly NDArray[], variables: NDArray | readonly NDArray[], options: GradOptions = {}): NDArray[] {
  const checked = checkOptionsObject('grad', options, ['headGrads', 'createGraph', 'retainGraph']);
  const createGraph = checkFlag('grad', 'createGraph', checked.createGraph ?? false);
  const retainGraph = checkFlag('grad', 'retainGraph', checked.retainGraph ?? createGraph);
  const seeds = seedGradients('grad', heads, checked.headGrads as HeadGrads | undefined);
  const list = arrayList('grad', 'variables', variables);
  const stops = new Set(list);
  const grads = withRecording(createGraph, () => propagate(seeds, topologicalOrder(seeds.keys(), stops), stops, NO_DESTINATIONS));
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
  if (!retainGraph) clearGraph(seeds.keys(), stops);
  return result;
}

/**
 * @internal The vector-Jacobian product of `outputs` at `outputGrads` with respect to `inputs`,
 * walking only the nodes between them (the graph below `inputs` is left as it is). Recorded when
 * recording is on, so operators use it for rules written as "differentiate this composite". An
 * input the outputs do not depend on gets zeros.
 */
export function vectorJacobian(outputs: readonly NDArray[], outputGrads: readonly NDArray[], inputs: readonly NDArray[]): NDArray[] {
  const seeds = new Map<NDArray, NDArray>();
  outputs.forEach((y, i) => addGradient(seeds, y, outputGrads[i]));
  const stops = new Set(inputs);
  const grads = propagate(seeds, topologicalOrder(seeds.keys(), stops), stops, NO_DESTINATIONS);
  return inputs.map((x) => grads.get(x) ?? full(x.shape, 0));
}

/** Pairs each head with its gradient (ones by default), checking both. */
function seedGradients(what: string, heads: NDArray | readonly NDArray[], headGrads?: HeadGrads): Map<NDArray, NDArray> {
  const headList = arrayList(what, 'heads', heads);
  const gradList: readonly unknown[] = headGrads === undefined ? [] : Array.isArray(headGrads) ? headGrads : [headGrads];
  if (gradList.length > headList.length) {
    throw new GluonError(`${what}: expected at most one head gradient per head (${headList.length}), but got ${gradList.length}`);
  }
  const seeds = new Map<NDArray, NDArray>();
  headList.forEach((head, i) => {
    if (head.tapeNode === undefined) {
      throw new GluonError(
        `${what}: the head was not computed inside autograd.record(...) from an array with an attached gradient; ` +
          'call x.attachGrad() (or use a Parameter) and compute the head inside autograd.record(() => ...)',
      );
    }
    addGradient(seeds, head, headSeed(what, head, gradList[i]));
  });
  return seeds;
}

/** The gradient that seeds `head`: ones, a number everywhere, or an array of the head's shape. */
function headSeed(what: string, head: NDArray, given: unknown): NDArray {
  if (given === undefined) return full(head.shape, 1);
  if (typeof given === 'number') return full(head.shape, given);
  if (!(given instanceof NDArray)) {
    throw new GluonError(`${what}: expected a head gradient (an NDArray of shape ${formatShape(head.shape)} or a number), but got ${describeValue(given)}`);
  }
  if (!shapesEqual(given.shape, head.shape)) {
    throw new GluonError(`${what}: expected a head gradient of shape ${formatShape(head.shape)}, but got ${formatShape(given.shape)}`);
  }
  return given;
}

/** One NDArray or a non-empty list of them. */
function arrayList(what: string, name: string, value: unknown): readonly NDArray[] {
  const list = value instanceof NDArray ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((x) => x instanceof NDArray)) {
    throw new GluonError(`${what}: expected ${name} to be an NDArray or a non-empty list of NDArrays, but got ${describeValue(value)}`);
  }
  return list;
}

type Destinations = ReadonlyMap<NDArray, Float32Array>;
const NO_DESTINATIONS: Destinations = new Map();
const NO_STOPS: ReadonlySet<NDArray> = new Set();

/** The node below `x` unless the walk stops at `x` (a leaf, or a variable of `grad`). */
function nodeOf(x: NDArray, stops: ReadonlySet<NDArray>): TapeNode | undefined {
  return stops.has(x) ? undefined : x.tapeNode;
}

/**
 * Leaves whose gradient a rule may write straight into their attached gradient's storage
 * ('write' only), sparing a fresh array per step: a leaf read by exactly one input slot of one
 * node (so its gradient is that node's alone), whose gradient storage no array of the graph or
 * head gradient uses.
 */
function gradDestinations(seeds: Map<NDArray, NDArray>, order: readonly TapeNode[]): Destinations {
  const uses = new Map<NDArray, number>();
  // Compared by buffer, so that views of one buffer count as the same storage.
  const storages = new Set<ArrayBufferLike>([...seeds].flatMap(([head, seed]) => [head.data.buffer, seed.data.buffer]));
  for (const node of order) {
    for (const input of node.inputs) {
      storages.add(input.data.buffer);
      uses.set(input, (uses.get(input) ?? 0) + 1);
    }
  }
  const destinations = new Map<NDArray, Float32Array>();
  for (const [x, count] of uses) {
    const storage = x.tapeNode === undefined && count === 1 ? x.gradDestination() : undefined;
    if (storage !== undefined && !storages.has(storage.buffer)) destinations.set(x, storage);
  }
  return destinations;
}

/**
 * Runs the rules of `order` (topological) backwards from the seeded gradients; returns the
 * gradient of every array the walk ends at (leaves, and arrays in `stops`).
 */
function propagate(seeds: Map<NDArray, NDArray>, order: readonly TapeNode[], stops: ReadonlySet<NDArray>, destinations: Destinations): Map<NDArray, NDArray> {
  const nodeGrads = new Map<TapeNode, (NDArray | undefined)[]>();
  const endGrads = new Map<NDArray, NDArray>();
  const add = (x: NDArray, g: NDArray | undefined, op: string): void => {
    if (g === undefined) return;
    if (!shapesEqual(g.shape, x.shape)) {
      throw new GluonError(`backward of ${op}: a rule returned a gradient of shape ${formatShape(g.shape)} for an input of shape ${formatShape(x.shape)}`);
    }
    const node = nodeOf(x, stops);
    if (node === undefined) {
      addGradient(endGrads, x, g);
      return;
    }
    const slots = nodeGrads.get(node) ?? new Array<NDArray | undefined>(node.outputShapes.length).fill(undefined);
    const previous = slots[x.tapeOutput];
    slots[x.tapeOutput] = previous === undefined ? g : sumGradients(previous, g);
    nodeGrads.set(node, slots);
  };
  for (const [head, seed] of seeds) add(head, seed, 'the heads');
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i];
    const grads = nodeGrads.get(node);
    if (grads === undefined) continue;
    const into = destinations.size > 0 ? node.inputs.map((input) => destinations.get(input)) : NO_INTO;
    const inputGrads = node.backward(grads, into);
    node.inputs.forEach((input, k) => add(input, inputGrads[k], node.op));
  }
  return endGrads;
}

const NO_INTO: readonly undefined[] = [];

function addGradient(grads: Map<NDArray, NDArray>, x: NDArray, g: NDArray): void {
  const previous = grads.get(x);
  grads.set(x, previous === undefined ? g : sumGradients(previous, g));
}

/**
 * a + b for two gradients of the same shape, recorded (as an add, whose rule passes the gradient
 * to both) when the backward itself is being recorded, so a second derivative sees the sum.
 */
function sumGradients(a: NDArray, b: NDArray): NDArray {
  const out = new Float32Array(a.size);
  const x = a.data, y = b.data;
  for (let i = 0; i < out.length; i++) out[i] = x[i] + y[i];
  const sum = new NDArray(out, a.shape);
  if (isRecording() && (a.tapeNode !== undefined || b.tapeNode !== undefined)) recordNode('elemwise_add', [a, b], [sum], ([g]) => [g, g]);
  return sum;
}

/** The nodes reachable from `heads` (not below `stops`), each after every node it depends on. */
function topologicalOrder(heads: Iterable<NDArray>, stops: ReadonlySet<NDArray>): TapeNode[] {
  const order: TapeNode[] = [];
  const visited = new Set<TapeNode>();
  // An explicit stack: deep networks must not overflow the JS call stack.
  const stack: [TapeNode, boolean][] = [];
  for (const head of heads) {
    const node = nodeOf(head, stops);
    if (node !== undefined) stack.push([node, false]);
  }
  stack.reverse();
  while (stack.length > 0) {
    const [node, expanded] = stack.pop() as [TapeNode, boolean];
    if (expanded) {
      order.push(node);
      continue;
    }
    if (visited.has(node)) continue;
    visited.add(node);
    stack.push([node, true]);
    for (const input of node.inputs) {
      const below = nodeOf(input, stops);
      if (below !== undefined && !visited.has(below)) stack.push([below, false]);
    }
  }
  return order;
}

/** Drops the tape nodes between `heads` and `stops`, so the intermediate arrays can be freed. */
function clearGraph(heads: Iterable<NDArray>, stops: ReadonlySet<NDArray>): void {
  const arrays = [...heads];
  for (const node of topologicalOrder(arrays, stops)) arrays.push(...node.inputs);
  for (const x of arrays) if (!stops.has(x)) x.tapeNode = undefined;
}
