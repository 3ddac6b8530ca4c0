/**
 * The Loss base, as Gluon's `gluon.loss.Loss`: a HybridBlock called as `loss(pred, label)` or
 * `loss(pred, label, sampleWeight)` that returns one value per sample, shape `(batchSize,)`.
 * Each loss's `hybridForward(F, pred, label, sampleWeight?)` is written with `F` operators only,
 * as Gluon's `hybrid_forward`, so a loss can be hybridized and differentiated twice.
 */
import { GluonError, formatShape } from '../../core/errors';
import { pyFloat } from '../../core/py_format';
import { NDArray } from '../../ndarray/ndarray';
// The description the gluon checks use (gluon/checks.ts): arrays by length.
import { describeValue } from '../../core/checks';
import { BlockOptions, Tensor } from '../../nn/block';
import { HybridBlock, HybridF, TensorRecord } from '../../nn/hybrid_block';
import { Symbol } from '../../symbol/symbol';
import { checkNumber, checkOptionKeys } from '../checks';

/** Options every loss takes, besides its own. */
export interface LossOptions extends BlockOptions {
  /** A global scalar weight multiplied into the loss. Default: none (L2Loss: 1). */
  weight?: number;
  /** The axis of the batch: the loss is averaged over every other axis. Default 0. */
  batchAxis?: number;
}

/**
 * What follows `pred` and `label` in a loss's `hybridForward`: the optional sample weight, then
 * the parameter record every HybridBlock receives (empty for the losses).
 */
export type LossRest = [params: TensorRecord] | [sampleWeight: Tensor, params: TensorRecord];

/** The sample weight of a `hybridForward` call, if one was given. */
export function sampleWeightOf(rest: LossRest): Tensor | undefined {
  return rest.length === 2 ? rest[0] : undefined;
}

/**
 * Gluon's `_apply_weighting`: `loss · sampleWeight` (broadcast), then `· weight`.
 *
 * @example applyWeighting(F, F.square(d), 0.5, sampleWeight);
 */
export function applyWeighting(F: HybridF, loss: Tensor, weight: number | undefined, sampleWeight: Tensor | undefined): Tensor {
  const weighted = sampleWeight === undefined ? loss : F.multiply(loss, sampleWeight);
  return weight === undefined ? weighted : F.multiply(weighted, weight);
}

const BASE_KEYS = ['weight', 'batchAxis', 'prefix', 'params'] as const;

/**
 * The base of the losses. A subclass implements `hybridForward(F, pred, label, ...rest)` with
 * `F` operators, ending with `applyWeighting` and `batchMean` (Gluon's `_apply_weighting` and
 * the mean over every axis but `batchAxis`), and `checkLabel` for its label's shape and values.
 *
 * Called on arrays, a loss first checks its inputs, which a graph cannot do (it has no values):
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
    if (new.target === Loss) throw new GluonError('gluon.loss.Loss is abstract: use a subclass (new gluon.loss.L2Loss()) or extend it with a hybridForward');
    // Checked here, against the subclass's keys; Block's constructor gets the naming options alone.
    checkOptionKeys(new.target.name, options, [...extraKeys, ...BASE_KEYS]);
    super({ prefix: options.prefix, params: options.params });
    const owner = new.target.name;
    const { weight = defaultWeight, batchAxis = 0 } = options;
    this.weight = weight === undefined ? undefined : checkNumber(owner, 'weight', weight);
    this.batchAxis = checkNumber(owner, 'batchAxis', batchAxis, { integer: true });
  }

  /**
   * Labels and sample weights of any dtype (int32 class indices, a bool mask) are read as float32,
   * as MXNet's losses read an integer label through `pick`; predictions too.
   */
  protected override convertInputs(inputs: Tensor[]): Tensor[] {
    return inputs.map((x) => (x instanceof NDArray && x.dtype !== 'float32' ? x.astype('float32') : x));
  }

  /** The inputs: (pred, label) or (pred, label, sampleWeight), NDArrays or Symbols. */
  protected override checkInputs(inputs: readonly unknown[]): void {
    const owner = this.constructor.name;
    if (inputs.length < 2 || inputs.length > 3) {
      throw new GluonError(`${owner}: expected inputs (pred, label) or (pred, label, sampleWeight), but got ${inputs.length} inputs`);
    }
    // Symbols (the loss traced into a graph) carry no values to check.
    if (inputs.every((x) => x instanceof Symbol)) return;
    ['pred', 'label', 'sampleWeight'].forEach((what, i) => {
      if (i < inputs.length && !(inputs[i] instanceof NDArray)) {
        throw new GluonError(`${owner}: expected ${what} to be an NDArray, but got ${describeValue(inputs[i])}`);
      }
    });
    const [pred, label, sampleWeight] = inputs as NDArray[];
    this.checkArrays(pred, label, sampleWeight);
  }

  /** `loss(pred, label, sampleWeight?)`: the per-sample loss, shape `(pred.shape[batchAxis],)`. */
  override forward(...inputs: NDArray[]): NDArray;
  override forward(...inputs: Tensor[]): Tensor;
  override forward(...inputs: Tensor[]): Tensor {
    const owner = this.constructor.name;
    const output = super.forward(...inputs);
    if (Array.isArray(output)) throw new GluonError(`${owner}: expected hybridForward to return one loss, but got ${output.length}`);
    return output;
  }

  /** The loss of `pred` against `label`, weighted and averaged over every axis but `batchAxis`. */
  abstract override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor;

  /** Gluon's batch mean: the mean over every axis but `batchAxis` (a 1-d loss is returned per element). */
  protected batchMean(F: HybridF, loss: Tensor): Tensor {
    return F.mean(loss, { axis: this.batchAxis, exclude: true });
  }

  /** Throws unless `label` fits `pred` (shape and values); by default it must have pred's number of elements. */
  protected checkLabel(pred: NDArray, label: NDArray): void {
    this.checkSameSize(pred, label);
  }

  /** The shape of the loss before the batch mean (pred's, unless the loss reduces an axis). */
  protected unreducedShape(pred: NDArray): readonly number[] {
    return pred.shape;
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

  private checkArrays(pred: NDArray, label: NDArray, sampleWeight: NDArray | undefined): void {
    const axis = this.batchAxis;
    if (axis < -pred.ndim || axis >= pred.ndim) {
      throw new GluonError(
        `${this.constructor.name}: expected batchAxis in [${-pred.ndim}, ${pred.ndim - 1}] for pred of shape ${formatShape(pred.shape)}, but got ${axis}`,
      );
    }
    this.checkLabel(pred, label);
    if (sampleWeight !== undefined) this.checkSampleWeight(sampleWeight, this.unreducedShape(pred));
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

  /** Gluon's text: `L2Loss(batch_axis=0, w=1.0)` (`w=None` without a weight). */
  override toString(): string {
    const w = this.weight === undefined ? 'None' : pyFloat(this.weight);
    return `${this.constructor.name}(batch_axis=${this.batchAxis}, w=${w})`;
  }
}
