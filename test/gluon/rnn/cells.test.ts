/**
 * gluon.rnn's cells against float64 references written here from MXNet's formulas (gate order
 * i, f, g, o for the LSTM; r, z, n for the GRU), one step and unrolled (layouts, lists, valid
 * lengths); parameter names and shapes as MXNet's; gradients by finite differences; hybridized
 * steps with the imperative bits; errors.
 */
import { NDArray, gluon, nd, random } from '../../../src';
import { checkGradient, pseudoRandom } from '../../helpers/gradient_check';

const { RNNCell, LSTMCell, GRUCell } = gluon.rnn;
type Cell = InstanceType<typeof RNNCell> | InstanceType<typeof LSTMCell> | InstanceType<typeof GRUCell>;

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** W·v + b for W (rows, cols) row-major. */
function affine(w: ArrayLike<number>, b: ArrayLike<number>, v: readonly number[], rows: number): number[] {
  return Array.from({ length: rows }, (_, r) => v.reduce((s, x, c) => s + w[r * v.length + c] * x, b[r]));
}

/** One step of `kind` for one sample, from the cell's parameter values. */
function stepReference(kind: 'rnn' | 'lstm' | 'gru', p: Record<string, Float32Array>, x: number[], h: number[], c: number[], H: number): number[][] {
  const gates = { rnn: 1, lstm: 4, gru: 3 }[kind];
  const xi = affine(p.i2h_weight, p.i2h_bias, x, gates * H);
  const hh = affine(p.h2h_weight, p.h2h_bias, h, gates * H);
  const g = (k: number, j: number, src: number[]) => src[k * H + j];
  if (kind === 'rnn') { const out = xi.map((v, j) => Math.tanh(v + hh[j])); return [out, out]; }
  if (kind === 'lstm') {
    const next = (j: number) => sigmoid(g(1, j, xi) + g(1, j, hh)) * c[j] + sigmoid(g(0, j, xi) + g(0, j, hh)) * Math.tanh(g(2, j, xi) + g(2, j, hh));
    const nc = Array.from({ length: H }, (_, j) => next(j));
    const nh = nc.map((v, j) => sigmoid(g(3, j, xi) + g(3, j, hh)) * Math.tanh(v));
    return [nh, nh, nc];
  }
  const nh = Array.from({ length: H }, (_, j) => {
    const r = sigmoid(g(0, j, xi) + g(0, j, hh)), z = sigmoid(g(1, j, xi) + g(1, j, hh));
    const n = Math.tanh(g(2, j, xi) + r * g(2, j, hh));
    return (1 - z) * n + z * h[j];
  });
  return [nh, nh];
}

function paramValues(cell: Cell): Record<string, Float32Array> {
  return Object.fromEntries([...cell.collectParams().values()].map((p) => [p.name.replace(/^[a-z]+\d+_/, ''), p.data().toFloat32Array()]));
}

const rows = (a: NDArray) => a.toArray() as number[][];

function expectNear(actual: NDArray, expected: number[][], tol = 1e-5): void {
  rows(actual).forEach((row, n) => row.forEach((v, j) => expect(Math.abs(v - expected[n][j])).toBeLessThan(tol)));
}

const CASES: ['rnn' | 'lstm' | 'gru', () => Cell][] = [['rnn', () => new RNNCell(3)], ['lstm', () => new LSTMCell(3)], ['gru', () => new GRUCell(3)]];

describe.each(CASES)('%s cell', (kind, make) => {
  const x = nd.array(Float32Array.from(pseudoRandom(8, 1)), { shape: [2, 4] });

  function initialized(): Cell {
    random.seed(4);
    const cell = make();
    cell.initialize('xavier');
    for (const p of cell.collectParams().values()) if (p.name.endsWith('bias')) p.setData(nd.array(Float32Array.from(pseudoRandom(p.data().size, 3))));
    return cell;
  }

  it("has MXNet's parameter names and shapes, and steps as MXNet's formulas", () => {
    const cell = initialized();
    const states = cell.beginState(2).map((s, i) => nd.add(s, nd.array(Float32Array.from(pseudoRandom(6, 10 + i)), { shape: [2, 3] })));
    const result = cell(x, ...states);
    const gates = { rnn: 1, lstm: 4, gru: 3 }[kind];
    expect([...cell.collectParams().values()].map((p) => [p.name.replace(/\d+_/, '_'), p.shape])).toEqual([
      [`${kind}_i2h_weight`, [gates * 3, 4]], [`${kind}_h2h_weight`, [gates * 3, 3]], [`${kind}_i2h_bias`, [gates * 3]], [`${kind}_h2h_bias`, [gates * 3]],
    ]);
    const p = paramValues(cell);
    const [hs, cs] = [rows(states[0]), states[1] ? rows(states[1]) : [[], []]];
    const expected = [0, 1].map((n) => stepReference(kind, p, rows(x)[n], hs[n], cs[n], 3));
    result.forEach((out, k) => expectNear(out, expected.map((e) => e[k])));
  });

  it('unrolls NTC, TNC and lists alike, and hybridized steps give the same bits', () => {
    const cell = initialized();
    const seq = nd.array(Float32Array.from(pseudoRandom(2 * 5 * 4, 6)), { shape: [2, 5, 4] });
    const [ntc, ntcStates] = cell.unroll(5, seq) as [NDArray, NDArray[]];
    const [tnc] = cell.unroll(5, nd.swapaxes(seq, { dim1: 0, dim2: 1 }), { layout: 'TNC' }) as [NDArray, NDArray[]];
    const [list] = cell.unroll(5, nd.split(seq, { numOutputs: 5, axis: 1, squeezeAxis: true })) as [NDArray[], NDArray[]];
    expect(ntc.shape).toEqual([2, 5, 3]);
    expect(nd.swapaxes(tnc, { dim1: 0, dim2: 1 }).toArray()).toEqual(ntc.toArray());
    expect(nd.stack(...list, { axis: 1 }).toArray()).toEqual(ntc.toArray());
    // The last output is the last hidden state.
    expect(nd.sliceAxis(ntc, { axis: 1, begin: 4, end: 5 }).reshape([2, 3]).toArray()).toEqual(ntcStates[0].toArray());
    cell.hybridize();
    const [hybrid] = cell.unroll(5, seq) as [NDArray, NDArray[]];
    expect(hybrid.toFloat32Array()).toEqual(ntc.toFloat32Array());
  });

  it('masks outputs past validLength and keeps the states of the last valid step', () => {
    const cell = initialized();
    const seq = nd.array(Float32Array.from(pseudoRandom(2 * 4 * 4, 8)), { shape: [2, 4, 4] });
    const [full] = cell.unroll(4, seq) as [NDArray, NDArray[]];
    const [masked, states] = cell.unroll(4, seq, { validLength: nd.array([2, 4]) }) as [NDArray, NDArray[]];
    const f = full.toArray() as number[][][], m = masked.toArray() as number[][][];
    expect(m[0].slice(0, 2)).toEqual(f[0].slice(0, 2));
    expect(m[0].slice(2)).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(m[1]).toEqual(f[1]);
    expect(rows(states[0])[0]).toEqual(f[0][1]);
  });

  it('has finite-difference gradients through an unroll', () => {
    const cell = initialized();
    const seq = nd.array(Float32Array.from(pseudoRandom(1 * 3 * 4, 9)), { shape: [1, 3, 4] });
    checkGradient((s) => (cell.unroll(3, s)[0] as NDArray), [seq], { atol: 2e-3, rtol: 2e-2 });
  });
});

test('errors name the cell and what it expected', () => {
  const cell = new LSTMCell(2);
  cell.initialize();
  expect(() => cell(nd.ones([1, 3]), nd.zeros([1, 2]))).toThrow(/^lstm\d+: expected a call \(input, h, c\) — one input and 2 state\(s\) — but got 2 arrays$/);
  expect(() => cell.unroll(3, nd.ones([1, 2, 3]))).toThrow(/^lstm\d+\.unroll: expected 3 steps on axis 1 \(layout NTC\), but inputs have shape \(1, 2, 3\)$/);
  expect(() => cell.unroll(2, nd.ones([2, 3]))).toThrow(/expected inputs of shape \(N, T, C\) or a list of \(N, C\) arrays, but got shape \(2, 3\)$/);
  expect(() => new GRUCell(0)).toThrow(/^gru\d+: expected hiddenSize/);
  expect(cell.toString()).toBe('LSTMCell(None -> 8)');
  cell(nd.ones([1, 3]), ...cell.beginState(1));
  expect(cell.toString()).toBe('LSTMCell(3 -> 8)');
});
