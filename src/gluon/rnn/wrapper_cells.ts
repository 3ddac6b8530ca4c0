/**
 * `gluon.rnn`'s cells built from other cells (MXNet 1.9's rnn_cell.py): SequentialRNNCell and
 * HybridSequentialRNNCell (stacked), DropoutCell, ResidualCell, ZoneoutCell and
 * BidirectionalCell (unroll only, as MXNet's). Calls follow the cells': `cell(x, ...states)` →
 * `[output, ...states]`, the states of stacked cells concatenated in order.
 */
import { checkNumber } from '../checks';
import { GluonError } from '../../core/errors';
import { NDArray } from '../../ndarray/ndarray';
import { nd } from '../../ops/nd';
import type { BlockOptions, Tensor } from '../../nn/block';
import type { HybridF, TensorRecord } from '../../nn/hybrid_block';
import { RecurrentCell, UnrollOptions, stepInputs } from './recurrent_cell';

/** x and the states from hybridForward's arguments (x, ...states, params). */
function stepArgs(args: readonly (Tensor | TensorRecord)[]): [Tensor, Tensor[]] {
  const tensors = args.slice(0, -1) as Tensor[];
  return [tensors[0], tensors.slice(1)];
}

/**
 * Cells stacked: each one's output is the next one's input; the states are every cell's, in order.
 *
 * @example
 * const stack = new gluon.rnn.HybridSequentialRNNCell();
 * stack.add(new gluon.rnn.LSTMCell(16), new gluon.rnn.DropoutCell(0.2), new gluon.rnn.LSTMCell(16));
 */
export class HybridSequentialRNNCell extends RecurrentCell {
  constructor(options: BlockOptions = {}) {
    super(options);
  }

  /** Appends cells; returns this. */
  add(...cells: RecurrentCell[]): this {
    for (const cell of cells) {
      if (!(cell instanceof RecurrentCell)) throw new GluonError(`${this.errorName}.add: expected recurrent cells, but got ${String(cell)}`);
      this.registerChild(cell);
    }
    return this;
  }

  private cells(): RecurrentCell[] {
    return [...this.childEntries().values()] as RecurrentCell[];
  }

  stateShapes(batch: number): number[][] {
    return this.cells().flatMap((cell) => cell.stateShapes(batch));
  }

  override hybridForward(_F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    let [x, states] = stepArgs(args);
    const next: Tensor[] = [];
    for (const cell of this.cells()) {
      const count = cell.stateShapes(1).length;
      const [out, ...cellStates] = cell(x, ...states.slice(0, count)) as Tensor[];
      states = states.slice(count);
      next.push(...cellStates);
      x = out;
    }
    return [x, ...next];
  }
}

/** The same as HybridSequentialRNNCell (MXNet keeps both names). @example new gluon.rnn.SequentialRNNCell() */
export class SequentialRNNCell extends HybridSequentialRNNCell {}

/**
 * Dropout on the input, no states (Gluon's `DropoutCell`): between stacked cells.
 *
 * @example stack.add(new gluon.rnn.DropoutCell(0.5));
 */
export class DropoutCell extends RecurrentCell {
  readonly rate: number;

  constructor(rate: number, options: BlockOptions = {}) {
    super(options);
    this.rate = checkNumber('DropoutCell', 'rate', rate, { min: 0, max: 1, maxOpen: true });
  }

  stateShapes(): number[][] {
    return [];
  }

  override hybridForward(F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    const [x] = stepArgs(args);
    return [this.rate > 0 ? F.Dropout(x, { p: this.rate }) : x];
  }
}

/**
 * A cell whose output is its base cell's output plus the input (Gluon's `ResidualCell`; the
 * input and the output must have the same size).
 *
 * @example new gluon.rnn.ResidualCell(new gluon.rnn.GRUCell(16))
 */
export class ResidualCell extends RecurrentCell {
  constructor(readonly baseCell: RecurrentCell, options: BlockOptions = {}) {
    super(options);
    this.registerChild(baseCell, 'base_cell');
  }

  stateShapes(batch: number): number[][] {
    return this.baseCell.stateShapes(batch);
  }

  override hybridForward(F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    const [x, states] = stepArgs(args);
    const [out, ...next] = this.baseCell(x, ...states) as Tensor[];
    return [F.add(out, x), ...next];
  }
}

/** Options of ZoneoutCell. */
export interface ZoneoutOptions extends BlockOptions {
  /** Probability of keeping the previous output, while training. Default 0. */
  zoneoutOutputs?: number;
  /** Probability of keeping each previous state value, while training. Default 0. */
  zoneoutStates?: number;
}

/**
 * Zoneout (Krueger et al. 2016), as Gluon's `ZoneoutCell`: while training, each output and state
 * value keeps its previous value with the given probability instead of taking the new one.
 * MXNet remembers the previous output inside the cell, which a hybridized graph cannot; here,
 * with `zoneoutOutputs` > 0, it is one more state after the base cell's (zeros from beginState),
 * so the cell hybridizes and unrolls the same way.
 *
 * @example new gluon.rnn.ZoneoutCell(new gluon.rnn.LSTMCell(16), { zoneoutStates: 0.1 })
 */
export class ZoneoutCell extends RecurrentCell {
  readonly zoneoutOutputs: number;
  readonly zoneoutStates: number;

  constructor(readonly baseCell: RecurrentCell, options: ZoneoutOptions = {}) {
    super({ prefix: options.prefix, params: options.params });
    this.registerChild(baseCell, 'base_cell');
    this.zoneoutOutputs = checkNumber('ZoneoutCell', 'zoneoutOutputs', options.zoneoutOutputs ?? 0, { min: 0, max: 1, maxOpen: true });
    this.zoneoutStates = checkNumber('ZoneoutCell', 'zoneoutStates', options.zoneoutStates ?? 0, { min: 0, max: 1, maxOpen: true });
  }

  stateShapes(batch: number): number[][] {
    const base = this.baseCell.stateShapes(batch);
    // The previous output has the shape of the base cell's hidden state.
    return this.zoneoutOutputs > 0 ? [...base, base[0]] : base;
  }

  override hybridForward(F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    const [x, states] = stepArgs(args);
    const baseStates = this.zoneoutOutputs > 0 ? states.slice(0, -1) : states;
    const [out, ...next] = this.baseCell(x, ...baseStates) as Tensor[];
    // A mask of ones dropped with probability p: where it is 0 the old value stays (Dropout acts only while training).
    const keep = (p: number, fresh: Tensor, old: Tensor) => (p === 0 ? fresh : F.where(F.Dropout(F.onesLike(fresh), { p }), fresh, old));
    const nextStates = next.map((s, i) => keep(this.zoneoutStates, s, baseStates[i]));
    if (this.zoneoutOutputs === 0) return [out, ...nextStates];
    const output = keep(this.zoneoutOutputs, out, states[states.length - 1]);
    return [output, ...nextStates, output];
  }
}

/**
 * Runs a left cell forward and a right cell backward over a sequence and concatenates their
 * outputs (Gluon's `BidirectionalCell`); as MXNet's, it cannot be stepped, only unrolled. The
 * states are the left cell's, then the right cell's.
 *
 * @example
 * const bi = new gluon.rnn.BidirectionalCell(new gluon.rnn.LSTMCell(8), new gluon.rnn.LSTMCell(8));
 * const [outputs, states] = bi.unroll(10, x); // outputs (N, 10, 16)
 */
export class BidirectionalCell extends RecurrentCell {
  constructor(readonly leftCell: RecurrentCell, readonly rightCell: RecurrentCell, options: BlockOptions = {}) {
    super(options);
    this.registerChild(leftCell, 'l_cell');
    this.registerChild(rightCell, 'r_cell');
  }

  stateShapes(batch: number): number[][] {
    return [...this.leftCell.stateShapes(batch), ...this.rightCell.stateShapes(batch)];
  }

  override hybridForward(): Tensor[] {
    throw new GluonError(`${this.errorName}: a BidirectionalCell cannot be stepped (its right cell reads the sequence backwards); use unroll`);
  }

  override unroll(length: number, inputs: NDArray | readonly NDArray[], options: UnrollOptions = {}): [NDArray | NDArray[], NDArray[]] {
    const layout = options.layout ?? 'NTC';
    const axis = layout === 'NTC' ? 1 : 0;
    const list = stepInputs(`${this.errorName}.unroll`, length, inputs, layout);
    const leftCount = this.leftCell.stateShapes(1).length;
    const begin = options.beginState ?? this.beginState(list[0].shape[0]);
    const [left, leftStates] = this.leftCell.unroll(length, list, { beginState: begin.slice(0, leftCount), mergeOutputs: false }) as [NDArray[], NDArray[]];
    const [right, rightStates] = this.rightCell.unroll(length, [...list].reverse(), { beginState: begin.slice(leftCount), mergeOutputs: false }) as [NDArray[], NDArray[]];
    const outputs = left.map((l, t) => nd.concat(l, right[length - 1 - t], { dim: 1 }));
    const merge = options.mergeOutputs ?? !Array.isArray(inputs);
    return [merge ? nd.stack(...outputs, { axis }) : outputs, [...leftStates, ...rightStates]];
  }
}
