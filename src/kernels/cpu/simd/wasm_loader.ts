/**
 * What every WebAssembly SIMD module of the kernels shares: the switch that turns them all off
 * (`TSGLUON_SIMD=0`, or {@link setSimdEnabled} in tests and benchmarks) and synchronous
 * compilation of a committed base64 module.
 */

let enabled = !(typeof process !== 'undefined' && process.env?.TSGLUON_SIMD === '0');

/** Whether the SIMD modules may be used (they may still be unavailable in this runtime). */
export function simdEnabled(): boolean {
  return enabled;
}

/**
 * Switches every SIMD module on or off for this process (tests run the kernels both ways) and
 * returns the previous setting. Switching on has no effect where WebAssembly SIMD is missing.
 *
 * @example const previous = setSimdEnabled(false); try { … } finally { setSimdEnabled(previous); }
 */
export function setSimdEnabled(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}

/**
 * Compiles a committed module synchronously, or returns null where the runtime refuses it (no
 * WebAssembly, no SIMD or relaxed SIMD, or a browser's main-thread limit on synchronous compiles).
 */
export function compileModule(base64: string): WebAssembly.Module | null {
  try {
    return new WebAssembly.Module(decodeBase64(base64));
  } catch {
    return null;
  }
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = typeof Buffer !== 'undefined' ? Buffer.from(text, 'base64').toString('latin1') : atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
