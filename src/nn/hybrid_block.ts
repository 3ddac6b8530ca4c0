import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { withCaller } from '../ops/invoke';
import { nd } from '../ops/nd';
import type { OperatorSignatures } from '../ops/signatures';
import { sym } from '../symbol';
import { withNamePrefix } from '../symbol/naming';
import { Symbol } from '../symbol/symbol';
import { Block, HybridizeOptions, Tensor } from './block';
import { hybridizeFlags } from './block_checks';
import { inferParameterShapes } from './deferred_shapes';
import { ExportedModel, exportFileNames, exportModel } from './export';
import { writeBytesFile, writeTextFile } from '../ndarray/io/fs';
import { HybridCache } from './hybrid_cache';

/** The `nd` namespace, as a HybridBlock's `F` is when it runs imperatively. */
export type NDNamespace = typeof nd;

/** What a HybridBlock's `hybridForward` receives as `F`: `nd` (imperative) or `sym` (while traced into a graph). */
export type HybridF = OperatorSignatures<Tensor>;

/** A HybridBlock's parameter values by attribute name, as Gluon's `**kwargs` (arrays when imperative). */
export type ParamArrays = Record<string, NDArray>;

/** The parameters as `hybridForward` receives them: arrays, or variables while traced. */
export type TensorRecord = Record<string, Tensor>;

/**
 * A Block written against `F`, as Gluon's `HybridBlock`: subclasses implement
 * `hybridForward(F, x, params)`, where `params` holds every attribute-registered parameter by
 * attribute name and `F` is the operator namespace, so Gluon code ports line by line.
 *
 * - Imperatively (the default) `F` is `nd` and the parameters are arrays.
 * - `hybridize()` makes the next call trace `hybridForward` with `F = sym` (parameters become
 *   variables) into a graph, and later calls run that graph cached (Gluon's CachedOp; see
 *   src/symbol/cached_graph.ts): the same operators and kernels, so the results are bitwise
 *   identical, with intermediate memory planned and reused. Autograd records through it.
 * - `export(prefix)` writes the graph and the parameters as MXNet's `-symbol.json` and `.params`.
 *
 * While traced, `hybridForward` must not read values (a Symbol has none: `toArray()` and
 * converting it to a number throw). A plain `if (x)` on a tensor is always true and cannot be
 * caught: branch on options or shapes, not on values. Children must be HybridBlocks, as in Gluon.
 *
 * @example
 * class Scale extends nn.HybridBlock {
 *   readonly alpha: nn.Parameter;
 *   constructor() {
 *     super();
 *     this.alpha = this.params.get('alpha', { shape: [1], init: 'ones' });
 *   }
 *   override hybridForward(F: nn.HybridF, x: nn.Tensor, { alpha }: nn.TensorRecord): nn.Tensor {
 *     return F.multiply(x, alpha);
 *   }
 * }
 * const block = new Scale();
 * block.initialize();
 * block.hybridize();
 * block(nd.ones([2])); // runs the cached graph from the second call on
 */
export class HybridBlock<O = NDArray> extends Block<O> {
  /** @internal The cached graph and its flags, while hybridized. */
  private hybrid: HybridCache | undefined;
  /** How many inputs the last call on arrays had: what `export` traces with. */
  private lastInputCount: number | undefined;

  override registerChild(block: Block<unknown>, name: string = String(this.childEntries().size)): void {
    if (!(block instanceof HybridBlock)) {
      throw new GluonError(
        `${this.errorName}: children of a HybridBlock must also be HybridBlocks, but got ${describeValue(block)} as child '${name}'. If you are using Sequential, please try HybridSequential instead.`,
      );
    }
    super.registerChild(block, name);
    this.hybrid?.clear();
  }

  /**
   * Hybridizes this block and its children: the next call traces `hybridForward` into a graph and
   * later calls run it cached. `hybridize(false)` returns to imperative execution. As Gluon:
   * `staticShape` requires `staticAlloc` and keeps one plan only (a new input shape re-plans from
   * scratch); tsgluon's cached graph always keeps its planned memory across calls.
   */
  override hybridize(options: HybridizeOptions | boolean = true): void {
    const flags = hybridizeFlags(this.errorName, options);
    if (flags.staticShape && !flags.staticAlloc) {
      throw new GluonError(`${this.errorName}: hybridize with staticShape requires staticAlloc (static_alloc must be True when static_shape is True)`);
    }
    this.hybrid = flags.active ? new HybridCache(this, { staticShape: flags.staticShape }) : undefined;
    super.hybridize(flags);
  }

  /** Whether `hybridize()` is in effect. */
  get isHybridized(): boolean {
    return this.hybrid !== undefined;
  }

  override traceable(): boolean {
    return true;
  }

  /** Arrays: the cached graph when hybridized, else `hybridForward(nd, …)`; Symbols: traced. */
  override forward(...inputs: Tensor[]): Tensor | Tensor[] {
    if (inputs.some((x) => x instanceof Symbol)) return this.trace(inputs);
    const arrays = inputs as NDArray[];
    this.lastInputCount = arrays.length;
    if (this.hybrid !== undefined) return this.hybrid.call(arrays);
    return this.imperative(arrays);
  }

  /**
   * Writes `<path>-symbol.json` (the graph, MXNet 1.9's JSON) and `<path>-0000.params` (the
   * parameters the graph reads, keyed `arg:name` / `aux:name`), as Gluon's `export`, so MXNet's
   * `SymbolBlock.imports` reads them. The block must have run forward once (that fixes its number
   * of inputs, named `data` or `data0`, `data1`, …); unlike Gluon it need not be hybridized.
   * Node only; see `exportBytes` for browsers.
   *
   * @example
   * net.hybridize();
   * net(x);
   * net.export('/tmp/net');   // /tmp/net-symbol.json, /tmp/net-0000.params
   */
  export(path: string, epoch = 0): void {
    const files = exportFileNames(path, epoch);
    const model = exportModel(this, this.lastInputCount);
    writeTextFile(files.symbol, model.symbol, 'export');
    writeBytesFile(files.params, model.params, 'export');
  }

  /** The two files `export` writes, as text and bytes. */
  exportBytes(): ExportedModel {
    return exportModel(this, this.lastInputCount);
  }

  /** `hybridForward(nd, ...inputs, params)` on arrays. */
  private imperative(inputs: NDArray[]): Tensor | Tensor[] {
    const params: ParamArrays = {};
    for (const [name, param] of this.parameterEntries()) params[name] = param.data();
    // Operators report bad input against this layer: `conv0: expected data of rank 4, …`.
    return withCaller(this.name, () => this.hybridForward(nd, ...inputs, params));
  }

  /** `hybridForward(sym, ...inputs, variables)`, node names under this block's prefix. */
  private trace(inputs: Tensor[]): Tensor | Tensor[] {
    if (!inputs.every((x) => x instanceof Symbol)) {
      throw new GluonError(`${this.errorName}: expected inputs that are all NDArrays or all Symbols, but got a mix`);
    }
    const vars: TensorRecord = {};
    for (const [name, param] of this.parameterEntries()) vars[name] = param.var();
    return withCaller(this.name, () => withNamePrefix(this.prefix, () => this.hybridForward(sym, ...inputs, vars)));
  }

  /**
   * Deferred initialization, as Gluon: the block is traced into a graph whose shapes are inferred
   * from the inputs, and every deferred parameter of it (its children's too) takes its shape.
   */
  protected override inferShape(...inputs: NDArray[]): void {
    inferParameterShapes(this, inputs);
  }

  /** The computation, written against `F` (`nd` or `sym`). Subclasses override it. */
  hybridForward(F: HybridF, ...inputsThenParams: (Tensor | TensorRecord)[]): Tensor | Tensor[] {
    void F;
    throw new GluonError(
      `${this.constructor.name} '${this.name}' has no hybridForward: a HybridBlock subclass must override it, got ${inputsThenParams.length - 1} inputs`,
    );
  }

  /** @internal Whether `hybridForward` runs on arrays; a SymbolBlock always runs its cached graph. */
  runsImperatively(): boolean {
    return true;
  }

  /**
   * Gluon's `summary`: for a hybridized block, from an imperative pass (Gluon refuses; the table is
   * the same). A SymbolBlock inside stays a cached graph: it is one row.
   */
  override summary(...inputs: NDArray[]): string {
    const hybridized: HybridBlock<unknown>[] = [];
    this.apply((block) => {
      if (block instanceof HybridBlock && block.hybrid !== undefined && block.runsImperatively()) hybridized.push(block);
    });
    const saved = hybridized.map((block) => block.hybrid);
    hybridized.forEach((block) => (block.hybrid = undefined));
    try {
      return super.summary(...inputs);
    } finally {
      hybridized.forEach((block, i) => (block.hybrid = saved[i]));
    }
  }
}
