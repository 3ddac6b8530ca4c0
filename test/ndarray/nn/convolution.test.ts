import { GluonError, NDArray, nd } from '../../../src';
import { checkGradient } from '../../helpers/gradient_check';
import { makeRng, randInt, randomArray } from '../../helpers/naive_dense';
import { ConvSpec, convOutSize, convReference, runWithGrads, worstRelative } from '../../helpers/naive_layers';

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

function options(p: ConvSpec): nd.DeconvolutionOpOptions {
  const rank = p.kernel.length;
  return {
    kernel: p.kernel, stride: p.strides, pad: p.padding, dilate: p.dilation, numFilter: p.outChannels, numGroup: p.groups,
    layout: LAYOUTS[rank - 1][p.channelsLast ? 1 : 0], ...(p.outputPadding ? { adj: p.outputPadding } : {}),
  };
}

const opOf = (p: ConvSpec) => (x: NDArray, w: NDArray, b?: NDArray): NDArray =>
  (p.outputPadding ? nd.Deconvolution : nd.Convolution)(x, w, b, options(p));

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

describe('nd.Convolution / nd.Deconvolution', () => {
  it('compute the documented examples', () => {
    expect(nd.Convolution(nd.array([[[1, 2, 3, 4]]]), nd.array([[[1, -1]]]), undefined, { kernel: [2], numFilter: 1 }).toArray())
      .toEqual([[[-1, -1, -1]]]);
    expect(nd.Deconvolution(nd.array([[[1, 2]]]), nd.array([[[1, 1]]]), undefined, { kernel: [2], stride: [2], numFilter: 1 }).toArray())
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
    const p: ConvSpec = { batch: 1, inChannels: 2, outChannels: 2, inSize: [3, 4], kernel: [2, 2], strides: [2, 1], padding: [1, 0],
      dilation: [1, 2], groups: 2, channelsLast: transposed, ...(transposed ? { outputPadding: [1, 0] } : {}) };
    const rng = makeRng(53);
    const s = shapes(p);
    const inputs = [nd.array(randomArray(size(s.x), rng), { shape: s.x }), nd.array(randomArray(size(s.w), rng), { shape: s.w }),
      nd.array(randomArray(2, rng))];
    checkGradient(opOf(p), inputs, { reference64: (x, w, b) => convReference(p, x, w, b).out.value });
  });

  it('runs without a bias and with an empty batch', () => {
    const y = nd.Convolution(nd.zeros([0, 2, 5]), nd.ones([3, 2, 3]), undefined, { kernel: [3], numFilter: 3 });
    expect(y.shape).toEqual([0, 3, 3]);
    const z = nd.Deconvolution(nd.zeros([0, 4, 4]), nd.ones([4, 3, 1]), undefined, { kernel: [3], numFilter: 2, numGroup: 2, layout: 'NWC' });
    expect(z.shape).toEqual([0, 6, 2]);
  });

  it('name the argument, what it expected and what it got', () => {
    const x = nd.ones([1, 4, 5, 5]);
    const conv = (opts: object, w: NDArray = nd.ones([6, 4, 3, 3]), data: NDArray = x, b?: NDArray) =>
      () => nd.Convolution(data, w, b, { kernel: [3, 3], numFilter: 6, ...opts });
    expect(() => nd.Convolution(x, nd.ones([6, 4, 3, 3]), undefined, undefined as never)).toThrow(
      'Convolution: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got undefined');
    expect(() => nd.Convolution(x, nd.ones([6, 4, 3, 3]), undefined, 5 as never)).toThrow('Convolution: expected an options object, but got number 5');
    expect(conv({}, nd.ones([6, 2, 3, 3]))).toThrow(new GluonError('Convolution: expected weight of shape (6, 4, 3, 3) for data of shape (1, 4, 5, 5), but got (6, 2, 3, 3)'));
    expect(conv({}, undefined, nd.ones([4, 5, 5]))).toThrow('Convolution: expected data of rank 4 (layout NCHW), but got shape (4, 5, 5)');
    expect(conv({ numGroup: 3 })).toThrow('Convolution: expected the input channels divisible by numGroup = 3, but got 4 channels in data of shape (1, 4, 5, 5)');
    expect(conv({ numGroup: 4, numFilter: 6 })).toThrow('Convolution: expected numFilter divisible by numGroup = 4, but got numFilter = 6');
    expect(conv({ kernel: [7, 3] })).toThrow('Convolution: expected the kernel to fit in the padded input along spatial dimension 0, but got kernel 7 (dilation 1, extent 7) > input 5 + 2*pad 0');
    expect(conv({ dilate: [1, 3] })).toThrow(/along spatial dimension 1, but got kernel 3 \(dilation 3, extent 7\) > input 5 \+ 2\*pad 0/);
    expect(conv({ layout: 'NCWH' })).toThrow("Convolution: expected layout 'NCHW' or 'NHWC' for 2 spatial dimension(s), but got string NCWH");
    expect(conv({ stride: [1, 0] })).toThrow('Convolution: expected stride to be 2 integers >= 1 (one per spatial dimension), but got [1, 0]');
    expect(conv({ pad: [-1, 0] })).toThrow('Convolution: expected pad to be 2 integers >= 0 (one per spatial dimension), but got [-1, 0]');
    expect(conv({ kernel: [] })).toThrow('Convolution: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got an array of length 0');
    expect(conv({}, undefined, x, nd.ones([5]))).toThrow('Convolution: expected bias of shape (6,), but got (5,)');
    const deconv = (opts: object) => () => nd.Deconvolution(nd.ones([1, 2, 3]), nd.ones([2, 1, 3]), undefined, { kernel: [3], numFilter: 1, ...opts });
    expect(deconv({ stride: [2], adj: [2] })).toThrow('Deconvolution: expected adj[0] < stride[0] = 2, but got 2');
    expect(deconv({ pad: [3] })).toThrow('Deconvolution: expected a positive output size along spatial dimension 0, but got -1 from input 3 with pad 3');
    expect(() => nd.Deconvolution(nd.ones([1, 1, 3]), nd.ones([1, 1, 1]), undefined, { kernel: [1], stride: [2e9], numFilter: 1 }))
      .toThrow('Deconvolution output: shape (1, 1, 4000000001) has 4000000001 elements, more than the 2147483647 an NDArray can hold');
    expect(deconv({ numFilter: 2 })).toThrow('Deconvolution: expected weight of shape (2, 2, 3) for data of shape (1, 2, 3), but got (2, 1, 3)');
  });
});
