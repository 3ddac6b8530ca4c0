/**
 * im2col and col2im: the gather and scatter-add between an image and the "column" matrix of
 * its convolution patches, for channels-first and channels-last layouts. A convolution is
 * im2col + GEMM; a transposed convolution (and a convolution's data gradient) is GEMM + col2im;
 * a convolution's weight gradient is GEMM with the im2col matrix.
 *
 * Both work on a range [p0, p1) of patch-grid positions (row-major over the grid), so callers
 * can bound the column buffer by processing the grid in chunks.
 *
 * Column layouts, for the `count` channels starting at `channelStart` (one group):
 * - channels-first: (count·taps) × (p1 − p0), row r = c·taps + tap, row stride p1 − p0;
 * - channels-last: (p1 − p0) × (taps·count), column q = tap·count + c, row stride taps·count;
 * where tap = (k0·K1 + k1)·K2 + k2 enumerates the kernel in row-major order — the order of the
 * weight's kernel axes in both layouts, so the column matrix multiplies the weight directly.
 *
 * These are inner loops: they trust a geometry validated by `planConv`/`planConvTranspose`
 * and buffers checked by their caller (conv.ts), and do no checks of their own.
 *
 * The conv kernels (conv.ts, conv_backward.ts) reach them through the plan-level helpers at the
 * end: `forEachColumnChunk` bounds the column matrix to COLUMN_LIMIT floats (64 MiB) unless one
 * patch row alone is larger, and `patchColumns`/`columnMatrix`/`addPatchColumns` hand it to
 * the GEMMs as a `MatrixView` in the plan's layout, from one scratch buffer.
 */
import { ConvPlan, PatchGeometry, planView } from './conv_geometry';
import type { MatrixView } from './gemm';

// Bound once: inside sandboxes such as jest's vm every global lookup in a loop is slow.
const { min, max, ceil, floor } = Math;

/** Upper bound of the column buffer, in floats (64 MiB). */
const COLUMN_LIMIT = 16 * 1024 * 1024;
/** Column scratch kept between calls is capped (16 MiB); larger chunks get a temporary buffer. */
const RETAINED_SCRATCH = 4 * 1024 * 1024;
/**
 * One scratch for every conv kernel: each fills and consumes it within one chunk and calls no
 * other kernel in between (kernels run to completion on one thread), so it is never shared live.
 */
let scratch: Float32Array = new Float32Array(0);

/**
 * Gathers patches of a channels-first image (C, D, H, W at `imgOffset`) into `col`; taps that
 * fall in the zero padding read 0.
 *
 * @example
 * // 1×1×3 image [1, 2, 3], kernel 2, stride 1, no padding: col = [[1, 2], [2, 3]]
 * im2colChannelsFirst(img, 0, 0, 1, geometry, 0, 2, col, 0);
 */
export function im2colChannelsFirst(
  img: Float32Array, imgOffset: number, channelStart: number, count: number,
  geo: PatchGeometry, p0: number, p1: number, col: Float32Array, colOffset: number,
): void {
  transferChannelsFirst(false, img, imgOffset, channelStart, count, geo, p0, p1, col, colOffset);
}

/**
 * Scatter-adds a channels-first column matrix back into the image (the adjoint of im2col):
 * img[c, position(p, tap)] += col[c·taps + tap, p − p0] for taps inside the image.
 *
 * @example
 * // col = [[1, 2], [3, 4]] for a 1×1×3 image, kernel 2: img += [1, 2 + 3, 4]
 * col2imChannelsFirst(col, 0, geometry, 0, 2, img, 0, 0, 1);
 */
export function col2imChannelsFirst(
  col: Float32Array, colOffset: number, geo: PatchGeometry, p0: number, p1: number,
  img: Float32Array, imgOffset: number, channelStart: number, count: number,
): void {
  transferChannelsFirst(true, img, imgOffset, channelStart, count, geo, p0, p1, col, colOffset);
}

/**
 * Gathers patches of a channels-last image (D, H, W, C at `imgOffset`, C = `channels`) into
 * `col`, one row per grid position; taps that fall in the zero padding read 0.
 *
 * @example
 * // 1×3×1 image [1, 2, 3] (3 pixels, 1 channel), kernel 2: col = [[1, 2], [2, 3]]
 * im2colChannelsLast(img, 0, 1, 0, 1, geometry, 0, 2, col, 0);
 */
export function im2colChannelsLast(
  img: Float32Array, imgOffset: number, channels: number, channelStart: number, count: number,
  geo: PatchGeometry, p0: number, p1: number, col: Float32Array, colOffset: number,
): void {
  transferChannelsLast(false, img, imgOffset, channels, channelStart, count, geo, p0, p1, col, colOffset);
}

/**
 * Scatter-adds a channels-last column matrix back into the image (the adjoint of im2col):
 * img[position(p, tap), channelStart + c] += col[p − p0, tap·count + c].
 *
 * @example
 * // col = [[1, 2], [3, 4]] for 3 pixels with 1 channel, kernel 2: img += [1, 2 + 3, 4]
 * col2imChannelsLast(col, 0, geometry, 0, 2, img, 0, 1, 0, 1);
 */
export function col2imChannelsLast(
  col: Float32Array, colOffset: number, geo: PatchGeometry, p0: number, p1: number,
  img: Float32Array, imgOffset: number, channels: number, channelStart: number, count: number,
): void {
  transferChannelsLast(true, img, imgOffset, channels, channelStart, count, geo, p0, p1, col, colOffset);
}

/** One direction flag serves gather (col = img) and scatter (img += col): the index maps are identical. */
function transferChannelsFirst(
  scatter: boolean, img: Float32Array, imgOffset: number, channelStart: number, count: number,
  geo: PatchGeometry, p0: number, p1: number, col: Float32Array, colOffset: number,
): void {
  const [K0, K1, K2] = geo.kernel;
  const planeSize = geo.image[0] * geo.image[1] * geo.image[2];
  const ld = p1 - p0;
  let row = colOffset;
  for (let c = 0; c < count; c++) {
    const plane = imgOffset + (channelStart + c) * planeSize;
    for (let k0 = 0; k0 < K0; k0++) {
      for (let k1 = 0; k1 < K1; k1++) {
        for (let k2 = 0; k2 < K2; k2++, row += ld) {
          transferRow(scatter, img, plane, geo, k0, k1, k2, p0, p1, col, row);
        }
      }
    }
  }
}

/** Moves one column-matrix row (one channel, one tap) over the grid positions [p0, p1). */
function transferRow(
  scatter: boolean, img: Float32Array, plane: number, geo: PatchGeometry,
  k0: number, k1: number, k2: number, p0: number, p1: number, col: Float32Array, row: number,
): void {
  const [D, H, W] = geo.image;
  const [, G1, G2] = geo.grid;
  const s2 = geo.stride[2];
  const off2 = k2 * geo.dilation[2] - geo.padding[2];
  for (let p = p0; p < p1;) {
    // One run of consecutive positions inside a single grid row (fixed g0, g1).
    const g2 = p % G2;
    const gRow = (p - g2) / G2;
    const g1 = gRow % G1;
    const g0 = (gRow - g1) / G1;
    const len = min(G2 - g2, p1 - p);
    const dst = row + (p - p0);
    const i0 = g0 * geo.stride[0] - geo.padding[0] + k0 * geo.dilation[0];
    const i1 = g1 * geo.stride[1] - geo.padding[1] + k1 * geo.dilation[1];
    p += len;
    if (i0 < 0 || i0 >= D || i1 < 0 || i1 >= H) {
      if (!scatter) col.fill(0, dst, dst + len);
      continue;
    }
    // Grid columns g with 0 ≤ g·s2 + off2 < W read the image; the rest read padding.
    const lo = clamp(ceil(-off2 / s2) - g2, 0, len);
    const hi = clamp(floor((W - 1 - off2) / s2) + 1 - g2, lo, len);
    let src = plane + (i0 * H + i1) * W + g2 * s2 + off2 + lo * s2;
    if (scatter) {
      for (let t = lo; t < hi; t++, src += s2) img[src] += col[dst + t];
    } else {
      col.fill(0, dst, dst + lo);
      for (let t = lo; t < hi; t++, src += s2) col[dst + t] = img[src];
      col.fill(0, dst + hi, dst + len);
    }
  }
}

function transferChannelsLast(
  scatter: boolean, img: Float32Array, imgOffset: number, channels: number, channelStart: number, count: number,
  geo: PatchGeometry, p0: number, p1: number, col: Float32Array, colOffset: number,
): void {
  const [, G1, G2] = geo.grid;
  const rowLength = geo.kernel[0] * geo.kernel[1] * geo.kernel[2] * count;
  for (let p = p0; p < p1; p++) {
    const g2 = p % G2;
    const gRow = (p - g2) / G2;
    const g1 = gRow % G1;
    const g0 = (gRow - g1) / G1;
    const dst = colOffset + (p - p0) * rowLength;
    transferPatch(scatter, img, imgOffset, channels, channelStart, count, geo, g0, g1, g2, col, dst);
  }
}

/** Moves the taps·count values of one patch (one grid position) between image and column row. */
function transferPatch(
  scatter: boolean, img: Float32Array, imgOffset: number, channels: number, channelStart: number, count: number,
  geo: PatchGeometry, g0: number, g1: number, g2: number, col: Float32Array, dst: number,
): void {
  const [D, H, W] = geo.image;
  const [K0, K1, K2] = geo.kernel;
  for (let k0 = 0; k0 < K0; k0++) {
    const i0 = g0 * geo.stride[0] - geo.padding[0] + k0 * geo.dilation[0];
    for (let k1 = 0; k1 < K1; k1++) {
      const i1 = g1 * geo.stride[1] - geo.padding[1] + k1 * geo.dilation[1];
      for (let k2 = 0; k2 < K2; k2++, dst += count) {
        const i2 = g2 * geo.stride[2] - geo.padding[2] + k2 * geo.dilation[2];
        const inside = i0 >= 0 && i0 < D && i1 >= 0 && i1 < H && i2 >= 0 && i2 < W;
        if (!inside) {
          if (!scatter) col.fill(0, dst, dst + count);
          continue;
        }
        const src = imgOffset + ((i0 * H + i1) * W + i2) * channels + channelStart;
        if (scatter) for (let c = 0; c < count; c++) img[src + c] += col[dst + c];
        else for (let c = 0; c < count; c++) col[dst + c] = img[src + c];
      }
    }
  }
}

function clamp(value: number, lo: number, hi: number): number {
  return value < lo ? lo : value > hi ? hi : value;
}

/**
 * Calls `body(g, p0, p1)` for every group g and every chunk [p0, p1) of the plan's grid, each
 * chunk short enough that the group's column matrix (imageGroupChannels·taps floats per grid
 * position) stays within COLUMN_LIMIT; at least one position per chunk.
 *
 * @example
 * forEachColumnChunk(plan, (g, p0, p1) => convChunk(plan, x, xn, weight, wOffset, g, p0, p1, out, outN));
 */
export function forEachColumnChunk(plan: ConvPlan, body: (g: number, p0: number, p1: number) => void): void {
  const chunk = max(1, floor(COLUMN_LIMIT / max(1, plan.imageGroupChannels * plan.taps)));
  for (let g = 0; g < plan.groups; g++) {
    for (let p0 = 0; p0 < plan.gridSize; p0 += chunk) body(g, p0, min(plan.gridSize, p0 + chunk));
  }
}

/**
 * A column matrix in scratch for grid positions [p0, p1): (imageGroupChannels·taps × (p1 − p0))
 * as a GEMM operand, stored as this module's column layout for the plan's data layout (the
 * channels-last one is the transpose). Valid until the next call.
 */
export function columnMatrix(plan: ConvPlan, p0: number, p1: number): MatrixView {
  const rows = plan.imageGroupChannels * plan.taps;
  const count = p1 - p0;
  const data = columnBuffer(rows * count);
  return plan.channelsLast ? { data, offset: 0, ld: rows, transposed: true } : { data, offset: 0, ld: count, transposed: false };
}

/**
 * im2col of group g's image channels of one batch item (at `imageN`) over grid positions
 * [p0, p1), as a (imageGroupChannels·taps × (p1 − p0)) GEMM operand. A pointwise plan's patches
 * are single pixels, so its image is its own column matrix and nothing is copied.
 *
 * @example
 * gemmViews(coutG, p1 - p0, k, 1, weightView(plan, w, 0, g), patchColumns(plan, x, xn, g, p0, p1), 1, outView);
 */
export function patchColumns(plan: ConvPlan, image: Float32Array, imageN: number, g: number, p0: number, p1: number): MatrixView {
  if (plan.pointwise) return planView(plan, 'image', image, imageN, g * plan.imageGroupChannels, p0);
  const col = columnMatrix(plan, p0, p1);
  transferGroup(false, plan, image, imageN, g, p0, p1, col);
  return col;
}

/**
 * col2im, the adjoint of `patchColumns`: scatter-adds a `columnMatrix` of grid positions
 * [p0, p1) into group g's image channels of one batch item (at `imageN`).
 *
 * @example
 * addPatchColumns(plan, col, g, p0, p1, out, outN);
 */
export function addPatchColumns(
  plan: ConvPlan, col: MatrixView, g: number, p0: number, p1: number, image: Float32Array, imageN: number,
): void {
  transferGroup(true, plan, image, imageN, g, p0, p1, col);
}

/** im2col (`scatter` false) or col2im (true) of group g's image channels, in the plan's layout. */
function transferGroup(
  scatter: boolean, plan: ConvPlan, image: Float32Array, imageN: number, g: number, p0: number, p1: number, col: MatrixView,
): void {
  const count = plan.imageGroupChannels;
  const { geometry: geo, imageChannels } = plan;
  if (plan.channelsLast) transferChannelsLast(scatter, image, imageN, imageChannels, g * count, count, geo, p0, p1, col.data, col.offset);
  else transferChannelsFirst(scatter, image, imageN, g * count, count, geo, p0, p1, col.data, col.offset);
}

function columnBuffer(size: number): Float32Array {
  if (size <= scratch.length) return scratch;
  const buffer = new Float32Array(size);
  if (size <= RETAINED_SCRATCH) scratch = buffer;
  return buffer;
}
