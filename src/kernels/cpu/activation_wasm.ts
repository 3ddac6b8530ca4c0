/**
 * MXNet's `Activation` functions on the kernel module (`simd/activation_simd.c`): float64 per
 * value on two-lane vectors, rounded once, split across the thread pool. Arrays that lie in the
 * kernel memory (a cached graph's intermediates) are read and written in place; others pass
 * through the arena in chunks. Where the module is missing or off (TSGLUON_SIMD=0), the
 * JavaScript loops of unary.ts run instead (activation_forward.ts chooses).
 *
 * The module's exp and log1p are its own polynomials, within a few float64 ulps, so a value can
 * differ from the JavaScript loop's in the last float32 bit where the float64 result lies that
 * close to a rounding boundary; for a given runtime every path (a separate node, a fused one, an
 * imperative call) gives the same bits.
 */
import { threadRanges } from './elementwise_wasm';
import { arenaLayout } from './gemm_wasm';
import { GemmSimd, gemmSimd } from './simd/gemm_simd';
import { runParts } from './threads/pool';

/** The act types the module computes, by its codes (activation_simd.c's ACT_*); relu has its own loop. */
const MODULE_CODES = { sigmoid: 1, tanh: 2, softrelu: 3, softsign: 4, log_sigmoid: 5, mish: 6 } as const;

/** An act type the module computes. */
export type ModuleActivation = keyof typeof MODULE_CODES;

/** An act type a kernel can apply to its own output (the cached graph fuses these): relu or one of the module's. */
export type FusedActivation = 'relu' | ModuleActivation;

/** Floats per chunk of an array outside the kernel memory (512 KiB: in cache between copy-in, compute and copy-out). */
const CHUNK_FLOATS = 1 << 17;

/**
 * out = f(x) over whole arrays (out may be x) in the kernel module, when it is loaded; returns
 * whether it ran (false: the caller runs its JavaScript loop).
 */
export function activateInModule(kind: ModuleActivation, x: Float32Array, out: Float32Array): boolean {
  const simd = gemmSimd();
  // A float64 array (another dtype's values, ops/invoke.ts) keeps the JavaScript loop's float64 results.
  if (simd === undefined || !(x instanceof Float32Array && out instanceof Float32Array)) return false;
  const xAt = simd.memory.floatIndex(x), outAt = simd.memory.floatIndex(out);
  if (xAt !== undefined && outAt !== undefined) {
    applyInArena(simd, kind, xAt, outAt, x.length);
    return true;
  }
  const chunk = Math.min(x.length, CHUNK_FLOATS);
  const layout = arenaLayout(simd, [chunk]);
  if (layout === undefined) return false;
  const [at] = layout;
  const floats = simd.memory.floats();
  for (let start = 0; start < x.length; start += chunk) {
    const length = Math.min(chunk, x.length - start);
    floats.set(x.subarray(start, start + length), at);
    applyInArena(simd, kind, at, at, length);
    out.set(floats.subarray(at, at + length), start);
  }
  return true;
}

/**
 * Applies `activation` in place to `length` floats at float index `at` of the kernel memory: a
 * kernel's output still in the arena (a fused activation).
 */
export function activateInArena(simd: GemmSimd, activation: FusedActivation, at: number, length: number): void {
  if (activation === 'relu') (simd.pool.exports.relu_in_place as (x: number, n: number) => void)(at * 4, length);
  else applyInArena(simd, activation, at, at, length);
}

function applyInArena(simd: GemmSimd, kind: ModuleActivation, xAt: number, outAt: number, length: number): void {
  const code = MODULE_CODES[kind];
  // A transcendental value costs ~10 times a copied one: worth splitting from a tenth of the usual size.
  runParts(simd.pool, 'activation_floats', threadRanges(length, 10 * length).map(([begin, end]) => [code, xAt * 4, outAt * 4, begin, end]));
}
