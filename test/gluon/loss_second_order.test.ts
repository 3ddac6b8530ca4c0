/**
 * Second derivatives of the losses, and the losses hybridized. g = ∂/∂pred Σ r·loss(pred, label,
 * sampleWeight) is computed with createGraph and differentiated again (with respect to pred and,
 * where they are real numbers, label and sampleWeight), against central finite differences of g's
 * float64 reference (test/helpers/loss_grad_reference.ts).
 */
import { autograd, gluon, nd, NDArray } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import { elementwiseGradReference, klDivGradReference, softmaxCrossEntropyGradReference } from '../helpers/loss_grad_reference';
import { logSoftmaxReference } from '../helpers/loss_reference';

const { loss } = gluon;

/** Seeded float32 values in [lo, hi). */
function rand(shape: number[], seed: number, lo = -1, hi = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => lo + ((v + 1) / 2) * (hi - lo)), { shape });
}

const P34 = rand([3, 4], 21, -2, 2);
const Y34 = rand([3, 4], 22, -2, 2);
const SW31 = rand([3, 1], 23, 0.5, 2);
const SOFT = rand([3, 4], 24, 0, 1);
const PROBS = rand([3, 4], 25, 0.05, 0.95);
const LOGP = nd.array(Float32Array.from(logSoftmaxReference(P34.toFloat32Array(), [3, 4], 1)), { shape: [3, 4] });
const CLASSES = nd.array([2, 0, 3]);

interface Case {
  name: string;
  make: () => gluon.loss.Loss;
  inputs: NDArray[];
  /** The float64 gradient with respect to pred of Σ_b r[b]·loss[b], as a function of the inputs. */
  gradient: (r: Float64Array, ...inputs: Float64Array[]) => Float64Array;
  /** Inputs the gradient is differentiated with respect to (pred always). */
  check: number[];
}

const sw31 = (sw: Float64Array | undefined): { data: Float64Array; shape: number[] } | undefined => (sw === undefined ? undefined : { data: sw, shape: [3, 1] });

const CASES: Case[] = [
  { name: 'L1Loss', make: () => new loss.L1Loss({ weight: 2 }), inputs: [P34, Y34, SW31], check: [0, 1, 2],
    gradient: (r, p, y, sw) => elementwiseGradReference('l1', p, y, [3, 4], r, { weight: 2, sampleWeight: sw31(sw) }) },
  { name: 'L2Loss', make: () => new loss.L2Loss({ weight: 3 }), inputs: [P34, Y34, SW31], check: [0, 1, 2],
    gradient: (r, p, y, sw) => elementwiseGradReference('l2', p, y, [3, 4], r, { weight: 3, sampleWeight: sw31(sw) }) },
  { name: 'L2Loss with batchAxis 1', make: () => new loss.L2Loss({ batchAxis: 1 }), inputs: [P34, Y34], check: [0, 1],
    gradient: (r, p, y) => elementwiseGradReference('l2', p, y, [3, 4], r, { batchAxis: 1 }) },
  { name: 'HuberLoss', make: () => new loss.HuberLoss({ rho: 0.7 }), inputs: [P34, Y34, SW31], check: [0, 1, 2],
    gradient: (r, p, y, sw) => elementwiseGradReference('huber', p, y, [3, 4], r, { rho: 0.7, sampleWeight: sw31(sw) }) },
  { name: 'SigmoidBinaryCrossEntropyLoss', make: () => new loss.SigmoidBCELoss(), inputs: [P34, SOFT, SW31], check: [0, 1, 2],
    gradient: (r, p, y, sw) => elementwiseGradReference('bce', p, y, [3, 4], r, { sampleWeight: sw31(sw) }) },
  { name: 'SigmoidBinaryCrossEntropyLoss fromSigmoid', make: () => new loss.SigmoidBCELoss({ fromSigmoid: true }), inputs: [PROBS, SOFT], check: [0, 1],
    gradient: (r, p, y) => elementwiseGradReference('bceFromSigmoid', p, y, [3, 4], r) },
  { name: 'KLDivLoss', make: () => new loss.KLDivLoss(), inputs: [LOGP, SOFT, SW31], check: [0, 1, 2],
    gradient: (r, p, y, sw) => klDivGradReference(p, y, [3, 4], null, r, { sampleWeight: sw31(sw) }) },
  { name: 'KLDivLoss fromLogits false', make: () => new loss.KLDivLoss({ fromLogits: false, axis: 0, weight: 0.5 }), inputs: [P34, SOFT], check: [0, 1],
    gradient: (r, p, y) => klDivGradReference(p, y, [3, 4], 0, r, { weight: 0.5 }) },
  { name: 'SoftmaxCrossEntropyLoss', make: () => new loss.SoftmaxCrossEntropyLoss({ weight: 1.5 }), inputs: [P34, CLASSES, SW31], check: [0, 2],
    gradient: (r, p, y, sw) => softmaxCrossEntropyGradReference(p, y, [3, 4], -1, { sparse: true, fromLogits: false }, r, { weight: 1.5, sampleWeight: sw31(sw) }) },
  { name: 'SoftmaxCrossEntropyLoss along axis 0, batchAxis 1', make: () => new loss.SoftmaxCrossEntropyLoss({ axis: 0, batchAxis: 1 }),
    inputs: [P34, nd.array([[0, 2, 1, 2]])], check: [0],
    gradient: (r, p, y) => softmaxCrossEntropyGradReference(p, y, [3, 4], 0, { sparse: true, fromLogits: false }, r, { batchAxis: 1 }) },
  { name: 'SoftmaxCrossEntropyLoss with dense labels', make: () => new loss.SoftmaxCrossEntropyLoss({ sparseLabel: false }), inputs: [P34, SOFT], check: [0, 1],
    gradient: (r, p, y) => softmaxCrossEntropyGradReference(p, y, [3, 4], -1, { sparse: false, fromLogits: false }, r) },
  { name: 'SoftmaxCrossEntropyLoss fromLogits, dense', make: () => new loss.SoftmaxCrossEntropyLoss({ sparseLabel: false, fromLogits: true }),
    inputs: [LOGP, SOFT], check: [0, 1],
    gradient: (r, p, y) => softmaxCrossEntropyGradReference(p, y, [3, 4], -1, { sparse: false, fromLogits: true }, r) },
];

describe('second derivatives of the losses', () => {
  test.each(CASES)('$name', ({ make, inputs, gradient, check }) => {
    const fn = make();
    const batch = fn(...inputs).size;
    const r = pseudoRandom(batch, 5);
    const g = (...xs: NDArray[]): NDArray =>
      autograd.grad(fn(...xs), [xs[0]], { createGraph: true, headGrads: nd.array(Float32Array.from(r)) })[0];
    checkGradient(g, inputs, { reference64: (...xs) => gradient(r, ...xs), check });
  });

  test('d²/dx² of the logistic loss is σ(x)(1 − σ(x)), exactly 1/4 at 0', () => {
    const x = nd.array([[0, 2, -3]]);
    x.attachGrad();
    const bce = new loss.SigmoidBCELoss({ batchAxis: 1 });
    const second = autograd.record(() => autograd.grad(bce(x, nd.array([[1, 0, 1]])).sum(), [x], { createGraph: true })[0].sum());
    second.backward();
    const s = (v: number): number => 1 / (1 + Math.exp(-v));
    const got = (x.grad as NDArray).toFloat32Array();
    [0, 2, -3].forEach((v, i) => expect(Math.abs(got[i] - s(v) * (1 - s(v)))).toBeLessThan(1e-6));
    expect(got[0]).toBe(0.25);
  });
});

describe('hybridized losses', () => {
  test.each(CASES)('$name: the same values and gradients as imperatively', ({ make, inputs, check }) => {
    const run = (hybridize: boolean): number[][] => {
      const fn = make();
      if (hybridize) fn.hybridize();
      const xs = inputs.map((x) => nd.array(x));
      check.forEach((i) => xs[i].attachGrad());
      const out = autograd.record(() => fn(...xs));
      out.backward(nd.array(Float32Array.from(pseudoRandom(out.size, 3))));
      return [Array.from(out.data), ...check.map((i) => Array.from((xs[i].grad as NDArray).data))];
    };
    expect(run(true)).toEqual(run(false));
  });

  test('a hybridized loss still checks its labels, and exports as a graph of registered operators', () => {
    const ce = new loss.SoftmaxCrossEntropyLoss();
    ce.hybridize();
    expect(() => ce(nd.zeros([2, 3]), nd.array([0, 3]))).toThrow(
      'SoftmaxCrossEntropyLoss: expected class indices (integers in [0, 2]) as labels, but got 3 at position 1');
    expect(ce(nd.zeros([2, 3]), nd.array([0, 2])).toArray()).toEqual([Math.fround(Math.log(3)), Math.fround(Math.log(3))]);
    const text = ce.exportBytes().symbol;
    for (const op of ['"log_softmax"', '"pick"', '"negative"', '"mean"']) expect(text).toContain(op);
  });
});
