/**
 * Fused ReLU in the kernels (fused_activation.ts): a convolution or normalization asked for
 * `activation: 'relu'` writes exactly max(y, 0) of what it writes without it — NaN stays NaN —
 * on the SIMD loops (in module memory, before the copy-out) and on the JavaScript loops, for
 * every path: direct, implicit GEMM, pointwise, channels-last and transposed convolution; the
 * runs, rows and affine-row normalization layouts and the generic one. The reference ReLU is
 * applied by the test itself. The other act types give their operator's loop of the unfused output.
 */
import { ACTIVATION_FORWARD } from '../../src/kernels/cpu/activation_forward';
import { ConvParams } from '../../src/kernels/cpu/conv_geometry';
import { convForward, convTransposeForward } from '../../src/kernels/cpu/conv';
import { NormLayout, normApply, normForward } from '../../src/kernels/cpu/normalization';
import { setSimdEnabled } from '../../src/kernels/cpu/simd/wasm_loader';
import { pseudoRandom } from '../helpers/gradient_check';

/** max(v, 0) with NaN kept, per element: the Activation operator's relu, written independently. */
function relu(values: Float32Array): Float32Array {
  return values.map((v) => (Number.isNaN(v) || v > 0 ? v : 0));
}

function expectSameBits(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (Number.isNaN(expected[i])) expect(actual[i]).toBeNaN();
    else if (actual[i] !== expected[i] || Object.is(actual[i], -0) !== Object.is(expected[i], -0)) expect([i, actual[i]]).toEqual([i, expected[i]]);
  }
}

/** Data in [−1, 1) with a NaN at `nanAt` (when given). */
function data(length: number, seed: number, nanAt?: number): Float32Array {
  const values = Float32Array.from(pseudoRandom(length, seed));
  if (nanAt !== undefined) values[nanAt] = NaN;
  return values;
}

const conv = (overrides: Partial<ConvParams>): ConvParams => ({
  batch: 2, inChannels: 6, outChannels: 8, inSize: [7, 9], kernel: [3, 3], strides: [1, 1], padding: [1, 1], dilation: [1, 1],
  groups: 1, channelsLast: false, ...overrides,
});

const CONVOLUTIONS: [string, ConvParams][] = [
  ['implicit GEMM', conv({})],
  ['direct (3 output channels)', conv({ outChannels: 3 })],
  ['depthwise', conv({ inChannels: 6, outChannels: 6, groups: 6 })],
  ['pointwise', conv({ kernel: [1, 1], padding: [0, 0] })],
  ['channels-last', conv({ channelsLast: true })],
  ['stride 2, odd sizes', conv({ strides: [2, 2], inSize: [11, 5], outChannels: 5 })],
];

const NORMS: [string, NormLayout][] = [
  ['runs (InstanceNorm NCHW)', { outer: 2, reduceOuter: 1, channels: 3, reduceInner: 301, affineStride: 301, affineCount: 3 }],
  ['rows (channels-last)', { outer: 2, reduceOuter: 37, channels: 8, reduceInner: 1, affineStride: 1, affineCount: 8 }],
  ['affine rows (LayerNorm)', { outer: 3, reduceOuter: 1, channels: 1, reduceInner: 263, affineStride: 1, affineCount: 263 }],
  ['generic (short runs)', { outer: 2, reduceOuter: 1, channels: 3, reduceInner: 5, affineStride: 5, affineCount: 3 }],
];

describe.each([['SIMD loops', true], ['JavaScript loops', false]])('fused ReLU on the %s', (_, simd) => {
  let previous: boolean;
  beforeAll(() => { previous = setSimdEnabled(simd); });
  afterAll(() => { setSimdEnabled(previous); });

  test.each(CONVOLUTIONS)('convolution, %s: max(y, 0) of the unfused output, NaN kept', (_name, params) => {
    const inPerGroup = params.inChannels / params.groups;
    const x = data(params.batch * params.inChannels * params.inSize[0] * params.inSize[1], 1, 5);
    const w = data(params.outChannels * inPerGroup * params.kernel[0] * params.kernel[1], 2);
    const bias = data(params.outChannels, 3);
    const outLength = (x.length / params.inChannels) * params.outChannels * 4; // room for any output size
    const plain = new Float32Array(outLength), fused = new Float32Array(outLength).fill(-7);
    convForward(params, x, 0, w, 0, bias, 0, plain, 0);
    convForward(params, x, 0, w, 0, bias, 0, fused, 0, 'relu');
    expect(plain.some((v) => v < 0)).toBe(true);
    expect(plain.some(Number.isNaN)).toBe(true);
    const used = plain.length - [...plain].reverse().findIndex((v) => v !== 0);
    expectSameBits(fused.subarray(0, used), relu(plain.subarray(0, used)));
  });

  test('transposed convolution: max(y, 0) of the unfused output', () => {
    const params = { ...conv({ inChannels: 4, outChannels: 6 }), outputPadding: [0, 0] };
    const x = data(2 * 4 * 7 * 9, 4), w = data(4 * 6 * 9, 5), bias = data(6, 6);
    const plain = new Float32Array(2 * 6 * 7 * 9), fused = new Float32Array(plain.length);
    convTransposeForward(params, x, 0, w, 0, bias, 0, plain, 0);
    convTransposeForward(params, x, 0, w, 0, bias, 0, fused, 0, 'relu');
    expectSameBits(fused, relu(plain));
  });

  test.each(['sigmoid', 'tanh', 'mish'] as const)('%s: each convolution and normalization path writes the act type of its unfused output', (kind) => {
    const apply = (values: Float32Array) => {
      const out = new Float32Array(values.length);
      ACTIVATION_FORWARD[kind](values, out);
      return out;
    };
    for (const [, params] of CONVOLUTIONS) {
      const x = data(params.batch * params.inChannels * params.inSize[0] * params.inSize[1], 1);
      const w = data((params.outChannels * params.inChannels * params.kernel[0] * params.kernel[1]) / params.groups, 2);
      const grid = params.inSize.map((n, i) => Math.floor((n + 2 * params.padding[i] - params.dilation[i] * (params.kernel[i] - 1) - 1) / params.strides[i]) + 1);
      const outLength = params.batch * params.outChannels * grid[0] * grid[1];
      const plain = new Float32Array(outLength), fused = new Float32Array(outLength);
      convForward(params, x, 0, w, 0, null, 0, plain, 0);
      convForward(params, x, 0, w, 0, null, 0, fused, 0, kind);
      expectSameBits(fused, apply(plain));
    }
    for (const [, layout] of NORMS) {
      const size = layout.outer * layout.reduceOuter * layout.channels * layout.reduceInner, groups = layout.outer * layout.channels;
      const x = data(size, 7), gamma = data(layout.affineCount, 8), beta = data(layout.affineCount, 9);
      const plain = new Float32Array(size), fused = new Float32Array(size);
      normForward(x, 0, plain, 0, layout, new Float64Array(groups), new Float64Array(groups), 1e-5, gamma, beta);
      normForward(x, 0, fused, 0, layout, new Float64Array(groups), new Float64Array(groups), 1e-5, gamma, beta, kind);
      expectSameBits(fused, apply(plain));
    }
  });

  test.each(NORMS)('normalization, %s: normForward and normApply', (_name, layout) => {
    const size = layout.outer * layout.reduceOuter * layout.channels * layout.reduceInner;
    const groups = layout.outer * layout.channels;
    const x = data(size, 7, 2), gamma = data(layout.affineCount, 8), beta = data(layout.affineCount, 9);
    const mean = new Float64Array(groups), variance = new Float64Array(groups);
    const plain = new Float32Array(size), fused = new Float32Array(size);
    normForward(x, 0, plain, 0, layout, mean, variance, 1e-5, gamma, beta);
    normForward(x, 0, fused, 0, layout, new Float64Array(groups), new Float64Array(groups), 1e-5, gamma, beta, 'relu');
    expect(plain.some((v) => v < 0)).toBe(true);
    expectSameBits(fused, relu(plain));
    const finite = data(size, 10);
    normApply(finite, 0, plain, 0, layout, mean.fill(0.25), variance.fill(2), 1e-5, gamma, beta);
    normApply(finite, 0, fused, 0, layout, mean, variance, 1e-5, gamma, beta, 'relu');
    expectSameBits(fused, relu(plain));
  });
});
