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
 * A committed module as it is to be compiled: its base64, and whether its shared memory import is
 * to become an unshared one (a runtime without SharedArrayBuffer; see {@link withUnsharedMemory}).
 */
export interface ModuleSource {
  readonly base64: string;
  readonly unsharedMemory?: boolean;
}

/**
 * Compiles a committed module synchronously (or takes the one {@link precompileModules} made),
 * or returns null where the runtime refuses it (no WebAssembly, no SIMD or relaxed SIMD, or a
 * browser's main-thread limit on synchronous compiles).
 */
export function compileModule(source: string | ModuleSource): WebAssembly.Module | null {
  const ready = precompiled.get(cacheKey(source));
  if (ready !== undefined) return ready;
  try {
    return new WebAssembly.Module(moduleBytes(source));
  } catch {
    return null;
  }
}

/**
 * Compiles modules asynchronously, as browsers require on their main thread for all but tiny
 * modules; {@link compileModule} then returns them without compiling again.
 */
export async function precompileModules(sources: readonly (string | ModuleSource)[]): Promise<void> {
  await Promise.all(sources.map(async (source) => {
    const key = cacheKey(source);
    if (precompiled.has(key)) return;
    try {
      precompiled.set(key, await WebAssembly.compile(moduleBytes(source)));
    } catch {
      precompiled.set(key, null);
    }
  }));
  precompiles++;
}

function cacheKey(source: string | ModuleSource): string {
  return typeof source === 'string' ? source : `${source.unsharedMemory ? 'unshared ' : ''}${source.base64}`;
}

function moduleBytes(source: string | ModuleSource): Uint8Array<ArrayBuffer> {
  if (typeof source === 'string') return decodeBase64(source);
  const bytes = decodeBase64(source.base64);
  return source.unsharedMemory ? withUnsharedMemory(bytes) : bytes;
}

/**
 * The module's bytes with every shared memory import turned into an unshared one of the same
 * limits: the limits flags byte 0x03 (maximum, shared) becomes 0x01 (maximum). The kernel modules
 * are built once, for a shared memory (scripts/build_simd.js); this is the only byte in which an
 * unshared build differs. Every import of these modules is a memory (others are refused).
 *
 * Binary format: after the 8-byte header, sections of (id, LEB128 size, body); the import section
 * (id 2) is a count and entries of (module name, field name, kind, description), names being
 * (LEB128 length, bytes) and a memory's description its limits (flags, initial[, maximum]).
 */
export function withUnsharedMemory(bytes: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const out = bytes.slice();
  let at = 8;
  const leb = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = out[at++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (at < out.length) {
    const id = out[at++];
    const size = leb();
    const end = at + size;
    if (id === 2) {
      for (let count = leb(); count > 0; count--) {
        for (let name = 0; name < 2; name++) {
          const length = leb(); // the module name, then the field name
          at += length;
        }
        if (out[at++] !== 2) throw new Error('wasm_loader: a kernel module imports something other than a memory');
        const flags = out[at];
        if (flags === 0x03) out[at] = 0x01;
        at++;
        leb(); // initial
        if (flags & 1) leb(); // maximum
      }
    }
    at = end;
  }
  return out;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = typeof Buffer !== 'undefined' ? Buffer.from(text, 'base64').toString('latin1') : atob(text);
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}
