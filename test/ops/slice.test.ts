import { autograd, nd, NDArray, sym } from '../../src';
import { invoke } from '../../src/ops/invoke';
import type { Operator } from '../../src/ops/operator';
import { BACKWARD_SLICE, BACKWARD_SLICE_AXIS } from '../../src/ops/slice';
import { checkAgainst, naiveSliceAxis } from '../helpers/grad_refs';
import { expectClose, makeRng, randomArray, Ref, refOf } from '../helpers/naive_ops';
import { checkSecondDerivative, naiveSlice, pythonSliceIndices } from '../helpers/naive_select';

const rng = makeRng(19);

describe('slice_axis', () => {
  const x = randomArray(rng, [3, 4, 5]);

  it.each([
    [0, 1, 3, 1, 3],
    [1, 0, null, 0, 4],
    [2, -2, null, 3, 5],
    [-1, 1, -1, 1, 4],
    [1, 2, 2, 2, 2],
    [-3, -3, -2, 0, 1],
  ] as [number, number, number | null, number, number][])('slices axis %d from %d to %p', (axis, begin, end, from, to) => {
    const a = (axis + 3) % 3;
    expectClose(nd.sliceAxis(x, { axis, begin, end }), naiveSliceAxis(refOf(x), a, from, to));
  });

  it('explains bad bounds, axes and options', () => {
    expect(() => nd.sliceAxis(x, { axis: 1, begin: 3, end: 2 })).toThrow(
      'slice_axis: expected 0 <= begin <= end <= 4 (negative values count from the end of axis 1), but got begin=3, end=2');
    expect(() => nd.sliceAxis(x, { axis: 1, begin: 0, end: 5 })).toThrow(
      'slice_axis: expected 0 <= begin <= end <= 4 (negative values count from the end of axis 1), but got begin=0, end=5');
    expect(() => nd.sliceAxis(x, { axis: 1, begin: -5, end: null })).toThrow('but got begin=-5, end=null');
    expect(() => nd.sliceAxis(x, { axis: 3, begin: 0, end: null })).toThrow('slice_axis: expected an axis in [-3, 2] for an input of rank 3, but got 3');
    expect(() => nd.sliceAxis(x, { axis: 0, begin: 0.5, end: null })).toThrow('slice_axis: expected begin to be an integer, but got the number 0.5');
    expect(() => nd.sliceAxis(x, { axis: 0, begin: 0, end: 1.5 })).toThrow('slice_axis: expected end to be None or an integer, but got the number 1.5');
    expect(() => nd.sliceAxis(x, { axis: 0, begin: 0 } as never)).toThrow('slice_axis: expected end (None or an integer), a required option, but got none');
    expect(() => nd.sliceAxis('x' as never, { axis: 0, begin: 0, end: null })).toThrow('slice_axis: expected data to be an NDArray, but got the string \'x\'');
  });

  it.each([
    [0, 1, 2, 0, 1, 2],
    [1, 0, null, 1, 0, 4],
    [-1, -2, null, 2, 1, 3],
    [1, 1, 3, 1, 1, 3],
    [2, 0, 1, 2, 0, 1],
    [1, 2, 2, 1, 2, 2],
  ] as [number, number, number | null, number, number, number][])(
    'sliceAxis(axis %i, %i, %s) pads the gradient with zeros',
    (axis, begin, end, a, from, to) => {
      checkAgainst((v) => nd.sliceAxis(v, { axis, begin, end }), [randomArray(rng, [3, 4, 3])], (v: Ref) => naiveSliceAxis(v, a, from, to));
    },
  );

  it('records slice_axis, and differentiates twice', () => {
    const v = randomArray(rng, [3, 4]);
    v.attachGrad();
    expect(autograd.record(() => nd.sliceAxis(v, { axis: 1, begin: 1, end: 3 })).tapeNode?.op).toBe('slice_axis');
    checkSecondDerivative((w) => nd.sliceAxis(w, { axis: 1, begin: 1, end: 3 }),
      (w) => naiveSliceAxis({ shape: [3, 4], data: Array.from(w) }, 1, 1, 3).data, randomArray(rng, [3, 4]));
  });
});

describe('slice', () => {
  const x = randomArray(rng, [4, 5, 3]);

  it.each([
    [[1], [3], []],
    [[null, 1], [null, 4], [null, 2]],
    [[3, null], [0, null], [-1, -2]],
    [[null, null, null], [null, null, null], [-1, -1, -1]],
    [[-3, -10], [10, -1], []],
    [[-1], [-5], [-2]],
    [[5], [10], []],
    [[2, 4], [2, 0], [1, -1]],
    [[0, 0, 0], [4, 5, 3], [3, 4, 2]],
  ] as (number | null)[][][])('begin %j end %j step %j, as numpy', (begin, end, step) => {
    expectClose(nd.slice(x, { begin, end, step }), naiveSlice(refOf(x), begin, end, step));
  });

  it('follows Python\'s clamping of the bounds', () => {
    expect(pythonSliceIndices(null, null, -2, 5)).toEqual([4, 2, 0]);
    expect(nd.slice(nd.array([0, 1, 2, 3, 4]), { begin: [null], end: [null], step: [-2] }).toArray()).toEqual([4, 2, 0]);
    expect(nd.slice(nd.array([0, 1, 2, 3, 4]), { begin: [-100], end: [100] }).toArray()).toEqual([0, 1, 2, 3, 4]);
    expect(nd.slice(nd.array([0, 1, 2, 3, 4]), { begin: [3], end: [-100], step: [-1] }).toArray()).toEqual([3, 2, 1, 0]);
    expect(nd.slice(nd.zeros([0, 2]), { begin: [null], end: [null], step: [-1] }).shape).toEqual([0, 2]);
  });

  it('explains bad begin, end and step', () => {
    expect(() => nd.slice(x, { begin: [0, 1], end: [1] })).toThrow('slice: expected begin and end of the same length, but got 2 and 1 entries');
    expect(() => nd.slice(x, { begin: [0, 0, 0, 0], end: [1, 1, 1, 1] })).toThrow(
      'slice: expected at most 3 entries in begin and end (one per axis of data of shape (4, 5, 3)), but got 4');
    expect(() => nd.slice(x, { begin: [0, 0], end: [1, 1], step: [1] })).toThrow('slice: expected step to have the 2 entries of begin (or none), but got 1');
    expect(() => nd.slice(x, { begin: [0, 0], end: [1, 1], step: [1, 0] })).toThrow('slice: expected non-zero steps, but got step[1] = 0');
    expect(() => nd.slice(nd.array(1), { begin: [], end: [] })).toThrow('slice: expected data of rank >= 1, but got a 0-d array');
    expect(() => nd.slice(x, { begin: [0.5], end: [1] })).toThrow('slice: expected begin to be a tuple of integers or None, but got [0.5]');
    expect(() => nd.slice(x, { end: [1] } as never)).toThrow('slice: expected begin (a tuple of integers or None), a required option, but got none');
  });

  it.each([
    [[1, null], [3, null], [1, -2]],
    [[null, 4, 2], [null, 0, null], [-2, -1, -1]],
    [[0], [0], []],
  ] as (number | null)[][][])('places the gradient at the sliced positions (%j %j %j), and differentiates twice', (begin, end, step) => {
    const shape = [3, 5, 3];
    checkAgainst((v) => nd.slice(v, { begin, end, step }), [randomArray(rng, shape)], (v: Ref) => naiveSlice(v, begin, end, step));
    if (naiveSlice(refOf(x), begin, end, step).data.length === 0) return;
    checkSecondDerivative((v) => nd.slice(v, { begin, end, step }),
      (v) => naiveSlice({ shape, data: Array.from(v) }, begin, end, step).data, randomArray(rng, shape));
  });

  it('writes None entries as MXNet, reads dmlc tuples, and takes the alias crop', () => {
    const y = sym.slice(sym.var('x'), { begin: [null, 1], end: [2, null], step: [-1, 1], name: 's' });
    const text = y.toJson();
    expect(text).toContain('"begin": "(None, 1)"');
    expect(text).toContain('"end": "(2, None)"');
    expect(text).toContain('"step": "(-1, 1)"');
    expect(sym.loadJson(text).toJson()).toBe(text);
    const file = (op: string, attrs: Record<string, string>): string => JSON.stringify({
      nodes: [{ op: 'null', name: 'x', inputs: [] }, { op, name: 'n', attrs, inputs: [[0, 0, 0]] }], arg_nodes: [0], heads: [[1, 0, 0]],
    });
    expect(sym.loadJson(file('crop', { begin: '[None,1L]', end: '(3,None,)' })).inferShape({ x: [4, 5] }).outShapes).toEqual([[3, 4]]);
    expect(sym.loadJson(file('slice', { begin: '1', end: '2' })).inferShape({ x: [4, 5] }).outShapes).toEqual([[1, 5]]);
    expect(() => sym.loadJson(file('slice', { begin: '(1.5,)', end: '(2,)' }))).toThrow(
      "expected attribute 'begin' of slice to be a tuple of integers or None, but got '(1.5,)'");
    expect(sym.loadJson(file('slice_axis', { axis: '0', begin: '1', end: 'None' })).inferShape({ x: [4, 5] }).outShapes).toEqual([[3, 5]]);
  });

  it('does not mutate its input', () => {
    const before = Array.from(x.data);
    const v = nd.array(x);
    v.attachGrad();
    autograd.record(() => nd.slice(v, { begin: [1], end: [3] }).sum()).backward();
    expect(Array.from(x.data)).toEqual(before);
    expect((v.grad as NDArray).shape).toEqual([4, 5, 3]);
  });
});

describe('the backward operators', () => {
  const run = (op: Operator, inputs: NDArray[], options: Record<string, unknown>) => () => invoke(nd, op, inputs, op.resolveOptions(options, op.name));

  it('place ograd into zeros of the data shape', () => {
    expect(run(BACKWARD_SLICE_AXIS, [nd.array([[5], [6]]), nd.zeros([2, 3])], { axis: 1, begin: 1, end: 2 })()[0].toArray()).toEqual([[0, 5, 0], [0, 6, 0]]);
    expect(run(BACKWARD_SLICE, [nd.array([7, 8]), nd.zeros([4])], { begin: [3], end: [null], step: [-2] })()[0].toArray()).toEqual([0, 8, 0, 7]);
  });

  it('check the shape of ograd against the slice of data', () => {
    expect(run(BACKWARD_SLICE_AXIS, [nd.zeros([2, 2]), nd.zeros([2, 3])], { axis: 1, begin: 1, end: 2 })).toThrow(
      '_backward_slice_axis: expected ograd of shape (2, 1) for data of shape (2, 3), but got (2, 2)');
    expect(run(BACKWARD_SLICE, [nd.zeros([3]), nd.zeros([4])], { begin: [3], end: [null], step: [-2] })).toThrow(
      '_backward_slice: expected ograd of shape (2,) for data of shape (4,), but got (3,)');
  });
});
