/**
 * Max pooling on the SIMD module (pool_simd.c's max_pool_first: scalar code ~3× faster than the
 * JavaScript loop nest; max_pool_last: four channels per vector), its planes (channels-first) or
 * images (channels-last) split among the threads. The input is copied into the kernel arena
 * once, the output (and argmax) out once; same formulas and tie-breaking as pooling.ts.
 */
import { PARALLEL_MULTIPLY_ADDS, arenaLayout } from './gemm_wasm';
import { PoolParams, PoolWindows } from './pool_geometry';
import { GemmSimd } from './simd/gemm_simd';
import { getNumThreads, runParts, splitRange } from './threads/pool';

/**
 * pooling.ts's max pooling in the arena; returns false, having done nothing, when the call does
 * not fit there.
 */
export function maxPoolWasm(
  simd: GemmSimd, params: PoolParams, windows: PoolWindows, x: Float32Array, xOffset: number,
  out: Float32Array, outOffset: number, argmax: Int32Array | null, argmaxOffset: number,
): boolean {
  // A unit of work: one (n, c) plane channels-first, one image of C channels channels-last.
  const { batch, channels, channelsLast } = params;
  const [planes, unitChannels] = channelsLast ? [batch, channels] : [batch * channels, 1];
  const inPlane = windows.inDims[0] * windows.inDims[1] * windows.inDims[2] * unitChannels;
  const outPlane = windows.outDims[0] * windows.outDims[1] * windows.outDims[2] * unitChannels;
  const tableInts = 2 * (windows.outDims[0] + windows.outDims[1] + windows.outDims[2]);
  const layout = arenaLayout(simd, [7, tableInts, planes * inPlane, planes * outPlane, argmax ? planes * outPlane : 0]);
  if (!layout) return false;
  const [dimsAt, tablesAt, xAt, outAt, argmaxAt] = layout;
  const floats = simd.memory.floats();
  const ints = new Int32Array(floats.buffer);
  ints.set([...windows.inDims, ...windows.outDims, unitChannels], dimsAt);
  let at = tablesAt;
  for (let a = 0; a < 3; a++) {
    ints.set(windows.lo[a], at);
    ints.set(windows.hi[a], at + windows.outDims[a]);
    at += 2 * windows.outDims[a];
  }
  floats.set(x.subarray(xOffset, xOffset + planes * inPlane), xAt);
  const ranges = splitRange(planes, planes * inPlane >= PARALLEL_MULTIPLY_ADDS ? getNumThreads() : 1);
  const parts = ranges.map(([begin, end]) => [xAt * 4, dimsAt * 4, tablesAt * 4, outAt * 4, argmax ? argmaxAt * 4 : 0, begin, end]);
  runParts(simd.pool, channelsLast ? 'max_pool_last' : 'max_pool_first', parts);
  out.set(floats.subarray(outAt, outAt + planes * outPlane), outOffset);
  if (argmax) argmax.set(ints.subarray(argmaxAt, argmaxAt + planes * outPlane), argmaxOffset);
  return true;
}
