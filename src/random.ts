/**
 * The `random` namespace: the one seeded generator behind every random initializer,
 * `nd.random.*` and (later) Dropout, as `mxnet.random`.
 *
 * The stream comes from seedrandom's Alea generator (pure JavaScript double arithmetic), so a
 * given seed yields the same values on every platform and in every browser. Alea is used rather
 * than seedrandom's default ARC4 because it is about four times faster per draw and has 53-bit
 * doubles through `.double()`.
 *
 * Default seed: the generator starts seeded with `DEFAULT_SEED` (0), so a program that never
 * calls `random.seed` still gets the same initial weights on every run. This is what MXNet
 * itself does (its resource manager starts from global seed 0) and what PyTorch does; call
 * `random.seed(n)` to choose another stream.
 *
 * @example
 * import { random, nd } from 'tsgluon';
 * random.seed(42);
 * const a = nd.random.uniform(0, 1, [3]);
 * random.seed(42);
 * const b = nd.random.uniform(0, 1, [3]); // same values as `a`
 */
import seedrandom from 'seedrandom';
import { describeValue } from './core/checks';
import { GluonError } from './core/errors';

/** The seed the generator starts from before any `random.seed` call (MXNet's default). */
export const DEFAULT_SEED = 0;

let generator: seedrandom.PRNG = seedrandom.alea(String(DEFAULT_SEED));
/** Box–Muller makes normals in pairs; the second of a pair waits here for the next call. */
let spareNormal: number | null = null;

/**
 * Re-seeds the global generator. Every later random value (initializers, `nd.random`, Dropout)
 * is a function of `n` alone, identical on every platform.
 *
 * @param n an integer seed (as `mx.random.seed(seed_state)`).
 * @example
 * random.seed(128);
 */
export function seed(n: number): void {
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new GluonError(`random.seed: expected an integer seed, but got ${describeValue(n)}`);
  }
  generator = seedrandom.alea(String(n));
  spareNormal = null;
}

/**
 * @internal A uniform float64 in [0, 1) with 53 random bits, from the global generator.
 */
export function uniform01(): number {
  return generator.double();
}

/**
 * @internal A standard normal N(0, 1) float64 from the global generator (Box–Muller transform:
 * r = sqrt(-2 ln u1), θ = 2π u2 gives the independent pair r·cos θ, r·sin θ).
 */
export function normal01(): number {
  if (spareNormal !== null) {
    const value = spareNormal;
    spareNormal = null;
    return value;
  }
  // 1 - u lies in (0, 1], so the logarithm is finite.
  const radius = Math.sqrt(-2 * Math.log(1 - generator.double()));
  const angle = 2 * Math.PI * generator.double();
  spareNormal = radius * Math.sin(angle);
  return radius * Math.cos(angle);
}

/**
 * @internal Fills `out` with draws from U(low, high): `low + (high - low) · u`, u in [0, 1).
 * The caller validates the bounds.
 */
export function fillUniform(out: Float32Array | Float64Array, low: number, high: number): void {
  const range = high - low;
  for (let i = 0; i < out.length; i++) out[i] = low + range * generator.double();
}

/**
 * @internal Fills `out` with draws from N(loc, scale²): `loc + scale · z`, z standard normal.
 * The caller validates the parameters.
 */
export function fillNormal(out: Float32Array | Float64Array, loc: number, scale: number): void {
  for (let i = 0; i < out.length; i++) out[i] = loc + scale * normal01();
}
