/**
 * gluon.rnn.RNN / LSTM / GRU on the fused RNN operator: the same values as the cells (tested
 * against float64 formulas in cells.test.ts) unrolled with the same weights, for every mode,
 * both directions and stacked layers; MXNet's parameter names and packing; the operator's
 * gradients (data, parameters, states) by finite differences; hybridize, export and import;
 * dropout only while training; errors.
 */
import { NDArray, autograd, gluon, nd, random } from '../../../src';
import { checkGradient, pseudoRandom } from '../../helpers/gradient_check';

const { RNN, LSTM, GRU, RNNCell, LSTMCell, GRUCell } = gluon.rnn;
const [T, N, C, H] = [4, 2, 3, 5];
const x = nd.array(Float32Array.from(pseudoRandom(T * N * C, 1)), { shape: [T, N, C] });

function expectNear(a: NDArray, b: NDArray, tol = 1e-5): void {
  expect(a.shape).toEqual(b.shape);
  const [u, v] = [a.toFloat32Array(), b.toFloat32Array()];
  u.forEach((value, i) => expect(Math.abs(value - v[i])).toBeLessThan(tol));
}

type Kind = 'rnn' | 'lstm' | 'gru';
const makeLayer = (kind: Kind, options: gluon.rnn.RNNLayerOptions) =>
  kind === 'rnn' ? new RNN(H, { activation: 'tanh', ...options }) : kind === 'lstm' ? new LSTM(H, options) : new GRU(H, options);
const makeCell = (kind: Kind) => (kind === 'rnn' ? new RNNCell(H) : kind === 'lstm' ? new LSTMCell(H) : new GRUCell(H));

/** A layer with seeded weights and random biases. */
function layerOf(kind: Kind, options: gluon.rnn.RNNLayerOptions = {}) {
  random.seed(2);
  const layer = makeLayer(kind, options);
  layer.initialize('xavier');
  layer(x);
  [...layer.collectParams().values()].forEach((p, i) => {
    if (p.name.endsWith('bias')) p.setData(nd.array(Float32Array.from(pseudoRandom(p.data().size, 20 + i))));
  });
  return layer;
}

/** The cell of `kind` with the layer's weights of `prefix` ('l0_', 'r1_', …). */
function cellWith(kind: Kind, layer: gluon.rnn.LSTM | gluon.rnn.GRU | gluon.rnn.RNN, prefix: string) {
  const source = new Map([...layer.collectParams().values()].map((p) => [p.name.replace(/^[a-z]+\d+_/, ''), p.data()]));
  const cell = makeCell(kind);
  cell.initialize();
  cell(nd.zeros([N, source.get(`${prefix}i2h_weight`)!.shape[1]]), ...cell.beginState(N)); // finishes deferred initialization
  for (const p of cell.collectParams().values()) p.setData(source.get(prefix + p.name.replace(/^[a-z]+\d+_/, ''))!);
  return cell;
}

/** One direction of one layer, through the cell, on (T, N, ·) input. */
function cellRun(cell: InstanceType<typeof LSTMCell> | InstanceType<typeof GRUCell> | InstanceType<typeof RNNCell>, input: NDArray, reverse: boolean): NDArray {
  const steps = nd.split(input, { numOutputs: T, axis: 0, squeezeAxis: true });
  const order = reverse ? [...steps].reverse() : steps;
  const [outs] = cell.unroll(T, order) as [NDArray[], NDArray[]];
  return nd.stack(...(reverse ? [...outs].reverse() : outs), { axis: 0 });
}

describe.each(['rnn', 'lstm', 'gru'] as Kind[])('%s layer', (kind) => {
  it('equals its cells unrolled, for two stacked bidirectional layers', () => {
    const layer = layerOf(kind, { numLayers: 2, bidirectional: true });
    let input = x;
    for (let l = 0; l < 2; l++) {
      input = nd.concat(cellRun(cellWith(kind, layer, `l${l}_`), input, false), cellRun(cellWith(kind, layer, `r${l}_`), input, true), { dim: 2 });
    }
    expectNear(layer(x) as NDArray, input);
  });

  it('returns its final states when given states, in NTC too, and hybridizes with the same bits', () => {
    const layer = layerOf(kind, { layout: 'NTC' });
    const xn = nd.swapaxes(x, { dim1: 0, dim2: 1 });
    const states = layer.beginState(N).map((s, i) => nd.add(s, nd.array(Float32Array.from(pseudoRandom(s.size, 40 + i)), { shape: s.shape })));
    const [out, ...finalStates] = layer(xn, ...states) as NDArray[];
    expect(out.shape).toEqual([N, T, H]);
    expect(finalStates.map((s) => s.shape)).toEqual(states.map(() => [1, N, H]));
    // The last output step is the final h.
    expectNear(nd.sliceAxis(out, { axis: 1, begin: T - 1, end: T }).reshape([1, N, H]), finalStates[0], 1e-6);
    layer.hybridize();
    layer(xn, ...states);
    const [again, ...againStates] = layer(xn, ...states) as NDArray[];
    expect(again.toFloat32Array()).toEqual(out.toFloat32Array());
    againStates.forEach((s, i) => expect(s.toFloat32Array()).toEqual(finalStates[i].toFloat32Array()));
  });
});

describe('the RNN operator', () => {
  it("packs the layer's parameters as MXNet: every weight, then every bias, layer by layer, l before r, i2h before h2h", () => {
    const layer = layerOf('gru', { numLayers: 2, bidirectional: true });
    const names = [...layer.collectParams().values()].map((p) => p.name.replace(/^gru\d+_/, ''));
    expect(names.slice(0, 8)).toEqual(['l0_i2h_weight', 'l0_h2h_weight', 'l0_i2h_bias', 'l0_h2h_bias', 'r0_i2h_weight', 'r0_h2h_weight', 'r0_i2h_bias', 'r0_h2h_bias']);
    const byName = new Map([...layer.collectParams().values()].map((p) => [p.name.replace(/^gru\d+_/, ''), p.data().reshape([-1])]));
    const order = ['weight', 'bias'].flatMap((kind) => ['l0', 'r0', 'l1', 'r1'].flatMap((d) => [`${d}_i2h_${kind}`, `${d}_h2h_${kind}`]));
    const packed = nd.concat(...order.map((n) => byName.get(n)!), { dim: 0 });
    const [h0] = layer.beginState(N);
    expect(nd.RNN(x, packed, h0, { stateSize: H, numLayers: 2, bidirectional: true, mode: 'gru' }).toFloat32Array()).toEqual((layer(x) as NDArray).toFloat32Array());
  });

  it('has finite-difference gradients for data, parameters and both states (LSTM, bidirectional, two layers)', () => {
    const layer = layerOf('lstm', { numLayers: 2, bidirectional: true });
    const params = [...layer.collectParams().values()];
    const order = ['weight', 'bias'].flatMap((kind) => params.filter((p) => p.name.endsWith(kind)));
    const packed = nd.concat(...order.map((p) => p.data().reshape([-1])), { dim: 0 });
    const h0 = nd.array(Float32Array.from(pseudoRandom(4 * N * H, 5)), { shape: [4, N, H] });
    const c0 = nd.array(Float32Array.from(pseudoRandom(4 * N * H, 6)), { shape: [4, N, H] });
    const options = { stateSize: H, numLayers: 2, bidirectional: true, mode: 'lstm' as const, stateOutputs: true as const };
    const op = (d: NDArray, p: NDArray, h: NDArray, c: NDArray) => {
      const [out, hy, cy] = nd.RNN(d, p, h, c, options);
      return nd.concat(out.reshape([-1]), hy.reshape([-1]), cy.reshape([-1]), { dim: 0 });
    };
    checkGradient(op, [x, packed, h0, c0], { atol: 5e-3, rtol: 2e-2 });
  });

  it('exports as MXNet\'s RNN node and imports back with the same bits', () => {
    const layer = layerOf('lstm', { bidirectional: true });
    const expected = (layer(x) as NDArray).toFloat32Array();
    layer.hybridize();
    layer(x);
    const { symbol, params } = layer.exportBytes();
    const node = JSON.parse(symbol).nodes.find((n: { op: string }) => n.op === 'RNN');
    expect(node.attrs).toEqual(expect.objectContaining({ mode: 'lstm', state_size: String(H), num_layers: '1', bidirectional: 'True', state_outputs: 'True' }));
    const back = gluon.SymbolBlock.imports(symbol, ['data0', 'data1', 'data2'], params);
    const [out] = back(x, ...layer.beginState(N)) as NDArray[];
    expect(out.toFloat32Array()).toEqual(expected);
  });

  it('drops between layers only while training, repeatably under random.seed', () => {
    const layer = layerOf('gru', { numLayers: 2, dropout: 0.5 });
    const plain = (layer(x) as NDArray).toFloat32Array();
    random.seed(9);
    const a = autograd.trainMode(() => layer(x) as NDArray).toFloat32Array();
    random.seed(9);
    const b = autograd.trainMode(() => layer(x) as NDArray).toFloat32Array();
    expect(a).toEqual(b);
    expect(a).not.toEqual(plain);
  });

  it('names bad inputs and unsupported options', () => {
    const layer = layerOf('lstm');
    expect(() => layer(x, layer.beginState(N)[0])).toThrow(/^lstm\d+: expected an input and 2 state\(s\), or the input alone, but got 2 arrays$/);
    expect(() => layer(x, nd.zeros([1, 3, H]), nd.zeros([1, 3, H]))).toThrow(/^lstm\d+: invalid recurrent state shape: expected \(1, 2, 5\), but got \(1, 3, 5\)$/);
    expect(() => layer(nd.zeros([2, 3]))).toThrow(/^lstm\d+: expected an input of shape \(T, N, C\), but got shape \(2, 3\)$/);
    expect(() => nd.RNN(x, nd.zeros([7]), nd.zeros([1, N, H]), { stateSize: H, numLayers: 1, mode: 'gru' }))
      .toThrow('RNN: expected parameters of shape (150,) (3 gates, 1 layer(s), 1 direction(s)), but got (7,)');
    expect(String(layer)).toBe('LSTM(3 -> 5, TNC)');
  });
});

/**
 * A float64 reference of the fused operator without cell state (MXNet's packing, gate order r, z,
 * n): data (T, N, C), flat parameters, h0 (L·D, N, H) → output (T, N, D·H) then hy, flattened.
 */
function rnnReference64(mode: 'gru' | 'rnn_tanh' | 'rnn_relu', layers: number, D: number) {
  const gates = mode === 'gru' ? 3 : 1, G = gates * H;
  const sig = (v: number) => 1 / (1 + Math.exp(-v));
  return (...[data, p, h0]: Float64Array[]): number[] => {
    let input = Array.from({ length: T }, (_, t) => Array.from({ length: N }, (_, n) => Array.from(data.subarray((t * N + n) * C, (t * N + n + 1) * C))));
    let at = 0;
    const weights: { wi: number; wh: number; I: number }[] = [];
    for (let l = 0; l < layers; l++) for (let d = 0; d < D; d++) {
      const I = l === 0 ? C : D * H;
      weights.push({ wi: at, wh: at + G * I, I });
      at += G * (I + H);
    }
    const hy: number[] = [];
    for (let l = 0; l < layers; l++) {
      const out: number[][][][] = input.map((row) => row.map(() => [])); // (T, N, D, H)
      for (let d = 0; d < D; d++) {
        const k = l * D + d, { wi, wh, I } = weights[k], bi = at + 2 * G * k, bh = bi + G;
        const dot = (w: number, width: number, v: number[], j: number) => v.reduce((sum, x, q) => sum + p[w + j * width + q] * x, 0);
        let h = Array.from({ length: N }, (_, n) => Array.from(h0.subarray((k * N + n) * H, (k * N + n + 1) * H)));
        for (let s = 0; s < T; s++) {
          const t = d === 1 ? T - 1 - s : s;
          h = h.map((hn, n) => Array.from({ length: H }, (_, j) => {
            const a = (q: number) => dot(wi, I, input[t][n], q * H + j) + p[bi + q * H + j];
            const r = (q: number) => dot(wh, H, hn, q * H + j) + p[bh + q * H + j];
            if (mode === 'rnn_relu') return Math.max(a(0) + r(0), 0);
            if (mode === 'rnn_tanh') return Math.tanh(a(0) + r(0));
            const z = sig(a(1) + r(1));
            return (1 - z) * Math.tanh(a(2) + sig(a(0) + r(0)) * r(2)) + z * hn[j];
          }));
          h.forEach((hn, n) => { out[t][n][d] = hn; });
        }
        hy.push(...h.flat());
      }
      input = out.map((row) => row.map((dirs) => dirs.flat()));
    }
    return [...input.flat(2), ...hy];
  };
}

describe.each(['gru', 'rnn_tanh', 'rnn_relu'] as const)('the fused %s operator', (mode) => {
  it('has the gradients of a float64 reference for data, parameters and the state (bidirectional, two layers)', () => {
    const G = (mode === 'gru' ? 3 : 1) * H;
    const size = 2 * G * (C + H) + 2 * G * (2 * H + H) + 4 * 2 * G;
    const packed = nd.array(Float32Array.from(pseudoRandom(size, 7)).map((v) => v * 0.6), { shape: [size] });
    const h0 = nd.array(Float32Array.from(pseudoRandom(4 * N * H, 8)), { shape: [4, N, H] });
    const options = { stateSize: H, numLayers: 2, bidirectional: true, mode, stateOutputs: true as const };
    const op = (d: NDArray, p: NDArray, h: NDArray) => {
      const [out, hy] = nd.RNN(d, p, h, options);
      return nd.concat(out.reshape([-1]), hy.reshape([-1]), { dim: 0 });
    };
    const reference64 = rnnReference64(mode, 2, 2);
    const forward = op(x, packed, h0).toFloat32Array();
    const [x64, p64, h64] = [x, packed, h0].map((v) => Float64Array.from(v.toFloat32Array()));
    reference64(x64, p64, h64).forEach((v, i) => expect(Math.abs(forward[i] - v)).toBeLessThan(1e-5));
    checkGradient(op, [x, packed, h0], { reference64, atol: 1e-4, rtol: 1e-3 });
  });
});

test('an empty sequence gives an empty output and the initial states back', () => {
  const layer = layerOf('lstm');
  const [h0, c0] = [nd.ones([1, N, H]), nd.full([1, N, H], 2)];
  const [out, hy, cy] = layer(nd.zeros([0, N, C]), h0, c0) as NDArray[];
  expect(out.shape).toEqual([0, N, H]);
  expect(hy.toFloat32Array()).toEqual(h0.toFloat32Array());
  expect(cy.toFloat32Array()).toEqual(c0.toFloat32Array());
});

test('inside a hybridized network, without states, a layer makes its zero states in the graph', () => {
  class Net extends gluon.nn.HybridBlock {
    readonly lstm = this.nameScope(() => new LSTM(H, { layout: 'NTC' }));
    override hybridForward(_F: gluon.nn.HybridF, v: gluon.nn.Tensor): gluon.nn.Tensor {
      return this.lstm(v) as gluon.nn.Tensor;
    }
  }
  random.seed(3);
  const net = new Net();
  net.initialize('xavier');
  const xn = nd.swapaxes(x, { dim1: 0, dim2: 1 });
  const imperative = (net(xn) as NDArray).toFloat32Array();
  net.hybridize();
  net(xn);
  expect((net(xn) as NDArray).toFloat32Array()).toEqual(imperative);
  expect((net(nd.sliceAxis(xn, { axis: 0, begin: 0, end: 1 })) as NDArray).shape).toEqual([1, T, H]); // another batch size, same graph
});
