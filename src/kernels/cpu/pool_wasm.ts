/**
 * Channels-first max pooling on the SIMD module (gemm_simd.c's max_pool_first, scalar code that
 * runs ~3× faster than the JavaScript loop nest), its planes split among the threads. The input
 * is copied into the kernel arena once, the output (and argmax) out once; same formulas and
 * tie-breaking as pooling.ts.
 */
import { PARALLEL_MULTIPLY_ADDS, arenaLayout } from './gemm_wasm';
import { PoolWindows } from './pool_geometry';
import { GemmSimd } from './simd/gemm_simd';
import { getNumThreads, runParts, splitRange } from './threads/pool';

/**
 * pooling.ts's channels-first max pooling of `planes` (n, c) planes in the arena; returns false,
 * having done nothing, when they do not fit there.
 */
export function maxPoolFirstWasm(
  simd: GemmSimd, planes: number, windows: PoolWindows, x: Float32Array, xOffset: number,
  out: Float32Array, outOffset: number, argmax: Int32Array | null, argmaxOffset: number,
): boolean {
  const inPlane = windows.inDims[0] * windows.inDims[1] * windows.inDims[2];
  const outPlane = windows.outDims[0] * windows.outDims[1] * windows.outDims[2];
  const tableInts = 2 * (windows.outDims[0] + windows.outDims[1] + windows.outDims[2]);
  const layout = arenaLayout(simd, [6, tableInts, planes * inPlane, planes * outPlane, argmax ? planes * outPlane : 0]);
  if (!layout) return false;
  const [dimsAt, tablesAt, xAt, outAt, argmaxAt] = layout;
  const floats = simd.memory.floats();
  const ints = new Int32Array(floats.buffer);
  ints.set([...windows.inDims, ...windows.outDims], dimsAt);
  let at = tablesAt;
  for (let a = 0; a < 3; a++) {
    ints.set(windows.lo[a], at);
    ints.set(windows.hi[a], at + windows.outDims[a]);
    at += 2 * windows.outDims[a];
  }
  floats.set(x.subarray(xOffset, xOffset + planes * inPlane), xAt);
  const ranges = splitRange(planes, planes * inPlane >= PARALLEL_MULTIPLY_ADDS ? getNumThreads() : 1);
  const parts = ranges.map(([begin, end]) => [xAt * 4, dimsAt * 4, tablesAt * 4, outAt * 4, argmax ? argmaxAt * 4 : 0, begin, end]);
  runParts(simd.pool, 'max_pool_first', parts);
  out.set(floats.subarray(outAt, outAt + planes * outPlane), outOffset);
  if (argmax) argmax.set(ints.subarray(argmaxAt, argmaxAt + planes * outPlane), argmaxOffset);
  return true;
}
