/**
 * `gluon.rnn.RNN`, `LSTM` and `GRU` (MXNet 1.9's gluon/rnn/rnn_layer.py): multi-layer,
 * optionally bidirectional recurrent layers over whole sequences on the fused `RNN` operator,
 * with MXNet's parameters — `l0_i2h_weight`, `l0_h2h_weight`, `l0_i2h_bias`, `l0_h2h_bias`,
 * `r0_…` for the reverse direction, layer by layer — packed as MXNet packs them, so MXNet-trained
 * layers load and exported graphs are MXNet's.
 *
 * `layer(x)` → output; `layer(x, ...states)` → `[output, ...states]`. x is (T, N, C) ('TNC',
 * default) or (N, T, C) ('NTC'); the output has D·H features (D = 2 when bidirectional); states
 * are (numLayers·D, N, H): [h], or [h, c] for the LSTM.
 */
import { checkChoice, checkFlag, checkIntAtLeast } from '../../core/checks';
import { GluonError, formatShape } from '../../core/errors';
import { zeros } from '../../ndarray/creation';
import { NDArray } from '../../ndarray/ndarray';
import type { BlockOptions, Tensor } from '../../nn/block';
import { layerOptionKeys } from '../../nn/block_checks';
import { HybridBlock, HybridF, TensorRecord } from '../../nn/hybrid_block';
import { checkInitializerOption } from '../../nn/layer_checks';
import type { InitializerSpec, Parameter } from '../../nn/parameter';
import { Symbol } from '../../symbol/symbol';
import { checkNumber } from '../checks';

/** Options of the recurrent layers (MXNet's, camelCase). */
export interface RNNLayerOptions extends BlockOptions {
  /** Stacked layers. Default 1. */
  numLayers?: number;
  /** 'TNC' (default) or 'NTC'. */
  layout?: 'TNC' | 'NTC';
  /** Dropout on each layer's output but the last, while training. Default 0. */
  dropout?: number;
  /** Also run each layer backwards and concatenate. Default false. */
  bidirectional?: boolean;
  /** Input features; 0 (default) infers them on the first call. */
  inputSize?: number;
  i2hWeightInitializer?: InitializerSpec;
  h2hWeightInitializer?: InitializerSpec;
  /** Default 'zeros'. */
  i2hBiasInitializer?: InitializerSpec;
  /** Default 'zeros'. */
  h2hBiasInitializer?: InitializerSpec;
}

/** Options of RNN: the layer options and the activation. */
export interface SimpleRNNOptions extends RNNLayerOptions {
  /** 'relu' (default, as MXNet's RNN layer) or 'tanh'. */
  activation?: 'relu' | 'tanh';
}

type Mode = 'rnn_relu' | 'rnn_tanh' | 'lstm' | 'gru';
const GATES: Record<Mode, number> = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 };

const LAYER_KEYS = layerOptionKeys<SimpleRNNOptions>({
  numLayers: true, layout: true, dropout: true, bidirectional: true, inputSize: true,
  i2hWeightInitializer: true, h2hWeightInitializer: true, i2hBiasInitializer: true, h2hBiasInitializer: true, activation: true,
});

abstract class RNNLayer extends HybridBlock<NDArray | NDArray[]> {
  static override readonly optionKeys = LAYER_KEYS;
  readonly hiddenSize: number;
  readonly numLayers: number;
  readonly layout: 'TNC' | 'NTC';
  readonly dropout: number;
  readonly directions: number;
  protected readonly mode: Mode;
  /** The parameters by MXNet's names (`l0_i2h_weight`, …), in registration order. */
  private readonly named = new Map<string, Parameter>();

  protected constructor(mode: Mode, hiddenSize: number, options: SimpleRNNOptions, alias: string) {
    super(options, alias);
    const who = this.errorName;
    this.mode = mode;
    this.hiddenSize = checkIntAtLeast(who, 'hiddenSize', hiddenSize, 1);
    this.numLayers = checkIntAtLeast(who, 'numLayers', options.numLayers ?? 1, 1);
    this.layout = checkChoice(who, 'layout', options.layout ?? 'TNC', ['TNC', 'NTC'] as const);
    this.dropout = checkNumber(who, 'dropout', options.dropout ?? 0, { min: 0, max: 1, maxOpen: true });
    this.directions = checkFlag(who, 'bidirectional', options.bidirectional ?? false) ? 2 : 1;
    const init = (name: keyof RNNLayerOptions, fallback?: InitializerSpec) => checkInitializerOption(who, name, options[name] ?? fallback);
    const rows = GATES[mode] * hiddenSize;
    let inputs = checkIntAtLeast(who, 'inputSize (0 = infer)', options.inputSize ?? 0, 0);
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (const dir of ['l', 'r'].slice(0, this.directions)) {
        this.add(`${dir}${layer}_i2h_weight`, [rows, inputs], init('i2hWeightInitializer'));
        this.add(`${dir}${layer}_h2h_weight`, [rows, hiddenSize], init('h2hWeightInitializer'));
        this.add(`${dir}${layer}_i2h_bias`, [rows], init('i2hBiasInitializer', 'zeros'));
        this.add(`${dir}${layer}_h2h_bias`, [rows], init('h2hBiasInitializer', 'zeros'));
      }
      inputs = hiddenSize * this.directions;
    }
  }

  private add(name: string, shape: number[], init: InitializerSpec | undefined): void {
    const param = this.params.get(name, { shape, init, allowDeferredInit: true });
    this.registerParameter(name, param);
    this.named.set(name, param);
  }

  /** h (and c for the LSTM). */
  private get stateCount(): number {
    return this.mode === 'lstm' ? 2 : 1;
  }

  /** Zero states for a batch of `batch`: (numLayers·D, batch, hiddenSize) each. @example lstm.beginState(8) */
  beginState(batch: number): NDArray[] {
    checkIntAtLeast(`${this.errorName}.beginState`, 'batch', batch, 0);
    return Array.from({ length: this.stateCount }, () => zeros([this.numLayers * this.directions, batch, this.hiddenSize]));
  }

  /** The input size from the first input, as Gluon's `infer_shape` (the packed parameters hide it from the graph). */
  protected override inferShape(...inputs: NDArray[]): void {
    const x = inputs[0];
    let features = x.shape[2];
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (const dir of ['l', 'r'].slice(0, this.directions)) (this.named.get(`${dir}${layer}_i2h_weight`) as Parameter).shape = [GATES[this.mode] * this.hiddenSize, features];
      features = this.hiddenSize * this.directions;
    }
  }

  /** `layer(x)` → the output; `layer(x, ...states)` → `[output, ...states]`. */
  override forward(...inputs: Tensor[]): Tensor | Tensor[] {
    const [x, ...states] = inputs;
    // Traced (hybridize, export, or inside a traced network): the states, when not given, are
    // zeros made in the graph (hybridForward), and only the output is returned, as on arrays.
    if (x instanceof Symbol) {
      const traced = super.forward(...inputs) as Tensor[];
      return states.length > 0 ? traced : traced[0];
    }
    if (states.length !== 0 && states.length !== this.stateCount) {
      throw new GluonError(`${this.errorName}: expected an input and ${this.stateCount} state(s), or the input alone, but got ${inputs.length} arrays`);
    }
    if (!(x instanceof NDArray) || x.ndim !== 3) {
      throw new GluonError(`${this.errorName}: expected an input of shape (${this.layout.split('').join(', ')}), but got ${x instanceof NDArray ? `shape ${formatShape(x.shape)}` : String(x)}`);
    }
    const batch = x.shape[this.layout.indexOf('N')];
    const want = [this.numLayers * this.directions, batch, this.hiddenSize];
    for (const s of states) {
      if (!(s instanceof NDArray) || s.ndim !== 3 || s.shape.some((d, i) => d !== want[i])) {
        throw new GluonError(`${this.errorName}: invalid recurrent state shape: expected ${formatShape(want)}, but got ${s instanceof NDArray ? formatShape(s.shape) : String(s)}`);
      }
    }
    const out = super.forward(x, ...(states.length > 0 ? states : this.beginState(batch))) as NDArray[];
    return states.length > 0 ? out : out[0];
  }

  override hybridForward(F: HybridF, ...args: (Tensor | TensorRecord)[]): Tensor[] {
    const params = args[args.length - 1] as TensorRecord;
    const [x, ...given] = args.slice(0, -1) as Tensor[];
    const data = this.layout === 'NTC' ? F.swapaxes(x, { dim1: 0, dim2: 1 }) : x;
    const states = given.length > 0 ? given : Array.from({ length: this.stateCount }, () => this.zeroState(F, data));
    // MXNet's packing: every weight (layer, direction, i2h, h2h), then every bias in that order.
    const names = [...this.named.keys()];
    const packed = ['weight', 'bias'].flatMap((kind) => names.filter((n) => n.endsWith(kind)).map((n) => F.reshape(params[n], { shape: [-1] })));
    const options = {
      stateSize: this.hiddenSize, numLayers: this.numLayers, bidirectional: this.directions === 2, mode: this.mode, p: this.dropout, stateOutputs: true as const,
    };
    const [out, ...finalStates] = states.length === 2
      ? F.RNN(data, F.concat(...packed, { dim: 0 }), states[0], states[1], options)
      : F.RNN(data, F.concat(...packed, { dim: 0 }), states[0], options);
    return [this.layout === 'NTC' ? F.swapaxes(out, { dim1: 0, dim2: 1 }) : out, ...finalStates];
  }

  /**
   * Zero states (L·D, N, H) made in the graph from data (T, N, C), whose batch size a traced
   * graph only knows at run time: zeros like data's first step, summed over the features, tiled.
   */
  private zeroState(F: HybridF, data: Tensor): Tensor {
    const firstStep = F.zerosLike(F.sliceAxis(data, { axis: 0, begin: 0, end: 1 })); // (1, N, C)
    return F.tile(F.sum(firstStep, { axis: 2, keepdims: true }), { reps: [this.numLayers * this.directions, 1, this.hiddenSize] });
  }

  /** Gluon's text: `LSTM(None -> 32, TNC, num_layers=2, bidirectional)`. */
  override toString(): string {
    const inputs = (this.named.get('l0_i2h_weight') as Parameter).shape?.[1] || 'None';
    const extras = [this.layout, ...(this.numLayers > 1 ? [`num_layers=${this.numLayers}`] : []), ...(this.dropout > 0 ? [`dropout=${this.dropout}`] : []), ...(this.directions === 2 ? ['bidirectional'] : [])];
    return `${this.constructor.name}(${inputs} -> ${this.hiddenSize}, ${extras.join(', ')})`;
  }
}

/** A multi-layer Elman RNN (relu by default, as MXNet's). @example const rnn = new gluon.rnn.RNN(16, { numLayers: 2 }); */
export class RNN extends RNNLayer {
  constructor(hiddenSize: number, options: SimpleRNNOptions = {}) {
    super(options.activation === 'tanh' ? 'rnn_tanh' : 'rnn_relu', hiddenSize, options, 'rnn');
    checkChoice(this.errorName, 'activation', options.activation ?? 'relu', ['relu', 'tanh'] as const);
  }
}

/** A multi-layer LSTM; states [h, c]. @example const lstm = new gluon.rnn.LSTM(32, { layout: 'NTC', bidirectional: true }); */
export class LSTM extends RNNLayer {
  constructor(hiddenSize: number, options: RNNLayerOptions = {}) {
    super('lstm', hiddenSize, options, 'lstm');
  }
}

/** A multi-layer GRU. @example const gru = new gluon.rnn.GRU(32, { numLayers: 2, dropout: 0.2 }); */
export class GRU extends RNNLayer {
  constructor(hiddenSize: number, options: RNNLayerOptions = {}) {
    super('gru', hiddenSize, options, 'gru');
  }
}
