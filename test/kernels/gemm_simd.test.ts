/**
 * The WebAssembly SIMD GEMM (gemm_wasm.ts over simd/gemm_simd.c) against a float64 triple loop,
 * within the error bound gemm.ts states: |C − C₆₄| ≤ (min(K, 256) + ⌈K/256⌉ + 2) · 2⁻²⁴ ·
 * (Σ_p |alpha·a·b| + |beta·c|), on shapes that cross every blocking boundary (MR = 4, NR = 8,
 * MC = 128, KC = 256, NC = 1024), with cancellation; and results that are bit for bit the same
 * whatever the thread count and however the product is split into jobs.
 */
import { gemm } from '../../src/kernels/cpu/gemm';
import { setGemmJobFloats } from '../../src/kernels/cpu/gemm_wasm';
import { gemmSimd } from '../../src/kernels/cpu/simd/gemm_simd';
import { getNumThreads, readyThreads, setNumThreads, workersReady } from '../../src/kernels/cpu/threads/pool';
import { makeRng, naiveGemm, randomArray, sameBits, worstError } from '../helpers/naive_dense';
import { productErrorFactor } from '../helpers/naive_ops';
import { simdTest } from '../helpers/simd_mode';


interface Product { transA: boolean; transB: boolean; m: number; n: number; k: number; alpha: number; beta: number; a: Float32Array; b: Float32Array; c: Float32Array }

function product(m: number, n: number, k: number, transA: boolean, transB: boolean, seed: number, alpha = 1, beta = 0): Product {
  const rng = makeRng(seed);
  return { transA, transB, m, n, k, alpha, beta, a: randomArray(m * k, rng), b: randomArray(k * n, rng), c: randomArray(m * n, rng) };
}

/** Runs gemm on a copy of C (operands stored compactly) and returns it. */
function run(p: Product): Float32Array {
  const c = p.c.slice();
  gemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, 0, p.transA ? p.m : p.k, p.b, 0, p.transB ? p.k : p.n, p.beta, c, 0, p.n);
  return c;
}

function reference(p: Product) {
  return naiveGemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, p.a, 0, p.transA ? p.m : p.k, p.b, 0, p.transB ? p.k : p.n, p.beta, p.c, 0, p.n);
}

const simd = gemmSimd();

simdTest('WebAssembly SIMD is available in this Node', () => {
  expect(simd).toBeDefined();
});

(simd ? describe : describe.skip)('SIMD gemm', () => {
  const threads = getNumThreads();
  afterAll(() => setNumThreads(threads));

  it.each([
    [5, 3, 7], [4, 8, 1], [129, 9, 257], [3, 1031, 300], [131, 1033, 513], [1, 300, 700], [300, 1, 40], [17, 2050, 20],
  ])('is within the stated bound for %i×%i×%i, every transpose', (m, n, k) => {
    for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]]) {
      const p = product(m, n, k, transA, transB, m * 7 + n + k, 0.75, 0.5);
      expect(worstError(run(p), reference(p), productErrorFactor(k))).toBeLessThanOrEqual(1);
    }
  });

  it('keeps cancellation within the bound: rows of +x, −x pairs sum to about zero', () => {
    const m = 8, n = 16, k = 1024;
    const p = product(m, n, k, false, false, 3);
    for (let i = 0; i < m; i++) {
      for (let q = 0; q < k; q += 2) { p.a[i * k + q] = 1e3 * (q + 1); p.a[i * k + q + 1] = -1e3 * (q + 1); }
    }
    for (let q = 0; q < k; q += 2) for (let j = 0; j < n; j++) p.b[(q + 1) * n + j] = p.b[q * n + j] * (1 + 2 ** -20);
    const got = run(p);
    expect(worstError(got, reference(p), productErrorFactor(k))).toBeLessThanOrEqual(1);
  });

  it('gives the same bits on 1, 2 and 3 threads, once the workers are up', async () => {
    const p = product(150, 260, 300, false, true, 11, 1, 1);
    setNumThreads(1);
    const one = run(p);
    for (const count of [2, 3]) {
      setNumThreads(count);
      run(p); // starts the workers
      await workersReady();
      expect(readyThreads()).toBe(count);
      expect(sameBits(run(p), one)).toBe(true);
    }
  });

  it('gives the same bits when a product is split into jobs over rows, columns and K', () => {
    for (const [transA, transB] of [[false, false], [true, true]]) {
      const p = product(70, 90, 800, transA, transB, 5, 1.5, -1);
      const whole = run(p);
      const previous = setGemmJobFloats(20000);
      try {
        expect(sameBits(run(p), whole)).toBe(true);
      } finally {
        setGemmJobFloats(previous);
      }
    }
  });

  it('overwrites C when beta = 0 (NaNs there do not leak) and leaves the operands alone', () => {
    const p = product(33, 40, 50, false, false, 9);
    p.c.fill(NaN);
    const [a0, b0] = [p.a.slice(), p.b.slice()];
    const got = run(p);
    expect(got.every(Number.isFinite)).toBe(true);
    expect(sameBits(p.a, a0) && sameBits(p.b, b0)).toBe(true);
  });
});
