import { broadcastShape } from '../../src/core/shape';
import { broadcastStrides, forEachRun, planStrided } from '../../src/kernels/cpu/strided';
import { ravel, sizeOf, unravel } from '../helpers/naive_ops';

describe('broadcastShape', () => {
  it.each([
    [[2, 3], [3], [2, 3]],
    [[2, 1, 3], [4, 1], [2, 4, 3]],
    [[], [5], [5]],
    [[0, 1], [1, 4], [0, 4]],
    [[1], [0], [0]],
  ])('%j with %j is %j', (a, b, out) => {
    expect(broadcastShape('op', a, b)).toEqual(out);
  });

  it('names the op, both shapes and the clashing dimensions', () => {
    expect(() => broadcastShape('maximum', [2, 0], [3])).toThrow(
      'maximum: operands could not be broadcast together with shapes (2, 0) (3,): expected each pair of trailing dimensions to be equal or 1, but got 0 and 3',
    );
  });
});

describe('planStrided and forEachRun', () => {
  it('collapses same shapes and scalars into one run', () => {
    const same = planStrided([2, 3, 4], [12, 4, 1], [12, 4, 1]);
    expect(same.dims).toEqual([24]);
    const scalar = planStrided([2, 3, 4], [12, 4, 1], broadcastStrides([], [2, 3, 4]));
    expect(scalar.dims).toEqual([24]);
    expect(scalar.strides1).toEqual([0]);
  });

  it('keeps a per-channel bias as (N, C, H·W) with long inner runs', () => {
    const plan = planStrided([2, 3, 4, 5], [60, 20, 5, 1], broadcastStrides([1, 3, 1, 1], [2, 3, 4, 5]));
    expect(plan.dims).toEqual([2, 3, 20]);
    expect(plan.strides1).toEqual([0, 1, 0]);
  });

  it('plans an all-ones or empty shape', () => {
    expect(planStrided([1, 1], [1, 1]).dims).toEqual([1]);
    expect(planStrided([], []).dims).toEqual([1]);
    const visited: number[] = [];
    forEachRun(planStrided([2, 0, 3], [0, 3, 1]), (pos) => visited.push(pos));
    expect(visited).toEqual([]);
  });

  it.each([
    [[3, 4, 5], [1, 4, 1], [3, 1, 5]],
    [[2, 3, 2, 3], [2, 1, 2, 1], [3, 1, 3]],
    [[4, 1, 3], [4, 1, 1], [3]],
  ])('visits every element of %j once with the right operand offsets (%j, %j)', (shape, sa, sb) => {
    const a = broadcastStrides(sa, shape);
    const b = broadcastStrides(sb, shape);
    const plan = planStrided(shape, a, b);
    const last = plan.dims.length - 1;
    const seen: [number, number, number][] = [];
    forEachRun(plan, (pos, off0, off1, n) => {
      for (let i = 0; i < n; i++) seen.push([pos + i, off0 + i * plan.strides0[last], off1 + i * plan.strides1[last]]);
    });
    const expected = Array.from({ length: sizeOf(shape) }, (_, flat) => {
      const index = unravel(flat, shape);
      const pad = (s: number[]): number[] => [...new Array<number>(shape.length - s.length).fill(1), ...s];
      const at = (s: number[]): number => ravel(index.map((i, d) => (pad(s)[d] === 1 ? 0 : i)), pad(s));
      return [flat, at(sa), at(sb)];
    });
    expect(seen).toEqual(expected);
  });
});
