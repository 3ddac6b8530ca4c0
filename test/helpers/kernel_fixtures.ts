/**
 * Typed access to test/fixtures/kernel_fixtures.json (PyTorch outputs made by
 * test/fixtures/make_kernel_fixtures.py). Tensors are channels-first, row-major.
 */
import fixtureJson from '../fixtures/kernel_fixtures.json';

export interface FixtureParams {
  stride: number | number[];
  padding: number | number[];
  dilation?: number | number[];
  groups?: number;
  output_padding?: number[];
  kernel_size?: number[];
  ceil_mode?: boolean;
  count_include_pad?: boolean;
}

export interface FixtureCase {
  name: string;
  op: string;
  x_shape: number[];
  w_shape?: number[];
  x: number[];
  w?: number[];
  b?: number[] | null;
  params: FixtureParams;
  y_shape: number[];
  y: number[];
}

const fixtures: { torch: string; cases: FixtureCase[] } = fixtureJson;

export function fixtureCases(prefix: string): FixtureCase[] {
  return fixtures.cases.filter((c) => c.op.startsWith(prefix));
}

/** A scalar-or-list PyTorch argument as one value per spatial dimension. */
export function perDim(value: number | number[] | undefined, rank: number, fallback: number): number[] {
  if (value === undefined) return new Array<number>(rank).fill(fallback);
  return Array.isArray(value) ? value : new Array<number>(rank).fill(value);
}
