import { checkNumberIn, describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { BlockOptions, Tensor } from './block';
import { layerOptionKeys } from './block_checks';
import { HybridBlock, HybridF } from './hybrid_block';
import { pyFloat } from '../core/py_format';

/** Options of `nn.Dropout`; every default is Gluon 1.9's. */
export interface DropoutOptions extends BlockOptions {
  /** Axes along which one mask value is shared (e.g. [2, 3] drops whole channels of NCHW). Default [] (none). */
  axes?: readonly number[];
}

/** The shared axes: integers (their range is checked by the operator against the input). */
function checkAxes(layer: string, axes: unknown): number[] {
  if (!Array.isArray(axes) || !axes.every((axis) => Number.isInteger(axis))) {
    throw new GluonError(`${layer}: expected axes to be an array of integer axes, but got ${describeValue(axes)}`);
  }
  return axes.slice();
}

/**
 * Dropout (Srivastava et al., 2014; Gluon's `nn.Dropout`), through `nd.Dropout`:
 *
 *     out = x · mask,   mask = 1/(1 − rate) with probability 1 − rate, else 0
 *
 * in training mode (inside `autograd.record` or `autograd.trainMode`) when rate > 0; a copy of
 * x otherwise (prediction mode, or rate 0). One mask value is shared along each axis in `axes`.
 * The gradient uses the same mask. Masks come from the global generator, so `random.seed(n)`
 * reproduces them. Shapes: input any shape; output the same. `rate` is required, in [0, 1];
 * default axes [].
 *
 * @example
 * const drop = new nn.Dropout(0.5);
 * drop(nd.ones([2, 2]));                           // prediction mode: the input's values
 * autograd.trainMode(() => drop(nd.ones([2, 4]))); // each value 0 or 2
 * drop.toString();                                 // 'Dropout(p = 0.5, axes=())'
 */
export class Dropout extends HybridBlock {
  static override readonly optionKeys = layerOptionKeys<DropoutOptions>({ axes: true });
  static override readonly inputCount = 1;
  readonly rate: number;
  readonly axes: readonly number[];

  constructor(rate: number, options: DropoutOptions = {}) {
    super(options);
    const { axes = [] } = options;
    this.rate = checkNumberIn(this.errorName, 'rate', rate, { min: 0, max: 1 });
    this.axes = Object.freeze(checkAxes(this.errorName, axes));
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.Dropout(x, { p: this.rate, axes: this.axes, name: 'fwd' });
  }

  /** Gluon's text: `Dropout(p = 0.5, axes=())`. */
  override toString(): string {
    return `Dropout(p = ${pyFloat(this.rate)}, axes=${formatShape(this.axes)})`;
  }
}
