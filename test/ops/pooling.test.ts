import { GluonError, NDArray, autograd, nd } from '../../src';
import { checkGradient } from '../helpers/gradient_check';
import { makeRng, randInt, randomArray } from '../helpers/naive_dense';
import { PoolSpec, poolOutSize, poolReference, runWithGrads, worstRelative } from '../helpers/naive_layers';

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);
const LAYOUTS = [['NCW', 'NWC'], ['NCHW', 'NHWC'], ['NCDHW', 'NDHWC']] as const;

const act = (p: PoolSpec, s: number[]): number[] => (p.channelsLast ? [p.batch, ...s, p.channels] : [p.batch, p.channels, ...s]);

function options(p: PoolSpec, poolType: 'max' | 'avg', countIncludePad: boolean): nd.PoolingOptions {
  return {
    kernel: p.poolSize, stride: p.strides, pad: p.padding, poolType, countIncludePad,
    poolingConvention: p.ceilMode ? 'full' : 'valid', layout: LAYOUTS[p.inSize.length - 1][p.channelsLast ? 1 : 0],
  };
}

function randomSpec(rng: () => number, rank: number): PoolSpec {
  const poolSize = Array.from({ length: rank }, () => randInt(rng, 1, 3));
  const padding = poolSize.map((k) => randInt(rng, 0, Math.floor(k / 2)));
  return {
    batch: randInt(rng, 1, 2), channels: randInt(rng, 1, 3), poolSize, padding, strides: poolSize.map(() => randInt(rng, 1, 3)),
    inSize: poolSize.map((k) => k + randInt(rng, 0, 4)), ceilMode: rng() > 0, channelsLast: rng() > 0,
  };
}

describe('nd.Pooling', () => {
  it('computes the documented example', () => {
    const y = nd.Pooling(nd.array([[[1, 3, 2, 5, 4]]]), { kernel: [2], stride: [2], poolingConvention: 'full' });
    expect(y.toArray()).toEqual([[[3, 5, 4]]]);
  });

  it('uses MXNet defaults: max pooling, stride 1, no padding, valid convention, count_include_pad', () => {
    expect(nd.Pooling(nd.array([[[1, 3, 2]]]), { kernel: [2] }).toArray()).toEqual([[[3, 3]]]);
    expect(nd.Pooling(nd.array([[[1, 3]]]), { kernel: [2], pad: [1], poolType: 'avg' }).toArray()).toEqual([[[0.5, 2, 1.5]]]);
  });

  it("keeps a last 'full' window that starts in the right padding (MXNet; PyTorch drops it)", () => {
    // in 4, kernel 2, stride 2, pad 1: 1 + ceil((4 + 2 - 2)/2) = 3 windows: [-1, 1), [1, 3), [3, 5).
    const y = nd.Pooling(nd.array([[[1, 2, 3, 4]]]), { kernel: [2], stride: [2], pad: [1], poolingConvention: 'full', poolType: 'avg' });
    expect(y.toArray()).toEqual([[[0.5, 2.5, 2]]]);
    const z = nd.Pooling(nd.array([[[1, 2, 3]]]), { kernel: [2], stride: [2], pad: [1], poolingConvention: 'full' });
    // Window [3, 5) holds no input value: −FLT_MAX, as MXNet.
    expect(z.toArray()).toEqual([[[1, 3, -3.4028234663852886e38]]]);
  });

  it('matches the float64 reference forward and backward on random max/avg windows in both layouts', () => {
    const rng = makeRng(61);
    for (let t = 0; t < 36; t++) {
      const p = randomSpec(rng, 1 + (t % 3));
      const x = randomArray(p.batch * p.channels * size(p.inSize), rng);
      const dy = randomArray(p.batch * p.channels * size(poolOutSize(p)), rng);
      for (const [kind, includePad] of [['max', true], ['avg', true], ['avg', false]] as const) {
        const { y, grads } = runWithGrads((a) => nd.Pooling(a, options(p, kind, includePad)), [nd.array(x, { shape: act(p, p.inSize) })], dy);
        expect(y.shape).toEqual(act(p, poolOutSize(p)));
        const ref = poolReference(p, kind, includePad, x, dy);
        expect(worstRelative(y.toFloat32Array(), ref.out)).toBeLessThanOrEqual(1);
        expect(worstRelative(grads[0], ref.dx)).toBeLessThanOrEqual(1);
      }
    }
  });

  it.each(['max', 'avg'] as const)('passes a finite-difference gradient check (%s)', (kind) => {
    const p: PoolSpec = { batch: 1, channels: 2, inSize: [4, 5], poolSize: [2, 3], strides: [2, 1], padding: [1, 1], ceilMode: true,
      channelsLast: false };
    const x = nd.array(randomArray(40, makeRng(62)), { shape: [1, 2, 4, 5] });
    checkGradient((a) => nd.Pooling(a, options(p, kind, false)), [x], { reference64: (a) => poolReference(p, kind, false, a).out.value });
  });

  it.each([false, true])('pools globally over every position (channelsLast = %s)', (channelsLast) => {
    const p: PoolSpec = { batch: 2, channels: 3, inSize: [2, 3], poolSize: [2, 3], strides: [1, 1], padding: [0, 0], ceilMode: false, channelsLast };
    const rng = makeRng(63);
    const x = randomArray(36, rng), dy = randomArray(6, rng);
    for (const kind of ['max', 'avg'] as const) {
      const layout = channelsLast ? 'NHWC' : 'NCHW';
      const { y, grads } = runWithGrads((a) => nd.Pooling(a, { globalPool: true, poolType: kind, layout }), [nd.array(x, { shape: act(p, p.inSize) })], dy);
      expect(y.shape).toEqual(act(p, [1, 1]));
      const ref = poolReference(p, kind, true, x, dy);
      expect(worstRelative(y.toFloat32Array(), ref.out)).toBeLessThanOrEqual(1);
      expect(worstRelative(grads[0], ref.dx)).toBeLessThanOrEqual(1);
    }
    // Without kernel or layout the rank comes from the data; kernel, stride and pad are ignored.
    expect(nd.Pooling(nd.ones([1, 2, 3, 4, 5]), { globalPool: true }).shape).toEqual([1, 2, 1, 1, 1]);
    expect(nd.Pooling(nd.ones([1, 2, 3]), { globalPool: true, kernel: [9], pad: [4] }).shape).toEqual([1, 2, 1]);
  });

  it('keeps no argmax when nothing needs a gradient, and never mutates its input', () => {
    const x = nd.array([[[4, 1, 2, 3]]]);
    const y = autograd.record(() => nd.Pooling(x, { kernel: [2], stride: [2] }));
    expect(y.tapeNode).toBeUndefined();
    expect(x.toArray()).toEqual([[[4, 1, 2, 3]]]);
  });

  it('names the argument, what it expected and what it got', () => {
    const x = nd.ones([1, 2, 4, 4]);
    const pool = (opts: object, data: NDArray = x) => () => nd.Pooling(data, opts as nd.PoolingOptions);
    expect(pool({ kernel: [5, 2] })).toThrow(new GluonError('Pooling: expected the pooling window to fit in the padded input along spatial dimension 0, but got kernel 5 > input 4 + 2*pad 0'));
    expect(pool({ kernel: [5, 2], pad: [1, 0] })).not.toThrow();
    expect(pool({ kernel: [2, 2] }, nd.ones([2, 4, 4, 1, 1]))).toThrow('Pooling: expected data of rank 4 (layout NCHW), but got shape (2, 4, 4, 1, 1)');
    expect(pool({})).toThrow('Pooling: expected kernel to have 1, 2 or 3 values (one per spatial dimension), but got ()');
    expect(pool({ kernel: [2, 2], poolType: 'median' })).toThrow("Pooling: expected poolType to be one of 'max', 'avg', 'sum', 'lp', but got the string 'median'");
    expect(pool({ kernel: [2, 2], poolingConvention: 'same' })).toThrow("Pooling: expected data of rank 3 with poolingConvention 'same' (MXNet pools 'same' in 1-D only), but got shape (1, 2, 4, 4)");
    expect(pool({ kernel: [2, 2], stride: [0, 1] })).toThrow('Pooling: expected stride to be a tuple of integers >= 1, but got [0, 1]');
    expect(pool({ kernel: [2, 2], countIncludePad: 'yes' })).toThrow('Pooling: expected countIncludePad to be None or true or false, but got the string \'yes\'');
    expect(pool({ kernel: [1], pad: [2e9] }, nd.ones([1, 1, 2]))).toThrow(/^Pooling output: shape \(1, 1, 4000000002\) has 4000000002 elements, more than/);
    expect(pool({ globalPool: true }, nd.ones([2, 3]))).toThrow('Pooling: expected data of rank 3, 4 or 5 (NCW, NCHW, NCDHW), but got shape (2, 3)');
    expect(pool({ kernel: [2, 2], poolType: 'lp' })).toThrow("Pooling: expected pValue to be 1, 2 or 3 with poolType 'lp' (MXNet computes no other p), but got none");
    expect(pool({ kernel: [2, 2], bogus: 1 })).toThrow("Pooling: expected options among kernel, poolType, globalPool, cudnnOff, poolingConvention, stride, pad, pValue, countIncludePad, layout, but got unknown option 'bogus'");
    expect(pool({ kernel: [2, 2], layout: 'NWC' })).toThrow("Pooling: expected layout 'NCHW' or 'NHWC' for 2 spatial dimension(s), but got the string 'NWC'");
  });
});
