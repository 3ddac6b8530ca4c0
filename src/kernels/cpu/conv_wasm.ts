/**
 * Convolution forward on the WebAssembly SIMD module: im2col in the module (simd/gemm_simd.c)
 * straight into the kernel arena and the GEMM on it there, so the column matrix never crosses
 * into JavaScript. Per batch item, the image is copied in once and the output (bias first) out
 * once; the weight once per call. The same formulas and column layouts as conv.ts's JavaScript
 * path (im2col.ts), for both data layouts, every group, stride, padding and dilation.
 */
import { ConvPlan, fillBias } from './conv_geometry';
import { ArenaMatrix, arenaDataStart, gemmArenaViews } from './gemm_wasm';
import { GemmSimd } from './simd/gemm_simd';
import { MAX_ARENA_BYTES } from './threads/arena';

/** Floats of one column-matrix chunk in the arena (16 MiB). */
const COLUMN_FLOATS = 4 * 1024 * 1024;
/** Ints of the geometry block passed to im2col: six triples. */
const GEOMETRY_INTS = 18;

/**
 * Runs conv.ts's `convPass` for a convolution (not transposed, not depthwise) in the arena;
 * returns false, having done nothing, when the call's buffers do not fit there (the JavaScript
 * path then runs).
 */
export function convForwardWasm(
  simd: GemmSimd, plan: ConvPlan,
  x: Float32Array, xOffset: number, weight: Float32Array, weightOffset: number,
  bias: Float32Array | null, biasOffset: number, out: Float32Array, outOffset: number,
): boolean {
  const imageFloats = plan.imageChannels * plan.imageSize;
  const outFloats = plan.gridChannels * plan.gridSize;
  const rows = plan.imageGroupChannels * plan.taps;
  const chunk = plan.pointwise ? plan.gridSize : Math.max(1, Math.min(plan.gridSize, Math.floor(COLUMN_FLOATS / rows)));
  // Layout (float indices): geometry, weight, image, output, column chunk.
  const geometryAt = arenaDataStart(simd) / 4;
  const weightAt = geometryAt + GEOMETRY_INTS;
  const imageAt = weightAt + plan.weightLength;
  const outAt = imageAt + imageFloats;
  const columnAt = outAt + outFloats;
  const end = (columnAt + (plan.pointwise ? 0 : rows * chunk)) * 4;
  if (end > MAX_ARENA_BYTES) return false;
  const memory = simd.memory;
  memory.ensure(end);
  const floats = memory.floats();
  writeGeometry(new Int32Array(floats.buffer, geometryAt * 4, GEOMETRY_INTS), plan);
  floats.set(weight.subarray(weightOffset, weightOffset + plan.weightLength), weightAt);
  const im2col = simd.pool.exports.im2col as (...args: number[]) => void;
  const coutG = plan.gridGroupChannels;
  for (let n = 0; n < plan.batch; n++) {
    floats.set(x.subarray(xOffset + n * imageFloats, xOffset + (n + 1) * imageFloats), imageAt);
    fillBias(plan.channelsLast, plan.gridChannels, plan.gridSize, bias, biasOffset, floats, outAt);
    for (let g = 0; g < plan.groups; g++) {
      const w: ArenaMatrix = { at: weightAt + g * coutG * rows, ld: rows, transposed: false };
      for (let p0 = 0; p0 < plan.gridSize; p0 += chunk) {
        const p1 = Math.min(plan.gridSize, p0 + chunk);
        let columns: ArenaMatrix;
        if (plan.pointwise) {
          columns = sideView(plan, 'image', imageAt, g * plan.imageGroupChannels, p0);
        } else {
          im2col(imageAt * 4, geometryAt * 4, +plan.channelsLast, plan.imageChannels, g * plan.imageGroupChannels, plan.imageGroupChannels, p0, p1, columnAt * 4);
          columns = plan.channelsLast ? { at: columnAt, ld: rows, transposed: true } : { at: columnAt, ld: p1 - p0, transposed: false };
        }
        gemmArenaViews(simd, coutG, p1 - p0, rows, 1, w, columns, 1, sideView(plan, 'grid', outAt, g * coutG, p0));
      }
    }
    out.set(floats.subarray(outAt, outAt + outFloats), outOffset + n * outFloats);
  }
  return true;
}

/** conv_geometry.ts's planView on the arena: channels [channel0, …) of one side from grid position p0. */
function sideView(plan: ConvPlan, side: 'image' | 'grid', at: number, channel0: number, p0: number): ArenaMatrix {
  const channels = side === 'image' ? plan.imageChannels : plan.gridChannels;
  const size = side === 'image' ? plan.imageSize : plan.gridSize;
  return plan.channelsLast
    ? { at: at + p0 * channels + channel0, ld: channels, transposed: true }
    : { at: at + channel0 * size + p0, ld: size, transposed: false };
}

function writeGeometry(block: Int32Array, plan: ConvPlan): void {
  const { image, grid, kernel, stride, padding, dilation } = plan.geometry;
  [image, grid, kernel, stride, padding, dilation].forEach((triple, i) => block.set(triple, 3 * i));
}
