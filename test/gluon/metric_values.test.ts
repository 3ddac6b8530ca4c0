import * as fs from 'fs';
import * as path from 'path';
import { metric, nd } from '../../src';
import { f32, mean, pearsonReference } from '../helpers/metric_reference';

// Regression, likelihood and correlation metrics against MXNet 1.9's documented values, naive
// float64 references on the float32 inputs, and SciPy fixtures (make_metric_fixtures.py).

const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/metric_fixtures.json'), 'utf8')) as {
  pearson: Array<{ batches: Array<{ label: number[] | number[][]; pred: number[] | number[][] }>; macro: number; micro: number }>;
};

const P3 = () => nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]]);
const L3 = () => nd.array([0, 1, 1]);
const flat = (x: number[] | number[][]): number[] => (x as number[][]).flat();

describe('MAE, MSE, RMSE', () => {
  const label = () => nd.array([[2.5], [0], [2], [8]]);
  const pred = () => nd.array([[3], [-0.5], [2], [7]]);

  test("MXNet's examples", () => {
    const [mae, mse, rmse] = [new metric.MAE(), new metric.MSE(), new metric.RMSE()];
    for (const m of [mae, mse, rmse]) m.update([label()], [pred()]);
    expect(mae.get()).toEqual(['mae', 0.5]);
    expect(mse.get()).toEqual(['mse', 0.375]);
    expect(rmse.get()).toEqual(['rmse', Math.sqrt(0.375)]);
  });

  test('one NDArray each (test_single_array_input), in float64 from the float32 values', () => {
    const p = nd.array([[1, 2, 3, 4]]);
    const l = p.add(0.1);
    const diffs = f32([1.1, 2.1, 3.1, 4.1]).map((v, i) => v - (i + 1));
    const [mae, mse, rmse] = ['mae', 'mse', 'rmse'].map((n) => metric.create(n));
    for (const m of [mae, mse, rmse]) m.update(l, p);
    expect(mae.get()[1]).toBe(mean(diffs.map(Math.abs)));
    expect(mse.get()[1]).toBe(mean(diffs.map((d) => d * d)));
    expect(rmse.get()[1]).toBe(Math.sqrt(mean(diffs.map((d) => d * d))));
  });

  test("each pair counts 1: the mean of per-batch errors (RMSE's too)", () => {
    const rmse = new metric.RMSE();
    rmse.update(nd.array([0, 0]), nd.array([3, 4])); // √12.5
    rmse.update([nd.array([0]), nd.array([1])], [nd.array([1]), nd.array([1])]); // 1 and 0
    expect(rmse.get()[1]).toBeCloseTo((Math.sqrt(12.5) + 1) / 3, 15);
    expect(rmse.numInst).toBe(3);
  });

  test('a 1-D side reads as a column, then numpy broadcasting applies', () => {
    const mae = new metric.MAE();
    mae.update(nd.array([1, 2]), nd.array([[1], [4]])); // (2,1) vs (2,1)
    expect(mae.get()[1]).toBe(1);
    mae.reset();
    mae.update(nd.array([1, 2]), nd.array([[1, 3], [2, 6]])); // (2,1) vs (2,2): |0|,|2|,|0|,|4|
    expect(mae.get()[1]).toBe(1.5);
    mae.reset();
    mae.update(nd.array([[1, 2]]), nd.array([[0, 0], [1, 1], [2, 2]])); // (1,2) vs (3,2)
    expect(mae.get()[1]).toBe(mean([1, 2, 0, 1, 1, 0]));
    expect(() => mae.update(nd.array([[1, 2, 3]]), nd.array([[1, 2]]))).toThrow(
      'MAE: labels of shape (1, 3) and predictions of shape (1, 2): operands could not be broadcast together with shapes (1, 3) (1, 2)',
    );
    expect(() => mae.update([L3()], [])).toThrow('MAE: expected as many predictions as labels, but got 1 label and 0 predictions');
  });

  test('NaN before any update; an empty pair is NaN and stays until reset (as numpy and MXNet)', () => {
    const mse = new metric.MSE();
    expect(mse.get()[1]).toBeNaN();
    mse.update(nd.zeros([0]), nd.zeros([0]));
    mse.update(nd.array([1]), nd.array([2]));
    expect(mse.get()[1]).toBeNaN();
    mse.reset();
    mse.update(nd.array([1]), nd.array([2]));
    expect(mse.get()[1]).toBe(1);
  });
});

describe('CrossEntropy and NegativeLogLikelihood', () => {
  test("MXNet's example: −mean log(p[label] + eps), on the float32 probabilities", () => {
    const expected = -(Math.log(Math.fround(0.3) + 1e-12) + Math.log(1 + 1e-12) + Math.log(Math.fround(0.6) + 1e-12)) / 3;
    for (const [m, name] of [[new metric.CrossEntropy(), 'cross-entropy'], [new metric.NegativeLogLikelihood(), 'nll-loss']] as const) {
      m.update([L3()], [P3()]);
      expect(m.get()).toEqual([name, expected]);
      expect(m.numInst).toBe(3);
    }
  });

  test('test_nll_loss; eps keeps a zero probability finite; accumulation over batches', () => {
    const nll = metric.create('nll_loss');
    nll.update([nd.array([2, 1])], [nd.array([[0.2, 0.3, 0.5], [0.6, 0.1, 0.3]])]);
    expect(nll.get()[1]).toBe(-(Math.log(0.5 + 1e-12) + Math.log(Math.fround(0.1) + 1e-12)) / 2);
    const ce = new metric.CrossEntropy({ eps: 0.5 });
    ce.update(nd.array([0]), nd.array([[0, 1]]));
    ce.update([nd.array([1, 1])], [nd.array([[0, 1], [0.5, 0.5]])]);
    expect(ce.get()[1]).toBeCloseTo(-(Math.log(0.5) + Math.log(1.5) + Math.log(1)) / 3, 15);
    expect(new metric.CrossEntropy().eps).toBe(1e-12);
    const zero = new metric.CrossEntropy();
    zero.update(nd.array([0]), nd.array([[0, 1]]));
    expect(zero.get()[1]).toBeCloseTo(-Math.log(1e-12), 12);
  });

  test('labels: truncated, a negative one counts from the end (numpy), any label shape of batch size', () => {
    const ce = new metric.CrossEntropy({ eps: 0 });
    ce.update(nd.array([[-1, 0.9]]), nd.array([[0.25, 0.75], [0.5, 0.5]]));
    expect(ce.get()[1]).toBeCloseTo(-(Math.log(0.75) + Math.log(0.5)) / 2, 15);
  });

  test('errors: label range, label count, prediction rank, eps', () => {
    const ce = new metric.CrossEntropy();
    expect(() => ce.update(nd.array([0, 2]), nd.zeros([2, 2]))).toThrow(
      'CrossEntropy: expected labels to be class indices in [0, 2) (negative ones count from the end, as numpy indexes), but got the number 2 at row 1 of an NDArray of shape (2,)',
    );
    expect(() => ce.update(nd.array([NaN]), nd.zeros([1, 2]))).toThrow('but got the number NaN at row 0');
    expect(() => new metric.NegativeLogLikelihood().update(nd.array([0, 1, 1]), nd.zeros([2, 2]))).toThrow(
      'NegativeLogLikelihood: expected one label per prediction row (2 labels for predictions of shape (2, 2)), but got an NDArray of shape (3,)',
    );
    expect(() => ce.update(nd.array([0]), nd.array([1]))).toThrow('CrossEntropy: expected predictions of shape (batch, classes), but got an NDArray of shape (1,)');
    expect(() => new metric.CrossEntropy({ eps: -1 })).toThrow('CrossEntropy: expected eps to be a finite number >= 0, but got the number -1');
    expect(ce.numInst).toBe(0);
  });
});

describe('Perplexity', () => {
  test("MXNet's examples: exp of the mean negative log probability", () => {
    const perp = new metric.Perplexity(null);
    perp.update([L3()], [P3()]);
    expect(perp.get()).toEqual(['perplexity', Math.exp(-(Math.log(Math.fround(0.3)) + Math.log(1) + Math.log(Math.fround(0.6))) / 3)]);
    const p2 = metric.create('perplexity', { ignoreLabel: -1 });
    p2.update([L3()], [nd.array([[0.8, 0.2], [0.2, 0.8], [0, 1]])]);
    expect(p2.get()[1]).toBe(Math.exp(-(2 * Math.log(Math.fround(0.8))) / 3));
  });

  test('ignoreLabel removes labels from the count; all ignored is NaN; batches pool before the exp', () => {
    const perp = new metric.Perplexity(-1);
    perp.update(nd.array([-1, -1]), nd.array([[0.5, 0.5], [0.1, 0.9]]));
    expect(perp.get()[1]).toBeNaN();
    perp.update(nd.array([0, -1]), nd.array([[0.25, 0.75], [0.1, 0.9]]));
    perp.update([nd.array([1])], [nd.array([[0.5, 0.5]])]);
    expect(perp.get()[1]).toBeCloseTo(Math.exp(-(Math.log(0.25) + Math.log(0.5)) / 2), 15);
    expect(perp.numInst).toBe(2);
    const fractional = new metric.Perplexity(0.1); // compared in float32, as MXNet's label == ignore_label
    fractional.update(nd.array([0.1, 1]), nd.array([[0.5, 0.5], [0.5, 0.5]]));
    expect(fractional.numInst).toBe(1);
  });

  test('out-of-range classes are clipped (MXNet pick); probabilities floored at 1e-10', () => {
    const perp = new metric.Perplexity(null);
    perp.update(nd.array([5, -3, 0]), nd.array([[0.2, 0.8], [0.25, 0.75], [0, 1]]));
    expect(perp.get()[1] / Math.exp(-(Math.log(Math.fround(0.8)) + Math.log(0.25) + Math.log(1e-10)) / 3)).toBeCloseTo(1, 14);
  });

  test('axis: the classes along any axis, labels for the other positions in row-major order', () => {
    // pred (1, 2, 3): classes on axis 1, three positions.
    const pred = nd.array([[[0.1, 0.6, 0.3], [0.9, 0.4, 0.7]]]);
    const perp = new metric.Perplexity(null, { axis: 1 });
    perp.update(nd.array([[1, 0, 1]]), pred);
    expect(perp.get()[1]).toBeCloseTo(Math.exp(-(Math.log(0.9) + Math.log(0.6) + Math.log(0.7)) / 3), 6);
    const last = new metric.Perplexity(null);
    last.update(nd.array([[1, 0]]), nd.array([[[0.5, 0.5], [0.2, 0.8]]])); // (1, 2, 2), last axis
    expect(last.get()[1]).toBeCloseTo(Math.exp(-(Math.log(0.5) + Math.log(0.2)) / 2), 6);
  });

  test('errors: ignoreLabel required, sizes, axis', () => {
    expect(() => new metric.Perplexity(undefined as never)).toThrow(
      "Perplexity: expected ignoreLabel to be a label value (MXNet's docs suggest -1) or null to count every label, but got undefined",
    );
    expect(() => metric.create('perplexity')).toThrow("metric.create('perplexity'): expected an ignoreLabel option");
    expect(() => new metric.Perplexity(-1).update(nd.array([0, 1, 1]), nd.zeros([2, 2]))).toThrow(
      'Perplexity: expected one label per position of the predictions without axis 1 (2 labels), but got labels an NDArray of shape (3,) for predictions an NDArray of shape (2, 2)',
    );
    expect(() => new metric.Perplexity(-1, { axis: 3 }).update(L3(), P3())).toThrow('expected an axis in [-2, 1] for an input of rank 2, but got 3');
    expect(() => new metric.Perplexity(-1, { ignore_label: 0 } as never)).toThrow("Perplexity: expected options among axis, name, outputNames, labelNames, but got unknown option 'ignore_label'");
  });
});

describe('PearsonCorrelation', () => {
  const pred1 = [[0.3, 0.7], [0, 1], [0.4, 0.6]];
  const label1 = [[1, 0], [0, 1], [0, 1]];
  const pred2 = [[1, 2], [3, 2], [4, 6]];

  test("test_pearsonr: macro per pair, micro over every value since reset", () => {
    const [macro, micro] = [metric.create('pearsonr', { average: 'macro' }), metric.create('pearsonr', { average: 'micro' })];
    expect(macro.get()[1]).toBeNaN();
    expect(micro.get()[1]).toBeNaN();
    for (const m of [macro, micro]) m.update([nd.array(label1)], [nd.array(pred1)]);
    const r1 = pearsonReference(f32(pred1.flat()), label1.flat());
    expect(macro.get()[1]).toBeCloseTo(r1, 14);
    expect(micro.get()[1]).toBeCloseTo(r1, 14);
    expect(macro.get()[1]).toBeCloseTo(0.42163704544016178, 7); // MXNet's documented value (float32)
    micro.update([nd.array(label1)], [nd.array(pred2)]);
    expect(micro.get()[1]).toBeCloseTo(pearsonReference([...f32(pred1.flat()), ...pred2.flat()], [...label1.flat(), ...label1.flat()]), 14);
  });

  test('matches SciPy pearsonr on random batches', () => {
    for (const fx of fixtures.pearson) {
      const [macro, micro] = [new metric.PearsonCorrelation(), new metric.PearsonCorrelation({ average: 'micro' })];
      for (const b of fx.batches) for (const m of [macro, micro]) m.update(nd.array(b.label), nd.array(b.pred));
      expect(macro.get()[1]).toBeCloseTo(fx.macro, 13);
      expect(micro.get()[1]).toBeCloseTo(fx.micro, 13);
      expect(micro.getGlobal()[1]).toBe(micro.get()[1]);
      expect(macro.get()[1]).toBeCloseTo(mean(fx.batches.map((b) => pearsonReference(flat(b.pred), flat(b.label)))), 13);
    }
  });

  test('constant or single values are NaN; micro: resetLocal starts the local moments afresh', () => {
    const pr = new metric.PearsonCorrelation();
    pr.update(nd.array([1, 2, 3]), nd.array([5, 5, 5]));
    expect(pr.get()[1]).toBeNaN();
    const micro = new metric.PearsonCorrelation({ average: 'micro' });
    micro.update(nd.array([1]), nd.array([2]));
    expect(micro.get()[1]).toBeNaN();
    micro.update(nd.array([2, 3]), nd.array([4, 7]));
    micro.resetLocal();
    expect(micro.get()[1]).toBeNaN();
    micro.update(nd.array([4, 5]), nd.array([8, 1]));
    expect(micro.get()[1]).toBeCloseTo(-1, 15);
    expect(micro.getGlobal()[1]).toBeCloseTo(pearsonReference([2, 4, 7, 8, 1], [1, 2, 3, 4, 5]), 14);
    micro.reset();
    micro.update(nd.array([1, 2]), nd.array([2, 1]));
    expect(micro.get()[1]).toBeCloseTo(-1, 15);
  });

  test('labels and predictions must have one shape; average is checked', () => {
    expect(() => new metric.PearsonCorrelation().update(nd.array([1, 2]), nd.array([[1, 2]]))).toThrow(
      'PearsonCorrelation: expected labels and predictions of one shape, but got labels an NDArray of shape (2,) and predictions an NDArray of shape (1, 2)',
    );
    expect(() => new metric.PearsonCorrelation({ average: 'binary' as never })).toThrow("PearsonCorrelation: expected average to be one of 'macro', 'micro', but got 'binary'");
  });
});

describe('Loss', () => {
  test('the mean of every loss value; labels are ignored; one array or a list', () => {
    const [a, b] = [new metric.Loss(), metric.create('loss')];
    a.update(null, [P3()]);
    b.update(undefined as never, P3());
    expect(a.get()).toEqual(b.get());
    expect(a.get()[1]).toBe(f32([0.3, 0.7, 0.4, 0.6]).reduce((x, y) => x + y, 1) / 6);
    a.update([], [nd.array([10, 20]), nd.zeros([0])]);
    expect(a.numInst).toBe(8);
    expect(() => a.update(null, 3 as never)).toThrow('Loss: expected the loss values (predictions) to be an NDArray or a list of NDArrays, but got the number 3');
  });
});
