/**
 * `gluon.rnn`'s recurrent cells (MXNet 1.9's gluon/rnn/rnn_cell.py): RNNCell, LSTMCell and
 * GRUCell, one time step each, with MXNet's parameter names (`lstm0_i2h_weight`, `…_h2h_bias`),
 * shapes and gate order, so MXNet-trained cells load. A step is a call:
 *
 *     const [output, ...states] = cell(x, ...states);   // MXNet: output, states = cell(x, states)
 *
 * and `unroll` runs a whole sequence (recurrent_cell.ts).
 */
import { checkChoice, checkIntAtLeast } from '../../core/checks';
import { GluonError } from '../../core/errors';
import type { BlockOptions, Tensor } from '../../nn/block';
import { layerOptionKeys } from '../../nn/block_checks';
import type { HybridF, TensorRecord } from '../../nn/hybrid_block';
import { checkInitializerOption } from '../../nn/layer_checks';
import type { InitializerSpec, Parameter } from '../../nn/parameter';
import { RecurrentCell } from './recurrent_cell';

/** Options of the cells (MXNet's, camelCase). */
export interface CellOptions extends BlockOptions {
  /** Default: the initializer given to `initialize()`. */
  i2hWeightInitializer?: InitializerSpec;
  h2hWeightInitializer?: InitializerSpec;
  /** Default 'zeros'. */
  i2hBiasInitializer?: InitializerSpec;
  /** Default 'zeros'. */
  h2hBiasInitializer?: InitializerSpec;
  /** Input features; 0 (default) infers them on the first call. */
  inputSize?: number;
}

/** Options of RNNCell. */
export interface RNNCellOptions extends CellOptions {
  /** 'tanh' (default) or 'relu'. */
  activation?: 'tanh' | 'relu';
}

const CELL_KEYS = layerOptionKeys<RNNCellOptions>({
  i2hWeightInitializer: true, h2hWeightInitializer: true, i2hBiasInitializer: true, h2hBiasInitializer: true, inputSize: true, activation: true,
});

/** A cell's four parameters, (gates·H, inputSize) and (gates·H, H) weights and (gates·H,) biases. */
abstract class GatedCell extends RecurrentCell {
  static override readonly optionKeys = CELL_KEYS;
  readonly hiddenSize: number;
  readonly inputSize: number;
  readonly i2hWeight: Parameter;
  readonly h2hWeight: Parameter;
  readonly i2hBias: Parameter;
  readonly h2hBias: Parameter;

  protected constructor(hiddenSize: number, gates: number, options: CellOptions, alias: string) {
    super(options, alias);
    const who = this.errorName;
    this.hiddenSize = checkIntAtLeast(who, 'hiddenSize', hiddenSize, 1);
    this.inputSize = checkIntAtLeast(who, 'inputSize (0 = infer)', options.inputSize ?? 0, 0);
    const init = (name: keyof CellOptions, fallback?: InitializerSpec) => checkInitializerOption(who, name, options[name] ?? fallback);
    const rows = gates * hiddenSize;
    this.i2hWeight = this.params.get('i2h_weight', { shape: [rows, this.inputSize], init: init('i2hWeightInitializer'), allowDeferredInit: true });
    this.h2hWeight = this.params.get('h2h_weight', { shape: [rows, hiddenSize], init: init('h2hWeightInitializer'), allowDeferredInit: true });
    this.i2hBias = this.params.get('i2h_bias', { shape: [rows], init: init('i2hBiasInitializer', 'zeros'), allowDeferredInit: true });
    this.h2hBias = this.params.get('h2h_bias', { shape: [rows], init: init('h2hBiasInitializer', 'zeros'), allowDeferredInit: true });
  }

  /** i2h + h2h projections of the input and the previous hidden state, (N, gates·H) each. */
  protected projections(F: HybridF, x: Tensor, h: Tensor, p: TensorRecord, gates: number): [Tensor, Tensor] {
    const numHidden = gates * this.hiddenSize;
    return [
      F.FullyConnected(x, p.i2hWeight, p.i2hBias, { numHidden, name: 'i2h' }),
      F.FullyConnected(h, p.h2hWeight, p.h2hBias, { numHidden, name: 'h2h' }),
    ];
  }

  /** Gluon's text: `LSTMCell(None -> 40)` / `(10 -> 40)`. */
  override toString(): string {
    const inputs = this.i2hWeight.shape?.[1] || 'None';
    return `${this.constructor.name}(${inputs} -> ${this.hiddenSize * this.gateCount()})`;
  }

  protected abstract gateCount(): number;
}

/**
 * An Elman cell: h' = activation(W_i2h·x + b_i2h + W_h2h·h + b_h2h); output h'. States: [h] (N, H).
 *
 * @example
 * const cell = new gluon.rnn.RNNCell(8);
 * cell.initialize();
 * const [out, h] = cell(nd.ones([2, 3]), nd.zeros([2, 8])); // (2, 8) each
 */
export class RNNCell extends GatedCell {
  readonly activation: 'tanh' | 'relu';

  constructor(hiddenSize: number, options: RNNCellOptions = {}) {
    super(hiddenSize, 1, options, 'rnn');
    this.activation = checkChoice(this.errorName, 'activation', options.activation ?? 'tanh', ['tanh', 'relu'] as const);
  }

  stateShapes(batch: number): number[][] {
    return [[batch, this.hiddenSize]];
  }

  protected gateCount(): number {
    return 1;
  }

  override hybridForward(F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    const [x, h, params] = splitStep(this, args, 1);
    const [i2h, h2h] = this.projections(F, x, h, params, 1);
    const out = F.Activation(F.add(i2h, h2h), { actType: this.activation });
    return [out, out];
  }
}

/**
 * A long short-term memory cell (Hochreiter & Schmidhuber 1997), MXNet's gate order i, f, g, o:
 * gates = W_i2h·x + b_i2h + W_h2h·h + b_h2h (N, 4H); i, f, o = σ(…), g = tanh(…);
 * c' = f·c + i·g; h' = o·tanh(c'); output h'. States: [h, c] (N, H) each.
 *
 * @example
 * const cell = new gluon.rnn.LSTMCell(8, { inputSize: 3 });
 * cell.initialize();
 * const [out, h, c] = cell(nd.ones([2, 3]), ...cell.beginState(2));
 */
export class LSTMCell extends GatedCell {
  constructor(hiddenSize: number, options: CellOptions = {}) {
    super(hiddenSize, 4, options, 'lstm');
  }

  stateShapes(batch: number): number[][] {
    return [[batch, this.hiddenSize], [batch, this.hiddenSize]];
  }

  protected gateCount(): number {
    return 4;
  }

  override hybridForward(F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    const [x, h, params, c] = splitStep(this, args, 2);
    const [i2h, h2h] = this.projections(F, x, h, params, 4);
    const gates = F.SliceChannel(F.add(i2h, h2h), { numOutputs: 4 });
    const [inGate, forgetGate, outGate] = [gates[0], gates[1], gates[3]].map((g) => F.sigmoid(g));
    const nextC = F.add(F.multiply(forgetGate, c as Tensor), F.multiply(inGate, F.tanh(gates[2])));
    const nextH = F.multiply(outGate, F.tanh(nextC));
    return [nextH, nextH, nextC];
  }
}

/**
 * A gated recurrent unit (Cho et al. 2014), MXNet's form and gate order r, z, n:
 * r = σ(i2h_r + h2h_r), z = σ(i2h_z + h2h_z), n = tanh(i2h_n + r·h2h_n), h' = (1 − z)·n + z·h.
 * States: [h] (N, H).
 *
 * @example const cell = new gluon.rnn.GRUCell(8);
 */
export class GRUCell extends GatedCell {
  constructor(hiddenSize: number, options: CellOptions = {}) {
    super(hiddenSize, 3, options, 'gru');
  }

  stateShapes(batch: number): number[][] {
    return [[batch, this.hiddenSize]];
  }

  protected gateCount(): number {
    return 3;
  }

  override hybridForward(F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    const [x, h, params] = splitStep(this, args, 1);
    const [i2h, h2h] = this.projections(F, x, h, params, 3);
    const [xr, xz, xn] = F.SliceChannel(i2h, { numOutputs: 3 });
    const [hr, hz, hn] = F.SliceChannel(h2h, { numOutputs: 3 });
    const reset = F.sigmoid(F.add(xr, hr));
    const update = F.sigmoid(F.add(xz, hz));
    const candidate = F.tanh(F.add(xn, F.multiply(reset, hn)));
    const next = F.add(F.multiply(F.subtract(1, update), candidate), F.multiply(update, h));
    return [next, next];
  }
}

/** A step's (x, h, params, second state) from hybridForward's arguments (x, ...states, params). */
function splitStep(cell: RecurrentCell, args: readonly (Tensor | TensorRecord)[], states: number): [Tensor, Tensor, TensorRecord, Tensor | undefined] {
  if (args.length !== states + 2) {
    throw new GluonError(`${cell.errorName}: expected a call (input, ${states === 1 ? 'h' : 'h, c'}) — one input and ${states} state(s) — but got ${args.length - 1} arrays`);
  }
  return [args[0] as Tensor, args[1] as Tensor, args[args.length - 1] as TensorRecord, states === 2 ? (args[2] as Tensor) : undefined];
}
