import { GluonError, NDArray, autograd, nd, nn, sym } from '../../src';
import { EMBEDDING_GRAD } from '../../src/ops/embedding';
import { nd as ndOps } from '../../src/ops/nd';
import { runInto } from '../../src/ops/run_into';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { activationFixtures, expectAllClose } from '../helpers/activation_fixtures';
import { makeRng, randomArray } from '../helpers/naive_ops';

/** Looks every index up row by row, in float64. */
function naiveEmbedding(indices: number[], weight: number[][]): number[][] {
  return indices.map((r) => weight[r].slice());
}

describe('nd.Embedding: forward', () => {
  it('looks up rows for indices of any rank', () => {
    const weight = randomArray(makeRng(1), [6, 3]);
    const rows = weight.toArray() as number[][];
    for (const shape of [[4], [2, 3], [2, 1, 2], [0, 2]]) {
      const ids = Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, k) => (k * 5 + 2) % 6);
      const y = nd.Embedding(nd.array(ids, { shape }), weight, { inputDim: 6, outputDim: 3 });
      expect(y.shape).toEqual([...shape, 3]);
      expect(Array.from(y.toFloat32Array())).toEqual(naiveEmbedding(ids, rows).flat());
    }
  });

  it('reproduces the doc example', () => {
    const y = nd.Embedding(nd.array([2, 0]), nd.array([[0, 0], [1, 1], [2, 2]]), { inputDim: 3, outputDim: 2 });
    expect(y.toArray()).toEqual([[2, 2], [0, 0]]);
  });
});

describe('nd.Embedding: backward', () => {
  it('scatter-adds the output gradient into the rows it read; indices get none', () => {
    const weight = nd.zeros([4, 2]);
    const indices = nd.array([[3, 1], [3, 3]]);
    weight.attachGrad();
    indices.attachGrad();
    const y = autograd.record(() => nd.Embedding(indices, weight, { inputDim: 4, outputDim: 2 }));
    y.backward(nd.array([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]));
    expect(weight.grad?.toArray()).toEqual([[0, 0], [3, 4], [0, 0], [13, 16]]);
    expect(indices.grad?.toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it('matches PyTorch (output and weight gradient, with a repeated row)', () => {
    for (const c of activationFixtures('embedding')) {
      const [inputDim, outputDim] = [c.params.input_dim ?? 0, c.params.output_dim ?? 0];
      const weight = nd.array(c.weight ?? [], { shape: [inputDim, outputDim] });
      weight.attachGrad();
      const y = autograd.record(() => nd.Embedding(nd.array(c.x, { shape: c.x_shape }), weight, { inputDim, outputDim }));
      y.backward(nd.array(c.head, { shape: [...c.x_shape, outputDim] }));
      expectAllClose(y.toFloat32Array(), c.y, 2 ** -22, 'output');
      expectAllClose(weight.grad?.toFloat32Array() ?? [], c.dweight ?? [], 2 ** -22, 'weight gradient');
    }
  });
});

/** The scatter-add of head rows into a (rows, width) matrix: the weight gradient at head w. */
function naiveScatter(indices: number[], w: ArrayLike<number>, rows: number, width: number): Float64Array {
  const dw = new Float64Array(rows * width);
  indices.forEach((r, k) => {
    for (let j = 0; j < width; j++) dw[r * width + j] += w[k * width + j];
  });
  return dw;
}

describe('nd.Embedding: gradients', () => {
  const ids = [3, 1, 3, 0, 4, 3];
  const indices = nd.array(ids, { shape: [2, 3] });
  const options = { inputDim: 5, outputDim: 2 };

  it('matches central differences in the weight', () => {
    checkGradient((w) => nd.Embedding(indices, w, options), [randomArray(makeRng(2), [5, 2])], {
      reference64: (w) => naiveEmbedding(ids, Array.from({ length: 5 }, (_, r) => Array.from(w.subarray(2 * r, 2 * r + 2)))).flat(),
    });
  });

  it('differentiates the weight gradient in the head gradient (second derivatives)', () => {
    // G(weight, w) = Sᵀw (the scatter-add): linear in w, constant in the weight.
    const gradient = (weight: NDArray, head: NDArray): NDArray =>
      autograd.grad(nd.Embedding(indices, weight, options), [weight], { headGrads: head, createGraph: true })[0];
    const head = nd.array(Float32Array.from(pseudoRandom(12, 3)), { shape: [2, 3, 2] });
    checkGradient(gradient, [randomArray(makeRng(4), [5, 2]), head], { reference64: (_weight, w) => naiveScatter(ids, w, 5, 2) });
  });
});

describe('sym.Embedding', () => {
  it("infers the weight shape and writes MXNet's attribute strings; the graph round-trips", () => {
    const y = sym.Embedding(sym.var('data'), sym.var('embed_weight'), { inputDim: 10, outputDim: 4, name: 'embed' });
    expect(y.listArguments()).toEqual(['data', 'embed_weight']);
    expect(y.inferShape({ data: [2, 3] })).toEqual({ argShapes: [[2, 3], [10, 4]], outShapes: [[2, 3, 4]], auxShapes: [] });
    const text = y.toJson();
    expect(text).toContain('"op": "Embedding"');
    expect(text).toContain('"input_dim": "10"');
    expect(text).toContain('"output_dim": "4"');
    expect(sym.loadJson(text).toJson()).toBe(text);
    const read = sym.loadJson(text.replace('"output_dim": "4"', '"output_dim": "4", \n        "dtype": "float32", \n        "sparse_grad": "True"'));
    expect(read.inferShape({ data: [5] }).outShapes).toEqual([[5, 4]]);
  });

  it('runs hybridized in nn.Embedding as imperatively, gradients included', () => {
    const make = (): nn.Embedding => {
      const embed = new nn.Embedding(6, 3);
      embed.initialize();
      embed.weight.setData(randomArray(makeRng(5), [6, 3]));
      return embed;
    };
    const [imperative, hybrid] = [make(), make()];
    hybrid.hybridize();
    const x = nd.array([[5, 0, 2], [2, 2, 1]]);
    for (const embed of [imperative, hybrid]) autograd.record(() => embed(x)).backward();
    expect((hybrid(x) as NDArray).data).toEqual((imperative(x) as NDArray).data);
    expect(hybrid.weight.grad().data).toEqual(imperative.weight.grad().data);
  });
});

describe('nd.Embedding: errors', () => {
  const weight = nd.zeros([5, 2]);
  const dims = { inputDim: 5, outputDim: 2 };
  it('rejects indices out of range or not integers (MXNet would clip them)', () => {
    expect(() => nd.Embedding(nd.array([[0, 5]]), weight, dims)).toThrow(GluonError);
    expect(() => nd.Embedding(nd.array([[0, 5]]), weight, dims)).toThrow(
      'Embedding: expected integer indices in [0, 4] (inputDim 5), but got 5 at flat position 1 of data of shape (1, 2)',
    );
    expect(() => nd.Embedding(nd.array([-1]), weight, dims)).toThrow(/but got -1 at flat position 0/);
    expect(() => nd.Embedding(nd.array([1.5]), weight, dims)).toThrow(/but got 1.5 at flat position 0/);
    expect(() => nd.Embedding(nd.array([NaN]), weight, dims)).toThrow(/but got NaN at flat position 0/);
  });

  it('checks the weight against inputDim and outputDim', () => {
    expect(() => nd.Embedding(nd.array([0]), nd.zeros([5]), dims)).toThrow('Embedding: expected weight of shape (5, 2) for data of shape (1,), but got (5,)');
    expect(() => nd.Embedding(nd.array([0]), weight, { inputDim: 6, outputDim: 2 })).toThrow(
      'Embedding: expected weight of shape (6, 2) for data of shape (1,), but got (5, 2)',
    );
    expect(() => nd.Embedding(nd.array([0]), weight, { inputDim: 5, outputDim: 3 })).toThrow(/expected weight of shape \(5, 3\) .* but got \(5, 2\)/);
  });

  it('checks its options', () => {
    expect(() => nd.Embedding(nd.array([0]), weight, { inputDim: 0, outputDim: 2 })).toThrow('Embedding: expected inputDim to be an integer >= 1, but got the number 0');
    expect(() => nd.Embedding(nd.array([0]), weight, { outputDim: 2 } as nd.EmbeddingOptions)).toThrow(
      'Embedding: expected inputDim (an integer >= 1), a required option, but got none',
    );
    expect(() => nd.Embedding(nd.array([0]), weight, { ...dims, dtype: 'float16' as 'float32' })).toThrow(
      "Embedding: expected dtype to be one of 'float32', but got the string 'float16'",
    );
    expect(() => nd.Embedding(nd.array([0]), weight, { ...dims, sparseGrad: 1 as unknown as boolean })).toThrow(
      'Embedding: expected sparseGrad to be true or false, but got the number 1',
    );
  });

  it('checks its arguments', () => {
    expect(() => nd.Embedding([0] as unknown as NDArray, weight, dims)).toThrow('Embedding: expected data to be an NDArray, but got [0]');
    expect(() => nd.Embedding(nd.array([0]), undefined as unknown as NDArray, dims)).toThrow('Embedding: expected weight to be an NDArray, but got none');
  });

  it('bounds the output size before allocating', () => {
    expect(() => nd.Embedding(nd.zeros([70000]), nd.zeros([1, 70000]), { inputDim: 1, outputDim: 70000 })).toThrow(
      /Embedding output: shape \(70000, 70000\) has 4900000000 elements, more than/,
    );
  });

  it('_backward_Embedding checks ograd and the indices', () => {
    const attrs = EMBEDDING_GRAD.resolveOptions(dims, '_backward_Embedding');
    expect(EMBEDDING_GRAD.inferShape(attrs, [[3, 2], [3]], 'test').outputs).toEqual([[5, 2]]);
    expect(() => EMBEDDING_GRAD.inferShape(attrs, [[3, 3], [3]], 'test')).toThrow('test: expected ograd of shape (3, 2) for data of shape (3,), but got (3, 3)');
    expect(() => runInto(ndOps, EMBEDDING_GRAD, [nd.ones([1, 2]), nd.array([7])], dims)).toThrow(
      '_backward_Embedding: expected integer indices in [0, 4] (inputDim 5), but got 7 at flat position 0 of data of shape (1,)',
    );
  });
});
