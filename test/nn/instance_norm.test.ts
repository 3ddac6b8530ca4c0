import { DeferredInitializationError, GluonError, NDArray, init, nd, nn, random } from '../../src';
import { referenceNorm } from '../helpers/reference_norm';

const TOLERANCE = 2 ** -22;

/** The float64 reference of InstanceNorm over `axis`: groups are (sample, channel). */
function reference(x: NDArray, axis: number, gamma: ArrayLike<number>, beta: ArrayLike<number>, eps = 1e-5): Float64Array {
  const a = axis < 0 ? axis + x.ndim : axis;
  return referenceNorm(x.toFloat32Array(), { shape: x.shape, keepAxes: [0, a], affineAxis: a, eps, gamma, beta }).out;
}

function expectClose(actual: NDArray, expected: ArrayLike<number>): void {
  const got = actual.toFloat32Array();
  expect(got.length).toBe(expected.length);
  for (let i = 0; i < got.length; i++) {
    const bound = TOLERANCE * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(got[i] - expected[i]) <= bound)) throw new Error(`element ${i}: got ${got[i]}, expected ${expected[i]} ± ${bound}`);
  }
}

function makeLayer(options: nn.InstanceNormOptions = {}): nn.InstanceNorm {
  const layer = new nn.InstanceNorm(options);
  layer.initialize();
  return layer;
}

describe('InstanceNorm: published examples', () => {
  it("reproduces Gluon's documented example (exact values, printed as the seed)", () => {
    const x = nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]);
    const y = makeLayer()(x);
    expectClose(y, reference(x, 1, [1], [0]));
    // Exact maths rounded to float32; MXNet's float32 kernel printed -0.99998355 0.99998331 ...
    expect(y.toString()).toBe('\n[[[-0.99998349  0.99998349]]\n [[-0.99998349  0.99998349]]]\n<NDArray 2x1x2 @cpu(0)>');
  });

  it("matches ONNX's InstanceNormalization example", () => {
    const layer = makeLayer({ scale: true });
    const x = nd.array([[[[-1, 0, 1]], [[2, 3, 4]]]]);
    layer(x);
    layer.gamma.setData(nd.array([1, 1.5]));
    layer.beta.setData(nd.array([0, 1]));
    const expected = [-1.2247356, 0, 1.2247356, -0.8371035, 1.0, 2.8371034];
    const got = Array.from(layer(x).toFloat32Array());
    got.forEach((v, i) => expect(Math.abs(v - expected[i])).toBeLessThanOrEqual(1e-6));
  });

  it("agrees with MXNet's operator example to float32 rounding (eps 1e-3, gamma 1.5, beta 0.5)", () => {
    const layer = makeLayer({ epsilon: 1e-3, inChannels: 1, gammaInitializer: new init.Constant(1.5), betaInitializer: new init.Constant(0.5) });
    const got = Array.from(layer(nd.array([[[1.1, 2.2]], [[3.3, 4.4]]])).toFloat32Array());
    [-0.997527, 1.997527, -0.997527, 1.997527].forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThan(1e-6));
  });
});

describe('InstanceNorm: accuracy against a float64 reference', () => {
  const cases: [number[], number][] = [
    [[2, 3, 5], 1],
    [[3, 4, 6, 7], 1],
    [[2, 5, 4, 3], -1],
    [[2, 3, 4, 5], 2],
    [[1, 2, 3, 2, 3], 1],
    [[2, 3, 4, 2, 5], -2],
  ];
  it.each(cases)('shape %j, axis %d', (shape, axis) => {
    random.seed(7);
    const x = nd.random.normal(3, 5, shape);
    const a = axis < 0 ? axis + shape.length : axis;
    const layer = makeLayer({ axis, scale: true });
    layer(x);
    const gamma = nd.random.uniform(-2, 2, [shape[a]]);
    const beta = nd.random.uniform(-2, 2, [shape[a]]);
    layer.gamma.setData(gamma);
    layer.beta.setData(beta);
    expectClose(layer(x), reference(x, axis, gamma.toFloat32Array(), beta.toFloat32Array()));
  });

  it('keeps full precision for a large mean with a tiny spread', () => {
    random.seed(3);
    const x = nd.random.normal(0, 1e-3, [2, 2, 64]).add(1e4);
    expectClose(makeLayer()(x), reference(x, 1, [1, 1], [0, 0]));
  });

  it('gives finite, correct results near 1e38 and 1e-30', () => {
    for (const magnitude of [1e38, 1e-30]) {
      const x = nd.array([[[1, -1, 0.5, 3]], [[-2, 0.25, 1, 1]]]).mul(magnitude);
      const y = makeLayer()(x);
      expect(y.toFloat32Array().every(Number.isFinite)).toBe(true);
      expectClose(y, reference(x, 1, [1], [0]));
    }
  });
});

describe('InstanceNorm: properties', () => {
  it('gives per-instance mean 0 and variance 1 (with gamma 1, beta 0)', () => {
    random.seed(11);
    const y = makeLayer()(nd.random.uniform(-10, 30, [3, 4, 8, 8])).toFloat32Array();
    for (let group = 0; group < 12; group++) {
      const values = Array.from(y.subarray(group * 64, group * 64 + 64));
      const mean = values.reduce((s, v) => s + v, 0) / 64;
      const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / 64;
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      expect(Math.abs(variance - 1)).toBeLessThan(1e-4);
    }
  });

  it('is unchanged by x -> a·x + b for a > 0', () => {
    random.seed(5);
    const x = nd.random.normal(0, 1, [2, 3, 16]);
    const layer = makeLayer({ epsilon: 0 });
    const base = layer(x).toFloat32Array();
    const moved = layer(x.mul(4).add(-7)).toFloat32Array();
    base.forEach((v, i) => expect(Math.abs(moved[i] - v)).toBeLessThan(1e-5));
  });

  it('does not mutate its input', () => {
    const x = nd.array([[[1, 2, 4]], [[3, 3, 9]]]);
    const before = x.toFloat32Array();
    makeLayer()(x);
    expect(x.toFloat32Array()).toEqual(before);
  });
});

describe('InstanceNorm: edge cases', () => {
  it('gives beta for spatial size 1 and for constant instances', () => {
    const layer = makeLayer({ inChannels: 2 });
    layer.beta.setData(nd.array([0.5, -3]));
    expect(Array.from(layer(nd.array([[[7], [9]], [[1], [2]]])).toFloat32Array())).toEqual([0.5, -3, 0.5, -3]);
    expect(Array.from(layer(nd.array([[[4, 4, 4], [2, 2, 2]]])).toFloat32Array())).toEqual([0.5, 0.5, 0.5, -3, -3, -3]);
  });

  it('gives an empty output for an empty batch', () => {
    const y = makeLayer({ inChannels: 3 })(nd.zeros([0, 3, 4]));
    expect(y.shape).toEqual([0, 3, 4]);
    expect(y.size).toBe(0);
  });

  it('keeps NaN and Inf inside their own instance', () => {
    const y = makeLayer()(nd.array([[[1, NaN, 3], [1, 2, 3]], [[Infinity, 0, 1], [4, 5, 6]]])).toFloat32Array();
    expect(Array.from(y.subarray(0, 3)).every(Number.isNaN)).toBe(true);
    expect(Array.from(y.subarray(6, 9)).every(Number.isNaN)).toBe(true);
    expect(Array.from(y.subarray(3, 6)).every(Number.isFinite)).toBe(true);
    expect(Array.from(y.subarray(9, 12)).every(Number.isFinite)).toBe(true);
  });
});

describe('InstanceNorm: parameters and deferred initialization', () => {
  it('creates gamma then beta; center/scale only set gradReq', () => {
    const layer = new nn.InstanceNorm();
    expect([...layer.collectParams().keys()]).toEqual([`${layer.prefix}gamma`, `${layer.prefix}beta`]);
    expect([layer.gamma.gradReq, layer.beta.gradReq]).toEqual(['null', 'write']);
    const flipped = new nn.InstanceNorm({ center: false, scale: true });
    expect([flipped.gamma.gradReq, flipped.beta.gradReq]).toEqual(['write', 'null']);
  });

  it('applies a loaded gamma even when scale is false, as MXNet', () => {
    const layer = makeLayer({ inChannels: 1 });
    layer.gamma.setData(nd.array([2]));
    const got = Array.from(layer(nd.array([[[1, 3]]])).toFloat32Array());
    const r = 2 / Math.sqrt(1 + 1e-5);
    expect(got[0]).toBeCloseTo(-r, 6);
    expect(got[1]).toBeCloseTo(r, 6);
  });

  it('defers until the first forward and infers channels from the right axis', () => {
    const layer = makeLayer({ axis: -1 });
    expect(layer.gamma.shape).toEqual([0]);
    expect(() => layer.gamma.data()).toThrow(DeferredInitializationError);
    layer(nd.zeros([2, 3, 5]));
    expect(layer.gamma.shape).toEqual([5]);
    expect(Array.from(layer.gamma.data().toFloat32Array())).toEqual([1, 1, 1, 1, 1]);
    expect(layer.toString()).toBe('InstanceNorm(eps=1e-05, axis=-1, center=True, scale=False, in_channels=5)');
  });

  it('creates known shapes at initialize when inChannels is given', () => {
    const layer = makeLayer({ inChannels: 4 });
    expect(layer.gamma.data().shape).toEqual([4]);
  });

  it('uses the initializers it is given, by name or object', () => {
    const layer = makeLayer({ inChannels: 2, gammaInitializer: 'zeros', betaInitializer: 'ONES' });
    expect(Array.from(layer.gamma.data().toFloat32Array())).toEqual([0, 0]);
    expect(Array.from(layer.beta.data().toFloat32Array())).toEqual([1, 1]);
  });

  it('rejects a forward before initialize, naming the parameter', () => {
    const layer = new nn.InstanceNorm({ inChannels: 2 });
    expect(() => layer(nd.zeros([1, 2, 2]))).toThrow(`Parameter '${layer.prefix}gamma' has not been initialized`);
  });

  it('rejects another channel count after inference', () => {
    const layer = makeLayer();
    layer(nd.zeros([1, 3, 4]));
    expect(() => layer(nd.zeros([1, 4, 4]))).toThrow(
      `${layer.name}: expected 3 channels on axis 1 (as at initialization), but got 4 in an input of shape (1, 4, 4)`,
    );
  });
});

describe('InstanceNorm: bad input', () => {
  it('rejects inputs of rank < 3', () => {
    const layer = makeLayer();
    expect(() => layer(nd.zeros([2, 3]))).toThrow(GluonError);
    expect(() => layer(nd.zeros([2, 3]))).toThrow(`${layer.name}: InstanceNorm only supports input tensors of rank >= 3, but got an input of shape (2, 3)`);
  });

  it('rejects a non-NDArray input', () => {
    const layer = makeLayer();
    expect(() => layer([1, 2] as unknown as NDArray)).toThrow(`${layer.name}: expected input 0 to be an NDArray (or a Symbol), but got [1, 2]`);
  });

  it('rejects the batch axis and axes out of range', () => {
    expect(() => new nn.InstanceNorm({ axis: 0 })).toThrow(/expected axis to be an integer other than the batch axis 0, but got the number 0/);
    const negative = makeLayer({ axis: -3 });
    expect(() => negative(nd.zeros([1, 2, 3]))).toThrow(`${negative.name}: expected a channel axis other than the batch axis 0, but got axis -3 for an input of rank 3`);
    const far = makeLayer({ axis: 5 });
    expect(() => far(nd.zeros([1, 2, 3]))).toThrow(`${far.name}: expected an axis in [-3, 2] for an input of rank 3, but got 5`);
  });

  it('rejects bad options, naming them', () => {
    expect(() => new nn.InstanceNorm({ epsilon: -1 })).toThrow(/expected epsilon to be a finite number >= 0, but got the number -1/);
    expect(() => new nn.InstanceNorm({ epsilon: NaN })).toThrow(/expected epsilon to be a finite number >= 0, but got the number NaN/);
    expect(() => new nn.InstanceNorm({ center: 'yes' as unknown as boolean })).toThrow(/expected center to be true or false, but got the string 'yes'/);
    expect(() => new nn.InstanceNorm({ inChannels: 1.5 })).toThrow(/expected inChannels \(0 = infer\) to be an integer >= 0, but got the number 1.5/);
    expect(() => new nn.InstanceNorm({ gammaInitializer: 'nope' }).initialize()).toThrow(GluonError);
  });
});

describe('InstanceNorm: text form', () => {
  it("prints Gluon's repr", () => {
    expect(new nn.InstanceNorm().toString()).toBe('InstanceNorm(eps=1e-05, axis=1, center=True, scale=False, in_channels=0)');
    expect(new nn.InstanceNorm({ epsilon: 0.001, axis: 3, center: false, scale: true, inChannels: 8 }).toString()).toBe(
      'InstanceNorm(eps=0.001, axis=3, center=False, scale=True, in_channels=8)',
    );
  });
});
