/**
 * tsgluon against PyTorch (test/fixtures/make_training_fixtures.py): loss values and gradients,
 * and two optimizer steps of a small network, step by step.
 */
import { NDArray, autograd, gluon, nd, nn } from '../../src';
import { NetWeights, TrainingFixture, trainingFixtures } from '../helpers/training_fixtures';

const { loss } = gluon;

const LOSSES: Record<string, (options: Record<string, number | boolean | undefined>) => gluon.loss.Loss> = {
  L1Loss: (options) => new loss.L1Loss(options),
  L2Loss: (options) => new loss.L2Loss(options),
  HuberLoss: (options) => new loss.HuberLoss(options),
  SoftmaxCrossEntropyLoss: (options) => new loss.SoftmaxCrossEntropyLoss(options),
  SigmoidBinaryCrossEntropyLoss: (options) => new loss.SigmoidBinaryCrossEntropyLoss(options),
  KLDivLoss: (options) => new loss.KLDivLoss(options),
};

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

describe('losses match PyTorch', () => {
  test.each(trainingFixtures.losses.map((c) => [`${c.name} ${JSON.stringify(c.options)}`, c] as const))('%s', (_, c) => {
    const pred = nd.array(c.pred, { shape: c.pred_shape });
    pred.attachGrad();
    const lossFn = LOSSES[c.name](c.options);
    const out = autograd.record(() => lossFn(pred, nd.array(c.label, { shape: c.label_shape })));
    expectClose(out.toFloat32Array(), c.loss, 1e-5, 1e-6);
    out.backward(nd.array(c.head));
    expectClose(pred.grad?.toFloat32Array() ?? [], c.grad, 1e-4, 1e-6);
  });
});

const NAMES = ['w1', 'b1', 'w2', 'b2'] as const;

/** relu(x·W1ᵀ + b1)·W2ᵀ + b2, from raw Parameters (no layer code involved). */
function forward(x: NDArray, p: Record<keyof NetWeights, nn.Parameter>): NDArray {
  const hidden = x.dot(p.w1.data(), { transposeB: true }).add(p.b1.data()).relu();
  return hidden.dot(p.w2.data(), { transposeB: true }).add(p.b2.data());
}

function makeParams(c: TrainingFixture): Record<keyof NetWeights, nn.Parameter> {
  const entries = NAMES.map((name) => {
    const p = new nn.Parameter(name, { shape: c.shapes[name] });
    p.initialize('zeros');
    p.setData(nd.array(c.weights[name], { shape: c.shapes[name] }));
    return [name, p] as const;
  });
  return Object.fromEntries(entries) as Record<keyof NetWeights, nn.Parameter>;
}

describe('two training steps match torch.optim', () => {
  test.each(trainingFixtures.training.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const params = makeParams(c);
    const batch = c.x_shape[0];
    const x = nd.array(c.x, { shape: c.x_shape });
    // PyTorch's MSELoss (mean over N·D) = Gluon's L2Loss(weight 2) averaged by step(N); its
    // CrossEntropyLoss (mean over N) = SoftmaxCELoss averaged by step(N).
    const lossFn = c.loss === 'mse' ? new loss.L2Loss({ weight: 2 }) : new loss.SoftmaxCrossEntropyLoss();
    const target = c.loss === 'mse' ? nd.array(c.target, { shape: [batch, 2] }) : nd.array(c.target);
    const trainer = new gluon.Trainer(Object.values(params), c.optimizer, c.options);
    for (const step of c.steps) {
      const perSample = autograd.record(() => lossFn(forward(x, params), target));
      expect(perSample.mean().toFloat32Array()[0]).toBeCloseTo(step.loss, 5);
      perSample.backward();
      for (const name of NAMES) {
        // Gluon's gradient is of the summed loss; PyTorch's of the mean.
        const grad = Array.from(params[name].grad().toFloat32Array(), (g) => g / batch);
        expectClose(grad, step.grads[name], 1e-4, 1e-6);
      }
      trainer.step(batch);
      for (const name of NAMES) expectClose(params[name].data().toFloat32Array(), step.weights[name], 1e-5, 1e-6);
    }
  });
});
