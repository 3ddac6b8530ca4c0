/**
 * The base of `gluon.rnn`'s cells (MXNet 1.9's HybridRecurrentCell): a HybridBlock called as
 * `cell(x, ...states)` → `[output, ...newStates]`, with `beginState(batch)` and `unroll`.
 */
import { checkChoice, checkIntAtLeast, checkOptionsObject, describeValue, optionKeys } from '../../core/checks';
import { GluonError, formatShape } from '../../core/errors';
import { zeros } from '../../ndarray/creation';
import { NDArray } from '../../ndarray/ndarray';
import { nd } from '../../ops/nd';
import { HybridBlock } from '../../nn/hybrid_block';

/** Options of `unroll` (MXNet's, camelCase). */
export interface UnrollOptions {
  /** The initial states; default `beginState(batch)` (zeros). */
  beginState?: readonly NDArray[];
  /** 'NTC' (default) or 'TNC', for an array input and merged outputs. */
  layout?: 'NTC' | 'TNC';
  /** Stack the outputs into one array (default: when the input is one array) or return a list. */
  mergeOutputs?: boolean;
  /** (N,) lengths: outputs past a sequence's length are zero and its states are those at its last step. */
  validLength?: NDArray;
}

const UNROLL_KEYS = optionKeys<UnrollOptions>({ beginState: true, layout: true, mergeOutputs: true, validLength: true });

export abstract class RecurrentCell extends HybridBlock<NDArray[]> {
  /** The shapes of the states for a batch of `batch`: [[N, H]] or, for an LSTM, [[N, H], [N, H]]. */
  abstract stateShapes(batch: number): number[][];

  /**
   * Zero states for a batch of `batch` (MXNet's `begin_state(batch_size)`).
   *
   * @example const [h, c] = lstmCell.beginState(32);
   */
  beginState(batch: number): NDArray[] {
    checkIntAtLeast(`${this.errorName}.beginState`, 'batch', batch, 0);
    return this.stateShapes(batch).map((shape) => zeros(shape));
  }

  /**
   * Runs the cell over `length` steps of `inputs` — an array (N, T, C) ('NTC') or (T, N, C)
   * ('TNC'), or a list of T arrays (N, C) — from `beginState`, and returns `[outputs, states]`:
   * outputs stacked in the layout (or a list), the final states. With `validLength`, MXNet's
   * masking: outputs past each sequence's length are zero and its states are taken at its last
   * valid step.
   *
   * @example const [outputs, [h, c]] = cell.unroll(5, x, { layout: 'NTC' }); // outputs (N, 5, H)
   */
  unroll(length: number, inputs: NDArray | readonly NDArray[], options: UnrollOptions = {}): [NDArray | NDArray[], NDArray[]] {
    const who = `${this.errorName}.unroll`;
    const o = checkOptionsObject(who, options, UNROLL_KEYS) as UnrollOptions;
    const layout = checkChoice(who, 'layout', o.layout ?? 'NTC', ['NTC', 'TNC'] as const);
    const steps = stepInputs(who, length, inputs, layout);
    let states = o.beginState ? [...o.beginState] : this.beginState(steps[0].shape[0]);
    const outputs: NDArray[] = [];
    const history: NDArray[][] = [];
    for (const x of steps) {
      const [out, ...next] = this(x, ...states);
      outputs.push(out);
      states = next;
      history.push(next);
    }
    if (o.validLength !== undefined) return this.masked(outputs, history, o.validLength, layout, o.mergeOutputs ?? !Array.isArray(inputs));
    const merge = o.mergeOutputs ?? !Array.isArray(inputs);
    return [merge ? nd.stack(...outputs, { axis: layout === 'NTC' ? 1 : 0 }) : outputs, states];
  }

  /** MXNet's unroll with valid_length: SequenceMask on the outputs, SequenceLast on each state. */
  private masked(outputs: NDArray[], history: NDArray[][], validLength: NDArray, layout: 'NTC' | 'TNC', merge: boolean): [NDArray | NDArray[], NDArray[]] {
    const stackedTime = nd.stack(...outputs, { axis: 0 }); // (T, N, H)
    const masked = nd.SequenceMask(stackedTime, validLength, { useSequenceLength: true, axis: 0 });
    const states = history[0].map((_, i) => nd.SequenceLast(nd.stack(...history.map((s) => s[i]), { axis: 0 }), validLength, { useSequenceLength: true, axis: 0 }));
    if (!merge) return [nd.split(masked, { numOutputs: outputs.length, axis: 0, squeezeAxis: true }), states];
    return [layout === 'NTC' ? nd.swapaxes(masked, { dim1: 0, dim2: 1 }) : masked, states];
  }
}

/** The T step inputs (N, C) of an unroll. */
export function stepInputs(who: string, length: number, inputs: NDArray | readonly NDArray[], layout: 'NTC' | 'TNC'): NDArray[] {
  checkIntAtLeast(who, 'length', length, 1);
  if (Array.isArray(inputs)) {
    if (inputs.length !== length || !inputs.every((x) => x instanceof NDArray)) {
      throw new GluonError(`${who}: expected ${length} input arrays (one per step), but got ${describeValue(inputs)}`);
    }
    return [...inputs];
  }
  if (!(inputs instanceof NDArray) || inputs.ndim !== 3) {
    throw new GluonError(`${who}: expected inputs of shape (${layout === 'NTC' ? 'N, T, C' : 'T, N, C'}) or a list of (N, C) arrays, but got ${inputs instanceof NDArray ? `shape ${formatShape(inputs.shape)}` : describeValue(inputs)}`);
  }
  const axis = layout === 'NTC' ? 1 : 0;
  if (inputs.shape[axis] !== length) throw new GluonError(`${who}: expected ${length} steps on axis ${axis} (layout ${layout}), but inputs have shape ${formatShape(inputs.shape)}`);
  return length === 1 ? [nd.squeeze(inputs, { axis })] : nd.split(inputs, { numOutputs: length, axis, squeezeAxis: true });
}
