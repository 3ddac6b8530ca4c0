import { NDArray, autograd, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { makeRng, randInt, randomArray } from '../helpers/naive_dense';
import { ConvSpec, convOutSize, convReference, runWithGrads, worstRelative } from '../helpers/naive_layers';

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
const LAYOUTS = [['NCW', 'NWC'], ['NCHW', 'NHWC'], ['NCDHW', 'NDHWC']] as const;

/** Shapes of data, weight and output of a spec in its layout. */
function shapes(p: ConvSpec): { x: number[]; w: number[]; y: number[] } {
  const transposed = p.outputPadding !== undefined;
  const act = (c: number, s: number[]) => (p.channelsLast ? [p.batch, ...s, c] : [p.batch, c, ...s]);
  const outer = transposed ? p.inChannels : p.outChannels;
  const inner = (transposed ? p.outChannels : p.inChannels) / p.groups;
  return {
    x: act(p.inChannels, p.inSize),
    w: p.channelsLast ? [outer, ...p.kernel, inner] : [outer, inner, ...p.kernel],
    y: act(p.outChannels, convOutSize(p)),
  };
}

function options(p: ConvSpec): nd.DeconvolutionOptions {
  const rank = p.kernel.length;
  return {
    kernel: p.kernel, stride: p.strides, pad: p.padding, dilate: p.dilation, numFilter: p.outChannels, numGroup: p.groups,
    layout: LAYOUTS[rank - 1][p.channelsLast ? 1 : 0], ...(p.outputPadding ? { adj: p.outputPadding } : {}),
  };
}

const opOf = (p: ConvSpec) => (x: NDArray, w: NDArray, b?: NDArray): NDArray =>
  (p.outputPadding ? nd.Deconvolution(x, w, b, options(p)) : nd.Convolution(x, w, b, options(p)));

function checkOp(p: ConvSpec, seed: number): void {
  const rng = makeRng(seed);
  const s = shapes(p);
  const x = randomArray(size(s.x), rng), w = randomArray(size(s.w), rng), b = randomArray(p.outChannels, rng);
  const dy = randomArray(size(s.y), rng);
  const { y, grads } = runWithGrads(opOf(p), [nd.array(x, { shape: s.x }), nd.array(w, { shape: s.w }), nd.array(b)], dy);
  expect(y.shape).toEqual(s.y);
  const ref = convReference(p, x, w, b, dy);
  expect(worstRelative(y.toFloat32Array(), ref.out)).toBeLessThanOrEqual(1);
  expect(worstRelative(grads[0], ref.dx)).toBeLessThanOrEqual(1);
  expect(worstRelative(grads[1], ref.dw)).toBeLessThanOrEqual(1);
  expect(worstRelative(grads[2], ref.db)).toBeLessThanOrEqual(1);
}

function randomSpec(rng: () => number, rank: number, transposed: boolean): ConvSpec {
  const groups = randInt(rng, 1, 2);
  const kernel = Array.from({ length: rank }, () => randInt(rng, 1, 3));
  const strides = kernel.map(() => randInt(rng, 1, 2));
  const dilation = kernel.map(() => randInt(rng, 1, 2));
  const inSize = kernel.map((k, i) => dilation[i] * (k - 1) + 1 + randInt(rng, 0, 3));
  // A transposed convolution's padding must leave a positive output.
  const padding = kernel.map((k, i) => (transposed && (inSize[i] - 1) * strides[i] + dilation[i] * (k - 1) < 2 ? 0 : randInt(rng, 0, 1)));
  return {
    batch: randInt(rng, 1, 2), inChannels: groups * randInt(rng, 1, 2), outChannels: groups * randInt(rng, 1, 2), inSize, kernel,
    strides, padding, dilation, groups, channelsLast: rng() > 0, ...(transposed ? { outputPadding: strides.map((s) => s - 1) } : {}),
  };
}

/** A fixed grouped, strided, dilated, padded 2-D spec (and its transposed twin with adj). */
function fixedSpec(transposed: boolean): ConvSpec {
  return {
    batch: 1, inChannels: 2, outChannels: 2, inSize: [3, 4], kernel: [2, 2], strides: [2, 1], padding: [1, 0], dilation: [1, 2], groups: 2,
    channelsLast: transposed, ...(transposed ? { outputPadding: [1, 0] } : {}),
  };
}

describe('nd.Convolution / nd.Deconvolution', () => {
  it('compute the documented examples', () => {
    expect(nd.Convolution(nd.array([[[1, 2, 3, 4]]]), nd.array([[[1, -1]]]), { kernel: [2], numFilter: 1 }).toArray())
      .toEqual([[[-1, -1, -1]]]);
    expect(nd.Deconvolution(nd.array([[[1, 2]]]), nd.array([[[1, 1]]]), { kernel: [2], stride: [2], numFilter: 1 }).toArray())
      .toEqual([[[1, 1, 2, 2]]]);
  });

  it('match the float64 reference forward and backward on random 1-D/2-D/3-D convolutions in both layouts', () => {
    const rng = makeRng(51);
    for (let t = 0; t < 24; t++) checkOp(randomSpec(rng, 1 + (t % 3), false), 100 + t);
  });

  it('match the float64 reference forward and backward on random transposed convolutions with adj', () => {
    const rng = makeRng(52);
    for (let t = 0; t < 24; t++) checkOp(randomSpec(rng, 1 + (t % 3), true), 200 + t);
  });

  it.each([false, true])('pass a finite-difference gradient check (transposed = %s)', (transposed) => {
    const p = fixedSpec(transposed);
    const rng = makeRng(53);
    const s = shapes(p);
    const inputs = [nd.array(randomArray(size(s.x), rng), { shape: s.x }), nd.array(randomArray(size(s.w), rng), { shape: s.w }),
      nd.array(randomArray(2, rng))];
    checkGradient(opOf(p), inputs, { reference64: (x, w, b) => convReference(p, x, w, b).out.value });
  });

  it('runs without a bias and with an empty batch', () => {
    const y = nd.Convolution(nd.zeros([0, 2, 5]), nd.ones([3, 2, 3]), undefined, { kernel: [3], numFilter: 3 });
    expect(y.shape).toEqual([0, 3, 3]);
    const z = nd.Deconvolution(nd.zeros([0, 4, 4]), nd.ones([4, 3, 1]), { kernel: [3], numFilter: 2, numGroup: 2, layout: 'NWC' });
    expect(z.shape).toEqual([0, 6, 2]);
  });

  it('Deconvolution uses a given bias although MXNet defaults no_bias to true', () => {
    const y = nd.Deconvolution(nd.array([[[1, 2]]]), nd.array([[[1, 1]]]), nd.array([10]), { kernel: [2], stride: [2], numFilter: 1 });
    expect(y.toArray()).toEqual([[[11, 11, 12, 12]]]);
  });

  it('Deconvolution derives pad and adj from targetShape, as MXNet', () => {
    // in 4, kernel 3, stride 2: at most 2·3 + 3 = 9; target 8 → excess 1 → pad 1, adj 1.
    const rng = makeRng(54);
    const x = nd.array(randomArray(2 * 4 * 4, rng), { shape: [1, 2, 4, 4] });
    const w = nd.array(randomArray(2 * 3 * 9, rng), { shape: [2, 3, 3, 3] });
    const target = nd.Deconvolution(x, w, { kernel: [3, 3], stride: [2, 2], numFilter: 3, targetShape: [8, 9], pad: [5, 5], adj: [0, 0] });
    const explicit = nd.Deconvolution(x, w, { kernel: [3, 3], stride: [2, 2], numFilter: 3, pad: [1, 0], adj: [1, 0] });
    expect(target.shape).toEqual([1, 3, 8, 9]);
    expect(target.toArray()).toEqual(explicit.toArray());
    // All zeros means "not given": pad and adj apply.
    expect(nd.Deconvolution(x, w, { kernel: [3, 3], numFilter: 3, targetShape: [0, 0], pad: [1, 1] }).shape).toEqual([1, 3, 4, 4]);
  });

  it('accept the GPU-only attributes and ignore them', () => {
    const x = nd.array([[[1, 2, 3, 4]]]);
    const plain = nd.Convolution(x, nd.array([[[1, -1]]]), { kernel: [2], numFilter: 1 });
    const tuned = nd.Convolution(x, nd.array([[[1, -1]]]), { kernel: [2], numFilter: 1, workspace: 8, cudnnTune: 'fastest', cudnnOff: true });
    expect(tuned.toArray()).toEqual(plain.toArray());
  });
});

/**
 * Second derivatives: g = ∂/∂v Σ r·tanh(op(x, w, b)) for v = x, w, b is computed with
 * createGraph and differentiated again; the float64 reference of g (the adjoints of the naive
 * convolution at dy = r·(1 − tanh²(out))) gives the finite differences.
 */
describe('second derivatives through Convolution and Deconvolution', () => {
  function firstDerivative(p: ConvSpec, wrt: number) {
    const s = shapes(p);
    const r = Float32Array.from(pseudoRandom(size(s.y), 7));
    const op = (x: NDArray, w: NDArray, b: NDArray): NDArray => {
      const head = nd.tanh(opOf(p)(x, w, b));
      return autograd.grad(head, [[x, w, b][wrt]], { createGraph: true, headGrads: nd.array(r, { shape: s.y }) })[0];
    };
    const reference64 = (x: Float64Array, w: Float64Array, b: Float64Array): Float64Array => {
      const out = convReference(p, x, w, b).out.value;
      const dy = out.map((v, i) => r[i] * (1 - Math.tanh(v) ** 2));
      const ref = convReference(p, x, w, b, dy);
      return [ref.dx, ref.dw, ref.db][wrt].value;
    };
    return { op, reference64, s };
  }

  it.each([
    [false, 0], [false, 1], [false, 2], [true, 0], [true, 1], [true, 2],
  ])('transposed = %s, derivative with respect to input %i', (transposed, wrt) => {
    const p = fixedSpec(transposed);
    const { op, reference64, s } = firstDerivative(p, wrt);
    const rng = makeRng(60 + wrt);
    const inputs = [nd.array(randomArray(size(s.x), rng), { shape: s.x }), nd.array(randomArray(size(s.w), rng), { shape: s.w }),
      nd.array(randomArray(p.outChannels, rng))];
    checkGradient(op, inputs, { reference64 });
  });

  it('gives a 3-D channels-last gradient penalty its exact gradient', () => {
    const p: ConvSpec = { batch: 2, inChannels: 2, outChannels: 4, inSize: [3, 2, 3], kernel: [2, 1, 2], strides: [1, 1, 2], padding: [1, 0, 1],
      dilation: [1, 1, 1], groups: 2, channelsLast: true };
    const { op, reference64, s } = firstDerivative(p, 0);
    const rng = makeRng(66);
    const inputs = [nd.array(randomArray(size(s.x), rng), { shape: s.x }), nd.array(randomArray(size(s.w), rng), { shape: s.w }),
      nd.array(randomArray(p.outChannels, rng))];
    checkGradient(op, inputs, { reference64 });
  });
});
