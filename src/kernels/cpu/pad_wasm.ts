/**
 * A convolution's fused Pad run by the kernel module (conv_simd.c's pad_mapped) on an input that
 * already lies in the kernel memory — a cached graph's intermediate (threads/arena.ts): each batch
 * item padded straight into the convolution's working buffer, its planes split across the pool.
 * Same values as pad.ts's padForward.
 */
import type { InputPad } from './pad';
import type { GemmSimd } from './simd/gemm_simd';
import { runParts, threadRanges } from './threads/pool';

/** Ints of pad_mapped's dims block: D, H, W, the six widths, the mode. */
export const PAD_MAPPED_DIMS_INTS = 10;
const PAD_MODES = { constant: 0, edge: 1, reflect: 2 } as const;

/** A planned module pad: where the input and the dims block are, and the sizes of one batch item. */
export interface ModulePad {
  /** Float index of the unpadded input in the kernel memory. */
  readonly sourceAt: number;
  /** Int index of the dims block. */
  readonly dimsAt: number;
  readonly planes: number;
  /** Floats of one padded plane, and of one unpadded item. */
  readonly paddedPlane: number;
  readonly itemLength: number;
  /** The constant border, already a float32. */
  readonly value: number;
}

/**
 * Writes pad_mapped's dims block at `dimsAt` for `pad` (2 or 3 padded trailing axes, as MXNet's
 * Pad on 4-D and 5-D data, taken as (1, H, W) or (D, H, W) planes) of `batch` items at `sourceAt`.
 */
export function planModulePad(floats: Float32Array, dimsAt: number, pad: InputPad, batch: number, sourceAt: number): ModulePad {
  const { inSize, before, after, mode, blocks } = pad.geometry;
  const lead = 3 - inSize.length;
  const axis = (values: readonly number[], fill: number) => [...Array<number>(lead).fill(fill), ...values];
  const [dims, b, a] = [axis(inSize, 1), axis(before, 0), axis(after, 0)];
  new Int32Array(floats.buffer, dimsAt * 4, PAD_MAPPED_DIMS_INTS).set([...dims, b[0], a[0], b[1], a[1], b[2], a[2], PAD_MODES[mode]]);
  const planes = blocks / batch;
  const paddedPlane = dims.reduce((size, n, i) => size * (b[i] + n + a[i]), 1);
  return { sourceAt, dimsAt, planes, paddedPlane, itemLength: planes * dims[0] * dims[1] * dims[2], value: pad.value };
}

/** Pads batch item `n` into `paddedAt` (a float index), its planes split across the pool. */
export function padItemInModule(simd: GemmSimd, pad: ModulePad, n: number, paddedAt: number): void {
  const source = (pad.sourceAt + n * pad.itemLength) * 4;
  runParts(simd.pool, 'pad_mapped', threadRanges(pad.planes, pad.planes * pad.paddedPlane).map(([begin, end]) => [source, paddedAt * 4, begin, end, pad.dimsAt * 4, pad.value]));
}
