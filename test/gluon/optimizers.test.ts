import { GluonError, lrScheduler, optimizer } from '../../src';
import { pseudoRandom } from '../helpers/gradient_check';
import { ReferenceHyper, ReferenceKind, referenceUpdates } from '../helpers/optimizer_reference';

const SIZE = 12;
const W0 = Float32Array.from(pseudoRandom(SIZE, 11));
// Gradients up to ±3, so a clipGradient of 1 clips some of them.
const GRADS = [21, 22, 23, 24].map((seed) => Float32Array.from(pseudoRandom(SIZE, seed), (g) => 3 * g));

interface Case {
  name: string;
  kind: ReferenceKind;
  options: optimizer.AnyOptimizerOptions;
  hyper: ReferenceHyper;
}

const NO_CLIP = { rescale: 1, clip: Infinity };

const CASES: Case[] = [
  { name: 'SGD with wd', kind: 'sgd', options: { learningRate: 0.1, wd: 0.2 }, hyper: { lr: 0.1, wd: 0.2, ...NO_CLIP } },
  {
    name: 'SGD with momentum, wd, clipping and rescaling',
    kind: 'sgd',
    options: { learningRate: 0.05, momentum: 0.9, wd: 0.3, clipGradient: 1, rescaleGrad: 0.5 },
    hyper: { lr: 0.05, momentum: 0.9, wd: 0.3, clip: 1, rescale: 0.5 },
  },
  {
    name: 'NAG with momentum, wd and clipping',
    kind: 'nag',
    options: { learningRate: 0.05, momentum: 0.8, wd: 0.3, clipGradient: 1.5 },
    hyper: { lr: 0.05, momentum: 0.8, wd: 0.3, clip: 1.5, rescale: 1 },
  },
  { name: 'NAG without momentum (plain SGD)', kind: 'sgd', options: { learningRate: 0.1, wd: 0.2 }, hyper: { lr: 0.1, wd: 0.2, ...NO_CLIP } },
  {
    name: 'Adam with wd, clipping, rescaling and custom betas',
    kind: 'adam',
    options: { learningRate: 0.01, wd: 0.5, clipGradient: 1.2, rescaleGrad: 0.7, beta1: 0.8, beta2: 0.99, epsilon: 0.1 },
    hyper: { lr: 0.01, wd: 0.5, clip: 1.2, rescale: 0.7, beta1: 0.8, beta2: 0.99, epsilon: 0.1 },
  },
  {
    name: "Adam with MXNet's defaults",
    kind: 'adam',
    options: {},
    hyper: { lr: 0.001, wd: 0, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, ...NO_CLIP },
  },
  {
    name: 'AdamW with decoupled wd and clipping',
    kind: 'adamw',
    options: { learningRate: 0.01, wd: 0.5, clipGradient: 1, epsilon: 0.1, rescaleGrad: 1.5 },
    hyper: { lr: 0.01, wd: 0.5, clip: 1, rescale: 1.5, epsilon: 0.1 },
  },
  {
    name: 'RMSProp with wd, clipping and clipWeights',
    kind: 'rmsprop',
    options: { learningRate: 0.01, wd: 0.3, clipGradient: 1, clipWeights: 0.9, epsilon: 0.1 },
    hyper: { lr: 0.01, wd: 0.3, clip: 1, rescale: 1, gamma1: 0.9, epsilon: 0.1, clipWeights: 0.9 },
  },
  {
    name: 'RMSProp centered',
    kind: 'rmsprop',
    options: { learningRate: 0.01, centered: true, gamma1: 0.8, gamma2: 0.7, epsilon: 0.1, wd: 0.3, rescaleGrad: 0.5 },
    hyper: { lr: 0.01, centered: true, gamma1: 0.8, gamma2: 0.7, epsilon: 0.1, wd: 0.3, rescale: 0.5, clip: Infinity },
  },
  {
    name: 'AdaGrad with wd and clipping',
    kind: 'adagrad',
    options: { learningRate: 0.1, wd: 0.3, clipGradient: 1, epsilon: 0.1, rescaleGrad: 2 },
    hyper: { lr: 0.1, wd: 0.3, clip: 1, rescale: 2, epsilon: 0.1 },
  },
];

function optimizerName(c: Case): string {
  return c.name.startsWith('NAG') ? 'nag' : c.kind;
}

// Float32 storage of weights and state costs a few ulps over four steps; a wrong term costs far more.
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 2e-6, atol = 1e-7): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= atol + rtol * Math.abs(expected[i]))) {
      throw new Error(`element ${i}: got ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

describe('optimizer updates against float64 references of their formulas', () => {
  test.each(CASES)('$name: four steps', (c) => {
    const opt = optimizer.create(optimizerName(c), c.options);
    const w = W0.slice();
    const expected = referenceUpdates(c.kind, c.hyper, W0, GRADS);
    GRADS.forEach((grad, step) => {
      opt.update(0, w, grad);
      expectClose(w, expected[step]);
    });
    expect(opt.numUpdate).toBe(GRADS.length);
  });

  test.each(CASES)('$name: lrMult 2 and wdMult 0.5 scale the learning rate and the decay', (c) => {
    const opt = optimizer.create(optimizerName(c), c.options);
    const w = W0.slice();
    const expected = referenceUpdates(c.kind, { ...c.hyper, lr: c.hyper.lr * 2, wd: c.hyper.wd * 0.5 }, W0, GRADS);
    GRADS.forEach((grad, step) => {
      opt.update(3, w, grad, 2, 0.5);
      expectClose(w, expected[step]);
    });
  });

  test('the clipping cases really clip, and the gradients are not modified', () => {
    expect(GRADS.some((g) => g.some((v) => Math.abs(v) > 1.5))).toBe(true);
    const before = GRADS.map((g) => g.slice());
    const opt = optimizer.create('sgd', { clipGradient: 1 });
    GRADS.forEach((g) => opt.update(0, W0.slice(), g));
    GRADS.forEach((g, i) => expect(g).toEqual(before[i]));
  });

  test("the defaults are MXNet's", () => {
    const lrs = ['sgd', 'nag', 'adam', 'adamw', 'rmsprop', 'adagrad'].map((name) => optimizer.create(name).learningRate);
    expect(lrs).toEqual([0.01, 0.01, 0.001, 0.001, 0.001, 0.01]);
    const adam = new optimizer.Adam();
    expect([adam.beta1, adam.beta2, adam.epsilon, adam.wd, adam.rescaleGrad, adam.clipGradient]).toEqual([0.9, 0.999, 1e-8, 0, 1, undefined]);
    const rms = new optimizer.RMSProp();
    expect([rms.gamma1, rms.gamma2, rms.epsilon, rms.centered]).toEqual([0.9, 0.9, 1e-8, false]);
    expect(new optimizer.AdaGrad().epsilon).toBe(1e-7);
    expect(new optimizer.SGD().momentum).toBe(0);
  });

  test("state and Adam's bias-correction count are per parameter index", () => {
    const opt = new optimizer.Adam({ learningRate: 0.1 });
    const a = W0.slice();
    const b = W0.slice();
    opt.update(0, a, GRADS[0]);
    opt.update(0, a, GRADS[1]);
    opt.update(1, b, GRADS[0]);
    const fresh = referenceUpdates('adam', { lr: 0.1, wd: 0, epsilon: 1e-8, ...NO_CLIP }, W0, [GRADS[0]]);
    expectClose(b, fresh[0]);
    expect(opt.numUpdate).toBe(2);
  });

  test('beginNumUpdate starts the counts (the first update is t = begin + 1)', () => {
    const opt = new optimizer.Adam({ learningRate: 0.1, beginNumUpdate: 4 });
    const w = W0.slice();
    opt.update(0, w, GRADS[0]);
    expect(opt.numUpdate).toBe(5);
    const beta1 = 0.9;
    const beta2 = 0.999;
    // At t = 5 with zero moments: m = (1-β1)g, v = (1-β2)g², lr_t = lr·√(1-β2⁵)/(1-β1⁵).
    const lrT = (0.1 * Math.sqrt(1 - beta2 ** 5)) / (1 - beta1 ** 5);
    const expected = Array.from(W0, (w0, i) => {
      const g = GRADS[0][i];
      return w0 - (lrT * (1 - beta1) * g) / (Math.sqrt((1 - beta2) * g * g) + 1e-8);
    });
    expectClose(w, expected);
  });

  test('a FactorScheduler drives the learning rate per update (its baseLr becomes the optimizer rate)', () => {
    const sched = new lrScheduler.FactorScheduler({ step: 1, factor: 0.5, baseLr: 7 });
    const opt = new optimizer.SGD({ learningRate: 0.2, wd: 0.1, lrScheduler: sched });
    expect(sched.baseLr).toBe(0.2);
    const w = W0.slice();
    const expected = Array.from(W0);
    GRADS.slice(0, 3).forEach((grad, step) => {
      const lr = 0.2 * 0.5 ** step;
      for (let i = 0; i < SIZE; i++) expected[i] = (1 - lr * 0.1) * expected[i] - lr * grad[i];
      opt.update(0, w, grad);
      expectClose(w, expected);
    });
    expect(opt.learningRate).toBeCloseTo(0.05, 12);
  });

  test('setLearningRate changes the rate; not allowed with a scheduler', () => {
    const opt = new optimizer.SGD();
    opt.setLearningRate(0.5);
    expect(opt.learningRate).toBe(0.5);
    expect(() => opt.setLearningRate(-1)).toThrow(/SGD.setLearningRate: expected lr to be a finite number >= 0, but got the number -1/);
    const scheduled = new optimizer.SGD({ lrScheduler: new lrScheduler.FactorScheduler({ step: 2 }) });
    expect(() => scheduled.setLearningRate(0.1)).toThrow(
      /SGD.setLearningRate: expected an optimizer without an lrScheduler, but it has a FactorScheduler\. LRScheduler of the optimizer has already been defined/,
    );
  });
});

describe('optimizer.create', () => {
  test('names are case-insensitive and give the right classes', () => {
    expect(optimizer.create('SGD')).toBeInstanceOf(optimizer.SGD);
    expect(optimizer.create('Adam')).toBeInstanceOf(optimizer.Adam);
    expect(optimizer.create('AdamW')).toBeInstanceOf(optimizer.AdamW);
    expect(optimizer.create('nag')).toBeInstanceOf(optimizer.NAG);
    expect(optimizer.create('RMSProp')).toBeInstanceOf(optimizer.RMSProp);
    expect(optimizer.create('adagrad')).toBeInstanceOf(optimizer.AdaGrad);
    expect(optimizer.names()).toEqual(['adadelta', 'adagrad', 'adam', 'adamax', 'adamw', 'dcasgd', 'ftml', 'ftrl', 'lamb', 'lars', 'lbsgd', 'nadam', 'nag', 'rmsprop', 'sgd', 'sgld', 'signum']);
  });

  test('an Optimizer instance is returned as it is, and takes no options', () => {
    const opt = new optimizer.SGD({ learningRate: 0.3 });
    expect(optimizer.create(opt)).toBe(opt);
    expect(() => optimizer.create(opt, { learningRate: 0.1 })).toThrow(
      /optimizer.create: expected no options with an Optimizer instance \(set them when constructing it\), but got learningRate/,
    );
  });

  test('unknown names and bad specs throw, listing the registered names', () => {
    expect(() => optimizer.create('nonesuch')).toThrow(GluonError);
    expect(() => optimizer.create('nonesuch')).toThrow(
      "optimizer.create: cannot find optimizer 'nonesuch': expected one of 'adadelta', 'adagrad', 'adam', 'adamax', 'adamw', 'dcasgd', 'ftml', 'ftrl', 'lamb', 'lars', 'lbsgd', 'nadam', 'nag', 'rmsprop', 'sgd', 'sgld', 'signum'",
    );
    expect(() => optimizer.create(3 as unknown as string)).toThrow(/optimizer.create: expected an optimizer name or an Optimizer, but got the number 3/);
  });
});

describe('optimizer option errors', () => {
  test.each([
    ['sgd', { momentum: 1.5 }, /SGD: expected momentum to be a finite number in \[0, 1\], but got the number 1.5/],
    ['sgd', { beta1: 0.9 }, /SGD: expected options among momentum, lazyUpdate, learningRate, .*, but got unknown option 'beta1'/],
    ['sgd', { learningRate: -0.1 }, /SGD: expected learningRate to be a finite number >= 0, but got the number -0.1/],
    ['sgd', { learningRate: NaN }, /SGD: expected learningRate to be a finite number >= 0, but got the number NaN/],
    ['sgd', { wd: -1 }, /SGD: expected wd to be a finite number >= 0, but got the number -1/],
    ['sgd', { clipGradient: 0 }, /SGD: expected clipGradient to be a finite number > 0, but got the number 0/],
    ['sgd', { rescaleGrad: Infinity }, /SGD: expected rescaleGrad to be a finite number, but got the number Infinity/],
    ['sgd', { beginNumUpdate: 1.5 }, /SGD: expected beginNumUpdate to be an integer >= 0, but got the number 1.5/],
    ['sgd', { lrScheduler: 0.1 }, /SGD: expected lrScheduler to be an LRScheduler, but got number/],
    ['nag', { momentum: -0.1 }, /NAG: expected momentum to be a finite number in \[0, 1\], but got the number -0.1/],
    ['adam', { beta1: 1 }, /Adam: expected beta1 to be a finite number in \[0, 1\), but got the number 1/],
    ['adam', { beta2: -0.5 }, /Adam: expected beta2 to be a finite number in \[0, 1\), but got the number -0.5/],
    ['adam', { epsilon: -1e-8 }, /Adam: expected epsilon to be a finite number >= 0, but got the number -1e-8/],
    ['adam', { momentum: 0.9 }, /Adam: expected options among beta1, beta2, epsilon, .*, but got unknown option 'momentum'/],
    ['adamw', { beta1: 2 }, /AdamW: expected beta1 to be a finite number in \[0, 1\), but got the number 2/],
    ['rmsprop', { gamma1: 1 }, /RMSProp: expected gamma1 to be a finite number in \[0, 1\), but got the number 1/],
    ['rmsprop', { gamma2: 1.2 }, /RMSProp: expected gamma2 to be a finite number in \[0, 1\), but got the number 1.2/],
    ['rmsprop', { centered: 'yes' }, /RMSProp: expected centered to be true or false, but got the string 'yes'/],
    ['rmsprop', { clipWeights: -1 }, /RMSProp: expected clipWeights to be a finite number > 0, but got the number -1/],
    ['rmsprop', { epsilon: NaN }, /RMSProp: expected epsilon to be a finite number >= 0, but got the number NaN/],
    ['adagrad', { epsilon: 0 }, /AdaGrad: expected epsilon to be a finite number > 0, but got the number 0/],
    ['sgd', { lazyUpdate: 1 }, /SGD: expected lazyUpdate to be true or false, but got the number 1/],
    ['adam', { lazyUpdate: 'no' }, /Adam: expected lazyUpdate to be true or false, but got the string 'no'/],
    ['lars', { lazyUpdate: null }, /LARS: expected lazyUpdate to be true or false, but got null/],
    ['nag', { lazyUpdate: true }, /NAG: expected options among momentum, learningRate, .*, but got unknown option 'lazyUpdate'/],
    ['adamw', { lazyUpdate: true }, /AdamW: expected options among beta1, beta2, epsilon, .*, but got unknown option 'lazyUpdate'/],
    ['rmsprop', { multiPrecision: 'yes' }, /RMSProp: expected multiPrecision to be true or false, but got the string 'yes'/],
  ])('%s %p', (name, options, message) => {
    expect(() => optimizer.create(name, options as optimizer.AnyOptimizerOptions)).toThrow(message);
  });

  test('multiPrecision (every optimizer) and lazyUpdate (SGD, LARS, Adam) are accepted as MXNet\'s and leave float32 weights and dense gradients\' updates unchanged', () => {
    const run = (name: string, options: optimizer.AnyOptimizerOptions) => {
      const opt = optimizer.create(name, { learningRate: 0.1, ...options });
      const weight = Float32Array.of(1, -2, 3);
      for (let t = 0; t < 3; t++) opt.update(0, weight, Float32Array.of(0.5, 0.25, -1));
      return { weight, opt };
    };
    for (const [name, extra] of [['sgd', { momentum: 0.9, lazyUpdate: false }], ['lars', { lazyUpdate: false }], ['adam', { lazyUpdate: false }], ['rmsprop', {}]] as const) {
      const plain = run(name, extra.lazyUpdate === undefined ? {} : { ...extra, lazyUpdate: true });
      const flagged = run(name, { ...extra, multiPrecision: true });
      expect(flagged.weight).toEqual(plain.weight);
      expect(flagged.opt.multiPrecision).toBe(true);
      expect(plain.opt.multiPrecision).toBe(false);
    }
    expect(new optimizer.SGD().lazyUpdate).toBe(true);
    expect(new optimizer.Adam({ lazyUpdate: false }).lazyUpdate).toBe(false);
  });

  test('options must be an object', () => {
    expect(() => new optimizer.SGD(null as unknown as optimizer.SGDOptions)).toThrow(/SGD: expected an options object, but got null/);
  });

  test('update checks that the gradient matches the weight and the state', () => {
    const opt = new optimizer.SGD({ momentum: 0.9 });
    expect(() => opt.update(0, new Float32Array(3), new Float32Array(2))).toThrow(
      /SGD.update: expected a gradient of 3 values for parameter 0, but got 2/,
    );
    opt.update(0, new Float32Array(3), new Float32Array(3));
    expect(() => opt.update(0, new Float32Array(4), new Float32Array(4))).toThrow(
      /SGD.update: expected 3 values for parameter 0 \(its state's size\), but got 4/,
    );
  });
});
