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

/** Modules compiled ahead by {@link precompileModules}, by source. */
const precompiled = new Map<string, WebAssembly.Module | null>();
/** How many times {@link precompileModules} has completed. */
let precompiles = 0;

/**
 * A module's loader that instantiates it on first use (`instantiate` returns null where it is
 * unavailable) and returns undefined while SIMD is switched off. An unavailable module is tried
 * again after {@link precompileModules}: a browser's main thread may refuse a synchronous compile
 * that `ready()` then makes asynchronously.
 *
 * @example export const normSimd = lazyModule(() => { const m = compileModule(SOURCE); return m && wrap(m); });
 */
export function lazyModule<T>(instantiate: () => T | null): () => T | undefined {
  let loaded: T | null | undefined;
  let triedAt = -1;
  return () => {
    if (!enabled) return undefined;
    if (loaded === undefined || (loaded === null && triedAt !== precompiles)) {
      triedAt = precompiles;
      loaded = instantiate();
    }
    return loaded ?? undefined;
  };
}

/**
 * Compiles a committed module synchronously (or takes the one {@link precompileModules} made),
 * or returns null where the runtime refuses it (no WebAssembly, no SIMD or relaxed SIMD, or a
 * browser's main-thread limit on synchronous compiles).
 */
export function compileModule(base64: string): WebAssembly.Module | null {
  const ready = precompiled.get(base64);
  if (ready !== undefined) return ready;
  try {
    return new WebAssembly.Module(decodeBase64(base64));
  } catch {
    return null;
  }
}

/**
 * Compiles modules asynchronously, as browsers require on their main thread for all but tiny
 * modules; {@link compileModule} then returns them without compiling again.
 */
export async function precompileModules(sources: readonly string[]): Promise<void> {
  await Promise.all(sources.map(async (base64) => {
    if (precompiled.has(base64)) return;
    try {
      precompiled.set(base64, await WebAssembly.compile(decodeBase64(base64)));
    } catch {
      precompiled.set(base64, null);
    }
  }));
  precompiles++;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = typeof Buffer !== 'undefined' ? Buffer.from(text, 'base64').toString('latin1') : atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
