/**
 * The upgrades MXNet's legacy loader applies to old symbol files (src/nnvm/legacy_json_util.cc),
 * by the file's version (1·10000 + minor·100 + patch; a file without one is 0.8.0 = 800):
 *
 * - before 1.9.1, `UpgradeJSON_FixParsing`: an attribute `lr_mult` (also `wd_mult`, `ctx_group`,
 *   `force_mirroring`, `mirror_stage`) becomes the node's `__lr_mult__`, and `<input>_lr_mult`
 *   moves to that input variable as `__lr_mult__`;
 * - before 0.9.0: missing trailing inputs (BatchNorm's moving statistics) become new variables
 *   `<node>_<input>` (done while building, see json_read.ts);
 * - before 0.9.4: BatchNorm's moving statistics get `__init__` zero/one, bilinear UpSampling's
 *   weight `__init__` bilinear;
 * - before 0.9.5: `argmax`/`argmin` with `axis=-1` lose the axis (they searched the flattened array).
 */
import { lookupOperator } from '../ops/table';
import type { RawNode } from './json_read';

const LEGACY_HIDDEN = ['ctx_group', 'lr_mult', 'wd_mult', 'force_mirroring', 'mirror_stage'];

/** Applies the upgrades for a file of `version` to its nodes, in place. */
export function upgradeLegacyNodes(nodes: RawNode[], version: number, current: number, what: string): void {
  nodes.forEach((node, i) => {
    if (node.op === 'null') return;
    if (version < current) fixParsing(node, nodes, `${what}: node ${i} ('${node.name}')`);
    if (version < 904) setInputInits(node, nodes);
    if (version < 905 && (node.op === 'argmax' || node.op === 'argmin') && node.attrs.axis === '-1') delete node.attrs.axis;
  });
}

function fixParsing(node: RawNode, nodes: RawNode[], where: string): void {
  for (const key of Object.keys(node.attrs)) {
    const hidden = LEGACY_HIDDEN.find((h) => key === h || key.endsWith(`_${h}`));
    if (hidden === undefined) continue;
    const value = node.attrs[key];
    delete node.attrs[key];
    if (key === hidden) {
      node.attrs[`__${hidden}__`] = value;
      continue;
    }
    const input = inputNamed(node, nodes, key.slice(0, -(hidden.length + 1)), where);
    if (input !== undefined) input.attrs[`__${hidden}__`] = value;
  }
}

/** The input node of `node` whose input name is `name` (`weight`), if any. */
function inputNamed(node: RawNode, nodes: RawNode[], name: string, where: string): RawNode | undefined {
  const op = lookupOperator(node.op, where);
  const { attrs } = op.resolveJson(node.attrs, where);
  const at = op.inputNames(attrs).indexOf(name);
  const entry = at >= 0 ? node.inputs[at] : undefined;
  return entry === undefined ? undefined : nodes[entry[0]];
}

function setInputInits(node: RawNode, nodes: RawNode[]): void {
  const init = (k: number, value: string): void => {
    const entry = node.inputs[k];
    const input = entry === undefined ? undefined : nodes[entry[0]];
    if (input !== undefined && input.op === 'null') input.attrs.__init__ = value;
  };
  if (node.op === 'BatchNorm') {
    init(3, '["zero", {}]');
    init(4, '["one", {}]');
  }
  if (node.op === 'UpSampling' && node.attrs.sample_type === 'bilinear') init(1, '["bilinear", {}]');
}
