import { GluonError, NDArray, autograd, gluon, nd, nn, sym } from '../../src';
import { PAD_GRAD } from '../../src/ops/pad';
import { activationFixtures, expectAllClose } from '../helpers/activation_fixtures';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { makeRng, randomArray, ravel, sizeOf, unravel } from '../helpers/naive_ops';

/**
 * numpy.pad by index arithmetic: every output element finds its source per axis. Reflection
 * folds the index with period 2(n − 1) (numpy's 'reflect'), edge clamps, constant leaves the
 * border at `value`.
 */
function naivePad(xs: ArrayLike<number>, shape: number[], mode: nd.PadMode, widths: number[], value = 0): { shape: number[]; data: Float64Array } {
  const outShape = shape.map((n, a) => n + widths[2 * a] + widths[2 * a + 1]);
  const data = new Float64Array(sizeOf(outShape));
  for (let f = 0; f < data.length; f++) {
    const source = unravel(f, outShape).map((o, a) => {
      const [n, i] = [shape[a], o - widths[2 * a]];
      if (i >= 0 && i < n) return i;
      if (mode === 'constant') return -1;
      if (mode === 'edge') return Math.min(Math.max(i, 0), n - 1);
      const period = 2 * (n - 1);
      const k = ((i % period) + period) % period;
      return k < n ? k : period - k;
    });
    data[f] = source.includes(-1) ? value : xs[ravel(source, shape)];
  }
  return { shape: outShape, data };
}

const TOLERANCE = 2 ** -22;

describe('nd.pad: forward against numpy-style index arithmetic', () => {
  const cases: [nd.PadMode, number[], number[], number][] = [
    ['reflect', [2, 3, 4, 5], [0, 0, 0, 0, 3, 1, 2, 4], 0],
    ['reflect', [1, 2, 3, 4, 5], [0, 0, 0, 0, 2, 1, 0, 3, 4, 1], 0],
    ['edge', [2, 2, 1, 3], [0, 0, 0, 0, 2, 3, 4, 1], 0],
    ['edge', [1, 1, 2, 2, 2], [0, 0, 0, 0, 1, 1, 2, 0, 0, 3], 0],
    ['constant', [2, 3, 2, 2], [0, 0, 0, 0, 1, 2, 0, 3], -1.5],
    ['constant', [1, 2, 2, 3, 1], [0, 0, 0, 0, 1, 0, 0, 1, 2, 2], 7],
    ['reflect', [2, 2, 3, 3], [0, 0, 0, 0, 0, 0, 0, 0], 0],
  ];
  it.each(cases)('%s, shape %j, padWidth %j', (mode, shape, padWidth, constantValue) => {
    const x = randomArray(makeRng(1), shape);
    const y = nd.pad(x, { mode, padWidth, constantValue });
    const expected = naivePad(x.toFloat32Array(), shape, mode, padWidth, constantValue);
    expect(y.shape).toEqual(expected.shape);
    expect(Array.from(y.toFloat32Array())).toEqual(Array.from(expected.data, Math.fround));
  });

  it("reproduces the doc example and numpy's reflect of [1, 2, 3]", () => {
    const x = nd.array([[[[1, 2, 3]]]]);
    expect(nd.pad(x, { mode: 'reflect', padWidth: [0, 0, 0, 0, 0, 0, 2, 2] }).toArray()).toEqual([[[[3, 2, 1, 2, 3, 2, 1]]]]);
    expect(nd.pad(x, { mode: 'edge', padWidth: [0, 0, 0, 0, 1, 0, 1, 1] }).toArray()).toEqual([[[[1, 1, 2, 3, 3], [1, 1, 2, 3, 3]]]]);
  });

  it('handles empty batches and empty constant-padded axes', () => {
    expect(nd.pad(nd.zeros([0, 2, 3, 3]), { mode: 'reflect', padWidth: [0, 0, 0, 0, 1, 1, 1, 1] }).shape).toEqual([0, 2, 5, 5]);
    const y = nd.pad(nd.zeros([1, 1, 0, 2]), { mode: 'constant', padWidth: [0, 0, 0, 0, 1, 1, 0, 0], constantValue: 4 });
    expect(y.toArray()).toEqual([[[[4, 4], [4, 4]]]]);
  });

  it('does not mutate its input', () => {
    const x = nd.array([[[[1, 2], [3, 4]]]]);
    nd.pad(x, { mode: 'edge', padWidth: [0, 0, 0, 0, 1, 1, 1, 1] });
    expect(x.toArray()).toEqual([[[[1, 2], [3, 4]]]]);
  });
});

describe('nd.pad: backward', () => {
  it.each(['reflect', 'edge', 'constant'] as const)('%s matches central differences', (mode) => {
    const shape = [1, 2, 3, 4];
    const padWidth = [0, 0, 0, 0, 2, 1, 3, 2];
    checkGradient((x) => nd.pad(x, { mode, padWidth, constantValue: 2 }), [randomArray(makeRng(2), shape)], {
      reference64: (x) => naivePad(x, shape, mode, padWidth, 2).data,
    });
  });

  it('matches central differences for 5-D data', () => {
    const shape = [1, 1, 2, 3, 2];
    const padWidth = [0, 0, 0, 0, 1, 0, 2, 1, 1, 1];
    checkGradient((x) => nd.pad(x, { mode: 'reflect', padWidth }), [randomArray(makeRng(7), shape)], {
      reference64: (x) => naivePad(x, shape, 'reflect', padWidth).data,
    });
  });

  it('sums the gradients of every copy (edge: the corner takes the whole padded corner)', () => {
    const x = nd.array([[[[5]]]]);
    x.attachGrad();
    autograd.record(() => nd.pad(x, { mode: 'edge', padWidth: [0, 0, 0, 0, 1, 2, 2, 1] })).backward();
    expect(x.grad?.toArray()).toEqual([[[[16]]]]);
  });
});

describe('nd.pad against PyTorch (reflection, replication and constant padding)', () => {
  it.each(activationFixtures('pad').map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const x = nd.array(c.x, { shape: c.x_shape });
    x.attachGrad();
    const options = { mode: c.params.mode as nd.PadMode, padWidth: c.params.pad_width ?? [], constantValue: c.params.constant_value };
    const y = autograd.record(() => nd.pad(x, options));
    y.backward(nd.array(c.head, { shape: c.y_shape }));
    expect(y.shape).toEqual(c.y_shape);
    expectAllClose(y.toFloat32Array(), c.y, TOLERANCE, 'output');
    expectAllClose(x.grad?.toFloat32Array() ?? [], c.dx ?? [], TOLERANCE, 'gradient');
  });
});

/** The adjoint of naivePad in x (its gradient at head w): every w element added to the input it was copied from. */
function naivePadGrad(w: ArrayLike<number>, shape: number[], mode: nd.PadMode, widths: number[]): Float64Array {
  const index = naivePad(Float64Array.from({ length: sizeOf(shape) }, (_, k) => k), shape, mode, widths, -1).data;
  const dx = new Float64Array(sizeOf(shape));
  index.forEach((source, o) => {
    if (source >= 0) dx[source] += w[o];
  });
  return dx;
}

describe('second derivatives through Pad', () => {
  it.each(['reflect', 'edge', 'constant'] as const)('differentiates the gradient in the head gradient (%s)', (mode) => {
    // G(x, w) = ∂(Σ w·pad(x))/∂x = Aᵀw: linear in w, constant in x (x gets a zero gradient).
    const shape = [1, 2, 3, 4];
    const padWidth = [0, 0, 0, 0, 2, 1, 1, 2];
    const outShape = [1, 2, 6, 7];
    const x = randomArray(makeRng(8), shape);
    const w = nd.array(Float32Array.from(pseudoRandom(sizeOf(outShape), 9)), { shape: outShape });
    const gradient = (data: NDArray, head: NDArray): NDArray =>
      autograd.grad(nd.pad(data, { mode, padWidth, constantValue: 3 }), [data], { headGrads: head, createGraph: true })[0];
    checkGradient(gradient, [x, w], { reference64: (_data, head) => naivePadGrad(head, shape, mode, padWidth) });
  });
});

describe('sym.pad and sym.Pad', () => {
  it("build a Pad node whose attributes are MXNet's strings, and round-trip", () => {
    const y = sym.pad(sym.var('data'), { mode: 'reflect', padWidth: [0, 0, 0, 0, 1, 1, 1, 1], name: 'p' });
    const text = y.toJson();
    expect(text).toContain('"op": "Pad"');
    expect(text).toContain('"mode": "reflect"');
    expect(text).toContain('"pad_width": "(0, 0, 0, 0, 1, 1, 1, 1)"');
    expect(sym.loadJson(text).toJson()).toBe(text);
    expect(y.inferShape({ data: [2, 3, 4, 5] }).outShapes).toEqual([[2, 3, 6, 7]]);
    const c = sym.Pad(sym.var('data'), { mode: 'constant', padWidth: [0, 0, 0, 0, 0, 1, 2, 0, 0, 0], constantValue: -1.5, name: 'c' });
    expect(c.toJson()).toContain('"constant_value": "-1.5"');
    expect(c.inferShape({ data: [1, 2, 3, 4, 5] }).outShapes).toEqual([[1, 2, 4, 6, 5]]);
  });

  it("reads MXNet's JSON (alias pad, inf as the constant) and computes as nd.pad", () => {
    const file = {
      nodes: [{ op: 'null', name: 'data', inputs: [] }, { op: 'pad', name: 'p', attrs: { mode: 'constant', pad_width: '(0,0,0,0,1,0,0,1)', constant_value: '-inf' }, inputs: [[0, 0, 0]] }],
      heads: [[1, 0, 0]],
    };
    const y = sym.loadJson(file);
    expect(y.toJson()).toContain('"op": "Pad"');
    expect((gluon.SymbolBlock.imports(file, 'data')(nd.array([[[[1, 2]]]])) as NDArray).toArray()).toEqual([[[[-Infinity, -Infinity, -Infinity], [1, 2, -Infinity]]]]);
    const bad = { ...file, nodes: [file.nodes[0], { ...file.nodes[1], attrs: { pad_width: '(0,0,0,0,1,0,0,1)' } }] };
    expect(() => sym.loadJson(bad)).toThrow("expected mode (one of 'constant', 'edge', 'reflect'), a required option, but got none");
  });
});

describe('nd.pad: errors', () => {
  const x = nd.zeros([1, 2, 3, 3]);
  const pw = [0, 0, 0, 0, 1, 1, 1, 1];
  it('checks the mode and the rank', () => {
    expect(() => nd.pad(x, { mode: 'symmetric' as nd.PadMode, padWidth: pw })).toThrow(GluonError);
    expect(() => nd.pad(x, { mode: 'symmetric' as nd.PadMode, padWidth: pw })).toThrow(
      "Pad: expected mode to be one of 'constant', 'edge', 'reflect', but got the string 'symmetric'",
    );
    expect(() => nd.pad(x, { padWidth: pw } as unknown as nd.PadOptions)).toThrow("Pad: expected mode (one of 'constant', 'edge', 'reflect'), a required option, but got none");
    expect(() => nd.pad(nd.zeros([3, 3]), { mode: 'edge', padWidth: [1, 1, 1, 1] })).toThrow(
      'Pad: expected data of rank 4 or 5 (MXNet pads only 4-D and 5-D arrays), but got shape (3, 3)',
    );
  });

  it('checks padWidth', () => {
    expect(() => nd.pad(x, { mode: 'edge', padWidth: [1, 1, 1, 1] })).toThrow(
      'Pad: expected padWidth to be 8 integers >= 0 (before and after for each of the 4 axes of data), but got (1, 1, 1, 1)',
    );
    expect(() => nd.pad(x, { mode: 'edge', padWidth: [0, 0, 0, 0, 1, -1, 1, 1] })).toThrow(/expected padWidth to be 8 integers >= 0 .* but got \(0, 0, 0, 0, 1, -1, 1, 1\)/);
    expect(() => nd.pad(x, { mode: 'edge' } as nd.PadOptions)).toThrow('Pad: expected padWidth (a tuple of integers), a required option, but got none');
    expect(() => nd.pad(x, { mode: 'edge', padWidth: [0, 1.5] })).toThrow('Pad: expected padWidth to be a tuple of integers, but got [0, 1.5]');
    expect(() => nd.pad(x, { mode: 'edge', padWidth: [0, 0, 1, 0, 1, 1, 1, 1] })).toThrow(
      'Pad: expected no padding on axes 0 and 1 (padWidth[0..3] all 0, as MXNet), but got padWidth (0, 0, 1, 0, 1, 1, 1, 1)',
    );
  });

  it('checks that reflect and edge have values to copy', () => {
    expect(() => nd.pad(x, { mode: 'reflect', padWidth: [0, 0, 0, 0, 3, 0, 1, 1] })).toThrow(
      'Pad: expected reflect widths smaller than the axis they pad, but got 3 and 0 for axis 2 of size 3 in data of shape (1, 2, 3, 3)',
    );
    expect(() => nd.pad(nd.zeros([1, 1, 3, 3, 2]), { mode: 'reflect', padWidth: [0, 0, 0, 0, 0, 0, 0, 0, 0, 2] })).toThrow(/but got 0 and 2 for axis 4 of size 2/);
    expect(() => nd.pad(nd.zeros([1, 1, 0, 3]), { mode: 'edge', padWidth: [0, 0, 0, 0, 1, 0, 0, 0] })).toThrow(
      "Pad: expected a non-empty axis to pad in mode 'edge', but axis 2 of data of shape (1, 1, 0, 3) is empty",
    );
  });

  it('checks the constant, the data, the options and the output size', () => {
    expect(() => nd.pad(x, { mode: 'constant', padWidth: pw, constantValue: '1' as unknown as number })).toThrow(
      'Pad: expected constantValue to be a number, but got the string \'1\'',
    );
    expect(() => nd.pad([1] as unknown as NDArray, { mode: 'constant', padWidth: pw })).toThrow('Pad: expected data to be an NDArray, but got [1]');
    expect(() => Reflect.apply(nd.pad, undefined, [x, x, { mode: 'edge', padWidth: pw }])).toThrow(
      'Pad: Pad takes 1 input(s) (data) with these options, but got 2 (options go last, in one object)',
    );
    expect(() => nd.pad(x, { mode: 'constant', padWidth: [0, 0, 0, 0, 2 ** 20, 0, 2 ** 20, 0] })).toThrow(
      /Pad output: shape \(1, 2, 1048579, 1048579\) has \d+ elements, more than/,
    );
  });

  it('names the layer that called it', () => {
    const layer = new (class extends nn.HybridBlock {
      override hybridForward(F: nn.HybridF, data: nn.Tensor): nn.Tensor {
        return F.pad(data, { mode: 'reflect', padWidth: [0, 0, 0, 0, 5, 5, 0, 0] });
      }
    })({ prefix: 'padder_' });
    expect(() => layer(x)).toThrow(/^padder: expected reflect widths smaller than the axis they pad/);
  });

  it('_backward_Pad checks that ograd covers the widths', () => {
    const attrs = PAD_GRAD.resolveOptions({ mode: 'constant', padWidth: [0, 0, 0, 0, 2, 2, 0, 0] }, '_backward_Pad');
    expect(PAD_GRAD.inferShape(attrs, [[1, 1, 5, 2]], 'test').outputs).toEqual([[1, 1, 1, 2]]);
    expect(() => PAD_GRAD.inferShape(attrs, [[1, 1, 3, 2]], 'test')).toThrow(
      'test: expected ograd at least as large as padWidth (0, 0, 0, 0, 2, 2, 0, 0) on every axis, but got shape (1, 1, 3, 2)',
    );
  });
});
