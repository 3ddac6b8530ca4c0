import seedrandom from 'seedrandom';
import { NormLayout, normApply, normForward, normStatistics } from '../../src/kernels/cpu/normalization';
import { batchNormLayout, groupNormLayout, instanceNormLayout, layerNormLayout } from '../../src/kernels/cpu/norm_layouts';
import { GluonError } from '../../src/core/errors';
import { ReferenceNormSpec, referenceNorm } from '../helpers/reference_norm';

const BOUND = 2 ** -22;
const rng = seedrandom('normalization-kernel');

function randomInt(lo: number, hi: number): number {
  return lo + Math.floor(rng() * (hi - lo + 1));
}

function randomData(n: number, center = 0, spread = 1): Float32Array {
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) data[i] = center + spread * (2 * rng() - 1);
  return data;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Runs normForward on fresh arrays and returns the output and statistics. */
function runForward(x: Float32Array, layout: NormLayout, eps: number, gamma: Float32Array, beta: Float32Array) {
  const groups = layout.outer * layout.channels;
  const out = new Float32Array(x.length);
  const mean = new Float64Array(groups);
  const variance = new Float64Array(groups);
  normForward(x, 0, out, 0, layout, mean, variance, eps, gamma, beta);
  return { out, mean, variance };
}

/** Every output within 2⁻²²·max(1, |ref|) of the float64 reference; NaN where the reference is NaN. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, bound = BOUND): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i])) {
      expect(actual[i]).toBeNaN();
      continue;
    }
    const error = Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i]));
    worst = Number.isNaN(error) ? Infinity : Math.max(worst, error);
  }
  expect(worst).toBeLessThanOrEqual(bound);
}

/** Forward through the kernel and compare output, mean and variance with the reference. */
function checkAgainstReference(x: Float32Array, layout: NormLayout, spec: Omit<ReferenceNormSpec, 'gamma' | 'beta'>, affineLength: number): void {
  const gamma = randomData(affineLength, 1, 0.5);
  const beta = randomData(affineLength, 0, 2);
  const actual = runForward(x, layout, spec.eps, gamma, beta);
  const expected = referenceNorm(x, { ...spec, gamma, beta });
  expectClose(actual.out, expected.out);
  expectClose(actual.mean, expected.mean, 1e-12);
  expectClose(actual.variance, expected.variance, 1e-12);
}

describe('the six layouts of NormLayout against the N-D reference', () => {
  const randomShapes = (draw: () => number[]) => Array.from({ length: 4 }, draw);

  test('InstanceNorm NCHW (N, C, S…) with axis 1', () => {
    // [2, 3, 5, 7]: runs of 35 = four unrolled steps of 8 plus a tail of 3.
    for (const shape of [[2, 3, 5, 7], ...randomShapes(() => [randomInt(1, 3), randomInt(1, 5), randomInt(1, 7), randomInt(1, 6)])]) {
      const layout = instanceNormLayout(shape, 1);
      const s = shape[2] * shape[3];
      expect(layout).toEqual({ outer: shape[0], reduceOuter: 1, channels: shape[1], reduceInner: s, affineStride: s, affineCount: shape[1] });
      checkAgainstReference(randomData(sizeOf(shape), 3, 2), layout, { shape, keepAxes: [0, 1], affineAxis: 1, eps: 1e-5 }, shape[1]);
    }
  });

  test('InstanceNorm channels-last (N, S…, C) with axis -1', () => {
    // [2, 5, 4, 3]: 20 rows = two unrolled steps of 8 rows plus a tail of 4.
    for (const shape of [[2, 5, 4, 3], ...randomShapes(() => [randomInt(1, 3), randomInt(1, 6), randomInt(1, 6), randomInt(1, 9)])]) {
      const layout = instanceNormLayout(shape, -1);
      expect(layout).toEqual({ outer: shape[0], reduceOuter: shape[1] * shape[2], channels: shape[3], reduceInner: 1, affineStride: 1, affineCount: shape[3] });
      checkAgainstReference(randomData(sizeOf(shape), -2, 5), layout, { shape, keepAxes: [0, 3], affineAxis: 3, eps: 1e-5 }, shape[3]);
    }
  });

  test('InstanceNorm with a middle channel axis (N, A, C, B)', () => {
    const shape = [2, 3, 4, 5];
    checkAgainstReference(randomData(120), instanceNormLayout(shape, 2), { shape, keepAxes: [0, 2], affineAxis: 2, eps: 1e-3 }, 4);
  });

  test('BatchNorm with axis 1 (N, C, S) and channels-last', () => {
    for (const shape of [[4, 3, 5], ...randomShapes(() => [randomInt(1, 4), randomInt(1, 5), randomInt(1, 9)])]) {
      const layout = batchNormLayout(shape, 1);
      expect(layout).toEqual({ outer: 1, reduceOuter: shape[0], channels: shape[1], reduceInner: shape[2], affineStride: shape[2], affineCount: shape[1] });
      checkAgainstReference(randomData(sizeOf(shape), 1, 3), layout, { shape, keepAxes: [1], affineAxis: 1, eps: 1e-5 }, shape[1]);
      checkAgainstReference(randomData(sizeOf(shape)), batchNormLayout(shape, -1), { shape, keepAxes: [2], affineAxis: 2, eps: 1e-5 }, shape[2]);
    }
  });

  test('LayerNorm over the last axis (M, F)', () => {
    for (const shape of randomShapes(() => [randomInt(1, 4), randomInt(1, 3), randomInt(1, 40)])) {
      const layout = layerNormLayout(shape, -1);
      const f = shape[2];
      expect(layout).toEqual({ outer: shape[0] * shape[1], reduceOuter: 1, channels: 1, reduceInner: f, affineStride: 1, affineCount: f });
      checkAgainstReference(randomData(sizeOf(shape), 0.5, 4), layout, { shape, keepAxes: [0, 1], affineAxis: 2, eps: 1e-5 }, f);
    }
  });

  test('LayerNorm over a middle axis (P, C, Q)', () => {
    for (const shape of randomShapes(() => [randomInt(1, 3), randomInt(1, 6), randomInt(2, 7)])) {
      const layout = layerNormLayout(shape, 1);
      expect(layout).toEqual({ outer: shape[0], reduceOuter: shape[1], channels: shape[2], reduceInner: 1, affineStride: shape[2], affineCount: shape[1] });
      checkAgainstReference(randomData(sizeOf(shape), 10, 1), layout, { shape, keepAxes: [0, 2], affineAxis: 1, eps: 1e-5 }, shape[1]);
    }
  });

  test('GroupNorm (N, G·K…) with gamma per group', () => {
    for (let t = 0; t < 4; t++) {
      const groups = randomInt(1, 4);
      const perGroup = randomInt(1, 3);
      const shape = [randomInt(1, 3), groups * perGroup, randomInt(1, 5), randomInt(1, 4)];
      const layout = groupNormLayout(shape, groups);
      const k = perGroup * shape[2] * shape[3];
      expect(layout).toEqual({ outer: shape[0], reduceOuter: 1, channels: groups, reduceInner: k, affineStride: k, affineCount: groups });
      // The reference sees the same data as (N, G, K/G-channels, H, W).
      const refShape = [shape[0], groups, perGroup, shape[2], shape[3]];
      checkAgainstReference(randomData(sizeOf(shape), -1, 2), layout, { shape: refShape, keepAxes: [0, 1], affineAxis: 1, eps: 1e-5 }, groups);
    }
  });

  test('other layouts: affine along reduceOuter, affine wrapping inside a run, strided affine', () => {
    // (outer 2, reduceOuter 3, channels 2, reduceInner 6); gamma indexed by reduceOuter.
    const shape = [2, 3, 2, 6];
    const x = randomData(72, 5, 1);
    checkAgainstReference(x, { outer: 2, reduceOuter: 3, channels: 2, reduceInner: 6, affineStride: 12, affineCount: 3 },
      { shape, keepAxes: [0, 2], affineAxis: 1, eps: 1e-5 }, 3);
    // affineStride 1 with 3 values cycling inside each run of 6: the run seen as (2, 3).
    checkAgainstReference(x, { outer: 2, reduceOuter: 3, channels: 2, reduceInner: 6, affineStride: 1, affineCount: 3 },
      { shape: [2, 3, 2, 2, 3], keepAxes: [0, 2], affineAxis: 4, eps: 1e-5 }, 3);
    // affineStride 2 (neither 1 nor a multiple of the run): the run seen as (3, 2).
    checkAgainstReference(x, { outer: 2, reduceOuter: 3, channels: 2, reduceInner: 6, affineStride: 2, affineCount: 3 },
      { shape: [2, 3, 2, 3, 2], keepAxes: [0, 2], affineAxis: 3, eps: 1e-5 }, 3);
    // One channel with reduceOuter > 1 (folded into one run) and a single affine value.
    checkAgainstReference(x, { outer: 4, reduceOuter: 3, channels: 1, reduceInner: 6, affineStride: 18, affineCount: 1 },
      { shape: [4, 3, 1, 6], keepAxes: [0, 2], affineAxis: 2, eps: 1e-5 }, 1);
  });
});

describe('normStatistics and normApply separately', () => {
  const shape = [3, 4, 10];
  const layout = instanceNormLayout(shape, 1);
  const x = randomData(120, 2, 3);
  const gamma = randomData(4, 1, 1);
  const beta = randomData(4);
  const expected = referenceNorm(x, { shape, keepAxes: [0, 1], affineAxis: 1, eps: 1e-4, gamma, beta });

  test('normStatistics gives the biased mean and variance per (outer, channel)', () => {
    const mean = new Float64Array(12), variance = new Float64Array(12);
    normStatistics(x, 0, layout, mean, variance);
    expectClose(mean, expected.mean, 1e-12);
    expectClose(variance, expected.variance, 1e-12);
  });

  test('normApply uses the statistics it is given', () => {
    const out = new Float32Array(120);
    normApply(x, 0, out, 0, layout, expected.mean, expected.variance, 1e-4, gamma, beta);
    expectClose(out, expected.out);
    // Statistics of zero mean and unit variance turn the apply into a pure affine map.
    normApply(x, 0, out, 0, layout, new Float64Array(12), new Float64Array(12).fill(1), 0, gamma, beta);
    for (let i = 0; i < 120; i++) expect(out[i]).toBe(Math.fround(x[i] * gamma[Math.floor(i / 10) % 4] + beta[Math.floor(i / 10) % 4]));
  });
});

describe('edge cases', () => {
  const nchw = instanceNormLayout([2, 3, 5], 1);
  const nhwc = instanceNormLayout([2, 5, 3], -1);
  const beta = new Float32Array([0.25, -7.5, 1e-3]);
  const gamma = new Float32Array([2, -3, 0.5]);

  test('a constant group gives exactly beta, in both layouts and at any magnitude', () => {
    for (const value of [3.7, -1e30, 1e-30, 0, 3e38]) {
      for (const layout of [nchw, nhwc]) {
        const { out } = runForward(new Float32Array(30).fill(value), layout, 1e-5, gamma, beta);
        for (let i = 0; i < 30; i++) expect(out[i]).toBe(beta[layout === nchw ? Math.floor(i / 5) % 3 : i % 3]);
      }
    }
  });

  test('groups of one element give exactly beta', () => {
    const x = randomData(6, 100, 50);
    const { out, variance } = runForward(x, instanceNormLayout([2, 3, 1], 1), 1e-5, gamma, beta);
    expect(Array.from(out)).toEqual([...beta, ...beta]);
    expect(Array.from(variance)).toEqual([0, 0, 0, 0, 0, 0]);
    const layer = runForward(x, layerNormLayout([6, 1], -1), 1e-5, new Float32Array([4]), new Float32Array([0.5]));
    expect(Array.from(layer.out)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });

  test('NaN and Inf only affect their own group', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      for (const layout of [nchw, nhwc]) {
        const x = randomData(30, 1, 1);
        const badIndex = layout === nchw ? 7 : 3 * 1 + 1; // group (0, 1) in both layouts
        x[badIndex] = bad;
        const actual = runForward(x, layout, 1e-5, gamma, beta);
        const keepAxes = [0, layout === nchw ? 1 : 2];
        const expected = referenceNorm(x, { shape: layout === nchw ? [2, 3, 5] : [2, 5, 3], keepAxes, affineAxis: keepAxes[1], eps: 1e-5, gamma, beta });
        expectClose(actual.out, expected.out);
        expect(actual.variance[1]).toBeNaN();
        expect([0, 2, 3, 4, 5].every((g) => Number.isFinite(actual.mean[g]) && Number.isFinite(actual.variance[g]))).toBe(true);
      }
    }
  });

  test('values near 1e38 and 1e-30 give finite, correct results', () => {
    for (const [center, spread, eps] of [[0, 3e38, 1e-5], [2e38, 1e38, 1e-5], [0, 1e-30, 1e-5], [1e-30, 1e-31, 0]]) {
      for (const [layout, shape, keepAxes] of [[nchw, [2, 3, 5], [0, 1]], [nhwc, [2, 5, 3], [0, 2]]] as const) {
        const x = randomData(30, center, spread);
        const actual = runForward(x, layout, eps, gamma, beta);
        expect(actual.out.every(Number.isFinite)).toBe(true);
        expectClose(actual.out, referenceNorm(x, { shape, keepAxes, affineAxis: keepAxes[1], eps, gamma, beta }).out);
      }
    }
  });

  test('a large mean with a tiny spread (1e4 + 1e-2·noise) keeps full accuracy', () => {
    for (const [layout, shape, keepAxes] of [[nchw, [2, 3, 5], [0, 1]], [nhwc, [2, 5, 3], [0, 2]]] as const) {
      const x = randomData(30, 1e4, 1e-2);
      const expected = referenceNorm(x, { shape, keepAxes, affineAxis: keepAxes[1], eps: 1e-9, gamma, beta });
      const actual = runForward(x, layout, 1e-9, gamma, beta);
      expectClose(actual.out, expected.out);
      expect(Math.max(...expected.out.map(Math.abs))).toBeGreaterThan(1); // really normalized, not just beta
    }
  });

  test('views into bigger buffers: offsets, subarrays, and untouched surroundings', () => {
    const shape = [2, 4, 3];
    const layout = instanceNormLayout(shape, -1);
    const data = randomData(24);
    const xBuffer = new Float32Array(40).fill(99);
    xBuffer.set(data, 11);
    const outBuffer = new Float32Array(50).fill(-5);
    const outView = outBuffer.subarray(3);
    const mean = new Float64Array(9).fill(42), variance = new Float64Array(9).fill(42);
    const g = randomData(3), b = randomData(3);
    normForward(xBuffer, 11, outView, 7, layout, mean, variance, 1e-5, g, b);
    const expected = referenceNorm(data, { shape, keepAxes: [0, 2], affineAxis: 2, eps: 1e-5, gamma: g, beta: b });
    expectClose(outBuffer.subarray(10, 34), expected.out);
    expect(outBuffer.subarray(0, 10).every((v) => v === -5) && outBuffer.subarray(34).every((v) => v === -5)).toBe(true);
    expect(Array.from(mean.subarray(6))).toEqual([42, 42, 42]);
    expect(Array.from(xBuffer.subarray(11, 35))).toEqual(Array.from(data)); // input not mutated
  });

  test('in place: out may be x itself', () => {
    const shape = [2, 3, 4];
    const x = randomData(24, 1, 2);
    const expected = referenceNorm(x, { shape, keepAxes: [0, 1], affineAxis: 1, eps: 1e-5, gamma, beta });
    const buffer = new Float32Array(30);
    buffer.set(x, 2);
    normForward(buffer, 2, buffer.subarray(1), 1, instanceNormLayout(shape, 1), new Float64Array(6), new Float64Array(6), 1e-5, gamma, beta);
    expectClose(buffer.subarray(2, 26), expected.out);
  });

  test('empty views do nothing (any dimension 0)', () => {
    const dims: (keyof NormLayout)[] = ['outer', 'reduceOuter', 'channels', 'reduceInner'];
    for (const dim of dims) {
      const layout: NormLayout = { outer: 2, reduceOuter: 2, channels: 2, reduceInner: 2, affineStride: 0, affineCount: 0, [dim]: 0 };
      const out = new Float32Array(3).fill(7);
      const mean = new Float64Array(4).fill(7), variance = new Float64Array(4).fill(7);
      normForward(new Float32Array(0), 0, out, 0, layout, mean, variance, 1e-5, new Float32Array(0), new Float32Array(0));
      normStatistics(new Float32Array(0), 0, layout, mean, variance);
      normApply(new Float32Array(0), 0, out, 0, layout, mean, variance, 1e-5, new Float32Array(0), new Float32Array(0));
      expect([...out, ...mean, ...variance].every((v) => v === 7)).toBe(true);
    }
    expect(instanceNormLayout([0, 3, 4], 1).outer).toBe(0);
    expect(groupNormLayout([2, 0, 4], 2).reduceInner).toBe(0);
  });
});

describe('published examples (mxnet-gluon-behaviour.md §1–§2)', () => {
  const x = new Float32Array([1.1, 2.2, 3.3, 4.4]);
  const shape = [2, 1, 2];
  const layout = instanceNormLayout(shape, 1);

  test('operator example: eps=1e-3, gamma=1.5, beta=0.5', () => {
    const gamma = new Float32Array([1.5]), beta = new Float32Array([0.5]);
    const { out } = runForward(x, layout, 1e-3, gamma, beta);
    // Exact maths in float64, independent of both implementations.
    const exact = Array.from(x, (_, i) => {
      const a = x[2 * Math.floor(i / 2)], b = x[2 * Math.floor(i / 2) + 1];
      const m = (a + b) / 2, v = ((a - m) ** 2 + (b - m) ** 2) / 2;
      return ((x[i] - m) / Math.sqrt(v + 1e-3)) * 1.5 + 0.5;
    });
    expectClose(out, exact);
    // MXNet's float32 operation order printed these; we are more exact, but agree to ~1e-6.
    const mxnet = [-0.997527, 1.99752665, -0.99752653, 1.99752724];
    for (let i = 0; i < 4; i++) expect(Math.abs(out[i] - mxnet[i])).toBeLessThan(1e-6);
  });

  test('layer example: eps=1e-5, gamma=1, beta=0 prints ±0.99998349 (MXNet: -0.99998355 …)', () => {
    const { out } = runForward(x, layout, 1e-5, new Float32Array([1]), new Float32Array([0]));
    expect(Array.from(out).map((v) => v.toFixed(8))).toEqual(['-0.99998349', '0.99998349', '-0.99998349', '0.99998349']);
  });
});

describe('validation errors name the function, the expectation and the value', () => {
  const layout: NormLayout = { outer: 2, reduceOuter: 1, channels: 3, reduceInner: 4, affineStride: 4, affineCount: 3 };
  const x = new Float32Array(24);
  const args = () => ({
    x, xOffset: 0, out: new Float32Array(24), outOffset: 0, layout, mean: new Float64Array(6), variance: new Float64Array(6),
    eps: 1e-5, gamma: new Float32Array(3), beta: new Float32Array(3),
  });
  type Args = ReturnType<typeof args>;
  const forward = (a: Args) => () => normForward(a.x, a.xOffset, a.out, a.outOffset, a.layout, a.mean, a.variance, a.eps, a.gamma, a.beta);
  const apply = (a: Args) => () => normApply(a.x, a.xOffset, a.out, a.outOffset, a.layout, a.mean, a.variance, a.eps, a.gamma, a.beta);
  const statistics = (a: Args) => () => normStatistics(a.x, a.xOffset, a.layout, a.mean, a.variance);
  const expectError = (fn: () => void, pattern: RegExp) => {
    expect(fn).toThrow(GluonError);
    expect(fn).toThrow(pattern);
  };

  test('layout fields', () => {
    for (const [name, run] of [['normForward', forward], ['normApply', apply], ['normStatistics', statistics]] as const) {
      for (const field of ['outer', 'reduceOuter', 'channels', 'reduceInner', 'affineStride', 'affineCount'] as const) {
        for (const bad of [-1, 1.5, NaN, Infinity]) {
          expectError(run({ ...args(), layout: { ...layout, [field]: bad } }),
            new RegExp(`^${name}: expected layout\\.${field} to be a non-negative integer, but got ${String(bad)}$`));
        }
      }
    }
    // Untyped JavaScript callers can pass anything; Reflect.apply calls without the type check.
    for (const kernel of [normForward, normApply, normStatistics]) {
      const untyped = [x, 0, null, new Float64Array(6), new Float64Array(6)];
      if (kernel !== normStatistics) untyped.splice(2, 0, new Float32Array(24), 0);
      expectError(() => Reflect.apply(kernel, undefined, untyped), new RegExp(`^${kernel.name}: expected a layout \\{outer, .*\\}, but got null$`));
    }
    for (const field of ['affineStride', 'affineCount'] as const) {
      expectError(forward({ ...args(), layout: { ...layout, [field]: 0 } }),
        new RegExp(`^normForward: expected layout\\.${field} to be a positive integer for a non-empty view, but got 0$`));
    }
  });

  test('buffers, offsets and overlap', () => {
    expectError(forward({ ...args(), x: new Float32Array(23) }), /^normForward: expected x to have at least 24 elements \(xOffset 0 \+ view size 24\), but got 23$/);
    expectError(statistics({ ...args(), xOffset: 1 }), /^normStatistics: expected x to have at least 25 elements \(xOffset 1 \+ view size 24\), but got 24$/);
    expectError(apply({ ...args(), outOffset: 3 }), /^normApply: expected out to have at least 27 elements \(outOffset 3 \+ view size 24\), but got 24$/);
    expectError(forward({ ...args(), xOffset: -1 }), /^normForward: expected xOffset to be a non-negative integer, but got -1$/);
    expectError(apply({ ...args(), outOffset: 0.5 }), /^normApply: expected outOffset to be a non-negative integer, but got 0.5$/);
    const buffer = new Float32Array(30);
    expectError(forward({ ...args(), x: buffer, out: buffer.subarray(2) }),
      /^normForward: expected out to be x itself \(in place\) or disjoint from it, but got partially overlapping views of one buffer$/);
  });

  test('eps, gamma, beta, mean and variance', () => {
    for (const bad of [-1e-5, NaN, Infinity]) {
      expectError(apply({ ...args(), eps: bad }), new RegExp(`^normApply: expected eps to be a finite number >= 0, but got ${String(bad)}$`));
    }
    expectError(forward({ ...args(), gamma: new Float32Array(2) }), /^normForward: expected gamma to have at least 3 elements \(layout.affineCount\), but got 2$/);
    expectError(apply({ ...args(), beta: new Float32Array(1) }), /^normApply: expected beta to have at least 3 elements \(layout.affineCount\), but got 1$/);
    expectError(statistics({ ...args(), mean: new Float64Array(5) }), /^normStatistics: expected mean to have at least 6 elements \(outer·channels\), but got 5$/);
    expectError(forward({ ...args(), variance: new Float64Array(0) }), /^normForward: expected variance to have at least 6 elements \(outer·channels\), but got 0$/);
    const stats = new Float64Array(10);
    expectError(statistics({ ...args(), mean: stats, variance: stats.subarray(3) }),
      /^normStatistics: expected mean and variance to be separate arrays, but got overlapping views of one buffer$/);
  });

  test('arrays may share one buffer (e.g. WebAssembly memory) but what is written must not overlap', () => {
    // One 1 KiB buffer holding every array, laid out without overlap: accepted and correct.
    const memory = new ArrayBuffer(1024);
    const shared = {
      x: new Float32Array(memory, 0, 24), xOffset: 0, out: new Float32Array(memory, 96, 24), outOffset: 0, layout,
      mean: new Float64Array(memory, 192, 6), variance: new Float64Array(memory, 240, 6), eps: 1e-5,
      gamma: new Float32Array(memory, 288, 3).fill(1), beta: new Float32Array(memory, 300, 3),
    };
    shared.x.set(randomData(24));
    forward(shared)();
    expectClose(shared.out, referenceNorm(shared.x, { shape: [2, 3, 4], keepAxes: [0, 1], affineAxis: 1, eps: 1e-5, gamma: shared.gamma, beta: shared.beta }).out);
    const overlapping = (name: string, other: string) => new RegExp(`^norm\\w+: expected ${name} not to share memory with ${other}, but got overlapping views of one buffer$`);
    expectError(statistics({ ...shared, variance: new Float64Array(memory, 88, 6) }), overlapping('variance', 'x'));
    expectError(forward({ ...shared, mean: new Float64Array(memory, 144, 6) }), overlapping('mean', 'out'));
    expectError(forward({ ...shared, gamma: new Float32Array(memory, 196, 3) }), overlapping('mean', 'gamma'));
    expectError(forward({ ...shared, beta: new Float32Array(memory, 100, 3) }), overlapping('out', 'beta'));
    expectError(apply({ ...shared, mean: new Float64Array(memory, 96, 6) }), overlapping('out', 'mean'));
  });

  test('layout builders', () => {
    expect(() => instanceNormLayout([2, 3], 0)).toThrow(/^instanceNormLayout: expected a channel axis other than 0 \(the batch axis\), but got 0 for shape \(2, 3\)$/);
    expect(() => instanceNormLayout([2], 0)).toThrow(/^instanceNormLayout: expected a shape of rank >= 2, but got \(2,\)$/);
    expect(() => instanceNormLayout([2, 3, 4], 3)).toThrow(/^instanceNormLayout: expected an axis in \[-3, 2\] for an input of rank 3, but got 3$/);
    expect(() => batchNormLayout([], 0)).toThrow(/^batchNormLayout: expected a shape of rank >= 1, but got \(\)$/);
    expect(() => layerNormLayout([2, -1], 1)).toThrow(/^layerNormLayout: expected a shape of non-negative integers, but got \(2, -1\)$/);
    expect(() => groupNormLayout([2, 6, 4], 4)).toThrow(/^groupNormLayout: expected the channel count to be divisible by numGroups 4, but got 6 channels in shape \(2, 6, 4\)$/);
    expect(() => groupNormLayout([2, 6, 4], 0)).toThrow(/^groupNormLayout: expected numGroups to be a positive integer, but got 0$/);
    expect(() => groupNormLayout([2, 6, 4], 4)).toThrow(GluonError);
  });
});
