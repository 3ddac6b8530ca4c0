import { GluonError, nd, nn } from '../../src';
import { expectClose, layerCases, runLayerCase } from '../helpers/layer_fixtures';

const CONV_LAYERS = ['Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose', 'Conv3DTranspose'];

describe('convolution layers against PyTorch (forward and gradients, both layouts)', () => {
  it.each(layerCases(...CONV_LAYERS).map((c) => [c.name, c]))('%s', (_, c) => {
    const { layer, y, grads } = runLayerCase(c);
    expect(layer.constructor.name).toBe(c.layer);
    expect(y.shape).toEqual(c.y_shape);
    expectClose(y.toFloat32Array(), c.y);
    expectClose(grads.x, c.grads.x);
    expectClose(grads.weight, c.grads.weight ?? []);
    if (c.options.useBias) expectClose(grads.bias, c.grads.bias ?? []);
    else expect(grads.bias).toBeUndefined();
  });
});

describe('convolution layers', () => {
  it('defer the input channels of the weight and print as Gluon 1.9', () => {
    const conv = new nn.Conv2D(16, 3, { activation: 'relu' });
    expect(conv.toString()).toBe('Conv2D(None -> 16, kernel_size=(3, 3), stride=(1, 1), Activation(relu))');
    expect(conv.weight.shape).toEqual([16, 0, 3, 3]);
    conv.initialize();
    expect(conv(nd.ones([1, 3, 28, 28])).shape).toEqual([1, 16, 26, 26]);
    expect(conv.weight.shape).toEqual([16, 3, 3, 3]);
    expect(conv.toString()).toBe('Conv2D(3 -> 16, kernel_size=(3, 3), stride=(1, 1), Activation(relu))');
    const full = new nn.Conv1D(4, 3, { strides: 2, padding: 1, dilation: 2, groups: 2, useBias: false, inChannels: 6 });
    expect(full.toString()).toBe('Conv1D(3 -> 4, kernel_size=(3,), stride=(2,), padding=(1,), dilation=(2,), groups=2, bias=False)');
  });

  it('lay the weight out per layout: channels-last puts in/groups last', () => {
    const conv = new nn.Conv2D(8, [3, 2], { layout: 'NHWC', inChannels: 4, groups: 2 });
    expect(conv.weight.shape).toEqual([8, 3, 2, 2]);
    expect(conv.toString()).toBe('Conv2D(2 -> 8, kernel_size=(3, 2), stride=(1, 1), groups=2)');
    const deconv = new nn.Conv3DTranspose(6, 2, { layout: 'NDHWC', groups: 3 });
    expect(deconv.weight.shape).toEqual([0, 2, 2, 2, 2]);
    deconv.initialize();
    expect(deconv(nd.ones([1, 2, 2, 2, 3])).shape).toEqual([1, 3, 3, 3, 6]);
    expect(deconv.weight.shape).toEqual([3, 2, 2, 2, 2]);
  });

  it('print transposed layers as MXNet 1.9 does (weight axis 1 -> axis 0, no output_padding)', () => {
    const up = new nn.Conv2DTranspose(8, 3, { strides: 2, padding: 1, outputPadding: 1 });
    expect(up.toString()).toBe('Conv2DTranspose(8 -> 0, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))');
    up.initialize();
    expect(up(nd.ones([1, 16, 7, 7])).shape).toEqual([1, 8, 14, 14]);
    expect(up.toString()).toBe('Conv2DTranspose(8 -> 16, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1))');
  });

  it('are named conv<N>_ with their activation child inside, and list weight then bias', () => {
    const a = new nn.Conv2D(2, 1, { activation: 'sigmoid' });
    const b = new nn.Conv1DTranspose(2, 1);
    expect(a.prefix).toMatch(/^conv\d+_$/);
    expect(Number(b.prefix.slice(4, -1))).toBe(Number(a.prefix.slice(4, -1)) + 1);
    expect(a.act?.prefix).toBe(`${a.prefix}sigmoid_`);
    expect([...a.collectParams().keys()]).toEqual([`${a.prefix}weight`, `${a.prefix}bias`]);
  });

  it('run a depthwise convolution (groups = channels)', () => {
    const conv = new nn.Conv2D(4, 3, { groups: 4, padding: 1, weightInitializer: 'ones', useBias: false });
    conv.initialize();
    const y = conv(nd.ones([1, 4, 3, 3]));
    expect(conv.weight.shape).toEqual([4, 1, 3, 3]);
    expect(conv.toString()).toBe('Conv2D(1 -> 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1), groups=4, bias=False)');
    // Corner pixels see 4 ones, edges 6, the centre 9.
    expect((y.toArray() as number[][][][])[0][2]).toEqual([[4, 6, 4], [6, 9, 6], [4, 6, 4]]);
  });

  it('name the layer, the option and the values for bad arguments', () => {
    expect(() => new nn.Conv2D(0, 3)).toThrow(/^conv\d+: expected channels to be an integer >= 1, but got the number 0$/);
    expect(() => new nn.Conv2D(4, [3, -1])).toThrow(/expected kernelSize to be an integer >= 1 or a list of 2 such integers, but got \[3, -1\]/);
    expect(() => new nn.Conv2D(4, [3, 3, 3])).toThrow(/expected kernelSize to be an integer >= 1 or a list of 2 such integers, but got \[3, 3, 3\]/);
    expect(() => new nn.Conv2D(4, 3, { padding: -1 })).toThrow(/expected padding to be an integer >= 0 or a list of 2 such integers, but got the number -1/);
    expect(() => new nn.Conv3D(4, 3, { strides: 0 })).toThrow(/expected strides to be an integer >= 1 or a list of 3 such integers, but got the number 0/);
    expect(() => new nn.Conv2D(6, 3, { groups: 4 })).toThrow(/^conv\d+: expected channels divisible by groups = 4, but got channels = 6$/);
    expect(() => new nn.Conv2D(4, 3, { groups: 2, inChannels: 3 })).toThrow(/expected inChannels divisible by groups = 2, but got inChannels = 3/);
    expect(() => new nn.Conv2D(4, 3, { layout: 'NCW' })).toThrow(/expected layout 'NCHW' or 'NHWC' for 2 spatial dimension\(s\), but got the string 'NCW'/);
    expect(() => new nn.Conv2DTranspose(4, 3, { strides: 2, outputPadding: 2 })).toThrow(/expected outputPadding\[0\] < strides\[0\] = 2, but got 2/);
    expect(() => new nn.Conv2D(4, 3, { activation: 'gelu' as 'relu' })).toThrow(/^conv\d+: expected activation to be one of/);
  });

  it('name the layer for bad inputs: rank, groups, kernel size, changed channels', () => {
    const conv = new nn.Conv2D(4, 5, { groups: 2 });
    conv.initialize();
    const who = conv.name;
    expect(() => conv(nd.ones([3, 8, 8]))).toThrow(`${who}: expected data of rank 4 (layout NCHW), but got shape (3, 8, 8)`);
    expect(() => conv(nd.ones([1, 3, 8, 8]))).toThrow(`${who}: expected the input channels divisible by numGroup = 2, but got 3 channels in data of shape (1, 3, 8, 8)`);
    expect(() => conv(nd.ones([1, 2, 4, 8]))).toThrow(
      `${who}: expected the kernel to fit in the padded input along spatial dimension 0, but got kernel 5 (dilation 1, extent 5) > input 4 + 2*pad 0`,
    );
    expect(conv(nd.ones([1, 2, 8, 8])).shape).toEqual([1, 4, 4, 4]);
    expect(() => conv(nd.ones([1, 4, 8, 8]))).toThrow(
      new GluonError(`${who}: expected 2 channels on axis 1 (as at initialization), but got 4 in an input of shape (1, 4, 8, 8)`),
    );
    const last = new nn.Conv1D(2, 1, { layout: 'NWC', inChannels: 3 });
    last.initialize();
    expect(() => last(nd.ones([1, 5, 2]))).toThrow(`${last.name}: expected 3 channels on axis 2 (as at initialization), but got 2 in an input of shape (1, 5, 2)`);
  });
});
