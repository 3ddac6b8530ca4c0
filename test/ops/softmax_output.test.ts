import { GluonError, NDArray, autograd, nd } from '../../src';
import { SOFTMAX_OUTPUT, SOFTMAX_OUTPUT_BACKWARD } from '../../src/ops/softmax_output';
import { lookupOperator } from '../../src/ops/table';
import { pseudoRandom } from '../helpers/gradient_check';
import { expectClose, makeRng, naiveSoftmax, randomArray, ravel, refOf, sizeOf, unravel } from '../helpers/naive_ops';

const rng = makeRng(23);

interface RefOptions {
  gradScale?: number;
  ignoreLabel?: number;
  multiOutput?: boolean;
  useIgnore?: boolean;
  preserveShape?: boolean;
  normalization?: 'null' | 'batch' | 'valid';
  smoothAlpha?: number;
  head?: number[];
}

/**
 * MXNet's SoftmaxOutput backward in float64, from its documentation and softmax_output-inl.h,
 * element by element through multi-indices: the class axis is 1 (multiOutput), the last axis
 * (preserveShape), or the flattened non-batch axes; the label of an element is the one of its
 * instance and position.
 */
function referenceGrad(data: NDArray, label: NDArray, o: RefOptions): number[] {
  const shape = data.shape.slice();
  const { gradScale = 1, ignoreLabel = -1, multiOutput = false, useIgnore = false, preserveShape = false, normalization = 'null', smoothAlpha = 0 } = o;
  const prob = softmaxReference(data, o).data;
  const ls = Array.from(label.data);
  if (label.shape.length === shape.length && label.shape.every((d, i) => d === shape[i])) {
    return prob.map((p, i) => (p - ls[i]) * gradScale * (o.head?.[i] ?? 1));
  }
  // The class of element `flat`, the number of classes, and the index of its label.
  const site = (flat: number): { c: number; classes: number; at: number } => {
    const index = unravel(flat, shape);
    if (multiOutput) return { c: index[1], classes: shape[1], at: index[0] * sizeOf(shape.slice(2)) + ravel(index.slice(2), shape.slice(2)) };
    if (preserveShape) return { c: index[shape.length - 1], classes: shape[shape.length - 1], at: Math.floor(flat / shape[shape.length - 1]) };
    return { c: flat % sizeOf(shape.slice(1)), classes: sizeOf(shape.slice(1)), at: index[0] };
  };
  const ignored = (v: number): boolean => Math.trunc(v) === Math.trunc(ignoreLabel);
  const positions = multiOutput ? sizeOf(shape.slice(2)) : 1;
  let count = 1;
  if (normalization === 'batch') count = multiOutput ? shape[0] : ls.length;
  if (normalization === 'valid') count = Math.max(1, ls.filter((v) => !ignored(v)).length);
  const scale = gradScale / (normalization === 'valid' ? 1 : positions) / count;
  const alpha = multiOutput ? 0 : smoothAlpha;
  return prob.map((p, flat) => {
    const { c, classes, at } = site(flat);
    const k = Math.trunc(ls[at]);
    if (useIgnore && ignored(ls[at])) return 0;
    const target = c === k ? 1 - alpha : alpha / (classes - 1);
    return (p - (alpha === 0 && c !== k ? 0 : target)) * scale * (o.head?.[flat] ?? 1);
  });
}

/** The forward: a softmax along axis 1 (multiOutput), the last axis (preserveShape), or over each instance. */
function softmaxReference(data: NDArray, o: RefOptions): { shape: number[]; data: number[] } {
  const ref = refOf(data);
  if (o.multiOutput) return naiveSoftmax(ref, 1, false);
  if (o.preserveShape) return naiveSoftmax(ref, ref.shape.length - 1, false);
  const flat = naiveSoftmax({ shape: [ref.shape[0], sizeOf(ref.shape.slice(1))], data: ref.data }, 1, false);
  return { shape: ref.shape, data: flat.data };
}

function gradOf(data: NDArray, label: NDArray, options: RefOptions & { outGrad?: boolean }): Float32Array {
  const { head, ...rest } = options;
  const x = nd.array(data);
  x.attachGrad();
  const y = autograd.record(() => nd.SoftmaxOutput(x, label, rest));
  y.backward(head === undefined ? undefined : nd.array(head, { shape: y.shape }));
  return (x.grad as NDArray).toFloat32Array();
}

function expectNear(got: ArrayLike<number>, want: readonly number[], tol = 2 ** -22): void {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => {
    if (!(Math.abs(got[i] - w) <= tol * Math.max(1, Math.abs(w)))) throw new Error(`at ${i}: got ${got[i]}, expected ${w}`);
  });
}

describe('nd.SoftmaxOutput: forward', () => {
  it.each([
    [[4, 5], {}],
    [[2, 3, 2, 2], {}],
    [[2, 3, 2, 2], { multiOutput: true }],
    [[2, 3, 4], { preserveShape: true }],
    [[5], {}],
  ] as [number[], RefOptions][])('data %j, %j: the softmax of its view, without a label', (shape, options) => {
    const x = randomArray(rng, shape, -4, 4);
    expectClose(nd.SoftmaxOutput(x, options), softmaxReference(x, options));
  });

  it('is stable for large logits and leaves its input alone', () => {
    const x = nd.array([[1e4, 1e4 + 1], [-1e4, -1e4]]);
    expectClose(nd.SoftmaxOutput(x), { shape: [2, 2], data: [1 / (1 + Math.E), Math.E / (1 + Math.E), 0.5, 0.5] });
    expect(x.toArray()).toEqual([[1e4, 1e4 + 1], [-1e4, -1e4]]);
  });
});

describe('nd.SoftmaxOutput: backward, the loss gradient softmax − one_hot(label)', () => {
  it("reproduces MXNet's documented example (multi_output, use_ignore)", () => {
    const data = nd.array([[1, 2, 3, 4], [2, 2, 2, 2], [3, 3, 3, 3], [4, 4, 4, 4]]);
    const label = nd.array([1, 0, 2, 3]);
    const options = { multiOutput: true, useIgnore: true, ignoreLabel: 1 };
    expectNear(nd.SoftmaxOutput(data, label, options).toFloat32Array(), [0.0320586, 0.08714432, 0.23688284, 0.64391428, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25], 1e-7);
    expectNear(gradOf(data, label, options), [0, 0, 0, 0, -0.75, 0.25, 0.25, 0.25, 0.25, 0.25, -0.75, 0.25, 0.25, 0.25, 0.25, -0.75]);
  });

  const x45 = randomArray(rng, [4, 5], -3, 3);
  const labels4 = nd.array([0, 3, 4, 1]);
  const x2322 = randomArray(rng, [2, 3, 2, 2], -3, 3);
  const cases: [string, NDArray, NDArray, RefOptions][] = [
    ['class labels', x45, labels4, {}],
    ['grad_scale and batch normalization', x45, labels4, { gradScale: 3, normalization: 'batch' }],
    ['ignored labels with valid normalization', x45, nd.array([0, -1, 4, -1]), { useIgnore: true, normalization: 'valid' }],
    ['valid normalization counts every label not equal to ignore_label, even without use_ignore', x45, nd.array([2, 2, 1, 0]), { ignoreLabel: 2, normalization: 'valid' }],
    ['label smoothing', x45, labels4, { smoothAlpha: 0.2 }],
    ['label smoothing with ignored labels', x45, nd.array([1, 3, 3, 0]), { smoothAlpha: 0.1, useIgnore: true, ignoreLabel: 3 }],
    ['a label outside the classes (no one-hot term)', x45, nd.array([0, 7, -2, 1]), {}],
    ['fractional labels truncated as MXNet', x45, nd.array([0.9, 3.2, 4.99, 1.5]), {}],
    ['probability labels', x45, randomArray(rng, [4, 5], 0, 0.4), { gradScale: 2, normalization: 'batch' }],
    // MXNet infers such a label as data's shape without the last axis, and reads its first N values.
    ['the instance view of rank-4 data', x2322, nd.array([5, 11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { shape: [2, 3, 2] }), { normalization: 'batch' }],
    ['preserve_shape', randomArray(rng, [2, 3, 4], -3, 3), nd.array([[0, 1, 3], [2, 2, 0]]), { preserveShape: true, normalization: 'batch' }],
    ['multi_output, (N, H·W) labels, null normalization (÷ positions)', x2322, nd.array([[0, 1, 2, 1], [2, 2, 0, 1]]), { multiOutput: true }],
    ['multi_output, (N, H, W) labels, batch normalization', x2322, nd.array([[[0, 1], [2, 1]], [[2, 2], [0, 1]]]), { multiOutput: true, normalization: 'batch' }],
    ['multi_output, (N, 1, H, W) labels, valid normalization, no smoothing', x2322, nd.array([[[[0, -1], [2, 1]]], [[[-1, 2], [0, -1]]]]),
      { multiOutput: true, normalization: 'valid', useIgnore: true, smoothAlpha: 0.3 }],
  ];
  it.each(cases)('%s', (_, data, label, options) => {
    expectNear(gradOf(data, label, options), referenceGrad(data, label, options));
  });

  it('ignores the head gradient, unless outGrad multiplies by it', () => {
    const head = Array.from(pseudoRandom(20, 3));
    expectNear(gradOf(x45, labels4, { head }), referenceGrad(x45, labels4, {}));
    expectNear(gradOf(x45, labels4, { head, outGrad: true, gradScale: 0.5 }), referenceGrad(x45, labels4, { head, gradScale: 0.5 }));
    const probabilities = randomArray(rng, [4, 5], 0, 0.4);
    expectNear(gradOf(x45, probabilities, { head, outGrad: true }), referenceGrad(x45, probabilities, { head }));
  });

  it('gives the label no gradient', () => {
    const x = nd.array(x45);
    const label = nd.array(labels4);
    x.attachGrad();
    label.attachGrad();
    autograd.record(() => nd.SoftmaxOutput(x, label)).backward();
    expect(Array.from(label.grad?.toFloat32Array() ?? [])).toEqual([0, 0, 0, 0]);
  });

  it('cannot be differentiated again: createGraph through it throws, naming it', () => {
    const x = nd.array(x45);
    x.attachGrad();
    const y = autograd.record(() => nd.SoftmaxOutput(x, labels4));
    expect(() => autograd.grad(y, [x], { createGraph: true })).toThrow(GluonError);
    const y2 = autograd.record(() => nd.SoftmaxOutput(x, labels4));
    expect(() => autograd.grad(y2, [x], { createGraph: true })).toThrow(
      "SoftmaxOutput: SoftmaxOutput's backward is the loss gradient softmax − label, which cannot be differentiated again",
    );
    expect(SOFTMAX_OUTPUT_BACKWARD.backward).toBeUndefined();
  });
});

describe('SoftmaxOutput in the registry', () => {
  it("is also MXNet's legacy Softmax, with every SoftmaxOutputParam field and the label read only by the backward", () => {
    expect(lookupOperator('Softmax', 'test')).toBe(SOFTMAX_OUTPUT);
    expect(lookupOperator('SoftmaxOutput', 'test')).toBe(SOFTMAX_OUTPUT);
    expect(SOFTMAX_OUTPUT.labelInputs).toEqual([1]);
    const json = {
      grad_scale: '2.0', ignore_label: '255.0', multi_output: 'True', use_ignore: 'True', preserve_shape: 'False', normalization: 'valid', out_grad: 'False',
      smooth_alpha: '0.1',
    };
    const { attrs } = SOFTMAX_OUTPUT.resolveJson(json, 'node');
    expect(attrs.values).toEqual({
      gradScale: 2, ignoreLabel: 255, multiOutput: true, useIgnore: true, preserveShape: false, normalization: 'valid', outGrad: false, smoothAlpha: 0.1,
    });
    expect(SOFTMAX_OUTPUT.printAttrs(attrs)).toEqual(json);
    expect(SOFTMAX_OUTPUT.inputNames(attrs)).toEqual(['data', 'label']);
    expect(() => SOFTMAX_OUTPUT.resolveJson({ smooth_alpha: '2' }, 'node')).toThrow("node: expected attribute 'smooth_alpha' of SoftmaxOutput to be a number in [0, 1], but got '2'");
  });

  it('infers the label shape from the data, as MXNet', () => {
    const infer = (options: object, data: number[], label?: number[]) =>
      SOFTMAX_OUTPUT.inferShape(SOFTMAX_OUTPUT.resolveOptions(options, 'test'), [data, label], 'test').inputs[1];
    expect(infer({}, [4, 5])).toEqual([4]);
    expect(infer({}, [2, 3, 4])).toEqual([2, 3]);
    expect(infer({ multiOutput: true }, [2, 3, 4, 5])).toEqual([2, 20]);
    expect(infer({ multiOutput: true }, [2, 3, 4, 5], [2, 4, 5])).toEqual([2, 4, 5]);
    expect(infer({}, [4, 5], [4, 5])).toEqual([4, 5]);
  });
});

describe('nd.SoftmaxOutput: errors', () => {
  it('checks the label shape', () => {
    expect(() => nd.SoftmaxOutput(nd.zeros([4, 5]), nd.zeros([5]))).toThrow(
      'SoftmaxOutput: expected label of shape (4,) (class indices) or (4, 5) (probabilities) for data of shape (4, 5), but got (5,)',
    );
    expect(() => nd.SoftmaxOutput(nd.zeros([2, 3, 4]), nd.zeros([2, 3]), { multiOutput: true })).toThrow(
      'SoftmaxOutput: expected label of shape (2, 4) or (2, 4) (class indices) or (2, 3, 4) (probabilities) with multiOutput for data of shape (2, 3, 4), but got (2, 3)',
    );
  });

  it('checks the data and the options', () => {
    expect(() => nd.SoftmaxOutput(nd.array(3))).toThrow('SoftmaxOutput: expected data of rank >= 1, but got a 0-d array');
    expect(() => nd.SoftmaxOutput(nd.zeros([3]), { multiOutput: true })).toThrow('SoftmaxOutput: expected data of rank >= 2 with multiOutput, but got shape (3,)');
    expect(() => nd.SoftmaxOutput(nd.zeros([3, 2]), { normalization: 'mean' as 'null' })).toThrow(
      "SoftmaxOutput: expected normalization to be one of 'null', 'batch', 'valid', but got the string 'mean'",
    );
    expect(() => nd.SoftmaxOutput(nd.zeros([3, 2]), { smoothAlpha: -0.5 })).toThrow('SoftmaxOutput: expected smoothAlpha to be a number in [0, 1], but got the number -0.5');
    expect(() => nd.SoftmaxOutput('x' as unknown as NDArray)).toThrow('SoftmaxOutput: expected data to be an NDArray, but got the string \'x\'');
  });

  it('needs the label when a backward may follow', () => {
    const x = nd.zeros([2, 3]);
    x.attachGrad();
    expect(() => autograd.record(() => nd.SoftmaxOutput(x))).toThrow('SoftmaxOutput: expected label to be an NDArray, but got none');
  });
});
