/**
 * The logical operators, hypot and mod (array–array with broadcasting, array–number, number–
 * array), MXNet's named broadcast_* comparisons, and the same-shape `_equal`/`_mod`/`_hypot`
 * family MXNet's Symbol writes: values against float64 references written here, gradients by
 * finite differences and against MXNet's formulas, symbol JSON and hybridized runs.
 */
import { NDArray, autograd, gluon, nd, nn, sym } from '../../src';
import { checkGradient } from '../helpers/gradient_check';
import { expectHybridMatches } from '../helpers/hybrid_check';
import { expectClose, makeRng, naiveBinary, randomArray, refOf } from '../helpers/naive_ops';

const rng = makeRng(31);
type Operand = NDArray | number;
type BinaryFn = (a: Operand, b: Operand) => NDArray;

/** Python's float `%` (the sign of the divisor), and MXNet's 0 for a zero divisor. */
function pyMod(a: number, b: number): number {
  if (b === 0) return 0;
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r;
}
/** C's truth of a float: any nonzero value, NaN included. */
const truth = (v: number): boolean => v !== 0;

const OPS: [string, BinaryFn, (x: number, y: number) => number][] = [
  ['logicalAnd', nd.logicalAnd, (x, y) => Number(truth(x) && truth(y))],
  ['logicalOr', nd.logicalOr, (x, y) => Number(truth(x) || truth(y))],
  ['logicalXor', nd.logicalXor, (x, y) => Number(truth(x) !== truth(y))],
  ['hypot', nd.hypot, (x, y) => Math.sqrt(x * x + y * y)],
  ['modulo', nd.modulo, pyMod],
  ['mod', nd.mod, pyMod],
];

const SHAPE_PAIRS: [number[], number[]][] = [[[2, 3, 4], [2, 3, 4]], [[2, 3], []], [[3, 1], [1, 4]], [[2, 1, 3], [4, 1]], [[0, 3], [3]]];

/** Values in [-3, 3) with integers and zeros mixed in, so mod meets exact multiples and zero divisors. */
function operand(shape: number[]): NDArray {
  const x = randomArray(rng, shape, -3, 3);
  return nd.array(x.toFloat32Array().map((v, i) => (i % 4 === 0 ? Math.round(v) : v)), { shape });
}

describe.each(OPS)('%s', (_name, op, ref) => {
  it.each(SHAPE_PAIRS)('broadcasts %j with %j, either way round', (sa, sb) => {
    const a = operand(sa);
    const b = operand(sb);
    expectClose(op(a, b), naiveBinary(ref, refOf(a), refOf(b)));
    expectClose(op(b, a), naiveBinary(ref, refOf(b), refOf(a)));
  });

  it('takes a number on either side', () => {
    const a = operand([3, 4]);
    for (const s of [2, -1.5, 0]) {
      expectClose(op(a, s), naiveBinary(ref, refOf(a), { shape: [], data: [s] }));
      expectClose(op(s, a), naiveBinary(ref, { shape: [], data: [s] }, refOf(a)));
    }
  });
});

describe('special values', () => {
  it("mod follows MXNet's branches: Python's sign, 0 for a zero divisor, its signed zeros", () => {
    expect(nd.modulo(nd.array([5, -5, 5, -5, 7.5, 1, -1]), nd.array([3, 3, -3, -3, 2, 0, 0])).toArray()).toEqual([2, 1, -1, -2, 1.5, 0, 0]);
    const zeros = nd.modulo(nd.array([6, -6, 6, -6]), nd.array([3, 3, -3, -3])).data;
    expect([0, 1, 2, 3].map((i) => Object.is(zeros[i], -0))).toEqual([false, false, false, true]);
    expect(nd.mod(nd.array([-1, 1, Infinity, NaN]), Infinity).toArray()).toEqual([Infinity, 1, NaN, NaN]);
    expect(nd.mod(7, nd.array([3, -3, 0])).toArray()).toEqual([1, -2, 0]);
  });

  it('hypot neither overflows nor underflows in between, and Infinity beats NaN (C99)', () => {
    expect(nd.hypot(nd.array([3e38, 1e-30, 3e-45, Infinity, NaN]), nd.array([4e38, 1e-30, 4e-45, NaN, Infinity])).toArray()).toEqual(
      [Infinity, Math.fround(Math.SQRT2 * 1e-30), Math.fround(Math.hypot(Math.fround(3e-45), Math.fround(4e-45))), Infinity, Infinity]);
    expect(nd.hypot(nd.array([3e37]), nd.array([4e37])).toArray()).toEqual([Math.fround(5e37)]);
  });

  it('logical operators count NaN as true, as C', () => {
    expect(nd.logicalAnd(nd.array([NaN, NaN, 0]), nd.array([1, 0, NaN])).toArray()).toEqual([1, 0, 0]);
    expect(nd.logicalXor(nd.array([NaN, -0]), 0).toArray()).toEqual([1, 0]);
  });
});

describe("MXNet's named broadcast operators", () => {
  type Pair = (lhs: never, rhs: never) => unknown;
  const call = (ns: object, name: string, a: unknown, b: unknown): unknown => (ns as Record<string, Pair>)[name](a as never, b as never);
  it.each([
    ['broadcastEqual', 'equal'], ['broadcastNotEqual', 'notEqual'], ['broadcastGreater', 'greater'], ['broadcastGreaterEqual', 'greaterEqual'],
    ['broadcastLesser', 'lesser'], ['broadcastLesserEqual', 'lesserEqual'], ['broadcastLogicalAnd', 'logicalAnd'],
    ['broadcastLogicalOr', 'logicalOr'], ['broadcastLogicalXor', 'logicalXor'], ['broadcastHypot', 'hypot'], ['broadcastMod', 'modulo'],
  ])('%s is %s of two arrays, in nd and sym', (named, numpyStyle) => {
    const a = operand([2, 3]);
    const b = operand([3]);
    expect((call(nd, named, a, b) as NDArray).toArray()).toEqual((call(nd, numpyStyle, a, b) as NDArray).toArray());
    const opOf = (name: string): string => (JSON.parse((call(sym, name, sym.var('a'), sym.var('b')) as sym.Symbol).toJson()) as { nodes: { op: string }[] }).nodes[2].op;
    expect(opOf(named)).toBe(opOf(numpyStyle));
    expect(opOf(named)).toMatch(/^broadcast_/);
  });
});

describe('gradients', () => {
  it('hypot: da = dy·a/out, db = dy·b/out, summed over broadcast axes', () => {
    const a = randomArray(rng, [2, 3], 0.5, 3);
    const b = randomArray(rng, [3], -3, -0.5);
    const hyp = (x: Float64Array, y: Float64Array) => naiveBinary((p, q) => Math.sqrt(p * p + q * q), { shape: [2, 3], data: Array.from(x) }, { shape: [3], data: Array.from(y) }).data;
    checkGradient((x, y) => nd.hypot(x, y), [a, b], { reference64: hyp });
    checkGradient((x) => nd.hypot(x, 2), [a], { reference64: (x) => Array.from(x, (v) => Math.hypot(v, 2)) });
    checkGradient((x) => nd.hypot(-2, x), [a], { reference64: (x) => Array.from(x, (v) => Math.hypot(v, 2)) });
  });

  it("mod: MXNet's da = dy and db = −dy·⌊a/b⌋, checked by finite differences between the jumps", () => {
    const a = nd.array([5, -5, 7.5, 0.3]);
    const b = nd.array([3, 3, -2, 0.7]);
    a.attachGrad();
    b.attachGrad();
    autograd.record(() => nd.modulo(a, b)).backward();
    expect(a.grad?.toArray()).toEqual([1, 1, 1, 1]);
    expect(b.grad?.toArray()).toEqual([-1, 2, 4, -0]);
    const x = nd.array([2.2, -1.3, 4.6, -0.4]);
    const y = nd.array([1.5, 1.1, -3.2, -0.9]);
    checkGradient((p, q) => nd.mod(p, q), [x, y], { reference64: (p, q) => Array.from(p, (v, i) => pyMod(v, q[i])) });
    checkGradient((p) => nd.mod(p, 1.5), [x], { reference64: (p) => Array.from(p, (v) => pyMod(v, 1.5)) });
    checkGradient((p) => nd.mod(5, p), [y], { reference64: (p) => Array.from(p, (v) => pyMod(5, v)) });
  });

  it('logical operators pass no gradient', () => {
    const x = nd.array([0, 2, -1]);
    x.attachGrad();
    autograd.record(() => nd.add(nd.add(nd.logicalAnd(x, 1), nd.logicalOr(1, x)), nd.add(nd.logicalXor(x, x), x))).backward();
    expect(x.grad?.toArray()).toEqual([1, 1, 1]);
  });
});

describe('symbol files', () => {
  /** An MXNet graph of variables a and b and one node per (op, inputs, attrs). */
  function graph(nodes: [string, number[], Record<string, string>?][]): string {
    const all = [{ op: 'null', name: 'a', inputs: [] }, { op: 'null', name: 'b', inputs: [] },
      ...nodes.map(([op, inputs, attrs], i) => ({ op, name: `n${i}`, ...(attrs ? { attrs } : {}), inputs: inputs.map((k) => [k, 0, 0]) }))];
    return JSON.stringify({ nodes: all, arg_nodes: [0, 1], heads: nodes.map((_, i) => [i + 2, 0, 0]) });
  }

  it("reads the same-shape operators MXNet's Symbol writes (`a == b`, `a % b`, sym.hypot) and their legacy names", () => {
    const ops = ['_equal', '_Not_Equal', '_greater', '_Greater_Equal', '_lesser', '_lesser_equal', '_logical_and', '_Logical_Or', '_logical_xor', '_Hypot', '_mod', '_Mod'];
    const scalars = ['_ModScalar', '_RModScalar', '_HypotScalar', '_LogicalAndScalar', '_logical_or_scalar', '_LogicalXorScalar'];
    const text = graph([...ops.map((op): [string, number[]] => [op, [0, 1]]), ...scalars.map((op): [string, number[], Record<string, string>] => [op, [0], { scalar: '2' }])]);
    const outputs = sym.loadJson(text);
    const block = new gluon.SymbolBlock(outputs, [sym.var('a'), sym.var('b')]);
    const a = nd.array([[1, -2.5, 0], [4, 2, -7]]);
    const b = nd.array([[1, 2, 3], [-3, 2, 0]]);
    const got = (block(a, b) as NDArray[]).map((y) => y.toArray());
    const want = [nd.equal(a, b), nd.notEqual(a, b), nd.greater(a, b), nd.greaterEqual(a, b), nd.lesser(a, b), nd.lesserEqual(a, b),
      nd.logicalAnd(a, b), nd.logicalOr(a, b), nd.logicalXor(a, b), nd.hypot(a, b), nd.modulo(a, b), nd.modulo(a, b),
      nd.modulo(a, 2), nd.modulo(2, a), nd.hypot(a, 2), nd.logicalAnd(a, 2), nd.logicalOr(a, 2), nd.logicalXor(a, 2)].map((y) => y.toArray());
    expect(got).toEqual(want);
    expect(() => sym.loadJson(graph([['_mod', [0, 1]]])).inferShape({ a: [2, 3], b: [3] })).toThrow(
      'expected operands of the same shape, but got (2, 3) and (3,)');
  });

  it("writes MXNet's names and attributes and reads them back", () => {
    const y = sym.modulo(sym.hypot(sym.var('a'), sym.var('b')), 2);
    const text = y.toJson();
    const nodes = (JSON.parse(text) as { nodes: { op: string; attrs?: Record<string, string> }[] }).nodes;
    expect(nodes.slice(2).map((n) => [n.op, n.attrs])).toEqual([['broadcast_hypot', undefined], ['_mod_scalar', { scalar: '2.0' }]]);
    expect(sym.loadJson(text).toJson()).toBe(text);
    expect(JSON.parse(sym.mod(3, sym.var('x')).toJson()).nodes[1].op).toBe('_rmod_scalar');
    expect(JSON.parse(sym.logicalXor(sym.var('x'), 1).toJson()).nodes[1].op).toBe('_logical_xor_scalar');
  });

  class Mixed extends nn.HybridBlock {
    override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor {
      const h = F.hypot(x, F.modulo(x, 1.25));
      return F.add(F.multiply(h, F.logicalOr(F.greater(x, 0.5), F.lesser(x, -1))), F.mod(2.5, h));
    }
  }

  it('gives the same bits hybridized as imperatively, gradients included', () => {
    expectHybridMatches(() => new Mixed(), randomArray(rng, [3, 4], -3, 3));
  });
});
