/**
 * init.FusedRNN: the per-gate blocks, names and shapes of MXNet's FusedRNNCell._slice_weights
 * (written out here for two small cases), biases zero but the LSTM forget gate's (checked through
 * nd.RNN against the LSTM equations by hand), dumps, and its errors.
 */
import { init, nd } from '../../src';

/** Records each block it fills and writes the block's index + 1 into it. */
class Recorder extends init.Initializer {
  readonly blocks: [string, readonly number[]][] = [];
  constructor() {
    super('recorder');
  }
  protected override fill(name: string, shape: readonly number[], out: Float32Array): void {
    this.blocks.push([name, shape]);
    out.fill(this.blocks.length);
  }
}

test('FusedRNN fills MXNet’s per-gate weight blocks in the fused layout, under their MXNet names', () => {
  const tanh = new Recorder();
  // 2 layers, H = 2, input 3: weights 2·3 + 2·2 + 2·2 + 2·2, biases 4·2.
  const values = new init.FusedRNN(tanh, 2, 2, 'rnn_tanh').initialize('parameters', [26]).toFloat32Array();
  expect(tanh.blocks).toEqual([['l0_i2h_weight', [2, 3]], ['l0_h2h_weight', [2, 2]], ['l1_i2h_weight', [2, 2]], ['l1_h2h_weight', [2, 2]]]);
  expect(Array.from(values)).toEqual([...Array(6).fill(1), ...Array(4).fill(2), ...Array(4).fill(3), ...Array(4).fill(4), ...Array(8).fill(0)]);

  const gru = new Recorder();
  // 1 bidirectional layer, H = 1, input 2: per direction 3 gates · (2 + 1) weights, then 2 · 2 · 3 biases.
  new init.FusedRNN(gru, 1, 1, 'gru', { bidirectional: true }).initialize('parameters', [30]);
  expect(gru.blocks.map(([name]) => name)).toEqual([
    'l0_i2h_r_weight', 'l0_i2h_z_weight', 'l0_i2h_o_weight', 'l0_h2h_r_weight', 'l0_h2h_z_weight', 'l0_h2h_o_weight',
    'r0_i2h_r_weight', 'r0_i2h_z_weight', 'r0_i2h_o_weight', 'r0_h2h_r_weight', 'r0_h2h_z_weight', 'r0_h2h_o_weight',
  ]);
  expect(gru.blocks.map(([, shape]) => shape)).toEqual([[1, 2], [1, 2], [1, 2], [1, 1], [1, 1], [1, 1], [1, 2], [1, 2], [1, 2], [1, 1], [1, 1], [1, 1]]);
});

test('an LSTM starts with forget bias on both of its forget-gate biases: c₁ = σ(2)·c₀ with zero weights', () => {
  const H = 3;
  const params = new init.FusedRNN('zeros', H, 1, 'lstm').initialize('parameters', [4 * H * (2 + H + 2)]);
  const c0 = nd.ones([1, 1, H]);
  const [out, , c1] = nd.RNN(nd.zeros([1, 1, 2]), params, nd.zeros([1, 1, H]), c0, { stateSize: H, numLayers: 1, mode: 'lstm', stateOutputs: true });
  // i = o = σ(0) = ½, g = tanh(0) = 0, f = σ(1 + 1): c₁ = f·c₀, h₁ = o·tanh(c₁).
  const f = 1 / (1 + Math.exp(-2));
  c1.toFloat32Array().forEach((v) => expect(v).toBeCloseTo(f, 6));
  out.toFloat32Array().forEach((v) => expect(v).toBeCloseTo(0.5 * Math.tanh(f), 6));
  const biases = params.toFloat32Array().slice(4 * H * (2 + H));
  expect(Array.from(biases)).toEqual([0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  expect(Array.from(new init.FusedRNN('zeros', H, 1, 'lstm', { forgetBias: 0 }).initialize('p', [4 * H * (2 + H + 2)]).toFloat32Array()).every((v) => v === 0)).toBe(true);
});

test('FusedRNN dumps as MXNet and names what it expected in its errors', () => {
  expect(new init.FusedRNN('zeros', 2, 1, 'lstm').dumps()).toBe('["fusedrnn", {"init": "[\\"zero\\", {}]", "num_hidden": 2, "num_layers": 1, "mode": "lstm", "bidirectional": false, "forget_bias": 1}]');
  expect(() => new init.FusedRNN('zeros', 2, 1, 'lstm').initialize('parameters', [10])).toThrow(
    'init.FusedRNN: expected parameters to be the flat parameters of a 1-layer lstm with 2 hidden units (1-D, 8·(inputSize + 4) values), but got shape (10,)',
  );
  expect(() => new init.FusedRNN('zeros', 2, 2, 'gru', { bidirectional: true }).initialize('p', [3, 3])).toThrow(
    'init.FusedRNN: expected p to be the flat parameters of a 2-layer bidirectional gru with 2 hidden units (1-D, 12·(inputSize + 4) + 96 values), but got shape (3, 3)',
  );
  expect(() => new init.FusedRNN('zeros', 2, 1, 'lstmx' as never)).toThrow("init.FusedRNN: expected mode to be one of 'rnn_relu', 'rnn_tanh', 'lstm', 'gru', but got 'lstmx'");
  expect(() => new init.FusedRNN('zeros', 0, 1, 'lstm')).toThrow('init.FusedRNN: expected numHidden');
  expect(() => new init.FusedRNN('zeros', 2, 1, 'lstm', { forgetBias: NaN })).toThrow('init.FusedRNN: expected forgetBias to be a finite number, but got the number NaN');
  expect(() => new init.FusedRNN('zeros', 2, 1, 'lstm', { bidirectional: 1 as never })).toThrow('init.FusedRNN: expected bidirectional to be a boolean, but got the number 1');
});
