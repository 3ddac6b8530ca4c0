/**
 * FTML, SGLD, DCASGD, LAMB, LARS and LBSGD against float64 references written here from MXNet
 * 1.9's optimizer.py and its kernels (ftml_update, lamb_update_phase1/2, multi_lars,
 * sgd_mom_update) over several steps with rescaleGrad, clipping, weight decay and lr/wd
 * multipliers; SGLD's noise against the seeded generator's normals; registry names, resuming and
 * option errors.
 */
import { NDArray, autograd, gluon, nd, nn, optimizer, random } from '../../src';
import { pseudoRandom } from '../helpers/gradient_check';

const clip = (x: number, c: number) => Math.max(-c, Math.min(c, x));
const w0 = Array.from(pseudoRandom(6, 1), (v) => v * 2);
const grads = [2, 3, 4, 5, 6].map((seed) => Array.from(pseudoRandom(6, seed), (v) => v * 3));
const HYPER = { rescale: 0.5, clip: 0.8, wd: 0.05, lrMult: 0.7, wdMult: 2 };
const common = { rescaleGrad: HYPER.rescale, clipGradient: HYPER.clip, wd: HYPER.wd };
const wd = HYPER.wd * HYPER.wdMult;

/** Runs `make()`'s optimizer over the gradients (parameter `name`); returns the weights after each step. */
function run(make: () => optimizer.Optimizer, name = 'dense0_weight'): number[][] {
  const opt = make();
  const w = Float32Array.from(w0);
  return grads.map((g) => {
    opt.update(0, w, Float32Array.from(g), HYPER.lrMult, HYPER.wdMult, name);
    return Array.from(w);
  });
}

function expectMatches(actual: number[][], expected: number[][], tol = 1e-5): void {
  actual.forEach((row, s) => row.forEach((v, i) => expect(Math.abs(v - expected[s][i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[s][i])))));
}

/** A whole-vector reference: `step(t, w, grad, states)` per update, states zeroed. */
function reference(states: number, step: (t: number, w: number[], grad: number[], s: number[][]) => void): number[][] {
  const w = [...w0];
  const s = Array.from({ length: states }, () => new Array<number>(w.length).fill(0));
  return grads.map((g, k) => {
    step(k + 1, w, g, s);
    return [...w];
  });
}

const norm = (v: number[]) => Math.sqrt(v.reduce((a, x) => a + x * x, 0));

test('FTML: follow the moving leader, decay inside the clipped gradient', () => {
  const [b1, b2, eps, lr] = [0.6, 0.999, 1e-8, 0.01 * HYPER.lrMult];
  expectMatches(run(() => new optimizer.FTML({ ...common })), reference(3, (t, w, grad, [d, v, z]) => {
    w.forEach((wi, i) => {
      const g = clip(grad[i] * HYPER.rescale + wd * wi, HYPER.clip);
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const dt = ((1 - b1 ** t) / lr) * (Math.sqrt(v[i] / (1 - b2 ** t)) + eps);
      z[i] = b1 * z[i] + (1 - b1) * g - (dt - b1 * d[i]) * wi;
      d[i] = dt;
      w[i] = -z[i] / dt;
    });
  }));
});

test('DCASGD: delay compensation from the previous weight, with and without momentum', () => {
  const [lr, lamda] = [0.1 * HYPER.lrMult, 0.5];
  for (const momentum of [0, 0.9]) {
    const previous = [...w0];
    expectMatches(run(() => new optimizer.DCASGD({ ...common, learningRate: 0.1, momentum, lamda })), reference(1, (_t, w, grad, [mom]) => {
      w.forEach((wi, i) => {
        const g = clip(grad[i] * HYPER.rescale, HYPER.clip);
        const delta = -lr * (g + wd * wi + lamda * g * g * (wi - previous[i]));
        mom[i] = momentum > 0 ? momentum * mom[i] + delta : delta;
        previous[i] = wi;
        w[i] = wi + mom[i];
      });
    }));
  }
});

test('LAMB: trust ratio ‖w‖/‖u‖ of the bias-corrected Adam step, bounds on ‖w‖', () => {
  const [b1, b2, eps, lr] = [0.9, 0.999, 1e-6, 0.01 * HYPER.lrMult];
  const lamb = (lowerBound?: number, biasCorrection = true) => reference(2, (t, w, grad, [m, v]) => {
    const u = w.map((wi, i) => {
      const g = clip(grad[i] * HYPER.rescale, HYPER.clip);
      m[i] = b1 * m[i] + (1 - b1) * g;
      v[i] = b2 * v[i] + (1 - b2) * g * g;
      const [c1, c2] = biasCorrection ? [1 - b1 ** t, 1 - b2 ** t] : [1, 1];
      return m[i] / c1 / (Math.sqrt(v[i] / c2) + eps) + wd * wi;
    });
    const r1 = Math.max(norm(w), lowerBound ?? 0);
    const ratio = r1 === 0 || norm(u) === 0 ? 1 : r1 / norm(u);
    w.forEach((wi, i) => (w[i] = wi - lr * ratio * u[i]));
  });
  expectMatches(run(() => new optimizer.LAMB({ ...common, learningRate: 0.01 })), lamb());
  expectMatches(run(() => new optimizer.LAMB({ ...common, learningRate: 0.01, lowerBound: 10, biasCorrection: false })), lamb(10, false));
});

test("LARS: SGD at lr·η‖w‖/(‖g‖ + wd‖w‖ + eps), but biases and BatchNorm's γ, β at lr", () => {
  const [lr, eta, eps, momentum] = [1 * HYPER.lrMult, 0.01, 1e-3, 0.9];
  const lars = (scaled: boolean) => reference(1, (_t, w, grad, [mom]) => {
    const gNorm = norm(grad.map((g) => g * HYPER.rescale));
    const rate = scaled ? (lr * eta * norm(w)) / (gNorm + wd * norm(w) + eps) : lr;
    w.forEach((wi, i) => {
      mom[i] = momentum * mom[i] - rate * wd * wi - rate * clip(grad[i] * HYPER.rescale, HYPER.clip);
      w[i] = wi + mom[i];
    });
  });
  const make = () => new optimizer.LARS({ ...common, learningRate: 1, momentum, eta, eps });
  expectMatches(run(make), lars(true));
  expectMatches(run(make, 'dense0_bias'), lars(false));
  expectMatches(run(make, 'batchnorm0_gamma'), lars(false));
});

test('LARS corrects the momentum by the ratio of scheduled rates', () => {
  const schedule = new gluon.lrScheduler.FactorScheduler({ step: 1, factor: 0.5, baseLr: 1 });
  const opt = new optimizer.LARS({ learningRate: 1, momentum: 0.9, eta: 1, lrScheduler: schedule });
  const [w, g] = [Float32Array.of(3, 4), Float32Array.of(0, 5)];
  opt.update(0, w, g, 1, 1, 'w');
  const afterOne = Array.from(w);
  opt.update(0, w, g, 1, 1, 'w');
  // Step 1 at rate 1: trust η‖w‖/‖g‖ = 5/5 → m = −g; step 2 at rate 0.5 (the schedule halves it): μ·(0.5/1).
  expect(afterOne).toEqual([3, -1]);
  const lr2 = (0.5 * Math.hypot(3, -1)) / 5;
  const m = [0.9 * 0.5 * 0 - lr2 * 0, 0.9 * 0.5 * -5 - lr2 * 5];
  expect(Array.from(w)).toEqual(Array.from(Float32Array.of(3 + m[0], -1 + m[1])));
});

test('LBSGD: averages batchScale gradients per update, warm-up multipliers and the LARS ratio', () => {
  const lr = 0.1 * HYPER.lrMult;
  const lbsgd = (strategy: string, batchScale: number, warmup: number) => {
    const w = [...w0];
    const sum = new Array<number>(w.length).fill(0);
    return grads.map((grad, k) => {
      grad.forEach((g, i) => (sum[i] += g));
      const n = k + 1;
      if (n % batchScale === 0) {
        const avg = sum.map((s) => s / batchScale);
        sum.fill(0);
        const progress = n / warmup;
        const mult = strategy === 'lars'
          ? Math.min(100, Math.max(0.01, Math.sqrt(norm(w) ** 2 / (norm(avg) ** 2 + wd * norm(w) ** 2 + 1e-18))))
          : n >= warmup ? batchScale : strategy === 'linear' ? 1 + (batchScale - 1) * progress : 1 + (batchScale - 1) * Math.sqrt(progress);
        w.forEach((wi, i) => (w[i] = (1 - lr * mult * wd) * wi - lr * mult * clip(avg[i] * HYPER.rescale, HYPER.clip)));
      }
      return [...w];
    });
  };
  for (const [strategy, batchScale] of [['linear', 2], ['sqrt', 1], ['lars', 2]] as const) {
    expectMatches(run(() => new optimizer.LBSGD({ ...common, learningRate: 0.1, warmupStrategy: strategy, batchScale, warmupEpochs: 1, updatesPerEpoch: 4 })), lbsgd(strategy, batchScale, 4));
  }
});

test("SGLD: half a gradient step plus N(0, lr) noise from the seeded generator's normals", () => {
  const lr = 0.04 * HYPER.lrMult;
  random.seed(5);
  const [got] = run(() => new optimizer.SGLD({ ...common, learningRate: 0.04 }));
  random.seed(5);
  const z = nd.random.normal(0, 1, [6]).toFloat32Array();
  const expected = w0.map((wi, i) => wi + (-lr / 2) * (clip(grads[0][i] * HYPER.rescale, HYPER.clip) + wd * wi) + Math.sqrt(lr) * z[i]);
  expectMatches([got], [expected]);
  random.seed(9);
  const opt = new optimizer.SGLD({ learningRate: 0.25 });
  const w = new Float32Array(20000);
  opt.update(0, w, new Float32Array(20000));
  const mean = w.reduce((a, b) => a + b, 0) / w.length;
  const variance = w.reduce((a, b) => a + (b - mean) ** 2, 0) / w.length;
  expect(Math.abs(mean)).toBeLessThan(0.02);
  expect(Math.abs(variance - 0.25)).toBeLessThan(0.02);
});

test('the new optimizers are registered and resume bit-exactly through Trainer states', () => {
  for (const name of ['ftml', 'sgld', 'dcasgd', 'lamb', 'lars', 'lbsgd']) expect(optimizer.names()).toContain(name);
  const x = nd.array([[1, 2, 3]]);
  const build = () => {
    const net = new nn.Dense(2, { inUnits: 3, prefix: 'dense0_' });
    net.initialize();
    return net;
  };
  const steps = (net: nn.Dense, trainer: gluon.Trainer, count: number) => {
    for (let s = 0; s < count; s++) {
      autograd.record(() => (net(x) as NDArray).square().sum()).backward();
      trainer.step(1);
    }
  };
  for (const [name, options] of [['ftml', {}], ['dcasgd', { momentum: 0.9 }], ['lamb', {}], ['lars', { momentum: 0.9, eta: 0.1 }], ['lbsgd', { momentum: 0.9, batchScale: 2 }]] as const) {
    random.seed(3);
    const straight = build();
    steps(straight, new gluon.Trainer(straight.collectParams(), name, { learningRate: 0.1, ...options }), 4);
    random.seed(3);
    const first = build();
    const firstTrainer = new gluon.Trainer(first.collectParams(), name, { learningRate: 0.1, ...options });
    steps(first, firstTrainer, 2);
    const resumed = build();
    resumed.weight.setData(first.weight.data());
    resumed.bias?.setData((first.bias as NonNullable<typeof first.bias>).data());
    const trainer = new gluon.Trainer(resumed.collectParams(), name, { learningRate: 0.1, ...options });
    trainer.loadStatesBytes(firstTrainer.saveStatesBytes());
    steps(resumed, trainer, 2);
    expect(resumed.weight.data().toFloat32Array()).toEqual(straight.weight.data().toFloat32Array());
  }
});

test('option errors name the optimizer, what it expected and what it got', () => {
  expect(() => new optimizer.FTML({ beta1: 1 })).toThrow('FTML: expected beta1');
  expect(() => new optimizer.LBSGD({ warmupStrategy: 'cubic' as never })).toThrow("LBSGD: expected warmupStrategy to be one of 'linear', 'power2', 'sqrt', 'lars', but got 'cubic'");
  expect(() => new optimizer.LBSGD({ batchScale: 0 })).toThrow('LBSGD: expected batchScale');
  expect(() => new optimizer.LAMB({ lowerBound: -1 })).toThrow('LAMB: expected lowerBound');
  expect(() => new optimizer.LARS({ eta: -1 })).toThrow('LARS: expected eta');
  expect(() => new optimizer.DCASGD({ lamda: NaN })).toThrow('DCASGD: expected lamda');
  expect(() => new optimizer.SGLD({ momentum: 0.9 } as never)).toThrow('SGLD');
});
