/**
 * gluon.rnn's cells made of cells: sequential stacks (the chained steps), DropoutCell,
 * ResidualCell (output + input), ZoneoutCell (each value new or old while training, the base
 * cell otherwise) and BidirectionalCell (left forward, right backward, concatenated); unrolled
 * and hybridized; errors.
 */
import { NDArray, autograd, gluon, nd, random } from '../../../src';
import { pseudoRandom } from '../../helpers/gradient_check';

const { LSTMCell, GRUCell, RNNCell, HybridSequentialRNNCell, SequentialRNNCell, DropoutCell, ResidualCell, ZoneoutCell, BidirectionalCell } = gluon.rnn;
const x = nd.array(Float32Array.from(pseudoRandom(2 * 4, 1)), { shape: [2, 4] });
const seq = nd.array(Float32Array.from(pseudoRandom(2 * 3 * 4, 2)), { shape: [2, 3, 4] });

function ready<T extends gluon.rnn.RecurrentCell>(cell: T): T {
  random.seed(1);
  cell.initialize('xavier');
  cell(x, ...cell.beginState(2));
  return cell;
}

test('a sequential stack chains its cells and concatenates their states; it hybridizes', () => {
  const stack = ready(new HybridSequentialRNNCell().add(new LSTMCell(4), new DropoutCell(0.5), new GRUCell(4)));
  const [lstm, , gru] = [...stack.childEntries().values()] as [InstanceType<typeof LSTMCell>, unknown, InstanceType<typeof GRUCell>];
  const states = stack.beginState(2);
  expect(states.map((s) => s.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
  const [out, h1, c1, h2] = stack(x, ...states) as NDArray[];
  const [o1, eh1, ec1] = lstm(x, states[0], states[1]) as NDArray[];
  const [o2, eh2] = gru(o1, states[2]) as NDArray[];
  expect([out, h1, c1, h2].map((a) => a.toArray())).toEqual([o2, eh1, ec1, eh2].map((a) => a.toArray()));
  const [unrolled] = stack.unroll(3, seq) as [NDArray, NDArray[]];
  stack.hybridize();
  const [again] = stack.unroll(3, seq) as [NDArray, NDArray[]];
  expect(again.toFloat32Array()).toEqual(unrolled.toFloat32Array());
  expect(new SequentialRNNCell()).toBeInstanceOf(HybridSequentialRNNCell);
});

test('DropoutCell drops only while training; ResidualCell adds the input', () => {
  const drop = new DropoutCell(0.5);
  expect((drop(x) as NDArray[])[0].toArray()).toEqual(x.toArray());
  random.seed(3);
  const dropped = autograd.trainMode(() => drop(x) as NDArray[])[0].toFloat32Array();
  expect(dropped.some((v) => v === 0)).toBe(true);
  const base = new RNNCell(4);
  const residual = ready(new ResidualCell(base));
  const states = residual.beginState(2);
  const [out] = residual(x, ...states) as NDArray[];
  expect(out.toArray()).toEqual(nd.add((base(x, ...states) as NDArray[])[0], x).toArray());
  expect(() => new DropoutCell(1)).toThrow('DropoutCell: expected rate');
});

test('ZoneoutCell keeps each value new or old while training, carries the previous output as a state, and is its base cell otherwise', () => {
  const base = new LSTMCell(4);
  const zone = ready(new ZoneoutCell(base, { zoneoutOutputs: 0.5, zoneoutStates: 0.5 }));
  expect(zone.beginState(2).map((s) => s.shape)).toEqual([[2, 4], [2, 4], [2, 4]]);
  const states = zone.beginState(2).map((s, i) => nd.add(s, nd.array(Float32Array.from(pseudoRandom(8, 10 + i)), { shape: [2, 4] })));
  const [plainOut, ph, pc] = zone(x, ...states) as NDArray[];
  const [baseOut, bh, bc] = base(x, states[0], states[1]) as NDArray[];
  expect([plainOut, ph, pc].map((a) => a.toArray())).toEqual([baseOut, bh, bc].map((a) => a.toArray()));
  random.seed(4);
  const [out, h, c, previous] = autograd.trainMode(() => zone(x, ...states) as NDArray[]);
  const pick = (got: NDArray, fresh: NDArray, old: NDArray) => got.toFloat32Array().forEach((v, i) => expect([fresh.toFloat32Array()[i], old.toFloat32Array()[i]]).toContain(v));
  pick(out, baseOut, states[2]);
  pick(h, bh, states[0]);
  pick(c, bc, states[1]);
  expect(previous.toArray()).toEqual(out.toArray());
});

test('BidirectionalCell unrolls left forward and right backward, and cannot be stepped', () => {
  const bi = new BidirectionalCell(new GRUCell(3), new GRUCell(3));
  random.seed(1);
  bi.initialize('xavier');
  const [left, right] = [...bi.childEntries().values()] as InstanceType<typeof GRUCell>[];
  const [outputs, states] = bi.unroll(3, seq) as [NDArray, NDArray[]];
  expect(outputs.shape).toEqual([2, 3, 6]);
  const steps = nd.split(seq, { numOutputs: 3, axis: 1, squeezeAxis: true });
  const [l] = left.unroll(3, steps, { mergeOutputs: false }) as [NDArray[], NDArray[]];
  const [r, rStates] = right.unroll(3, [...steps].reverse(), { mergeOutputs: false }) as [NDArray[], NDArray[]];
  const expected = nd.stack(...l.map((v, t) => nd.concat(v, r[2 - t], { dim: 1 })), { axis: 1 });
  expect(outputs.toArray()).toEqual(expected.toArray());
  expect(states[1].toArray()).toEqual(rStates[0].toArray());
  expect(() => bi(x, ...bi.beginState(2))).toThrow(/^bidirectionalcell\d+: a BidirectionalCell cannot be stepped \(its right cell reads the sequence backwards\); use unroll$/);
});
