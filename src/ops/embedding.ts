/**
 * MXNet's `Embedding` (`src/operator/tensor/indexing_op.cc`): a row lookup in a weight matrix,
 * on the CPU embedding kernel, with its weight-gradient operator `_backward_Embedding`.
 *
 * The lookup is linear in the weight: out = S(data)·weight, S selecting rows. Its weight
 * gradient Sᵀ·dy is the scatter-add `_backward_Embedding(ograd, data)`, linear in ograd, whose
 * gradient in ograd is S·G, the lookup `Embedding(data, G)` again; so Embedding differentiates
 * any number of times. The indices are piecewise constant: they get no gradient.
 *
 * Indices, decided: integers in [0, inputDim) or an error naming the first bad one. MXNet
 * truncates indices to integers and clips them into range; tsgluon throws instead (as its
 * `nd.Embedding` always did), because clipping silently trains the wrong row (a token id past the
 * vocabulary, a -1 padding id) and hides the data bug that produced it.
 */
import { GluonError, formatShape } from '../core/errors';
import { checkShape } from '../core/shape';
import { embeddingBackward, embeddingForward, firstBadIndex } from '../kernels/cpu/embedding';
import type { NDArray } from '../ndarray/ndarray';
import { AttrValues, boolAttr, choiceAttr, intAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

/** MXNet's EmbeddingParam, in its declaration order (dtype: tsgluon arrays are float32 only). */
const EMBEDDING_ATTRS = {
  inputDim: intAttr({ min: 1 }),
  outputDim: intAttr({ min: 1 }),
  dtype: choiceAttr(['float32'] as const, { default: 'float32' }),
  sparseGrad: boolAttr({ default: false, ignored: true }),
};
type EmbeddingAttrs = AttrValues<typeof EMBEDDING_ATTRS>;

/** The weight's shape, (inputDim, outputDim), checked when given. */
function weightShape(who: string, a: EmbeddingAttrs, weight: MaybeShape, data: MaybeShape): Shape {
  const expected = [a.inputDim, a.outputDim];
  if (weight !== undefined) expectShape(who, 'weight', weight, expected, data);
  return expected;
}

/** The output's shape: data's plus (outputDim,), bounded before anything is allocated. */
function lookupShape(who: string, a: EmbeddingAttrs, data: Shape): Shape {
  const shape = [...data, a.outputDim];
  checkShape(shape, `${who} output`);
  return shape;
}

/** Throws for the first index that is not an integer row of the weight. */
function checkIndices(who: string, data: NDArray, rows: number): void {
  const bad = firstBadIndex(data.data, rows);
  if (bad < 0) return;
  throw new GluonError(
    `${who}: expected integer indices in [0, ${rows - 1}] (inputDim ${rows}), but got ${data.data[bad]} at flat position ${bad} of data of shape ${formatShape(data.shape)}`,
  );
}

/** MXNet's `Embedding` (see EmbeddingSignatures). */
export const EMBEDDING: Operator = defineOperator({
  name: 'Embedding',
  aliases: ['_npx_embedding'],
  attrs: EMBEDDING_ATTRS,
  inputs: ['data', 'weight'],
  indexInputs: [0],
  inferShape: (a, shapes, who): ShapeInference => {
    const [data, weight] = shapes;
    const inputs = [data, weightShape(who, a, weight, data)];
    return { inputs, outputs: [data === undefined ? undefined : lookupShape(who, a, data)] };
  },
  forward: ({ attrs, inputs: [data, weight], outputs: [y], who }) => {
    checkIndices(who, data, attrs.inputDim);
    embeddingForward(data.data, weight.data, attrs.inputDim, attrs.outputDim, y.data);
  },
  backward: ({ attrs, inputs: [data], outputGrads: [dy], needsGrad, into }, F) => [
    undefined,
    needsGrad[1] ? runInto(F, EMBEDDING_GRAD, [dy, data], attrs, into[1]) : undefined,
  ],
});

/**
 * `_backward_Embedding(ograd, data)`: the weight gradient of `Embedding(data, ·)` at output
 * gradient `ograd` (data.shape + (outputDim,)), the (inputDim, outputDim) scatter-add
 * dW[r, :] = Σ_{k : data[k] = r} ograd[k, :] (float64, rounded once). (MXNet's operator of that
 * name also has a data output, always zero.) Its gradient in ograd is `Embedding(data, G)`.
 */
export const EMBEDDING_GRAD: Operator = defineOperator({
  name: '_backward_Embedding',
  attrs: EMBEDDING_ATTRS,
  inputs: ['ograd', 'data'],
  inferShape: (a, shapes, who): ShapeInference => {
    const [ograd, data] = shapes;
    if (ograd !== undefined && data !== undefined) expectShape(who, 'ograd', ograd, lookupShape(who, a, data), data);
    return { inputs: shapes, outputs: [[a.inputDim, a.outputDim]] };
  },
  forward: ({ attrs, inputs: [dy, data], outputs: [dw], who }) => {
    checkIndices(who, data, attrs.inputDim);
    embeddingBackward(data.data, dy.data, attrs.inputDim, attrs.outputDim, dw.data);
  },
  backward: ({ attrs, inputs: [, data], outputGrads: [g], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, EMBEDDING, [data, g], attrs, into[0]) : undefined,
    undefined,
  ],
});

/** Options of `Embedding` (MXNet's attributes in camelCase). */
export interface EmbeddingOptions extends NameOption {
  /** The vocabulary size: weight.shape[0], and the bound of the indices. Required. */
  inputDim: number;
  /** The embedding size: weight.shape[1]. Required. */
  outputDim: number;
  /** The weight's type; only 'float32' (the default) is supported. */
  dtype?: 'float32';
  /** MXNet's row-sparse gradient switch: accepted and ignored (gradients are dense). Default false. */
  sparseGrad?: boolean;
}

/** The embedding lookup of `nd` and `sym`. */
export interface EmbeddingSignatures<T> {
  /**
   * MXNet's `Embedding`: row lookup in a weight matrix,
   *
   *     out[i₁, …, iₖ, :] = weight[data[i₁, …, iₖ], :]
   *
   * Shapes: data (d₁, …, dₖ) of indices (any rank, float32 values); weight (inputDim,
   * outputDim), inferred by shape inference; output (d₁, …, dₖ, outputDim). Indices must be
   * integers in [0, inputDim): anything else throws, naming the first bad one (MXNet clips
   * them). Gradient: the weight's is the scatter-add of dy's rows (float64, rounded once),
   * differentiable again; data gets none. Defaults: dtype 'float32', sparseGrad false (ignored).
   *
   * @example
   * const weight = nd.array([[0, 0], [1, 1], [2, 2]]);
   * nd.Embedding(nd.array([2, 0]), weight, { inputDim: 3, outputDim: 2 }).toArray(); // [[2, 2], [0, 0]]
   */
  Embedding(data: T, weight: T, options: EmbeddingOptions): T;
  /** `sym` only (as MXNet): the weight becomes a variable `<name>_weight`. */
  Embedding(data: T, options: EmbeddingOptions): T;
}

export const EMBEDDING_FRONTENDS: FrontendTable<EmbeddingSignatures<unknown>> = {
  Embedding: standard(EMBEDDING),
};
