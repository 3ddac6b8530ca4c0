/**
 * Whether this test run has the SIMD modules switched off (`npm run test:js`, which runs the whole
 * suite on the JavaScript loops with TSGLUON_SIMD=0 and one thread): tests that check the SIMD
 * modules themselves skip then, saying so.
 */
export const SIMD_SWITCHED_OFF = process.env.TSGLUON_SIMD === '0';

/** `test`, or `test.skip` when the SIMD modules are switched off. */
export const simdTest = SIMD_SWITCHED_OFF ? test.skip : test;

/** Sets an environment variable for `body` and restores what was there before. */
export function withEnv<T>(name: string, value: string, body: () => T): T {
  const previous = process.env[name];
  process.env[name] = value;
  try {
    return body();
  } finally {
    if (previous === undefined) delete process.env[name];
    else process.env[name] = previous;
  }
}
