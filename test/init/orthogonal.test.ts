import { GluonError } from '../../src/core/errors';
import * as init from '../../src/init';
import * as random from '../../src/random';
import { gram, maxDeviationFromScaledIdentity } from '../helpers/init_reference';

/** The products in float64 of the float32 values: W·Wᵀ for wide, Wᵀ·W for tall matrices. */
function expectOrthogonal(values: Float32Array, rows: number, cols: number, scale: number): void {
  const g = gram(values, rows, cols, rows >= cols ? 'cols' : 'rows');
  // float32 rounding of each entry bounds the error at about sqrt(n)·2⁻²⁴ relative.
  expect(maxDeviationFromScaledIdentity(g, scale * scale)).toBeLessThan(1e-6 * scale * scale);
}

describe('Orthogonal', () => {
  it.each([
    [[3, 5], 3, 5],
    [[5, 3], 5, 3],
    [[6, 6], 6, 6],
    [[4, 2, 3], 4, 6],
    [[12, 3, 2, 2], 12, 12],
    [[30, 1], 30, 1],
    [[1, 30], 1, 30],
  ])('gives orthogonal rows or columns times scale for %p', (shape, rows, cols) => {
    random.seed(31);
    for (const randType of ['uniform', 'normal'] as const) {
      const weight = new init.Orthogonal({ scale: 1.5, randType }).initialize('dense0_weight', shape);
      expect(weight.shape).toEqual(shape);
      expectOrthogonal(weight.toFloat32Array(), rows, cols, 1.5);
    }
  });

  it('defaults to scale 1.414 and uniform draws', () => {
    const orthogonal = new init.Orthogonal();
    expect([orthogonal.scale, orthogonal.randType]).toEqual([1.414, 'uniform']);
    random.seed(32);
    expectOrthogonal(orthogonal.initialize('w', [16, 16]).toFloat32Array(), 16, 16, 1.414);
  });

  it('makes a 1-d parameter a single column of length |scale|', () => {
    const v = new init.Orthogonal({ scale: -2 }).initialize('lstm0_bias', [7]).toFloat32Array();
    let squares = 0;
    for (const x of v) squares += x * x;
    expect(squares).toBeCloseTo(4, 5);
  });

  it('handles empty shapes', () => {
    expect(new init.Orthogonal().initialize('w', [0, 5]).size).toBe(0);
    expect(new init.Orthogonal().initialize('w', [5, 0]).size).toBe(0);
  });

  it('rejects a 0-d parameter and bad options', () => {
    const run = (): unknown => new init.Orthogonal().initialize('scalar0', []);
    expect(run).toThrow(GluonError);
    expect(run).toThrow("init.Orthogonal: cannot initialize parameter 'scalar0': expected at least 1 dimension, but got shape ()");
    expect(() => Reflect.construct(init.Orthogonal, [{ randType: 'gaussian' }])).toThrow(
      "init.Orthogonal: expected randType to be one of 'uniform', 'normal', but got 'gaussian'",
    );
    expect(() => new init.Orthogonal({ scale: Infinity })).toThrow('init.Orthogonal: expected scale to be a finite number, but got the number Infinity');
  });
});
