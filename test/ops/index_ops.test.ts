import { autograd, nd, NDArray, sym } from '../../src';
import { BACKWARD_PICK, BACKWARD_TAKE } from '../../src/ops/index_ops';
import { invoke } from '../../src/ops/invoke';
import type { Operator } from '../../src/ops/operator';
import { checkAgainst } from '../helpers/grad_refs';
import { expectClose, makeRng, randomArray, Ref, refOf } from '../helpers/naive_ops';
import { checkSecondDerivative, naiveOneHot, naivePick, naiveTake } from '../helpers/naive_select';

const rng = makeRng(29);

/** Index values as float32, the way MXNet's frontends pass them. */
const idx = (values: number[], shape = [values.length]): NDArray => nd.array(values, { shape });

describe('pick', () => {
  const x = randomArray(rng, [2, 3, 4]);

  it.each([
    [-1, false, [2, 3], [3, 0, 1, 2, 2, 0]],
    [-1, true, [2, 3, 1], [3, 0, 1, 2, 2, 0]],
    [1, false, [2, 4], [0, 2, 1, 1, 2, 0, 0, 1]],
    [0, true, [1, 3, 4], [1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 0, 0]],
    [-2, true, [2, 1, 4], [2, 2, 0, 1, 0, 1, 1, 2]],
  ] as [number, boolean, number[], number[]][])('along axis %i (keepdims %s), index of shape %j', (axis, keepdims, indexShape, values) => {
    const a = (axis + 3) % 3;
    const index = idx(values, indexShape);
    expectClose(nd.pick(x, index, { axis, keepdims }), naivePick(refOf(x), refOf(index), a, keepdims));
  });

  it('takes either index form whatever keepdims, and clips or wraps out-of-range indices', () => {
    const m = nd.array([[1, 2, 3], [4, 5, 6]]);
    expect(nd.pick(m, idx([2, 0])).toArray()).toEqual([3, 4]);
    expect(nd.pick(m, idx([2, 0], [2, 1])).toArray()).toEqual([3, 4]);
    expect(nd.pick(m, idx([2, 0]), { keepdims: true }).toArray()).toEqual([[3], [4]]);
    expect(nd.pick(m, idx([5, -1])).toArray()).toEqual([3, 4]);
    expect(nd.pick(m, idx([5, -1]), { mode: 'wrap' }).toArray()).toEqual([3, 6]);
    expect(nd.pick(m, idx([1.9, -0.9])).toArray()).toEqual([2, 4]);
    const r = idx([7, -4, 2.5, -2]);
    const wide = randomArray(rng, [4, 3]);
    expectClose(nd.pick(wide, r, { mode: 'wrap' }), naivePick(refOf(wide), refOf(r), 1, false, 'wrap'));
  });

  it('explains bad index shapes, values and options', () => {
    const m = nd.zeros([2, 3]);
    expect(() => nd.pick(m, idx([0, 1, 2]))).toThrow('pick: expected index of shape (2,) for data of shape (2, 3), but got (3,)');
    expect(() => nd.pick(m, idx([0, 1], [1, 2]))).toThrow('pick: expected index of shape (2, 1) for data of shape (2, 3), but got (1, 2)');
    expect(() => nd.pick(m, idx([0, NaN]))).toThrow('pick: expected finite values in index, but got NaN at position 1');
    expect(() => nd.pick(m, idx([0, 1]), { axis: 2 })).toThrow('pick: expected an axis in [-2, 1] for an input of rank 2, but got 2');
    expect(() => nd.pick(m, idx([0, 1]), { axis: null } as never)).toThrow(
      'pick: expected an axis (axis=None is not supported by pick, as in MXNet), but got null');
    expect(() => nd.pick(m, idx([0, 1]), { mode: 'raise' } as never)).toThrow("pick: expected mode to be one of 'wrap', 'clip', but got the string 'raise'");
    expect(() => nd.pick(m, undefined as never)).toThrow('pick: expected index to be an NDArray, but got none');
  });

  it('puts dy at the picked positions (index gets none), and differentiates twice', () => {
    const index = idx([3, 0, 5, -1, 2, 1], [2, 3]);
    checkAgainst((v) => nd.pick(v, index), [randomArray(rng, [2, 3, 4])], (v: Ref) => naivePick(v, refOf(index), 2, false));
    checkAgainst((v) => nd.pick(v, index, { axis: -1, mode: 'wrap', keepdims: true }), [randomArray(rng, [2, 3, 4])],
      (v: Ref) => naivePick(v, refOf(index), 2, true, 'wrap'));
    checkSecondDerivative((v) => nd.pick(v, index, { mode: 'wrap' }),
      (v) => naivePick({ shape: [2, 3, 4], data: Array.from(v) }, refOf(index), 2, false, 'wrap').data, randomArray(rng, [2, 3, 4]));
    const label = idx([1, 0]);
    label.attachGrad();
    const v = randomArray(rng, [2, 2]);
    v.attachGrad();
    autograd.record(() => nd.pick(v, label).sum()).backward();
    expect((v.grad as NDArray).toArray()).toEqual([[0, 1], [1, 0]]);
    expect((label.grad as NDArray).toArray()).toEqual([0, 0]);
  });
});

describe('take', () => {
  const a = randomArray(rng, [4, 3, 2]);

  it.each([
    [0, 'clip', [2, 2], [3, 0, 1, 1]],
    [1, 'clip', [3], [2, -1, 7]],
    [-1, 'wrap', [2, 1], [3, -1]],
    [2, 'raise', [1], [1]],
    [0, 'wrap', [], [6]],
  ] as [number, 'clip' | 'wrap' | 'raise', number[], number[]][])('along axis %i in mode %s, indices of shape %j', (axis, mode, shape, values) => {
    const indices = idx(values, shape);
    const d = (axis + 3) % 3;
    const y = nd.take(a, indices, { axis, mode });
    expect(y.shape).toEqual([...a.shape.slice(0, d), ...shape, ...a.shape.slice(d + 1)]);
    expectClose(y, naiveTake(refOf(a), refOf(indices), d, mode));
  });

  it('defaults to axis 0 and mode clip', () => {
    expect(nd.take(nd.array([[1, 2], [3, 4], [5, 6]]), idx([2, 0, 9])).toArray()).toEqual([[5, 6], [1, 2], [5, 6]]);
  });

  it('explains bad indices and axes', () => {
    expect(() => nd.take(a, idx([0, 4]), { mode: 'raise' })).toThrow("take: expected indices in [0, 3] (mode 'raise'), but got 4 at position 1");
    expect(() => nd.take(a, idx([-1]), { mode: 'raise' })).toThrow("take: expected indices in [0, 3] (mode 'raise'), but got -1 at position 0");
    expect(() => nd.take(a, idx([Infinity]))).toThrow('take: expected finite values in indices, but got Infinity at position 0');
    expect(() => nd.take(a, idx([0]), { axis: 3 })).toThrow('take: expected an axis in [-3, 2] for an input of rank 3, but got 3');
    expect(() => nd.take(nd.zeros([0, 2]), idx([0]))).toThrow('take: expected a non-empty axis 0 to take from, but got a of shape (0, 2)');
    expect(() => nd.take(a, idx([0]), { mode: 'nearest' } as never)).toThrow("take: expected mode to be one of 'raise', 'wrap', 'clip', but got the string 'nearest'");
  });

  it('adds dy into the selected slices (repeated indices accumulate), and differentiates twice', () => {
    const indices = idx([1, 1, 3, 0, 1, 9], [2, 3]);
    checkAgainst((v) => nd.take(v, indices), [randomArray(rng, [4, 2])], (v: Ref) => naiveTake(v, refOf(indices), 0));
    checkAgainst((v) => nd.take(v, indices, { axis: 1, mode: 'wrap' }), [randomArray(rng, [2, 4, 2])], (v: Ref) => naiveTake(v, refOf(indices), 1, 'wrap'));
    checkSecondDerivative((v) => nd.take(v, indices, { axis: 1 }),
      (v) => naiveTake({ shape: [2, 4], data: Array.from(v) }, refOf(indices), 1).data, randomArray(rng, [2, 4]));
  });
});

describe('one_hot', () => {
  it('writes onValue at each index and offValue elsewhere, in indices.shape + (depth,)', () => {
    const indices = idx([0, 2, 5, -1, 1.7, NaN], [2, 3]);
    expectClose(nd.oneHot(indices, { depth: 3 }), naiveOneHot(refOf(indices), 3));
    expectClose(nd.oneHot(indices, { depth: 4, onValue: 2.5, offValue: -1 }), naiveOneHot(refOf(indices), 4, 2.5, -1));
    expect(nd.oneHot(idx([1, 0]), { depth: 3 }).toArray()).toEqual([[0, 1, 0], [1, 0, 0]]);
    expect(nd.oneHot(idx([1]), { depth: 0 }).shape).toEqual([1, 0]);
  });

  it('has no gradient and is never recorded', () => {
    const indices = idx([1, 0]);
    indices.attachGrad();
    expect(autograd.record(() => nd.oneHot(indices, { depth: 2 })).tapeNode).toBeUndefined();
  });

  it('explains bad options', () => {
    expect(() => nd.oneHot(idx([0]), {} as never)).toThrow('one_hot: expected depth (an integer >= 0), a required option, but got none');
    expect(() => nd.oneHot(idx([0]), { depth: -1 })).toThrow('one_hot: expected depth to be an integer >= 0, but got the number -1');
    expect(() => nd.oneHot(idx([0]), { depth: 2, dtype: 'int32' })).toThrow("one_hot: expected dtype 'float32' (tsgluon arrays are float32), but got 'int32'");
    expect(() => nd.oneHot(idx([0]), { depth: 2, axis: 0 } as never)).toThrow(
      "one_hot: expected options among depth, onValue, offValue, dtype, but got unknown option 'axis'");
  });

  it('round-trips MXNet JSON, and reads the pick alias choose_element_0index', () => {
    const y = sym.oneHot(sym.var('i'), { depth: 4, onValue: 2, name: 'h' });
    expect(y.toJson()).toContain('"attrs": {\n        "depth": "4", \n        "on_value": "2.0"\n      }');
    expect(y.inferShape({ i: [2, 3] }).outShapes).toEqual([[2, 3, 4]]);
    const picked = sym.loadJson(JSON.stringify({
      nodes: [{ op: 'null', name: 'd', inputs: [] }, { op: 'null', name: 'i', inputs: [] },
        { op: 'choose_element_0index', name: 'p', attrs: { axis: '1', keepdims: 'True' }, inputs: [[0, 0, 0], [1, 0, 0]] }],
      arg_nodes: [0, 1], heads: [[2, 0, 0]],
    }));
    expect(picked.toJson()).toContain('"op": "pick"');
    expect(picked.inferShape({ d: [2, 5], i: [2] }).outShapes).toEqual([[2, 1]]);
  });
});

describe('the backward operators', () => {
  const run = (op: Operator, inputs: NDArray[], options: Record<string, unknown> = {}) => () => invoke(nd, op, inputs, op.resolveOptions(options, op.name));

  it('scatter ograd into zeros of the data shape (take adds repeated indices)', () => {
    expect(run(BACKWARD_PICK, [nd.array([5, 6]), nd.zeros([2, 3]), idx([2, 0])])()[0].toArray()).toEqual([[0, 0, 5], [6, 0, 0]]);
    expect(run(BACKWARD_TAKE, [nd.array([[1, 2], [3, 4], [5, 6]]), nd.zeros([2, 2]), idx([1, 1, 0])])()[0].toArray()).toEqual([[5, 6], [4, 6]]);
  });

  it('check the shape of ograd against the selection', () => {
    expect(run(BACKWARD_PICK, [nd.zeros([3]), nd.zeros([2, 3]), idx([2, 0])])).toThrow(
      '_backward_pick: expected ograd of shape (2,) for data of shape (2, 3), but got (3,)');
    expect(run(BACKWARD_TAKE, [nd.zeros([2, 2]), nd.zeros([2, 2]), idx([1, 1, 0])])).toThrow(
      '_backward_take: expected ograd of shape (3, 2) for data of shape (2, 2), but got (2, 2)');
  });
});
