/**
 * AdaDelta, Adamax, Nadam, Ftrl and Signum against float64 references written here from MXNet
 * 1.9's optimizer.py and its kernels (ftrl_update, signum_update, signsgd_update) in their own
 * form, over several steps with rescaleGrad, clipping, weight decay and lr/wd multipliers;
 * defaults, registry names, resuming and option errors.
 */
import { GluonError, optimizer } from '../../src';
import { pseudoRandom } from '../helpers/gradient_check';

const clip = (x: number, c: number) => Math.max(-c, Math.min(c, x));
const w0 = Array.from(pseudoRandom(6, 1), (v) => v * 2);
const grads = [2, 3, 4, 5, 6].map((seed) => Array.from(pseudoRandom(6, seed), (v) => v * 3));
const HYPER = { rescale: 0.5, clip: 0.8, wd: 0.05, lrMult: 0.7, wdMult: 2 };

/** Runs `make()`'s optimizer over the gradients; returns the weights after each step. */
function run(make: () => optimizer.Optimizer): number[][] {
  const opt = make();
  const w = Float32Array.from(w0);
  return grads.map((g) => {
    opt.update(0, w, Float32Array.from(g), HYPER.lrMult, HYPER.wdMult);
    return Array.from(w);
  });
}

function expectMatches(actual: number[][], expected: number[][]): void {
  actual.forEach((row, s) => row.forEach((v, i) => expect(Math.abs(v - expected[s][i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[s][i])))));
}

/** Runs a per-element reference over the gradients with `states` zeroed accumulators. */
function reference(states: number, step: (t: number, i: number, w: number[], g: number, s: number[][]) => void): number[][] {
  const w = [...w0];
  const s = Array.from({ length: states }, () => new Array<number>(w.length).fill(0));
  return grads.map((g, k) => {
    for (let i = 0; i < w.length; i++) step(k + 1, i, w, g[i], s);
    return [...w];
  });
}

const common = { rescaleGrad: HYPER.rescale, clipGradient: HYPER.clip, wd: HYPER.wd };
const wd = HYPER.wd * HYPER.wdMult;

test('AdaDelta: no learning rate, weight decay outside the gradient', () => {
  const [rho, eps] = [0.8, 1e-4];
  expectMatches(run(() => new optimizer.AdaDelta({ ...common, rho, epsilon: eps })), reference(2, (_t, i, w, grad, [acc, accDelta]) => {
    const g = clip(grad * HYPER.rescale, HYPER.clip);
    acc[i] = rho * acc[i] + (1 - rho) * g * g;
    const delta = (Math.sqrt(accDelta[i] + eps) / Math.sqrt(acc[i] + eps)) * g;
    accDelta[i] = rho * accDelta[i] + (1 - rho) * delta * delta;
    w[i] -= delta + wd * w[i];
  }));
});

test('Adamax: the infinity norm, bias-corrected rate', () => {
  const lr = 0.01 * HYPER.lrMult;
  expectMatches(run(() => new optimizer.Adamax({ ...common, learningRate: 0.01 })), reference(2, (t, i, w, grad, [m, u]) => {
    const g = clip(grad * HYPER.rescale + wd * w[i], HYPER.clip);
    m[i] = 0.9 * m[i] + 0.1 * g;
    u[i] = Math.max(0.999 * u[i], Math.abs(g));
    w[i] -= ((lr / (1 - 0.9 ** t)) * m[i]) / u[i];
  }));
  expect(new optimizer.Adamax().learningRate).toBe(0.002);
  // Zero gradients so far: u = 0 and m = 0, a zero step (MXNet writes 0/0 = NaN).
  const w = Float32Array.of(1, -2);
  new optimizer.Adamax().update(0, w, new Float32Array(2));
  expect(Array.from(w)).toEqual([1, -2]);
});

test("Nadam: Dozat's momentum schedule (one parameter, so MXNet's shared schedule agrees)", () => {
  const lr = 0.01 * HYPER.lrMult;
  let product = 1;
  const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** (t * 0.004));
  expectMatches(run(() => new optimizer.Nadam({ ...common, learningRate: 0.01 })), reference(2, (t, i, w, grad, [m, v]) => {
    if (i === 0) product *= mu(t);
    const g = clip(grad * HYPER.rescale + wd * w[i], HYPER.clip);
    m[i] = 0.9 * m[i] + 0.1 * g;
    v[i] = 0.999 * v[i] + 0.001 * g * g;
    const mBar = (1 - mu(t)) * (g / (1 - product)) + mu(t + 1) * (m[i] / (1 - product * mu(t + 1)));
    w[i] -= (lr * mBar) / (Math.sqrt(v[i] / (1 - 0.999 ** t)) + 1e-8);
  }));
});

test('Ftrl: the proximal update with L1', () => {
  const lr = 0.1 * HYPER.lrMult;
  const [lamda1, beta] = [0.05, 1];
  expectMatches(run(() => new optimizer.Ftrl({ ...common, lamda1 })), reference(2, (_t, i, w, grad, [z, n]) => {
    const g = clip(grad * HYPER.rescale, HYPER.clip);
    z[i] += g - ((Math.sqrt(n[i] + g * g) - Math.sqrt(n[i])) * w[i]) / lr;
    n[i] += g * g;
    w[i] = Math.abs(z[i]) > lamda1 ? (Math.sign(z[i]) * lamda1 - z[i]) / ((beta + Math.sqrt(n[i])) / lr + wd) : 0;
  }));
});

test('Signum with momentum and decoupled decay, and signSGD without momentum', () => {
  const lr = 0.01 * HYPER.lrMult;
  expectMatches(run(() => new optimizer.Signum({ ...common, momentum: 0.8, wdLh: 0.1 })), reference(1, (_t, i, w, grad, [mom]) => {
    mom[i] = 0.8 * mom[i] - 0.2 * wd * w[i] - 0.2 * clip(HYPER.rescale * grad, HYPER.clip);
    w[i] = (1 - lr * 0.1) * w[i] + lr * Math.sign(mom[i]);
  }));
  expectMatches(run(() => new optimizer.Signum({ ...common, momentum: 0 })), reference(0, (_t, i, w, grad) => {
    w[i] = (1 - lr * wd) * w[i] - lr * Math.sign(clip(HYPER.rescale * grad, HYPER.clip));
  }));
});

test('registry names, defaults and option errors', () => {
  expect(['adadelta', 'adamax', 'nadam', 'ftrl', 'signum'].map((n) => optimizer.create(n).constructor.name)).toEqual(['AdaDelta', 'Adamax', 'Nadam', 'Ftrl', 'Signum']);
  expect([new optimizer.Nadam().learningRate, new optimizer.Ftrl().learningRate, new optimizer.Signum().learningRate]).toEqual([0.001, 0.1, 0.01]);
  expect(() => new optimizer.AdaDelta({ rho: 1 })).toThrow(GluonError);
  expect(() => new optimizer.AdaDelta({ rho: 1 })).toThrow(/AdaDelta: expected rho/);
  expect(() => new optimizer.Ftrl({ lamda1: -1 })).toThrow(/Ftrl: expected lamda1/);
  expect(() => new optimizer.Signum({ wdLh: -0.5 })).toThrow(/Signum: expected wdLh/);
  expect(() => new optimizer.Nadam({ scheduleDecay: -1 })).toThrow(/Nadam: expected scheduleDecay/);
  expect(() => new optimizer.Adamax({ epsilon: 1 } as never)).toThrow(/Adamax: .*epsilon/);
});
