import { GluonError, autograd, nd, nn, random } from '../../src';

describe('nn.Dropout', () => {
  it('is named dropout<N>_ and prints as Gluon', () => {
    const drop = new nn.Dropout(0.5);
    expect(drop.prefix).toMatch(/^dropout\d+_$/);
    expect(drop.toString()).toBe('Dropout(p = 0.5, axes=())');
    expect(new nn.Dropout(0.25, { axes: [1] }).toString()).toBe('Dropout(p = 0.25, axes=(1,))');
    expect(new nn.Dropout(0, { axes: [2, 3] }).toString()).toBe('Dropout(p = 0.0, axes=(2, 3))');
    expect(new nn.HybridSequential().add(new nn.Dropout(0.1)).toString()).toBe('HybridSequential(\n  (0): Dropout(p = 0.1, axes=())\n)');
  });

  it('is the identity in prediction mode and drops in training mode', () => {
    const drop = new nn.Dropout(0.5);
    const x = nd.ones([40, 50]);
    expect(drop(x).toFloat32Array().every((v) => v === 1)).toBe(true);
    random.seed(3);
    const y = autograd.trainMode(() => drop(x)).toFloat32Array();
    expect(new Set(y)).toEqual(new Set([0, 2]));
    expect(Math.abs(y.filter((v) => v === 0).length / y.length - 0.5)).toBeLessThan(0.05);
  });

  it('drops inside autograd.record and back-propagates through the same mask', () => {
    const x = nd.ones([6, 7]);
    x.attachGrad();
    random.seed(8);
    const y = autograd.record(() => new nn.Dropout(0.4, { axes: [1] })(x));
    y.backward();
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual(Array.from(y.toFloat32Array()));
    const rows = y.toArray() as number[][];
    for (const row of rows) expect(new Set(row).size).toBe(1);
  });

  it('is reproducible with random.seed and copies at rate 0', () => {
    const drop = new nn.Dropout(0.3);
    const x = nd.ones([100]);
    random.seed(11);
    const a = autograd.trainMode(() => drop(x)).toFloat32Array();
    random.seed(11);
    expect(autograd.trainMode(() => drop(x)).toFloat32Array()).toEqual(a);
    const y = autograd.trainMode(() => new nn.Dropout(0)(x));
    expect(y).not.toBe(x);
    expect(y.toFloat32Array().every((v) => v === 1)).toBe(true);
  });

  it('rejects a bad rate or axes, naming the layer', () => {
    expect(() => new nn.Dropout(1.5)).toThrow(GluonError);
    expect(() => new nn.Dropout(1.5)).toThrow(/^dropout\d+: expected rate to be a finite number in \[0, 1\], but got the number 1.5$/);
    expect(() => new nn.Dropout(-0.5)).toThrow(/expected rate to be a finite number in \[0, 1\], but got the number -0.5/);
    expect(() => new nn.Dropout(undefined as unknown as number)).toThrow(/expected rate to be a finite number in \[0, 1\], but got undefined/);
    expect(() => new nn.Dropout(0.5, { axes: [0.5] })).toThrow(/^dropout\d+: expected axes to be an array of integer axes, but got \[0.5\]$/);
    // Axes are checked against the input in both modes, so a bad one shows before training (the operator's error names the layer).
    expect(() => new nn.Dropout(0.5, { axes: [3] })(nd.ones([2, 2]))).toThrow(/^dropout\d+: expected an axis in \[-2, 1\] for an input of rank 2, but got 3$/);
  });
});
