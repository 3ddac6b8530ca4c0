/**
 * MXNet's `Activation` functions and their gradients on the kernel module
 * (`simd/activation_simd.c`): float64 per value on two-lane vectors, rounded once, split across
 * the thread pool. Arrays that lie in the
 * kernel memory (a cached graph's intermediates) are read and written in place; others pass
 * through the arena in chunks. Where the module is missing or off (TSGLUON_SIMD=0), the
 * JavaScript loops of unary.ts run instead (activation_forward.ts chooses).
 *
 * The module's exp and log1p are its own polynomials, within a few float64 ulps, so a value can
 * differ from the JavaScript loop's in the last float32 bit where the float64 result lies that
 * close to a rounding boundary; for a given runtime every path (a separate node, a fused one, an
 * imperative call) gives the same bits.
 */
import { arenaLayout } from './gemm_wasm';
import { GemmSimd, gemmSimd } from './simd/gemm_simd';
import { runParts, threadRanges } from './threads/pool';

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
  return inModule('activation_floats', kind, [x], out);
}

/**
 * dx = dy·f'(x) over whole arrays (dx may be x or dy) in the kernel module, with activation.ts's
 * formulas, when it is loaded; returns whether it ran.
 */
export function activationGradientInModule(kind: ModuleActivation, x: Float32Array, dy: Float32Array, dx: Float32Array): boolean {
  return inModule('activation_gradient_floats', kind, [x, dy], dx);
}

/**
 * Runs `fn(code, ...inputs, out, begin, end)` over whole arrays: in place when all of them lie in
 * the kernel memory, else through the arena a chunk at a time.
 */
function inModule(fn: string, kind: ModuleActivation, inputs: readonly Float32Array[], out: Float32Array): boolean {
  const simd = gemmSimd();
  // A float64 array (another dtype's values, ops/invoke.ts) keeps the JavaScript loop's float64 results.
  if (simd === undefined || ![...inputs, out].every((x) => x instanceof Float32Array)) return false;
  const inPlace = [...inputs, out].map((x) => simd.memory.floatIndex(x));
  const length = out.length;
  if (inPlace.every((at) => at !== undefined)) {
    applyInArena(simd, fn, kind, inPlace as number[], length);
    return true;
  }
  const chunk = Math.min(length, CHUNK_FLOATS);
  const layout = arenaLayout(simd, inputs.map(() => chunk));
  if (layout === undefined) return false;
  const floats = simd.memory.floats();
  for (let start = 0; start < length; start += chunk) {
    const size = Math.min(chunk, length - start);
    inputs.forEach((x, i) => floats.set(x.subarray(start, start + size), layout[i]));
    // The result overwrites the first input's chunk, which every loop reads before it writes.
    applyInArena(simd, fn, kind, [...layout, layout[0]], size);
    out.set(floats.subarray(layout[0], layout[0] + size), start);
  }
  return true;
}

/**
 * Applies `activation` in place to `length` floats at float index `at` of the kernel memory: a
 * kernel's output still in the arena (a fused activation).
 */
export function activateInArena(simd: GemmSimd, activation: FusedActivation, at: number, length: number): void {
  if (activation === 'relu') (simd.pool.exports.relu_in_place as (x: number, n: number) => void)(at * 4, length);
  else applyInArena(simd, 'activation_floats', activation, [at, at], length);
}

/** `fn` over [0, length) of the float indices `at` (the inputs, then the output), split across the pool. */
function applyInArena(simd: GemmSimd, fn: string, kind: ModuleActivation, at: readonly number[], length: number): void {
  const addresses = at.map((index) => index * 4);
  // A transcendental value costs ~10 times a copied one: worth splitting from a tenth of the usual size.
  runParts(simd.pool, fn, threadRanges(length, 10 * length).map(([begin, end]) => [MODULE_CODES[kind], ...addresses, begin, end]));
}
