import { GluonError } from '../../src/core/errors';
import { orthonormalFactor, svd } from '../../src/init/svd';
import fixture from '../fixtures/init_svd_reference.json';
import { gram, lcgMatrix, maxAbsDiff, maxDeviationFromScaledIdentity, multiplySvd } from '../helpers/init_reference';

/** Checks A = U·diag(s)·Vᵀ, orthonormal U columns and Vᵀ rows, and s descending ≥ 0. */
function expectValidSvd(a: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const { u, s, vt } = svd(a, rows, cols);
  const k = Math.min(rows, cols);
  expect([u.length, s.length, vt.length]).toEqual([rows * k, k, k * cols]);
  expect(maxAbsDiff(multiplySvd(u, s, vt, rows, cols), a)).toBeLessThan(1e-12);
  expect(maxDeviationFromScaledIdentity(gram(u, rows, k, 'cols'), 1)).toBeLessThan(1e-12);
  expect(maxDeviationFromScaledIdentity(gram(vt, k, cols, 'rows'), 1)).toBeLessThan(1e-12);
  for (let r = 0; r < k; r++) {
    expect(s[r]).toBeGreaterThanOrEqual(0);
    if (r > 0) expect(s[r]).toBeLessThanOrEqual(s[r - 1]);
  }
  return s;
}

describe('svd (one-sided Jacobi)', () => {
  it.each(fixture.cases.map((c) => [`${c.rows}x${c.cols}`, c] as const))('matches numpy singular values for %s', (_, c) => {
    const s = expectValidSvd(c.a, c.rows, c.cols);
    expect(maxAbsDiff(s, c.s)).toBeLessThan(1e-12);
  });

  it.each([
    [8, 8],
    [20, 7],
    [7, 20],
    [1, 30],
    [30, 1],
    [33, 31],
  ])('reconstructs a pseudo-random %ix%i matrix', (rows, cols) => {
    expectValidSvd(lcgMatrix(rows * cols, rows * 100 + cols), rows, cols);
  });

  it('gives a diagonal matrix its absolute diagonal, sorted', () => {
    const { s } = svd([3, 0, 0, 0, -5, 0, 0, 0, 1], 3, 3);
    expect(Array.from(s)).toEqual([5, 3, 1]);
  });

  it('completes singular vectors of a zero or rank-deficient matrix', () => {
    const zeros = expectValidSvd(new Float64Array(12), 4, 3);
    expect(Array.from(zeros)).toEqual([0, 0, 0]);
    // Two identical rows and a zero row: rank 1.
    const s = expectValidSvd([1, 2, 3, 1, 2, 3, 0, 0, 0], 3, 3);
    expect(s[0]).toBeCloseTo(Math.sqrt(28), 12);
    expect(s[1]).toBeLessThan(1e-12);
  });

  it('handles extreme magnitudes without overflow or underflow', () => {
    const base = lcgMatrix(20, 7);
    for (const factor of [1e200, 1e-200]) {
      const scaled = base.map((v) => v * factor);
      const { s } = svd(scaled, 5, 4);
      const reference = svd(base, 5, 4).s;
      for (let r = 0; r < 4; r++) expect(s[r] / factor).toBeCloseTo(reference[r], 12);
    }
  });

  it('handles empty matrices', () => {
    expect(svd([], 0, 3).s.length).toBe(0);
    expect(svd([], 3, 0).u.length).toBe(0);
  });

  it('orthonormalFactor is U for tall and Vᵀ for wide matrices', () => {
    for (const [rows, cols] of [[9, 4], [4, 9], [5, 5]]) {
      const a = lcgMatrix(rows * cols, 3);
      const full = svd(a, rows, cols);
      const factor = orthonormalFactor(a, rows, cols);
      // Singular vectors are unique up to sign for distinct singular values.
      const expected = rows >= cols ? full.u : full.vt;
      const k = Math.min(rows, cols);
      for (let r = 0; r < k; r++) {
        const pick = (m: Float64Array, i: number): number => (rows >= cols ? m[i * k + r] : m[r * cols + i]);
        const sign = Math.sign(pick(factor, 0)) * Math.sign(pick(expected, 0));
        for (let i = 0; i < Math.max(rows, cols); i++) expect(pick(factor, i)).toBeCloseTo(sign * pick(expected, i), 12);
      }
    }
  });

  it('rejects inconsistent sizes and non-finite entries', () => {
    expect(() => svd([1, 2, 3], 2, 2)).toThrow(GluonError);
    expect(() => svd([1, 2, 3], 2, 2)).toThrow('svd: expected 2·2 values for a 2×2 matrix, but got 3');
    expect(() => svd([1, NaN, 3, 4], 2, 2)).toThrow('svd: expected finite matrix entries, but got NaN or Infinity');
    expect(() => svd([1, Infinity, 3, 4], 2, 2)).toThrow(/expected finite matrix entries/);
  });
});
