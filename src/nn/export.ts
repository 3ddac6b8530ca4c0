/**
 * Gluon's `HybridBlock.export`: the traced graph as MXNet's `-symbol.json`, and the parameters it
 * reads as a `.params` file keyed `arg:<name>` (arguments) and `aux:<name>` (auxiliary states, the
 * variables an operator updates: BatchNorm's running statistics), in the graph's input order —
 * the files MXNet's `SymbolBlock.imports` and `mx.model.load_checkpoint` read.
 */
import { GluonError } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { saveBytes } from '../ndarray/io/params_file';
import type { Block } from './block';
import { inputNames, traceBlock } from './deferred_shapes';

/** What `exportBytes` returns: the two files' contents. */
export interface ExportedModel {
  /** The text of `<prefix>-symbol.json`. */
  readonly symbol: string;
  /** The bytes of `<prefix>-<epoch>.params`. */
  readonly params: Uint8Array;
}

/** The model files of `block` traced on `count` inputs. */
export function exportModel(block: Block<unknown>, count: number | undefined): ExportedModel {
  if (count === undefined) {
    throw new GluonError(
      `${block.name || block.constructor.name}: export needs the number of inputs: run the block forward at least once before calling export ` +
        '(MXNet: "Please first call block.hybridize() and then run forward with this block at least once before calling export.")',
    );
  }
  const graph = traceBlock(block, count);
  const inputs = new Set(inputNames(count));
  const aux = new Set(graph.listAuxiliaryStates());
  const params = block.collectParams();
  const arrays: Record<string, NDArray> = {};
  for (const name of graph.listInputs()) {
    const param = params.lookup(name);
    if (inputs.has(name) || param === undefined) continue;
    arrays[`${aux.has(name) ? 'aux' : 'arg'}:${name}`] = param.data();
  }
  return { symbol: graph.toJson(), params: saveBytes(arrays) };
}

/** `<prefix>-symbol.json` and `<prefix>-0000.params` (epoch 0; `%04d`, as MXNet). */
export function exportFileNames(prefix: string, epoch: number): { symbol: string; params: string } {
  if (typeof prefix !== 'string' || prefix === '') throw new GluonError(`export: expected a path prefix string, but got ${String(prefix)}`);
  if (!Number.isSafeInteger(epoch) || epoch < 0) throw new GluonError(`export: expected epoch to be an integer >= 0, but got ${String(epoch)}`);
  return { symbol: `${prefix}-symbol.json`, params: `${prefix}-${String(epoch).padStart(4, '0')}.params` };
}
