/**
 * Shape inference over a graph, as MXNet's InferShape pass: every operator's `inferShape` runs
 * in topological order, filling in what it can (weight shapes from data shapes, and back), until
 * nothing changes. A 0 in a variable's given shape is an unknown dimension (MXNet's legacy shape
 * semantics, as a deferred Parameter's `(10, 0)`); inferred shapes must agree with known dims.
 */
import { GluonError, formatShape } from '../core/errors';
import { shapesEqual } from '../core/shape';
import type { MaybeShape, Shape } from '../ops/operator';
import { GraphNode, NodeEntry } from './graph';

/** Inferred shapes: per node, one shape per visible output (undefined while unknown), and each op node's plan. */
export interface GraphShapes {
  readonly outputs: Map<GraphNode, MaybeShape[]>;
  readonly plans: Map<GraphNode, unknown>;
}

/** Whether a given shape has an unknown (0) dim. */
function isPartial(shape: Shape): boolean {
  return shape.some((d) => d === 0);
}

/**
 * Infers the shapes of `nodes` (topological) from `given` variable shapes (0 = unknown dim).
 * `exact` variables are taken literally, zeros included (graph inputs: real arrays may be empty).
 * Throws a GluonError naming the node when shapes do not fit.
 */
export function inferGraphShapes(nodes: readonly GraphNode[], given: ReadonlyMap<string, Shape>, exact: ReadonlySet<string> = new Set()): GraphShapes {
  const outputs = new Map<GraphNode, MaybeShape[]>();
  const plans = new Map<GraphNode, unknown>();
  const partial = new Map<GraphNode, Shape>();
  for (const node of nodes) {
    if (node.op !== null) {
      outputs.set(node, node.op.outputNames(node.attrs).map(() => undefined));
      continue;
    }
    const shape = given.get(node.name);
    const literal = shape !== undefined && (exact.has(node.name) || !isPartial(shape));
    outputs.set(node, [literal ? shape : undefined]);
    if (shape !== undefined && !literal) partial.set(node, shape);
  }
  const shapeOf = (entry: NodeEntry): MaybeShape => outputs.get(entry.node)?.[entry.index];
  let changed = true;
  for (let pass = 0; changed && pass <= nodes.length; pass++) {
    changed = false;
    for (const node of nodes) {
      if (node.op === null) continue;
      const inference = node.op.inferShape(node.attrs, node.inputs.map(shapeOf), node.who);
      node.inputs.forEach((entry, i) => {
        if (setShape(outputs, partial, entry, inference.inputs[i], node, `input ${i} (${entry.node.name})`)) changed = true;
      });
      inference.outputs.forEach((shape, i) => {
        if (setShape(outputs, partial, { node, index: i }, shape, node, `output ${i}`)) changed = true;
      });
      if (inference.plan !== undefined) plans.set(node, inference.plan);
    }
  }
  return { outputs, plans };
}

/** Records `shape` for `entry`; returns whether it was new. Conflicts name the node and both shapes. */
function setShape(
  outputs: Map<GraphNode, MaybeShape[]>, partial: ReadonlyMap<GraphNode, Shape>, entry: NodeEntry, shape: MaybeShape, by: GraphNode, what: string,
): boolean {
  if (shape === undefined) return false;
  const slots = outputs.get(entry.node);
  if (slots === undefined) return false;
  const current = slots[entry.index];
  if (current !== undefined) {
    if (!shapesEqual(current, shape)) {
      throw new GluonError(`${by.who}: ${what} of ${by.op?.name ?? 'variable'} node '${by.name}' has shape ${formatShape(current)}, but the node needs ${formatShape(shape)}`);
    }
    return false;
  }
  const known = partial.get(entry.node);
  if (known !== undefined && (known.length !== shape.length || known.some((d, i) => d !== 0 && d !== shape[i]))) {
    throw new GluonError(`${by.who}: variable '${entry.node.name}' was given shape ${formatShape(known)}, but node '${by.name}' needs ${formatShape(shape)}`);
  }
  slots[entry.index] = shape;
  return true;
}
