import {
  biasGradient, convBackwardData, convBackwardWeight, convTransposeBackwardData, convTransposeBackwardWeight,
} from '../../src/kernels/cpu/conv_backward';
import { ConvParams, ConvTransposeParams, convForward, convTransposeForward } from '../../src/kernels/cpu/conv';
import { GluonError } from '../../src/core/errors';
import { makeRng, randInt, randomArray } from '../helpers/naive_dense';
import { ConvSpec, convOutSize, convReference, worstRelative } from '../helpers/naive_layers';

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function randomSpec(rng: () => number, rank: number, transposed: boolean): ConvSpec {
  const groups = randInt(rng, 0, 1) === 0 ? 1 : randInt(rng, 2, 3);
  const depthwise = groups > 1 && rng() > 0;
  const kernel: number[] = [], strides: number[] = [], padding: number[] = [], dilation: number[] = [], inSize: number[] = [];
  const outputPadding: number[] = [];
  for (let i = 0; i < rank; i++) {
    kernel.push(randInt(rng, 1, rank === 3 ? 2 : 3));
    strides.push(randInt(rng, 1, 3));
    dilation.push(randInt(rng, 1, 2));
    const extent = dilation[i] * (kernel[i] - 1) + 1;
    if (transposed) {
      inSize.push(randInt(rng, 1, rank === 3 ? 3 : 5));
      outputPadding.push(randInt(rng, 0, strides[i] - 1));
      padding.push(Math.min(randInt(rng, 0, 2), Math.floor(((inSize[i] - 1) * strides[i] + extent - 1 + outputPadding[i]) / 2)));
    } else {
      padding.push(randInt(rng, 0, 2));
      inSize.push(randInt(rng, Math.max(1, extent - 2 * padding[i]), extent + (rank === 3 ? 3 : 6)));
    }
  }
  return {
    batch: randInt(rng, 1, 2), inChannels: (depthwise ? 1 : randInt(rng, 1, 3)) * groups,
    outChannels: groups * randInt(rng, 1, 3), inSize, kernel, strides, padding, dilation, groups,
    channelsLast: rng() > 0, ...(transposed ? { outputPadding } : {}),
  };
}

/** Copies `a` after `offset` guard values of 7, to check kernels respect offsets and bounds. */
function guarded(a: Float32Array, offset: number, extra = 2): Float32Array {
  const b = new Float32Array(offset + a.length + extra).fill(7);
  b.set(a, offset);
  return b;
}

function weightCount(p: ConvSpec): number {
  return p.outChannels * (p.inChannels / p.groups) * size(p.kernel);
}

/** Runs the three gradient kernels of one spec with offset buffers; returns dx, dw, db. */
function runBackward(p: ConvSpec, x: Float32Array, w: Float32Array, dy: Float32Array): Float32Array[] {
  const o = 3;
  const [xg, wg, dyg] = [guarded(x, o), guarded(w, o), guarded(dy, o)];
  const dx = new Float32Array(x.length + 2 * o).fill(NaN);
  const dw = new Float32Array(w.length + 2 * o).fill(NaN);
  const db = new Float32Array(p.outChannels + 2 * o).fill(NaN);
  if (p.outputPadding) {
    const params: ConvTransposeParams = { ...p, outputPadding: p.outputPadding };
    convTransposeBackwardData(params, dyg, o, wg, o, dx, o);
    convTransposeBackwardWeight(params, xg, o, dyg, o, dw, o);
  } else {
    convBackwardData(p, dyg, o, wg, o, dx, o);
    convBackwardWeight(p, xg, o, dyg, o, dw, o);
  }
  const outPositions = size(convOutSize(p));
  biasGradient({ batch: p.batch, channels: p.outChannels, size: outPositions, channelsLast: p.channelsLast }, dyg, o, db, o);
  for (const buf of [dx, dw, db]) {
    expect([...buf.subarray(0, o), ...buf.subarray(buf.length - o)].every(Number.isNaN)).toBe(true);
  }
  expect([xg[0], wg[1], dyg[2]]).toEqual([7, 7, 7]);
  return [dx.subarray(o, o + x.length), dw.subarray(o, o + w.length), db.subarray(o, o + p.outChannels)];
}

function checkAgainstReference(p: ConvSpec, rng: () => number): void {
  const x = randomArray(p.batch * p.inChannels * size(p.inSize), rng);
  const w = randomArray(weightCount(p), rng);
  const dy = randomArray(p.batch * p.outChannels * size(convOutSize(p)), rng);
  const ref = convReference(p, x, w, null, dy);
  // The reference's forward agrees with the forward kernels, so its adjoint loops index the same tensors.
  const out = new Float32Array(dy.length);
  if (p.outputPadding) convTransposeForward({ ...p, outputPadding: p.outputPadding }, x, 0, w, 0, null, 0, out, 0);
  else convForward(p, x, 0, w, 0, null, 0, out, 0);
  expect(worstRelative(out, ref.out)).toBeLessThanOrEqual(1);
  const [dx, dw, db] = runBackward(p, x, w, dy);
  expect(worstRelative(dx, ref.dx)).toBeLessThanOrEqual(1);
  expect(worstRelative(dw, ref.dw)).toBeLessThanOrEqual(1);
  expect(worstRelative(db, ref.db)).toBeLessThanOrEqual(1);
}

describe('convolution backward kernels', () => {
  it('compute the documented 1-D examples', () => {
    const p: ConvParams = { batch: 1, inChannels: 1, outChannels: 1, inSize: [3], kernel: [2], strides: [1], padding: [0],
      dilation: [1], groups: 1, channelsLast: false };
    const dx = new Float32Array(3);
    convBackwardData(p, Float32Array.of(1, 1), 0, Float32Array.of(1, -1), 0, dx, 0);
    expect(Array.from(dx)).toEqual([1, 0, -1]);
    const dw = new Float32Array(2);
    convBackwardWeight(p, Float32Array.of(1, 2, 3), 0, Float32Array.of(1, 1), 0, dw, 0);
    expect(Array.from(dw)).toEqual([3, 5]);
    const t: ConvTransposeParams = { ...p, inSize: [2], strides: [2], outputPadding: [0] };
    const tdx = new Float32Array(2);
    convTransposeBackwardData(t, Float32Array.of(1, 2, 3, 4), 0, Float32Array.of(1, 1), 0, tdx, 0);
    expect(Array.from(tdx)).toEqual([3, 7]);
    const tdw = new Float32Array(2);
    convTransposeBackwardWeight(t, Float32Array.of(1, 2), 0, Float32Array.of(1, 2, 3, 4), 0, tdw, 0);
    expect(Array.from(tdw)).toEqual([7, 10]);
    const db = new Float32Array(2);
    biasGradient({ batch: 1, channels: 2, size: 2, channelsLast: false }, Float32Array.of(1, 2, 3, 4), 0, db, 0);
    expect(Array.from(db)).toEqual([3, 7]);
  });

  it('match the direct adjoint sums on random convolutions (1-D/2-D/3-D, both layouts, groups, depthwise)', () => {
    const rng = makeRng(31);
    for (let t = 0; t < 60; t++) checkAgainstReference(randomSpec(rng, 1 + (t % 3), false), rng);
  });

  it('match the direct adjoint sums on random transposed convolutions with outputPadding', () => {
    const rng = makeRng(32);
    for (let t = 0; t < 60; t++) checkAgainstReference(randomSpec(rng, 1 + (t % 3), true), rng);
  });

  it('handle pointwise (1×1) kernels in both layouts, with groups', () => {
    const rng = makeRng(33);
    for (const channelsLast of [false, true]) {
      for (const transposed of [false, true]) {
        checkAgainstReference({ batch: 2, inChannels: 4, outChannels: 6, inSize: [3, 5], kernel: [1, 1], strides: [1, 1],
          padding: [0, 0], dilation: [1, 1], groups: 2, channelsLast, ...(transposed ? { outputPadding: [0, 0] } : {}) }, rng);
      }
    }
  });

  it('give zero weight and bias gradients for an empty batch', () => {
    const p: ConvParams = { batch: 0, inChannels: 2, outChannels: 3, inSize: [4], kernel: [3], strides: [1], padding: [0],
      dilation: [1], groups: 1, channelsLast: false };
    const dw = new Float32Array(18).fill(NaN);
    convBackwardWeight(p, new Float32Array(0), 0, new Float32Array(0), 0, dw, 0);
    expect(dw.every((v) => v === 0)).toBe(true);
    const db = new Float32Array(3).fill(NaN);
    biasGradient({ batch: 0, channels: 3, size: 2, channelsLast: true }, new Float32Array(0), 0, db, 0);
    expect(Array.from(db)).toEqual([0, 0, 0]);
  });

  it('name the kernel and the argument for bad hyperparameters and short buffers', () => {
    const p: ConvParams = { batch: 1, inChannels: 2, outChannels: 2, inSize: [4], kernel: [3], strides: [1], padding: [0],
      dilation: [1], groups: 1, channelsLast: false };
    expect(() => convBackwardData(p, new Float32Array(3), 0, new Float32Array(12), 0, new Float32Array(8), 0))
      .toThrow(new GluonError('convBackwardData: expected dy to hold at least 4 elements (offset 0 + 4), but got a buffer of 3'));
    expect(() => convBackwardWeight({ ...p, groups: 3 }, new Float32Array(8), 0, new Float32Array(4), 0, new Float32Array(12), 0))
      .toThrow(/convBackwardWeight: expected inChannels divisible by groups = 3, but got inChannels = 2/);
    expect(() => convBackwardWeight(p, new Float32Array(8), 0, new Float32Array(4), 0, new Float32Array(11), 0))
      .toThrow(/convBackwardWeight: expected dWeight to hold at least 12 elements .* but got a buffer of 11/);
    expect(() => convTransposeBackwardData({ ...p, outputPadding: [1] }, new Float32Array(12), 0, new Float32Array(12), 0,
      new Float32Array(8), 0)).toThrow(/convTransposeBackwardData: expected outputPadding\[0\] < strides\[0\] = 1, but got 1/);
    expect(() => convTransposeBackwardWeight({ ...p, outputPadding: [0] }, new Float32Array(8), 0, new Float32Array(5), 0,
      new Float32Array(12), 0)).toThrow(/convTransposeBackwardWeight: expected dy to hold at least 12 elements/);
    expect(() => biasGradient({ batch: 1, channels: -1, size: 1, channelsLast: false }, new Float32Array(1), 0, new Float32Array(1), 0))
      .toThrow('biasGradient: expected channels to be a non-negative integer, but got -1');
  });
});
