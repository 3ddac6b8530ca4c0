import { DeferredInitializationError, GluonError, NDArray, autograd, gluon, lrScheduler, nd, nn, optimizer } from '../../src';

/** A parameter of `shape` initialized to `values`. */
function param(name: string, values: number[], options: nn.ParameterOptions = {}): nn.Parameter {
  const p = new nn.Parameter(name, { shape: [values.length], ...options });
  p.initialize('zeros');
  p.setData(nd.array(values));
  return p;
}

/** Runs backward on Σ_i sum(p_i · g_i), so each p_i's gradient is exactly g_i. */
function backwardWith(pairs: [nn.Parameter, number[]][]): void {
  const loss = autograd.record(() =>
    pairs.map(([p, g]) => p.data().mul(nd.array(g)).sum()).reduce((a: NDArray, b: NDArray) => a.add(b)),
  );
  loss.backward();
}

function values(p: nn.Parameter): number[] {
  return Array.from(p.data().toFloat32Array());
}

function expectValues(p: nn.Parameter, expected: number[]): void {
  values(p).forEach((v, i) => expect(v).toBeCloseTo(expected[i], 6));
}

describe('Trainer.step', () => {
  test('divides the gradient by the batch size (rescaleGrad = scale / batchSize)', () => {
    const w = param('w', [1, 2, 3]);
    const trainer = new gluon.Trainer([w], 'sgd', { learningRate: 0.5 });
    backwardWith([[w, [4, 8, -4]]]);
    trainer.step(4);
    expectValues(w, [1 - 0.5, 2 - 1, 3 + 0.5]);
    expect(trainer.optimizer.rescaleGrad).toBe(0.25);
  });

  test("multiplies the optimizer's own rescaleGrad", () => {
    const w = param('w', [0, 0]);
    const trainer = new gluon.Trainer([w], 'sgd', { learningRate: 1, rescaleGrad: 3 });
    backwardWith([[w, [1, 2]]]);
    trainer.step(2);
    expectValues(w, [-1.5, -3]);
    backwardWith([[w, [1, 2]]]);
    trainer.step(1);
    expectValues(w, [-4.5, -9]);
  });

  test("applies each parameter's lrMult and wdMult, read at every step", () => {
    const a = param('a', [1, 1], { lrMult: 2 });
    const b = param('b', [1, 1], { wdMult: 0 });
    const trainer = new gluon.Trainer([a, b], 'sgd', { learningRate: 0.1, wd: 0.5 });
    backwardWith([[a, [1, 0]], [b, [1, 0]]]);
    trainer.step(1);
    // a: lr 0.2, wd 0.5 → (1 − 0.1)·1 − 0.2·g;  b: lr 0.1, wd 0 → 1 − 0.1·g.
    expectValues(a, [0.7, 0.9]);
    expectValues(b, [0.9, 1]);
    b.lrMult = 0;
    backwardWith([[a, [0, 0]], [b, [5, 5]]]);
    trainer.step(1);
    expectValues(b, [0.9, 1]);
  });

  test('updates the data in place: arrays read from data() earlier see the new values', () => {
    const w = param('w', [1]);
    const data = w.data();
    const trainer = new gluon.Trainer([w], 'sgd', { learningRate: 1 });
    backwardWith([[w, [1]]]);
    trainer.step(1);
    expect(data.toArray()).toEqual([0]);
    expect(w.data()).toBe(data);
  });

  test("skips parameters whose gradReq is 'null'", () => {
    const w = param('w', [1]);
    const frozen = param('frozen', [1], { gradReq: 'null' });
    const trainer = new gluon.Trainer([w, frozen], 'sgd', { learningRate: 1 });
    backwardWith([[w, [1]]]);
    trainer.step(1);
    expectValues(w, [0]);
    expectValues(frozen, [1]);
  });

  test("accumulated gradients (gradReq 'add') are used as they are", () => {
    const w = param('w', [0], { gradReq: 'add' });
    const trainer = new gluon.Trainer([w], 'sgd', { learningRate: 1 });
    backwardWith([[w, [1]]]);
    backwardWith([[w, [2]]]);
    trainer.step(1);
    expectValues(w, [-3]);
  });

  test('momentum state persists across steps', () => {
    const w = param('w', [0]);
    const trainer = new gluon.Trainer([w], 'sgd', { learningRate: 1, momentum: 0.5 });
    backwardWith([[w, [1]]]);
    trainer.step(1);
    backwardWith([[w, [1]]]);
    trainer.step(1);
    expectValues(w, [-1 - 1.5]); // m1 = −1, m2 = 0.5·(−1) − 1
  });

  test('a parameter listed twice (shared) is updated once', () => {
    const w = param('w', [1]);
    const trainer = new gluon.Trainer([w, w], 'sgd', { learningRate: 1 });
    expect(trainer.params).toEqual([w]);
    backwardWith([[w, [1]]]);
    trainer.step(1);
    expectValues(w, [0]);
  });

  test('update(batchSize) is step on one device', () => {
    const w = param('w', [1]);
    const trainer = new gluon.Trainer([w], 'sgd', { learningRate: 1 });
    backwardWith([[w, [2]]]);
    trainer.update(2);
    expectValues(w, [0]);
    expect(() => trainer.update(2)).toThrow(/Trainer.update: expected a gradient computed by backward since the last step, but the gradient of Parameter 'w'/);
    expect(() => trainer.update(0)).toThrow(/Trainer.update: expected batchSize to be a finite number > 0, but got the number 0/);
  });
});

describe('stale gradients', () => {
  const STALE = /Trainer.step: expected a gradient computed by backward since the last step, but the gradient of Parameter 'unused' has not been updated by backward since last step\. .*call step with \{ ignoreStaleGrad: true \}/;

  test('a parameter backward did not reach throws, before anything is updated', () => {
    const w = param('w', [1]);
    const unused = param('unused', [1]);
    const trainer = new gluon.Trainer([w, unused], 'sgd', { learningRate: 1 });
    backwardWith([[w, [1]]]);
    expect(() => trainer.step(1)).toThrow(STALE);
    expect(() => trainer.step(1)).toThrow(GluonError);
    expectValues(w, [1]);
  });

  test('ignoreStaleGrad skips stale parameters and updates the fresh ones', () => {
    const w = param('w', [1]);
    const unused = param('unused', [1]);
    const trainer = new gluon.Trainer([w, unused], 'sgd', { learningRate: 1 });
    backwardWith([[w, [1]]]);
    trainer.step(1, { ignoreStaleGrad: true });
    expectValues(w, [0]);
    expectValues(unused, [1]);
  });

  test('a gradient is stale again after a step, until the next backward', () => {
    const w = param('w', [1]);
    const trainer = new gluon.Trainer([w], 'sgd', { learningRate: 1 });
    backwardWith([[w, [1]]]);
    trainer.step(1);
    expect(() => trainer.step(1)).toThrow(/the gradient of Parameter 'w' has not been updated by backward since last step/);
    w.zeroGrad();
    expect(() => trainer.step(1)).toThrow(/Parameter 'w' has not been updated/);
    backwardWith([[w, [1]]]);
    trainer.step(1);
    expectValues(w, [-1]);
  });
});

describe('Trainer construction and learning rate', () => {
  test('a ParameterDict gives its parameters in sorted-name order, as Gluon', () => {
    const dict = new nn.ParameterDict('net_');
    const b = dict.get('b', { shape: [1] });
    const a = dict.get('a', { shape: [1] });
    dict.initialize();
    const trainer = new gluon.Trainer(dict, 'sgd');
    expect(trainer.params).toEqual([a, b]);
  });

  test('an object of parameters (sorted by key) and any iterable are accepted', () => {
    const a = param('a', [1]);
    const b = param('b', [1]);
    expect(new gluon.Trainer({ z: a, y: b }, 'sgd').params).toEqual([b, a]);
    expect(new gluon.Trainer(new Set([a, b]), 'sgd').params).toEqual([a, b]);
  });

  test('works with a Block: deferred parameters are accepted and train after the first forward', () => {
    const net = new nn.InstanceNorm({ scale: true });
    net.initialize();
    const trainer = new gluon.Trainer(net.collectParams(), 'sgd', { learningRate: 0.1 });
    const x = nd.array([[[1, 2, 4]], [[0, 3, 3]]]);
    expect(() => trainer.step(1)).toThrow(DeferredInitializationError);
    const loss = autograd.record(() => net(x).mul(x).sum());
    loss.backward();
    const betaGrad = Array.from(net.beta.grad().toFloat32Array());
    trainer.step(2);
    expectValues(net.beta, betaGrad.map((g) => -0.05 * g));
  });

  test('learningRate getter, setter and setLearningRate', () => {
    const w = param('w', [1]);
    const trainer = new gluon.Trainer([w], 'adam');
    expect(trainer.learningRate).toBe(0.001);
    trainer.learningRate = 0.5;
    expect(trainer.learningRate).toBe(0.5);
    trainer.setLearningRate(0.25);
    expect(trainer.optimizer.learningRate).toBe(0.25);
  });

  test('with a scheduler, learningRate follows the update count', () => {
    const w = param('w', [1]);
    const sched = new lrScheduler.FactorScheduler({ step: 1, factor: 0.5 });
    const trainer = new gluon.Trainer([w], 'sgd', { learningRate: 0.4, lrScheduler: sched });
    expect(trainer.learningRate).toBe(0.4);
    backwardWith([[w, [1]]]);
    trainer.step(1); // update 1 at lr 0.4
    backwardWith([[w, [1]]]);
    trainer.step(1); // update 2 at lr 0.2
    expectValues(w, [1 - 0.4 - 0.2]);
    expect(trainer.learningRate).toBeCloseTo(0.2, 12);
    expect(() => (trainer.learningRate = 1)).toThrow(/SGD.setLearningRate: expected an optimizer without an lrScheduler/);
  });

  test('an Optimizer instance is used as given', () => {
    const opt = new optimizer.Adam({ learningRate: 0.1 });
    const trainer = new gluon.Trainer([param('w', [1])], opt);
    expect(trainer.optimizer).toBe(opt);
  });
});

describe('Trainer errors', () => {
  test('uninitialized parameters', () => {
    const w = new nn.Parameter('dense0_weight', { shape: [2] });
    expect(() => new gluon.Trainer([w], 'sgd')).toThrow(
      "Trainer: expected initialized Parameters, but Parameter 'dense0_weight' has not been initialized; call initialize() on it or on its Block (e.g. net.initialize()) before creating the Trainer",
    );
  });

  test.each([
    [3, /Trainer: expected params to be a ParameterDict, a list of Parameters or an object of Parameters, but got the number 3/],
    ['w', /Trainer: expected params to be a ParameterDict, .* but got the string 'w'/],
    [null, /Trainer: expected params to be a ParameterDict, .* but got null/],
    [[1, 2], /Trainer: expected params to hold only Parameters, but got the number 1 at position 0/],
    [{ w: 'x' }, /Trainer: expected params to hold only Parameters, but got the string 'x' at position 0/],
  ])('params %p', (params, message) => {
    expect(() => new gluon.Trainer(params as unknown as gluon.TrainerParams, 'sgd')).toThrow(message);
  });

  test('a single Parameter (not a list) is rejected, as in Gluon', () => {
    const w = param('w', [1]);
    expect(() => new gluon.Trainer(w as unknown as gluon.TrainerParams, 'sgd')).toThrow(/but got a Parameter of shape \(1,\)/);
  });

  test('bad optimizers and options', () => {
    const w = param('w', [1]);
    expect(() => new gluon.Trainer([w], 'nonesuch')).toThrow(/cannot find optimizer 'nonesuch': expected one of 'adadelta', 'adagrad', 'adam'/);
    expect(() => new gluon.Trainer([w], 5 as unknown as string)).toThrow(/Trainer: expected an optimizer name or an Optimizer, but got the number 5/);
    expect(() => new gluon.Trainer([w], new optimizer.SGD(), { learningRate: 0.1 })).toThrow(/expected no options with an Optimizer instance/);
    expect(() => new gluon.Trainer([w], 'sgd', { learningrate: 0.1 } as optimizer.SGDOptions)).toThrow(/SGD: .* but got unknown option 'learningrate'/);
  });

  test.each([
    [0, /Trainer.step: expected batchSize to be a finite number > 0, but got the number 0/],
    [-2, /Trainer.step: expected batchSize to be a finite number > 0, but got the number -2/],
    [NaN, /Trainer.step: expected batchSize to be a finite number > 0, but got the number NaN/],
    ['4', /Trainer.step: expected batchSize to be a finite number > 0, but got the string '4'/],
  ])('batchSize %p', (batchSize, message) => {
    const trainer = new gluon.Trainer([param('w', [1])], 'sgd');
    expect(() => trainer.step(batchSize as number)).toThrow(message);
  });

  test('step options', () => {
    const trainer = new gluon.Trainer([param('w', [1])], 'sgd');
    expect(() => trainer.step(1, { ignoreStaleGrad: 1 as unknown as boolean })).toThrow(
      /Trainer.step: expected ignoreStaleGrad to be true or false, but got the number 1/,
    );
    expect(() => trainer.step(1, { ignoreStale: true } as gluon.StepOptions)).toThrow(
      /Trainer.step: expected options among ignoreStaleGrad, but got unknown option 'ignoreStale'/,
    );
  });
});
