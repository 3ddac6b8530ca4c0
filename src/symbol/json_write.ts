/**
 * Writing MXNet 1.9's symbol JSON, byte for byte as its writer (nnvm's saveload_json.cc through
 * dmlc::JSONWriter) lays it out:
 *
 * - top level `nodes`, `arg_nodes`, `node_row_ptr`, `heads`, `attrs` (`mxnet_version`);
 *   each node `op` (`"null"` for a variable; the canonical name, never an alias), `name`,
 *   `attrs` (sorted keys; left out when empty), `inputs` (`[node, output, version]`);
 * - nodes in depth-first post-order from the heads; `arg_nodes` every variable;
 *   `node_row_ptr` the running count of ALL outputs (hidden ones too: BatchNorm adds 3);
 * - an entry's version counts the mutations of a variable so far (BatchNorm's moving
 *   statistics are read as version 1);
 * - 2-space indentation, `", "` then a newline between items (so lines end in a space), objects
 *   of at most one entry and number arrays of at most 10 items on one line, no final newline.
 */
import { GraphNode, NodeEntry, topologicalNodes } from './graph';
import { MXNET_VERSION } from './json_read';

type Json = string | number | readonly Json[] | { readonly [key: string]: Json };

/** The JSON text of the graph of `outputs`. */
export function graphToJson(outputs: readonly NodeEntry[]): string {
  const nodes = topologicalNodes(outputs);
  const ids = new Map(nodes.map((node, i) => [node, i]));
  const versions = new Map<GraphNode, number>();
  const entry = (e: NodeEntry): Json => [ids.get(e.node) as number, e.index, e.node.op === null ? versions.get(e.node) ?? 0 : 0];
  const rows = [0];
  const written = nodes.map((node) => {
    rows.push(rows[rows.length - 1] + outputCount(node));
    const inputs = node.inputs.map(entry);
    for (const k of node.op?.mutates ?? []) versions.set(node.inputs[k].node, (versions.get(node.inputs[k].node) ?? 0) + 1);
    return nodeJson(node, inputs);
  });
  const graph: Json = {
    nodes: written,
    arg_nodes: nodes.flatMap((node, i) => (node.op === null ? [i] : [])),
    node_row_ptr: rows,
    heads: outputs.map(entry),
    attrs: { mxnet_version: ['int', MXNET_VERSION] },
  };
  return write(graph, 0);
}

/** Every output of a node as MXNet counts them: visible and hidden. */
function outputCount(node: GraphNode): number {
  return node.op === null ? 1 : node.op.outputNames(node.attrs).length + node.op.hiddenOutputs(node.attrs);
}

function nodeJson(node: GraphNode, inputs: Json[]): Json {
  const attrs: Record<string, string> = { ...node.hidden, ...(node.op === null ? {} : node.op.printAttrs(node.attrs)) };
  const sorted = Object.fromEntries(Object.keys(attrs).sort(byteOrder).map((key) => [key, attrs[key]]));
  const out: Record<string, Json> = { op: node.op === null ? 'null' : node.op.name, name: node.name };
  if (Object.keys(sorted).length > 0) out.attrs = sorted;
  out.inputs = inputs;
  return out;
}

/** std::map's order: by UTF-16 code unit here, the same as bytes for the ASCII keys MXNet uses. */
function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** dmlc::JSONWriter's layout; `depth` is the number of open scopes. */
function write(value: Json, depth: number): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    // Arrays of numbers or entries break lines past 10 items; the node list always does.
    const multiLine = value.length > 10 || value.some((item) => typeof item === 'object' && !Array.isArray(item));
    return scope('[', ']', value.map((item) => write(item, depth + 1)), multiLine, depth);
  }
  // Objects of one entry (a one-attribute map) stay on one line; nodes and the graph never have one.
  const entries = Object.entries(value as { readonly [key: string]: Json });
  return scope('{', '}', entries.map(([key, item]) => `"${key}": ${write(item, depth + 1)}`), entries.length > 1, depth);
}

function scope(open: string, close: string, items: readonly string[], multiLine: boolean, depth: number): string {
  if (items.length === 0) return `${open}${close}`;
  if (!multiLine) return `${open}${items.join(', ')}${close}`;
  const inner = `\n${'  '.repeat(depth + 1)}`;
  return `${open}${inner}${items.join(`, ${inner}`)}\n${'  '.repeat(depth)}${close}`;
}
