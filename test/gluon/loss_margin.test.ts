/**
 * HingeLoss, SquaredHingeLoss, LogisticLoss, TripletLoss and PoissonNLLLoss against float64
 * references written here from MXNet 1.9's gluon/loss.py formulas (with explicit loops), with
 * sample weights, weights and batch axes; gradients by finite differences on the references;
 * hybridized runs give the imperative bits; every error names the loss.
 */
import { NDArray, gluon, nd, nn } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';

const { HingeLoss, SquaredHingeLoss, LogisticLoss, TripletLoss, PoissonNLLLoss } = gluon.loss;

const SHAPE = [3, 4];
const pred = nd.array(Float32Array.from(pseudoRandom(12, 1), (v) => 2 * v), { shape: SHAPE });
const signs = nd.array(Float32Array.from(pseudoRandom(12, 2), (v) => (v > 0 ? 1 : -1)), { shape: SHAPE });

/** The mean over each row of `f(i)` for a (3, 4) loss, times `weight` and `sampleWeight[row]`. */
function rowMeans(f: (i: number) => number, weight = 1, sampleWeight?: number[]): number[] {
  return [0, 1, 2].map((r) => {
    let total = 0;
    for (let c = 0; c < 4; c++) total += f(r * 4 + c);
    return (total / 4) * weight * (sampleWeight?.[r] ?? 1);
  });
}

function expectClose(actual: NDArray, expected: number[], tol = 1e-6): void {
  expect(actual.shape).toEqual([expected.length]);
  actual.toFloat32Array().forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]))));
}

const p = Array.from(pred.toFloat32Array());
const y = Array.from(signs.toFloat32Array());
const hinge64 = (pv: ArrayLike<number>, yv: ArrayLike<number>, i: number, margin = 1) => Math.max(0, margin - pv[i] * yv[i]);
const logistic64 = (pv: ArrayLike<number>, yv: ArrayLike<number>, i: number) => Math.log1p(Math.exp(-pv[i] * yv[i]));

describe('HingeLoss and SquaredHingeLoss', () => {
  it('are the row means of max(0, margin − pred·label) (squared), weighted', () => {
    expectClose(new HingeLoss()(pred, signs), rowMeans((i) => hinge64(p, y, i)));
    expectClose(new HingeLoss({ margin: 0.5, weight: 2 })(pred, signs, nd.array([[1], [0], [3]])), rowMeans((i) => hinge64(p, y, i, 0.5), 2, [1, 0, 3]));
    expectClose(new SquaredHingeLoss()(pred, signs), rowMeans((i) => hinge64(p, y, i) ** 2));
  });

  it('have finite-difference gradients', () => {
    const ref = (square: boolean) => (pv: Float64Array) => rowMeans((i) => hinge64(pv, y, i) ** (square ? 2 : 1));
    checkGradient((x) => new HingeLoss()(x, signs), [pred], { reference64: ref(false) });
    checkGradient((x) => new SquaredHingeLoss()(x, signs), [pred], { reference64: ref(true) });
  });
});

describe('LogisticLoss', () => {
  it('is log(1 + exp(−pred·label)) for signed labels and the same for 0/1 labels in binary format', () => {
    expectClose(new LogisticLoss()(pred, signs), rowMeans((i) => logistic64(p, y, i)));
    const binary = nd.array(y.map((v) => (v + 1) / 2), { shape: SHAPE });
    expectClose(new LogisticLoss({ labelFormat: 'binary' })(pred, binary), rowMeans((i) => logistic64(p, y, i)));
    // Overflow-free: a huge margin gives 0 and a huge mistake gives |pred|, not Infinity.
    expect(new LogisticLoss()(nd.array([[1e4, -1e4]]), nd.array([[1, 1]])).toArray()).toEqual([5e3]);
  });

  it('has a finite-difference gradient, and refuses an unknown label format', () => {
    checkGradient((x) => new LogisticLoss()(x, signs), [pred], { reference64: (pv) => rowMeans((i) => logistic64(pv, y, i)) });
    expect(() => new LogisticLoss({ labelFormat: 'one-hot' as 'binary' })).toThrow("LogisticLoss: expected labelFormat 'signed' or 'binary', but got one-hot");
  });
});

describe('TripletLoss', () => {
  const positive = nd.array(Float32Array.from(pseudoRandom(12, 3)), { shape: SHAPE });
  const negative = nd.array(Float32Array.from(pseudoRandom(12, 4)), { shape: SHAPE });
  const triplet64 = (a: ArrayLike<number>, pos: ArrayLike<number>, neg: ArrayLike<number>, margin = 1) => [0, 1, 2].map((r) => {
    let d = margin;
    for (let c = 0; c < 4; c++) d += (pos[r * 4 + c] - a[r * 4 + c]) ** 2 - (neg[r * 4 + c] - a[r * 4 + c]) ** 2;
    return Math.max(0, d);
  });

  it('is max(0, |positive − pred|² − |negative − pred|² + margin) per sample, and differentiable', () => {
    const [pv, nv] = [positive.toFloat32Array(), negative.toFloat32Array()];
    expectClose(new TripletLoss()(pred, positive, negative), triplet64(p, pv, nv));
    expectClose(new TripletLoss({ margin: 3, weight: 0.5 })(pred, positive, negative), triplet64(p, pv, nv, 3).map((v) => v * 0.5));
    checkGradient((a, b, c) => new TripletLoss({ margin: 3 })(a, b, c), [pred, positive, negative], { reference64: (a, b, c) => triplet64(a, b, c, 3) });
  });

  it('names a missing or mis-sized input', () => {
    const loss = new TripletLoss();
    expect(() => loss(pred, positive)).toThrow('TripletLoss: expected inputs (pred, positive, negative), but got 2 inputs');
    expect(() => loss(pred, positive, nd.zeros([5]))).toThrow('TripletLoss: expected negative to be an NDArray with as many elements as pred (shape (3, 4)), but got shape (5,)');
  });
});

describe('PoissonNLLLoss', () => {
  const rate = nd.array(Float32Array.from(pseudoRandom(12, 5), (v) => 1.5 + v), { shape: SHAPE });
  const counts = nd.array([0, 1, 2, 5, 3, 0, 1, 7, 2, 2, 0, 4], { shape: SHAPE });
  const c = Array.from(counts.toFloat32Array());
  const mean = (f: (i: number) => number) => [Array.from({ length: 12 }, (_, i) => f(i)).reduce((a, b) => a + b, 0) / 12];
  const stirling = (t: number) => (t > 1 ? t * Math.log(t) - t + 0.5 * Math.log(2 * Math.PI * t) : 0);

  it('is the mean over every element of exp(pred) − target·pred from logits, or pred − target·log(pred + ε)', () => {
    expectClose(new PoissonNLLLoss()(pred, counts).reshape([1]), mean((i) => Math.exp(p[i]) - c[i] * p[i]));
    const r = Array.from(rate.toFloat32Array());
    expectClose(new PoissonNLLLoss({ fromLogits: false })(rate, counts).reshape([1]), mean((i) => r[i] - c[i] * Math.log(r[i] + 1e-8)));
  });

  it('adds Stirling\'s term where target > 1 with computeFull, finite at zero counts (MXNet gives NaN)', () => {
    const full = new PoissonNLLLoss({ computeFull: true })(pred, counts);
    expect(Number.isFinite(full.toFloat32Array()[0])).toBe(true);
    expectClose(full.reshape([1]), mean((i) => Math.exp(p[i]) - c[i] * p[i] + stirling(c[i])), 1e-5);
    checkGradient((x) => new PoissonNLLLoss({ computeFull: true })(x, counts), [pred], {
      reference64: (pv) => mean((i) => Math.exp(pv[i]) - c[i] * pv[i] + stirling(c[i])),
    });
  });
});

test('hybridized losses give the imperative bits', () => {
  for (const make of [() => new HingeLoss(), () => new SquaredHingeLoss(), () => new LogisticLoss(), () => new PoissonNLLLoss({ computeFull: true })]) {
    const loss = make();
    const imperative = loss(pred, signs.abs()).toFloat32Array();
    (loss as nn.HybridBlock).hybridize();
    loss(pred, signs.abs());
    expect(loss(pred, signs.abs()).toFloat32Array()).toEqual(imperative);
  }
});

describe('CosineEmbeddingLoss', () => {
  const a = nd.array(Float32Array.from(pseudoRandom(12, 7)), { shape: [4, 3] });
  const b = nd.array(Float32Array.from(pseudoRandom(12, 8)), { shape: [4, 3] });
  const label = nd.array([1, -1, 1, -1]);
  const cosine64 = (x: ArrayLike<number>, z: ArrayLike<number>, labels: number[], margin = 0) => labels.map((l, r) => {
    let dot = 0, nx = 0, nz = 0;
    for (let c = 0; c < 3; c++) {
      dot += x[r * 3 + c] * z[r * 3 + c];
      nx += x[r * 3 + c] ** 2;
      nz += z[r * 3 + c] ** 2;
    }
    const cos = dot / Math.max(Math.sqrt(nx) * Math.sqrt(nz), 1e-12);
    return l === 1 ? 1 - cos : Math.max(0, cos - margin);
  });

  it('is 1 − cos for similar pairs and max(0, cos − margin) for dissimilar ones, per sample', () => {
    const [av, bv] = [a.toFloat32Array(), b.toFloat32Array()];
    expectClose(new gluon.loss.CosineEmbeddingLoss()(a, b, label), cosine64(av, bv, [1, -1, 1, -1]));
    expectClose(new gluon.loss.CosineEmbeddingLoss({ margin: -0.5, weight: 2 })(a, b, label, nd.array([1, 0, 1, 3])),
      cosine64(av, bv, [1, -1, 1, -1], -0.5).map((v, i) => v * 2 * [1, 0, 1, 3][i]));
    checkGradient((x, z) => new gluon.loss.CosineEmbeddingLoss({ margin: -0.5 })(x, z, label), [a, b], { reference64: (x, z) => cosine64(x, z, [1, -1, 1, -1], -0.5) });
  });

  it('names missing inputs and mismatched shapes', () => {
    const loss = new gluon.loss.CosineEmbeddingLoss();
    expect(() => loss(a, b)).toThrow('CosineEmbeddingLoss: expected inputs (input1, input2, label) or (input1, input2, label, sampleWeight), but got 2 inputs');
    expect(() => loss(a, nd.zeros([4, 2]), label)).toThrow('CosineEmbeddingLoss: expected input1 with as many elements as input2 (shape (4, 2)), but got shape (4, 3)');
    expect(() => loss(a, b, nd.ones([3]))).toThrow('CosineEmbeddingLoss: expected one label per row of input2 (4), but got shape (3,)');
  });
});

describe('SigmoidBinaryCrossEntropyLoss with posWeight', () => {
  const labels = nd.array(Float32Array.from(pseudoRandom(12, 9), (v) => (v > 0 ? 1 : 0)), { shape: SHAPE });
  const yv = Array.from(labels.toFloat32Array());
  const posWeight = nd.array([0.5, 2, 3, 1]);
  const w = [0.5, 2, 3, 1];
  const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));
  const bce64 = (pv: ArrayLike<number>, i: number, fromSigmoid = false) => {
    const s = fromSigmoid ? pv[i] : sigmoid(pv[i]);
    const eps = fromSigmoid ? 1e-12 : 0;
    return -(w[i % 4] * yv[i] * Math.log(s + eps) + (1 - yv[i]) * Math.log(1 - s + eps));
  };

  it('weighs the positive term, with and without a sample weight, from logits or probabilities', () => {
    const loss = new gluon.loss.SigmoidBinaryCrossEntropyLoss();
    expectClose(loss(pred, labels, undefined as unknown as NDArray, posWeight), rowMeans((i) => bce64(p, i)), 1e-5);
    expectClose(loss(pred, labels, nd.array([[1], [0], [2]]), posWeight), rowMeans((i) => bce64(p, i), 1, [1, 0, 2]), 1e-5);
    const probs = nd.sigmoid(pred);
    const pv = Array.from(probs.toFloat32Array());
    expectClose(new gluon.loss.SigmoidBinaryCrossEntropyLoss({ fromSigmoid: true })(probs, labels, undefined as unknown as NDArray, posWeight), rowMeans((i) => bce64(pv, i, true)), 1e-5);
    checkGradient((x) => loss(x, labels, undefined as unknown as NDArray, posWeight), [pred], { reference64: (x) => rowMeans((i) => bce64(x, i)) });
  });

  it('hybridizes with the same bits, and names a posWeight that does not broadcast', () => {
    const loss = new gluon.loss.SigmoidBinaryCrossEntropyLoss();
    const sw = nd.ones([3, 1]);
    const imperative = loss(pred, labels, sw, posWeight).toFloat32Array();
    loss.hybridize();
    loss(pred, labels, sw, posWeight);
    expect(loss(pred, labels, sw, posWeight).toFloat32Array()).toEqual(imperative);
    expect(() => new gluon.loss.SigmoidBinaryCrossEntropyLoss()(pred, labels, sw, nd.ones([3])))
      .toThrow("SigmoidBinaryCrossEntropyLoss: expected posWeight to be an NDArray broadcastable to pred's shape (3, 4), but got shape (3,)");
  });
});
