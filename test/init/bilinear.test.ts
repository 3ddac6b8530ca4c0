import { GluonError } from '../../src/core/errors';
import * as init from '../../src/init';

// Expected values worked out by hand from f = ceil(w / 2), c = (2f - 1 - f mod 2) / (2f):
// w = 4: f = 2, c = 3/4, so x = 0..3 gives 1 - |x/2 - 3/4| = 1/4, 3/4, 3/4, 1/4.
// w = 3: f = 2, c = 3/4, so x = 0..2 gives 1/4, 3/4, 3/4 (MXNet's kernel is not symmetric for odd w).
// w = 5: f = 3, c = 2/3, so x = 0..4 gives 1/3, 2/3, 1, 2/3, 1/3.
const W4 = [0.25, 0.75, 0.75, 0.25];
const W3 = [0.25, 0.75, 0.75];
const W5 = [1 / 3, 2 / 3, 1, 2 / 3, 1 / 3];

function outer(ys: number[], xs: number[]): number[][] {
  return ys.map((y) => xs.map((x) => Math.fround(y * x)));
}

describe('Bilinear', () => {
  it.each([
    [[1, 1, 4, 4], outer(W4, W4)],
    [[1, 1, 3, 3], outer(W3, W3)],
    [[1, 1, 5, 5], outer(W5, W5)],
  ])('gives the upsampling kernel for %p', (shape, plane) => {
    expect(new init.Bilinear().initialize('deconv0_weight', shape).toArray()).toEqual([[plane]]);
  });

  it('repeats the kernel over (out, in) and takes f from the width also for y', () => {
    // h = 2, w = 4: y = 0, 1 use f = 2, c = 3/4 too, giving 1/4 and 3/4.
    const plane = outer([0.25, 0.75], W4);
    expect(new init.Bilinear().initialize('w', [2, 3, 2, 4]).toArray()).toEqual([
      [plane, plane, plane],
      [plane, plane, plane],
    ]);
  });

  it('handles empty shapes', () => {
    expect(new init.Bilinear().initialize('w', [0, 1, 4, 4]).size).toBe(0);
    expect(new init.Bilinear().initialize('w', [1, 1, 0, 0]).size).toBe(0);
  });

  it.each([[[4, 4]], [[1, 1, 1, 4, 4]]])('rejects the non-4-D shape %p', (shape) => {
    const run = (): unknown => new init.Bilinear().initialize('deconv0_weight', shape);
    expect(run).toThrow(GluonError);
    expect(run).toThrow(/^init\.Bilinear: cannot initialize parameter 'deconv0_weight': expected a 4-D shape \(out, in, h, w\), but got \(/);
  });
});
