/**
 * Gluon's `CosineEmbeddingLoss` (MXNet 1.9's gluon/loss.py): whether two embeddings point the
 * same way (label 1) or not (label −1).
 */
import { describeValue } from '../../core/checks';
import { GluonError, formatShape } from '../../core/errors';
import { NDArray } from '../../ndarray/ndarray';
import type { Tensor } from '../../nn/block';
import type { HybridF } from '../../nn/hybrid_block';
import { Symbol } from '../../symbol/symbol';
import { checkNumber } from '../checks';
import { Loss, LossOptions, LossRest, applyWeighting } from './loss';

/** Options of CosineEmbeddingLoss. */
export interface CosineEmbeddingLossOptions extends LossOptions {
  /** Dissimilar pairs are penalized only above this cosine. Default 0. */
  margin?: number;
}

/**
 * Called as `loss(input1, input2, label, sampleWeight?)` with embeddings (N, D) and labels (N,)
 * of 1 or −1; with cos = x1·x2 / max(|x1|·|x2|, 1e−12) along the last axis,
 *
 *     L = (1 − cos) where label = 1,  max(0, cos − margin) where label = −1  (0 for other labels)
 *
 * times sampleWeight and weight. The result has shape (N,), one value per sample as every loss
 * here (MXNet's is (N, 1)).
 *
 * @example new gluon.loss.CosineEmbeddingLoss()(nd.array([[1, 0]]), nd.array([[0, 1]]), nd.array([1])).toArray(); // [1]
 */
export class CosineEmbeddingLoss extends Loss {
  readonly margin: number;

  constructor(options: CosineEmbeddingLossOptions = {}) {
    super(options, ['margin']);
    this.margin = checkNumber('CosineEmbeddingLoss', 'margin', options.margin ?? 0);
  }

  protected override checkInputs(inputs: readonly unknown[]): void {
    const who = 'CosineEmbeddingLoss';
    if (inputs.length < 3 || inputs.length > 4) throw new GluonError(`${who}: expected inputs (input1, input2, label) or (input1, input2, label, sampleWeight), but got ${inputs.length} inputs`);
    if (inputs.every((x) => x instanceof Symbol)) return;
    ['input1', 'input2', 'label', 'sampleWeight'].forEach((name, i) => {
      if (i < inputs.length && !(inputs[i] instanceof NDArray)) throw new GluonError(`${who}: expected ${name} to be an NDArray, but got ${describeValue(inputs[i])}`);
    });
    const [a, b, label] = inputs as NDArray[];
    if (a.size !== b.size || b.ndim < 1) throw new GluonError(`${who}: expected input1 with as many elements as input2 (shape ${formatShape(b.shape)}), but got shape ${formatShape(a.shape)}`);
    const rows = b.size / Math.max(b.shape[b.ndim - 1], 1);
    if (label.size !== rows) throw new GluonError(`${who}: expected one label per row of input2 (${rows}), but got shape ${formatShape(label.shape)}`);
  }

  override hybridForward(F: HybridF, input1: Tensor, input2: Tensor, ...rest: LossRest): Tensor {
    const args = rest as readonly unknown[];
    const label = F.reshape(args[0] as Tensor, { shape: [-1] });
    const sampleWeight = args.length === 3 ? (args[1] as Tensor) : undefined;
    const x1 = F.reshapeLike(input1, input2);
    const dot = F.sum(F.multiply(x1, input2), { axis: -1 });
    const norms = F.multiply(F.norm(x1, { axis: -1 }), F.norm(input2, { axis: -1 }));
    const cos = F.divide(dot, F.maximum(norms, 1e-12));
    const similar = F.multiply(F.subtract(1, cos), F.equal(label, 1));
    const dissimilar = F.relu(F.multiply(F.subtract(cos, this.margin), F.equal(label, -1)));
    return applyWeighting(F, F.add(similar, dissimilar), this.weight, sampleWeight);
  }
}
