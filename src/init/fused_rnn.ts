import { checkChoice, checkIntAtLeast, describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import type { RnnMode } from '../kernels/cpu/rnn';
import { Initializer } from './initializer';
import { create } from './registry';
import type { InitializerSpec } from './registry';

/** Options of FusedRNN (MXNet's arguments, camelCase). */
export interface FusedRNNOptions {
  /** Two directions per layer. Default false. */
  bidirectional?: boolean;
  /** The LSTM forget gate's biases (i2h and h2h each). Default 1. */
  forgetBias?: number;
}

/** MXNet's FusedRNNCell gate suffixes, in the fused layout's order. */
const GATE_NAMES: Record<RnnMode, readonly string[]> = { rnn_relu: [''], rnn_tanh: [''], lstm: ['_i', '_f', '_c', '_o'], gru: ['_r', '_z', '_o'] };

/**
 * Initializes the flat parameter vector of the fused `RNN` operator (`nd.RNN`, `sym.RNN`), as
 * MXNet's `mx.init.FusedRNN(init, num_hidden, num_layers, mode, bidirectional, forget_bias)`:
 * the vector is cut into MXNet's per-gate blocks — for each layer and direction, the i2h weight
 * (H, in) of every gate, then the h2h weight (H, H) of every gate; after all weights, the i2h
 * and h2h biases (H) in the same order — each weight block filled by `init` under its MXNet name
 * (`l0_i2h_f_weight`, `r1_h2h_weight`, …; the name and the (H, in) shape are what an initializer
 * like Xavier sees), each bias zero, and for an LSTM each forget-gate bias (i2h and h2h)
 * `forgetBias`. The input size is read from the vector's length.
 *
 * MXNet also accepts `init=None` for the global initializer; a tsgluon initializer does not see
 * the global one, so `init` is required.
 *
 * @example
 * // A 2-layer LSTM with 8 hidden units on 5 inputs: 4·8·(5 + 8 + 2) + 4·8·(8 + 8 + 2) = 1056 values.
 * const w = new init.FusedRNN('xavier', 8, 2, 'lstm').initialize('parameters', [1056]);
 */
export class FusedRNN extends Initializer {
  private readonly inner: Initializer;
  readonly bidirectional: boolean;
  readonly forgetBias: number;

  constructor(init: InitializerSpec, readonly numHidden: number, readonly numLayers: number, readonly mode: RnnMode, options: FusedRNNOptions = {}) {
    const inner = create(init);
    const { bidirectional = false, forgetBias = 1 } = options;
    super('fusedrnn', { init: inner.dumps(), num_hidden: numHidden, num_layers: numLayers, mode, bidirectional, forget_bias: forgetBias });
    checkIntAtLeast('init.FusedRNN', 'numHidden', numHidden, 1);
    checkIntAtLeast('init.FusedRNN', 'numLayers', numLayers, 1);
    checkChoice('init.FusedRNN', 'mode', mode, ['rnn_relu', 'rnn_tanh', 'lstm', 'gru'] as const);
    if (typeof bidirectional !== 'boolean') throw new GluonError(`init.FusedRNN: expected bidirectional to be a boolean, but got ${describeValue(bidirectional)}`);
    if (typeof forgetBias !== 'number' || !Number.isFinite(forgetBias)) throw new GluonError(`init.FusedRNN: expected forgetBias to be a finite number, but got ${describeValue(forgetBias)}`);
    [this.inner, this.bidirectional, this.forgetBias] = [inner, bidirectional, forgetBias];
  }

  protected override fill(name: string, shape: readonly number[], out: Float32Array): void {
    const H = this.numHidden;
    const gates = GATE_NAMES[this.mode];
    const directions = this.bidirectional ? ['l', 'r'] : ['l'];
    const inputSize = this.inputSizeOf(name, shape, gates.length, directions.length);
    let at = 0;
    const fillBlock = (blockName: string, rows: number, cols: number) => {
      out.set(this.inner.initialize(blockName, [rows, cols]).data, at);
      at += rows * cols;
    };
    for (let layer = 0; layer < this.numLayers; layer++) {
      const inputs = layer === 0 ? inputSize : directions.length * H;
      for (const d of directions) {
        gates.forEach((gate) => fillBlock(`${d}${layer}_i2h${gate}_weight`, H, inputs));
        gates.forEach((gate) => fillBlock(`${d}${layer}_h2h${gate}_weight`, H, H));
      }
    }
    // Biases stay zero (MXNet's suffix rule for *_bias) but the LSTM forget gate's.
    const forget = gates.indexOf('_f');
    for (let slot = 0; slot < this.numLayers * directions.length; slot++) {
      for (let connection = 0; connection < 2; connection++) { // i2h, then h2h
        if (forget >= 0) out.fill(this.forgetBias, at + forget * H, at + (forget + 1) * H);
        at += gates.length * H;
      }
    }
  }

  /** The first layer's input size: what remains of the vector once the upper layers are counted. */
  private inputSizeOf(name: string, shape: readonly number[], gates: number, directions: number): number {
    const H = this.numHidden;
    const rows = gates * H * directions; // the weight rows (and bias values) of one connection in a layer
    const upper = (this.numLayers - 1) * rows * (directions * H + H + 2);
    const first = shape.length === 1 ? (shape[0] - upper) / rows - H - 2 : NaN;
    if (!Number.isInteger(first) || first < 1) {
      throw new GluonError(
        `init.FusedRNN: expected ${name} to be the flat parameters of a ${this.numLayers}-layer ${this.bidirectional ? 'bidirectional ' : ''}${this.mode} with ${H} hidden units (1-D, ` +
          `${rows}·(inputSize + ${H + 2})${upper > 0 ? ` + ${upper}` : ''} values), but got shape ${formatShape(shape)}`,
      );
    }
    return first;
  }
}
