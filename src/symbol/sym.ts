/**
 * The `sym` namespace, as `mxnet.sym`: variables, groups, files, and every registered operator
 * bound to Symbols: each call adds a node to a graph (nothing is computed). The operators take the
 * same arguments as `nd.X`, so a hybridForward reads the same with `F = nd` and `F = sym`.
 */
import { GluonError } from '../core/errors';
import { describeValue } from '../core/checks';
import { pyFloat } from '../core/py_format';
import { pyTuple } from '../ops/attrs';
import { OpCaller, bindFrontends } from '../ops/frontend';
import { activeCaller } from '../ops/invoke';
import { tensorMethods } from '../ops/methods';
import type { Attrs, Operator } from '../ops/operator';
import { FRONTENDS, OperatorSignatures } from '../ops/signatures';
import { GraphNode, NodeEntry, makeVariable } from './graph';
import { nodeName } from './naming';
import { Symbol } from './symbol';

/** Options of `sym.var`: MXNet's variable attributes, stored as the node's `__shape__`, `__lr_mult__`, … */
export interface VarOptions {
  /** The variable's shape (0 = unknown dim), used by `inferShape`. */
  shape?: readonly number[];
  /** Learning-rate multiplier. */
  lrMult?: number;
  /** Weight-decay multiplier. */
  wdMult?: number;
  /** An initializer name or its JSON (`'zeros'`, `'["normal", {"sigma": 0.01}]'`). */
  init?: string;
  /** Extra `__name__` attributes, kept as given. */
  attr?: Readonly<Record<string, string>>;
}

/**
 * A variable: a named input of a graph (data, a weight, an auxiliary state), as `mx.sym.var`.
 *
 * @example
 * const data = sym.var('data', { shape: [1, 3, 12, 12] });
 */
export function variable(name: string, options: VarOptions = {}): Symbol {
  if (typeof name !== 'string' || name === '') throw new GluonError(`sym.var: expected a non-empty name, but got ${describeValue(name)}`);
  const hidden: Record<string, string> = { ...options.attr };
  if (options.shape !== undefined) hidden.__shape__ = pyTuple(options.shape);
  if (options.lrMult !== undefined) hidden.__lr_mult__ = pyFloat(options.lrMult);
  if (options.wdMult !== undefined) hidden.__wd_mult__ = pyFloat(options.wdMult);
  if (options.init !== undefined) hidden.__init__ = options.init;
  return new Symbol([{ node: makeVariable(name, hidden), index: 0 }]);
}

/**
 * One symbol of the outputs of several, in order (MXNet's `mx.sym.Group`), e.g. the several heads
 * of a network. @example const heads = sym.Group([bbox, prob]);
 */
export function Group(symbols: readonly Symbol[]): Symbol {
  if (!Array.isArray(symbols) || symbols.length === 0 || !symbols.every((s) => s instanceof Symbol)) {
    throw new GluonError(`sym.Group: expected a non-empty array of Symbols, but got ${describeValue(symbols)}`);
  }
  return new Symbol(symbols.flatMap((s) => s.entries));
}

/**
 * Adds a node `op(inputs)`; an absent input becomes a new variable `<node>_<input>` (MXNet's
 * `sym.FullyConnected(data, num_hidden=10)` creates `fullyconnected0_weight` and `_bias`).
 */
function addNode(op: Operator, inputs: readonly (Symbol | undefined)[], attrs: Attrs, explicit?: string): Symbol[] {
  const name = nodeName(op.name, explicit);
  const names = op.inputNames(attrs);
  const entries: NodeEntry[] = inputs.map((input, i) => {
    if (input === undefined) return { node: makeVariable(`${name}_${names[i]}`), index: 0 };
    if (input.entries.length !== 1) throw new GluonError(`${op.name} '${name}': input '${names[i]}' is a group of ${input.entries.length} outputs; pick one with get(i)`);
    return input.entries[0];
  });
  const node: GraphNode = { op, name, attrs, hidden: {}, inputs: entries, who: activeCaller() ?? `${op.name} node '${name}'` };
  return op.outputNames(attrs).map((_, index) => new Symbol([{ node, index }]));
}

const CALLER: OpCaller<Symbol> = {
  kind: 'a Symbol',
  makesAbsentInputs: true,
  isTensor: (value): value is Symbol => value instanceof Symbol,
  call: addNode,
};

/** The operators of `sym`. */
export type Sym = OperatorSignatures<Symbol>;

const operators = bindFrontends<Sym, Symbol>(FRONTENDS, CALLER);
Object.assign(Symbol.prototype, tensorMethods(operators));

/** `sym`: `sym.var`, `sym.Group`, the operators (`sym.Convolution`, …), and MXNet's JSON (`sym.load`, `sym.loadJson`). */
export const symBase = Object.freeze({ var: variable, Variable: variable, Group, Symbol, ...operators });
