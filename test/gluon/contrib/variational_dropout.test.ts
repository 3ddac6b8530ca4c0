/**
 * contrib.rnn.VariationalDropoutCell: one mask per sequence, reused at every step (checked with
 * an RNN cell that passes its state through, h' = relu(h ⊙ m), so a reused mask squares), new
 * masks after reset()/unroll, the base cell outside training, whole-sequence masks around a
 * BidirectionalCell, hybridize reaching the base cell only, and its errors.
 */
import { NDArray, autograd, gluon, nd, random, sym } from '../../../src';
import { pseudoRandom } from '../../helpers/gradient_check';

const { VariationalDropoutCell } = gluon.contrib.rnn;
const { RNNCell, GRUCell, BidirectionalCell } = gluon.rnn;
const seq = nd.array(Float32Array.from(pseudoRandom(2 * 3 * 4, 2)), { shape: [2, 3, 4] });

/** An RNNCell with i2h = 0, h2h = I, no bias, relu: its output is relu(h). */
function passThroughCell(hidden: number) {
  const cell = new RNNCell(hidden, { activation: 'relu', inputSize: hidden });
  cell.initialize();
  for (const p of cell.collectParams().values()) {
    const eye = p.name.endsWith('h2h_weight');
    p.setData(eye ? nd.eye(hidden) : nd.zeros(p.shape as number[]));
  }
  return cell;
}

test('state dropout draws one mask per sequence and reuses it at each step until reset()', () => {
  const cell = new VariationalDropoutCell(passThroughCell(64), { dropStates: 0.5 });
  const x = nd.zeros([1, 64]);
  const h = nd.ones([1, 64]);
  random.seed(5);
  const [first, second] = autograd.trainMode(() => {
    const [out1] = cell(x, h);
    const [out2] = cell(x, out1);
    return [out1, out2];
  });
  // Step one: h ⊙ m with m ∈ {0, 2}; step two: the same mask again, so m².
  const m = first.toFloat32Array();
  expect(new Set(m)).toEqual(new Set([0, 2]));
  expect(Array.from(second.toFloat32Array())).toEqual(Array.from(m, (v) => v * v));
  cell.reset();
  const [redrawn] = autograd.trainMode(() => cell(x, h));
  expect(Array.from(redrawn.toFloat32Array())).not.toEqual(Array.from(m));
  // Outside training the masks are ones: the base cell.
  cell.reset();
  expect(cell(x, h)[0].toArray()).toEqual(h.toArray());
});

test('input and output dropout keep one mask across the steps of an unrolled sequence', () => {
  random.seed(1);
  const base = new GRUCell(8);
  base.initialize('xavier');
  const cell = new VariationalDropoutCell(base, { dropOutputs: 0.5 });
  const [plain] = base.unroll(3, seq) as [NDArray, NDArray[]];
  const [same] = cell.unroll(3, seq) as [NDArray, NDArray[]];
  expect(same.toArray()).toEqual(plain.toArray());
  random.seed(2);
  const [dropped] = autograd.trainMode(() => cell.unroll(3, seq)) as [NDArray, NDArray[]];
  const [d, p] = [dropped.toFloat32Array(), plain.toFloat32Array()];
  // (N, T, H): the same hidden units are dropped at every step t of a sample; the kept are doubled.
  for (let n = 0; n < 2; n++) {
    for (let k = 0; k < 8; k++) {
      const at = (t: number) => (n * 3 + t) * 8 + k;
      const kept = d[at(0)] !== 0;
      for (let t = 0; t < 3; t++) expect(d[at(t)]).toBeCloseTo(kept ? 2 * p[at(t)] : 0, 6);
    }
  }
  const inputs = new VariationalDropoutCell(base, { dropInputs: 0.5 });
  random.seed(3);
  const [withInputDrop] = autograd.trainMode(() => inputs.unroll(3, seq, { layout: 'NTC', mergeOutputs: false })) as [NDArray[], NDArray[]];
  expect(withInputDrop.map((y) => y.shape)).toEqual([[2, 8], [2, 8], [2, 8]]);
});

test('without state dropout it wraps a BidirectionalCell; hybridize reaches the base cell only', () => {
  random.seed(1);
  const bi = new BidirectionalCell(new GRUCell(3), new GRUCell(3));
  bi.initialize('xavier');
  const cell = new VariationalDropoutCell(bi, { dropInputs: 0.3, dropOutputs: 0.3 });
  const [outputs] = cell.unroll(3, seq) as [NDArray, NDArray[]];
  expect(outputs.toArray()).toEqual((bi.unroll(3, seq) as [NDArray, NDArray[]])[0].toArray());
  const gru = new GRUCell(3);
  const wrapped = new VariationalDropoutCell(gru, { dropStates: 0.2 });
  wrapped.hybridize();
  expect(gru.isHybridized).toBe(true);
  expect(wrapped.isHybridized).toBe(false);
});

test('VariationalDropoutCell errors name it, what it expected and what it got', () => {
  expect(() => new VariationalDropoutCell(new GRUCell(3), { dropStates: 1 })).toThrow('VariationalDropoutCell: expected dropStates');
  expect(() => new VariationalDropoutCell(new GRUCell(3), { dropout: 0.1 } as never)).toThrow("VariationalDropoutCell: expected options among dropInputs, dropStates, dropOutputs, prefix, params, but got unknown option 'dropout'");
  expect(() => new VariationalDropoutCell(new BidirectionalCell(new GRUCell(3), new GRUCell(3)), { dropStates: 0.1 })).toThrow(
    'VariationalDropoutCell: expected no dropStates with a BidirectionalCell (it cannot be stepped, so its states cannot be dropped between steps), but got dropStates 0.1',
  );
  expect(() => new VariationalDropoutCell(new GRUCell(3))(sym.var('x'), sym.var('h'))).toThrow(
    /^variationaldropoutcell\d+: expected NDArrays \(the cell keeps its dropout masks between steps, which a traced graph cannot\), but got a Symbol$/,
  );
});
