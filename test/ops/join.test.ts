import { autograd, GluonError, nd, NDArray, nn, sym } from '../../src';
import { checkAgainst, naiveConcat } from '../helpers/grad_refs';
import { expectClose, makeRng, randomArray, Ref, refOf } from '../helpers/naive_ops';
import { checkSecondDerivative, naiveSplit, naiveStack } from '../helpers/naive_select';

const rng = makeRng(9);

/** A float64 forward of an op of one array of `shape`, on a Ref reference. */
function ref64(shape: number[], f: (x: Ref) => Ref): (x: Float64Array) => number[] {
  return (x) => f({ shape, data: Array.from(x) }).data;
}

describe('Concat', () => {
  it.each([0, 1, 2, -1, -3])('joins arrays of different lengths along dim %d', (dim) => {
    const a = (dim + 3) % 3;
    const parts = [2, 0, 3, 1].map((len) => randomArray(rng, [2, 3, 4].map((d, i) => (i === a ? len : d))));
    expectClose(nd.concat(...parts, { dim }), naiveConcat(parts.map(refOf), a));
    expectClose(nd.Concat(...parts, { dim }), naiveConcat(parts.map(refOf), a));
  });

  it('defaults to dim 1, as mx.nd.concat, and fills in numArgs', () => {
    expect(nd.concat(nd.zeros([2, 1]), nd.ones([2, 3])).shape).toEqual([2, 4]);
    expect(nd.concat(nd.zeros([2, 1]), nd.ones([2, 3]), { numArgs: 2 }).shape).toEqual([2, 4]);
  });

  it('joins a single array and 1-d arrays', () => {
    expect(nd.concat(nd.array([1, 2]), { dim: 0 }).toArray()).toEqual([1, 2]);
    expect(nd.concat(nd.array([1, 2]), nd.array([3]), { dim: 0 }).toArray()).toEqual([1, 2, 3]);
  });

  it('explains mismatched inputs and options', () => {
    expect(() => nd.concat(nd.zeros([2, 3, 4]), nd.zeros([2, 5, 4]), nd.zeros([2, 3, 5]), { dim: 1 })).toThrow(
      'Concat: expected every input to have shape (2, *, 4) (any length on axis 1), but arg2 has shape (2, 3, 5)');
    expect(() => nd.concat(nd.zeros([2]), nd.zeros([2, 1]), { dim: 0 })).toThrow(
      'Concat: expected every input to have shape (*,) (any length on axis 0), but arg1 has shape (2, 1)');
    expect(() => nd.concat({ dim: 0 })).toThrow('Concat: expected numArgs to be an integer >= 1, but got the number 0');
    expect(() => nd.concat([nd.zeros([2])] as never)).toThrow('Concat: expected arg0 to be an NDArray, but got an array of length 1');
    expect(() => nd.concat(nd.zeros([2]), 5 as never)).toThrow('Concat: expected arg1 to be an NDArray, but got the number 5');
    expect(() => nd.concat(nd.zeros([2]))).toThrow('Concat: expected an axis in [-1, 0] for an input of rank 1, but got 1');
    expect(() => nd.concat(nd.zeros([2]), { dim: 0.5 })).toThrow('Concat: expected dim to be an integer, but got the number 0.5');
    expect(() => nd.concat(nd.zeros([2]), nd.zeros([2]), { dim: 0, numArgs: 3 })).toThrow('Concat: expected arg2 to be an NDArray, but got none');
    expect(() => nd.concat(nd.zeros([2]), nd.zeros([2]), { dim: 0, numArgs: 1 })).toThrow(
      'Concat: Concat takes 1 input(s) (arg0) with these options, but got 2 (options go last, in one object)');
    expect(() => nd.concat(nd.zeros([2]), { axis: 0 } as never)).toThrow("Concat: expected options among numArgs, dim, but got unknown option 'axis'");
    expect(() => nd.concat(nd.zeros([2]))).toThrow(GluonError);
  });

  it.each([0, 1, -1])('slices the gradient back to each input along dim %i', (dim) => {
    const a = (dim + 3) % 3;
    const inputs = [2, 1, 3].map((length) => randomArray(rng, [2, 3, 2].map((d, i) => (i === a ? length : d))));
    checkAgainst((...xs) => nd.concat(...xs, { dim }), inputs, (...xs: Ref[]) => naiveConcat(xs, a));
  });

  it('sends the gradient of an input listed twice to it twice', () => {
    checkAgainst((v) => nd.concat(v, v, { dim: 0 }), [randomArray(rng, [2, 2])], (v: Ref) => naiveConcat([v, v], 0));
  });

  it('records Concat, and differentiates twice', () => {
    const x = randomArray(rng, [2, 3]);
    x.attachGrad();
    expect(autograd.record(() => nd.concat(x, x)).tapeNode?.op).toBe('Concat');
    const c = randomArray(rng, [2, 2]);
    checkSecondDerivative((v) => nd.concat(c, v, { dim: 1 }), ref64([2, 3], (v) => naiveConcat([refOf(c), v], 1)), randomArray(rng, [2, 3]));
  });
});

describe('stack', () => {
  it.each([0, 1, 2, -1, -3])('joins arrays along a new axis %d', (axis) => {
    const a = (axis + 3) % 3;
    const parts = [0, 1, 2].map(() => randomArray(rng, [2, 3]));
    const y = nd.stack(...parts, { axis });
    expect(y.shape).toEqual(naiveStack(parts.map(refOf), a).shape);
    expectClose(y, naiveStack(parts.map(refOf), a));
  });

  it('defaults to axis 0 and stacks one array', () => {
    expect(nd.stack(nd.array([1, 2]), nd.array([3, 4])).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(nd.stack(nd.array([1, 2])).shape).toEqual([1, 2]);
  });

  it('explains mismatched inputs', () => {
    expect(() => nd.stack(nd.zeros([2, 3]), nd.zeros([2, 4]))).toThrow(
      'stack: expected every input to have the shape of arg0 (2, 3), but arg1 has shape (2, 4)');
    expect(() => nd.stack(nd.zeros([2, 3]), nd.zeros([2, 3]), { axis: 3 })).toThrow(
      'stack: expected an axis in [-3, 2] for an input of rank 3, but got 3');
  });

  it('splits the gradient back, and differentiates twice', () => {
    const inputs = [0, 1, 2].map(() => randomArray(rng, [2, 2]));
    checkAgainst((...xs) => nd.stack(...xs, { axis: 1 }), inputs, (...xs: Ref[]) => naiveStack(xs, 1));
    const c = randomArray(rng, [3, 2]);
    checkSecondDerivative((v) => nd.stack(v, c, { axis: -1 }), ref64([3, 2], (v) => naiveStack([v, refOf(c)], 2)), randomArray(rng, [3, 2]));
  });
});

describe('SliceChannel (split)', () => {
  const x = randomArray(rng, [2, 6, 3]);

  it.each([
    [3, 1, false], [2, 0, false], [1, 2, false], [3, -1, true], [6, 1, false],
  ] as [number, number, boolean][])('splits into %i pieces along axis %i (squeezeAxis %s)', (n, axis, squeezeAxis) => {
    const a = (axis + 3) % 3;
    const pieces = nd.split(x, { numOutputs: n, axis, squeezeAxis });
    const expected = naiveSplit(refOf(x), n, a, squeezeAxis);
    expect(pieces.length).toBe(n);
    pieces.forEach((p, k) => expectClose(p, expected[k]));
    nd.SliceChannel(x, { numOutputs: n, axis, squeezeAxis }).forEach((p, k) => expectClose(p, expected[k]));
  });

  it('returns a list also for one piece, and defaults to axis 1', () => {
    const pieces = nd.split(nd.array([[1, 2]]), { numOutputs: 1 });
    expect(pieces.map((p) => p.toArray())).toEqual([[[1, 2]]]);
    expect(nd.split(nd.array([[1, 2]]), { numOutputs: 2 }).map((p) => p.toArray())).toEqual([[[1]], [[2]]]);
  });

  it('explains bad splits', () => {
    expect(() => nd.split(x, { numOutputs: 4 })).toThrow(
      'SliceChannel: expected the length of axis 1 to be a multiple of numOutputs=4, but got data of shape (2, 6, 3)');
    expect(() => nd.split(x, { numOutputs: 3, squeezeAxis: true })).toThrow(
      'SliceChannel: expected axis 1 to have length numOutputs=3 to squeeze it (squeezeAxis), but got data of shape (2, 6, 3)');
    expect(() => nd.split(x, { numOutputs: 2, axis: 3 })).toThrow('SliceChannel: expected an axis in [-3, 2] for an input of rank 3, but got 3');
    expect(() => nd.split(x, { numOutputs: 0 })).toThrow('SliceChannel: expected numOutputs to be an integer >= 1, but got the number 0');
    expect(() => nd.split(x, {} as never)).toThrow('SliceChannel: expected numOutputs (an integer >= 1), a required option, but got none');
  });

  it('concatenates the pieces\' gradients, zeros for an unused piece (a multi-output tape node)', () => {
    const v = randomArray(rng, [2, 6, 3]);
    v.attachGrad();
    const head = autograd.record(() => {
      const [a, , c] = nd.split(v, { numOutputs: 3, axis: 1 });
      return nd.add(a.square().sum(), c.sum());
    });
    head.backward();
    const expected = refOf(v).data.map((value, flat) => {
      const column = Math.floor(flat / 3) % 6;
      return column < 2 ? 2 * value : column >= 4 ? 1 : 0;
    });
    expectClose(v.grad as NDArray, { shape: [2, 6, 3], data: expected });
  });

  it('differentiates twice, with the axis squeezed', () => {
    const op = (v: NDArray): NDArray => {
      const [a, b] = nd.split(v, { numOutputs: 2, axis: 0, squeezeAxis: true });
      return nd.concat(b, a.square(), { dim: 0 });
    };
    // Not affine (a²): checked against central differences of op's own float32 gradient.
    const x0 = randomArray(rng, [2, 3]);
    const g = (v: NDArray): NDArray => autograd.grad(nd.tanh(op(v)), [v], { createGraph: true })[0];
    const v = nd.array(x0);
    v.attachGrad();
    const y = autograd.record(() => g(v).sum());
    y.backward();
    const analytic = (v.grad as NDArray).toFloat32Array();
    const f = (data: Float64Array): number => {
      const a = data.slice(0, 3);
      const b = data.slice(3);
      let total = 0;
      b.forEach((bi) => (total += 1 - Math.tanh(bi) ** 2));
      a.forEach((ai) => (total += (1 - Math.tanh(ai * ai) ** 2) * 2 * ai));
      return total;
    };
    const base = Float64Array.from(x0.toFloat32Array());
    base.forEach((_, j) => {
      const [plus, minus] = [1, -1].map((s) => f(base.map((value, i) => (i === j ? value + s * 1e-6 : value))));
      expect(Math.abs(analytic[j] - (plus - minus) / 2e-6)).toBeLessThan(1e-3);
    });
    checkSecondDerivative((w) => nd.concat(...nd.split(w, { numOutputs: 3, axis: 1 }).reverse(), { dim: 1 }),
      ref64([2, 3], (w) => naiveConcat(naiveSplit(w, 3, 1, false).reverse(), 1)), randomArray(rng, [2, 3]));
  });
});

describe('symbols and hybridized blocks', () => {
  it('writes Concat and SliceChannel as MXNet does, and reads them back', () => {
    const parts = sym.split(sym.var('d'), { numOutputs: 3, axis: 0, squeezeAxis: true, name: 's' });
    const joined = sym.concat(parts[2], parts[0], { dim: 0, name: 'c' });
    const text = joined.toJson();
    expect(text).toContain('"op": "SliceChannel"');
    expect(text).toContain('"attrs": {\n        "axis": "0", \n        "num_outputs": "3", \n        "squeeze_axis": "True"\n      }');
    expect(text).toContain('"attrs": {\n        "dim": "0", \n        "num_args": "2"\n      }');
    expect(sym.loadJson(text).toJson()).toBe(text);
    expect(sym.Group(parts).listOutputs()).toEqual(['s_output0', 's_output1', 's_output2']);
    expect(joined.inferShape({ d: [3, 4] }).outShapes).toEqual([[8]]);
    expect(sym.Group(parts).inferShape({ d: [3, 4] }).outShapes).toEqual([[4], [4], [4]]);
  });

  it('reads the legacy aliases and rejects undeclared attributes', () => {
    const file = (op: string, attrs: Record<string, string>, inputs: number): string => JSON.stringify({
      nodes: [{ op: 'null', name: 'a', inputs: [] }, { op: 'null', name: 'b', inputs: [] },
        { op, name: 'n', attrs, inputs: Array.from({ length: inputs }, (_, i) => [i, 0, 0]) }],
      arg_nodes: [0, 1], heads: [[2, 0, 0]],
    });
    expect(sym.loadJson(file('concat', { num_args: '2', dim: '0' }, 2)).inferShape({ a: [2], b: [3] }).outShapes).toEqual([[5]]);
    expect(sym.loadJson(file('split', { num_outputs: '2' }, 1)).inferShape({ a: [3, 4] }).outShapes).toEqual([[3, 2]]);
    expect(() => sym.loadJson(file('Concat', { num_args: '2', axis: '0' }, 2))).toThrow(
      "operator Concat has no attribute 'axis' (MXNet declares: num_args, dim)");
    expect(() => sym.loadJson(file('Concat', { dim: '0' }, 2))).toThrow('expected num_args (an integer >= 1), a required option, but got none');
  });

  class SwapHalves extends nn.HybridBlock {
    override hybridForward(F: nn.HybridF, x: nn.Tensor, _params: nn.TensorRecord): nn.Tensor {
      const [a, b] = F.split(x, { numOutputs: 2, axis: 1 });
      return F.stack(F.concat(b, a, { dim: 1 }), x, { axis: 0 });
    }
  }

  it('gives the imperative results and gradients when hybridized', () => {
    const x = randomArray(rng, [2, 4]);
    const imperative = new SwapHalves();
    const hybrid = new SwapHalves();
    hybrid.hybridize();
    const run = (block: SwapHalves): [number[], number[]] => {
      const v = nd.array(x);
      v.attachGrad();
      const y = autograd.record(() => (block(v) as NDArray).square().sum());
      y.backward();
      return [Array.from((block(v) as NDArray).data), Array.from((v.grad as NDArray).data)];
    };
    expect(run(hybrid)).toEqual(run(imperative));
    expect(run(hybrid)[1]).toEqual(Array.from(x.data, (value) => 4 * value));
  });
});
