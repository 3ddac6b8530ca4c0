/**
 * Symbol, as MXNet's `mx.sym.Symbol`: a handle on one or several outputs of a graph of operator
 * calls over named variables. Symbols are built with `sym.var` and the `sym.X` operators (the same
 * registry and arguments as `nd.X`), combined with `sym.Group`, inspected (`listArguments`,
 * `inferShape`), and saved in MXNet's JSON (`toJson`, `save`; see json.ts).
 *
 * A Symbol holds no values: reading one (`toArray`, comparing it in an `if`, `+s`) is a
 * GluonError, because inside a hybridized block's `hybridForward` the data only exists when the
 * cached graph runs. (A plain `if (s)` is always true for an object and cannot be caught in
 * JavaScript: branch on shapes or options, not on values, in a hybridForward.)
 */
import { describeValue } from '../core/checks';
import { GluonError } from '../core/errors';
import type { TensorMethods } from '../ops/methods';
import { GraphNode, NodeEntry, auxiliaryVariables, outputNamesOf, topologicalNodes } from './graph';
import { inferGraphShapes } from './infer_shape';
import { graphToJson } from './json_write';
import { writeTextFile } from '../ndarray/io/fs';
import { parseIntTuple } from '../ops/attrs';

/** What `inferShape` returns: shapes in listArguments / listOutputs / listAuxiliaryStates order. */
export interface InferredShapes<S> {
  readonly argShapes: S[];
  readonly outShapes: S[];
  readonly auxShapes: S[];
}

/** The given shapes, and the `__shape__` of variables created with one (a given shape wins). */
function givenShapes(nodes: readonly GraphNode[], shapes: Readonly<Record<string, readonly number[]>>): Map<string, readonly number[]> {
  const given = new Map<string, readonly number[]>();
  for (const node of nodes) {
    const declared = node.op === null ? node.hidden.__shape__ : undefined;
    const parsed = declared === undefined ? undefined : parseIntTuple(declared);
    if (parsed !== undefined) given.set(node.name, parsed);
  }
  for (const [name, shape] of Object.entries(shapes)) {
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
      throw new GluonError(`Symbol.inferShape: expected the shape of '${name}' to be a list of integers >= 0, but got ${String(shape)}`);
    }
    given.set(name, shape);
  }
  return given;
}

const INSPECT: unique symbol = globalThis.Symbol.for('nodejs.util.inspect.custom') as typeof INSPECT;

/** A `{ node, index }` pair of the graph (what a Symbol is made of). */
function isNodeEntry(value: unknown): value is NodeEntry {
  if (typeof value !== 'object' || value === null) return false;
  const { node, index } = value as Partial<NodeEntry>;
  return typeof node === 'object' && node !== null && Array.isArray(node.inputs) && typeof index === 'number';
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- the interface below adds the methods sym.ts installs
export class Symbol {
  /** @internal The graph entries this symbol stands for, in order. */
  readonly entries: readonly NodeEntry[];

  /** @internal Use `sym.var`, the `sym.X` operators or `sym.Group`. */
  constructor(entries: readonly NodeEntry[]) {
    if (!Array.isArray(entries) || !entries.every(isNodeEntry)) {
      throw new GluonError(`Symbol: expected graph entries (make symbols with sym.var, the sym.X operators or sym.Group), but got ${describeValue(entries)}`);
    }
    if (entries.length === 0) throw new GluonError('Symbol: expected at least one output, but got none');
    this.entries = Object.freeze(entries.slice());
  }

  /** The node name of a one-output symbol (`fc1`, `data`); undefined for a group. */
  get name(): string | undefined {
    return this.entries.length === 1 ? this.entries[0].node.name : undefined;
  }

  /** How many outputs this symbol has. */
  get length(): number {
    return this.entries.length;
  }

  /** Output `index` (negative counts from the end), or the output named `name` (`'fc1_output'`). */
  get(key: number | string): Symbol {
    if (typeof key === 'string') {
      const at = this.listOutputs().indexOf(key);
      if (at < 0) throw new GluonError(`Symbol.get: no output named '${key}'; the outputs are ${this.listOutputs().join(', ')}`);
      return new Symbol([this.entries[at]]);
    }
    const n = this.entries.length;
    if (!Number.isInteger(key) || key < -n || key >= n) throw new GluonError(`Symbol.get: expected an index in [${-n}, ${n - 1}], but got ${String(key)}`);
    return new Symbol([this.entries[key < 0 ? key + n : key]]);
  }

  /** The outputs one by one. */
  [globalThis.Symbol.iterator](): IterableIterator<Symbol> {
    return this.entries.map((entry) => new Symbol([entry]))[globalThis.Symbol.iterator]();
  }

  /** @internal Every node this symbol depends on, inputs first (MXNet's depth-first order). */
  nodes(): GraphNode[] {
    return topologicalNodes(this.entries);
  }

  /** The variables that are arguments (not auxiliary states), in MXNet's order: `['data', 'fc1_weight', 'fc1_bias']`. */
  listArguments(): string[] {
    const nodes = this.nodes();
    const aux = auxiliaryVariables(nodes);
    return nodes.filter((node) => node.op === null && !aux.has(node)).map((node) => node.name);
  }

  /** The auxiliary states (variables an operator updates itself: BatchNorm's moving mean and variance). */
  listAuxiliaryStates(): string[] {
    const nodes = this.nodes();
    const aux = auxiliaryVariables(nodes);
    return nodes.filter((node) => node.op === null && aux.has(node)).map((node) => node.name);
  }

  /** Every variable (arguments and auxiliary states), in MXNet's order. */
  listInputs(): string[] {
    return this.nodes().filter((node) => node.op === null).map((node) => node.name);
  }

  /** The outputs' names: `fc1_output`, `split0_output0`, a variable's own name. */
  listOutputs(): string[] {
    return this.entries.map(({ node, index }) => outputNamesOf(node)[index]);
  }

  /**
   * The shapes of the arguments, outputs and auxiliary states (MXNet's `infer_shape`, in the
   * order of listArguments/listOutputs/listAuxiliaryStates) given some argument shapes; the rest
   * are inferred (weights from data, …). Variables created with a `shape` need none.
   * Throws a GluonError naming the node whose shapes do not fit, or listing what stays unknown.
   *
   * @example
   * const net = sym.FullyConnected(sym.var('data'), undefined, undefined, { numHidden: 10, name: 'fc1' });
   * net.inferShape({ data: [2, 5] }).argShapes; // [[2, 5], [10, 5], [10]]
   */
  inferShape(shapes: Readonly<Record<string, readonly number[]>> = {}): InferredShapes<number[]> {
    const partial = this.inferShapePartial(shapes);
    const names = [...this.listArguments(), ...this.listAuxiliaryStates()];
    const unknown = names.filter((_, i) => [...partial.argShapes, ...partial.auxShapes][i] === undefined);
    if (unknown.length > 0 || partial.outShapes.includes(undefined)) {
      throw new GluonError(`Symbol.inferShape: cannot decide the shapes of ${unknown.join(', ') || 'the outputs'}; give more input shapes`);
    }
    return partial as InferredShapes<number[]>;
  }

  /** As `inferShape`, with `undefined` for what cannot be inferred (MXNet's `infer_shape_partial`). */
  inferShapePartial(shapes: Readonly<Record<string, readonly number[]>> = {}): InferredShapes<number[] | undefined> {
    const nodes = this.nodes();
    const aux = auxiliaryVariables(nodes);
    const inferred = inferGraphShapes(nodes, givenShapes(nodes, shapes));
    const shapeOf = (node: GraphNode, index = 0): number[] | undefined => inferred.outputs.get(node)?.[index]?.slice();
    const variables = nodes.filter((node) => node.op === null);
    return {
      argShapes: variables.filter((node) => !aux.has(node)).map((node) => shapeOf(node)),
      outShapes: this.entries.map(({ node, index }) => shapeOf(node, index)),
      auxShapes: variables.filter((node) => aux.has(node)).map((node) => shapeOf(node)),
    };
  }

  /** A symbol of every output of every node (MXNet's `get_internals`), to pick an inner one with `get(name)`. */
  getInternals(): Symbol {
    return new Symbol(this.nodes().flatMap((node) => outputNamesOf(node).map((_, index) => ({ node, index }))));
  }

  /**
   * MXNet 1.9's symbol JSON of this graph (as `sym.tojson()`; readable by MXNet's `sym.load_json`).
   * @example fs.writeFileSync('net-symbol.json', net.toJson());
   */
  toJson(): string {
    return graphToJson(this.entries);
  }

  /** Writes `toJson()` to the file `path` (Node; MXNet's `sym.save`). */
  save(path: string): void {
    writeTextFile(path, this.toJson(), 'Symbol.save');
  }

  /** Reading values from a Symbol is an error: see the class comment. */
  toArray(): never {
    throw noValues('toArray()');
  }

  /** Reading values from a Symbol is an error: see the class comment. */
  toFloat32Array(): never {
    throw noValues('toFloat32Array()');
  }

  /** Reading values from a Symbol is an error: see the class comment. */
  asScalar(): never {
    throw noValues('asScalar()');
  }

  /** A Symbol used as a number or string (`+s`, `` `${s}` `` is allowed: see toString) has no value. */
  [globalThis.Symbol.toPrimitive](hint: string): string {
    if (hint === 'string') return this.toString();
    throw noValues(`converting it to a ${hint === 'number' ? 'number' : 'primitive value'}`);
  }

  /** MXNet's text: `<Symbol fc1>`, `<Symbol group [fc1, prob]>`. */
  toString(): string {
    return this.entries.length === 1 ? `<Symbol ${this.entries[0].node.name}>` : `<Symbol group [${this.entries.map((e) => e.node.name).join(', ')}]>`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

// The arithmetic methods (`s.add(t)`, `s.reshape([0, -1])`) are installed by sym.ts from the
// operator registry, as NDArray's are by src/ops/nd.ts.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the class
export interface Symbol extends TensorMethods<Symbol> {}

function noValues(what: string): GluonError {
  return new GluonError(
    `Symbol: a Symbol has no values (${what}): inside a hybridized block's hybridForward the data only exists when the ` +
      'cached graph runs; compute with F operators and branch on shapes or options, not on values',
  );
}
