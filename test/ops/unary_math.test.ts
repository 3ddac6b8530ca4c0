/**
 * The elementwise math operators: values against JavaScript's float64 Math rounded once to
 * float32 (and hand-checked rounding tables), gradients and second derivatives by central
 * finite differences of float64 references.
 */
import { NDArray, autograd, nd, sym } from '../../src';
import { checkGradient } from '../helpers/gradient_check';

type Case = [name: keyof typeof REFERENCE, domain: [number, number]];

const REFERENCE = {
  log1p: Math.log1p, expm1: Math.expm1, log2: Math.log2, log10: Math.log10, sin: Math.sin, cos: Math.cos, tan: Math.tan,
  arcsin: Math.asin, arccos: Math.acos, arctan: Math.atan, sinh: Math.sinh, cosh: Math.cosh, arcsinh: Math.asinh,
  arccosh: Math.acosh, arctanh: Math.atanh, degrees: (v: number) => (v * 180) / Math.PI, radians: (v: number) => (v * Math.PI) / 180,
  reciprocal: (v: number) => 1 / v, rsqrt: (v: number) => 1 / Math.sqrt(v), cbrt: Math.cbrt, rcbrt: (v: number) => 1 / Math.cbrt(v),
  erf: (v: number) => erfSeries(v),
} as const;

/** erf by its Maclaurin series in float64 (independent of the library's rational approximation). */
function erfSeries(z: number): number {
  let term = z;
  let sum = z;
  for (let n = 1; n < 60; n++) {
    term *= (-z * z) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}

const CASES: Case[] = [
  ['log1p', [-0.5, 2]], ['expm1', [-1, 1]], ['log2', [0.2, 3]], ['log10', [0.2, 3]], ['sin', [-3, 3]], ['cos', [-3, 3]],
  ['tan', [-1.2, 1.2]], ['arcsin', [-0.9, 0.9]], ['arccos', [-0.9, 0.9]], ['arctan', [-3, 3]], ['sinh', [-2, 2]],
  ['cosh', [-2, 2]], ['arcsinh', [-3, 3]], ['arccosh', [1.2, 3]], ['arctanh', [-0.9, 0.9]], ['degrees', [-3, 3]],
  ['radians', [-200, 200]], ['reciprocal', [0.5, 3]], ['rsqrt', [0.5, 3]], ['cbrt', [0.2, 3]], ['rcbrt', [0.2, 3]], ['erf', [-2, 2]],
];

const points = ([lo, hi]: [number, number], n = 7): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / n);
const op = (name: string) => (nd as unknown as Record<string, (x: NDArray) => NDArray>)[name];

describe('elementwise math', () => {
  it.each(CASES)('%s matches float64 Math rounded to float32', (name, domain) => {
    const xs = points(domain).map(Math.fround);
    const expected = xs.map((v) => Math.fround(REFERENCE[name](v)));
    const got = Array.from(op(name)(nd.array(xs)).toFloat32Array());
    got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(Math.abs(expected[i]) * 2 ** -22 + 1e-30));
  });

  it.each(CASES)('%s passes a finite-difference gradient check', (name, domain) => {
    const x = nd.array(points(domain));
    checkGradient((a) => op(name)(a), [x], { reference64: (a) => Array.from(a, REFERENCE[name]) });
  });

  it.each(['sin', 'arctanh', 'rsqrt', 'erf', 'rcbrt'] as const)('%s has exact second derivatives', (name) => {
    const domain = CASES.find(([n]) => n === name)![1];
    const x = nd.array(points(domain, 5));
    const h = 1e-4;
    const derivative = (v: number) => (REFERENCE[name](v + h) - REFERENCE[name](v - h)) / (2 * h);
    checkGradient((a) => autograd.grad(op(name)(a), [a], { createGraph: true })[0], [x], {
      reference64: (a) => Array.from(a, derivative), atol: 1e-3, rtol: 1e-3, step: 1e-3,
    });
  });

  it('rounds as C does: round halves away from zero, rint halves to even, fix and trunc toward zero', () => {
    const x = nd.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -1.7, 1.7]);
    expect(nd.round(x).toArray()).toEqual([-3, -2, -1, 1, 2, 3, -2, 2]);
    expect(nd.rint(x).toArray()).toEqual([-2, -2, -0, 0, 2, 2, -2, 2]);
    expect(nd.fix(x).toArray()).toEqual([-2, -1, -0, 0, 1, 2, -1, 1]);
    expect(nd.trunc(x).toArray()).toEqual(nd.fix(x).toArray());
    expect(nd.floor(x).toArray()).toEqual([-3, -2, -1, 0, 1, 2, -2, 1]);
    expect(nd.ceil(x).toArray()).toEqual([-2, -1, -0, 1, 2, 3, -1, 2]);
    expect(nd.logicalNot(nd.array([0, 2, -0, NaN])).toArray()).toEqual([1, 0, 1, 0]);
  });

  it('passes a zero gradient through the rounding functions', () => {
    const x = nd.array([0.3, 1.7]);
    x.attachGrad();
    autograd.record(() => nd.add(nd.floor(x), nd.round(x))).backward();
    expect(x.grad?.toArray()).toEqual([0, 0]);
  });

  it("appears in symbol files under MXNet's names", () => {
    const graph = JSON.parse(sym.logicalNot(sym.erf(sym.var('x'), { name: 'e' }), { name: 'n' }).toJson()) as { nodes: { op: string }[] };
    expect(graph.nodes.map((n) => n.op)).toEqual(['null', 'erf', 'logical_not']);
  });
});
