/**
 * Typed access to test/fixtures/activation_fixtures.json (PyTorch outputs and input gradients
 * made by test/fixtures/make_activation_fixtures.py, float64 from float32 inputs).
 */
import fixtureJson from '../fixtures/activation_fixtures.json';

export interface ActivationFixture {
  name: string;
  op: string;
  params: { slope?: number; alpha?: number; mode?: string; pad_width?: number[]; constant_value?: number; input_dim?: number; output_dim?: number };
  x_shape: number[];
  x: number[];
  /** The head gradient; the stored gradients are Jᵀ·head. */
  head: number[];
  y: number[];
  y_shape?: number[];
  dx?: number[];
  gamma?: number[];
  dgamma?: number[];
  weight?: number[];
  dweight?: number[];
}

const fixtures: { torch: string; erf: { z: number[]; erf: number[]; erfc: number[] }; cases: ActivationFixture[] } = fixtureJson;

/** The cases of one PyTorch op (`leaky_relu`, `prelu`, `pad`, …). */
export function activationFixtures(op: string): ActivationFixture[] {
  const cases = fixtures.cases.filter((c) => c.op === op);
  if (cases.length === 0) throw new Error(`no fixture for ${op}`);
  return cases;
}

/** The C library's erf and erfc at a few points (Python's math module). */
export const erfTable = fixtures.erf;

/** Expects |actual − expected| ≤ tol·max(1, |expected|) elementwise. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what = 'value'): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const bound = tol * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= bound)) {
      throw new Error(`${what} ${i}: got ${actual[i]}, expected ${expected[i]} ± ${bound}`);
    }
  }
}
