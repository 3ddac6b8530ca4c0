import seedrandom from 'seedrandom';
import { GluonError } from '../../src/core/errors';
import { NormLayout, normForward } from '../../src/kernels/cpu/normalization';
import { normBackward, normBackwardFixedStatistics } from '../../src/kernels/cpu/normalization_backward';
import { batchNormLayout, groupNormLayout, instanceNormLayout, layerNormLayout } from '../../src/kernels/cpu/norm_layouts';
import { ReferenceNormSpec, referenceNorm } from '../helpers/reference_norm';
import { finiteDifferenceGradients, referenceNormFixed } from '../helpers/reference_norm_grad';
import { expectCloseElementwise } from '../helpers/expect_close';

const rng = seedrandom('normalization-backward');

function randomData(n: number, center = 0, spread = 1): Float32Array {
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = center + spread * (2 * rng() - 1);
  return data;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance = 2e-6): void {
  expectCloseElementwise(actual, expected, what, tolerance);
}

interface Case {
  name: string;
  layout: NormLayout;
  /** The reference's view of the same data: its shape, kept axes and affine axis. */
  spec: Omit<ReferenceNormSpec, 'gamma' | 'beta' | 'eps'>;
}

const CASES: Case[] = [
  { name: 'InstanceNorm NCHW', layout: instanceNormLayout([2, 3, 4, 3], 1), spec: { shape: [2, 3, 4, 3], keepAxes: [0, 1], affineAxis: 1 } },
  { name: 'InstanceNorm channels-last', layout: instanceNormLayout([2, 4, 3, 3], -1), spec: { shape: [2, 4, 3, 3], keepAxes: [0, 3], affineAxis: 3 } },
  { name: 'InstanceNorm middle axis', layout: instanceNormLayout([2, 3, 2, 4], 2), spec: { shape: [2, 3, 2, 4], keepAxes: [0, 2], affineAxis: 2 } },
  { name: 'BatchNorm axis 1', layout: batchNormLayout([3, 4, 5], 1), spec: { shape: [3, 4, 5], keepAxes: [1], affineAxis: 1 } },
  { name: 'BatchNorm channels-last', layout: batchNormLayout([3, 5, 4], -1), spec: { shape: [3, 5, 4], keepAxes: [2], affineAxis: 2 } },
  { name: 'BatchNorm (N, C)', layout: batchNormLayout([6, 3], 1), spec: { shape: [6, 3], keepAxes: [1], affineAxis: 1 } },
  { name: 'LayerNorm last axis', layout: layerNormLayout([3, 2, 6], -1), spec: { shape: [3, 2, 6], keepAxes: [0, 1], affineAxis: 2 } },
  { name: 'LayerNorm middle axis', layout: layerNormLayout([2, 5, 3], 1), spec: { shape: [2, 5, 3], keepAxes: [0, 2], affineAxis: 1 } },
  // GroupNorm (2, 6, 5) with 3 groups: the reference sees (N, G, channels per group, W).
  { name: 'GroupNorm', layout: groupNormLayout([2, 6, 5], 3), spec: { shape: [2, 3, 2, 5], keepAxes: [0, 1], affineAxis: 1 } },
  {
    name: 'affine cycling inside runs (stride 1, count 3)',
    layout: { outer: 2, reduceOuter: 3, channels: 2, reduceInner: 6, affineStride: 1, affineCount: 3 },
    spec: { shape: [2, 3, 2, 2, 3], keepAxes: [0, 2], affineAxis: 4 },
  },
  {
    name: 'affine stride 2 (neither 1 nor a multiple of the run)',
    layout: { outer: 2, reduceOuter: 3, channels: 2, reduceInner: 6, affineStride: 2, affineCount: 3 },
    spec: { shape: [2, 3, 2, 3, 2], keepAxes: [0, 2], affineAxis: 3 },
  },
];

function sizeOf(layout: NormLayout): number {
  return layout.outer * layout.reduceOuter * layout.channels * layout.reduceInner;
}

/** Random inputs for a case: x, gamma, beta, dy, and the forward's statistics from the kernel. */
function setup(c: Case, eps: number) {
  const size = sizeOf(c.layout);
  const x = randomData(size, 2, 3);
  const gamma = randomData(c.layout.affineCount, 1, 0.8);
  const beta = randomData(c.layout.affineCount, 0, 1);
  const dy = randomData(size, 0, 1);
  const groups = c.layout.outer * c.layout.channels;
  const mean = new Float64Array(groups), variance = new Float64Array(groups);
  normForward(x, 0, new Float32Array(size), 0, c.layout, mean, variance, eps, gamma, beta);
  return { size, x, gamma, beta, dy, mean, variance };
}

describe('normBackward against finite differences of the float64 reference', () => {
  const eps = 1e-3;
  for (const c of CASES) {
    test(c.name, () => {
      const { size, x, gamma, beta, dy, mean, variance } = setup(c, eps);
      const dx = new Float32Array(size), dgamma = new Float32Array(gamma.length), dbeta = new Float32Array(gamma.length);
      normBackward(x, 0, dy, 0, dx, 0, c.layout, mean, variance, eps, gamma, dgamma, dbeta);
      const forward = (x64: Float64Array, g64: Float64Array, b64: Float64Array) => referenceNorm(x64, { ...c.spec, eps, gamma: g64, beta: b64 }).out;
      const [ndx, ndgamma, ndbeta] = finiteDifferenceGradients(forward, [x, gamma, beta].map((a) => Float64Array.from(a)), dy);
      expectClose(dx, ndx, 'dx');
      expectClose(dgamma, ndgamma, 'dgamma');
      expectClose(dbeta, ndbeta, 'dbeta');
    });
  }
});

describe('normBackwardFixedStatistics against finite differences with constant statistics', () => {
  const eps = 1e-5;
  for (const c of CASES) {
    test(c.name, () => {
      const { size, x, gamma, beta, dy } = setup(c, eps);
      const groups = c.layout.outer * c.layout.channels;
      const mean = Float64Array.from(randomData(groups, 1, 2));
      const variance = Float64Array.from(randomData(groups, 2, 1.5));
      const dx = new Float32Array(size), dgamma = new Float32Array(gamma.length), dbeta = new Float32Array(gamma.length);
      normBackwardFixedStatistics(x, 0, dy, 0, dx, 0, c.layout, mean, variance, eps, gamma, dgamma, dbeta);
      const forward = (x64: Float64Array, g64: Float64Array, b64: Float64Array) =>
        referenceNormFixed(x64, { ...c.spec, eps, gamma: g64, beta: b64 }, mean, variance);
      const [ndx, ndgamma, ndbeta] = finiteDifferenceGradients(forward, [x, gamma, beta].map((a) => Float64Array.from(a)), dy);
      expectClose(dx, ndx, 'dx');
      expectClose(dgamma, ndgamma, 'dgamma');
      expectClose(dbeta, ndbeta, 'dbeta');
    });
  }
});

describe('normBackward: properties and buffers', () => {
  const layout = instanceNormLayout([2, 3, 8], 1);

  test('with gamma constant per group, dx sums to zero and is orthogonal to x̂ in every group', () => {
    const { x, gamma, dy, mean, variance } = setup({ name: '', layout, spec: { shape: [2, 3, 8], keepAxes: [0, 1], affineAxis: 1 } }, 1e-5);
    const dx = new Float32Array(48);
    normBackward(x, 0, dy, 0, dx, 0, layout, mean, variance, 1e-5, gamma, new Float32Array(3), new Float32Array(3));
    for (let g = 0; g < 6; g++) {
      let sum = 0, dot = 0;
      for (let i = 0; i < 8; i++) {
        sum += dx[g * 8 + i];
        dot += dx[g * 8 + i] * (x[g * 8 + i] - mean[g]);
      }
      expect(Math.abs(sum)).toBeLessThan(1e-5);
      expect(Math.abs(dot)).toBeLessThan(1e-4);
    }
  });

  test('reads and writes views at offsets and leaves the surroundings untouched; dx may be dy in place', () => {
    const { x, gamma, dy, mean, variance } = setup({ name: '', layout, spec: { shape: [2, 3, 8], keepAxes: [0, 1], affineAxis: 1 } }, 1e-5);
    const expected = new Float32Array(48), dgamma = new Float32Array(3), dbeta = new Float32Array(3);
    normBackward(x, 0, dy, 0, expected, 0, layout, mean, variance, 1e-5, gamma, dgamma, dbeta);

    const xBig = new Float32Array(53), dyBig = new Float32Array(50), dxBig = new Float32Array(60).fill(7);
    xBig.set(x, 5);
    dyBig.set(dy, 2);
    normBackward(xBig, 5, dyBig, 2, dxBig, 9, layout, mean, variance, 1e-5, gamma, new Float32Array(3), new Float32Array(3));
    expect(Array.from(dxBig.subarray(9, 57))).toEqual(Array.from(expected));
    expect([...dxBig.subarray(0, 9), ...dxBig.subarray(57)].every((v) => v === 7)).toBe(true);

    const inPlace = Float32Array.from(dy);
    const dgamma2 = new Float32Array(3), dbeta2 = new Float32Array(3);
    normBackward(x, 0, inPlace, 0, inPlace, 0, layout, mean, variance, 1e-5, gamma, dgamma2, dbeta2);
    expect(Array.from(inPlace)).toEqual(Array.from(expected));
    expect(Array.from(dgamma2)).toEqual(Array.from(dgamma));
    expect(Array.from(dbeta2)).toEqual(Array.from(dbeta));
  });

  test('an empty view leaves every output untouched', () => {
    const empty: NormLayout = { outer: 0, reduceOuter: 1, channels: 3, reduceInner: 4, affineStride: 4, affineCount: 3 };
    const dgamma = new Float32Array([1, 2, 3]);
    normBackward(new Float32Array(0), 0, new Float32Array(0), 0, new Float32Array(0), 0, empty, new Float64Array(0), new Float64Array(0), 1e-5,
      new Float32Array(0), dgamma, new Float32Array(0));
    expect(Array.from(dgamma)).toEqual([1, 2, 3]);
  });
});

describe('backward validation errors name the function, the expectation and the value', () => {
  const layout: NormLayout = { outer: 2, reduceOuter: 1, channels: 3, reduceInner: 4, affineStride: 4, affineCount: 3 };
  const args = () => ({
    x: new Float32Array(24), xOffset: 0, dy: new Float32Array(24), dyOffset: 0, dx: new Float32Array(24), dxOffset: 0, layout,
    mean: new Float64Array(6), variance: new Float64Array(6), eps: 1e-5,
    gamma: new Float32Array(3), dgamma: new Float32Array(3), dbeta: new Float32Array(3),
  });
  type Args = ReturnType<typeof args>;
  const kernels = [['normBackward', normBackward], ['normBackwardFixedStatistics', normBackwardFixedStatistics]] as const;
  const expectError = (a: Args, pattern: string) => {
    for (const [name, kernel] of kernels) {
      const run = () => kernel(a.x, a.xOffset, a.dy, a.dyOffset, a.dx, a.dxOffset, a.layout, a.mean, a.variance, a.eps, a.gamma, a.dgamma, a.dbeta);
      expect(run).toThrow(GluonError);
      expect(run).toThrow(`${name}: ${pattern}`);
    }
  };

  test('layout fields', () => {
    expectError({ ...args(), layout: { ...layout, channels: -1 } }, 'expected layout.channels to be a non-negative integer, but got -1');
    expectError({ ...args(), layout: { ...layout, affineStride: 0 } }, 'expected layout.affineStride to be a positive integer for a non-empty view, but got 0');
  });

  test('buffers, offsets and overlap', () => {
    expectError({ ...args(), x: new Float32Array(23) }, 'expected x to have at least 24 elements (xOffset 0 + view size 24), but got 23');
    expectError({ ...args(), dyOffset: 1 }, 'expected dy to have at least 25 elements (dyOffset 1 + view size 24), but got 24');
    expectError({ ...args(), dxOffset: -2 }, 'expected dxOffset to be a non-negative integer, but got -2');
    const buffer = new Float32Array(30);
    expectError({ ...args(), x: buffer, dx: buffer.subarray(3) },
      'expected dx to be x itself (in place) or disjoint from it, but got partially overlapping views of one buffer');
    expectError({ ...args(), dy: buffer, dx: buffer.subarray(1) },
      'expected dx to be dy itself (in place) or disjoint from it, but got partially overlapping views of one buffer');
  });

  test('statistics, eps, gamma and the affine gradients', () => {
    expectError({ ...args(), mean: new Float64Array(5) }, 'expected mean to have at least 6 elements (outer·channels), but got 5');
    expectError({ ...args(), eps: -1 }, 'expected eps to be a finite number >= 0, but got -1');
    expectError({ ...args(), eps: NaN }, 'expected eps to be a finite number >= 0, but got NaN');
    expectError({ ...args(), gamma: new Float32Array(2) }, 'expected gamma to have at least 3 elements (layout.affineCount), but got 2');
    expectError({ ...args(), dgamma: new Float32Array(1) }, 'expected dgamma to have at least 3 elements (layout.affineCount), but got 1');
    expectError({ ...args(), dbeta: new Float32Array(0) }, 'expected dbeta to have at least 3 elements (layout.affineCount), but got 0');
    const shared = new Float32Array(5);
    expectError({ ...args(), dgamma: shared, dbeta: shared.subarray(2) }, 'expected dgamma not to share memory with dbeta, but got overlapping views of one buffer');
  });

  test('what the backward writes shares no memory with what it reads', () => {
    const buffer = new Float32Array(40);
    expectError({ ...args(), dx: buffer, gamma: buffer.subarray(21, 24) }, 'expected dx not to share memory with gamma, but got overlapping views of one buffer');
    expectError({ ...args(), dx: buffer, dbeta: buffer.subarray(20, 23) }, 'expected dx not to share memory with dbeta, but got overlapping views of one buffer');
    expectError({ ...args(), dy: buffer, dgamma: buffer.subarray(10, 13) }, 'expected dgamma not to share memory with dy, but got overlapping views of one buffer');
    expectError({ ...args(), x: buffer, dbeta: buffer.subarray(0, 3) }, 'expected dbeta not to share memory with x, but got overlapping views of one buffer');
    const stats = new Float64Array(12);
    expectError({ ...args(), mean: stats, variance: stats.subarray(3) }, 'expected mean and variance to be separate arrays, but got overlapping views of one buffer');
  });
});
