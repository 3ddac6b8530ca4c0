import { BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';
import { InitializerSpec, Parameter } from './parameter';
import { checkIntAtLeast } from '../core/checks';
import { layerOptionKeys } from './block_checks';
import { checkInitializerOption } from './layer_checks';

/** Options of `nn.Embedding`; every default is Gluon 1.9's. */
export interface EmbeddingOptions extends BlockOptions {
  /** The initializer of the (inputDim, outputDim) weight. Default: the one passed to `initialize()` (Gluon's None). */
  weightInitializer?: InitializerSpec;
}

/**
 * Turns integer indices (token ids) into dense vectors (Gluon's `nn.Embedding`), through
 * `F.Embedding`:
 *
 *     out[i₁, …, iₖ, :] = weight[x[i₁, …, iₖ], :]
 *
 * Shapes: input (d₁, …, dₖ) of integer indices in [0, inputDim); output (d₁, …, dₖ, outputDim);
 * weight (inputDim, outputDim). An index out of range (or not an integer) throws a GluonError
 * naming it, where MXNet clips it into range (see `nd.Embedding`). Backward: the weight gradient
 * is the scatter-add of the output gradient's rows; the indices get none. Gluon's `sparse_grad`
 * is not offered: gradients are dense.
 *
 * @example
 * const embed = new nn.Embedding(10, 4);
 * embed.initialize();
 * embed(nd.array([[1, 2], [9, 0]])).shape; // [2, 2, 4]
 * embed.toString();                        // 'Embedding(10 -> 4, float32)'
 */
export class Embedding extends HybridBlock {
  static override readonly optionKeys = layerOptionKeys<EmbeddingOptions>({ weightInitializer: true });
  static override readonly inputCount = 1;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly weight: Parameter;

  constructor(inputDim: number, outputDim: number, options: EmbeddingOptions = {}) {
    super(options);
    this.inputDim = checkIntAtLeast(this.errorName, 'inputDim', inputDim, 1);
    this.outputDim = checkIntAtLeast(this.errorName, 'outputDim', outputDim, 1);
    const init = checkInitializerOption(this.errorName, 'weightInitializer', options.weightInitializer);
    this.weight = this.params.get('weight', { shape: [inputDim, outputDim], init, allowDeferredInit: true });
  }

  override hybridForward(F: HybridF, x: Tensor, { weight }: TensorRecord): Tensor {
    return F.Embedding(x, weight, { inputDim: this.inputDim, outputDim: this.outputDim, name: 'fwd' });
  }

  /** Gluon's text: `Embedding(10 -> 4, float32)`. */
  override toString(): string {
    return `Embedding(${this.inputDim} -> ${this.outputDim}, float32)`;
  }
}
