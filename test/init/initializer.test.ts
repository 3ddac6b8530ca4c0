import { GluonError } from '../../src/core/errors';
import * as init from '../../src/init';
import * as nd from '../../src/ndarray';
import * as random from '../../src/random';
import type { NestedArray } from '../../src/ndarray';
import { moments } from '../helpers/init_reference';

describe('Initializer base', () => {
  class Counting extends init.Initializer {
    constructor() {
      super('counting', { start: 1 });
    }

    protected override fill(_paramName: string, _shape: readonly number[], out: Float32Array): void {
      for (let i = 0; i < out.length; i++) out[i] = i + 1;
    }
  }

  it('returns a new array of the shape filled by the subclass', () => {
    const shape = [2, 3];
    const x = new Counting().initialize('w', shape);
    expect(x).toBeInstanceOf(nd.NDArray);
    expect(x.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(shape).toEqual([2, 3]);
    expect(new Counting().initialize('w', []).toArray()).toBe(1);
    expect(new Counting().initialize('w', [0, 4]).size).toBe(0);
  });

  it('dumps and prints its registered name and arguments', () => {
    expect(new Counting().dumps()).toBe('["counting", {"start": 1}]');
    expect(new Counting().toString()).toBe('Counting(start=1)');
    expect(String(new init.Normal())).toBe('Normal(sigma=0.01)');
    expect(String(new init.Zero())).toBe('Zero()');
  });

  it('rejects a bad shape or name, naming the initializer and the parameter', () => {
    expect(() => new init.Zero().initialize('dense0_bias', [2, -1])).toThrow(GluonError);
    expect(() => new init.Zero().initialize('dense0_bias', [2, -1])).toThrow(
      "init.Zero (parameter 'dense0_bias'): expected a shape of non-negative integers, but got (2, -1)",
    );
    const one = new init.One();
    expect(() => Reflect.apply(one.initialize, one, [3, [2]])).toThrow(
      'init.One: expected the parameter name to be a string, but got the number 3',
    );
  });
});

describe('dumps: Gluon JSON, byte for byte (strings from Python 3 json.dumps of MXNet 1.9 kwargs)', () => {
  it.each([
    [new init.Zero(), '["zero", {}]'],
    [new init.Zeros(), '["zero", {}]'],
    [new init.One(), '["one", {}]'],
    [new init.Ones(), '["one", {}]'],
    [new init.Constant(0.5), '["constant", {"value": 0.5}]'],
    [new init.Constant([[1, 2], [3, 4]]), '["constant", {"value": [[1, 2], [3, 4]]}]'],
    [new init.Constant(nd.array([0.1, 2])), '["constant", {"value": [0.10000000149011612, 2]}]'],
    [new init.Uniform(), '["uniform", {"scale": 0.07}]'],
    [new init.Normal(), '["normal", {"sigma": 0.01}]'],
    [new init.Normal(1e-5), '["normal", {"sigma": 1e-05}]'],
    [new init.Xavier(), '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}]'],
    [new init.Xavier({ rndType: 'gaussian', factorType: 'in', magnitude: 2.5 }), '["xavier", {"rnd_type": "gaussian", "factor_type": "in", "magnitude": 2.5}]'],
    [new init.MSRAPrelu(), '["msraprelu", {"factor_type": "avg", "slope": 0.25}]'],
    [new init.Orthogonal(), '["orthogonal", {"scale": 1.414, "rand_type": "uniform"}]'],
    [new init.Bilinear(), '["bilinear", {}]'],
  ])('%s', (initializer, expected) => {
    expect(initializer.dumps()).toBe(expected);
  });
});

describe('Zero, One', () => {
  it('fill 0 and 1 whatever the parameter name (Gluon ignores suffixes)', () => {
    expect(new init.Zero().initialize('dense0_weight', [2, 2]).toArray()).toEqual([[0, 0], [0, 0]]);
    expect(new init.One().initialize('batchnorm0_beta', [3]).toArray()).toEqual([1, 1, 1]);
    expect(init.Zeros).toBe(init.Zero);
    expect(init.Ones).toBe(init.One);
  });
});

describe('Constant', () => {
  it('fills a scalar', () => {
    expect(new init.Constant(-2.5).initialize('w', [2, 2]).toArray()).toEqual([[-2.5, -2.5], [-2.5, -2.5]]);
  });

  it('copies an array of the parameter shape', () => {
    expect(new init.Constant([[1, 2], [3, 4]]).initialize('w', [2, 2]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(new init.Constant(nd.array([5, 6, 7])).initialize('w', [3]).toArray()).toEqual([5, 6, 7]);
  });

  it('broadcasts as numpy: trailing dims aligned, 1 stretches', () => {
    expect(new init.Constant([1, 2]).initialize('w', [3, 2]).toArray()).toEqual([[1, 2], [1, 2], [1, 2]]);
    expect(new init.Constant([[1], [2]]).initialize('w', [2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    const value = nd.array([[10], [20]]);
    const out = new init.Constant(value).initialize('w', [2, 2, 3]).toArray();
    expect(out).toEqual([
      [[10, 10, 10], [20, 20, 20]],
      [[10, 10, 10], [20, 20, 20]],
    ]);
  });

  it('keeps its own copy of the value', () => {
    const value = [1, 2];
    const constant = new init.Constant(value);
    value[0] = 99;
    expect(constant.initialize('w', [2]).toArray()).toEqual([1, 2]);
    expect(constant.dumps()).toBe('["constant", {"value": [1, 2]}]');
  });

  it.each<[NestedArray, number[], string]>([
    [[1, 2, 3], [2, 2], "init.Constant: cannot initialize parameter 'w': expected a value broadcastable to its shape (2, 2), but got a value of shape (3,)"],
    [[[1, 2]], [2], "init.Constant: cannot initialize parameter 'w': expected a value broadcastable to its shape (2,), but got a value of shape (1, 2)"],
    [[[1, 2], [3, 4]], [3, 2], "init.Constant: cannot initialize parameter 'w': expected a value broadcastable to its shape (3, 2), but got a value of shape (2, 2)"],
  ])('rejects the value %p for shape %p', (value, shape, message) => {
    const constant = new init.Constant(value);
    expect(() => constant.initialize('w', shape)).toThrow(GluonError);
    expect(() => constant.initialize('w', shape)).toThrow(message);
  });

  it('rejects values that are not numbers, number arrays or NDArrays', () => {
    expect(() => Reflect.construct(init.Constant, ['1'])).toThrow(
      "init.Constant: expected the value to be a number, a (nested) number array or an NDArray, but got the string '1'",
    );
    expect(() => Reflect.construct(init.Constant, [[1, 'a']])).toThrow(/init\.Constant: expected the value .* but got an array of length 2/);
    expect(() => new init.Constant([[1, 2], [3]])).toThrow(GluonError);
    expect(() => new init.Constant([[1, 2], [3]])).toThrow(/^init\.Constant: nd\.array: ragged nested array: expected length 2 at depth 1/);
  });
});

describe('Uniform, Normal', () => {
  const SIZE = 100_000;

  it('Uniform(scale) draws U(-scale, scale)', () => {
    random.seed(11);
    const values = new init.Uniform(0.2).initialize('dense0_bias', [SIZE]).toFloat32Array();
    const { mean, variance } = moments(values);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-0.2);
    expect(Math.max(...values)).toBeLessThanOrEqual(0.2);
    expect(Math.min(...values)).toBeLessThan(-0.199);
    expect(Math.max(...values)).toBeGreaterThan(0.199);
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(0.04 / 3 / SIZE));
    expect(variance / (0.04 / 3)).toBeCloseTo(1, 1);
    expect(new init.Uniform().scale).toBe(0.07);
  });

  it('Normal(sigma) draws N(0, sigma²)', () => {
    random.seed(12);
    const values = new init.Normal(0.3).initialize('instancenorm0_gamma', [SIZE]).toFloat32Array();
    const { mean, variance } = moments(values);
    expect(Math.abs(mean)).toBeLessThan((5 * 0.3) / Math.sqrt(SIZE));
    expect(Math.abs(variance / 0.09 - 1)).toBeLessThan(5 * Math.sqrt(2 / SIZE));
    expect(new init.Normal().sigma).toBe(0.01);
  });

  it('apply regardless of the name suffix (Gluon): a random bias, a random gamma', () => {
    const bias = new init.Normal(1).initialize('dense0_bias', [4]).toFloat32Array();
    const gamma = new init.Uniform(1).initialize('batchnorm0_gamma', [4]).toFloat32Array();
    expect(new Set(bias).size).toBe(4);
    expect(new Set(gamma).size).toBe(4);
  });

  it.each([
    [() => new init.Uniform(-1), 'init.Uniform: expected scale to be a finite number >= 0, but got the number -1'],
    [() => new init.Uniform(NaN), 'init.Uniform: expected scale to be a finite number >= 0, but got the number NaN'],
    [() => new init.Normal(-0.1), 'init.Normal: expected sigma to be a finite number >= 0, but got the number -0.1'],
    [() => new init.Normal(Infinity), 'init.Normal: expected sigma to be a finite number >= 0, but got the number Infinity'],
  ])('rejects bad arguments (%#)', (make, message) => {
    expect(make).toThrow(GluonError);
    expect(make).toThrow(message);
  });
});
