/**
 * gluon.utils.splitData / splitAndLoad (slices along the batch axis, even or not) and
 * clipGlobalNorm (the joint 2-norm in float64, gradients rescaled in place) against values
 * computed here; every error names the function.
 */
import { autograd, gluon, nd } from '../../src';

const { splitData, splitAndLoad, clipGlobalNorm } = gluon.utils;

describe('splitData and splitAndLoad', () => {
  const data = nd.arange(0, 14).reshape([7, 2]);

  it('cut along the batch axis, evenly or with the rest in the last slice', () => {
    expect(splitData(nd.arange(0, 12).reshape([6, 2]), 3).map((s) => s.toArray())).toEqual([[[0, 1], [2, 3]], [[4, 5], [6, 7]], [[8, 9], [10, 11]]]);
    expect(splitData(data, 3, { evenSplit: false }).map((s) => s.shape)).toEqual([[2, 2], [2, 2], [3, 2]]);
    expect(splitData(data, 2, { batchAxis: 1 }).map((s) => s.shape)).toEqual([[7, 1], [7, 1]]);
    expect(splitAndLoad(data, ['cpu'])).toEqual([data]);
  });

  it('name what cannot be split', () => {
    expect(() => splitData(data, 2)).toThrow("gluon.utils.splitData: data with shape (7, 2) cannot be evenly split into 2 slices along axis 0. Use a batch size that's multiple of 2 or set evenSplit false to allow uneven partitioning of data");
    expect(() => splitData(data, 8, { evenSplit: false })).toThrow('gluon.utils.splitData: too many slices for data with shape (7, 2): numSlice 8 along batchAxis 0');
    expect(() => splitData(data, 1, { batchAxis: 2 })).toThrow('gluon.utils.splitData: expected batchAxis in [0, 2) for data of shape (7, 2), but got the number 2');
    expect(() => splitAndLoad(data, ['gpu' as 'cpu'])).toThrow("gluon.utils.splitAndLoad: expected a non-empty list of contexts, each 'cpu' (the one device tsgluon runs on), but got");
  });
});

describe('clipGlobalNorm', () => {
  it('returns the joint norm and rescales in place only above maxNorm', () => {
    const a = nd.array([3, 0]);
    const b = nd.array([[0, 4]]);
    expect(clipGlobalNorm([a, b], 10)).toBe(5);
    expect([a.toArray(), b.toArray()]).toEqual([[3, 0], [[0, 4]]]);
    expect(clipGlobalNorm([a, b], 1)).toBe(5);
    const scale = 1 / (5 + 1e-8);
    expect([a.toArray(), b.toArray()]).toEqual([[Math.fround(3 * scale), 0], [[0, Math.fround(4 * scale)]]]);
  });

  it('clips gradients between backward and step', () => {
    const w = nd.array([1, 1]);
    w.attachGrad();
    autograd.record(() => nd.multiply(w, nd.array([30, 40])).sum()).backward();
    expect(clipGlobalNorm([w.grad!], 5)).toBe(50);
    expect(w.grad!.toArray()).toEqual([Math.fround(30 * (5 / (50 + 1e-8))), Math.fround(40 * (5 / (50 + 1e-8)))]);
  });

  it('leaves non-finite arrays alone with a warning, and refuses bad arguments', () => {
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    const a = nd.array([NaN, 1]);
    expect(clipGlobalNorm([a], 1)).toBeNaN();
    expect(warn).toHaveBeenCalledWith('gluon.utils.clipGlobalNorm: nan or inf is detected; the arrays are left as they are');
    warn.mockRestore();
    expect(a.toFloat32Array()[1]).toBe(1);
    expect(() => clipGlobalNorm([], 1)).toThrow('gluon.utils.clipGlobalNorm: expected a non-empty list of NDArrays, but got');
    expect(() => clipGlobalNorm([a], 0)).toThrow('gluon.utils.clipGlobalNorm: expected maxNorm > 0, but got the number 0');
  });
});
