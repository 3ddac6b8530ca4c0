/**
 * Reading MXNet's symbol JSON, every format MXNet itself reads, from 0.8 to 1.9: node attributes
 * under `attrs` (1.x), `attr` (0.9–1.0) or `param` (0.8, pre-NNVM), two- or three-element input
 * entries, and the upgrades of MXNet's legacy loader (src/nnvm/legacy_json_util.cc), applied by
 * the file's `mxnet_version` (absent: 0.8.0). Hostile files (cycles, dangling inputs, unknown
 * operators or attributes, huge shapes) give a GluonError, never a hang or a crash: every input
 * must name an earlier node, so a cycle cannot be written.
 */
import { GluonError } from '../core/errors';
import { describeValue, isPlainObject } from '../core/checks';
import { isHiddenKey } from '../ops/operator';
import { lookupOperator } from '../ops/table';
import { GraphNode, NodeEntry, makeVariable } from './graph';
import { upgradeLegacyNodes } from './json_upgrade';

/** A node as the file gives it, its attributes merged into one dictionary of strings. */
export interface RawNode {
  readonly op: string;
  readonly name: string;
  attrs: Record<string, string>;
  inputs: [number, number][];
}

/** MXNet 1.9.1's version number (1·10000 + 9·100 + 1), what tsgluon writes. */
export const MXNET_VERSION = 10901;

/**
 * The graph of a symbol file's text (or its parsed JSON): the entries of its heads. `what` names
 * the caller in errors (`sym.loadJson`, `sym.load('net-symbol.json')`).
 */
export function graphFromJson(source: unknown, what: string): NodeEntry[] {
  const json = parse(source, what);
  const version = versionOf(json, what);
  const raw = rawNodes(json, what);
  upgradeLegacyNodes(raw, version, MXNET_VERSION, what);
  const nodes: GraphNode[] = [];
  raw.forEach((node, i) => nodes.push(buildNode(node, nodes, i, version, what)));
  const heads = entryList(json.heads, `${what}: heads`);
  if (heads.length === 0) throw new GluonError(`${what}: expected at least one head (output), but the file lists none`);
  return heads.map((entry) => resolveEntry(entry, nodes, nodes.length, `${what}: head`));
}

/** A parsed symbol file, its node list checked to be an array. */
type SymbolJson = Record<string, unknown> & { nodes: unknown[] };

function parse(source: unknown, what: string): SymbolJson {
  let json: unknown = source;
  if (typeof source === 'string') {
    try {
      json = JSON.parse(source);
    } catch (error) {
      throw new GluonError(`${what}: expected MXNet symbol JSON, but the text is not JSON (${error instanceof Error ? error.message : String(error)})`);
    }
  }
  if (!isPlainObject(json) || !Array.isArray(json.nodes)) {
    throw new GluonError(`${what}: expected MXNet symbol JSON (an object with "nodes" and "heads"), but got ${describeValue(json)}`);
  }
  return { ...json, nodes: json.nodes };
}

/** The file's `attrs.mxnet_version` (`["int", 10901]`), or 800 (0.8.0) when absent, as MXNet. */
function versionOf(json: Record<string, unknown>, what: string): number {
  const attrs = json.attrs;
  const tagged = isPlainObject(attrs) ? attrs.mxnet_version : undefined;
  if (tagged === undefined) return 800;
  const value = Array.isArray(tagged) ? tagged[1] : tagged;
  const version = typeof value === 'string' ? Number(value) : value;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 0) {
    throw new GluonError(`${what}: expected attrs.mxnet_version to be ["int", <version>], but got ${JSON.stringify(tagged)}`);
  }
  return version;
}

function rawNodes(json: SymbolJson, what: string): RawNode[] {
  return json.nodes.map((node, i) => {
    const where = `${what}: node ${i}`;
    if (!isPlainObject(node) || typeof node.op !== 'string' || typeof node.name !== 'string') {
      throw new GluonError(`${where}: expected an object with string "op" and "name", but got ${describeValue(node)}`);
    }
    // MXNet merges the three keys in this order; later ones win.
    const attrs: Record<string, string> = {};
    for (const key of ['attrs', 'attr', 'param'] as const) Object.assign(attrs, stringDict(node[key], `${where} ('${node.name}') ${key}`));
    return { op: node.op, name: node.name, attrs, inputs: entryList(node.inputs ?? [], `${where} ('${node.name}') inputs`) };
  });
}

function stringDict(value: unknown, where: string): Record<string, string> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) throw new GluonError(`${where}: expected an object of strings, but got ${describeValue(value)}`);
  const out: Record<string, string> = {};
  for (const [key, text] of Object.entries(value)) {
    if (typeof text !== 'string' && typeof text !== 'number' && typeof text !== 'boolean') {
      throw new GluonError(`${where}: expected attribute '${key}' to be a string, but got ${describeValue(text)}`);
    }
    out[key] = String(text);
  }
  return out;
}

/** `[[node, index], …]` or `[[node, index, version], …]`. */
function entryList(value: unknown, where: string): [number, number][] {
  if (!Array.isArray(value)) throw new GluonError(`${where}: expected a list of [node, output] entries, but got ${describeValue(value)}`);
  return value.map((entry, k) => {
    const ok = Array.isArray(entry) && (entry.length === 2 || entry.length === 3) && entry.every((v) => Number.isSafeInteger(v) && v >= 0);
    if (!ok) throw new GluonError(`${where}: entry ${k} must be [node, output] or [node, output, version] of integers >= 0, but got ${JSON.stringify(entry)}`);
    return [entry[0], entry[1]];
  });
}

function buildNode(raw: RawNode, built: readonly GraphNode[], i: number, version: number, what: string): GraphNode {
  const where = `${what}: node ${i} ('${raw.name}')`;
  if (raw.op === 'null') {
    if (raw.inputs.length > 0) throw new GluonError(`${where}: a variable cannot have inputs, but it lists ${raw.inputs.length}`);
    return makeVariable(raw.name, raw.attrs);
  }
  const op = lookupOperator(raw.op, where);
  const who = `${op.name} node '${raw.name}'`;
  const { attrs, extra } = op.resolveJson(raw.attrs, who);
  const names = op.inputNames(attrs);
  // Files before 0.9.0 leave out auxiliary states: MXNet adds them as variables `<node>_<input>`.
  const missing = version < 900 ? names.slice(raw.inputs.length) : [];
  if (raw.inputs.length + missing.length !== names.length) {
    throw new GluonError(`${who}: expected ${names.length} input(s) (${names.join(', ')}), but the file lists ${raw.inputs.length}`);
  }
  const inputs = raw.inputs.map((entry) => resolveEntry(entry, built, i, `${where} input`));
  for (const name of missing) inputs.push({ node: makeVariable(`${raw.name}_${name}`, hiddenOnly(raw.attrs)), index: 0 });
  return { op, name: raw.name, attrs, hidden: extra, inputs, who };
}

function hiddenOnly(attrs: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(attrs).filter(([key]) => isHiddenKey(key)));
}

/** Entry `[node, output]`: the node must come before `before` and have that output. */
function resolveEntry([id, index]: [number, number], built: readonly GraphNode[], before: number, where: string): NodeEntry {
  if (id >= before || id >= built.length) {
    throw new GluonError(`${where} reads node ${id}, which is not listed before it (a symbol file lists every node after its inputs; ${built.length} nodes so far)`);
  }
  const node = built[id];
  const outputs = node.op === null ? 1 : node.op.outputNames(node.attrs).length;
  if (index >= outputs) {
    throw new GluonError(`${where} reads output ${index} of node ${id} ('${node.name}'), which has ${outputs} visible output(s)`);
  }
  return { node, index };
}
