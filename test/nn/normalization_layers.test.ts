import { DeferredInitializationError, GluonError, NDArray, autograd, nd, nn } from '../../src';
import { pseudoRandom } from '../helpers/gradient_check';
import { NormFixture, expectAllClose, normFixtures, perGroup } from '../helpers/norm_fixtures';
import { referenceNorm } from '../helpers/reference_norm';
import { referenceNormFixed } from '../helpers/reference_norm_grad';

const TOLERANCE = 2 ** -22;

function data(shape: number[], seed: number, center = 0, spread = 1): NDArray {
  const n = shape.reduce((a, b) => a * b, 1);
  return nd.array(Float32Array.from(pseudoRandom(n, seed), (v) => center + spread * v), { shape });
}

function values(x: NDArray): number[] {
  return Array.from(x.toFloat32Array());
}

/** Float64 mean and biased variance of every channel c of a row-major (N, C, S…) array, by loops. */
function channelMoments(x: NDArray): { mean: number[]; variance: number[] } {
  const [n, c] = x.shape;
  const s = x.size / (n * c);
  const v = x.toFloat32Array();
  const mean = new Array<number>(c).fill(0), variance = new Array<number>(c).fill(0);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < n; i++) for (let j = 0; j < s; j++) mean[k] += v[(i * c + k) * s + j] / (n * s);
    for (let i = 0; i < n; i++) for (let j = 0; j < s; j++) variance[k] += (v[(i * c + k) * s + j] - mean[k]) ** 2 / (n * s);
  }
  return { mean, variance };
}

/**
 * A layer's output and parameter gradients on a PyTorch fixture: the layer is initialized and run
 * once (shape inference), gets the fixture's gamma/beta, then runs inside `autograd.record` (in
 * training mode unless `trainMode` is false) and back-propagates the fixture's dy.
 */
function expectLayerMatchesFixture(layer: nn.BatchNorm | nn.LayerNorm | nn.GroupNorm, f: NormFixture, trainMode = true): void {
  const x = nd.array(f.x, { shape: f.shape });
  x.attachGrad();
  if (!layer.gamma.isInitialized) {
    layer.initialize();
    layer(x);
  }
  layer.gamma.setData(nd.array(f.gamma));
  layer.beta.setData(nd.array(f.beta));
  const y = autograd.record(() => layer(x), { trainMode });
  y.backward(nd.array(f.dy, { shape: f.shape }));
  expectAllClose(y.toFloat32Array(), f.y, `${f.name}: y`);
  expectAllClose(x.grad?.toFloat32Array() ?? [], f.dx, `${f.name}: dx`);
  expectAllClose(layer.gamma.grad().toFloat32Array(), f.dgamma, `${f.name}: dgamma`);
  expectAllClose(layer.beta.grad().toFloat32Array(), f.dbeta, `${f.name}: dbeta`);
}

describe('nn.BatchNorm: parameters', () => {
  it("creates gamma, beta, running_mean, running_var with Gluon's names, gradReqs and deferred shapes", () => {
    const bn = new nn.BatchNorm();
    const names = [...bn.collectParams().keys()];
    expect(names).toEqual(['gamma', 'beta', 'running_mean', 'running_var'].map((name) => `${bn.prefix}${name}`));
    expect([bn.gamma.gradReq, bn.beta.gradReq, bn.runningMean.gradReq, bn.runningVar.gradReq]).toEqual(['write', 'write', 'null', 'null']);
    bn.runningMean.gradReq = 'write';
    expect(bn.runningMean.gradReq).toBe('null');
    bn.initialize();
    expect(() => bn.runningVar.data()).toThrow(DeferredInitializationError);
    bn(nd.zeros([2, 3, 4]));
    expect(values(bn.runningMean.data())).toEqual([0, 0, 0]);
    expect(values(bn.runningVar.data())).toEqual([1, 1, 1]);
  });

  it('scale = false fixes gamma at 1 (not differentiable); center = false only freezes beta', () => {
    const bn = new nn.BatchNorm({ scale: false, center: false, inChannels: 2, gammaInitializer: 'zeros', betaInitializer: 'ones' });
    bn.initialize();
    expect([bn.gamma.gradReq, bn.beta.gradReq]).toEqual(['null', 'null']);
    bn.gamma.gradReq = 'write';
    expect(bn.gamma.gradReq).toBe('null');
    // gamma is 0 but treated as 1; beta = 1 is applied. Prediction: x / sqrt(1 + eps) + 1.
    expect(values(bn(nd.array([[2, 4]])))).toEqual([2 / Math.sqrt(1 + 1e-5) + 1, 4 / Math.sqrt(1 + 1e-5) + 1].map(Math.fround));
  });

  it("saves under Gluon's structural keys (running_mean, running_var) and loads them back", () => {
    const bn = new nn.BatchNorm({ inChannels: 2 });
    bn.initialize();
    autograd.trainMode(() => bn(nd.array([[1, 2], [3, 6]])));
    const bytes = bn.saveParametersBytes();
    expect(Object.keys(nd.loadBytes(bytes))).toEqual(['gamma', 'beta', 'running_mean', 'running_var']);
    const copy = new nn.BatchNorm();
    copy.loadParameters(bytes);
    expect(values(copy.runningMean.data())).toEqual(values(bn.runningMean.data()));
    expect(values(copy.runningVar.data())).toEqual(values(bn.runningVar.data()));
  });
});

describe('nn.BatchNorm: statistics in prediction and training', () => {
  const x = data([4, 3, 5], 41, 2, 3);

  it('predicts with the running statistics (the float64 reference with constant statistics)', () => {
    const bn = new nn.BatchNorm({ epsilon: 1e-3 });
    bn.initialize();
    bn(x);
    bn.runningMean.setData(nd.array([0.5, -1, 2]));
    bn.runningVar.setData(nd.array([2, 0.5, 4]));
    bn.gamma.setData(nd.array([1.5, 0.5, 1]));
    bn.beta.setData(nd.array([0, 1, -1]));
    const spec = { shape: x.shape, keepAxes: [1], affineAxis: 1, eps: 1e-3, gamma: [1.5, 0.5, 1], beta: [0, 1, -1] };
    expectAllClose(bn(x).toFloat32Array(), referenceNormFixed(x.toFloat32Array(), spec, [0.5, -1, 2], [2, 0.5, 4]), 'prediction', TOLERANCE);
    expect(values(bn.runningMean.data())).toEqual([0.5, -1, 2]);
  });

  it('trains on the batch statistics and moves the running statistics by momentum, step after step', () => {
    const bn = new nn.BatchNorm({ momentum: 0.8 });
    bn.initialize();
    const spec = { shape: x.shape, keepAxes: [1], affineAxis: 1, eps: 1e-5, gamma: [1, 1, 1], beta: [0, 0, 0] };
    expectAllClose(autograd.trainMode(() => bn(x)).toFloat32Array(), referenceNorm(x.toFloat32Array(), spec).out, 'training', TOLERANCE);
    const { mean, variance } = channelMoments(x);
    let expectedMean = mean.map((m) => 0.2 * m);
    let expectedVar = variance.map((v) => 0.8 + 0.2 * v);
    expectAllClose(values(bn.runningMean.data()), expectedMean, 'running mean after one step', 1e-7);
    expectAllClose(values(bn.runningVar.data()), expectedVar, 'running variance after one step', 1e-7);
    const x2 = data([4, 3, 5], 42, -1, 1);
    autograd.record(() => bn(x2));
    const second = channelMoments(x2);
    expectedMean = expectedMean.map((m, c) => 0.8 * m + 0.2 * second.mean[c]);
    expectedVar = expectedVar.map((v, c) => 0.8 * v + 0.2 * second.variance[c]);
    expectAllClose(values(bn.runningMean.data()), expectedMean, 'running mean after two steps', 1e-6);
    expectAllClose(values(bn.runningVar.data()), expectedVar, 'running variance after two steps', 1e-6);
  });

  it('useGlobalStats normalizes with the running statistics in training and never updates them', () => {
    const bn = new nn.BatchNorm({ useGlobalStats: true });
    bn.initialize();
    const y = autograd.trainMode(() => bn(x));
    expectAllClose(values(y), values(x).map((v) => v / Math.sqrt(1 + 1e-5)), 'useGlobalStats', TOLERANCE);
    expect(values(bn.runningMean.data())).toEqual([0, 0, 0]);
  });

  it('normalizes channels-last input with axis -1, inferring the channels from the last axis', () => {
    const bn = new nn.BatchNorm({ axis: -1 });
    bn.initialize();
    const xl = data([3, 2, 4], 43, 1, 2);
    const y = autograd.trainMode(() => bn(xl));
    expect(bn.gamma.shape).toEqual([4]);
    const spec = { shape: xl.shape, keepAxes: [2], affineAxis: 2, eps: 1e-5, gamma: [1, 1, 1, 1], beta: [0, 0, 0, 0] };
    expectAllClose(y.toFloat32Array(), referenceNorm(xl.toFloat32Array(), spec).out, 'channels-last', TOLERANCE);
  });

  for (const f of normFixtures('batch_norm')) {
    it(`matches PyTorch through the layer: ${f.name}`, () => {
      const bn = new nn.BatchNorm({ momentum: f.params.mxnet_momentum, epsilon: f.params.eps });
      bn.initialize();
      bn(nd.array(f.x, { shape: f.shape }));
      bn.runningMean.setData(nd.array(f.running_mean ?? []));
      bn.runningVar.setData(nd.array(f.running_var ?? []));
      expectLayerMatchesFixture(bn, f, f.params.training);
      if (f.params.training) expectAllClose(values(bn.runningMean.data()), f.torch_running_mean_after ?? [], 'running mean');
    });
  }
});

describe('nn.LayerNorm', () => {
  it('normalizes over the last axis by default, inferring gamma/beta from it', () => {
    const ln = new nn.LayerNorm();
    ln.initialize();
    const x = data([3, 2, 5], 51, 4, 3);
    const y = ln(x);
    expect(ln.gamma.shape).toEqual([5]);
    const spec = { shape: x.shape, keepAxes: [0, 1], affineAxis: 2, eps: 1e-5, gamma: [1, 1, 1, 1, 1], beta: [0, 0, 0, 0, 0] };
    expectAllClose(y.toFloat32Array(), referenceNorm(x.toFloat32Array(), spec).out, 'last axis', TOLERANCE);
    // Training changes nothing: LayerNorm has no running statistics.
    expect(values(autograd.trainMode(() => ln(x)))).toEqual(values(y));
  });

  it('normalizes over another axis with its own gamma/beta length', () => {
    const ln = new nn.LayerNorm({ axis: 1, epsilon: 1e-3, inChannels: 4, gammaInitializer: 'normal', betaInitializer: 'uniform' });
    ln.initialize();
    const x = data([2, 4, 3], 52, -1, 2);
    const gamma = values(ln.gamma.data()), beta = values(ln.beta.data());
    const spec = { shape: x.shape, keepAxes: [0, 2], affineAxis: 1, eps: 1e-3, gamma, beta };
    expectAllClose(ln(x).toFloat32Array(), referenceNorm(x.toFloat32Array(), spec).out, 'axis 1', TOLERANCE);
  });

  it('center/scale only set gradReq', () => {
    const ln = new nn.LayerNorm({ center: false, scale: false });
    expect([ln.gamma.gradReq, ln.beta.gradReq]).toEqual(['null', 'null']);
    ln.gamma.gradReq = 'write';
    expect(ln.gamma.gradReq).toBe('write');
  });

  for (const f of normFixtures('layer_norm')) {
    it(`matches PyTorch through the layer: ${f.name}`, () => expectLayerMatchesFixture(new nn.LayerNorm({ epsilon: f.params.eps }), f));
  }
});

describe('nn.GroupNorm', () => {
  it('has gamma/beta of shape (numGroups,), known at initialize (nothing deferred)', () => {
    const gn = new nn.GroupNorm({ numGroups: 2 });
    gn.initialize();
    expect(values(gn.gamma.data())).toEqual([1, 1]);
    expect(values(gn.beta.data())).toEqual([0, 0]);
  });

  it('normalizes each (sample, group of consecutive channels) against the reference', () => {
    const gn = new nn.GroupNorm({ numGroups: 3, epsilon: 1e-4, gammaInitializer: 'uniform', betaInitializer: 'normal' });
    gn.initialize();
    const x = data([2, 6, 2, 2], 61, 1, 3);
    const spec = { shape: [2, 3, 2, 2, 2], keepAxes: [0, 1], affineAxis: 1, eps: 1e-4, gamma: values(gn.gamma.data()), beta: values(gn.beta.data()) };
    expectAllClose(gn(x).toFloat32Array(), referenceNorm(x.toFloat32Array(), spec).out, 'GroupNorm', TOLERANCE);
  });

  it('equals InstanceNorm with numGroups = C when gamma/beta agree per channel', () => {
    const x = data([2, 3, 4], 62, 0, 2);
    const gn = new nn.GroupNorm({ numGroups: 3 });
    const inorm = new nn.InstanceNorm({ scale: true });
    for (const layer of [gn, inorm]) {
      layer.initialize();
      layer(x);
      layer.gamma.setData(nd.array([0.5, 2, 1]));
      layer.beta.setData(nd.array([1, 0, -1]));
    }
    expectAllClose(values(gn(x)), values(inorm(x)), 'GroupNorm vs InstanceNorm', TOLERANCE);
  });

  it('LayerNorm over the last axis equals InstanceNorm of each row, then the per-feature affine', () => {
    const x = data([2, 3, 5], 63, 2, 3);
    const ln = new nn.LayerNorm({ epsilon: 1e-4 });
    ln.initialize();
    ln(x);
    const gamma = nd.array([0.5, 2, 1, -1, 3]);
    const beta = nd.array([1, 0, -1, 2, 0.25]);
    ln.gamma.setData(gamma);
    ln.beta.setData(beta);
    const rows = new nn.InstanceNorm({ epsilon: 1e-4 });
    rows.initialize();
    const perRow = rows(x.reshape([6, 1, 5])).reshape([2, 3, 5]);
    expectAllClose(values(ln(x)), values(perRow.mul(gamma).add(beta)), 'LayerNorm vs InstanceNorm per row', 2 ** -20);
  });

  for (const f of normFixtures('group_norm')) {
    it(`matches PyTorch through the layer: ${f.name}`, () => {
      expectLayerMatchesFixture(new nn.GroupNorm({ numGroups: f.params.num_groups, epsilon: f.params.eps }), perGroup(f));
    });
  }
});

describe('text forms', () => {
  it("prints Gluon's reprs", () => {
    const bn = new nn.BatchNorm();
    expect(bn.toString()).toBe('BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=None)');
    bn.initialize();
    bn(nd.zeros([1, 3, 2]));
    expect(bn.toString()).toBe('BatchNorm(axis=1, eps=1e-05, momentum=0.9, fix_gamma=False, use_global_stats=False, in_channels=3)');
    expect(new nn.BatchNorm({ axis: -1, epsilon: 0.001, momentum: 0.99, scale: false, useGlobalStats: true, inChannels: 8 }).toString()).toBe(
      'BatchNorm(axis=-1, eps=0.001, momentum=0.99, fix_gamma=True, use_global_stats=True, in_channels=8)',
    );
    expect(new nn.LayerNorm().toString()).toBe('LayerNorm(eps=1e-05, axis=-1, center=True, scale=True, in_channels=0)');
    expect(new nn.LayerNorm({ axis: 1, center: false, inChannels: 16 }).toString()).toBe('LayerNorm(eps=1e-05, axis=1, center=False, scale=True, in_channels=16)');
    expect(new nn.GroupNorm().toString()).toBe('GroupNorm(eps=1e-05, num_groups=1, center=True, scale=True)');
    expect(new nn.GroupNorm({ numGroups: 4, epsilon: 1e-6, scale: false }).toString()).toBe('GroupNorm(eps=1e-06, num_groups=4, center=True, scale=False)');
  });
});

describe('errors name the layer, the option and the values', () => {
  it('rejects bad constructor options', () => {
    expect(() => new nn.BatchNorm({ momentum: 1.5 })).toThrow(GluonError);
    expect(() => new nn.BatchNorm({ momentum: 1.5 })).toThrow(/^batchnorm\d+: expected momentum to be a finite number in \[0, 1\], but got the number 1.5$/);
    expect(() => new nn.BatchNorm({ epsilon: -1 })).toThrow(/^batchnorm\d+: expected epsilon to be a finite number >= 0, but got the number -1$/);
    expect(() => new nn.BatchNorm({ axis: 1.5 })).toThrow(/^batchnorm\d+: expected axis to be an integer, but got the number 1.5$/);
    expect(() => new nn.BatchNorm({ useGlobalStats: 1 as unknown as boolean })).toThrow(/^batchnorm\d+: expected useGlobalStats to be true or false, but got the number 1$/);
    expect(() => new nn.BatchNorm({ inChannels: -2 })).toThrow(/^batchnorm\d+: expected inChannels \(0 = infer\) to be an integer >= 0, but got the number -2$/);
    expect(() => new nn.LayerNorm({ axis: NaN })).toThrow(/^layernorm\d+: expected axis to be an integer, but got the number NaN$/);
    expect(() => new nn.LayerNorm({ scale: 'yes' as unknown as boolean })).toThrow(/^layernorm\d+: expected scale to be true or false, but got the string 'yes'$/);
    expect(() => new nn.LayerNorm({ epsilon: Infinity })).toThrow(/^layernorm\d+: expected epsilon to be a finite number >= 0, but got the number Infinity$/);
    expect(() => new nn.GroupNorm({ numGroups: 0 })).toThrow(/^groupnorm\d+: expected numGroups to be an integer >= 1, but got the number 0$/);
    expect(() => new nn.GroupNorm({ center: null as unknown as boolean })).toThrow(/^groupnorm\d+: expected center to be true or false, but got null$/);
  });

  it('rejects inputs of the wrong rank, axis or channel count', () => {
    const bn = new nn.BatchNorm();
    bn.initialize();
    expect(() => bn(nd.zeros([]))).toThrow(`${bn.name}: expected an input of rank >= 1, but got an input of shape ()`);
    expect(() => bn(nd.zeros([3]))).toThrow(`${bn.name}: expected an axis in [-1, 0] for an input of rank 1, but got 1`);
    bn(nd.zeros([2, 3]));
    expect(() => bn(nd.zeros([2, 4]))).toThrow(`${bn.name}: expected 3 channels on axis 1 (as at initialization), but got 4 in an input of shape (2, 4)`);

    const ln = new nn.LayerNorm({ axis: 2 });
    ln.initialize();
    expect(() => ln(nd.zeros([2, 3]))).toThrow(`${ln.name}: expected an axis in [-2, 1] for an input of rank 2, but got 2`);
    ln(nd.zeros([2, 3, 5]));
    expect(() => ln(nd.zeros([2, 3, 6]))).toThrow(`${ln.name}: expected 5 channels on axis 2 (as at initialization), but got 6 in an input of shape (2, 3, 6)`);

    const gn = new nn.GroupNorm({ numGroups: 4 });
    gn.initialize();
    expect(() => gn(nd.zeros([2, 6, 3]))).toThrow(
      `${gn.name}: expected a channel count divisible by numGroups 4, but got 6 channels (axis 1) in an input of shape (2, 6, 3)`,
    );
    expect(() => gn(nd.zeros([2, 8]))).toThrow(`${gn.name}: expected an input of rank >= 3, but got an input of shape (2, 8)`);
    // The operator checks its inputs (GroupNorm defers nothing, so no shape inference runs first).
    expect(() => gn([1] as unknown as NDArray)).toThrow(`${gn.name}: expected input 0 to be an NDArray (or a Symbol), but got [1]`);
  });

  it('rejects a forward before initialize, naming the parameter', () => {
    const bn = new nn.BatchNorm({ inChannels: 2 });
    expect(() => bn(nd.zeros([1, 2]))).toThrow(`Parameter '${bn.prefix}gamma' has not been initialized`);
  });
});
