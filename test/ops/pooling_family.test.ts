/**
 * Sum and Lp pooling against a float64 reference, and the gradients of the pooling gradients
 * (second derivatives): G(x, w) = ∂(Σ w·Pooling(x))/∂x taken with createGraph through
 * `_backward_Pooling`, checked by central finite differences of the float64 reference gradient.
 */
import { NDArray, autograd, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { PoolSpec, poolOutSize, poolReference, worstRelative } from '../helpers/naive_layers';

const spec: PoolSpec = { batch: 1, channels: 2, inSize: [4, 5], poolSize: [2, 3], strides: [2, 1], padding: [1, 1], ceilMode: true, channelsLast: false };
const options = (poolType: 'max' | 'avg' | 'sum' | 'lp', pValue?: number): nd.PoolingOptions => ({
  kernel: spec.poolSize, stride: spec.strides, pad: spec.padding, poolingConvention: 'full', poolType, countIncludePad: false,
  ...(pValue === undefined ? {} : { pValue }),
});
const outShape = [1, 2, ...poolOutSize(spec)];
/** Positive data, so Lp's (Σ x^p)^(1/p) is real for every p (MXNet takes no absolute value). */
const positive = (seed: number, shape: number[]): NDArray => {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => 1 + 0.5 * v), { shape });
};

describe('nd.Pooling: sum and Lp', () => {
  it.each([['sum', undefined], ['lp', 1], ['lp', 2], ['lp', 3]] as const)('matches the float64 reference (%s, p = %s)', (kind, p) => {
    const x = positive(3, [1, 2, 4, 5]);
    const y = nd.Pooling(x, options(kind, p));
    expect(y.shape).toEqual(outShape);
    const ref = poolReference(spec, kind, false, x.toFloat32Array(), undefined, p ?? 1);
    expect(worstRelative(y.toFloat32Array(), ref.out)).toBeLessThanOrEqual(1);
  });

  it('computes the documented Lp example by hand', () => {
    // Windows [3, 4] and [0, 0]: sqrt(9 + 16) = 5, and 0.
    expect(nd.Pooling(nd.array([[[3, 4, 0, 0]]]), { kernel: [2], stride: [2], poolType: 'lp', pValue: 2 }).toArray()).toEqual([[[5, 0]]]);
  });

  it.each([['sum', undefined], ['lp', 2], ['lp', 3]] as const)('passes a finite-difference gradient check (%s, p = %s)', (kind, p) => {
    const x = positive(4, [1, 2, 4, 5]);
    checkGradient((a) => nd.Pooling(a, options(kind, p)), [x], { reference64: (a) => poolReference(spec, kind, false, a, undefined, p ?? 1).out.value });
  });
});

describe('second derivatives through Pooling', () => {
  it.each([['max', undefined], ['avg', undefined], ['sum', undefined], ['lp', 2], ['lp', 3]] as const)(
    'differentiates the gradient in the data and the head gradient (%s, p = %s)',
    (kind, p) => {
      const x = positive(5, [1, 2, 4, 5]);
      const w = nd.array(Float32Array.from(pseudoRandom(outShape.reduce((a, b) => a * b, 1), 6)), { shape: outShape });
      const gradient = (data: NDArray, head: NDArray): NDArray =>
        autograd.grad(nd.Pooling(data, options(kind, p)), [data], { headGrads: head, createGraph: true })[0];
      const reference = (data: Float64Array, head: Float64Array): Float64Array => poolReference(spec, kind, false, data, head, p ?? 1).dx.value;
      checkGradient(gradient, [x, w], { reference64: reference });
    },
  );
});
