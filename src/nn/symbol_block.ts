/**
 * Gluon's `SymbolBlock`: a Block made from a graph (a Symbol) instead of code, usually a model
 * MXNet exported (`-symbol.json` + `.params`), read with `SymbolBlock.imports`.
 */
import { GluonError } from '../core/errors';
import { describeValue } from '../core/checks';
import { NDArray } from '../ndarray/ndarray';
import { load } from '../ndarray/io/fs';
import { loadBytes } from '../ndarray/io/params_file';
import { sym } from '../symbol';
import { composeGraph } from '../symbol/compose';
import { GraphNode, NodeEntry } from '../symbol/graph';
import { Symbol } from '../symbol/symbol';
import type { HybridizeOptions, Tensor } from './block';
import { HybridBlock, TensorRecord } from './hybrid_block';
import { hybridizeFlags } from './block_checks';
import { LoadParametersOptions, briefList, checkLoadOptions, checkSource, loadIntoDict } from './parameter_files';
import { ParameterDict } from './parameter_dict';

/**
 * A Block that runs a graph: `outputs` over the variables `inputs`; every other variable becomes
 * a Parameter named exactly as the variable (auxiliary states with gradReq 'null'), so MXNet's
 * `.params` files load by name. It is a Block like any other: callable (several outputs come back
 * as an array), `collectParams`, `loadParameters`, training with autograd and a Trainer,
 * `hybridize` (it always runs as a cached graph, as in Gluon) and `export` again.
 *
 * Where tsgluon departs from Gluon: a variable read only as a loss operator's label
 * (SoftmaxOutput's `prob1_label`) is not made a Parameter — MXNet makes it one, so `imports` of
 * such a model fails for want of it in the file. Give it as an input to train through that loss.
 *
 * @example
 * const pnet = gluon.SymbolBlock.imports('det1-symbol.json', ['data'], 'det1-0001.params');
 * const [bbox, prob] = pnet(image) as NDArray[];
 */
export class SymbolBlock extends HybridBlock<NDArray | NDArray[]> {
  private readonly outputs: readonly NodeEntry[];
  private readonly inputNodes: readonly GraphNode[];

  constructor(outputs: Symbol | readonly Symbol[], inputs: Symbol | readonly Symbol[], params?: ParameterDict) {
    super({ prefix: '', params });
    const outList = symbolList(outputs, 'outputs');
    const inList = symbolList(inputs, 'inputs');
    this.outputs = outList.flatMap((s) => s.entries);
    // Inputs are matched to the graph's variables by name, as Gluon does.
    const variables = sym.Group(outList).nodes().filter((node) => node.op === null);
    this.inputNodes = inList.map((s) => {
      const node = s.entries.length === 1 ? s.entries[0].node : undefined;
      if (node === undefined || node.op !== null) throw new GluonError(`SymbolBlock: input symbols must be variables, but ${s.toString()} is an output of operators`);
      const own = variables.find((v) => v.name === node.name);
      if (own === undefined) {
        throw new GluonError(`SymbolBlock: expected inputs among the graph's variables (${briefList(variables.map((v) => v.name))}), but got '${node.name}'`);
      }
      return own;
    });
    this.createParameters(sym.Group(outList));
    super.hybridize(true);
  }

  /**
   * Reads a model as MXNet exported it: the symbol file (a path in Node, or the file's JSON text
   * or parsed object), the names of its input variables, and optionally the `.params` file (a
   * path, or its bytes; `arg:`/`aux:` prefixes are stripped). Every parameter must be in the
   * file unless `allowMissing`, and every file entry must be a parameter unless `ignoreExtra`.
   *
   * @example
   * const net = gluon.SymbolBlock.imports('resnet18_v1-symbol.json', ['data'], 'resnet18_v1-0000.params');
   */
  static imports(symbolFile: string | object, inputNames: string | readonly string[], paramFile?: string | Uint8Array, options: LoadParametersOptions = {}): SymbolBlock {
    checkLoadOptions('SymbolBlock.imports', options);
    if (paramFile !== undefined) checkSource('SymbolBlock.imports', paramFile, true);
    const graph = typeof symbolFile === 'string' && !symbolFile.trimStart().startsWith('{') ? sym.load(symbolFile) : sym.loadJson(symbolFile);
    const names = typeof inputNames === 'string' ? [inputNames] : inputNames;
    if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === 'string')) {
      throw new GluonError(`SymbolBlock.imports: expected input names (a string or a list of strings), but got ${describeValue(inputNames)}`);
    }
    const block = new SymbolBlock(graph, names.map((name) => sym.var(name)));
    if (paramFile !== undefined) block.loadParameterFile(paramFile, options);
    return block;
  }

  /** Loads an MXNet `.params` file by parameter name (Gluon's `collect_params().load`), listing every missing name. */
  private loadParameterFile(source: string | Uint8Array, options: LoadParametersOptions): void {
    const fileName = typeof source === 'string' ? source : '<bytes>';
    const loaded = typeof source === 'string' ? load(source) : loadBytes(source, fileName);
    if (Array.isArray(loaded)) throw new GluonError(`SymbolBlock.imports: '${fileName}' holds an unnamed list of arrays; a parameter file needs names`);
    const names = new Set(Object.keys(loaded).map((key) => key.replace(/^(arg|aux):/, '')));
    const missing = [...this.params.keys()].filter((name) => !names.has(name));
    if (missing.length > 0 && !options.allowMissing) {
      throw new GluonError(
        `SymbolBlock.imports: parameters ${briefList(missing)} are missing in file '${fileName}', which contains ${briefList([...names])}. ` +
          'Set allowMissing=true to leave them uninitialized.',
      );
    }
    loadIntoDict(this.params, loaded, fileName, '', { ...options, allowMissing: true });
  }

  /** Parameters for every variable but the inputs and loss labels, registered under their names minus the common prefix (Gluon's `_reg_params`). */
  private createParameters(graph: Symbol): void {
    const inputs = new Set(this.inputNodes.map((node) => node.name));
    const labels = labelVariables(graph.nodes());
    const aux = new Set(graph.listAuxiliaryStates());
    const names = graph.listInputs().filter((name) => !inputs.has(name) && !labels.has(name));
    const common = commonPrefix(names);
    for (const name of names) {
      const param = this.params.get(name, { allowDeferredInit: true, gradReq: aux.has(name) ? 'null' : 'write' });
      this.registerParameter(name.slice(common.length) || name, param);
    }
  }

  /** Always a cached graph, as Gluon's SymbolBlock; `hybridize(options)` only updates the flags. */
  override hybridize(options: HybridizeOptions | boolean = true): void {
    super.hybridize({ ...hybridizeFlags(this.errorName, options), active: true });
  }

  /** As many inputs as the graph's input variables. */
  protected override inputArity(): number {
    return this.inputNodes.length;
  }

  /** @internal A graph has no imperative `hybridForward`: `summary` runs it as the cached graph it is. */
  override runsImperatively(): boolean {
    return false;
  }

  /** Symbolic use inside another block's graph: this graph, its inputs replaced by `inputs`. */
  override hybridForward(_F: unknown, ...inputsThenParams: [...Tensor[], TensorRecord]): Tensor | Tensor[] {
    const inputs = inputsThenParams.slice(0, -1) as Symbol[];
    if (inputs.length !== this.inputNodes.length) {
      throw new GluonError(`SymbolBlock: expected ${this.inputNodes.length} input(s) (${this.inputNodes.map((n) => n.name).join(', ')}), but got ${inputs.length}`);
    }
    const replace = new Map(this.inputNodes.map((node, i) => [node, inputs[i].entries[0]]));
    const entries = composeGraph(this.outputs, replace);
    return entries.length === 1 ? new Symbol(entries) : entries.map((entry) => new Symbol([entry]));
  }

  /** Gluon's text: `SymbolBlock(\n<Symbol name> : 1 -> 2\n)`. */
  override toString(): string {
    return `SymbolBlock(\n${new Symbol(this.outputs).toString()} : ${this.inputNodes.length} -> ${this.outputs.length}\n)`;
  }
}

function symbolList(value: Symbol | readonly Symbol[], what: string): Symbol[] {
  const list = value instanceof Symbol ? [value] : value;
  if (!Array.isArray(list) || list.length === 0 || !list.every((s) => s instanceof Symbol)) {
    throw new GluonError(`SymbolBlock: expected ${what} to be a Symbol or a non-empty list of Symbols, but got ${describeValue(value)}`);
  }
  return list;
}

/** Variables read only as operators' label inputs (SoftmaxOutput's label): not parameters. */
function labelVariables(nodes: readonly GraphNode[]): Set<string> {
  const label = new Map<GraphNode, boolean>();
  for (const node of nodes) {
    node.inputs.forEach((entry, i) => {
      if (entry.node.op !== null) return;
      const isLabel = node.op !== null && node.op.labelInputs.includes(i);
      label.set(entry.node, (label.get(entry.node) ?? true) && isLabel);
    });
  }
  return new Set([...label].filter(([, only]) => only).map(([node]) => node.name));
}

/** Gluon's `_common_prefix`: the longest common leading text of the names (character by character). */
function commonPrefix(names: readonly string[]): string {
  let prefix = names[0] ?? '';
  for (const name of names) while (!name.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix;
}
