import { GluonError, NDArray, autograd, gluon, nd } from '../../src';
import { checkGradient, pseudoRandom } from '../helpers/gradient_check';
import {
  ElementKind,
  ReferenceOptions,
  elementwiseReference,
  logSoftmaxReference,
  softmaxCrossEntropyReference,
} from '../helpers/loss_reference';

const { loss } = gluon;

/** Seeded float32 values in [lo, hi). */
function rand(shape: number[], seed: number, lo = -1, hi = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => lo + ((v + 1) / 2) * (hi - lo)), { shape });
}

/** Seeded distributions along the last axis (positive, summing to 1). */
function distributions(shape: number[], seed: number): NDArray {
  const x = rand(shape, seed, 0.1, 1).toFloat32Array();
  const c = shape[shape.length - 1];
  for (let r = 0; r < x.length; r += c) {
    let total = 0;
    for (let k = 0; k < c; k++) total += x[r + k];
    for (let k = 0; k < c; k++) x[r + k] /= total;
  }
  return nd.array(x, { shape });
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

interface Case {
  name: string;
  make: () => gluon.loss.Loss;
  inputs: NDArray[];
  /** The float64 reference of the loss as a function of the inputs' values. */
  reference: (...inputs: Float64Array[]) => Float64Array;
  /** Inputs whose gradient is checked (default: pred only). */
  check?: number[];
}

function elementCase(name: string, kind: ElementKind, make: () => gluon.loss.Loss, inputs: NDArray[], options: ReferenceOptions = {}, check = [0, 1]): Case {
  const shape = [...inputs[0].shape];
  const swShape = inputs[2]?.shape;
  return {
    name,
    make,
    inputs,
    check,
    reference: (p, y, sw) => elementwiseReference(kind, p, y, shape, { ...options, sampleWeight: sw && swShape ? { data: sw, shape: [...swShape] } : undefined }),
  };
}

const P34 = rand([3, 4], 1, -2, 2);
const Y34 = rand([3, 4], 2, -2, 2);
const SW31 = rand([3, 1], 3, 0.5, 2);
const BITS = nd.array(Float32Array.from(pseudoRandom(12, 4), (v) => (v > 0 ? 1 : 0)), { shape: [3, 4] });
const PROBS = rand([3, 4], 5, 0.05, 0.95);
const LOGP = nd.array(Float32Array.from(logSoftmaxReference(P34.toFloat32Array(), [3, 4], 1)), { shape: [3, 4] });
const DIST34 = distributions([3, 4], 6);
const CLASSES = nd.array([2, 0, 3]);

const CASES: Case[] = [
  elementCase('L1Loss', 'l1', () => new loss.L1Loss(), [P34, Y34]),
  elementCase('L1Loss with weight and sampleWeight', 'l1', () => new loss.L1Loss({ weight: 2 }), [P34, Y34, SW31], { weight: 2 }, [0, 1, 2]),
  elementCase('L2Loss with a label of another shape (same size)', 'l2', () => new loss.L2Loss(), [P34, Y34.reshape([12])]),
  elementCase('L2Loss with weight 3 and batchAxis 1', 'l2', () => new loss.L2Loss({ weight: 3, batchAxis: 1 }), [P34, Y34], { weight: 3, batchAxis: 1 }),
  elementCase('L2Loss on rank 3 with batchAxis -1 and sampleWeight', 'l2', () => new loss.L2Loss({ batchAxis: -1 }),
    [rand([2, 3, 2], 7), rand([2, 3, 2], 8), rand([3, 1], 9, 0.5, 1.5)], { batchAxis: -1 }, [0, 1, 2]),
  elementCase('HuberLoss rho 0.5', 'huber', () => new loss.HuberLoss({ rho: 0.5 }), [P34, Y34], { rho: 0.5 }),
  elementCase('SigmoidBinaryCrossEntropyLoss from logits', 'bce', () => new loss.SigmoidBinaryCrossEntropyLoss(), [P34, BITS]),
  elementCase('SigmoidBinaryCrossEntropyLoss with soft labels and sampleWeight', 'bce', () => new loss.SigmoidBCELoss(),
    [P34, rand([3, 4], 10, 0, 1), SW31], {}, [0, 1, 2]),
  elementCase('SigmoidBinaryCrossEntropyLoss fromSigmoid', 'bceFromSigmoid', () => new loss.SigmoidBinaryCrossEntropyLoss({ fromSigmoid: true }), [PROBS, BITS]),
  elementCase('KLDivLoss from log-probabilities', 'kl', () => new loss.KLDivLoss(), [LOGP, DIST34]),
  {
    name: 'KLDivLoss fromLogits false along axis 1 of a rank-3 pred',
    make: () => new loss.KLDivLoss({ fromLogits: false, axis: 1 }),
    inputs: [rand([2, 3, 2], 11, -2, 2), rand([2, 3, 2], 12, 0.1, 0.6)],
    reference: (p, y) => elementwiseReference('kl', logSoftmaxReference(p, [2, 3, 2], 1), y, [2, 3, 2]),
    check: [0, 1],
  },
  {
    name: 'SoftmaxCrossEntropyLoss with sparse labels',
    make: () => new loss.SoftmaxCrossEntropyLoss(),
    inputs: [P34, CLASSES],
    reference: (p, y) => softmaxCrossEntropyReference(p, y, [3, 4], -1, { sparse: true, fromLogits: false }),
  },
  {
    name: 'SoftmaxCELoss with (N, 1) labels, weight and sampleWeight',
    make: () => new loss.SoftmaxCELoss({ weight: 0.5 }),
    inputs: [P34, CLASSES.reshape([3, 1]), SW31],
    reference: (p, y, sw) => softmaxCrossEntropyReference(p, y, [3, 4], -1, { sparse: true, fromLogits: false }, { weight: 0.5, sampleWeight: { data: sw, shape: [3, 1] } }),
    check: [0, 2],
  },
  {
    name: 'SoftmaxCrossEntropyLoss along axis 1 of a rank-3 pred',
    make: () => new loss.SoftmaxCrossEntropyLoss({ axis: 1 }),
    inputs: [rand([2, 3, 2], 13, -3, 3), nd.array([[0, 2], [1, 1]])],
    reference: (p, y) => softmaxCrossEntropyReference(p, y, [2, 3, 2], 1, { sparse: true, fromLogits: false }),
  },
  {
    name: 'SoftmaxCrossEntropyLoss with dense labels',
    make: () => new loss.SoftmaxCrossEntropyLoss({ sparseLabel: false }),
    inputs: [P34, DIST34],
    reference: (p, y) => softmaxCrossEntropyReference(p, y, [3, 4], -1, { sparse: false, fromLogits: false }),
    check: [0, 1],
  },
  {
    name: 'SoftmaxCrossEntropyLoss with unnormalized dense labels',
    make: () => new loss.SoftmaxCrossEntropyLoss({ sparseLabel: false }),
    inputs: [P34, rand([3, 4], 14, 0, 1)],
    reference: (p, y) => softmaxCrossEntropyReference(p, y, [3, 4], -1, { sparse: false, fromLogits: false }),
    check: [0, 1],
  },
  {
    name: 'SoftmaxCrossEntropyLoss fromLogits, sparse',
    make: () => new loss.SoftmaxCrossEntropyLoss({ fromLogits: true }),
    inputs: [LOGP, CLASSES],
    reference: (p, y) => softmaxCrossEntropyReference(p, y, [3, 4], -1, { sparse: true, fromLogits: true }),
  },
  {
    name: 'SoftmaxCrossEntropyLoss fromLogits, dense, batchAxis 1',
    make: () => new loss.SoftmaxCrossEntropyLoss({ fromLogits: true, sparseLabel: false, axis: 0, batchAxis: 1 }),
    inputs: [LOGP, DIST34],
    reference: (p, y) => softmaxCrossEntropyReference(p, y, [3, 4], 0, { sparse: false, fromLogits: true }, { batchAxis: 1 }),
    check: [0, 1],
  },
];

describe('losses against float64 references', () => {
  test.each(CASES)('$name: value', ({ make, inputs, reference }) => {
    const out = make()(...inputs);
    const expected = reference(...inputs.map((x) => Float64Array.from(x.toFloat32Array())));
    expect(out.shape).toEqual([expected.length]);
    expectClose(out.toFloat32Array(), expected);
  });

  test.each(CASES)('$name: gradient', ({ make, inputs, reference, check = [0] }) => {
    const fn = make();
    checkGradient((...xs) => fn(...xs), inputs, { reference64: reference, check });
  });

  test('no loss mutates its inputs', () => {
    for (const { make, inputs } of CASES) {
      const before = inputs.map((x) => x.toFloat32Array());
      make()(...inputs);
      inputs.forEach((x, i) => expect(x.toFloat32Array()).toEqual(before[i]));
    }
  });
});

describe('numerical stability', () => {
  test('SoftmaxCrossEntropyLoss is finite and exact for logits of ±1e4', () => {
    const pred = nd.array([[1e4, -1e4, 0], [1e4, -1e4, 0]]);
    pred.attachGrad();
    const ce = new loss.SoftmaxCrossEntropyLoss();
    const out = autograd.record(() => ce(pred, nd.array([0, 1])));
    expect(out.toArray()).toEqual([0, 2e4]);
    out.backward();
    expect(pred.grad?.toArray()).toEqual([[0, 0, 0], [1, -1, 0]]);
  });

  test('SigmoidBinaryCrossEntropyLoss is finite for logits of ±100, with gradient σ(x) − y (0.5 − y at 0)', () => {
    const pred = nd.array([[100, -100, 0, 0]]);
    pred.attachGrad();
    const bce = new loss.SigmoidBinaryCrossEntropyLoss({ batchAxis: 1 });
    const out = autograd.record(() => bce(pred, nd.array([[1, 1, 1, 0]])));
    expectClose(out.toFloat32Array(), [0, 100, Math.LN2, Math.LN2]);
    out.backward();
    expect(pred.grad?.toArray()).toEqual([[0, -1, -0.5, 0.5]]);
  });
});

describe('loss options, text and names', () => {
  test("Gluon's repr and defaults", () => {
    expect(String(new loss.L2Loss())).toBe('L2Loss(batch_axis=0, w=1.0)');
    expect(String(new loss.L1Loss({ weight: 2, batchAxis: 1 }))).toBe('L1Loss(batch_axis=1, w=2.0)');
    expect(String(new loss.SoftmaxCELoss())).toBe('SoftmaxCrossEntropyLoss(batch_axis=0, w=None)');
    const ce = new loss.SoftmaxCrossEntropyLoss();
    expect([ce.axis, ce.sparseLabel, ce.fromLogits, ce.weight, ce.batchAxis]).toEqual([-1, true, false, undefined, 0]);
    expect(new loss.KLDivLoss().fromLogits).toBe(true);
    expect(new loss.HuberLoss().rho).toBe(1);
    expect(new loss.SigmoidBCELoss().fromSigmoid).toBe(false);
    expect(loss.SoftmaxCELoss).toBe(loss.SoftmaxCrossEntropyLoss);
    expect(loss.SigmoidBCELoss).toBe(loss.SigmoidBinaryCrossEntropyLoss);
  });

  test('losses are HybridBlocks named as Gluon names them', () => {
    const l2 = new loss.L2Loss();
    expect(l2).toBeInstanceOf(gluon.nn.HybridBlock);
    expect(l2.name).toMatch(/^l2loss\d+$/);
    expect(l2.forward(nd.array([[1, 2]]), nd.array([[1, 2]])).toArray()).toEqual([0]);
  });

  test('a 1-d pred gives one loss per element', () => {
    expect(new loss.L1Loss()(nd.array([1, -2]), nd.array([0, 0])).toArray()).toEqual([1, 2]);
  });
});

describe('loss errors', () => {
  const p = nd.array([[1, 2, 3], [4, 5, 6]]);
  test.each([
    ['label size', () => new loss.L2Loss()(p, nd.array([1, 2, 3])),
      /L2Loss: expected label with as many elements as pred \(shape \(2, 3\): 6\), but got shape \(3,\)/],
    ['dense CE label size', () => new loss.SoftmaxCrossEntropyLoss({ sparseLabel: false })(p, nd.array([1, 2])),
      /SoftmaxCrossEntropyLoss: expected label with as many elements as pred \(shape \(2, 3\): 6\), but got shape \(2,\)/],
    ['sparse label shape', () => new loss.SoftmaxCrossEntropyLoss()(p, nd.array([0, 1, 2])),
      /SoftmaxCrossEntropyLoss: expected sparse labels of shape \(2,\) or \(2, 1\) \(pred's shape \(2, 3\) without axis 1\), but got \(3,\)/],
    ['fractional class', () => new loss.SoftmaxCrossEntropyLoss()(p, nd.array([0, 1.5])),
      /SoftmaxCrossEntropyLoss: expected class indices \(integers in \[0, 2\]\) as labels, but got 1.5 at position 1/],
    ['class out of range', () => new loss.SoftmaxCrossEntropyLoss()(p, nd.array([3, 0])),
      /expected class indices \(integers in \[0, 2\]\) as labels, but got 3 at position 0/],
    ['NaN class', () => new loss.SoftmaxCrossEntropyLoss()(p, nd.array([0, NaN])), /but got NaN at position 1/],
    ['class axis', () => new loss.SoftmaxCrossEntropyLoss({ axis: 2 })(p, nd.array([0, 1])),
      /SoftmaxCrossEntropyLoss: expected an axis in \[-2, 1\] for an input of rank 2, but got 2/],
    ['KL axis', () => new loss.KLDivLoss({ fromLogits: false, axis: -3 })(p, p),
      /KLDivLoss: expected an axis in \[-2, 1\] for an input of rank 2, but got -3/],
    ['sampleWeight shape', () => new loss.L1Loss()(p, p, nd.array([1, 2])),
      /L1Loss: expected sampleWeight broadcastable to the loss shape \(2, 3\), but got shape \(2,\)/],
    ['sampleWeight of CE', () => new loss.SoftmaxCELoss()(p, nd.array([0, 1]), nd.array([1, 2])),
      /SoftmaxCrossEntropyLoss: expected sampleWeight broadcastable to the loss shape \(2, 1\), but got shape \(2,\)/],
    ['sampleWeight rank', () => new loss.L1Loss()(p, p, nd.ones([1, 2, 3])),
      /expected sampleWeight broadcastable to the loss shape \(2, 3\), but got shape \(1, 2, 3\)/],
    ['batchAxis', () => new loss.L1Loss({ batchAxis: 2 })(p, p),
      /L1Loss: expected batchAxis in \[-2, 1\] for pred of shape \(2, 3\), but got 2/],
    ['too few inputs', () => new loss.L1Loss()(p),
      /L1Loss: expected inputs \(pred, label\) or \(pred, label, sampleWeight\), but got 1 inputs/],
    ['too many inputs', () => new loss.L1Loss()(p, p, p, p), /but got 4 inputs/],
    ['non-NDArray label', () => new loss.L1Loss()(p, [1, 2] as unknown as NDArray),
      /L1Loss: expected label to be an NDArray, but got \[1, 2\]/],
    ['non-NDArray sampleWeight', () => new loss.L1Loss()(p, p, 2 as unknown as NDArray),
      /L1Loss: expected sampleWeight to be an NDArray, but got the number 2/],
  ])('%s', (_, call, message) => {
    expect(call).toThrow(GluonError);
    expect(call).toThrow(message);
  });

  test.each([
    [() => new loss.L1Loss({ weight: NaN }), /L1Loss: expected weight to be a finite number, but got the number NaN/],
    [() => new loss.L2Loss({ batchAxis: 0.5 }), /L2Loss: expected batchAxis to be an integer, but got the number 0.5/],
    [() => new loss.HuberLoss({ rho: 0 }), /HuberLoss: expected rho to be a finite number > 0, but got the number 0/],
    [() => new loss.SoftmaxCrossEntropyLoss({ sparseLabel: 1 as unknown as boolean }), /SoftmaxCrossEntropyLoss: expected sparseLabel to be true or false, but got the number 1/],
    [() => new loss.SoftmaxCrossEntropyLoss({ axis: 'x' as unknown as number }), /SoftmaxCrossEntropyLoss: expected axis to be an integer, but got the string 'x'/],
    [() => new loss.SigmoidBCELoss({ fromSigmoid: 'no' as unknown as boolean }), /SigmoidBinaryCrossEntropyLoss: expected fromSigmoid to be true or false, but got the string 'no'/],
    [() => new loss.KLDivLoss({ fromLogits: null as unknown as boolean }), /KLDivLoss: expected fromLogits to be true or false, but got null/],
    [() => new loss.L1Loss({ rho: 1 } as gluon.loss.LossOptions), /L1Loss: expected options among weight, batchAxis, prefix, params, but got unknown option 'rho'/],
    [() => new loss.L2Loss(null as unknown as gluon.loss.LossOptions), /L2Loss: expected an options object, but got null/],
  ])('options %#', (make, message) => {
    expect(make).toThrow(message);
  });
});
