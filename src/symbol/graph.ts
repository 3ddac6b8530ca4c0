/**
 * The graph under Symbols: nodes (variables and operator calls) and their entries (one output
 * of a node). A graph is immutable once built, so Symbols can share nodes freely.
 */
import { GluonError } from '../core/errors';
import type { Attrs, Operator } from '../ops/operator';

/** One node: a variable (`op` null) or an operator call. */
export interface GraphNode {
  /** null for a variable (MXNet's `"op": "null"`). */
  readonly op: Operator | null;
  readonly name: string;
  /** The operator's attributes (variables: none). */
  readonly attrs: Attrs;
  /** Node attributes beside the operator's own: `__shape__`, `__lr_mult__`, `__init__`, … (kept as text). */
  readonly hidden: Readonly<Record<string, string>>;
  readonly inputs: readonly NodeEntry[];
  /** Who errors about this node name: the layer that created it in a trace, or the node itself. */
  readonly who: string;
}

/** Output `index` of `node`. */
export interface NodeEntry {
  readonly node: GraphNode;
  readonly index: number;
}

/** The attributes of a node without operator attributes (a variable). */
export const NO_ATTRS: Attrs = Object.freeze({ values: Object.freeze({}), given: Object.freeze({}) });

/** A variable node. */
export function makeVariable(name: string, hidden: Readonly<Record<string, string>> = {}): GraphNode {
  return { op: null, name, attrs: NO_ATTRS, hidden, inputs: [], who: `variable '${name}'` };
}

/**
 * The nodes `outputs` depend on, each after all of its inputs, in MXNet's order (a depth-first
 * walk that visits inputs in order: `listArguments` follows it). Iterative, so deep graphs do not
 * overflow the stack.
 */
export function topologicalNodes(outputs: readonly NodeEntry[]): GraphNode[] {
  const order: GraphNode[] = [];
  const visited = new Set<GraphNode>();
  const stack: [GraphNode, number][] = [];
  for (const { node: head } of outputs) {
    if (visited.has(head)) continue;
    visited.add(head);
    stack.push([head, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [node, next] = top;
      if (next < node.inputs.length) {
        top[1] = next + 1;
        const input = node.inputs[next].node;
        if (!visited.has(input)) {
          visited.add(input);
          stack.push([input, 0]);
        }
      } else {
        stack.pop();
        order.push(node);
      }
    }
  }
  return order;
}

/** Whether `node` is used as an auxiliary state (a mutated input: BatchNorm's moving statistics) anywhere in `nodes`. */
export function auxiliaryVariables(nodes: readonly GraphNode[]): Set<GraphNode> {
  const aux = new Set<GraphNode>();
  for (const node of nodes) {
    if (node.op === null) continue;
    const first = node.inputs.length - node.op.auxStates;
    node.inputs.forEach((entry, i) => {
      if (i >= first) aux.add(entry.node);
    });
  }
  return aux;
}

/** The names of a node's visible outputs as MXNet lists them: `fc1_output`, `split0_output0`. */
export function outputNamesOf(node: GraphNode): string[] {
  if (node.op === null) return [node.name];
  return node.op.outputNames(node.attrs).map((output) => `${node.name}_${output}`);
}

/** Throws unless every variable name in `nodes` is used by one node only (MXNet requires unique argument names). */
export function checkUniqueVariables(nodes: readonly GraphNode[]): void {
  const seen = new Map<string, GraphNode>();
  for (const node of nodes) {
    if (node.op !== null) continue;
    const other = seen.get(node.name);
    if (other !== undefined && other !== node) {
      throw new GluonError(`Symbol: two different variables are named '${node.name}'; argument names must be unique`);
    }
    seen.set(node.name, node);
  }
}
