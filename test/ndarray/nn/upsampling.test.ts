import { GluonError, NDArray, autograd, nd } from '../../../src';
import { checkGradient } from '../../helpers/gradient_check';
import { makeRng, randomArray, ravel, sizeOf, unravel } from '../../helpers/naive_ops';

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

describe('nd.UpSampling: errors', () => {
  const x = nd.zeros([1, 2, 3, 3]);
  it('checks data and the options object', () => {
    expect(() => nd.UpSampling({} as NDArray, nearest(2))).toThrow(GluonError);
    expect(() => nd.UpSampling({} as NDArray, nearest(2))).toThrow('UpSampling: expected data to be an NDArray, but got an object (Object)');
    // Untyped callers (plain JavaScript) can pass anything: call through Reflect to do the same.
    expect(() => Reflect.apply(nd.UpSampling, undefined, [x, 2])).toThrow('UpSampling: expected an options object, but got number 2');
  });

  it('checks the scale', () => {
    expect(() => nd.UpSampling(x, nearest(0))).toThrow('UpSampling: expected scale to be an integer >= 1, but got number 0');
    expect(() => nd.UpSampling(x, nearest(1.5))).toThrow(/expected scale to be an integer >= 1, but got number 1.5/);
    expect(() => nd.UpSampling(x, { sampleType: 'nearest' } as nd.UpSamplingOpOptions)).toThrow(/expected scale .* but got undefined/);
  });

  it("rejects 'bilinear' (it needs a weight) and unknown sample types", () => {
    expect(() => nd.UpSampling(x, { scale: 2, sampleType: 'bilinear' })).toThrow(GluonError);
    expect(() => nd.UpSampling(x, { scale: 2, sampleType: 'bilinear' })).toThrow(
      /expected sampleType 'nearest', but got 'bilinear'.*needs a weight input; use sampleType 'nearest'/,
    );
    expect(() => nd.UpSampling(x, { scale: 2, sampleType: 'cubic' as nd.UpSamplingSampleType })).toThrow(
      "UpSampling: expected sampleType to be 'nearest', but got 'cubic'",
    );
    expect(() => nd.UpSampling(x, { scale: 2 } as nd.UpSamplingOpOptions)).toThrow("expected sampleType to be 'nearest', but got undefined");
  });

  it('checks the rank and the output size', () => {
    expect(() => nd.UpSampling(nd.zeros([2, 3, 4]), nearest(2))).toThrow(
      'UpSampling: expected data of rank 4 (N, C, H, W), but got shape (2, 3, 4)',
    );
    expect(() => nd.UpSampling(nd.zeros([1, 1, 2, 2]), nearest(2 ** 20))).toThrow(/UpSampling: shape \(1, 1, 2097152, 2097152\) has .* more than/);
  });
});
