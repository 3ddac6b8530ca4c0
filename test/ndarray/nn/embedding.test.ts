import { GluonError, NDArray, autograd, nd } from '../../../src';
import { activationFixtures, expectAllClose } from '../../helpers/activation_fixtures';
import { makeRng, randomArray } from '../../helpers/naive_ops';

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

  it('takes inputDim and outputDim from the weight when absent', () => {
    const y = nd.Embedding(nd.array([2, 0]), nd.array([[0, 0], [1, 1], [2, 2]]));
    expect(y.toArray()).toEqual([[2, 2], [0, 0]]);
  });
});

describe('nd.Embedding: backward', () => {
  it('scatter-adds the output gradient into the rows it read; indices get none', () => {
    const weight = nd.zeros([4, 2]);
    const indices = nd.array([[3, 1], [3, 3]]);
    weight.attachGrad();
    indices.attachGrad();
    const y = autograd.record(() => nd.Embedding(indices, weight));
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

describe('nd.Embedding: errors', () => {
  const weight = nd.zeros([5, 2]);
  it('rejects indices out of range or not integers (MXNet would clip them)', () => {
    expect(() => nd.Embedding(nd.array([[0, 5]]), weight)).toThrow(GluonError);
    expect(() => nd.Embedding(nd.array([[0, 5]]), weight)).toThrow(
      'Embedding: expected integer indices in [0, 4] (inputDim 5), but got 5 at flat position 1 of data of shape (1, 2)',
    );
    expect(() => nd.Embedding(nd.array([-1]), weight)).toThrow(/but got -1 at flat position 0/);
    expect(() => nd.Embedding(nd.array([1.5]), weight)).toThrow(/but got 1.5 at flat position 0/);
    expect(() => nd.Embedding(nd.array([NaN]), weight)).toThrow(/but got NaN at flat position 0/);
  });

  it('checks the weight against inputDim and outputDim', () => {
    expect(() => nd.Embedding(nd.array([0]), nd.zeros([5]))).toThrow('Embedding: expected a 2-D weight (inputDim, outputDim), but got shape (5,)');
    expect(() => nd.Embedding(nd.array([0]), weight, { inputDim: 6 })).toThrow(
      'Embedding: expected weight of inputDim 6 on its first axis, but got weight of shape (5, 2)',
    );
    expect(() => nd.Embedding(nd.array([0]), weight, { outputDim: 3 })).toThrow(
      'Embedding: expected weight of outputDim 3 on its second axis, but got weight of shape (5, 2)',
    );
    expect(() => nd.Embedding(nd.array([0]), weight, { inputDim: 0 })).toThrow('Embedding: expected inputDim to be an integer >= 1, but got number 0');
  });

  it('checks its arguments', () => {
    expect(() => nd.Embedding([0] as unknown as NDArray, weight)).toThrow('Embedding: expected data to be an NDArray, but got an array of length 1');
    expect(() => nd.Embedding(nd.array([0]), undefined as unknown as NDArray)).toThrow('Embedding: expected weight to be an NDArray, but got undefined');
    expect(() => nd.Embedding(nd.array([0]), weight, 5 as unknown as nd.EmbeddingOpOptions)).toThrow('Embedding: expected an options object, but got number 5');
  });

  it('bounds the output size before allocating', () => {
    expect(() => nd.Embedding(nd.zeros([70000]), nd.zeros([1, 70000]))).toThrow(/Embedding: shape \(70000, 70000\) has 4900000000 elements, more than/);
  });
});
