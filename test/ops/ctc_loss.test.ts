/**
 * CTCLoss (nd.CTCLoss and gluon.loss.CTCLoss) against a brute-force float64 reference that
 * enumerates every path of symbols over the time steps, collapses repeats, drops blanks and sums
 * the probabilities of the paths that read the label; gradients by finite differences of that
 * reference; lengths, both blank conventions, layouts, hybridization and error messages.
 */
import { NDArray, autograd, gluon, nd, sym } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

/** −log p(label) for one item: activations (T, C) of its first `steps` rows, by enumeration. */
function bruteForce(activations: ArrayLike<number>, steps: number, C: number, label: number[], blank: number): number {
  const probs: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const row = Array.from({ length: C }, (_, k) => activations[t * C + k]);
    const max = Math.max(...row);
    const e = row.map((v) => Math.exp(v - max));
    const sum = e.reduce((a, b) => a + b, 0);
    probs.push(e.map((v) => v / sum));
  }
  let total = 0;
  for (let code = 0; code < C ** steps; code++) {
    const path = Array.from({ length: steps }, (_, t) => Math.floor(code / C ** t) % C);
    const read = path.filter((k, t) => k !== blank && (t === 0 || k !== path[t - 1]));
    if (read.length === label.length && read.every((k, i) => k === label[i])) total += path.reduce((p, k, t) => p * probs[t][k], 1);
  }
  return -Math.log(total);
}

/** The (T, N, C) activations of item n as (T, C). */
function itemRows(data: ArrayLike<number>, T: number, N: number, C: number, n: number): number[] {
  const out: number[] = [];
  for (let t = 0; t < T; t++) for (let k = 0; k < C; k++) out.push(data[(t * N + n) * C + k]);
  return out;
}

const [T, N, C] = [4, 3, 3];
const data = nd.array(Float32Array.from(pseudoRandom(T * N * C, 11), (v) => 2 * v), { shape: [T, N, C] });

describe('nd.CTCLoss', () => {
  it('is −log Σ over the alignments of the label, blank first, labels ended by padding 0', () => {
    const label = nd.array([[1, 2], [2, 2], [1, 0]]);
    const loss = nd.CTCLoss(data, label).toFloat32Array();
    const labels = [[1, 2], [2, 2], [1]];
    labels.forEach((l, n) => expect(loss[n]).toBeCloseTo(bruteForce(itemRows(data.data, T, N, C, n), T, C, l, 0), 5));
  });

  it('with blank last, data lengths and label lengths', () => {
    const label = nd.array([[0, 1], [1, 1], [0, 0]]);
    const loss = nd.CTCLoss(data, label, nd.array([4, 3, 2]), nd.array([2, 2, 1]), { blankLabel: 'last' }).toFloat32Array();
    [[0, 1], [1, 1], [0]].forEach((l, n) => expect(loss[n]).toBeCloseTo(bruteForce(itemRows(data.data, T, N, C, n), [4, 3, 2][n], C, l, 2), 5));
  });

  it('gives +Infinity for a label that cannot fit, and its gradient matches finite differences', () => {
    expect(nd.CTCLoss(data, nd.array([[1, 1], [1, 1], [1, 2]]), nd.array([4, 2, 4]), undefined).toFloat32Array()[1]).toBe(Infinity); // 1, blank, 1 needs 3 steps
    const label = nd.array([[1, 2], [2, 2], [1, 0]]);
    const reference64 = (x: Float64Array) => [[1, 2], [2, 2], [1]].map((l, n) => bruteForce(itemRows(x, T, N, C, n), T, C, l, 0));
    checkGradient((x) => nd.CTCLoss(x, label), [data], { reference64, check: [0] });
  });

  it('names bad shapes, lengths and labels', () => {
    expect(() => nd.CTCLoss(nd.zeros([4, 3]), nd.zeros([3, 1]))).toThrow('CTCLoss: expected data of shape (sequence length, batch, alphabet ≥ 2), but got shape (4, 3)');
    expect(() => nd.CTCLoss(data, nd.zeros([2, 1]))).toThrow('CTCLoss: expected label of shape (3, label length), but got shape (2, 1)');
    expect(() => nd.CTCLoss(data, nd.ones([3, 1]), nd.array([5, 1, 1]))).toThrow('CTCLoss: expected data_lengths to be integers in [0, 4], but got 5');
    expect(() => nd.CTCLoss(data, nd.array([[3], [1], [1]]))).toThrow("CTCLoss: expected labels to be symbol indices in [0, 3) other than the blank 0 (blankLabel 'first'), but item 0 has 3");
  });

  it('exists in sym, and its JSON keeps MXNet\'s attribute names', () => {
    const s = sym.CTCLoss(sym.var('data'), sym.var('label'), sym.var('data_lengths'), undefined, { blankLabel: 'last' });
    const node = JSON.parse(s.toJson()).nodes.find((n: { op: string }) => n.op === 'CTCLoss');
    expect(node.attrs).toEqual({ blank_label: 'last', use_data_lengths: 'True', use_label_lengths: 'False' });
  });
});

describe('gluon.loss.CTCLoss', () => {
  const pred = nd.swapaxes(data, { dim1: 0, dim2: 1 }); // (N, T, C)

  it('takes NTC activations with the blank last, and sample weights', () => {
    const label = nd.array([[0, 1], [1, -1], [0, 0]]);
    const loss = new gluon.loss.CTCLoss()(pred, label).toFloat32Array();
    [[0, 1], [1], [0, 0]].forEach((l, n) => expect(loss[n]).toBeCloseTo(bruteForce(itemRows(data.data, T, N, C, n), T, C, l, 2), 5));
    const weighted = new gluon.loss.CTCLoss({ weight: 2 })(pred, label, nd.array([4, 4, 4]), nd.array([2, 1, 2]), nd.array([1, 0, 3])).toFloat32Array();
    expect(Array.from(weighted)).toEqual(Array.from(loss).map((v, n) => Math.fround(Math.fround(v * [1, 0, 3][n]) * 2)));
  });

  it('hybridizes with the same bits, trains through autograd, and names a bad call', () => {
    const loss = new gluon.loss.CTCLoss({ layout: 'TNC' });
    const label = nd.array([[0, 1], [1, -1], [0, 0]]);
    const imperative = loss(data, label).toFloat32Array();
    loss.hybridize();
    loss(data, label);
    expect(loss(data, label).toFloat32Array()).toEqual(imperative);
    const x = nd.array(data);
    x.attachGrad();
    autograd.record(() => new gluon.loss.CTCLoss({ layout: 'TNC' })(x, label)).backward();
    expect((x.grad as NDArray).shape).toEqual([T, N, C]);
    expect(() => new gluon.loss.CTCLoss()(pred, label, nd.ones([3]))).toThrow('CTCLoss: expected inputs (pred, label), (pred, label, predLengths, labelLengths) or (pred, label, predLengths, labelLengths, sampleWeight), but got 3 inputs');
    expect(() => new gluon.loss.CTCLoss({ layout: 'NCT' as 'NTC' })).toThrow("CTCLoss: expected layout 'NTC' or 'TNC', but got the string 'NCT'");
  });
});
