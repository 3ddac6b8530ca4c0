import { GluonError, NDArray, autograd, nd } from '../../src';
import { recordOp } from '../../src/autograd/tape';

/** A test op with a known derivative: cube(x) = x³, d/dx = 3x², written only with raw data. */
function cube(x: NDArray): NDArray {
  const y = nd.array(x.toFloat32Array().map((v) => v ** 3), { shape: x.shape });
  return recordOp('cube', y, [x], (dy) => [nd.array(dy.toFloat32Array().map((g, i) => 3 * x.toFloat32Array()[i] ** 2 * g), { shape: x.shape })]);
}

/** twice(x, y) = 2x + 0·y: y receives an explicit undefined gradient. */
function scaleFirst(x: NDArray, y: NDArray): NDArray {
  const out = nd.array(x.toFloat32Array().map((v) => 2 * v), { shape: x.shape });
  return recordOp('scaleFirst', out, [x, y], (dy) => [nd.array(dy.toFloat32Array().map((g) => 2 * g), { shape: x.shape }), undefined]);
}

describe('autograd tape', () => {
  it('records only inside record() and only for arrays that need gradients', () => {
    const x = nd.array([1, 2]);
    expect(cube(x).tapeNode).toBeUndefined();
    x.attachGrad();
    expect(cube(x).tapeNode).toBeUndefined();
    expect(autograd.record(() => cube(x)).tapeNode?.op).toBe('cube');
    expect(autograd.record(() => cube(nd.array([1]))).tapeNode).toBeUndefined();
    expect(autograd.record(() => autograd.pause(() => cube(x))).tapeNode).toBeUndefined();
  });

  it('chains rules in reverse topological order and uses ones as the default head gradient', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    autograd.record(() => cube(cube(x))).backward();
    // d/dx x⁹ = 9x⁸
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual([9, 9 * 256]);
  });

  it('sums the gradients of an array used twice (diamond graph)', () => {
    const x = nd.array([3]);
    x.attachGrad();
    const y = autograd.record(() => {
      const a = scaleFirst(x, x);
      return scaleFirst(scaleFirst(a, cube(x)), a);
    });
    y.backward(nd.array([1]));
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual([8]);
  });

  it("applies gradReq: 'write' overwrites, 'add' accumulates, 'null' skips", () => {
    const w = nd.array([2]);
    const a = nd.array([2]);
    const n = nd.array([2]);
    w.attachGrad('write');
    a.attachGrad('add');
    n.attachGrad('null');
    for (let k = 0; k < 2; k++) {
      autograd.record(() => cube(w)).backward();
      autograd.record(() => cube(a)).backward();
    }
    expect(Array.from(w.grad?.toFloat32Array() ?? [])).toEqual([12]);
    expect(Array.from(a.grad?.toFloat32Array() ?? [])).toEqual([24]);
    expect(n.grad).toBeUndefined();
    expect(autograd.record(() => cube(n)).tapeNode).toBeUndefined();
  });

  it('uses the given head gradient and checks its shape', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    autograd.record(() => cube(x)).backward(nd.array([10, 100]));
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual([30, 1200]);
    const y = autograd.record(() => cube(x));
    expect(() => y.backward(nd.array([1]))).toThrow('backward: expected a head gradient of shape (2,), but got (1,)');
  });

  it('says what to do when the head was not recorded', () => {
    const x = nd.array([1]);
    x.attachGrad();
    expect(() => cube(x).backward()).toThrow(GluonError);
    expect(() => cube(x).backward()).toThrow(/call x.attachGrad\(\) \(or use a Parameter\) and compute the head inside autograd.record/);
  });

  it('frees the graph after backward unless retainGraph', () => {
    const x = nd.array([1]);
    x.attachGrad();
    const kept = autograd.record(() => cube(x));
    kept.backward(undefined, { retainGraph: true });
    kept.backward();
    expect(() => kept.backward()).toThrow(GluonError);
  });

  it('runs record in training mode by default, pause in prediction mode', () => {
    expect(autograd.isTraining()).toBe(false);
    expect(autograd.record(() => autograd.isTraining())).toBe(true);
    expect(autograd.record(() => autograd.isTraining(), { trainMode: false })).toBe(false);
    expect(autograd.record(() => autograd.pause(() => [autograd.isRecording(), autograd.isTraining()]))).toEqual([false, false]);
    expect(autograd.trainMode(() => autograd.isTraining())).toBe(true);
    expect(autograd.trainMode(() => autograd.predictMode(() => autograd.isTraining()))).toBe(false);
  });

  it('handles a deep chain without overflowing the stack', () => {
    const x = nd.array([1]);
    x.attachGrad();
    const y = autograd.record(() => {
      let h = x;
      for (let i = 0; i < 20000; i++) h = scaleFirst(h, h);
      return h;
    });
    y.backward();
    expect(x.grad?.toFloat32Array()[0]).toBe(Infinity); // 2^20000 overflows float32
  });
});

describe('autograd.grad', () => {
  it('returns gradients without writing x.grad, for several heads', () => {
    const x = nd.array([1, 2]);
    x.attachGrad();
    const [a, b] = autograd.record(() => [cube(x), scaleFirst(x, x)]);
    const [dx] = autograd.grad([a, b], [x], { headGrads: [nd.array([1, 1]), nd.array([10, 10])] });
    expect(Array.from(dx.toFloat32Array())).toEqual([3 + 20, 12 + 20]);
    expect(Array.from(x.grad?.toFloat32Array() ?? [])).toEqual([0, 0]);
  });

  it('differentiates twice with createGraph (d²x³/dx² = 6x)', () => {
    const x = nd.array([2, -1]);
    x.attachGrad();
    const y = autograd.record(() => x.mul(x).mul(x));
    const [dy] = autograd.record(() => autograd.grad(y, x, { createGraph: true }));
    expect(Array.from(dy.toFloat32Array())).toEqual([12, 3]);
    const [d2y] = autograd.grad(dy, [x]);
    expect(Array.from(d2y.toFloat32Array())).toEqual([12, -6]);
  });

  it('says what to do for a variable the heads do not depend on', () => {
    const x = nd.array([1]);
    const unrelated = nd.array([5]);
    x.attachGrad();
    unrelated.attachGrad();
    const y = autograd.record(() => cube(x));
    expect(() => autograd.grad(y, [x, unrelated])).toThrow(
      'grad: variable 1 of shape (1,) is not an input of the recorded heads: attach its gradient (x.attachGrad()) before computing the heads from it inside autograd.record(...)',
    );
  });
});
