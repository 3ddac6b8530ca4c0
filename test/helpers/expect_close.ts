/**
 * |actual − expected| ≤ tolerance·max(1, |expected|) element by element; throws naming `what`,
 * the first failing index and both values (a plain loop: jest's matchers per element are slow
 * for arrays of millions of values).
 */
export function expectCloseElementwise(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string, tolerance: number): void {
  if (actual.length !== expected.length) throw new Error(`${what}: got ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const bound = tolerance * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= bound)) throw new Error(`${what}[${i}]: got ${actual[i]}, expected ${expected[i]} ± ${bound}`);
  }
}
