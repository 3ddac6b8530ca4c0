import { GluonError, autograd, nd, nn } from '../../src';
import { expectClose, layerCases, runLayerCase } from '../helpers/layer_fixtures';

const POOL_LAYERS = [
  'MaxPool1D', 'MaxPool2D', 'MaxPool3D', 'AvgPool1D', 'AvgPool2D', 'AvgPool3D',
  'GlobalMaxPool1D', 'GlobalMaxPool2D', 'GlobalAvgPool2D', 'GlobalAvgPool3D',
];

describe('pooling layers against PyTorch (forward and gradients, both layouts)', () => {
  it.each(layerCases(...POOL_LAYERS).map((c) => [c.name, c]))('%s', (_, c) => {
    const { layer, y, grads } = runLayerCase(c);
    expect(layer.constructor.name).toBe(c.layer);
    expect(y.shape).toEqual(c.y_shape);
    expectClose(y.toFloat32Array(), c.y);
    expectClose(grads.x, c.grads.x);
  });
});

describe('pooling layers', () => {
  it('use Gluon 1.9 defaults (window 2, strides = poolSize) and print as Gluon', () => {
    const pool = new nn.MaxPool2D();
    expect(pool.toString()).toBe('MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCHW)');
    expect(new nn.AvgPool1D({ poolSize: 3, padding: 1, ceilMode: true, layout: 'NWC' }).toString())
      .toBe('AvgPool1D(size=(3,), stride=(3,), padding=(1,), ceil_mode=True, global_pool=False, pool_type=avg, layout=NWC)');
    expect(new nn.MaxPool3D({ poolSize: [1, 2, 2], strides: 1 }).toString())
      .toBe('MaxPool3D(size=(1, 2, 2), stride=(1, 1, 1), padding=(0, 0, 0), ceil_mode=False, global_pool=False, pool_type=max, layout=NCDHW)');
    expect(new nn.GlobalAvgPool2D({ layout: 'NHWC' }).toString())
      .toBe('GlobalAvgPool2D(size=(1, 1), stride=(1, 1), padding=(0, 0), ceil_mode=True, global_pool=True, pool_type=avg, layout=NHWC)');
    expect(pool(nd.ones([1, 6, 24, 24])).shape).toEqual([1, 6, 12, 12]);
  });

  it('are named pool<N>_, have no parameters and need no initialize()', () => {
    const pool = new nn.AvgPool2D();
    expect(pool.prefix).toMatch(/^pool\d+_$/);
    expect(new nn.GlobalMaxPool3D().prefix).toMatch(/^pool\d+_$/);
    expect(pool.collectParams().size).toBe(0);
    expect(pool(nd.array([[[[1, 3], [5, 7]]]])).toArray()).toEqual([[[[4]]]]);
  });

  it('count the padding in the average unless countIncludePad is false', () => {
    const x = nd.ones([1, 1, 4, 4]);
    const incl = new nn.AvgPool2D({ poolSize: 3, strides: 1, padding: 1 });
    const excl = new nn.AvgPool2D({ poolSize: 3, strides: 1, padding: 1, countIncludePad: false });
    expect((incl(x).toArray() as number[][][][])[0][0][0]).toEqual([4 / 9, 6 / 9, 6 / 9, 4 / 9].map(Math.fround));
    expect(excl(x).toFloat32Array().every((v) => v === 1)).toBe(true);
  });

  it('route max-pooling gradients to the maxima and spread global-average ones evenly', () => {
    const x = nd.array([[[[1, 9], [4, 2]]]]);
    x.attachGrad();
    autograd.record(() => new nn.MaxPool2D()(x)).backward(nd.array([[[[5]]]]));
    expect(x.grad?.toArray()).toEqual([[[[0, 5], [0, 0]]]]);
    autograd.record(() => new nn.GlobalAvgPool2D()(x)).backward(nd.array([[[[8]]]]));
    expect(x.grad?.toArray()).toEqual([[[[2, 2], [2, 2]]]]);
  });

  it('name the layer, the option and the values for bad arguments and inputs', () => {
    expect(() => new nn.MaxPool2D({ poolSize: 0 })).toThrow(/^pool\d+: expected poolSize to be an integer >= 1 or a list of 2 such integers, but got the number 0$/);
    expect(() => new nn.MaxPool2D({ poolSize: [2, 2, 2] })).toThrow(/expected poolSize to be an integer >= 1 or a list of 2 such integers, but got \[2, 2, 2\]/);
    expect(() => new nn.AvgPool1D({ padding: -1 })).toThrow(/expected padding to be an integer >= 0 or a list of 1 such integers, but got the number -1/);
    expect(() => new nn.MaxPool1D({ strides: [0] })).toThrow(/expected strides to be an integer >= 1 or a list of 1 such integers, but got \[0\]/);
    expect(() => new nn.MaxPool2D({ ceilMode: 'yes' as never })).toThrow(/expected ceilMode to be true or false, but got the string 'yes'/);
    expect(() => new nn.GlobalMaxPool1D({ layout: 'NCHW' })).toThrow(/expected layout 'NCW' or 'NWC' for 1 spatial dimension\(s\), but got the string 'NCHW'/);
    const pool = new nn.MaxPool2D({ poolSize: 3 });
    expect(() => pool(nd.ones([1, 2, 5]))).toThrow(new GluonError(`${pool.name}: expected data of rank 4 (layout NCHW), but got shape (1, 2, 5)`));
    expect(() => pool(nd.ones([1, 1, 2, 5]))).toThrow(
      `${pool.name}: expected the pooling window to fit in the padded input along spatial dimension 0, but got kernel 3 > input 2 + 2*pad 0`,
    );
    const global = new nn.GlobalAvgPool2D();
    expect(() => global(nd.ones([1, 2, 3]))).toThrow(`${global.name}: expected data of rank 4 (layout NCHW), but got shape (1, 2, 3)`);
  });
});
