import {
  ConvParams, ConvTransposeParams, convForward, convOutputSize, convTransposeForward, convTransposeOutputSize,
} from '../../src/kernels/cpu/conv';
import { GluonError } from '../../src/core/errors';
import {
  NaiveConv, Reference, makeRng, moveAxis1ToEnd, naiveConv, naiveConvAt, naiveConvOutSize, naiveConvTranspose,
  naiveConvTransposeAt, naiveConvTransposeOutSize, randInt, randomArray, sameBits, worstError,
} from '../helpers/naive_dense';
import { fixtureCases, perDim } from '../helpers/kernel_fixtures';

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

type Invoke = (x: Float32Array, w: Float32Array, bias: Float32Array | null, out: Float32Array, offset: number) => void;

const forward = (p: ConvParams): Invoke => (x, w, b, out, o) => convForward(p, x, o, w, o, b, o, out, o);
const transposed = (p: ConvTransposeParams): Invoke => (x, w, b, out, o) => convTransposeForward(p, x, o, w, o, b, o, out, o);

/** Runs a kernel with data placed after `offset` guard values and checks the guards survive. */
function runConv(invoke: Invoke, x: Float32Array, w: Float32Array, bias: Float32Array | null, outCount: number, offset = 3): Float32Array {
  const pad = (a: Float32Array): Float32Array => { const b = new Float32Array(offset + a.length).fill(7); b.set(a, offset); return b; };
  const [xp, wp, bp] = [pad(x), pad(w), bias ? pad(bias) : null];
  const [x0, w0] = [xp.slice(), wp.slice()];
  const out = new Float32Array(offset + outCount + 2).fill(NaN);
  invoke(xp, wp, bp, out, offset);
  expect(sameBits(xp, x0) && sameBits(wp, w0)).toBe(true);
  expect([...out.subarray(0, offset), ...out.subarray(offset + outCount)].every(Number.isNaN)).toBe(true);
  return out.subarray(offset, offset + outCount);
}

function randomConv(rng: () => number, rank: number): NaiveConv {
  const groupsChoice = randInt(rng, 0, 2);
  const cinG = randInt(rng, 1, 3);
  const groups = groupsChoice === 0 ? 1 : randInt(rng, 2, 3);
  const depthwise = groupsChoice === 2;
  const kernel: number[] = [], strides: number[] = [], padding: number[] = [], dilation: number[] = [], inSize: number[] = [];
  for (let i = 0; i < rank; i++) {
    kernel.push(randInt(rng, 1, rank === 3 ? 2 : 3));
    strides.push(randInt(rng, 1, 3));
    dilation.push(randInt(rng, 1, 2));
    padding.push(randInt(rng, 0, 2));
    const extent = dilation[i] * (kernel[i] - 1) + 1;
    inSize.push(randInt(rng, Math.max(1, extent - 2 * padding[i]), extent + (rank === 3 ? 3 : 6)));
  }
  return {
    batch: randInt(rng, 1, 2), inChannels: (depthwise ? 1 : cinG) * groups, outChannels: groups * randInt(rng, 1, 3),
    inSize, kernel, strides, padding, dilation, groups, channelsLast: rng() > 0,
  };
}

function expectClose(got: ArrayLike<number>, ref: Reference): void {
  expect(worstError(got, ref)).toBeLessThanOrEqual(1);
}

/**
 * Checks a batch-1 output against a per-element reference at every position in `dense`
 * (around a chunk split) and every 151st elsewhere, for a spread of channels.
 */
function expectSampled(
  got: Float32Array, p: NaiveConv, outSize: number[], at: (o: number, y: number[]) => [number, number], dense: [number, number],
): void {
  const positions = size(outSize);
  const value: number[] = [], bound: number[] = [], sampled: number[] = [];
  for (let o = 0; o < p.outChannels; o += Math.max(1, Math.floor(p.outChannels / 7))) {
    for (let q = 0; q < positions; q++) {
      if (q % 151 !== 0 && (q < dense[0] || q >= dense[1])) continue;
      const y = [Math.floor(q / outSize[1]), q % outSize[1]];
      const [v, b] = at(o, y);
      value.push(v);
      bound.push(b);
      sampled.push(got[p.channelsLast ? q * p.outChannels + o : o * positions + q]);
    }
  }
  expectClose(sampled, { value: Float64Array.from(value), bound: Float64Array.from(bound) });
}

describe('convForward', () => {
  it('computes the documented 1-D example', () => {
    const out = new Float32Array(3);
    convForward({ batch: 1, inChannels: 1, outChannels: 1, inSize: [4], kernel: [2], strides: [1], padding: [0],
      dilation: [1], groups: 1, channelsLast: false }, Float32Array.of(1, 2, 3, 4), 0, Float32Array.of(1, -1), 0, null, 0, out, 0);
    expect(Array.from(out)).toEqual([-1, -1, -1]);
  });

  it('matches direct convolution on random 1-D/2-D/3-D shapes, both layouts, strides, padding, dilation, groups', () => {
    const rng = makeRng(11);
    for (let t = 0; t < 90; t++) {
      const p = randomConv(rng, 1 + (t % 3));
      const x = randomArray(p.batch * p.inChannels * size(p.inSize), rng);
      const w = randomArray(p.outChannels * (p.inChannels / p.groups) * size(p.kernel), rng);
      const bias = rng() > 0 ? randomArray(p.outChannels, rng) : null;
      const outSize = naiveConvOutSize(p);
      expect(convOutputSize(p)).toEqual(outSize);
      expectClose(runConv(forward(p), x, w, bias, p.batch * p.outChannels * size(outSize)), naiveConv(p, x, w, bias));
    }
  });

  it('handles pointwise (1×1) convolutions without im2col, with groups, in both layouts', () => {
    const rng = makeRng(12);
    for (const channelsLast of [false, true]) {
      for (const groups of [1, 2]) {
        const p: NaiveConv = { batch: 2, inChannels: 4, outChannels: 6, inSize: [3, 5], kernel: [1, 1], strides: [1, 1],
          padding: [0, 0], dilation: [2, 1], groups, channelsLast };
        const x = randomArray(2 * 4 * 15, rng), w = randomArray(6 * (4 / groups), rng), bias = randomArray(6, rng);
        expectClose(runConv(forward(p), x, w, bias, 2 * 6 * 15), naiveConv(p, x, w, bias));
      }
    }
  });

  it('runs depthwise convolutions (one input channel per group) with a channel multiplier, in both layouts', () => {
    const rng = makeRng(14);
    for (const channelsLast of [false, true]) {
      for (const multiplier of [1, 3]) {
        const p: NaiveConv = { batch: 2, inChannels: 5, outChannels: 5 * multiplier, inSize: [7, 6], kernel: [3, 2],
          strides: [2, 1], padding: [1, 1], dilation: [1, 2], groups: 5, channelsLast };
        const x = randomArray(2 * 5 * 42, rng), w = randomArray(5 * multiplier * 6, rng), bias = randomArray(5 * multiplier, rng);
        const count = 2 * p.outChannels * size(naiveConvOutSize(p));
        expectClose(runConv(forward(p), x, w, bias, count), naiveConv(p, x, w, bias));
      }
    }
  });

  it('splits the grid into chunks when the column matrix would exceed 64 MiB', () => {
    // cin·taps = 512·49 floats per position, so 668 of the 900 positions fit in one chunk and
    // the split falls mid-row; check around the split and a spread of other positions.
    const rng = makeRng(13);
    for (const channelsLast of [false, true]) {
      const p: NaiveConv = { batch: 1, inChannels: 512, outChannels: 2, inSize: [30, 30], kernel: [7, 7], strides: [1, 1],
        padding: [3, 3], dilation: [1, 1], groups: 1, channelsLast };
      const x = randomArray(512 * 900, rng), w = randomArray(2 * 512 * 49, rng);
      const got = runConv(forward(p), x, w, null, 2 * 900);
      expectSampled(got, p, [30, 30], (o, y) => naiveConvAt(p, x, w, 0, o, y), [650, 690]);
    }
  });

  it('gives an empty output for an empty batch or a zero-size spatial dimension', () => {
    const p = { batch: 0, inChannels: 2, outChannels: 3, inSize: [4, 4], kernel: [3, 3], strides: [1, 1], padding: [0, 0],
      dilation: [1, 1], groups: 1, channelsLast: false };
    expect(convOutputSize(p)).toEqual([2, 2]);
    convForward(p, new Float32Array(0), 0, new Float32Array(54), 0, null, 0, new Float32Array(0), 0);
    expect(convOutputSize({ ...p, batch: 1, inSize: [0, 4] })).toEqual([0, 2]);
    convForward({ ...p, batch: 1, inSize: [0, 4] }, new Float32Array(0), 0, new Float32Array(54), 0, null, 0, new Float32Array(0), 0);
  });

  describe.each(fixtureCases('conv').filter((c) => !c.op.includes('transpose')))('PyTorch fixture: $name', (fc) => {
    const rank = fc.x_shape.length - 2;
    const groups = fc.params.groups ?? 1;
    const wShape = fc.w_shape ?? [];
    it.each([false, true])('matches torch (channelsLast = %s)', (channelsLast) => {
      const p: NaiveConv = {
        batch: fc.x_shape[0], inChannels: fc.x_shape[1], outChannels: wShape[0], inSize: fc.x_shape.slice(2),
        kernel: wShape.slice(2), strides: perDim(fc.params.stride, rank, 1), padding: perDim(fc.params.padding, rank, 0),
        dilation: perDim(fc.params.dilation, rank, 1), groups, channelsLast,
      };
      const layout = (data: number[], shape: number[]): Float64Array =>
        channelsLast ? moveAxis1ToEnd(data, shape).data : Float64Array.from(data);
      const x = Float32Array.from(layout(fc.x, fc.x_shape));
      const w = Float32Array.from(layout(fc.w ?? [], wShape));
      const bias = fc.b ? Float32Array.from(fc.b) : null;
      expect(convOutputSize(p)).toEqual(fc.y_shape.slice(2));
      const got = runConv(forward(p), x, w, bias, size(fc.y_shape));
      const ref = naiveConv(p, x, w, bias); // only for the error scale Σ|terms|
      expectClose(got, { value: layout(fc.y, fc.y_shape), bound: ref.bound });
    });
  });
});

function randomTransposed(rng: () => number, rank: number): NaiveConv & { outputPadding: number[] } {
  const base = randomConv(rng, rank);
  const inSize = base.inSize.map(() => randInt(rng, 1, rank === 3 ? 3 : 5));
  const outputPadding = base.strides.map((s) => randInt(rng, 0, s - 1));
  const padding = inSize.map((n, i) => Math.min(base.padding[i],
    Math.floor(((n - 1) * base.strides[i] + base.dilation[i] * (base.kernel[i] - 1) + outputPadding[i]) / 2)));
  return { ...base, inSize, padding, outputPadding };
}

describe('convTransposeForward', () => {
  it('computes the documented 1-D example', () => {
    const out = new Float32Array(4);
    convTransposeForward({ batch: 1, inChannels: 1, outChannels: 1, inSize: [2], kernel: [2], strides: [2], padding: [0],
      dilation: [1], outputPadding: [0], groups: 1, channelsLast: false },
    Float32Array.of(1, 2), 0, Float32Array.of(1, 1), 0, null, 0, out, 0);
    expect(Array.from(out)).toEqual([1, 1, 2, 2]);
  });

  it('matches direct scatter on random 1-D/2-D/3-D shapes, both layouts, outputPadding, groups', () => {
    const rng = makeRng(21);
    for (let t = 0; t < 90; t++) {
      const p = randomTransposed(rng, 1 + (t % 3));
      const x = randomArray(p.batch * p.inChannels * size(p.inSize), rng);
      const w = randomArray(p.inChannels * (p.outChannels / p.groups) * size(p.kernel), rng);
      const bias = rng() > 0 ? randomArray(p.outChannels, rng) : null;
      const outSize = naiveConvTransposeOutSize(p);
      expect(convTransposeOutputSize(p)).toEqual(outSize);
      expectClose(runConv(transposed(p), x, w, bias, p.batch * p.outChannels * size(outSize)), naiveConvTranspose(p, x, w, bias));
    }
  });

  it('handles pointwise kernels and chunked column matrices', () => {
    const rng = makeRng(22);
    for (const channelsLast of [false, true]) {
      const p = { batch: 2, inChannels: 4, outChannels: 6, inSize: [3, 5], kernel: [1, 1], strides: [1, 1], padding: [0, 0],
        dilation: [1, 1], outputPadding: [0, 0], groups: 2, channelsLast };
      const x = randomArray(2 * 4 * 15, rng), w = randomArray(4 * 3, rng), bias = randomArray(6, rng);
      expectClose(runConv(transposed(p), x, w, bias, 2 * 6 * 15), naiveConvTranspose(p, x, w, bias));
    }
    // coutG·taps = 512·49 floats per input position: 900 positions need two chunks.
    const big = { batch: 1, inChannels: 2, outChannels: 512, inSize: [30, 30], kernel: [7, 7], strides: [1, 1],
      padding: [3, 3], dilation: [1, 1], outputPadding: [0, 0], groups: 1, channelsLast: false };
    const x = randomArray(2 * 900, rng), w = randomArray(2 * 512 * 49, rng);
    const got = runConv(transposed(big), x, w, null, 512 * 900);
    expectSampled(got, big, [30, 30], (o, z) => naiveConvTransposeAt(big, x, w, 0, o, z), [570, 780]);
  });

  describe.each(fixtureCases('conv_transpose'))('PyTorch fixture: $name', (fc) => {
    const rank = fc.x_shape.length - 2;
    const groups = fc.params.groups ?? 1;
    const wShape = fc.w_shape ?? [];
    it.each([false, true])('matches torch (channelsLast = %s)', (channelsLast) => {
      const p: NaiveConv & { outputPadding: number[] } = {
        batch: fc.x_shape[0], inChannels: fc.x_shape[1], outChannels: wShape[1] * groups, inSize: fc.x_shape.slice(2),
        kernel: wShape.slice(2), strides: perDim(fc.params.stride, rank, 1), padding: perDim(fc.params.padding, rank, 0),
        dilation: perDim(fc.params.dilation, rank, 1), outputPadding: perDim(fc.params.output_padding, rank, 0), groups,
        channelsLast,
      };
      const layout = (data: number[], shape: number[]): Float64Array =>
        channelsLast ? moveAxis1ToEnd(data, shape).data : Float64Array.from(data);
      const x = Float32Array.from(layout(fc.x, fc.x_shape));
      const w = Float32Array.from(layout(fc.w ?? [], wShape));
      const bias = fc.b ? Float32Array.from(fc.b) : null;
      expect(convTransposeOutputSize(p)).toEqual(fc.y_shape.slice(2));
      const got = runConv(transposed(p), x, w, bias, size(fc.y_shape));
      const ref = naiveConvTranspose(p, x, w, bias);
      expectClose(got, { value: layout(fc.y, fc.y_shape), bound: ref.bound });
    });
  });
});

describe('convolution argument errors', () => {
  const base: ConvParams = { batch: 1, inChannels: 4, outChannels: 2, inSize: [5, 5], kernel: [3, 3], strides: [1, 1],
    padding: [0, 0], dilation: [1, 1], groups: 2, channelsLast: false };
  const x = new Float32Array(100);
  const w = new Float32Array(36);
  const out = new Float32Array(18);
  const conv = (over: Partial<ConvParams>, xs = x, ws = w, bias: Float32Array | null = null, os = out) => () =>
    convForward({ ...base, ...over }, xs, 0, ws, 0, bias, 0, os, 0);

  it('rejects negative, fractional or zero sizes', () => {
    expect(conv({ batch: -1 })).toThrow(GluonError);
    expect(conv({ batch: -1 })).toThrow(/convForward: expected batch to be a non-negative integer, but got -1/);
    expect(conv({ inSize: [5, -2] })).toThrow(/convForward: expected inSize\[1\] to be a non-negative integer, but got -2/);
    expect(conv({ strides: [1, 0] })).toThrow(/convForward: expected strides\[1\] to be an integer >= 1, but got 0/);
    expect(conv({ padding: [0.5, 0] })).toThrow(/expected padding\[0\] to be a non-negative integer, but got 0.5/);
    expect(conv({ outChannels: 0 })).toThrow(/expected outChannels to be an integer >= 1, but got 0/);
  });

  it('rejects tuples of the wrong rank and unsupported ranks', () => {
    expect(conv({ strides: [1] })).toThrow(/convForward: expected strides to have 2 values \(one per spatial dimension\), but got 1 values/);
    expect(conv({ kernel: [1, 1, 1, 1] })).toThrow(/convForward: expected kernel to have 1, 2 or 3 values .*, but got 4 values/);
    expect(conv({ dilation: undefined })).toThrow(/convForward: expected dilation to have 2 values \(one per spatial dimension\), but got undefined/);
  });

  it('rejects a dilated kernel larger than the padded input', () => {
    expect(conv({ kernel: [3, 7] })).toThrow(
      /convForward: expected the dilated kernel to fit in the padded input along spatial dimension 1, but got kernel 7 with dilation 1 \(extent 7\) > input 5 \+ 2\*padding 0/);
    expect(() => convOutputSize({ ...base, dilation: [3, 1] })).toThrow(/convOutputSize: expected the dilated kernel to fit .*extent 7/);
  });

  it('rejects channels not divisible by groups', () => {
    expect(conv({ groups: 3 })).toThrow(/convForward: expected inChannels divisible by groups = 3, but got inChannels = 4/);
    expect(conv({ outChannels: 3 })).toThrow(/convForward: expected outChannels divisible by groups = 2, but got outChannels = 3/);
  });

  it('rejects buffers that are too short', () => {
    expect(conv({}, new Float32Array(99))).toThrow(/convForward: expected x to hold at least 100 elements \(offset 0 \+ 100\), but got a buffer of 99/);
    expect(conv({}, x, new Float32Array(35))).toThrow(/convForward: expected weight to hold at least 36 elements/);
    expect(conv({}, x, w, new Float32Array(1))).toThrow(/convForward: expected bias to hold at least 2 elements/);
    expect(conv({}, x, w, null, new Float32Array(17))).toThrow(/convForward: expected out to hold at least 18 elements/);
  });

  it('rejects bad transposed-convolution hyperparameters', () => {
    const t: ConvTransposeParams = { ...base, groups: 1, inSize: [2, 2], strides: [2, 2], outputPadding: [1, 2] };
    const call = (over: Partial<ConvTransposeParams>) => () =>
      convTransposeForward({ ...t, ...over }, new Float32Array(16), 0, new Float32Array(72), 0, null, 0, new Float32Array(200), 0);
    expect(call({})).toThrow(/convTransposeForward: expected outputPadding\[1\] < strides\[1\] = 2, but got 2/);
    expect(call({ outputPadding: [0] })).toThrow(/expected outputPadding to have 2 values/);
    expect(call({ outputPadding: [0, 0], padding: [3, 0] })).toThrow(
      /convTransposeForward: expected padding\[0\] small enough for a positive output size, but got padding 3 giving .* = -1/);
    expect(() => convTransposeOutputSize({ ...t, outputPadding: [0, -1] })).toThrow(
      /convTransposeOutputSize: expected outputPadding\[1\] to be a non-negative integer, but got -1/);
    expect(call({ outputPadding: [0, 0] })).not.toThrow();
    expect(() => convTransposeForward({ ...t, outputPadding: [0, 0] }, new Float32Array(16), 0, new Float32Array(71), 0, null, 0,
      new Float32Array(200), 0)).toThrow(/convTransposeForward: expected weight to hold at least 72 elements/);
  });

  it('rejects an output that shares memory with an input', () => {
    const shared = new Float32Array(200);
    expect(() => convForward(base, shared, 0, w, 0, null, 0, shared, 90)).toThrow(
      /convForward: expected out not to overlap x, but got views sharing memory of one buffer/);
    expect(() => convForward(base, x, 0, shared, 0, shared.subarray(50), 0, shared.subarray(40), 0)).toThrow(
      /convForward: expected out not to overlap bias/);
    expect(() => convForward(base, shared, 0, w, 0, null, 0, shared, 100)).not.toThrow();
  });

  it('rejects a missing parameter object and non-Float32Array buffers', () => {
    expect(() => Reflect.apply(convForward, undefined, [null, x, 0, w, 0, null, 0, out, 0]))
      .toThrow(/convForward: expected a parameter object, but got null/);
    expect(() => Reflect.apply(convForward, undefined, [base, [1, 2], 0, w, 0, null, 0, out, 0]))
      .toThrow(/convForward: expected x to be a Float32Array, but got Array/);
  });
});
