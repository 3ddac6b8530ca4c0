/**
 * Gluon's `CTCLoss` (MXNet 1.9's gluon/loss.py): connectionist temporal classification for
 * sequence labelling without alignments (speech, handwriting), on the `CTCLoss` operator with the
 * blank as the last class.
 */
import { describeValue } from '../../core/checks';
import { GluonError, formatShape } from '../../core/errors';
import { NDArray } from '../../ndarray/ndarray';
import type { Tensor } from '../../nn/block';
import type { HybridF } from '../../nn/hybrid_block';
import { Symbol } from '../../symbol/symbol';
import { Loss, LossOptions, LossRest, applyWeighting } from './loss';

/** Options of CTCLoss. */
export interface CTCLossOptions extends Omit<LossOptions, 'batchAxis'> {
  /** pred's layout: 'NTC' (default) or 'TNC'. */
  layout?: 'NTC' | 'TNC';
  /** label's layout: 'NT' (default) or 'TN'; its batch axis is the loss's. */
  labelLayout?: 'NT' | 'TN';
}

/**
 * Called as `loss(pred, label)`, `loss(pred, label, predLengths, labelLengths)` or with a
 * `sampleWeight` after them. pred (N, T, C) activations (a softmax is applied inside) where class
 * C − 1 is the blank; label (N, L) class indices in [0, C − 1), padded with −1 (without
 * labelLengths); output (N,): −log p(label | pred) per item, times sampleWeight and weight.
 *
 * @example
 * const ctc = new gluon.loss.CTCLoss();
 * ctc(nd.zeros([1, 3, 2]), nd.array([[0]])).toArray(); // [0.2877] = −log(6/8)
 */
export class CTCLoss extends Loss {
  readonly layout: 'NTC' | 'TNC';
  readonly labelLayout: 'NT' | 'TN';

  constructor(options: CTCLossOptions = {}) {
    const { layout = 'NTC', labelLayout = 'NT', ...rest } = options;
    super({ ...rest, batchAxis: labelLayout === 'TN' ? 1 : 0 }, ['layout', 'labelLayout']);
    if (layout !== 'NTC' && layout !== 'TNC') throw new GluonError(`CTCLoss: expected layout 'NTC' or 'TNC', but got ${describeValue(layout)}`);
    if (labelLayout !== 'NT' && labelLayout !== 'TN') throw new GluonError(`CTCLoss: expected labelLayout 'NT' or 'TN', but got ${describeValue(labelLayout)}`);
    this.layout = layout;
    this.labelLayout = labelLayout;
  }

  protected override checkInputs(inputs: readonly unknown[]): void {
    const who = 'CTCLoss';
    if (![2, 4, 5].includes(inputs.length)) {
      throw new GluonError(`${who}: expected inputs (pred, label), (pred, label, predLengths, labelLengths) or (pred, label, predLengths, labelLengths, sampleWeight), but got ${inputs.length} inputs`);
    }
    if (inputs.every((x) => x instanceof Symbol)) return;
    ['pred', 'label', 'predLengths', 'labelLengths', 'sampleWeight'].forEach((name, i) => {
      if (i < inputs.length && !(inputs[i] instanceof NDArray)) throw new GluonError(`${who}: expected ${name} to be an NDArray, but got ${describeValue(inputs[i])}`);
    });
    const [pred, label] = inputs as NDArray[];
    if (pred.ndim !== 3) throw new GluonError(`${who}: expected pred of rank 3 (layout ${this.layout}), but got shape ${formatShape(pred.shape)}`);
    if (label.ndim !== 2) throw new GluonError(`${who}: expected label of rank 2 (layout ${this.labelLayout}), but got shape ${formatShape(label.shape)}`);
  }

  override hybridForward(F: HybridF, pred: Tensor, label: Tensor, ...rest: LossRest): Tensor {
    const args = (rest as readonly unknown[]).slice(0, -1) as Tensor[]; // the last is the parameter record
    const data = this.layout === 'NTC' ? F.swapaxes(pred, { dim1: 0, dim2: 1 }) : pred;
    const labels = this.labelLayout === 'TN' ? F.swapaxes(label, { dim1: 0, dim2: 1 }) : label;
    const loss = args.length >= 2 ? F.CTCLoss(data, labels, args[0], args[1], { blankLabel: 'last' }) : F.CTCLoss(data, labels, { blankLabel: 'last' });
    return applyWeighting(F, loss, this.weight, args[2]);
  }
}
