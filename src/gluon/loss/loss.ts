/**
 * The Loss base, as Gluon's `gluon.loss.Loss`: a HybridBlock called as `loss(pred, label)` or
 * `loss(pred, label, sampleWeight)` that returns one value per sample, shape `(batchSize,)`.
 */
import { GluonError, formatShape } from '../../core/errors';
import { mean, multiply } from '../../ndarray/ops';
import { NDArray } from '../../ndarray/ndarray';
import { describeValue } from '../../ndarray/ops/validate';
import { BlockOptions } from '../../nn/block';
import { HybridBlock } from '../../nn/hybrid_block';
import { pyFloat } from '../../core/py_format';
import { checkNumber, checkOptionKeys } from '../checks';

/** Options every loss takes, besides its own. */
export interface LossOptions extends BlockOptions {
  /** A global scalar weight multiplied into the loss. Default: none (L2Loss: 1). */
  weight?: number;
  /** The axis of the batch: the loss is averaged over every other axis. Default 0. */
  batchAxis?: number;
}

const BASE_KEYS = ['weight', 'batchAxis', 'prefix', 'params'] as const;

/**
 * The base of the losses. A subclass computes the unreduced loss in `computeLoss` and finishes
 * with `weightedBatchMean`, which applies Gluon's `_apply_weighting` (× sampleWeight, broadcast,
 * then × weight) and `_batch_mean` (the mean over every axis but `batchAxis`).
 *
 * `sampleWeight` must broadcast to the unreduced loss's shape without enlarging it — e.g. shape
 * `(64, 1)` weighs each sample of a `(64, 10)` prediction. (MXNet would broadcast a `(64,)`
 * weight against a `(64, 1)` loss to `(64, 64)` and silently average the wrong values; tsgluon
 * throws instead.)
 */
export abstract class Loss extends HybridBlock {
  readonly weight: number | undefined;
  readonly batchAxis: number;

  /**
   * @param options the loss's options (validated against `extraKeys` and the common ones).
   * @param extraKeys the option names the subclass adds.
   * @param defaultWeight the weight when none is given (Gluon: none, except L2Loss's 1).
   */
  protected constructor(options: LossOptions, extraKeys: readonly string[], defaultWeight?: number) {
    // Checked before Block's constructor reads the naming options.
    checkOptionKeys(new.target.name, options, [...extraKeys, ...BASE_KEYS]);
    super(options);
    const owner = new.target.name;
    const { weight = defaultWeight, batchAxis = 0 } = options;
    this.weight = weight === undefined ? undefined : checkNumber(owner, 'weight', weight);
    this.batchAxis = checkNumber(owner, 'batchAxis', batchAxis, { integer: true });
  }

  /** `loss(pred, label, sampleWeight?)`: the per-sample loss, shape `(pred.shape[batchAxis],)`. */
  override forward(...inputs: NDArray[]): NDArray {
    const owner = this.constructor.name;
    if (inputs.length < 2 || inputs.length > 3) {
      throw new GluonError(`${owner}: expected inputs (pred, label) or (pred, label, sampleWeight), but got ${inputs.length} inputs`);
    }
    ['pred', 'label', 'sampleWeight'].forEach((what, i) => {
      if (i < inputs.length && !(inputs[i] instanceof NDArray)) {
        throw new GluonError(`${owner}: expected ${what} to be an NDArray, but got ${describeValue(inputs[i])}`);
      }
    });
    const [pred, label, sampleWeight] = inputs;
    this.batchAxisOf(pred);
    return this.computeLoss(pred, label, sampleWeight);
  }

  /** The loss of `pred` against `label`, weighted and averaged by `weightedBatchMean`. */
  protected abstract computeLoss(pred: NDArray, label: NDArray, sampleWeight: NDArray | undefined): NDArray;

  /**
   * `mean over every axis but batchAxis of (loss · sampleWeight · scale)`; `scale` defaults to
   * `weight` (L2Loss passes weight/2). A 1-d loss is returned per element.
   */
  protected weightedBatchMean(loss: NDArray, sampleWeight: NDArray | undefined, scale = this.weight): NDArray {
    let weighted = loss;
    if (sampleWeight !== undefined) {
      this.checkSampleWeight(sampleWeight, loss.shape);
      weighted = multiply(weighted, sampleWeight);
    }
    if (scale !== undefined) weighted = multiply(weighted, scale);
    const batchAxis = this.batchAxisOf(loss);
    const axes = loss.shape.map((_, d) => d).filter((d) => d !== batchAxis);
    return axes.length === 0 ? weighted : mean(weighted, axes);
  }

  /** Throws unless `label` has as many elements as `pred` (it is read in pred's shape, as Gluon's reshape_like). */
  protected checkSameSize(pred: NDArray, label: NDArray): void {
    if (label.size !== pred.size) {
      throw new GluonError(
        `${this.constructor.name}: expected label with as many elements as pred (shape ${formatShape(pred.shape)}: ` +
          `${pred.size}), but got shape ${formatShape(label.shape)}`,
      );
    }
  }

  private checkSampleWeight(sampleWeight: NDArray, lossShape: readonly number[]): void {
    const offset = lossShape.length - sampleWeight.ndim;
    const fits = offset >= 0 && sampleWeight.shape.every((dim, i) => dim === 1 || dim === lossShape[offset + i]);
    if (!fits) {
      throw new GluonError(
        `${this.constructor.name}: expected sampleWeight broadcastable to the loss shape ${formatShape(lossShape)}, ` +
          `but got shape ${formatShape(sampleWeight.shape)}`,
      );
    }
  }

  private batchAxisOf(x: NDArray): number {
    const axis = this.batchAxis;
    if (axis < -x.ndim || axis >= x.ndim) {
      throw new GluonError(
        `${this.constructor.name}: expected batchAxis in [${-x.ndim}, ${x.ndim - 1}] for pred of shape ${formatShape(x.shape)}, but got ${axis}`,
      );
    }
    return axis < 0 ? axis + x.ndim : axis;
  }

  /** Gluon's text: `L2Loss(batch_axis=0, w=1.0)` (`w=None` without a weight). */
  override toString(): string {
    const w = this.weight === undefined ? 'None' : pyFloat(this.weight);
    return `${this.constructor.name}(batch_axis=${this.batchAxis}, w=${w})`;
  }
}
