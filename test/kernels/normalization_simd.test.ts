/**
 * The normalization kernel on its two loop sets: the WebAssembly SIMD loops (on by default) and
 * the JavaScript loops (TSGLUON_SIMD=0, or where WebAssembly SIMD is missing). Each is checked
 * against the float64 references, on inputs that make the SIMD path stream a group or a block
 * through several chunks of the module's memory. normalization_js.test.ts re-runs the whole
 * kernel suites with the SIMD loops off.
 */
import seedrandom from 'seedrandom';
import { NormLayout, normApply, normForward } from '../../src/kernels/cpu/normalization';
import { normBackward } from '../../src/kernels/cpu/normalization_backward';
import { batchNormLayout, canonicalLayout, instanceNormLayout, layerNormLayout } from '../../src/kernels/cpu/norm_layouts';
import { simdBackwardPasses, simdForwardBlock } from '../../src/kernels/cpu/normalization_simd';
import { normSimd } from '../../src/kernels/cpu/simd/norm_simd';
import { setSimdEnabled } from '../../src/kernels/cpu/simd/wasm_loader';
import { simdTest, withEnv } from '../helpers/simd_mode';
import { ReferenceNormSpec, referenceNorm } from '../helpers/reference_norm';
import { expectCloseElementwise } from '../helpers/expect_close';
import { finiteDifferenceGradients, referenceNormGradients } from '../helpers/reference_norm_grad';

const rng = seedrandom('normalization-simd');

function randomData(n: number, center = 0, spread = 1): Float32Array {
  return Float32Array.from({ length: n }, () => center + spread * (2 * rng() - 1));
}

interface Case {
  name: string;
  shape: number[];
  axis: number;
  spec: Omit<ReferenceNormSpec, 'gamma' | 'beta' | 'eps'>;
}

// With chunks of 2^20 floats: NCHW groups of 1,100,000 values take two chunks each; the NHWC
// block of 150,000 rows × 8 channels takes two chunks and are read twice (statistics, apply).
const CASES: Case[] = [
  { name: 'NCHW, groups longer than a chunk', shape: [1, 1, 1100, 1000], axis: 1, spec: { shape: [1, 1, 1100, 1000], keepAxes: [0, 1], affineAxis: 1 } },
  { name: 'NHWC, blocks of several chunks', shape: [1, 300, 500, 8], axis: -1, spec: { shape: [1, 300, 500, 8], keepAxes: [0, 3], affineAxis: 3 } },
  // Blocks of several runs: a channel axis in the middle (runs of 300 along the last axis).
  { name: 'channel axis in the middle, runs of 300', shape: [2, 3, 4, 300], axis: 2, spec: { shape: [2, 3, 4, 300], keepAxes: [0, 2], affineAxis: 2 } },
];

function inputs(c: Case, layout: NormLayout) {
  const size = c.shape.reduce((a, b) => a * b, 1);
  const x = randomData(size, 40, 3), dy = randomData(size);
  const gamma = randomData(layout.affineCount, 1, 0.5), beta = randomData(layout.affineCount, 0, 2);
  return { size, x, dy, gamma, beta, mean: new Float64Array(layout.outer * layout.channels), variance: new Float64Array(layout.outer * layout.channels) };
}

simdTest('the SIMD loops load on this Node.js', () => {
  expect(normSimd()).toBeDefined();
  expect(normSimd()?.chunk).toBe(2 ** 20);
});

test('TSGLUON_SIMD=0 switches the SIMD loops off', () => {
  jest.isolateModules(() => withEnv('TSGLUON_SIMD', '0', () => {
    const fresh = require('../../src/kernels/cpu/simd/norm_simd') as typeof import('../../src/kernels/cpu/simd/norm_simd');
    expect(fresh.normSimd()).toBeUndefined();
  }));
});

describe.each([['SIMD loops', true], ['JavaScript loops', false]])('%s', (_name, simdOn) => {
  let previous = true;
  beforeAll(() => { previous = setSimdEnabled(simdOn); });
  afterAll(() => { setSimdEnabled(previous); });

  for (const c of CASES) {
    test(`${c.name}: forward, statistics and in-place apply against the float64 reference`, () => {
      const layout = instanceNormLayout(c.shape, c.axis);
      const { size, x, gamma, beta, mean, variance } = inputs(c, layout);
      // The layout takes the SIMD loops whenever they are on.
      expect(simdForwardBlock(canonicalLayout(layout)) !== undefined).toBe(simdOn);
      expect(simdBackwardPasses(canonicalLayout(layout)) !== undefined).toBe(simdOn);
      const out = new Float32Array(size);
      normForward(x, 0, out, 0, layout, mean, variance, 1e-5, gamma, beta);
      const expected = referenceNorm(x, { ...c.spec, eps: 1e-5, gamma, beta });
      expectCloseElementwise(out, expected.out, 'out', 2 ** -22);
      // Float64 sums of 10⁶ terms: a relative error of n·2⁻⁵³ ≈ 1e-10 is within the rounding.
      expectCloseElementwise(mean, expected.mean, 'mean', 1e-9);
      expectCloseElementwise(variance, expected.variance, 'variance', 1e-9);

      const inPlace = Float32Array.from(x);
      normApply(inPlace, 0, inPlace, 0, layout, mean, variance, 1e-5, gamma, beta);
      expectCloseElementwise(inPlace, expected.out, 'in-place out', 2 ** -22);
    });

    test(`${c.name}: backward (dx in place of dy) against the analytic float64 gradients`, () => {
      const layout = instanceNormLayout(c.shape, c.axis);
      const { size, x, dy, gamma, beta, mean, variance } = inputs(c, layout);
      normForward(x, 0, new Float32Array(size), 0, layout, mean, variance, 1e-3, gamma, beta);
      const dx = Float32Array.from(dy), dgamma = new Float32Array(gamma.length), dbeta = new Float32Array(gamma.length);
      normBackward(x, 0, dx, 0, dx, 0, layout, mean, variance, 1e-3, gamma, dgamma, dbeta);
      const expected = referenceNormGradients(x, dy, { ...c.spec, eps: 1e-3, gamma, beta });
      expectCloseElementwise(dx, expected.dx, 'dx', 2e-6);
      expectCloseElementwise(dgamma, expected.dgamma, 'dgamma', 2e-6);
      expectCloseElementwise(dbeta, expected.dbeta, 'dbeta', 2e-6);
    });
  }
});

/** Forward and backward of `layout` on both loop sets against the float64 references. */
function checkBothLoopSets(layout: NormLayout, spec: Omit<ReferenceNormSpec, 'gamma' | 'beta'>, size: number, affine: number, groups: number): void {
  const x = randomData(size, 5, 2), dy = randomData(size);
  const gamma = randomData(affine, 1, 0.5), beta = randomData(affine);
  const expected = referenceNorm(x, { ...spec, gamma, beta });
  const gradients = referenceNormGradients(x, dy, { ...spec, gamma, beta });
  for (const simdOn of [true, false]) {
    const previous = setSimdEnabled(simdOn);
    try {
      expect(simdForwardBlock(canonicalLayout(layout)) !== undefined).toBe(simdOn);
      const out = new Float32Array(size), mean = new Float64Array(groups), variance = new Float64Array(groups);
      normForward(x, 0, out, 0, layout, mean, variance, spec.eps, gamma, beta);
      expectCloseElementwise(out, expected.out, 'out', 2 ** -22);
      expectCloseElementwise(variance, expected.variance, 'variance', 1e-12);
      const dx = new Float32Array(size), dgamma = new Float32Array(affine), dbeta = new Float32Array(affine);
      normBackward(x, 0, dy, 0, dx, 0, layout, mean, variance, spec.eps, gamma, dgamma, dbeta);
      expectCloseElementwise(dx, gradients.dx, 'dx', 2e-6);
      expectCloseElementwise(dgamma, gradients.dgamma, 'dgamma', 2e-6);
      expectCloseElementwise(dbeta, gradients.dbeta, 'dbeta', 2e-6);
    } finally {
      setSimdEnabled(previous);
    }
  }
}

test('BatchNorm axis 1 (a run per sample and channel) on both loop sets, against the float64 references', () => {
  const shape = [3, 4, 16, 20];
  checkBothLoopSets(batchNormLayout(shape, 1), { shape, keepAxes: [1], affineAxis: 1, eps: 1e-3 }, 3840, 4, 4);
});

test('LayerNorm over the last axis (gamma per element) on both loop sets; rows longer than 4096 stay on JavaScript', () => {
  const shape = [7, 1001];
  checkBothLoopSets(layerNormLayout(shape, -1), { shape, keepAxes: [0], affineAxis: 1, eps: 1e-5 }, 7007, 1001, 7);
  expect(simdForwardBlock(canonicalLayout(layerNormLayout([2, 4097], -1)))).toBeUndefined();
});

test('the analytic gradient reference agrees with finite differences', () => {
  const spec = { shape: [2, 3, 5], keepAxes: [0, 1], affineAxis: 1, eps: 1e-3 };
  const x = Float64Array.from(randomData(30, 1, 2)), dy = Float64Array.from(randomData(30));
  const gamma = Float64Array.from(randomData(3, 1, 0.5)), beta = Float64Array.from(randomData(3));
  const analytic = referenceNormGradients(x, dy, { ...spec, gamma, beta });
  const forward = (x64: Float64Array, g64: Float64Array, b64: Float64Array) => referenceNorm(x64, { ...spec, gamma: g64, beta: b64 }).out;
  const [dx, dgamma, dbeta] = finiteDifferenceGradients(forward, [x, gamma, beta], dy);
  expectCloseElementwise(analytic.dx, dx, 'dx', 1e-6);
  expectCloseElementwise(analytic.dgamma, dgamma, 'dgamma', 1e-6);
  expectCloseElementwise(analytic.dbeta, dbeta, 'dbeta', 1e-6);
});
