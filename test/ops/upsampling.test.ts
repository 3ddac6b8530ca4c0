import { GluonError, NDArray, autograd, init, nd, nn, sym } from '../../src';
import { nd as ndOps } from '../../src/ops/nd';
import { runInto } from '../../src/ops/run_into';
import { UPSAMPLING_GRAD } from '../../src/ops/upsampling';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { makeRng, randomArray, ravel, sizeOf, unravel } from '../helpers/naive_ops';

/** Nearest upsampling by index arithmetic: output (n, c, i, j) reads input (n, c, ⌊i/s⌋, ⌊j/s⌋). */
function naiveUpSampling(xs: ArrayLike<number>, shape: number[], s: number): { shape: number[]; data: Float64Array } {
  const outShape = [shape[0], shape[1], shape[2] * s, shape[3] * s];
  const data = new Float64Array(sizeOf(outShape));
  for (let f = 0; f < data.length; f++) {
    const [n, c, i, j] = unravel(f, outShape);
    data[f] = xs[ravel([n, c, Math.floor(i / s), Math.floor(j / s)], shape)];
  }
  return { shape: outShape, data };
}

/** Its transpose: every output gradient scattered (added) onto the input element it was read from. */
function naiveUpSamplingGrad(dy: ArrayLike<number>, shape: number[], s: number): Float64Array {
  const outShape = [shape[0], shape[1], shape[2] * s, shape[3] * s];
  const dx = new Float64Array(sizeOf(shape));
  for (let f = 0; f < dy.length; f++) {
    const [n, c, i, j] = unravel(f, outShape);
    dx[ravel([n, c, Math.floor(i / s), Math.floor(j / s)], shape)] += dy[f];
  }
  return dx;
}

const nearest = (scale: number) => ({ scale, sampleType: 'nearest' as const });

describe('nd.UpSampling: forward against index arithmetic', () => {
  it.each([
    [[2, 3, 4, 5], 2],
    [[1, 2, 3, 3], 3],
    [[2, 1, 1, 4], 4],
    [[1, 3, 5, 2], 1],
  ])('shape %j, scale %i', (shape, scale) => {
    const x = randomArray(makeRng(1), shape);
    const y = nd.UpSampling(x, nearest(scale));
    const expected = naiveUpSampling(x.toFloat32Array(), shape, scale);
    expect(y.shape).toEqual(expected.shape);
    expect(Array.from(y.toFloat32Array())).toEqual(Array.from(expected.data));
  });

  it('reproduces the doc example', () => {
    expect(nd.UpSampling(nd.array([[[[1, 2], [3, 4]]]]), nearest(2)).toArray()).toEqual([
      [[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]],
    ]);
  });

  it('handles empty batches and empty planes', () => {
    expect(nd.UpSampling(nd.zeros([0, 2, 3, 3]), nearest(2)).shape).toEqual([0, 2, 6, 6]);
    expect(nd.UpSampling(nd.zeros([1, 2, 0, 3]), nearest(3)).shape).toEqual([1, 2, 0, 9]);
  });

  it('does not mutate its input, and copies it even for scale 1', () => {
    const x = nd.array([[[[1, 2], [3, 4]]]]);
    const y = nd.UpSampling(x, nearest(1));
    expect(y.data).not.toBe(x.data);
    nd.UpSampling(x, nearest(2));
    expect(x.toArray()).toEqual([[[[1, 2], [3, 4]]]]);
  });
});

describe('nd.UpSampling: backward', () => {
  it.each([
    [[1, 2, 3, 4], 2],
    [[2, 1, 2, 3], 3],
  ])('shape %j, scale %i matches central differences', (shape, scale) => {
    checkGradient((x) => nd.UpSampling(x, nearest(scale)), [randomArray(makeRng(2), shape)], {
      reference64: (x) => naiveUpSampling(x, shape, scale).data,
    });
  });

  it('sums the output gradients of each scale×scale block', () => {
    const shape = [2, 3, 3, 2];
    const x = randomArray(makeRng(3), shape);
    x.attachGrad();
    const y = autograd.record(() => nd.UpSampling(x, nearest(3)));
    const head = randomArray(makeRng(4), y.shape.slice());
    y.backward(head);
    const expected = naiveUpSamplingGrad(head.toFloat32Array(), shape, 3);
    const actual = x.grad?.toFloat32Array() ?? new Float32Array();
    expect(actual.length).toBe(expected.length);
    expected.forEach((value, k) => expect(actual[k]).toBeCloseTo(value, 5));
  });

  it('gives a block of ones scale² each', () => {
    const x = nd.array([[[[5, 6]]]]);
    x.attachGrad();
    autograd.record(() => nd.UpSampling(x, nearest(2))).backward();
    expect(x.grad?.toArray()).toEqual([[[[4, 4]]]]);
  });
});

/** Several inputs, each upsampled to the first one's size × scale, concatenated along C or summed (MXNet's num_args > 1). */
function naiveMulti(xs: ArrayLike<number>[], shapes: number[][], scale: number, mode: 'concat' | 'sum'): { shape: number[]; data: Float64Array } {
  const [n, , h, w] = shapes[0];
  const [oh, ow] = [h * scale, w * scale];
  const channels = mode === 'sum' ? shapes[0][1] : shapes.reduce((t, s) => t + s[1], 0);
  const shape = [n, channels, oh, ow];
  const data = new Float64Array(sizeOf(shape));
  let begin = 0;
  xs.forEach((x, i) => {
    const s = oh / shapes[i][2];
    const up = naiveUpSampling(x, shapes[i], s);
    for (let f = 0; f < up.data.length; f++) {
      const [b, c, y, xx] = unravel(f, up.shape);
      data[ravel([b, c + (mode === 'sum' ? 0 : begin), y, xx], shape)] += up.data[f];
    }
    begin += shapes[i][1];
  });
  return { shape, data };
}

/** MXNet's bilinear UpSampling by definition: the grouped transposed convolution, in float64. */
function naiveBilinear(x: ArrayLike<number>, shape: number[], weight: ArrayLike<number>, s: number, head?: ArrayLike<number>) {
  const [n, c, h, w] = shape;
  const [k, p] = [2 * s - (s % 2), Math.ceil((s - 1) / 2)];
  const outShape = [n, c, h * s, w * s];
  const out = new Float64Array(sizeOf(outShape));
  const dx = new Float64Array(sizeOf(shape));
  const dw = new Float64Array(c * k * k);
  for (let f = 0; f < dx.length; f++) {
    const [b, ch, iy, ix] = unravel(f, shape);
    for (let ky = 0; ky < k; ky++) {
      for (let kx = 0; kx < k; kx++) {
        const [oy, ox] = [iy * s - p + ky, ix * s - p + kx];
        if (oy < 0 || oy >= h * s || ox < 0 || ox >= w * s) continue;
        const [o, wk] = [ravel([b, ch, oy, ox], outShape), (ch * k + ky) * k + kx];
        out[o] += x[f] * weight[wk];
        if (head !== undefined) {
          dx[f] += head[o] * weight[wk];
          dw[wk] += head[o] * x[f];
        }
      }
    }
  }
  return { shape: outShape, out, dx, dw };
}

const randomOf = (seed: number, shape: number[]): NDArray => randomArray(makeRng(seed), shape);
const headOf = (seed: number, shape: number[]): NDArray => nd.array(Float32Array.from(pseudoRandom(sizeOf(shape), seed)), { shape });

describe('nd.UpSampling: several inputs (nearest)', () => {
  const shapes = [[2, 2, 2, 2], [2, 1, 1, 1], [2, 3, 4, 4]];
  it.each(['concat', 'sum'] as const)("upsamples each to arg0's size × scale and joins them (%s)", (mode) => {
    const sumShapes = shapes.map((s) => [s[0], 2, s[2], s[3]]);
    const used = mode === 'sum' ? sumShapes : shapes;
    const xs = used.map((s, i) => randomOf(10 + i, s));
    const y = nd.UpSampling(xs[0], xs[1], xs[2], { scale: 2, sampleType: 'nearest', multiInputMode: mode });
    const expected = naiveMulti(xs.map((x) => x.toFloat32Array()), used, 2, mode);
    expect(y.shape).toEqual(expected.shape);
    if (mode === 'concat') expect(Array.from(y.toFloat32Array())).toEqual(Array.from(expected.data, Math.fround));
    // 'sum' adds in float32, as MXNet: two roundings of terms below 3 in magnitude.
    else y.toFloat32Array().forEach((v, i) => expect(Math.abs(v - expected.data[i])).toBeLessThanOrEqual(9 * 2 ** -23));
  });

  it.each(['concat', 'sum'] as const)('matches central differences in every input (%s)', (mode) => {
    const used = mode === 'sum' ? [[1, 2, 2, 2], [1, 2, 1, 1]] : [[1, 1, 2, 2], [1, 2, 1, 1]];
    checkGradient((a, b) => nd.UpSampling(a, b, { scale: 2, sampleType: 'nearest', multiInputMode: mode }), used.map((s, i) => randomOf(20 + i, s)), {
      reference64: (a, b) => naiveMulti([a, b], used, 2, mode).data,
    });
  });

  it('differentiates the gradients again (second derivatives, concat)', () => {
    const used = [[1, 1, 2, 2], [1, 2, 1, 1]];
    const outShape = [1, 3, 4, 4];
    const gradient = (which: number) => (a: NDArray, b: NDArray, head: NDArray): NDArray =>
      autograd.grad(nd.UpSampling(a, b, { scale: 2, sampleType: 'nearest' }), [a, b], { headGrads: head, createGraph: true })[which];
    const reference = (which: number) => (_a: Float64Array, _b: Float64Array, head: Float64Array): Float64Array => {
      const channel = which === 0 ? [0, 1] : [1, 3];
      const part = head.filter((_, f) => unravel(f, outShape)[1] >= channel[0] && unravel(f, outShape)[1] < channel[1]);
      return naiveUpSamplingGrad(part, used[which], which === 0 ? 2 : 4);
    };
    const inputs = [randomOf(30, used[0]), randomOf(31, used[1]), headOf(32, outShape)];
    checkGradient(gradient(0), inputs, { reference64: reference(0) });
    checkGradient(gradient(1), inputs, { reference64: reference(1) });
  });
});

describe('nd.UpSampling: second derivatives (nearest)', () => {
  it('differentiates the gradient in the data and the head gradient', () => {
    const shape = [1, 2, 2, 3];
    const gradient = (x: NDArray, head: NDArray): NDArray =>
      autograd.grad(nd.UpSampling(x, { scale: 3, sampleType: 'nearest' }), [x], { headGrads: head, createGraph: true })[0];
    checkGradient(gradient, [randomOf(40, shape), headOf(41, [1, 2, 6, 9])], { reference64: (_x, head) => naiveUpSamplingGrad(head, shape, 3) });
  });
});

describe('nd.UpSampling: bilinear (a grouped Deconvolution)', () => {
  const bilinear = (scale: number, numFilter: number) => ({ scale, sampleType: 'bilinear' as const, numFilter });

  it("reproduces MXNet's documented example", () => {
    const y = nd.UpSampling(nd.ones([1, 1, 3, 3]), nd.ones([1, 1, 4, 4]), bilinear(2, 1));
    const edge = [1, 2, 2, 2, 2, 1];
    const inner = [2, 4, 4, 4, 4, 2];
    expect(y.toArray()).toEqual([[[edge, inner, inner, inner, inner, edge]]]);
  });

  it('interpolates with the init.Bilinear kernel as MXNet (edges not renormalized)', () => {
    const weight = new init.Bilinear().initialize('up_weight', [1, 1, 4, 4]);
    const y = nd.UpSampling(nd.array([[[[1, 2], [3, 4]]]]), weight, bilinear(2, 1));
    // 1-D kernel [0.25, 0.75, 0.75, 0.25], stride 2, pad 1: [a, b] → [0.75a, 0.75a + 0.25b, 0.25a + 0.75b, 0.75b]
    // along each axis (worked by hand: rows [1, 2] → [0.75, 1.25, 1.75, 1.5] and [3, 4] → [2.25, 3.25, 3.75, 3], then columns).
    expect(y.toArray()).toEqual([[[
      [0.5625, 0.9375, 1.3125, 1.125],
      [1.125, 1.75, 2.25, 1.875],
      [1.875, 2.75, 3.25, 2.625],
      [1.6875, 2.4375, 2.8125, 2.25],
    ]]]);
  });

  it.each([[2, [2, 3, 3, 4]], [3, [1, 2, 2, 3]], [1, [1, 2, 3, 2]], [4, [1, 1, 2, 2]]])(
    'matches the float64 grouped deconvolution (scale %i, data %j)',
    (scale, shape) => {
      const k = 2 * scale - (scale % 2);
      const x = randomOf(50, shape);
      const w = randomOf(51, [shape[1], 1, k, k]);
      const y = nd.UpSampling(x, w, bilinear(scale, shape[1]));
      const ref = naiveBilinear(x.toFloat32Array(), shape, w.toFloat32Array(), scale);
      expect(y.shape).toEqual(ref.shape);
      y.toFloat32Array().forEach((v, i) => expect(Math.abs(v - ref.out[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(ref.out[i]))));
    },
  );

  it('matches central differences in the data and the weight', () => {
    const shape = [1, 2, 2, 3];
    checkGradient((x, w) => nd.UpSampling(x, w, bilinear(2, 2)), [randomOf(52, shape), randomOf(53, [2, 1, 4, 4])], {
      reference64: (x, w) => naiveBilinear(x, shape, w, 2).out,
    });
  });

  it('differentiates the data gradient again (second derivatives)', () => {
    const shape = [1, 2, 2, 2];
    const gradient = (x: NDArray, w: NDArray, head: NDArray): NDArray =>
      autograd.grad(nd.UpSampling(x, w, bilinear(3, 2)), [x], { headGrads: head, createGraph: true })[0];
    const inputs = [randomOf(54, shape), randomOf(55, [2, 1, 5, 5]), headOf(56, [1, 2, 6, 6])];
    checkGradient(gradient, inputs, { reference64: (x, w, head) => naiveBilinear(x, shape, w, 3, head).dx });
    const weightGradient = (x: NDArray, w: NDArray, head: NDArray): NDArray =>
      autograd.grad(nd.UpSampling(x, w, bilinear(3, 2)), [w], { headGrads: head, createGraph: true })[0];
    checkGradient(weightGradient, inputs, { reference64: (x, w, head) => naiveBilinear(x, shape, w, 3, head).dw });
  });
});

describe('sym.UpSampling', () => {
  it("writes MXNet's attribute strings (num_args from the inputs) and round-trips", () => {
    const y = sym.UpSampling(sym.var('a'), sym.var('b'), { scale: 2, sampleType: 'nearest', multiInputMode: 'sum', name: 'up' });
    const text = y.toJson();
    expect(text).toContain('"op": "UpSampling"');
    for (const attr of ['"scale": "2"', '"sample_type": "nearest"', '"multi_input_mode": "sum"', '"num_args": "2"']) expect(text).toContain(attr);
    expect(sym.loadJson(text).toJson()).toBe(text);
    expect(y.inferShape({ a: [1, 3, 4, 4], b: [1, 3, 2, 2] }).outShapes).toEqual([[1, 3, 8, 8]]);
  });

  it('infers the bilinear weight as (C, 1, k, k), creating it when absent', () => {
    const y = sym.UpSampling(sym.var('data'), { scale: 3, sampleType: 'bilinear', numFilter: 4, name: 'up' });
    expect(y.listArguments()).toEqual(['data', 'up_weight']);
    expect(y.inferShape({ data: [2, 4, 5, 6] })).toEqual({ argShapes: [[2, 4, 5, 6], [4, 1, 5, 5]], outShapes: [[2, 4, 15, 18]], auxShapes: [] });
    expect(y.toJson()).toContain('"num_filter": "4"');
  });

  it('runs hybridized as imperatively, gradients included', () => {
    class Up extends nn.HybridBlock {
      override hybridForward(F: nn.HybridF, a: nn.Tensor, b: nn.Tensor): nn.Tensor {
        return F.UpSampling(a, b, { scale: 2, sampleType: 'nearest' });
      }
    }
    const inputs = () => [randomOf(60, [1, 2, 2, 2]), randomOf(61, [1, 1, 1, 1])];
    const run = (block: Up) => {
      const xs = inputs();
      xs.forEach((x) => x.attachGrad());
      const y = autograd.record(() => block(...xs) as NDArray);
      y.backward(headOf(62, y.shape.slice()));
      return [y, ...xs.map((x) => x.grad as NDArray)].map((a) => Array.from(a.data));
    };
    const hybrid = new Up();
    hybrid.hybridize();
    expect(run(hybrid)).toEqual(run(new Up()));
  });
});

describe('nd.UpSampling: errors', () => {
  const x = nd.zeros([1, 2, 3, 3]);
  it('checks the inputs', () => {
    expect(() => nd.UpSampling({} as NDArray, nearest(2))).toThrow(GluonError);
    expect(() => nd.UpSampling({} as NDArray, nearest(2))).toThrow('UpSampling: expected arg0 to be an NDArray, but got an object (Object)');
    expect(() => nd.UpSampling(x, x, { ...nearest(2), numArgs: 1 })).toThrow(
      'UpSampling: UpSampling takes 1 input(s) (arg0) with these options, but got 2 (options go last, in one object)',
    );
    expect(() => nd.UpSampling(x, { scale: 2, sampleType: 'bilinear', numFilter: 2 })).toThrow('UpSampling: expected weight to be an NDArray, but got none');
  });

  it('checks the scale', () => {
    expect(() => nd.UpSampling(x, nearest(0))).toThrow('UpSampling: expected scale to be an integer >= 1, but got the number 0');
    expect(() => nd.UpSampling(x, nearest(1.5))).toThrow(/expected scale to be an integer >= 1, but got the number 1.5/);
    expect(() => nd.UpSampling(x, { sampleType: 'nearest' } as nd.UpSamplingOptions)).toThrow('UpSampling: expected scale (an integer >= 1), a required option, but got none');
    expect(() => nd.UpSampling(x, nearest(1001))).toThrow("UpSampling: expected scale to be an integer in [1, 1000] (MXNet's range), but got 1001");
  });

  it('checks sampleType and multiInputMode', () => {
    expect(() => nd.UpSampling(x, { scale: 2, sampleType: 'cubic' as nd.UpSamplingSampleType })).toThrow(
      "UpSampling: expected sampleType to be one of 'nearest', 'bilinear', but got the string 'cubic'",
    );
    expect(() => nd.UpSampling(x, { scale: 2 } as nd.UpSamplingOptions)).toThrow(
      "UpSampling: expected sampleType (one of 'nearest', 'bilinear'), a required option, but got none",
    );
    expect(() => nd.UpSampling(x, { ...nearest(2), multiInputMode: 'max' as 'sum' })).toThrow(
      "UpSampling: expected multiInputMode to be one of 'concat', 'sum', but got the string 'max'",
    );
  });

  it('checks the shapes of nearest inputs', () => {
    expect(() => nd.UpSampling(nd.zeros([2, 3, 4]), nearest(2))).toThrow('UpSampling: expected arg0 of rank 4 (N, C, H, W), but got shape (2, 3, 4)');
    expect(() => nd.UpSampling(x, nd.zeros([2, 2, 3, 3]), nearest(2))).toThrow(
      'UpSampling: expected arg1 to have batch size 1 (as arg0), but got shape (2, 2, 3, 3)',
    );
    expect(() => nd.UpSampling(x, nd.zeros([1, 3, 3, 3]), { ...nearest(2), multiInputMode: 'sum' })).toThrow(
      "UpSampling: expected arg1 to have 2 channels (as arg0: multiInputMode 'sum' adds the inputs), but got shape (1, 3, 3, 3)",
    );
    expect(() => nd.UpSampling(x, nd.zeros([1, 1, 4, 4]), nearest(2))).toThrow(
      "UpSampling: expected arg1's height and width to divide the output's (6, 6) by one integer factor, but got arg1 of shape (1, 1, 4, 4)",
    );
    expect(() => nd.UpSampling(x, nd.zeros([1, 1, 1, 2]), nearest(2))).toThrow(/expected arg1's height and width .* but got arg1 of shape \(1, 1, 1, 2\)/);
    expect(() => nd.UpSampling(nd.zeros([1, 1, 50, 50]), nearest(1000))).toThrow(/UpSampling output: shape \(1, 1, 50000, 50000\) has .* more than/);
  });

  it('checks bilinear data, numFilter and weight', () => {
    const w = nd.zeros([2, 1, 4, 4]);
    const bilinear = { scale: 2, sampleType: 'bilinear' as const, numFilter: 2 };
    expect(() => nd.UpSampling(nd.zeros([2, 3, 4]), w, bilinear)).toThrow('UpSampling: expected data of rank 4 (N, C, H, W), but got shape (2, 3, 4)');
    expect(() => nd.UpSampling(nd.zeros([1, 3, 2, 2]), w, bilinear)).toThrow(
      'UpSampling: expected numFilter to equal the channels of data (bilinear upsampling filters each channel alone), but got numFilter 2 for data of shape (1, 3, 2, 2)',
    );
    expect(() => nd.UpSampling(x, w, { ...bilinear, numFilter: undefined })).toThrow(/but got numFilter 0 for data of shape \(1, 2, 3, 3\)/);
    expect(() => nd.UpSampling(x, nd.zeros([2, 1, 3, 3]), bilinear)).toThrow('UpSampling: expected weight of shape (2, 1, 4, 4) for data of shape (1, 2, 3, 3), but got (2, 1, 3, 3)');
  });

  it('_backward_UpSampling is for nearest upsampling and checks ograd', () => {
    expect(() => runInto(ndOps, UPSAMPLING_GRAD, [nd.zeros([1, 2, 6, 6]), x], { scale: 2, sampleType: 'bilinear' })).toThrow(
      "_backward_UpSampling: expected sampleType 'nearest' (the gradient of bilinear upsampling is Deconvolution's), but got 'bilinear'",
    );
    expect(() => runInto(ndOps, UPSAMPLING_GRAD, [nd.zeros([1, 2, 6, 5]), x], nearest(2))).toThrow(
      '_backward_UpSampling: expected ograd of shape (1, 2, 6, 6) for data of shape (1, 2, 3, 3), but got (1, 2, 6, 5)',
    );
    expect(runInto(ndOps, UPSAMPLING_GRAD, [nd.ones([1, 2, 6, 6]), x], nearest(2)).toArray()).toEqual(nd.full([1, 2, 3, 3], 4).toArray());
  });
});
