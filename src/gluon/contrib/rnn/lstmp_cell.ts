/**
 * `gluon.contrib.rnn.LSTMPCell` (MXNet 1.9's contrib/rnn/rnn_cell.py): an LSTM cell whose hidden
 * state is projected to a smaller size (Sak et al. 2014), as in large speech models.
 */
import { checkIntAtLeast } from '../../../core/checks';
import type { Tensor } from '../../../nn/block';
import { layerOptionKeys } from '../../../nn/block_checks';
import type { HybridF, TensorRecord } from '../../../nn/hybrid_block';
import { checkInitializerOption } from '../../../nn/layer_checks';
import type { InitializerSpec, Parameter } from '../../../nn/parameter';
import { RecurrentCell } from '../../rnn/recurrent_cell';
import type { CellOptions } from '../../rnn/rnn_cell';
import { GluonError } from '../../../core/errors';

/** Options of LSTMPCell: the cell options and the projection's initializer. */
export interface LSTMPCellOptions extends CellOptions {
  h2rWeightInitializer?: InitializerSpec;
}

/**
 * gates = W_i2h·x + b_i2h + W_h2h·r + b_h2h (N, 4H) in MXNet's order i, f, g, o;
 * c' = f·c + i·g; h = o·tanh(c'); r' = W_h2r·h (no bias). Output r'; states [r (N, P), c (N, H)].
 * Parameters `lstmp0_i2h_weight` (4H, C), `h2h_weight` (4H, P), `h2r_weight` (P, H), `i2h_bias`,
 * `h2h_bias`, as MXNet's.
 *
 * @example
 * const cell = new gluon.contrib.rnn.LSTMPCell(64, 16);
 * cell.initialize();
 * const [out, r, c] = cell(nd.ones([2, 8]), ...cell.beginState(2)); // out (2, 16), c (2, 64)
 */
export class LSTMPCell extends RecurrentCell {
  static override readonly optionKeys = layerOptionKeys<LSTMPCellOptions>({
    i2hWeightInitializer: true, h2hWeightInitializer: true, h2rWeightInitializer: true, i2hBiasInitializer: true, h2hBiasInitializer: true, inputSize: true,
  });
  readonly hiddenSize: number;
  readonly projectionSize: number;
  readonly i2hWeight: Parameter;
  readonly h2hWeight: Parameter;
  readonly h2rWeight: Parameter;
  readonly i2hBias: Parameter;
  readonly h2hBias: Parameter;

  constructor(hiddenSize: number, projectionSize: number, options: LSTMPCellOptions = {}) {
    super(options, 'lstmp');
    const who = this.errorName;
    this.hiddenSize = checkIntAtLeast(who, 'hiddenSize', hiddenSize, 1);
    this.projectionSize = checkIntAtLeast(who, 'projectionSize', projectionSize, 1);
    const inputSize = checkIntAtLeast(who, 'inputSize (0 = infer)', options.inputSize ?? 0, 0);
    const init = (name: keyof LSTMPCellOptions, fallback?: InitializerSpec) => checkInitializerOption(who, name, options[name] ?? fallback);
    const rows = 4 * hiddenSize;
    const get = (name: string, shape: number[], spec: InitializerSpec | undefined) => this.params.get(name, { shape, init: spec, allowDeferredInit: true });
    this.i2hWeight = get('i2h_weight', [rows, inputSize], init('i2hWeightInitializer'));
    this.h2hWeight = get('h2h_weight', [rows, projectionSize], init('h2hWeightInitializer'));
    this.h2rWeight = get('h2r_weight', [projectionSize, hiddenSize], init('h2rWeightInitializer'));
    this.i2hBias = get('i2h_bias', [rows], init('i2hBiasInitializer', 'zeros'));
    this.h2hBias = get('h2h_bias', [rows], init('h2hBiasInitializer', 'zeros'));
  }

  stateShapes(batch: number): number[][] {
    return [[batch, this.projectionSize], [batch, this.hiddenSize]];
  }

  override hybridForward(F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    if (args.length !== 4) throw new GluonError(`${this.errorName}: expected a call (input, r, c) — one input and 2 states — but got ${args.length - 1} arrays`);
    const [x, r, c] = args.slice(0, 3) as Tensor[];
    const p = args[3] as TensorRecord;
    const gates = F.add(
      F.FullyConnected(x, p.i2hWeight, p.i2hBias, { numHidden: 4 * this.hiddenSize, name: 'i2h' }),
      F.FullyConnected(r, p.h2hWeight, p.h2hBias, { numHidden: 4 * this.hiddenSize, name: 'h2h' }),
    );
    const [i, f, g, o] = F.SliceChannel(gates, { numOutputs: 4 });
    const nextC = F.add(F.multiply(F.sigmoid(f), c), F.multiply(F.sigmoid(i), F.tanh(g)));
    const hidden = F.multiply(F.sigmoid(o), F.tanh(nextC));
    const nextR = F.FullyConnected(hidden, p.h2rWeight, undefined, { numHidden: this.projectionSize, noBias: true, name: 'h2r' });
    return [nextR, nextR, nextC];
  }

  /** Gluon's text: `LSTMPCell(None -> 256 -> 64)`. */
  override toString(): string {
    return `LSTMPCell(${this.i2hWeight.shape?.[1] || 'None'} -> ${4 * this.hiddenSize} -> ${this.projectionSize})`;
  }
}
