/**
 * Fused input padding in the convolution kernel (pad.ts's InputPad): convForward given the
 * unpadded input and a Pad geometry writes exactly what padForward followed by convForward on the
 * padded copy writes, on the SIMD loops (padded while copied into module memory) and on the
 * JavaScript loops, for every convolution path, every pad mode, batch items, channels-last data
 * and a fused ReLU beside it; on two threads, with 2-D and 3-D (edge) paddings, the bits of one.
 */
import { convForward } from '../../src/kernels/cpu/conv';
import { ConvParams, convOutputSize } from '../../src/kernels/cpu/conv_geometry';
import { InputPad, PadGeometry, PadKernelMode, padForward } from '../../src/kernels/cpu/pad';
import { setSimdEnabled } from '../../src/kernels/cpu/simd/wasm_loader';
import { getNumThreads, setNumThreads, workersReady } from '../../src/kernels/cpu/threads/pool';
import { pseudoRandom } from '../helpers/gradient_check';

const volume = (dims: readonly number[]) => dims.reduce((a, b) => a * b, 1);

/** A channels-first convolution of (batch, channels, h, w) data padded by (top, bottom, left, right), or its channels-last twin. */
function setUp(over: Partial<ConvParams>, widths: [number, number, number, number], mode: PadKernelMode, value = 0) {
  const base: ConvParams = {
    batch: 2, inChannels: 5, outChannels: 7, inSize: [9, 11], kernel: [3, 3], strides: [1, 1], padding: [0, 0], dilation: [1, 1],
    groups: 1, channelsLast: false, ...over,
  };
  const [h, w] = base.inSize;
  const [top, bottom, left, right] = widths;
  // Pad pads axes 2 and 3 of its 4-D input, whatever they mean: (H, W) channels-first, (W, C) channels-last.
  const geometry: PadGeometry = base.channelsLast
    ? { mode, blocks: base.batch * h, inSize: [w, base.inChannels], before: [left, 0], after: [right, 0] }
    : { mode, blocks: base.batch * base.inChannels, inSize: [h, w], before: [top, left], after: [bottom, right] };
  const padded: ConvParams = { ...base, inSize: base.channelsLast ? [h, left + w + right] : [top + h + bottom, left + w + right] };
  return { params: padded, inputPad: { geometry, value: Math.fround(value) } as InputPad, unpaddedLength: base.batch * base.inChannels * h * w };
}

function separate(params: ConvParams, inputPad: InputPad, x: Float32Array, w: Float32Array, bias: Float32Array, relu: boolean): Float32Array {
  const padded = new Float32Array(params.batch * params.inChannels * volume(params.inSize));
  padForward(inputPad.geometry, x, padded, inputPad.value);
  const out = new Float32Array(params.batch * params.outChannels * volume(convOutputSize(params)));
  convForward(params, padded, 0, w, 0, bias, 0, out, 0, relu ? 'relu' : undefined);
  return out;
}

function fused(params: ConvParams, inputPad: InputPad, x: Float32Array, w: Float32Array, bias: Float32Array, relu: boolean): Float32Array {
  const out = new Float32Array(params.batch * params.outChannels * volume(convOutputSize(params))).fill(NaN);
  convForward(params, x, 0, w, 0, bias, 0, out, 0, relu ? 'relu' : undefined, inputPad);
  return out;
}

// Every row has all five entries: jest passes a `done` callback to a test function with more
// parameters than its row.
const CASES: [string, Partial<ConvParams>, [number, number, number, number], PadKernelMode, number][] = [
  ['implicit GEMM, reflect 1', {}, [1, 1, 1, 1], 'reflect', 0],
  ['implicit GEMM, reflect, uneven widths, stride 2', { strides: [2, 2] }, [2, 1, 0, 3], 'reflect', 0],
  ['direct (3 output channels), reflect 4, 9×9 kernel', { outChannels: 3, kernel: [9, 9], inSize: [10, 12] }, [4, 4, 4, 4], 'reflect', 0],
  ['depthwise, edge', { inChannels: 4, outChannels: 4, groups: 4 }, [1, 2, 2, 1], 'edge', 0],
  ['pointwise, constant 0.5', { kernel: [1, 1] }, [1, 1, 2, 2], 'constant', 0.5],
  ['channels-last, reflect on W', { channelsLast: true }, [0, 0, 2, 2], 'reflect', 0],
  ['with its own zero padding too', { padding: [1, 1] }, [1, 1, 1, 1], 'reflect', 0],
];

describe.each([['SIMD loops', true], ['JavaScript loops', false]])('fused input padding on the %s', (_, simd) => {
  let previous: boolean;
  beforeAll(() => { previous = setSimdEnabled(simd); });
  afterAll(() => { setSimdEnabled(previous); });

  it.each(CASES)('%s: the bits of Pad then convolution', (_name, over, widths, mode, value) => {
    const { params, inputPad, unpaddedLength } = setUp(over, widths, mode, value);
    const x = Float32Array.from(pseudoRandom(unpaddedLength, 3));
    const before = x.slice();
    const cinG = params.inChannels / params.groups;
    const w = Float32Array.from(pseudoRandom(params.outChannels * cinG * volume(params.kernel), 4));
    const bias = Float32Array.from(pseudoRandom(params.outChannels, 5));
    for (const relu of [false, true]) {
      expect(fused(params, inputPad, x, w, bias, relu)).toEqual(separate(params, inputPad, x, w, bias, relu));
    }
    expect(x).toEqual(before);
  });
});

test('a padding that does not produce the convolution\'s input is a GluonError', () => {
  const { params, inputPad } = setUp({}, [1, 1, 1, 1], 'reflect');
  const wrong = { ...params, inSize: [params.inSize[0] + 1, params.inSize[1]] };
  const x = new Float32Array(2 * 5 * 9 * 11);
  const w = new Float32Array(7 * 5 * 9);
  const out = new Float32Array(2 * 7 * volume(convOutputSize(wrong)));
  expect(() => convForward(wrong, x, 0, w, 0, null, 0, out, 0, undefined, inputPad))
    .toThrow("convForward: expected inputPad to produce the convolution's input of 1560 values, but it produces 1430");
});

describe('on two threads (the GEMM split across the pool)', () => {
  let threads: number;
  beforeAll(() => { threads = getNumThreads(); });
  afterAll(() => setNumThreads(threads));

  /** Expects the fused run on two threads (once the workers are up) to give the separate run's bits on one. */
  async function expectOneThreadBits(params: ConvParams, inputPad: InputPad, x: Float32Array, w: Float32Array, bias: Float32Array, relu: boolean) {
    setNumThreads(1);
    const expected = separate(params, inputPad, x, w, bias, relu);
    setNumThreads(2);
    fused(params, inputPad, x, w, bias, relu);
    await workersReady();
    expect(fused(params, inputPad, x, w, bias, relu)).toEqual(expected);
  }

  it.each([
    ['2-D reflect, 16 channels of 70×70', { batch: 1, inChannels: 16, outChannels: 8, inSize: [70, 70] }, [1, 1, 1, 1], 'reflect'],
    ['2-D constant 0.25, batch 2', { inChannels: 16, outChannels: 8, inSize: [66, 68] }, [2, 0, 1, 3], 'constant'],
  ] as [string, Partial<ConvParams>, [number, number, number, number], PadKernelMode][])('%s: the bits of Pad then convolution on one thread', async (_name, over, widths, mode) => {
    const { params, inputPad, unpaddedLength } = setUp(over, widths, mode, 0.25);
    const x = Float32Array.from(pseudoRandom(unpaddedLength, 6));
    const w = Float32Array.from(pseudoRandom(params.outChannels * params.inChannels * volume(params.kernel), 7));
    const bias = Float32Array.from(pseudoRandom(params.outChannels, 8));
    await expectOneThreadBits(params, inputPad, x, w, bias, true);
  });

  it('3-D: edge padding of (D, H, W) before a Conv3D', async () => {
    const params: ConvParams = {
      batch: 1, inChannels: 4, outChannels: 5, inSize: [10, 42, 44], kernel: [3, 3, 3], strides: [1, 1, 1], padding: [0, 0, 0],
      dilation: [1, 1, 1], groups: 1, channelsLast: false,
    };
    const geometry: PadGeometry = { mode: 'edge', blocks: 4, inSize: [8, 40, 41], before: [1, 1, 2], after: [1, 1, 1] };
    const inputPad: InputPad = { geometry, value: 0 };
    const x = Float32Array.from(pseudoRandom(4 * 8 * 40 * 41, 9));
    const w = Float32Array.from(pseudoRandom(5 * 4 * 27, 10));
    const bias = Float32Array.from(pseudoRandom(5, 11));
    await expectOneThreadBits(params, inputPad, x, w, bias, false);
  });
});
