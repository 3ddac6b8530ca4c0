import { gemm } from '../../src/kernels/cpu/gemm';
import { GluonError } from '../../src/core/errors';
import { makeRng, naiveGemm, randInt, randomArray, sameBits, worstError } from '../helpers/naive_dense';
import { productErrorFactor } from '../helpers/naive_ops';

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  /** Extra row-stride padding and leading offsets, to exercise non-contiguous views. */
  pad: number;
  offset: number;
}

/** Runs one case against the triple loop; also checks that nothing outside C's window changes. */
function check(cs: Case, seed: number): void {
  const rng = makeRng(seed);
  const { transA, transB, m, n, k, alpha, beta, pad, offset } = cs;
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const lda = aCols + pad;
  const ldb = bCols + pad;
  const ldc = n + pad;
  const a = randomArray(offset + aRows * lda, rng);
  const b = randomArray(offset + bRows * ldb, rng);
  const c = randomArray(offset + m * ldc + 3, rng);
  const [a0, b0, c0] = [a.slice(), b.slice(), c.slice()];
  const ref = naiveGemm(transA, transB, m, n, k, alpha, a, offset, lda, b, offset, ldb, beta, c, offset, ldc);
  gemm(transA, transB, m, n, k, alpha, a, offset, lda, b, offset, ldb, beta, c, offset, ldc);
  const got = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) got[i * n + j] = c[offset + i * ldc + j];
  // gemm.ts's stated bound, relative to Σ|alpha·a·b| + |beta·c|.
  expect(worstError(got, ref, productErrorFactor(k))).toBeLessThanOrEqual(1);
  expect(sameBits(a, a0) && sameBits(b, b0)).toBe(true);
  // Elements of C outside the m×n window (offset prefix, row padding, tail) are untouched.
  let changedOutside = 0;
  for (let idx = 0; idx < c.length; idx++) {
    const rel = idx - offset;
    const inside = rel >= 0 && Math.floor(rel / ldc) < m && rel % ldc < n;
    if (!inside && !Object.is(c[idx], c0[idx])) changedOutside++;
  }
  expect(changedOutside).toBe(0);
}

describe('gemm', () => {
  it('computes the documented 2×2 example', () => {
    const c = new Float32Array(4);
    gemm(false, false, 2, 2, 2, 1, Float32Array.of(1, 2, 3, 4), 0, 2, Float32Array.of(5, 6, 7, 8), 0, 2, 0, c, 0, 2);
    expect(Array.from(c)).toEqual([19, 22, 43, 50]);
  });

  it('matches the triple loop on random shapes, transposes, strides, offsets, alpha and beta', () => {
    const rng = makeRng(7);
    for (let t = 0; t < 120; t++) {
      const cs: Case = {
        transA: rng() > 0, transB: rng() > 0,
        m: randInt(rng, 1, 23), n: randInt(rng, 1, 23), k: randInt(rng, 1, 40),
        alpha: [1, -0.5, 2.25][randInt(rng, 0, 2)], beta: [0, 1, -1.5][randInt(rng, 0, 2)],
        pad: randInt(rng, 0, 3), offset: randInt(rng, 0, 5),
      };
      check(cs, 1000 + t);
    }
  });

  it('handles edge tiles, every blocking boundary (MC = 64, KC = 256, NC = 512) and the single-row path', () => {
    const shapes: [number, number, number][] = [
      [67, 5, 300], [3, 533, 257], [65, 70, 513], [129, 9, 1], [1, 1, 600], [1, 37, 11], [1, 6, 3], [2, 7, 5],
    ];
    shapes.forEach(([m, n, k], i) => {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
        check({ transA, transB, m, n, k, alpha: 0.75, beta: 0.5, pad: 1, offset: 2 }, 50 + i);
      }
    });
  });

  it('treats beta = 0 as overwrite (NaN in C does not propagate) and k = 0 as scaling', () => {
    const c = Float32Array.of(NaN, NaN, NaN, NaN);
    gemm(false, false, 2, 2, 1, 1, Float32Array.of(1, 2), 0, 1, Float32Array.of(3, 4), 0, 2, 0, c, 0, 2);
    expect(Array.from(c)).toEqual([3, 4, 6, 8]);
    const d = Float32Array.of(1, 2, 3, 4);
    gemm(false, false, 2, 2, 0, 1, new Float32Array(0), 0, 1, new Float32Array(0), 0, 2, 3, d, 0, 2);
    expect(Array.from(d)).toEqual([3, 6, 9, 12]);
    const e = Float32Array.of(1, 2, 3, 4);
    gemm(false, false, 2, 2, 1, 0, Float32Array.of(NaN, 1), 0, 1, Float32Array.of(1, 1), 0, 2, 1, e, 0, 2);
    expect(Array.from(e)).toEqual([1, 2, 3, 4]);
  });

  it('does nothing for an empty result', () => {
    const c = Float32Array.of(5);
    gemm(false, false, 0, 1, 3, 1, new Float32Array(0), 0, 3, new Float32Array(3), 0, 1, 0, c, 0, 1);
    gemm(false, false, 1, 0, 3, 1, new Float32Array(3), 0, 3, new Float32Array(0), 0, 1, 0, c, 0, 1);
    expect(c[0]).toBe(5);
  });

  it('accepts subarray views and respects their byte offsets', () => {
    const buffer = new Float32Array(20);
    buffer.set([1, 2, 3, 4], 4);
    const a = buffer.subarray(4, 8);
    const c = new Float32Array(1);
    gemm(false, true, 1, 1, 4, 1, a, 0, 4, a, 0, 4, 0, c, 0, 1);
    expect(c[0]).toBe(30);
  });

  describe('errors', () => {
    const a = new Float32Array(6);
    const b = new Float32Array(6);
    const c = new Float32Array(4);
    const call = (over: Partial<Record<'m' | 'n' | 'k' | 'lda' | 'ldb' | 'ldc' | 'aOff' | 'alpha', number>>, cc = c, aa = a) => () =>
      gemm(false, false, over.m ?? 2, over.n ?? 2, over.k ?? 3, over.alpha ?? 1, aa, over.aOff ?? 0, over.lda ?? 3,
        b, 0, over.ldb ?? 2, 0, cc, 0, over.ldc ?? 2);

    it('rejects negative or fractional sizes', () => {
      expect(call({ m: -1 })).toThrow(GluonError);
      expect(call({ m: -1 })).toThrow(/gemm: expected m to be a non-negative integer, but got -1/);
      expect(call({ k: 1.5 })).toThrow(/gemm: expected k to be a non-negative integer, but got 1.5/);
    });

    it('rejects leading dimensions shorter than a row', () => {
      expect(call({ lda: 2 })).toThrow(/gemm: expected lda to be an integer >= 3, but got 2/);
      expect(call({ ldc: 1 })).toThrow(/gemm: expected ldc to be an integer >= 2, but got 1/);
    });

    it('rejects buffers too short for the matrices and bad offsets', () => {
      expect(call({ aOff: 1 })).toThrow(/gemm: expected A to hold at least 7 elements \(offset 1 \+ 6\), but got a buffer of 6/);
      expect(call({ aOff: -1 })).toThrow(/gemm: expected A offset to be a non-negative integer, but got -1/);
      expect(call({}, new Float32Array(3))).toThrow(/expected C to hold at least 4 elements .* but got a buffer of 3/);
    });

    it('rejects non-Float32Array buffers, non-finite scalars and overlapping C', () => {
      const f64 = new Float64Array(6);
      // Untyped callers (plain JS) can pass anything: call through Reflect to bypass the types.
      expect(() => Reflect.apply(gemm, undefined, [false, false, 2, 2, 3, 1, f64, 0, 3, b, 0, 2, 0, c, 0, 2]))
        .toThrow(/gemm: expected A to be a Float32Array, but got Float64Array/);
      expect(call({ alpha: NaN })).toThrow(/gemm: expected finite alpha and beta, but got alpha=NaN, beta=0/);
      const shared = new Float32Array(12);
      expect(() => gemm(false, false, 2, 2, 3, 1, shared, 0, 3, b, 0, 2, 0, shared, 4, 2))
        .toThrow(/gemm: expected C not to overlap A, but got views sharing memory of one buffer/);
      expect(() => gemm(false, false, 2, 2, 3, 1, a, 0, 3, shared, 0, 2, 0, shared.subarray(5), 0, 2))
        .toThrow(/gemm: expected C not to overlap B, but got views sharing memory/);
      // Disjoint windows of one buffer are fine.
      expect(() => gemm(false, false, 2, 2, 3, 1, shared, 0, 3, b, 0, 2, 0, shared, 6, 2)).not.toThrow();
    });
  });
});
