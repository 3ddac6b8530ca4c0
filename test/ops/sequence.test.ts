/**
 * SequenceMask, SequenceLast and SequenceReverse: values against naive references written on
 * explicit multi-indices (from MXNet's documentation of each operator), MXNet's documented
 * examples, gradients by finite differences (and exactly, the operators being linear in data),
 * second derivatives, every error, symbol JSON and hybridized runs.
 */
import { GluonError, NDArray, autograd, gluon, nd, nn, sym } from '../../src';
import { checkGradient } from '../helpers/gradient_check';
import { expectHybridMatches } from '../helpers/hybrid_check';
import { Ref, makeRng, randomArray, ravel, refOf, sizeOf, unravel } from '../helpers/naive_ops';

const rng = makeRng(17);

/** The (step, sequence) of a multi-index for the sequence axis, and back. */
const stepOf = (index: number[], axis: number): number => index[axis];
const batchOf = (index: number[], axis: number): number => index[1 - axis];

/** Each sequence's length: trunc(lengths[n]), or every step without lengths. */
function lengthOf(lengths: number[] | undefined, n: number, steps: number): number {
  return lengths === undefined ? steps : Math.trunc(lengths[n]);
}

/** MXNet's SequenceMask: value where step ≥ length. */
function naiveMask(x: Ref, lengths: number[] | undefined, axis: number, value: number): Ref {
  const steps = x.shape[axis];
  const data = x.data.map((v, flat) => {
    const index = unravel(flat, x.shape);
    return stepOf(index, axis) >= lengthOf(lengths, batchOf(index, axis), steps) ? value : v;
  });
  return { shape: x.shape.slice(), data };
}

/** MXNet's SequenceLast: out[n, …] = x at step length − 1 of sequence n. */
function naiveLast(x: Ref, lengths: number[] | undefined, axis: number): Ref {
  const steps = x.shape[axis];
  const shape = [x.shape[1 - axis], ...x.shape.slice(2)];
  const data = Array.from({ length: sizeOf(shape) }, (_, flat) => {
    const [n, ...rest] = unravel(flat, shape);
    const at = axis === 0 ? [lengthOf(lengths, n, steps) - 1, n, ...rest] : [n, lengthOf(lengths, n, steps) - 1, ...rest];
    return x.data[ravel(at, x.shape)];
  });
  return { shape, data };
}

/** MXNet's SequenceReverse (axis 0): step t < length reads step length − 1 − t; the rest stays. */
function naiveReverse(x: Ref, lengths: number[] | undefined): Ref {
  const data = x.data.map((_, flat) => {
    const [t, n, ...rest] = unravel(flat, x.shape);
    const length = lengthOf(lengths, n, x.shape[0]);
    return x.data[ravel([t < length ? length - 1 - t : t, n, ...rest], x.shape)];
  });
  return { shape: x.shape.slice(), data };
}

const values = (a: NDArray): number[] => Array.from(a.data);
const toRef = (shape: number[], data: Float64Array): Ref => ({ shape, data: Array.from(data) });

describe('MXNet documented examples', () => {
  const x = nd.array([[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], [[13, 14, 15], [16, 17, 18]]]);

  it('SequenceMask', () => {
    expect(nd.SequenceMask(x).toArray()).toEqual(x.toArray());
    expect(nd.SequenceMask(x, nd.array([1, 1]), { useSequenceLength: true }).toArray()).toEqual(
      [[[1, 2, 3], [4, 5, 6]], [[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]]);
    expect(nd.SequenceMask(x, nd.array([2, 3]), { useSequenceLength: true, value: 1 }).toArray()).toEqual(
      [[[1, 2, 3], [4, 5, 6]], [[7, 8, 9], [10, 11, 12]], [[1, 1, 1], [16, 17, 18]]]);
  });

  it('SequenceLast', () => {
    const cube = nd.arange(1, 28).reshape([3, 3, 3]);
    expect(nd.SequenceLast(cube).toArray()).toEqual([[19, 20, 21], [22, 23, 24], [25, 26, 27]]);
    expect(nd.SequenceLast(cube, nd.array([1, 1, 1]), { useSequenceLength: true }).toArray()).toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(nd.SequenceLast(cube, nd.array([1, 2, 3]), { useSequenceLength: true }).toArray()).toEqual([[1, 2, 3], [13, 14, 15], [25, 26, 27]]);
    // axis 1: data (batch, steps, …)
    expect(nd.SequenceLast(cube, nd.array([1, 2, 3]), { axis: 1 }).toArray()).toEqual([[1, 2, 3], [13, 14, 15], [25, 26, 27]]);
    expect(nd.SequenceLast(x, nd.array([1, 2, 1]), { axis: 1 }).toArray()).toEqual([[1, 2, 3], [10, 11, 12], [13, 14, 15]]);
  });

  it('SequenceReverse', () => {
    expect(nd.SequenceReverse(x).toArray()).toEqual([[[13, 14, 15], [16, 17, 18]], [[7, 8, 9], [10, 11, 12]], [[1, 2, 3], [4, 5, 6]]]);
    expect(nd.SequenceReverse(x, nd.array([2, 2]), { useSequenceLength: true }).toArray()).toEqual(
      [[[7, 8, 9], [10, 11, 12]], [[1, 2, 3], [4, 5, 6]], [[13, 14, 15], [16, 17, 18]]]);
    expect(nd.SequenceReverse(x, nd.array([2, 3])).toArray()).toEqual(
      [[[7, 8, 9], [16, 17, 18]], [[1, 2, 3], [10, 11, 12]], [[13, 14, 15], [4, 5, 6]]]);
  });
});

describe.each([0, 1])('axis %d against naive references', (axis) => {
  const shapes = [[5, 3], [5, 3, 4], [4, 2, 3, 2], [1, 1, 1]];
  /** Lengths in [min, max] cycling through min, max and a random one with a fraction (truncated, as MXNet). */
  const lengthsFor = (batch: number, min: number, max: number): number[] =>
    Array.from({ length: batch }, (_, n) => [min, max, Math.min(max, min + (max - min) * rng() + 0.7)][n % 3]);

  it.each(shapes)('SequenceMask and SequenceLast of shape %j', (...shapeArgs) => {
    const shape = axis === 1 ? [shapeArgs[1], shapeArgs[0], ...shapeArgs.slice(2)] : shapeArgs;
    const x = randomArray(rng, shape);
    const steps = shape[axis];
    const batch = shape[1 - axis];
    const maskLengths = lengthsFor(batch, 0, steps + 2);
    const lastLengths = lengthsFor(batch, 1, steps);
    expect(values(nd.SequenceMask(x, { axis }))).toEqual(values(x));
    expect(values(nd.SequenceMask(x, nd.array(maskLengths), { axis, value: -Infinity }))).toEqual(naiveMask(refOf(x), maskLengths, axis, -Infinity).data);
    expect(values(nd.SequenceLast(x, { axis }))).toEqual(naiveLast(refOf(x), undefined, axis).data);
    const last = nd.SequenceLast(x, nd.array(lastLengths), { axis });
    expect(last.shape).toEqual([batch, ...shape.slice(2)]);
    expect(values(last)).toEqual(naiveLast(refOf(x), lastLengths, axis).data);
    if (axis === 0) {
      const reverseLengths = lengthsFor(batch, 0, steps);
      expect(values(nd.SequenceReverse(x))).toEqual(naiveReverse(refOf(x), undefined).data);
      expect(values(nd.SequenceReverse(x, nd.array(reverseLengths)))).toEqual(naiveReverse(refOf(x), reverseLengths).data);
    }
  });

  it('passes finite-difference gradient checks, data only', () => {
    const shape = axis === 0 ? [4, 3, 2] : [3, 4, 2];
    const x = randomArray(rng, shape);
    const lengths = nd.array([1, 4, 2.5]);
    const ls = values(lengths);
    checkGradient((a, l) => nd.SequenceMask(a, l, { axis, value: 7 }), [x, lengths], { check: [0], reference64: (a) => naiveMask(toRef(shape, a), ls, axis, 7).data });
    checkGradient((a, l) => nd.SequenceLast(a, l, { axis }), [x, lengths], { check: [0], reference64: (a) => naiveLast(toRef(shape, a), ls, axis).data });
    checkGradient((a) => nd.SequenceLast(a, { axis }), [x], { reference64: (a) => naiveLast(toRef(shape, a), undefined, axis).data });
    if (axis === 0) checkGradient((a, l) => nd.SequenceReverse(a, l), [x, lengths], { check: [0], reference64: (a) => naiveReverse(toRef(shape, a), ls).data });
  });
});

describe('gradients', () => {
  it('are dy masked, placed at the last steps and reversed; the lengths get none', () => {
    const x = nd.array([[1, 2], [3, 4], [5, 6]]);
    const lengths = nd.array([1, 3]);
    x.attachGrad();
    lengths.attachGrad();
    const head = nd.array([[10, 20], [30, 40], [50, 60]]);
    autograd.record(() => nd.SequenceMask(x, lengths)).backward(head);
    expect(x.grad?.toArray()).toEqual([[10, 20], [0, 40], [0, 60]]);
    autograd.record(() => nd.SequenceLast(x, lengths)).backward(nd.array([7, 8]));
    expect(x.grad?.toArray()).toEqual([[7, 0], [0, 0], [0, 8]]);
    autograd.record(() => nd.SequenceReverse(x, nd.array([2, 3]))).backward(head);
    expect(x.grad?.toArray()).toEqual([[30, 60], [10, 40], [50, 20]]);
    expect(lengths.grad?.toArray()).toEqual([0, 0]);
  });

  it('differentiate again: the second derivative of a square through each operator', () => {
    const x = randomArray(rng, [3, 2, 2]);
    const lengths = nd.array([2, 3]);
    const ls = values(lengths);
    const ops: [(a: NDArray) => NDArray, (a: Ref) => Ref][] = [
      [(a) => nd.SequenceMask(a, lengths), (a) => naiveMask(a, ls, 0, 0)],
      [(a) => nd.SequenceLast(a, lengths), (a) => naiveLast(a, ls, 0)],
      [(a) => nd.SequenceReverse(a, lengths), (a) => naiveReverse(a, ls)],
    ];
    for (const [op, ref] of ops) {
      // d/dx Σ op(x)² = 2·opᵀ(op(x)), linear in x: its derivative is exactly 2·opᵀ·op.
      const grad64 = (a: Float64Array): number[] => {
        const y = ref(toRef([3, 2, 2], a));
        const out = new Array<number>(a.length).fill(0);
        a.forEach((_, j) => {
          const e = new Float64Array(a.length);
          e[j] = 1;
          out[j] = 2 * ref(toRef([3, 2, 2], e)).data.reduce((s, v, i) => s + v * y.data[i], 0);
        });
        return out;
      };
      checkGradient((a) => autograd.grad(nd.sum(nd.square(op(a))), [a], { createGraph: true })[0], [x], { reference64: grad64 });
    }
  });
});

describe('errors', () => {
  const x = nd.zeros([3, 2, 4]);

  it('reject an axis MXNet 1.9 does not support, naming the operator', () => {
    expect(() => nd.SequenceMask(x, { axis: 2 })).toThrow(new GluonError('SequenceMask: expected axis 0 or 1 (the sequence axes MXNet 1.9 supports here), but got 2'));
    expect(() => nd.SequenceLast(x, { axis: -1 })).toThrow(new GluonError('SequenceLast: expected axis 0 or 1 (the sequence axes MXNet 1.9 supports here), but got -1'));
    expect(() => nd.SequenceReverse(x, { axis: 1 })).toThrow(new GluonError('SequenceReverse: expected axis 0 (the sequence axes MXNet 1.9 supports here), but got 1'));
  });

  it('reject data of rank 1 and sequence lengths of the wrong shape', () => {
    expect(() => nd.SequenceLast(nd.zeros([3]))).toThrow(
      new GluonError('SequenceLast: expected data of rank 2 or more (max_sequence_length, batch_size, …), but got shape (3,)'));
    expect(() => nd.SequenceMask(nd.zeros([3]), { axis: 1 })).toThrow(
      new GluonError('SequenceMask: expected data of rank 2 or more (batch_size, max_sequence_length, …), but got shape (3,)'));
    expect(() => nd.SequenceMask(x, nd.ones([3]))).toThrow(
      new GluonError('SequenceMask: expected sequence_length of shape (2,) for data of shape (3, 2, 4), but got (3,)'));
  });

  it('reject sequence lengths MXNet would read or write out of bounds with', () => {
    expect(() => nd.SequenceMask(x, nd.array([1, -1]))).toThrow(
      new GluonError('SequenceMask: expected sequence_length values finite and >= 0 (after truncation toward zero), but got -1 for sequence 1'));
    expect(() => nd.SequenceMask(x, nd.array([NaN, 1]))).toThrow('but got NaN for sequence 0');
    expect(() => nd.SequenceMask(x, nd.array([1, Infinity]))).toThrow('expected sequence_length values finite and >= 0 (after truncation toward zero), but got Infinity for sequence 1');
    expect(() => nd.SequenceLast(x, nd.array([0.5, 1]))).toThrow(
      new GluonError('SequenceLast: expected sequence_length values in [1, 3] (after truncation toward zero), but got 0.5 for sequence 0'));
    expect(() => nd.SequenceLast(x, nd.array([1, 4]))).toThrow('expected sequence_length values in [1, 3]');
    expect(() => nd.SequenceReverse(x, nd.array([Infinity, 1]))).toThrow(
      new GluonError('SequenceReverse: expected sequence_length values in [0, 3] (after truncation toward zero), but got Infinity for sequence 0'));
  });

  it('name a missing or unwanted sequence_length', () => {
    expect(() => nd.SequenceMask(x, { useSequenceLength: true })).toThrow(new GluonError('SequenceMask: expected sequence_length to be an NDArray, but got none'));
    expect(() => nd.SequenceMask(x, nd.ones([2]), { useSequenceLength: false })).toThrow(
      new GluonError('SequenceMask: SequenceMask takes 1 input(s) (data) with these options, but got 2 (options go last, in one object)'));
  });
});

describe('symbols and hybridized blocks', () => {
  it("write MXNet's attributes, make the sequence_length variable and infer its shape", () => {
    const masked = sym.SequenceMask(sym.var('data'), { useSequenceLength: true, value: -1e9, axis: 1, name: 'm' });
    expect(masked.listArguments()).toEqual(['data', 'm_sequence_length']);
    expect(masked.inferShape({ data: [4, 7, 3] }).argShapes).toEqual([[4, 7, 3], [4]]);
    const last = sym.SequenceLast(masked, sym.var('len'), { axis: 1, name: 'l' });
    const reversed = sym.SequenceReverse(sym.var('data'), { name: 'r' });
    const text = sym.Group([last, reversed]).toJson();
    const nodes = (JSON.parse(text) as { nodes: { op: string; name: string; attrs?: Record<string, string> }[] }).nodes;
    expect(nodes.filter((n) => n.op !== 'null').map((n) => [n.op, n.attrs])).toEqual([
      ['SequenceMask', { use_sequence_length: 'True', value: '-1000000000.0', axis: '1' }],
      ['SequenceLast', { use_sequence_length: 'True', axis: '1' }],
      ['SequenceReverse', undefined],
    ]);
    expect(sym.loadJson(text).toJson()).toBe(text);
    expect(sym.loadJson(text.replace('"SequenceMask"', '"_npx_sequence_mask"')).toJson()).toBe(text);
    expect(last.inferShape({ data: [4, 7, 3] }).outShapes).toEqual([[4, 3]]);
  });

  class LastOfReversed extends nn.HybridBlock {
    override hybridForward(F: nn.HybridF, x: nn.Tensor, lengths: nn.Tensor): nn.Tensor {
      const masked = F.SequenceMask(F.tanh(x), lengths, { value: 0.5 });
      return F.add(F.SequenceLast(F.SequenceReverse(masked, lengths), lengths), F.SequenceLast(x, { axis: 1 }));
    }
  }

  it('give the same bits hybridized as imperatively, gradients included, and run as a SymbolBlock', () => {
    const x = randomArray(rng, [4, 4, 3]);
    const lengths = nd.array([4, 1, 2.9, 3]);
    expectHybridMatches(() => new LastOfReversed(), x, lengths);
    const block = new gluon.SymbolBlock(sym.SequenceLast(sym.var('d'), sym.var('n')), [sym.var('d'), sym.var('n')]);
    expect(values(block(x, lengths) as NDArray)).toEqual(values(nd.SequenceLast(x, lengths)));
  });
});
