/**
 * MXNet's `Embedding` operator (a row lookup) with its backward rule (a scatter-add).
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { describeValue } from '../../core/checks';
import { checkShape } from '../../core/shape';
import { checkArray, checkOptions } from './op_checks';

/** Options of the `nd.Embedding` operator. */
export interface EmbeddingOpOptions {
  /** The vocabulary size; must equal weight.shape[0]. Default: weight.shape[0]. */
  inputDim?: number;
  /** The embedding size; must equal weight.shape[1]. Default: weight.shape[1]. */
  outputDim?: number;
}

function checkDim(name: 'inputDim' | 'outputDim', given: unknown, actual: number, weight: NDArray): void {
  if (given === undefined) return;
  if (typeof given !== 'number' || !Number.isInteger(given) || given < 1) {
    throw new GluonError(`Embedding: expected ${name} to be an integer >= 1, but got ${describeValue(given)}`);
  }
  if (given !== actual) {
    throw new GluonError(`Embedding: expected weight of ${name} ${String(given)} on its ${name === 'inputDim' ? 'first' : 'second'} axis, but got weight of shape ${formatShape(weight.shape)}`);
  }
}

/** Throws for the first index that is not an integer row of the weight. */
function checkIndices(indices: Float32Array, rows: number, dataShape: readonly number[]): void {
  for (let k = 0; k < indices.length; k++) {
    const v = indices[k];
    if (!(Number.isInteger(v) && v >= 0 && v < rows)) {
      throw new GluonError(
        `Embedding: expected integer indices in [0, ${rows - 1}] (inputDim ${rows}), but got ${v} at flat position ${k} of data of shape ${formatShape(dataShape)}`,
      );
    }
  }
}

/**
 * MXNet's `Embedding` operator: row lookup in a weight matrix,
 *
 *     out[i₁, …, iₖ, :] = weight[data[i₁, …, iₖ], :]
 *
 * Shapes: data (d₁, …, dₖ) of indices (any rank), weight (inputDim, outputDim); output
 * (d₁, …, dₖ, outputDim). Backward: data gets no gradient; the weight gradient is the
 * scatter-add dW[r, :] = Σ over positions with data = r of dy[position, :] (float64, rounded once).
 *
 * Indices must be integers in [0, inputDim). MXNet instead truncates them to integers and clips
 * them into range; tsgluon throws a GluonError naming the first bad index, because clipping
 * silently trains the wrong row (a token id past the vocabulary, a -1 padding id) and hides the
 * data bug that produced it.
 *
 * @example
 * const weight = nd.array([[0, 0], [1, 1], [2, 2]]);
 * nd.Embedding(nd.array([2, 0]), weight, { inputDim: 3, outputDim: 2 }).toArray(); // [[2, 2], [0, 0]]
 */
export function Embedding(data: NDArray, weight: NDArray, options?: EmbeddingOpOptions): NDArray {
  const indices = checkArray('Embedding', 'data', data);
  const w = checkArray('Embedding', 'weight', weight);
  if (w.ndim !== 2) throw new GluonError(`Embedding: expected a 2-D weight (inputDim, outputDim), but got shape ${formatShape(w.shape)}`);
  const opts = checkOptions('Embedding', options);
  const [rows, width] = w.shape;
  checkDim('inputDim', opts.inputDim, rows, w);
  checkDim('outputDim', opts.outputDim, width, w);
  checkIndices(indices.data, rows, indices.shape);
  const outShape = [...indices.shape, width];
  checkShape(outShape, 'Embedding');
  const out = new Float32Array(indices.size * width);
  const ids = indices.data;
  for (let k = 0; k < ids.length; k++) out.set(w.data.subarray(ids[k] * width, ids[k] * width + width), k * width);
  return recordOp('Embedding', new NDArray(out, outShape), [indices, w], (dy) => {
    const dw = new Float64Array(w.size);
    const g = dy.data;
    for (let k = 0; k < ids.length; k++) {
      const row = ids[k] * width;
      for (let j = 0; j < width; j++) dw[row + j] += g[k * width + j];
    }
    return [undefined, new NDArray(Float32Array.from(dw), w.shape)];
  });
}
