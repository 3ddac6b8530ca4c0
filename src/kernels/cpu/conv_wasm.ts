/**
 * Convolution forward on the WebAssembly SIMD module, in the kernel arena: channels-first, the
 * GEMM packs its panels straight from the image (implicit GEMM: no column matrix at all);
 * channels-last, im2col in the module (simd/gemm_simd.c) writes the column matrix into the arena
 * and the GEMM reads it there, so it never crosses into JavaScript. Per batch item, the image is copied in once and the output (bias first) out
 * once; the weight once per call. The same formulas and column layouts as conv.ts's JavaScript
 * path (im2col.ts), for both data layouts, every group, stride, padding and dilation.
 */
import { ConvPlan, fillBias, planView } from './conv_geometry';
import { ArenaMatrix, PARALLEL_MULTIPLY_ADDS, arenaDataStart, gemmArenaViews, gemmInArena, roundUp } from './gemm_wasm';
import { getNumThreads, runParts } from './threads/pool';
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
  // Channels-first patches are packed straight from the image; channels-last ones go through a
  // column matrix, in chunks of grid positions.
  const implicit = !plan.channelsLast && !plan.pointwise;
  const direct = implicit && directApplies(plan);
  const chunk = plan.pointwise || implicit ? plan.gridSize : Math.max(1, Math.min(plan.gridSize, Math.floor(COLUMN_FLOATS / rows)));
  // Layout (float indices): geometry, weight, image, output, column chunk.
  const geometryAt = arenaDataStart(simd) / 4;
  const weightAt = geometryAt + GEOMETRY_INTS;
  const imageAt = weightAt + plan.weightLength;
  const outAt = imageAt + imageFloats;
  const columnAt = outAt + outFloats;
  const packedAt = columnAt + (plan.pointwise || implicit ? 0 : rows * chunk);
  const end = (packedAt + (direct ? plan.groups * roundUp(plan.gridGroupChannels, 4) * rows : 0) + 8) * 4;
  if (end > MAX_ARENA_BYTES) return false;
  const memory = simd.memory;
  memory.ensure(end);
  const floats = memory.floats();
  writeGeometry(new Int32Array(floats.buffer, geometryAt * 4, GEOMETRY_INTS), plan);
  floats.set(weight.subarray(weightOffset, weightOffset + plan.weightLength), weightAt);
  if (direct) packDirectWeights(plan, floats, weightAt, packedAt);
  const coutG = plan.gridGroupChannels;
  for (let n = 0; n < plan.batch; n++) {
    floats.set(x.subarray(xOffset + n * imageFloats, xOffset + (n + 1) * imageFloats), imageAt);
    fillBias(plan.channelsLast, plan.gridChannels, plan.gridSize, bias, biasOffset, floats, outAt);
    for (let g = 0; g < plan.groups; g++) {
      const w: ArenaMatrix = { offset: weightAt + g * coutG * rows, ld: rows, transposed: false };
      if (direct) {
        convDirect(simd, plan, imageAt, geometryAt, g, packedAt + g * roundUp(coutG, 4) * rows, outAt + g * coutG * plan.gridSize);
        continue;
      }
      if (implicit) {
        const channelStart = g * plan.imageGroupChannels;
        gemmInArena(simd, false, false, coutG, plan.gridSize, rows, 1, w.offset, rows, imageAt, 0, 1,
          outAt + g * coutG * plan.gridSize, plan.gridSize, { geometryAt, channelStart });
        continue;
      }
      for (let p0 = 0; p0 < plan.gridSize; p0 += chunk) {
        const p1 = Math.min(plan.gridSize, p0 + chunk);
        const columns = patchColumnsInArena(simd, plan, imageAt, geometryAt, g, p0, p1, columnAt);
        gemmArenaViews(simd, coutG, p1 - p0, rows, 1, w, columns, 1, planView(plan, 'grid', floats, outAt, g * coutG, p0));
      }
    }
    out.set(floats.subarray(outAt, outAt + outFloats), outOffset + n * outFloats);
  }
  return true;
}

/**
 * conv_backward.ts's weight gradient in the arena: dW_g += dY_g · colᵀ per batch item, group and
 * chunk of grid positions, col = im2col of the image side (`image`) and dY the grid side
 * (`grid`), accumulated in the arena in that order. Returns false, having done nothing, when the
 * buffers do not fit there.
 */
export function weightGradientWasm(
  simd: GemmSimd, plan: ConvPlan, image: Float32Array, imageOffset: number, grid: Float32Array, gridOffset: number,
  dW: Float32Array, dWOffset: number,
): boolean {
  const imageFloats = plan.imageChannels * plan.imageSize;
  const gridFloats = plan.gridChannels * plan.gridSize;
  const rows = plan.imageGroupChannels * plan.taps;
  const chunk = plan.pointwise ? plan.gridSize : Math.max(1, Math.min(plan.gridSize, Math.floor(COLUMN_FLOATS / rows)));
  // Layout (float indices): geometry, dW, image, grid, column chunk.
  const geometryAt = arenaDataStart(simd) / 4;
  const dWAt = geometryAt + GEOMETRY_INTS;
  const imageAt = dWAt + plan.weightLength;
  const gridAt = imageAt + imageFloats;
  const columnAt = gridAt + gridFloats;
  const end = (columnAt + (plan.pointwise ? 0 : rows * chunk)) * 4;
  if (end > MAX_ARENA_BYTES) return false;
  simd.memory.ensure(end);
  const floats = simd.memory.floats();
  writeGeometry(new Int32Array(floats.buffer, geometryAt * 4, GEOMETRY_INTS), plan);
  floats.fill(0, dWAt, dWAt + plan.weightLength);
  const coutG = plan.gridGroupChannels;
  for (let n = 0; n < plan.batch; n++) {
    floats.set(image.subarray(imageOffset + n * imageFloats, imageOffset + (n + 1) * imageFloats), imageAt);
    floats.set(grid.subarray(gridOffset + n * gridFloats, gridOffset + (n + 1) * gridFloats), gridAt);
    for (let g = 0; g < plan.groups; g++) {
      const dWg: ArenaMatrix = { offset: dWAt + g * coutG * rows, ld: rows, transposed: false };
      for (let p0 = 0; p0 < plan.gridSize; p0 += chunk) {
        const p1 = Math.min(plan.gridSize, p0 + chunk);
        const columns = patchColumnsInArena(simd, plan, imageAt, geometryAt, g, p0, p1, columnAt);
        const dy = planView(plan, 'grid', floats, gridAt, g * coutG, p0);
        gemmArenaViews(simd, coutG, rows, p1 - p0, 1, dy, { ...columns, transposed: !columns.transposed }, 1, dWg);
      }
    }
  }
  dW.set(floats.subarray(dWAt, dWAt + plan.weightLength), dWOffset);
  return true;
}

/**
 * im2col.ts's patchColumns in the arena: group g's column matrix over grid positions [p0, p1),
 * written at `columnAt` by the module's im2col (a pointwise plan's image is its own).
 */
function patchColumnsInArena(
  simd: GemmSimd, plan: ConvPlan, imageAt: number, geometryAt: number, g: number, p0: number, p1: number, columnAt: number,
): ArenaMatrix {
  if (plan.pointwise) return planView(plan, 'image', simd.memory.floats(), imageAt, g * plan.imageGroupChannels, p0);
  const im2col = simd.pool.exports.im2col as (...args: number[]) => void;
  im2col(imageAt * 4, geometryAt * 4, +plan.channelsLast, plan.imageChannels, g * plan.imageGroupChannels, plan.imageGroupChannels, p0, p1, columnAt * 4);
  const rows = plan.imageGroupChannels * plan.taps;
  return plan.channelsLast ? { offset: columnAt, ld: rows, transposed: true } : { offset: columnAt, ld: p1 - p0, transposed: false };
}

/**
 * Whether the direct kernel (gemm_simd.c's conv_direct) beats the GEMM: few output channels per
 * group, and a plan it handles (channels-first, no padding, unit stride and dilation along the
 * last axis, so eight neighbouring outputs read eight neighbouring inputs).
 */
function directApplies(plan: ConvPlan): boolean {
  const { padding, stride, dilation } = plan.geometry;
  return plan.gridGroupChannels <= 4 && padding.every((p) => p === 0) && stride[2] === 1 && dilation[2] === 1;
}

/** Repacks each group's weight (coutG × rows) as [block of 4 channels][row][4], zeros past coutG. */
function packDirectWeights(plan: ConvPlan, floats: Float32Array, weightAt: number, packedAt: number): void {
  const rows = plan.imageGroupChannels * plan.taps, coutG = plan.gridGroupChannels, blocks = Math.ceil(coutG / 4);
  floats.fill(0, packedAt, packedAt + plan.groups * blocks * 4 * rows);
  for (let g = 0; g < plan.groups; g++) {
    for (let o = 0; o < coutG; o++) {
      const src = weightAt + (g * coutG + o) * rows;
      const dst = packedAt + (g * blocks + Math.floor(o / 4)) * 4 * rows + (o % 4);
      for (let r = 0; r < rows; r++) floats[dst + 4 * r] = floats[src + r];
    }
  }
}

/** Group g of one batch item through conv_direct, its grid rows split among the threads. */
function convDirect(simd: GemmSimd, plan: ConvPlan, imageAt: number, geometryAt: number, g: number, packedAt: number, outAt: number): void {
  const gridRows = plan.gridSize / plan.geometry.grid[2];
  const multiplyAdds = plan.gridGroupChannels * plan.gridSize * plan.imageGroupChannels * plan.taps;
  const threads = Math.min(gridRows, multiplyAdds >= PARALLEL_MULTIPLY_ADDS ? getNumThreads() : 1);
  const step = Math.ceil(gridRows / threads);
  const parts: number[][] = [];
  for (let begin = 0, t = 0; begin < gridRows; begin += step, t++) {
    parts.push([imageAt * 4, geometryAt * 4, g * plan.imageGroupChannels, plan.imageGroupChannels, packedAt * 4,
      plan.gridGroupChannels, outAt * 4, begin, Math.min(gridRows, begin + step), simd.memory.heapBase + t * simd.workFloats * 4]);
  }
  runParts(simd.pool, 'conv_direct', parts);
}


function writeGeometry(block: Int32Array, plan: ConvPlan): void {
  const { image, grid, kernel, stride, padding, dilation } = plan.geometry;
  [image, grid, kernel, stride, padding, dilation].forEach((triple, i) => block.set(triple, 3 * i));
}
