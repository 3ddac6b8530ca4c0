import { DeferredInitializationError, GluonError, nd } from '../../src';
import { Parameter } from '../../src/nn/parameter';

const values = (p: Parameter) => Array.from(p.data().toFloat32Array());

describe('Parameter', () => {
  it('initializes a known shape at once, with a zero gradient', () => {
    const w = new Parameter('w', { shape: [2, 3] });
    expect(w.isInitialized).toBe(false);
    w.initialize('ones');
    expect(w.isInitialized).toBe(true);
    expect(w.data().shape).toEqual([2, 3]);
    expect(values(w)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(Array.from(w.grad().toFloat32Array())).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('turns a number shape into a 1-d shape', () => {
    expect(new Parameter('b', { shape: 4 }).shape).toEqual([4]);
  });

  it('defers while a dim is unknown and finishes once the shape is set', () => {
    const w = new Parameter('dense0_weight', { shape: [0, 3], allowDeferredInit: true });
    w.initialize('ones');
    expect(w.isDeferred).toBe(true);
    expect(() => w.data()).toThrow(DeferredInitializationError);
    expect(() => w.data()).toThrow(
      /Parameter 'dense0_weight' has not been initialized yet because initialization was deferred\..*specifying inUnits, inChannels/,
    );
    w.shape = [2, 3];
    w.finishDeferredInit();
    expect(values(w)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('refuses to finish a deferral while the shape is still unknown', () => {
    const w = new Parameter('w', { shape: [0], allowDeferredInit: true });
    w.initialize('ones');
    expect(() => w.finishDeferredInit()).toThrow("Cannot initialize Parameter 'w' because it has invalid shape: (0,). Please specify in_units, in_channels, etc for `Block`s.");
  });

  it('refuses an unknown shape when it may not defer', () => {
    const w = new Parameter('w', { shape: [0, 3] });
    expect(() => w.initialize()).toThrow("Cannot initialize Parameter 'w' because it has invalid shape: (0, 3).");
    expect(() => new Parameter('v').initialize()).toThrow("Cannot initialize Parameter 'v' because it has invalid shape: None.");
  });

  it('says how to fix reading a never-initialized parameter', () => {
    const w = new Parameter('w', { shape: [2] });
    expect(() => w.data()).toThrow(GluonError);
    expect(() => w.data()).toThrow(/Parameter 'w' has not been initialized\. Note that you should initialize parameters .*collectParams\(\)/);
    expect(() => w.grad()).toThrow(/Parameter 'w' has not been initialized/);
  });

  it('warns on a second initialize and keeps the values unless forceReinit', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const w = new Parameter('w', { shape: [2] });
    w.initialize('ones');
    w.initialize('zeros');
    expect(warn).toHaveBeenCalledWith("Parameter 'w' is already initialized, ignoring. Set forceReinit=true to re-initialize.");
    expect(values(w)).toEqual([1, 1]);
    w.initialize('zeros', { forceReinit: true });
    expect(values(w)).toEqual([0, 0]);
    warn.mockRestore();
  });

  it("follows Gluon's precedence: explicit init > own init > default", () => {
    const own = new Parameter('own', { shape: [2], init: 'ones' });
    own.initialize(undefined, { defaultInit: 'zeros' });
    expect(values(own)).toEqual([1, 1]);
    const explicit = new Parameter('explicit', { shape: [2], init: 'ones' });
    explicit.initialize('zeros');
    expect(values(explicit)).toEqual([0, 0]);
    const fallback = new Parameter('fallback', { shape: [2] });
    fallback.initialize(undefined, { defaultInit: 'ones' });
    expect(values(fallback)).toEqual([1, 1]);
  });

  it('validates gradReq, drops the gradient for null and recreates it after', () => {
    const w = new Parameter('w', { shape: [2] });
    expect(() => (w.gradReq = 'sometimes' as 'write')).toThrow("Parameter 'w': expected gradReq to be one of 'write', 'add', 'null', but got 'sometimes'");
    w.initialize('ones');
    w.gradReq = 'null';
    expect(() => w.grad()).toThrow("Cannot get gradient array for Parameter 'w' because grad_req='null'");
    w.gradReq = 'add';
    expect(Array.from(w.grad().toFloat32Array())).toEqual([0, 0]);
  });

  it('forces gradReq null when not differentiable', () => {
    const w = new Parameter('w', { shape: [2], differentiable: false, gradReq: 'write' });
    expect(w.gradReq).toBe('null');
    w.gradReq = 'write';
    expect(w.gradReq).toBe('null');
  });

  it('refines unknown dims and rejects incompatible or negative shapes', () => {
    const w = new Parameter('w', { shape: [0, 3] });
    expect(() => (w.shape = [2, 4])).toThrow("Parameter 'w': expected a shape compatible with (0, 3), but got (2, 4)");
    expect(() => (w.shape = [2])).toThrow("Parameter 'w': expected a shape compatible with (0, 3), but got (2,)");
    expect(() => (w.shape = [-1, 3])).toThrow("Parameter 'w': shape dimension size cannot be less than 0 or fractional, but got (-1, 3)");
    w.shape = [2, 3];
    expect(w.shape).toEqual([2, 3]);
  });

  it('setData on a deferred parameter becomes its initial value', () => {
    const w = new Parameter('w', { shape: [0], allowDeferredInit: true });
    w.initialize('zeros');
    w.setData(nd.array([5, 6, 7]));
    expect(w.shape).toEqual([3]);
    w.finishDeferredInit();
    expect(values(w)).toEqual([5, 6, 7]);
  });

  it('setData copies the values and checks the shape', () => {
    const w = new Parameter('w', { shape: [2] });
    w.initialize('zeros');
    const source = nd.array([1, 2]);
    w.setData(source);
    expect(values(w)).toEqual([1, 2]);
    expect(w.data().data).not.toBe(source.data);
    expect(() => w.setData(nd.array([1, 2, 3]))).toThrow("Parameter 'w': expected a shape compatible with (2,), but got (3,)");
    expect(() => w.setData([1, 2] as unknown as ReturnType<typeof nd.array>)).toThrow("Parameter 'w': setData expected an NDArray, but got [1, 2]");
  });

  it('refuses setData before initialize', () => {
    const w = new Parameter('w', { shape: [2] });
    expect(() => w.setData(nd.array([1, 2]))).toThrow("Parameter 'w' has not been initialized: call initialize() before setData()");
  });

  it('zeroGrad resets the gradient', () => {
    const w = new Parameter('w', { shape: [2] });
    w.initialize('ones');
    w.zeroGrad();
    expect(Array.from(w.grad().toFloat32Array())).toEqual([0, 0]);
  });

  it("prints as Gluon's repr", () => {
    expect(new Parameter('instancenorm0_gamma', { shape: [0] }).toString()).toBe('Parameter instancenorm0_gamma (shape=(0,), dtype=float32)');
    expect(new Parameter('w').toString()).toBe('Parameter w (shape=None, dtype=float32)');
  });
});
