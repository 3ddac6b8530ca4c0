/**
 * Typed access to test/fixtures/norm_fixtures.json: PyTorch's outputs and autograd gradients of
 * instance_norm, batch_norm, layer_norm and group_norm, made by test/fixtures/make_norm_fixtures.py
 * (see its docstring for how torch's conventions differ from MXNet's). Tensors are channels-first;
 * gradients are those of sum(out · dy).
 */
import { NDArray, autograd, nd } from '../../src';
import { checkGradient } from './gradient_check';
import fixtureJson from '../fixtures/norm_fixtures.json';

export interface NormFixture {
  name: string;
  op: 'instance_norm' | 'batch_norm' | 'layer_norm' | 'group_norm';
  shape: number[];
  params: { eps: number; num_groups?: number; mxnet_momentum?: number; training?: boolean };
  x: number[];
  gamma: number[];
  beta: number[];
  dy: number[];
  y: number[];
  dx: number[];
  dgamma: number[];
  dbeta: number[];
  running_mean?: number[];
  running_var?: number[];
  torch_running_mean_after?: number[];
  torch_running_var_after?: number[];
}

const fixtures = fixtureJson as { torch: string; cases: NormFixture[] };

export function normFixtures(op: NormFixture['op']): NormFixture[] {
  const cases = fixtures.cases.filter((c) => c.op === op);
  if (cases.length === 0) throw new Error(`no ${op} fixtures in norm_fixtures.json`);
  return cases;
}

/** |actual − expected| ≤ tolerance·max(1, |expected|) element by element, naming the first failure. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = 2e-6): void {
  if (actual.length !== expected.length) throw new Error(`${what}: got ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const bound = tolerance * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= bound)) throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} ± ${bound}`);
  }
}

/** The values of a row-major (N, C, S…) array rearranged as (N, S…, C), by index arithmetic. */
export function toChannelsLast(values: ArrayLike<number>, shape: readonly number[]): { values: number[]; shape: number[] } {
  const [n, c] = shape;
  const spatial = values.length / (n * c);
  const out = new Array<number>(values.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < c; k++) {
      for (let s = 0; s < spatial; s++) out[(i * spatial + s) * c + k] = values[(i * c + k) * spatial + s];
    }
  }
  return { values: out, shape: [n, ...shape.slice(2), c] };
}

/**
 * Runs `op(x, gamma, beta)` on a fixture's inputs inside `autograd.record`, back-propagates the
 * fixture's dy, and compares the output and the three gradients with PyTorch's. With
 * `channelsLast` the data, dy, output and dx are rearranged to (N, S…, C) first (the op must then
 * normalize over the last axis).
 */
export function expectMatchesFixture(f: NormFixture, op: (x: NDArray, gamma: NDArray, beta: NDArray) => NDArray, channelsLast = false): void {
  const arrange = (values: number[]) => (channelsLast ? toChannelsLast(values, f.shape) : { values, shape: f.shape });
  const tensor = (values: number[]) => {
    const arranged = arrange(values);
    return nd.array(arranged.values, { shape: arranged.shape });
  };
  const x = tensor(f.x), gamma = nd.array(f.gamma), beta = nd.array(f.beta);
  for (const input of [x, gamma, beta]) input.attachGrad();
  const y = autograd.record(() => op(x, gamma, beta));
  y.backward(tensor(f.dy));
  expectAllClose(y.toFloat32Array(), arrange(f.y).values, `${f.name}: y`);
  expectAllClose(x.grad?.toFloat32Array() ?? [], arrange(f.dx).values, `${f.name}: dx`);
  expectAllClose(gamma.grad?.toFloat32Array() ?? [], f.dgamma, `${f.name}: dgamma`);
  expectAllClose(beta.grad?.toFloat32Array() ?? [], f.dbeta, `${f.name}: dbeta`);
}

/**
 * torch's group_norm has one gamma/beta per channel, MXNet 1.9's one per group. The fixtures use
 * values constant within each group, so MXNet's gamma is every (C/G)-th value and its dgamma/dbeta
 * the sums of torch's per-channel gradients over each group.
 */
export function perGroup(f: NormFixture): NormFixture {
  const groups = f.params.num_groups ?? 1;
  const size = f.gamma.length / groups;
  const pick = (values: number[]) => Array.from({ length: groups }, (_, g) => values[g * size]);
  const sum = (values: number[]) => Array.from({ length: groups }, (_, g) => values.slice(g * size, (g + 1) * size).reduce((a, b) => a + b, 0));
  f.gamma.forEach((v, c) => {
    if (v !== f.gamma[Math.floor(c / size) * size]) throw new Error(`${f.name}: gamma is not constant within group ${Math.floor(c / size)}`);
  });
  return { ...f, gamma: pick(f.gamma), beta: pick(f.beta), dgamma: sum(f.dgamma), dbeta: sum(f.dbeta) };
}

/**
 * Registers the two tests every affine norm operator case gets: its output against a float64
 * reference of (x, gamma, beta) within 2⁻²², and its gradients against finite differences.
 */
export function itMatchesReference64(
  name: string,
  op: (x: NDArray, gamma: NDArray, beta: NDArray) => NDArray,
  inputs: () => NDArray[],
  reference64: (x: Float64Array, gamma: Float64Array, beta: Float64Array) => Float64Array,
): void {
  it(`${name}: output`, () => {
    const [x, gamma, beta] = inputs();
    const as64 = (a: NDArray) => Float64Array.from(a.toFloat32Array());
    expectAllClose(op(x, gamma, beta).toFloat32Array(), reference64(as64(x), as64(gamma), as64(beta)), name, 2 ** -22);
  });

  it(`${name}: gradients against finite differences`, () => {
    checkGradient(op, inputs(), { reference64, atol: 1e-5, rtol: 1e-4 });
  });
}
