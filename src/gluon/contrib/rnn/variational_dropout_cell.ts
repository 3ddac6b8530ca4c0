/**
 * Gluon's `contrib.rnn.VariationalDropoutCell` (Gal & Ghahramani 2016): dropout whose mask is
 * drawn once per sequence and reused at every step.
 */
import { checkOptionsObject, optionKeys } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import { NDArray } from '../../../ndarray/ndarray';
import { nd } from '../../../ops/nd';
import type { BlockOptions, HybridizeOptions, Tensor } from '../../../nn/block';
import { checkNumber } from '../../checks';
import { BidirectionalCell } from '../../rnn/wrapper_cells';
import { RecurrentCell, UnrollOptions, stepInputs } from '../../rnn/recurrent_cell';

/** Options of VariationalDropoutCell. */
export interface VariationalDropoutOptions extends BlockOptions {
  /** Dropout rate of the inputs. Default 0. */
  dropInputs?: number;
  /** Dropout rate of the first state (h), the recurrent connection. Default 0. */
  dropStates?: number;
  /** Dropout rate of the outputs. Default 0. */
  dropOutputs?: number;
}

const KEYS = optionKeys<VariationalDropoutOptions>({ dropInputs: true, dropStates: true, dropOutputs: true, prefix: true, params: true });

type MaskName = 'inputs' | 'states' | 'outputs';

/**
 * Wraps `baseCell`: while training, the inputs, the first state (h) and the outputs are
 * multiplied by dropout masks (0 or 1/(1 − p)) drawn at the first step of a sequence and reused
 * until `reset()` — `unroll` resets, so each unrolled sequence has its own masks. Outside
 * training the masks are ones. States and shapes are the base cell's.
 *
 * As MXNet's, the masks live on the cell between steps, so this cell runs imperatively:
 * `hybridize()` hybridizes its base cell only. Without state dropout, `unroll` masks the whole
 * sequence and unrolls the base cell, so a BidirectionalCell can be wrapped (state dropout on one
 * is refused, as MXNet's assertion does).
 *
 * @example
 * const cell = new gluon.contrib.rnn.VariationalDropoutCell(new gluon.rnn.LSTMCell(32), { dropInputs: 0.2, dropStates: 0.2 });
 * const [outputs, states] = autograd.record(() => cell.unroll(10, x)); // (N, 10, 32)
 */
export class VariationalDropoutCell extends RecurrentCell {
  readonly dropInputs: number;
  readonly dropStates: number;
  readonly dropOutputs: number;
  private masks: Partial<Record<MaskName, NDArray>> = {};

  constructor(readonly baseCell: RecurrentCell, options: VariationalDropoutOptions = {}) {
    const o = checkOptionsObject('VariationalDropoutCell', options, KEYS) as VariationalDropoutOptions;
    super({ prefix: o.prefix, params: o.params });
    this.registerChild(baseCell, 'base_cell');
    const rate = (name: keyof VariationalDropoutOptions) => checkNumber('VariationalDropoutCell', name, o[name] ?? 0, { min: 0, max: 1, maxOpen: true });
    [this.dropInputs, this.dropStates, this.dropOutputs] = [rate('dropInputs'), rate('dropStates'), rate('dropOutputs')];
    if (this.dropStates > 0 && baseCell instanceof BidirectionalCell) {
      throw new GluonError('VariationalDropoutCell: expected no dropStates with a BidirectionalCell (it cannot be stepped, so its states cannot be dropped between steps), but got dropStates ' + this.dropStates);
    }
  }

  stateShapes(batch: number): number[][] {
    return this.baseCell.stateShapes(batch);
  }

  /** Forgets the masks: the next step draws new ones (MXNet's `reset`). */
  reset(): void {
    this.masks = {};
  }

  /** Hybridizes the base cell; this cell keeps its masks imperatively. */
  override hybridize(options: HybridizeOptions | boolean = true): void {
    this.baseCell.hybridize(options);
  }

  override forward(...inputs: Tensor[]): NDArray[] {
    if (!inputs.every((x) => x instanceof NDArray)) {
      throw new GluonError(`${this.errorName}: expected NDArrays (the cell keeps its dropout masks between steps, which a traced graph cannot), but got a Symbol`);
    }
    const [x, ...states] = inputs as NDArray[];
    const base = this.baseCell(this.withMask('inputs', this.dropInputs, x), ...states.map((s, i) => (i === 0 ? this.withMask('states', this.dropStates, s) : s))) as NDArray[];
    const [out, ...next] = base;
    return [this.withMask('outputs', this.dropOutputs, out), ...next];
  }

  /**
   * Unrolls as RecurrentCell's `unroll`, after `reset()`; without state dropout, masks the whole
   * input and output sequences around the base cell's own unroll, as MXNet's.
   */
  override unroll(length: number, inputs: NDArray | readonly NDArray[], options: UnrollOptions = {}): [NDArray | NDArray[], NDArray[]] {
    this.reset();
    if (this.dropStates > 0) return super.unroll(length, inputs, options);
    const layout = options.layout ?? 'NTC';
    const steps = stepInputs(`${this.errorName}.unroll`, length, inputs, layout).map((x) => this.withMask('inputs', this.dropInputs, x));
    const [outputs, states] = this.baseCell.unroll(length, steps, { ...options, mergeOutputs: false }) as [NDArray[], NDArray[]];
    const dropped = outputs.map((y) => this.withMask('outputs', this.dropOutputs, y));
    const merge = options.mergeOutputs ?? !Array.isArray(inputs);
    return [merge ? nd.stack(...dropped, { axis: layout === 'NTC' ? 1 : 0 }) : dropped, states];
  }

  /** x times the named mask, drawn from x's shape the first time (x itself when the rate is 0). */
  private withMask(name: MaskName, rate: number, x: NDArray): NDArray {
    if (rate === 0) return x;
    this.masks[name] ??= nd.Dropout(nd.onesLike(x), { p: rate });
    return nd.multiply(x, this.masks[name] as NDArray);
  }
}
