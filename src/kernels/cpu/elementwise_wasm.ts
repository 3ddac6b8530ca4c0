/**
 * The work between layers on arrays that already lie in the kernel memory — a cached graph's
 * intermediates (threads/arena.ts) — run by the kernel module (`simd/elementwise_simd.c`) in
 * place, split across the thread pool: elementwise addition (a residual block's `x + f(x)`) and
 * nearest upsampling. Each returns false, having done nothing, when an array lies elsewhere or
 * the SIMD module is off; the caller then runs its JavaScript loop, which gives the same values
 * (a float32 sum is rounded once either way; upsampling only copies).
 */
import type { Values } from './binary';
import { GemmSimd, gemmSimd } from './simd/gemm_simd';
import type { UpsampleGeometry } from './upsampling';
import { runParts, threadRanges } from './threads/pool';

/**
 * The kernel module and the byte address of each `[array, offset]` in the kernel memory, when
 * every one of them lies there; else undefined.
 */
export function inKernelMemory(arrays: readonly (readonly [Values, number])[]): { simd: GemmSimd; addresses: number[] } | undefined {
  const simd = gemmSimd();
  if (simd === undefined) return undefined;
  const addresses: number[] = [];
  for (const [array, offset] of arrays) {
    const at = array instanceof Float32Array ? simd.memory.floatIndex(array, offset) : undefined;
    if (at === undefined) return undefined;
    addresses.push(at * 4);
  }
  return { simd, addresses };
}

/**
 * out[i] = a[i] + b[i] for i < n in the kernel module, when all three lie in the kernel memory
 * (out may be a or b). Returns whether it ran.
 */
export function addInKernelMemory(a: Values, b: Values, out: Values, n: number): boolean {
  const found = inKernelMemory([[a, 0], [b, 0], [out, 0]]);
  if (found === undefined) return false;
  const [aAt, bAt, outAt] = found.addresses;
  runParts(found.simd.pool, 'add_floats', threadRanges(n, n).map(([begin, end]) => [aAt, bAt, outAt, begin, end]));
  return true;
}

/**
 * upsampling.ts's `upsampleNearest` (overwriting dst) in the kernel module, its input rows split
 * across the pool, when src and dst lie in the kernel memory. Returns whether it ran.
 */
export function upsampleInKernelMemory(g: UpsampleGeometry, src: Float32Array, srcOffset: number, dst: Float32Array, dstOffset: number): boolean {
  const found = inKernelMemory([[src, srcOffset], [dst, dstOffset]]);
  if (found === undefined) return false;
  const [srcAt, dstAt] = found.addresses;
  const rows = g.planes * g.height;
  const ranges = threadRanges(rows, rows * g.width * g.scale * g.scale);
  runParts(found.simd.pool, 'upsample_nearest_rows', ranges.map(([begin, end]) => [srcAt, dstAt, g.width, g.scale, begin, end]));
  return true;
}
