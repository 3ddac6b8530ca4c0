import { GraphNode, NodeEntry, topologicalNodes } from './graph';

/**
 * The graph of `outputs` with some variables replaced (MXNet's `Symbol._compose`): every node
 * that depends on a replaced variable is copied with the new inputs; the rest is shared.
 */
export function composeGraph(outputs: readonly NodeEntry[], replace: ReadonlyMap<GraphNode, NodeEntry>): NodeEntry[] {
  const copies = new Map<GraphNode, GraphNode>();
  const mapEntry = (entry: NodeEntry): NodeEntry => {
    const replaced = replace.get(entry.node);
    if (replaced !== undefined) return replaced;
    return { node: copies.get(entry.node) ?? entry.node, index: entry.index };
  };
  for (const node of topologicalNodes(outputs)) {
    if (node.op === null) continue;
    const inputs = node.inputs.map(mapEntry);
    if (inputs.some((entry, i) => entry.node !== node.inputs[i].node)) {
      copies.set(node, { ...node, inputs });
    }
  }
  return outputs.map(mapEntry);
}
