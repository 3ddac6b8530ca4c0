/**
 * gamma, gammaln, erfinv and smooth_l1: values against mpmath's (test/fixtures/
 * special_function_fixtures.json, made by make_special_function_fixtures.py) rounded to float32,
 * published values, C's special cases, and gradients against the fixtures' digamma, trigamma and
 * tetragamma and by finite differences of float64 references written here (Stirling's series,
 * Newton on erf by Simpson's rule) — different algorithms from the library's.
 */
import { GluonError, NDArray, autograd, gluon, nd, nn, sym } from '../../src';
import fixtureJson from '../fixtures/special_function_fixtures.json';
import { checkGradient } from '../helpers/gradient_check';
import { expectHybridMatches } from '../helpers/hybrid_check';

type Table = { x: number[]; y: (number | string)[] };
const FIXTURES: Record<'gamma' | 'gammaln' | 'digamma' | 'trigamma' | 'tetragamma' | 'erfinv', Table> = fixtureJson;
const decode = (v: number | string): number => (typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN);
const inputs = (t: Table): number[] => t.x.map(Math.fround);
const expected = (t: Table): number[] => t.y.map((v) => Math.fround(decode(v)));

/** ln Γ(x), x > 0: Stirling's series at x + m ≥ 15, shifted back by ln Γ(x) = ln Γ(x + m) − Σ ln(x + k). */
function lgammaRef(x: number): number {
  let shift = 0;
  let z = x;
  for (; z < 15; z++) shift += Math.log(z);
  const series = 1 / (12 * z) - 1 / (360 * z ** 3) + 1 / (1260 * z ** 5) - 1 / (1680 * z ** 7) + 1 / (1188 * z ** 9);
  return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
}

/** Γ(x) from lgammaRef, reflected for x < 0. */
function gammaRef(x: number): number {
  return x > 0 ? Math.exp(lgammaRef(x)) : Math.PI / (Math.sin(Math.PI * x) * gammaRef(1 - x));
}

/** erf(z) = 2/√π ∫₀ᶻ e^(−t²) dt by Simpson's rule on 2000 panels (~1e-15 for |z| ≤ 1.5). */
function erfRef(z: number): number {
  const n = 2000;
  const h = z / n;
  let sum = 1 + Math.exp(-z * z);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((2 / Math.sqrt(Math.PI)) * sum * h) / 3;
}

/** erfinv by Newton's method on erfRef from 0. */
function erfinvRef(x: number): number {
  let y = 0;
  for (let i = 0; i < 30; i++) {
    const step = (erfRef(y) - x) / ((2 / Math.sqrt(Math.PI)) * Math.exp(-y * y));
    y -= step;
    if (Math.abs(step) < 1e-16) break;
  }
  return y;
}

const values = (a: NDArray): number[] => Array.from(a.data);
const grid = (lo: number, hi: number, n: number): number[] => Array.from({ length: n }, (_, i) => lo + ((hi - lo) * (i + 0.5)) / n);

describe('gamma, gammaln and erfinv values', () => {
  it.each([['gamma', nd.gamma], ['gammaln', nd.gammaln], ['erfinv', nd.erfinv]] as const)(
    '%s is mpmath rounded to float32, exactly', (name, op) => {
      const table = FIXTURES[name];
      expect(values(op(nd.array(inputs(table))))).toEqual(expected(table));
    },
  );

  it('gives the published values', () => {
    const pi = Math.PI;
    expect(values(nd.gamma(nd.array([0.5, 1.5, 1, 2, 5, 11, -0.5])))).toEqual(
      [Math.sqrt(pi), Math.sqrt(pi) / 2, 1, 1, 24, 3628800, -2 * Math.sqrt(pi)].map(Math.fround));
    expect(values(nd.gammaln(nd.array([1, 2, 0.5, 3, 101])))).toEqual(
      [0, 0, Math.log(Math.sqrt(pi)), Math.LN2, 363.73937555556347].map(Math.fround));
    // erfinv(0.5) = 0.476936276204469873…, erfinv(0.75) = 0.813419847597618541…
    expect(values(nd.erfinv(nd.array([0.5, -0.5, 0.75])))).toEqual([0.4769362762044699, -0.4769362762044699, 0.8134198475976185].map(Math.fround));
  });

  it("follows C's tgamma and lgamma at poles, infinities and overflow, and erfinv's domain", () => {
    expect(values(nd.gamma(nd.array([0, -0, -1, -7, Infinity, -Infinity, NaN, 36, -200.5])))).toEqual(
      [Infinity, -Infinity, NaN, NaN, Infinity, NaN, NaN, Infinity, -0]);
    // Γ underflows to a zero of its sign: negative on (−201, −200), positive on (−202, −201).
    expect(Object.is(nd.gamma(nd.array([-200.5])).data[0], -0)).toBe(true);
    expect(Object.is(nd.gamma(nd.array([-201.5])).data[0], 0)).toBe(true);
    expect(values(nd.gammaln(nd.array([0, -0, -3, Infinity, -Infinity, NaN])))).toEqual([Infinity, Infinity, Infinity, Infinity, Infinity, NaN]);
    expect(values(nd.erfinv(nd.array([1, -1, 1.5, -2, NaN, -0])))).toEqual([Infinity, -Infinity, NaN, NaN, NaN, -0]);
    expect(Object.is(nd.erfinv(nd.array([-0])).data[0], -0)).toBe(true);
  });
});

describe('gamma, gammaln and erfinv gradients', () => {
  /** The derivatives of order 1 … depth of `op` at `x` (summed heads of ones), each from the previous with createGraph. */
  function derivatives(op: (a: NDArray) => NDArray, x: number[], depth: number): number[][] {
    const v = nd.array(x);
    v.attachGrad();
    const out: number[][] = [];
    autograd.record(() => {
      let y = op(v);
      for (let d = 0; d < depth; d++) {
        y = autograd.grad(y, [v], { createGraph: true, retainGraph: true })[0];
        out.push(values(y));
      }
    });
    return out;
  }

  it('gammaln′ is the digamma function and its derivatives the polygamma functions, rounded once', () => {
    const x = inputs(FIXTURES.digamma);
    const [first, second, third] = derivatives(nd.gammaln, x, 3);
    expect(first).toEqual(expected(FIXTURES.digamma));
    expect(second).toEqual(expected(FIXTURES.trigamma));
    expect(third).toEqual(expected(FIXTURES.tetragamma));
  });

  it('gamma′ = Γ·ψ within two float32 roundings', () => {
    const x = inputs(FIXTURES.digamma).filter((v) => Math.abs(v) < 30);
    const psi = expected(FIXTURES.digamma).filter((_, i) => Math.abs(inputs(FIXTURES.digamma)[i]) < 30);
    const [first] = derivatives(nd.gamma, x, 1);
    first.forEach((g, i) => {
      const want = Math.fround(gammaRef(x[i])) * psi[i];
      expect(Math.abs(g - want)).toBeLessThanOrEqual(2 ** -22 * Math.abs(want) + 1e-37);
    });
  });

  it('passes finite-difference checks of first and second derivatives', () => {
    const gx = nd.array([...grid(0.3, 4, 6), ...grid(-2.8, -2.2, 3), ...grid(-0.9, -0.1, 3)]);
    checkGradient((a) => nd.gamma(a), [gx], { reference64: (a) => Array.from(a, gammaRef) });
    const lx = nd.array(grid(0.2, 12, 8));
    checkGradient((a) => nd.gammaln(a), [lx], { reference64: (a) => Array.from(a, lgammaRef) });
    const ex = nd.array(grid(-0.9, 0.9, 9));
    checkGradient((a) => nd.erfinv(a), [ex], { reference64: (a) => Array.from(a, erfinvRef) });
    const h = 1e-4;
    const slope = (f: (v: number) => number) => (v: number) => (f(v + h) - f(v - h)) / (2 * h);
    const second = { atol: 1e-3, rtol: 1e-3, step: 1e-3 };
    checkGradient((a) => autograd.grad(nd.gamma(a), [a], { createGraph: true })[0], [nd.array(grid(0.5, 3, 5))], { reference64: (a) => Array.from(a, slope(gammaRef)), ...second });
    checkGradient((a) => autograd.grad(nd.erfinv(a), [a], { createGraph: true })[0], [nd.array(grid(-0.8, 0.8, 5))], { reference64: (a) => Array.from(a, slope(erfinvRef)), ...second });
  });

  it('gives NaN gradients at the poles', () => {
    const [g] = derivatives(nd.gammaln, [0, -2], 1);
    expect(g).toEqual([NaN, NaN]);
  });
});

/** MXNet's smooth_l1 in float64, as its formula reads. */
function smoothL1Ref(x: number, sigma: number): number {
  const s2 = sigma * sigma;
  return Math.abs(x) > 1 / s2 ? Math.abs(x) - 0.5 / s2 : 0.5 * x * x * s2;
}

describe('smoothL1 (smooth_l1)', () => {
  it("gives MXNet's documented example and its formula for any scalar", () => {
    expect(values(nd.smoothL1(nd.array([1, 2, 3, 4])))).toEqual([0.5, 1.5, 2.5, 3.5]);
    const x = [-3, -1, -0.25, -0.1, 0, 0.1, 0.25, 0.3, 1, 2.5, Infinity, -Infinity, NaN].map(Math.fround);
    for (const scalar of [1, 0.5, 2, 3.3]) {
      const sigma = Math.fround(scalar);
      expect(values(nd.smoothL1(nd.array(x), { scalar }))).toEqual(x.map((v) => Math.fround(smoothL1Ref(v, sigma))));
    }
    expect(values(nd.smoothL1(nd.array([2, -1, Infinity]), { scalar: 0 }))).toEqual([0, 0, NaN]);
  });

  it('has gradient σ²x inside |x| ≤ 1/σ² and sign(x) outside, and second derivative σ² inside', () => {
    const x = nd.array([-3, -0.2, 0, 0.2, 0.4, 3]);
    x.attachGrad();
    autograd.record(() => nd.smoothL1(x, { scalar: 2 })).backward();
    expect(values(x.grad as NDArray)).toEqual([-1, -0.8, 0, 0.8, 1, 1].map(Math.fround));
    const points = nd.array([-2, -0.6, -0.1, 0.15, 0.7, 1.5]);
    checkGradient((a) => nd.smoothL1(a, { scalar: 1.5 }), [points], { reference64: (a) => Array.from(a, (v) => smoothL1Ref(v, 1.5)) });
    const slope = (v: number) => Math.min(1, Math.max(-1, 2.25 * v));
    checkGradient((a) => autograd.grad(nd.smoothL1(a, { scalar: 1.5 }), [a], { createGraph: true })[0], [points], { reference64: (a) => Array.from(a, slope) });
  });

  it('rejects a scalar that is not a number, naming the operator', () => {
    expect(() => nd.smoothL1(nd.array([1]), { scalar: '2' as unknown as number })).toThrow(
      new GluonError("smooth_l1: expected scalar to be a number, but got the string '2'"));
  });
});

describe('in symbols and hybridized blocks', () => {
  it("writes MXNet's operator names and attributes, and reads them and the _npx_ aliases back", () => {
    const x = sym.var('x');
    const y = sym.smoothL1(sym.gammaln(sym.erfinv(sym.gamma(x, { name: 'g' }), { name: 'e' }), { name: 'l' }), { scalar: 2, name: 's' });
    const text = y.toJson();
    const nodes = (JSON.parse(text) as { nodes: { op: string; attrs?: Record<string, string> }[] }).nodes;
    expect(nodes.map((n) => n.op)).toEqual(['null', 'gamma', 'erfinv', 'gammaln', 'smooth_l1']);
    expect(nodes[4].attrs).toEqual({ scalar: '2.0' });
    expect(sym.loadJson(text).toJson()).toBe(text);
    const aliased = text.replace('"gamma"', '"_npx_gamma"').replace('"smooth_l1"', '"_npx_smooth_l1"');
    expect(sym.loadJson(aliased).toJson()).toBe(text);
  });

  class Special extends nn.HybridBlock {
    override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor {
      return F.add(F.add(F.gamma(x), F.gammaln(x)), F.smoothL1(F.erfinv(F.multiply(x, 0.2)), { scalar: 1.5 }));
    }
  }

  it('gives the same bits hybridized as imperatively, gradients included', () => {
    const x = nd.array([0.3, 1.7, 2.2, 3.9, -1.4, 4.6]);
    expectHybridMatches(() => new Special(), x);
    const block = new gluon.SymbolBlock(sym.gammaln(sym.var('d')), sym.var('d'));
    expect(values(block(x) as NDArray)).toEqual(values(nd.gammaln(x)));
  });
});
