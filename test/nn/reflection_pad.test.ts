import { GluonError, NDArray, autograd, nd, nn, sym } from '../../src';
import type { Symbol } from '../../src/symbol/symbol';
import { activationFixtures, expectAllClose } from '../helpers/activation_fixtures';

describe('nn.ReflectionPad2D', () => {
  it('pads H and W by the reflection of the border, as the doc example', () => {
    const pad = new nn.ReflectionPad2D(1);
    expect(pad.prefix).toMatch(/^reflectionpad2d\d+_$/);
    expect(pad.padding).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
    expect(pad(nd.array([[[[1, 2], [3, 4]]]])).toArray()).toEqual([[[[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3], [2, 1, 2, 1]]]]);
  });

  it('takes 8 widths (Gluon) or 4 spatial ones (top, bottom, left, right), and defaults to 0', () => {
    const x = nd.arange(0, 12).reshape([1, 1, 3, 4]);
    const eight = new nn.ReflectionPad2D([0, 0, 0, 0, 1, 2, 0, 3])(x);
    const four = new nn.ReflectionPad2D([1, 2, 0, 3])(x);
    expect(eight.shape).toEqual([1, 1, 6, 7]);
    expect(four.toArray()).toEqual(eight.toArray());
    expect(eight.toArray()).toEqual([[[
      [4, 5, 6, 7, 6, 5, 4], [0, 1, 2, 3, 2, 1, 0], [4, 5, 6, 7, 6, 5, 4],
      [8, 9, 10, 11, 10, 9, 8], [4, 5, 6, 7, 6, 5, 4], [0, 1, 2, 3, 2, 1, 0],
    ]]]);
    expect(new nn.ReflectionPad2D()(x).toArray()).toEqual(x.toArray());
  });

  it('matches PyTorch ReflectionPad2d, forward and backward', () => {
    const c = activationFixtures('pad').find((f) => f.name === 'reflect 4-D');
    if (c === undefined) throw new Error('missing fixture');
    const x = nd.array(c.x, { shape: c.x_shape });
    x.attachGrad();
    const y = autograd.record(() => new nn.ReflectionPad2D((c.params.pad_width ?? []).slice(4))(x));
    y.backward(nd.array(c.head, { shape: c.y_shape }));
    expectAllClose(y.toFloat32Array(), c.y, 2 ** -22, 'output');
    expectAllClose(x.grad?.toFloat32Array() ?? [], c.dx ?? [], 2 ** -22, 'gradient');
  });

  it('prints as a plain Block, as Gluon (which defines no repr for it)', () => {
    expect(new nn.ReflectionPad2D(2).toString()).toBe('ReflectionPad2D(\n\n)');
  });

  it('rejects bad paddings and inputs, naming the layer', () => {
    expect(() => new nn.ReflectionPad2D(-1)).toThrow(GluonError);
    expect(() => new nn.ReflectionPad2D(-1)).toThrow(
      /^reflectionpad2d\d+: expected padding to be an integer >= 0, 4 of them \(top, bottom, left, right\) or 8 \(MXNet's pad_width\), but got the number -1$/,
    );
    expect(() => new nn.ReflectionPad2D([1, 1])).toThrow(/expected padding to be .* but got \[1, 1\]$/);
    expect(() => new nn.ReflectionPad2D(1.5)).toThrow(/but got the number 1.5$/);
    expect(() => new nn.ReflectionPad2D([1, 0, 0, 0, 1, 1, 1, 1])).toThrow(
      /^reflectionpad2d\d+: expected the first four of 8 padding widths \(axes N and C\) to be 0, but got \(1, 0, 0, 0, 1, 1, 1, 1\)$/,
    );
    const pad = new nn.ReflectionPad2D(2);
    expect(() => pad(nd.zeros([1, 2, 3]))).toThrow(`${pad.name}: expected a 4-D input (N, C, H, W), but got shape (1, 2, 3)`);
    expect(() => pad(nd.zeros([1, 1, 2, 5]))).toThrow(
      `${pad.name}: expected reflect widths smaller than the axis they pad, but got 2 and 2 for axis 2 of size 2 in data of shape (1, 1, 2, 5)`,
    );
  });

  it('traces to a Pad node and runs hybridized as imperatively, gradients included', () => {
    const pad = new nn.ReflectionPad2D([1, 0, 2, 1]);
    const text = (pad(sym.var('data')) as Symbol).toJson();
    expect(text).toContain('"op": "Pad"');
    expect(text).toContain('"pad_width": "(0, 0, 0, 0, 1, 0, 2, 1)"');
    expect(text).toContain('"mode": "reflect"');
    const run = (): number[][] => {
      const x = nd.arange(0, 24).reshape([2, 1, 3, 4]);
      x.attachGrad();
      const y = autograd.record(() => pad(x) as NDArray);
      y.backward(nd.arange(0, y.size).reshape(y.shape.slice()));
      return [Array.from(y.data), Array.from(x.grad?.data ?? [])];
    };
    const imperative = run();
    pad.hybridize();
    expect(run()).toEqual(imperative);
  });
});
