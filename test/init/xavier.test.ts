import { GluonError } from '../../src/core/errors';
import * as init from '../../src/init';
import * as random from '../../src/random';
import { moments } from '../helpers/init_reference';

/** Fans computed as size / dim: fan-in divides out the output dim, fan-out the input dim. */
function fans(shape: number[]): { fanIn: number; fanOut: number } {
  const size = shape.reduce((a, b) => a * b, 1);
  return { fanIn: size / shape[0], fanOut: size / shape[1] };
}

function factorOf(shape: number[], factorType: 'avg' | 'in' | 'out'): number {
  const { fanIn, fanOut } = fans(shape);
  return { avg: (fanIn + fanOut) / 2, in: fanIn, out: fanOut }[factorType];
}

const SHAPES = [[256, 300], [128, 64, 3, 3], [60, 40, 2, 2, 2]];
const FLOAT32_SLACK = 1 + 2 ** -23;

describe('Xavier', () => {
  it.each(SHAPES.flatMap((shape) => (['avg', 'in', 'out'] as const).map((factorType) => [shape, factorType] as const)))(
    'uniform draws fill [-s, s] with variance s²/3 for %p, factor %s',
    (shape, factorType) => {
      random.seed(21);
      const magnitude = 3;
      const bound = Math.sqrt(magnitude / factorOf([...shape], factorType));
      const values = new init.Xavier({ factorType }).initialize('conv0_weight', shape).toFloat32Array();
      let largest = 0;
      for (const v of values) largest = Math.max(largest, Math.abs(v));
      expect(largest).toBeLessThanOrEqual(bound * FLOAT32_SLACK);
      expect(largest).toBeGreaterThan(bound * 0.999);
      const { mean, variance } = moments(values);
      expect(Math.abs(mean)).toBeLessThan((5 * bound) / Math.sqrt(3 * values.length));
      expect(Math.abs(variance / (bound ** 2 / 3) - 1)).toBeLessThan(0.03);
    },
  );

  it.each(SHAPES)('gaussian draws have variance magnitude / factor for %p', (...shape) => {
    random.seed(22);
    const values = new init.Xavier({ rndType: 'gaussian', factorType: 'in', magnitude: 2 }).initialize('w', shape).toFloat32Array();
    const expected = 2 / fans(shape).fanIn;
    const { mean, variance } = moments(values);
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expected / values.length));
    expect(Math.abs(variance / expected - 1)).toBeLessThan(0.03);
  });

  it('applies to any 2-D+ parameter whatever its name', () => {
    const bias = new init.Xavier().initialize('dense0_bias', [4, 4]).toFloat32Array();
    expect(new Set(bias).size).toBe(16);
  });

  it('defaults to uniform, avg, magnitude 3', () => {
    const xavier = new init.Xavier();
    expect([xavier.rndType, xavier.factorType, xavier.magnitude]).toEqual(['uniform', 'avg', 3]);
  });
});

describe('MSRAPrelu', () => {
  it.each([[0.25, 'avg'], [0, 'in'], [1, 'out']] as const)('is N(0, 2 / ((1 + slope²) · factor)) for slope %p, factor %s', (slope, factorType) => {
    random.seed(23);
    const shape = [128, 64, 3, 3];
    const values = new init.MSRAPrelu({ slope, factorType }).initialize('conv0_weight', shape).toFloat32Array();
    const expected = 2 / ((1 + slope * slope) * factorOf(shape, factorType));
    const { mean, variance } = moments(values);
    expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(expected / values.length));
    expect(Math.abs(variance / expected - 1)).toBeLessThan(0.03);
  });

  it('defaults to avg and slope 0.25 (magnitude 2 / 1.0625)', () => {
    const msra = new init.MSRAPrelu();
    expect([msra.factorType, msra.slope, msra.magnitude]).toEqual(['avg', 0.25, 2 / 1.0625]);
  });
});

describe('Xavier and MSRAPrelu errors', () => {
  it.each([
    ['Xavier', () => new init.Xavier().initialize('dense0_bias', [8]), 'dense0_bias'],
    ['Xavier 0-d', () => new init.Xavier().initialize('scalar0', []), 'scalar0'],
    ['MSRAPrelu', () => new init.MSRAPrelu().initialize('prelu0_alpha', [1]), 'prelu0_alpha'],
  ])('%s on a vector', (_, run, name) => {
    expect(run).toThrow(GluonError);
    expect(run).toThrow(`Xavier initializer cannot be applied to vector ${name}. It requires at least 2D.`);
  });

  it.each([
    [() => Reflect.construct(init.Xavier, [{ factorType: 'fan' }]), "init.Xavier: expected factorType to be one of 'avg', 'in', 'out', but got 'fan'"],
    [() => Reflect.construct(init.MSRAPrelu, [{ factorType: 'AVG' }]), "init.MSRAPrelu: expected factorType to be one of 'avg', 'in', 'out', but got 'AVG'"],
    [() => Reflect.construct(init.Xavier, [{ rndType: 'normal' }]), "init.Xavier: expected rndType to be one of 'uniform', 'gaussian', but got 'normal'"],
    [() => new init.Xavier({ magnitude: -1 }), 'init.Xavier: expected magnitude to be a finite number >= 0, but got the number -1'],
    [() => new init.MSRAPrelu({ slope: NaN }), 'init.MSRAPrelu: expected slope to be a finite number, but got the number NaN'],
  ])('rejects bad options (%#)', (make, message) => {
    expect(make).toThrow(GluonError);
    expect(make).toThrow(message);
  });
});
