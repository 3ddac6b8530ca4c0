import * as fs from 'fs';
import * as path from 'path';
import { GluonError, gluon, metric, nd } from '../../src';
import { argmaxRows, f1Reference, mccReference, mean } from '../helpers/metric_reference';

// Classification metrics against MXNet 1.9's documented values (python/mxnet/metric.py and
// tests/python/unittest/test_metric.py), hand counts, naive references, and scikit-learn
// fixtures (test/fixtures/make_metric_fixtures.py).

interface Batch {
  pred: number[][];
  label: number[];
}
const fixtures = JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/metric_fixtures.json'), 'utf8')) as {
  binary: Array<{ batches: Batch[]; f1_macro: number; f1_micro: number; mcc_macro: number; mcc_micro: number }>;
  multiclass: Array<{ classes: number; batches: Batch[]; pcc: number; top_k: Record<string, number> }>;
};

const P3 = () => nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6]]);
const L3 = () => nd.array([0, 1, 1]);

test('metric is gluon.metric', () => {
  expect(gluon.metric.Accuracy).toBe(metric.Accuracy);
  expect(gluon.metric.create).toBe(metric.create);
});

describe('Accuracy', () => {
  test("MXNet's example: argmax of the scores against the labels", () => {
    const acc = new metric.Accuracy();
    acc.update([L3()], [P3()]);
    expect(acc.get()).toEqual(['accuracy', 2 / 3]);
    expect([acc.numInst, acc.sumMetric]).toEqual([3, 2]);
  });

  test('2-D labels are compared flattened (test_acc_2d_label)', () => {
    const pred = nd.array([[0.3, 0.7], [0, 1], [0.4, 0.6], [0.8, 0.2], [0.3, 0.5], [0.6, 0.4]]);
    const label = nd.array([[0, 1, 1], [1, 0, 1]]);
    const acc = new metric.Accuracy();
    acc.update([label], [pred]);
    // argmax rows: 1 1 1 0 1 0 against 0 1 1 1 0 1 → 2 hits.
    expect(acc.get()[1]).toBe(2 / 6);
  });

  test('predictions of the label shape are class indices, cast toward zero like the labels', () => {
    const acc = new metric.Accuracy();
    acc.update(nd.array([1, 2, 3, -1]), nd.array([1.9, 2.2, 2.99, -1.5]));
    expect(acc.get()[1]).toBe(3 / 4); // 1, 2, 2, -1 vs 1, 2, 3, -1
  });

  test('axis picks the class axis; ties take the first maximum, NaN wins', () => {
    const acc = new metric.Accuracy({ axis: 0 });
    acc.update(nd.array([1, 0]), nd.array([[0, 5], [1, 5]])); // argmax over axis 0: [1, 0]
    expect(acc.get()[1]).toBe(1);
    const ties = new metric.Accuracy();
    ties.update(nd.array([0, 2]), nd.array([[0.5, 0.5, 0.1], [1, NaN, NaN]]));
    expect(ties.get()[1]).toBe(0.5); // tie → class 0 (hit); first NaN → class 1 (miss)
    const negative = new metric.Accuracy({ axis: -1 });
    negative.update([L3()], [P3()]);
    expect(negative.get()[1]).toBe(2 / 3);
  });

  test('accumulates over batches and pairs; reset and an empty batch', () => {
    const acc = new metric.Accuracy();
    expect(acc.get()[1]).toBeNaN();
    acc.update([L3(), nd.array([0])], [P3(), nd.array([[1, 0]])]);
    acc.update(nd.array([1, 1]), nd.array([[1, 0], [1, 0]]));
    expect(acc.get()[1]).toBe(3 / 6);
    acc.update(nd.zeros([0]), nd.zeros([0, 2]));
    expect(acc.numInst).toBe(6);
    acc.reset();
    expect(acc.get()[1]).toBeNaN();
    acc.update([], []);
    expect(acc.get()[1]).toBeNaN();
  });

  test('errors name the metric, the expectation and what was given', () => {
    const acc = new metric.Accuracy();
    expect(() => acc.update([L3(), L3()], [P3()])).toThrow('Accuracy: expected as many predictions as labels, but got 2 labels and 1 prediction');
    expect(() => acc.update(nd.array([0, 1]), P3())).toThrow(
      'Accuracy: expected one predicted class per label, but got 3 predicted classes (the argmax along axis 1 of an NDArray of shape (3, 2)) for 2 labels (an NDArray of shape (2,))',
    );
    expect(() => new metric.Accuracy({ axis: 2 }).update(L3(), P3())).toThrow('expected an axis in [-2, 1] for an input of rank 2, but got 2');
    expect(() => acc.update(L3(), nd.zeros([3, 0]))).toThrow('Accuracy: expected classes along axis 1 to take the argmax of, but got predictions of shape (3, 0)');
    expect(() => acc.update([0, 1, 1] as never, P3())).toThrow("Accuracy: expected labels to be an NDArray or a list of NDArrays, but got [0, 1, 1] (an element is the number 0)");
    expect(() => new metric.Accuracy({ axis: 0.5 })).toThrow('Accuracy: expected axis to be an integer, but got the number 0.5');
    expect(() => new metric.Accuracy({ axes: 1 } as never)).toThrow(GluonError);
    expect(acc.numInst).toBe(0); // nothing added by a failed update
  });
});

describe('TopKAccuracy', () => {
  test('counts a hit when the label is among the topK scores; the name carries k', () => {
    const top2 = new metric.TopKAccuracy({ topK: 2 });
    top2.update(nd.array([2, 0, 1]), nd.array([[0.1, 0.5, 0.4], [0.2, 0.3, 0.5], [0.3, 0.2, 0.1]]));
    expect(top2.get()).toEqual(['top_k_accuracy_2', 2 / 3]); // rows 0 and 2 hit
    const all = new metric.TopKAccuracy({ topK: 5, name: 'top' });
    all.update(nd.array([[2], [0]]), nd.array([[0.1, 0.5, 0.4], [0.2, 0.3, 0.5]]));
    expect(all.get()).toEqual(['top_5', 1]); // topK ≥ classes: every in-range label hits
  });

  test('ties go to the lower class index; out-of-range labels never hit', () => {
    const top2 = new metric.TopKAccuracy({ topK: 2 });
    top2.update(nd.array([0, 1, 2, 3, -1]), nd.array([[1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1], [1, 1, 1]]));
    expect(top2.sumMetric).toBe(2);
  });

  test('matches scikit-learn top_k_accuracy_score over several batches', () => {
    for (const fx of fixtures.multiclass) {
      for (const [k, expected] of Object.entries(fx.top_k)) {
        const m = metric.create('top_k_accuracy', { topK: Number(k) });
        for (const b of fx.batches) m.update(nd.array(b.label), nd.array(b.pred));
        expect(m.get()[1]).toBeCloseTo(expected, 14);
      }
    }
  });

  test('topK must exceed 1 (as MXNet asserts), so the default fails', () => {
    expect(() => new metric.TopKAccuracy()).toThrow('TopKAccuracy: expected topK to be an integer > 1 (use Accuracy for the top 1), but got the number 1');
    expect(() => metric.create('top_k_acc', { top_k: 3 })).toThrow("TopKAccuracy: expected options among topK, name, outputNames, labelNames, but got unknown option 'top_k' (did you mean 'topK'?)");
  });

  test('predictions must be (batch, classes) with one label per row', () => {
    const top2 = new metric.TopKAccuracy({ topK: 2 });
    expect(() => top2.update(nd.array([1, 0]), nd.array([0.5, 0.5]))).toThrow('TopKAccuracy: expected predictions of shape (batch, classes), but got an NDArray of shape (2,)');
    expect(() => top2.update(nd.array([1]), nd.zeros([1, 2, 2]))).toThrow('expected predictions of shape (batch, classes)');
    expect(() => top2.update(nd.array([1, 0, 1]), nd.zeros([2, 3]))).toThrow(
      'TopKAccuracy: expected one label per prediction row (2 labels for predictions of shape (2, 3)), but got an NDArray of shape (3,)',
    );
  });
});

describe('F1 and MCC', () => {
  test("MXNet's examples", () => {
    const f1 = new metric.F1();
    f1.update([L3()], [P3()]);
    expect(f1.get()).toEqual(['f1', 0.8]);
    // 1000 false positives, 1 true negative, 1 false negative, 10000 true positives.
    const rows = [...Array(1000).fill([0.3, 0.7]), [0.7, 0.3], [0.7, 0.3], ...Array(10000).fill([0.3, 0.7])];
    const labels = [...Array(1001).fill(0), ...Array(10001).fill(1)];
    const [f, m] = [new metric.F1(), new metric.MCC()];
    for (const x of [f, m]) x.update([nd.array(labels)], [nd.array(rows)]);
    expect(f.get()[1]).toBeCloseTo(0.95233560306652054, 14);
    expect(m.get()[1]).toBeCloseTo(0.01917751877733392, 14);
  });

  test('macro averages each update, micro scores every sample (test_f1, test_mcc)', () => {
    const b1 = [[nd.array([1, 0]), nd.array([1, 0])], [nd.array([[0.1, 0.9], [0.5, 0.5]]), nd.array([[0.85, 0.15], [1, 0]])]];
    const b2 = [[nd.array([0]), nd.array([1])], [nd.array([[0.6, 0.4]]), nd.array([[0.2, 0.8]])]];
    const micro = [metric.create('f1', { average: 'micro' }), new metric.MCC({ average: 'micro' })];
    const macro = [new metric.F1({ average: 'macro' }), metric.create('MCC')];
    for (const m of [...micro, ...macro]) m.update(b1[0], b1[1]);
    expect(micro.map((m) => m.numInst)).toEqual([4, 4]);
    expect(macro.map((m) => m.numInst)).toEqual([1, 1]);
    const mcc1 = 2 / Math.sqrt(1 * 2 * 2 * 3); // tp 1, fp 0, fn 1, tn 2
    expect(micro[0].get()[1]).toBeCloseTo(2 / 3, 15);
    expect(micro[1].get()[1]).toBeCloseTo(mcc1, 15);
    for (const m of [...micro, ...macro]) m.update(b2[0], b2[1]);
    expect(micro.map((m) => m.numInst)).toEqual([6, 6]);
    expect(macro.map((m) => m.numInst)).toEqual([2, 2]);
    expect(micro[0].get()[1]).toBeCloseTo(4 / 5, 15);
    expect(macro[0].get()[1]).toBeCloseTo((2 / 3 + 1) / 2, 15);
    expect(micro[1].get()[1]).toBeCloseTo(6 / Math.sqrt(2 * 3 * 3 * 4), 15); // tp 2, fp 0, fn 1, tn 3
    expect(macro[1].get()[1]).toBeCloseTo((mcc1 + 1) / 2, 15);
  });

  test('no positives scores 0, not NaN; NaN before any update; an empty update (macro) adds a 0', () => {
    for (const average of ['macro', 'micro'] as const) {
      for (const m of [new metric.F1({ average }), new metric.MCC({ average })]) {
        expect(m.get()[1]).toBeNaN();
        m.update(nd.array([0, 0]), nd.array([[0.9, 0.1], [0.8, 0.2]]));
        expect(m.get()[1]).toBe(0);
      }
    }
    const f1 = new metric.F1();
    f1.update(L3(), P3());
    f1.update(nd.zeros([0]), nd.zeros([0, 2]));
    expect(f1.get()[1]).toBe(0.4);
    const micro = new metric.F1({ average: 'micro' });
    micro.update(nd.zeros([0]), nd.zeros([0, 2]));
    expect(micro.get()[1]).toBeNaN();
  });

  test('match scikit-learn f1_score and matthews_corrcoef, macro and micro', () => {
    for (const fx of fixtures.binary) {
      const ms = { f1_macro: new metric.F1(), f1_micro: new metric.F1({ average: 'micro' }), mcc_macro: new metric.MCC(), mcc_micro: new metric.MCC({ average: 'micro' }) };
      for (const b of fx.batches) for (const m of Object.values(ms)) m.update([nd.array(b.label)], [nd.array(b.pred)]);
      for (const [key, m] of Object.entries(ms)) expect(m.get()[1]).toBeCloseTo(fx[key as keyof typeof ms], 14);
      // And against the naive references, batch by batch.
      const perBatch = fx.batches.map((b) => [f1Reference(b.label, argmaxRows(b.pred)), mccReference(b.label, argmaxRows(b.pred))]);
      expect(ms.f1_macro.get()[1]).toBeCloseTo(mean(perBatch.map((s) => s[0])), 14);
      expect(ms.mcc_macro.get()[1]).toBeCloseTo(mean(perBatch.map((s) => s[1])), 14);
    }
  });

  test('errors: more than two classes, bad average, bad shapes', () => {
    expect(() => new metric.F1().update(nd.array([0, 1, 2]), nd.zeros([3, 2]))).toThrow(
      'F1: expected binary labels (F1 only supports binary classification), but got 3 distinct values (0, 1, 2)',
    );
    expect(() => new metric.MCC({ average: 'weighted' as never })).toThrow("MCC: expected average to be one of 'macro', 'micro', but got 'weighted'");
    expect(() => new metric.F1().update(nd.array([0, 1]), nd.array([0.2, 0.8]))).toThrow('F1: expected predictions of shape (batch, classes), but got an NDArray of shape (2,)');
    expect(() => new metric.MCC().update(nd.array([0, 1]), nd.zeros([3, 2]))).toThrow('MCC: expected one label per prediction row');
  });
});

describe('PCC', () => {
  /** Labels and one-hot predictions giving confusion matrix cm[true][pred]. */
  function cmBatch(cm: number[][]): [number[], number[][]] {
    const labels: number[] = [];
    const preds: number[][] = [];
    cm.forEach((row, i) => row.forEach((count, j) => {
      for (let c = 0; c < count; c++) {
        labels.push(i);
        preds.push(cm.map((_, k) => (k === j ? 1 : 0)));
      }
    }));
    return [labels, preds];
  }

  test('equals MCC for two classes, and scalar predictions give the same (test_pcc)', () => {
    const [labels, preds] = cmBatch([[7, 3], [2, 5]]);
    const [pcc, mcc] = [new metric.PCC(), new metric.MCC()];
    pcc.update([nd.array(labels)], [nd.array(preds)]);
    mcc.update([nd.array(labels)], [nd.array(preds)]);
    expect(pcc.get()[1]).toBeCloseTo(mcc.get()[1], 15);
    pcc.reset();
    pcc.update(nd.array(labels), nd.array(argmaxRows(preds)));
    expect(pcc.get()[1]).toBeCloseTo(mcc.get()[1], 15);
  });

  test("the multiclass formula on MXNet's confusion matrix; order and batching don't matter", () => {
    const CM = [[23, 13, 3], [7, 19, 11], [2, 5, 17]];
    const K = 3;
    let num = 0;
    for (let k = 0; k < K; k++) for (let l = 0; l < K; l++) for (let m = 0; m < K; m++) num += CM[k][k] * CM[l][m] - CM[k][l] * CM[m][k];
    const rowSum = (k: number) => CM[k].reduce((a, b) => a + b, 0);
    const colSum = (k: number) => CM.reduce((a, r) => a + r[k], 0);
    let d1 = 0;
    let d2 = 0;
    for (let k = 0; k < K; k++) {
      d1 += rowSum(k) * [0, 1, 2].filter((f) => f !== k).reduce((a, f) => a + rowSum(f), 0);
      d2 += colSum(k) * [0, 1, 2].filter((g) => g !== k).reduce((a, g) => a + colSum(g), 0);
    }
    const [labels, preds] = cmBatch(CM);
    const pcc = metric.create('pcc');
    pcc.update([nd.array(labels)], [nd.array(preds)]);
    expect(pcc.get()[1]).toBeCloseTo(num / Math.sqrt(d1 * d2), 14);
    const one = new metric.PCC();
    labels.map((l, i) => [l, preds[i]] as const).reverse().forEach(([l, p]) => one.update([nd.array([l])], [nd.array([p])]));
    expect(one.get()[1]).toBe(pcc.get()[1]);
    expect(one.numInst).toBe(labels.length); // counts updates
  });

  test('matches scikit-learn multiclass matthews_corrcoef; grows with the classes seen', () => {
    for (const fx of fixtures.multiclass) {
      const pcc = new metric.PCC();
      for (const b of fx.batches) pcc.update(nd.array(b.label), nd.array(b.pred));
      expect(pcc.get()[1]).toBeCloseTo(fx.pcc, 14);
      expect(pcc.k).toBe(fx.classes);
    }
  });

  test('NaN when one class is predicted; resetLocal keeps the global matrix; negative classes throw', () => {
    const pcc = new metric.PCC();
    pcc.update(nd.array([0, 1]), nd.array([1, 1]));
    expect(pcc.get()[1]).toBeNaN();
    pcc.update(nd.array([0]), nd.array([0]));
    pcc.resetLocal();
    expect(pcc.get()[1]).toBeNaN();
    expect(pcc.getGlobal()[1]).toBeCloseTo(mccReference([0, 1, 0], [1, 1, 0]), 15);
    expect(() => pcc.update(nd.array([-1]), nd.array([0]))).toThrow('PCC: expected class indices >= 0, but got -1');
  });
});
