/**
 * Convolution on the WebAssembly SIMD module, in the kernel arena: per batch item, the input is
 * copied in once and the output out once (the weight once per call); the GEMMs, im2col and col2im
 * run on arena memory, so no column matrix crosses into JavaScript.
 *
 * - Convolution forward: channels-first with ≤ 4 output channels per group (depthwise too), a
 *   direct kernel (conv_simd.c's conv_direct) on a zero-padded copy of the image; otherwise the
 *   GEMM packs its panels straight from the image (implicit GEMM: no column matrix at all), its
 *   B operand channels-first, its A operand channels-last.
 * - Transposed convolution (also every convolution's data gradient): col = Wᵀ·x, then col2im.
 * - Weight gradient: dW += dY · im2col(x)ᵀ.
 *
 * Same formulas and column layouts as conv.ts's JavaScript path (im2col.ts), for both data
 * layouts, every group, stride, padding and dilation.
 */
import { activateInArena } from './activation_wasm';
import { ConvPlan, fillBias, planView, weightView } from './conv_geometry';
import type { FusedActivation } from './fused_activation';
import { transposedView } from './gemm';
import { ArenaMatrix, PARALLEL_MULTIPLY_ADDS, arenaLayout, gemmArenaViews, gemmInArena, roundUp } from './gemm_wasm';
import { InputPad, padInputItem } from './pad';
import { PAD_MAPPED_DIMS_INTS, padItemInModule, planModulePad } from './pad_wasm';
import { GemmSimd } from './simd/gemm_simd';
import { getNumThreads, runParts, splitRange } from './threads/pool';

/** Words of one column-matrix chunk in the arena (16 MiB). */
const COLUMN_FLOATS = 4 * 1024 * 1024;
/** Ints of the geometry block the module's loops read: six triples and the image's channel count. */
const GEOMETRY_INTS = 19;
/** Ints of pad_planes' dims block: the image's D, H, W and the three paddings. */
const PAD_DIMS_INTS = 6;

type Transfer = (image: number, geometry: number, channelsLast: number, channels: number, channelStart: number,
  count: number, p0: number, p1: number, col: number) => void;

/**
 * Runs conv.ts's `convPass` in the arena: a convolution (`transposed` false) or a transposed
 * one; with `inputPad` (a convolution's fused Pad), each input item is padded as it is copied in.
 * An input or output that already lies in the kernel memory (a cached graph's intermediate, see
 * threads/arena.ts) is read or written there in place, and a fused Pad of such an input runs in
 * the module, split across the pool.
 * Returns false, having done nothing, when the call's buffers do not fit there
 * (the JavaScript path then runs).
 */
export function convPassWasm(
  simd: GemmSimd, plan: ConvPlan, transposed: boolean,
  x: Float32Array, xOffset: number, weight: Float32Array, weightOffset: number,
  bias: Float32Array | null, biasOffset: number, out: Float32Array, outOffset: number, activation?: FusedActivation,
  inputPad?: InputPad,
): boolean {
  const imageFloats = plan.imageChannels * plan.imageSize, gridFloats = plan.gridChannels * plan.gridSize;
  const rows = plan.imageGroupChannels * plan.taps;
  // Few output channels per group (depthwise too): the direct kernel, on a zero-padded copy of the
  // image. Other convolutions pack patches straight from the image; transposed ones go through a
  // column matrix, in chunks of grid positions.
  const direct = !transposed && directApplies(plan);
  const implicit = !transposed && !direct && !plan.pointwise;
  const chunk = direct || implicit || plan.pointwise ? plan.gridSize : columnChunk(plan);
  const padded = direct ? paddedImage(plan) : undefined;
  const [xLength, outLength] = transposed ? [gridFloats, imageFloats] : [imageFloats, gridFloats];
  // Float indices of x and out in the kernel memory when they already live there.
  const xInPlace = simd.memory.floatIndex(x, xOffset);
  const outInPlace = simd.memory.floatIndex(out, outOffset);
  const padInModule = inputPad !== undefined && xInPlace !== undefined;
  const layout = arenaLayout(simd, [GEOMETRY_INTS, plan.weightLength, xInPlace !== undefined && !inputPad ? 0 : xLength, outInPlace !== undefined ? 0 : outLength,
    direct || implicit || plan.pointwise ? 0 : rows * chunk, direct ? plan.groups * roundUp(plan.gridGroupChannels, 4) * rows : 0,
    padded ? GEOMETRY_INTS : 0, padded ? PAD_DIMS_INTS : 0, padded?.length ?? 0, padInModule ? PAD_MAPPED_DIMS_INTS : 0]);
  if (!layout) return false;
  const [geometryAt, weightAt, xSlot, outSlot, columnAt, packedAt, paddedGeometryAt, padDimsAt, paddedAt, padMappedAt] = layout;
  const floats = prepare(simd, plan, geometryAt);
  floats.set(weight.subarray(weightOffset, weightOffset + plan.weightLength), weightAt);
  if (direct) packDirectWeights(plan, floats, weightAt, packedAt);
  if (padded) {
    writeGeometry(floats, paddedGeometryAt, { ...plan.geometry, image: padded.dims, padding: [0, 0, 0] }, plan.imageChannels);
    new Int32Array(floats.buffer, padDimsAt * 4, PAD_DIMS_INTS).set([...plan.geometry.image, ...plan.geometry.padding]);
  }
  const [outChannels, outSize] = transposed ? [plan.imageChannels, plan.imageSize] : [plan.gridChannels, plan.gridSize];
  const coutG = plan.gridGroupChannels;
  const modulePad = padInModule ? planModulePad(floats, padMappedAt, inputPad, plan.batch, xInPlace) : undefined;
  for (let n = 0; n < plan.batch; n++) {
    const xAt = xInPlace !== undefined && !inputPad ? xInPlace + n * xLength : xSlot;
    const outAt = outInPlace !== undefined ? outInPlace + n * outLength : outSlot;
    if (modulePad) padItemInModule(simd, modulePad, n, xAt);
    else if (inputPad) padInputItem(inputPad, plan.batch, n, x, xOffset, floats, xAt);
    else if (xInPlace === undefined) floats.set(x.subarray(xOffset + n * xLength, xOffset + (n + 1) * xLength), xAt);
    if (padded) padInArena(simd, plan, xAt, paddedAt, padDimsAt);
    fillBias(plan.channelsLast, outChannels, outSize, bias, biasOffset, floats, outAt);
    if (direct) convDirect(simd, plan, padded ? paddedAt : xAt, padded ? paddedGeometryAt : geometryAt, packedAt, outAt);
    for (let g = 0; g < plan.groups && !direct; g++) {
      const w = weightView(plan, floats, weightAt, g);
      const channelStart = g * plan.imageGroupChannels;
      if (implicit && plan.channelsLast) {
        // out (positions × coutG, row stride gridChannels) = col · W_gᵀ, col packed from the image.
        gemmInArena(simd, false, true, plan.gridSize, coutG, rows, 1, xAt, 0, w.offset, rows, 1,
          outAt + g * coutG, plan.gridChannels, { geometryAt, channelStart, imageIsA: true });
        continue;
      }
      if (implicit) {
        gemmInArena(simd, false, false, coutG, plan.gridSize, rows, 1, w.offset, rows, xAt, 0, 1,
          outAt + g * coutG * plan.gridSize, plan.gridSize, { geometryAt, channelStart });
        continue;
      }
      for (let p0 = 0; p0 < plan.gridSize; p0 += chunk) {
        const p1 = Math.min(plan.gridSize, p0 + chunk);
        if (transposed) deconvChunk(simd, plan, floats, w, xAt, outAt, geometryAt, columnAt, g, p0, p1);
        else gemmArenaViews(simd, coutG, p1 - p0, rows, 1, w, patchColumns(simd, plan, xAt, geometryAt, g, p0, p1, columnAt), 1,
          planView(plan, 'grid', floats, outAt, g * coutG, p0));
      }
    }
    if (activation !== undefined) activateInArena(simd, activation, outAt, outLength);
    if (outInPlace === undefined) out.set(floats.subarray(outAt, outAt + outLength), outOffset + n * outLength);
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
  const imageFloats = plan.imageChannels * plan.imageSize, gridFloats = plan.gridChannels * plan.gridSize;
  const rows = plan.imageGroupChannels * plan.taps;
  const chunk = plan.pointwise ? plan.gridSize : columnChunk(plan);
  const layout = arenaLayout(simd, [GEOMETRY_INTS, plan.weightLength, imageFloats, gridFloats, plan.pointwise ? 0 : rows * chunk]);
  if (!layout) return false;
  const [geometryAt, dWAt, imageAt, gridAt, columnAt] = layout;
  const floats = prepare(simd, plan, geometryAt);
  floats.fill(0, dWAt, dWAt + plan.weightLength);
  const coutG = plan.gridGroupChannels;
  for (let n = 0; n < plan.batch; n++) {
    floats.set(image.subarray(imageOffset + n * imageFloats, imageOffset + (n + 1) * imageFloats), imageAt);
    floats.set(grid.subarray(gridOffset + n * gridFloats, gridOffset + (n + 1) * gridFloats), gridAt);
    for (let g = 0; g < plan.groups; g++) {
      const dWg = weightView(plan, floats, dWAt, g);
      for (let p0 = 0; p0 < plan.gridSize; p0 += chunk) {
        const p1 = Math.min(plan.gridSize, p0 + chunk);
        const columns = patchColumns(simd, plan, imageAt, geometryAt, g, p0, p1, columnAt);
        const dy = planView(plan, 'grid', floats, gridAt, g * coutG, p0);
        gemmArenaViews(simd, coutG, rows, p1 - p0, 1, dy, transposedView({ ...columns, data: floats }), 1, dWg);
      }
    }
  }
  dW.set(floats.subarray(dWAt, dWAt + plan.weightLength), dWOffset);
  return true;
}

/** Writes the plan's geometry block for the module's loops and returns the arena's float view. */
function prepare(simd: GemmSimd, plan: ConvPlan, geometryAt: number): Float32Array {
  const floats = simd.memory.floats();
  writeGeometry(floats, geometryAt, plan.geometry, plan.imageChannels);
  return floats;
}

/** A geometry block: six triples (image, grid, kernel, stride, padding, dilation), then the image's channel count. */
function writeGeometry(floats: Float32Array, at: number, geometry: ConvPlan['geometry'], channels: number): void {
  const block = new Int32Array(floats.buffer, at * 4, GEOMETRY_INTS);
  const { image, grid, kernel, stride, padding, dilation } = geometry;
  [image, grid, kernel, stride, padding, dilation].forEach((triple, i) => block.set(triple, 3 * i));
  block[18] = channels;
}

/** The zero-padded image the direct kernel reads when the plan pads: its dims and length, or undefined. */
function paddedImage(plan: ConvPlan): { dims: [number, number, number]; length: number } | undefined {
  const { image, padding } = plan.geometry;
  if (padding.every((p) => p === 0)) return undefined;
  const dims: [number, number, number] = [image[0] + 2 * padding[0], image[1] + 2 * padding[1], image[2] + 2 * padding[2]];
  return { dims, length: plan.imageChannels * dims[0] * dims[1] * dims[2] };
}

/**
 * The module's pad_planes: one channels-first image, already in the arena at `xAt`, copied to
 * `paddedAt` with its zero border (`dimsAt`: PAD_DIMS_INTS ints written by the caller).
 */
function padInArena(simd: GemmSimd, plan: ConvPlan, xAt: number, paddedAt: number, dimsAt: number): void {
  const pad = simd.pool.exports.pad_planes as (src: number, dst: number, planes: number, dims: number) => void;
  pad(xAt * 4, paddedAt * 4, plan.imageChannels, dimsAt * 4);
}

/** Grid positions per column-matrix chunk: as many as COLUMN_FLOATS allow, at least one. */
function columnChunk(plan: ConvPlan): number {
  return Math.max(1, Math.min(plan.gridSize, Math.floor(COLUMN_FLOATS / (plan.imageGroupChannels * plan.taps))));
}

/** The column matrix of group g over grid positions [p0, p1) at `columnAt`, in the plan's layout (im2col.ts's columnMatrix). */
function columnView(plan: ConvPlan, columnAt: number, p0: number, p1: number): ArenaMatrix {
  const rows = plan.imageGroupChannels * plan.taps;
  return plan.channelsLast ? { offset: columnAt, ld: rows, transposed: true } : { offset: columnAt, ld: p1 - p0, transposed: false };
}

/** Runs the module's im2col (`scatter` false) or col2im over group g's channels of the image at `imageAt`. */
function transfer(simd: GemmSimd, scatter: boolean, plan: ConvPlan, imageAt: number, geometryAt: number, g: number, p0: number, p1: number, columnAt: number): void {
  const fn = simd.pool.exports[scatter ? 'col2im' : 'im2col'] as Transfer;
  fn(imageAt * 4, geometryAt * 4, +plan.channelsLast, plan.imageChannels, g * plan.imageGroupChannels, plan.imageGroupChannels, p0, p1, columnAt * 4);
}

/**
 * im2col.ts's patchColumns in the arena: group g's column matrix over grid positions [p0, p1),
 * written at `columnAt` by the module's im2col (a pointwise plan's image is its own).
 */
function patchColumns(simd: GemmSimd, plan: ConvPlan, imageAt: number, geometryAt: number, g: number, p0: number, p1: number, columnAt: number): ArenaMatrix {
  if (plan.pointwise) return planView(plan, 'image', simd.memory.floats(), imageAt, g * plan.imageGroupChannels, p0);
  transfer(simd, false, plan, imageAt, geometryAt, g, p0, p1, columnAt);
  return columnView(plan, columnAt, p0, p1);
}

/**
 * conv.ts's deconvChunk in the arena: col (imageGroupChannels·taps × chunk) = W_gᵀ · x_g[:, p0:p1],
 * scatter-added into the output by col2im; a pointwise plan's product accumulates there directly.
 */
function deconvChunk(
  simd: GemmSimd, plan: ConvPlan, floats: Float32Array, w: ArenaMatrix, xAt: number, outAt: number,
  geometryAt: number, columnAt: number, g: number, p0: number, p1: number,
): void {
  const cin = plan.gridGroupChannels, m = plan.imageGroupChannels * plan.taps;
  const wT = transposedView({ ...w, data: floats });
  const src = planView(plan, 'grid', floats, xAt, g * cin, p0);
  if (plan.pointwise) {
    gemmArenaViews(simd, m, p1 - p0, cin, 1, wT, src, 1, planView(plan, 'image', floats, outAt, g * plan.imageGroupChannels, p0));
    return;
  }
  gemmArenaViews(simd, m, p1 - p0, cin, 1, wT, src, 0, columnView(plan, columnAt, p0, p1));
  transfer(simd, true, plan, outAt, geometryAt, g, p0, p1, columnAt);
}

/**
 * Whether the direct kernel (conv_simd.c's conv_direct) beats the GEMM: few output channels per
 * group (a depthwise convolution has one), and a plan it handles (channels-first, stride 1 or 2
 * and dilation 1 along the last axis, so eight neighbouring outputs read neighbouring inputs).
 */
function directApplies(plan: ConvPlan): boolean {
  const { stride, dilation } = plan.geometry;
  return !plan.channelsLast && plan.gridGroupChannels <= 4 && stride[2] <= 2 && dilation[2] === 1;
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

/**
 * One batch item through conv_direct, every group: split among the threads by groups when there
 * are enough of them (depthwise), otherwise by grid rows.
 */
function convDirect(simd: GemmSimd, plan: ConvPlan, imageAt: number, geometryAt: number, packedAt: number, outAt: number): void {
  const gridRows = plan.gridSize / plan.geometry.grid[2];
  const multiplyAdds = plan.gridChannels * plan.gridSize * plan.imageGroupChannels * plan.taps;
  const threads = multiplyAdds >= PARALLEL_MULTIPLY_ADDS ? getNumThreads() : 1;
  const byGroups = plan.groups >= threads;
  const ranges = splitRange(byGroups ? plan.groups : gridRows, threads);
  runParts(simd.pool, 'conv_direct', ranges.map(([begin, end], t) => [
    imageAt * 4, geometryAt * 4, plan.imageGroupChannels, packedAt * 4, plan.gridGroupChannels, outAt * 4,
    ...(byGroups ? [begin, end, 0, gridRows] : [0, plan.groups, begin, end]), simd.memory.heapBase + t * simd.workFloats * 4,
  ]));
}
