/**
 * Naive float64 references for the initializer and random tests, written with nested loops and
 * index arithmetic, independently of src/.
 */

/** Mean and biased variance of `values`, two-pass in float64. */
export function moments(values: ArrayLike<number>): { mean: number; variance: number } {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  const mean = sum / values.length;
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) * (values[i] - mean);
  return { mean, variance: squares / values.length };
}

/**
 * The Gram matrix of a row-major rows × cols matrix: of its rows (W·Wᵀ, rows × rows) or of its
 * columns (Wᵀ·W, cols × cols), as nested float64 arrays.
 */
export function gram(w: ArrayLike<number>, rows: number, cols: number, of: 'rows' | 'cols'): number[][] {
  const n = of === 'rows' ? rows : cols;
  const inner = of === 'rows' ? cols : rows;
  const at = (vector: number, k: number): number => (of === 'rows' ? w[vector * cols + k] : w[k * cols + vector]);
  const out: number[][] = [];
  for (let i = 0; i < n; i++) {
    const row: number[] = [];
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += at(i, k) * at(j, k);
      row.push(sum);
    }
    out.push(row);
  }
  return out;
}

/** The largest |G − c·I| entry. */
export function maxDeviationFromScaledIdentity(g: number[][], c: number): number {
  let worst = 0;
  for (let i = 0; i < g.length; i++) {
    for (let j = 0; j < g.length; j++) worst = Math.max(worst, Math.abs(g[i][j] - (i === j ? c : 0)));
  }
  return worst;
}

/** U (m × k) · diag(s) · Vᵀ (k × n) as a row-major m × n Float64Array, by the triple loop. */
export function multiplySvd(u: ArrayLike<number>, s: ArrayLike<number>, vt: ArrayLike<number>, m: number, n: number): Float64Array {
  const k = s.length;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0;
      for (let r = 0; r < k; r++) sum += u[i * k + r] * s[r] * vt[r * n + j];
      out[i * n + j] = sum;
    }
  }
  return out;
}

/** A deterministic pseudo-random matrix (a linear congruential sequence), independent of src/random. */
export function lcgMatrix(length: number, seed: number): Float64Array {
  const out = new Float64Array(length);
  let state = seed >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** Largest absolute elementwise difference. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}
