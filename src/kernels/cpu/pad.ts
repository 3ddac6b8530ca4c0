/**
 * Padding of the trailing (spatial) axes of (blocks, *spatial) arrays and its adjoint (MXNet's
 * `Pad`, `src/operator/pad.cc`). Each output index of a padded axis reads one input index:
 *
 *     constant: the border holds `value`
 *     edge:     the nearest edge value           ([1, 2, 3] by 2 → 1 1 | 1 2 3 | 3 3)
 *     reflect:  the mirror image without the edge ([1, 2, 3] by 2 → 3 2 | 1 2 3 | 2 1)
 *
 * The backward adds each output gradient to the input element it was copied from (in float64,
 * rounded once); the constant border passes nothing.
 */
import { GluonError } from '../../core/errors';
import { checkArrays, checkInt, product } from './check_args';

export type PadKernelMode = 'constant' | 'edge' | 'reflect';

/** What is padded: `blocks` consecutive arrays of shape `inSize`, each axis widened by before/after. */
export interface PadGeometry {
  readonly mode: PadKernelMode;
  readonly blocks: number;
  readonly inSize: readonly number[];
  readonly before: readonly number[];
  readonly after: readonly number[];
}

/** Where each output index of every axis reads from (−1: the constant border), and the strides. */
interface PadPlan {
  readonly maps: Int32Array[];
  readonly inStrides: number[];
  readonly outStrides: number[];
  readonly inBlock: number;
  readonly outBlock: number;
  /** The last axis: its leading border width and input length (its interior is one contiguous run). */
  readonly lastBefore: number;
  readonly lastLength: number;
}

/**
 * The input index output index `o` reads on an axis of length n padded by `before` (−1 for the
 * constant border). Reflect bounces once: its widths are smaller than n.
 */
function sourceIndex(mode: PadKernelMode, o: number, before: number, n: number): number {
  const i = o - before;
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'edge') return i < 0 ? 0 : n - 1;
  return i < 0 ? -i : 2 * (n - 1) - i;
}

/** Checks `g` (reflect widths < the axis, edge axes non-empty) and tabulates its sources. */
function planPad(name: string, g: PadGeometry): PadPlan {
  checkInt(name, 'blocks', g.blocks, 0);
  const rank = g.inSize.length;
  if (g.before.length !== rank || g.after.length !== rank) {
    throw new GluonError(`${name}: expected ${rank} before and after widths, but got ${g.before.length} and ${g.after.length}`);
  }
  const outSize = g.inSize.map((n, a) => {
    checkInt(name, 'inSize', n, 0);
    checkInt(name, 'before', g.before[a], 0);
    checkInt(name, 'after', g.after[a], 0);
    const [before, after] = [g.before[a], g.after[a]];
    const copies = before + after > 0 && g.mode !== 'constant';
    if (copies && (n === 0 || (g.mode === 'reflect' && (before >= n || after >= n)))) {
      throw new GluonError(`${name}: cannot pad an axis of length ${n} by ${before} and ${after} in mode '${g.mode}'`);
    }
    return before + n + after;
  });
  const empty = g.blocks * product(outSize) === 0;
  const maps = outSize.map((size, a) => {
    const map = new Int32Array(empty ? 0 : size);
    for (let o = 0; o < map.length; o++) map[o] = sourceIndex(g.mode, o, g.before[a], g.inSize[a]);
    return map;
  });
  const stridesOf = (dims: readonly number[]): number[] => dims.map((_, a) => product(dims.slice(a + 1)));
  return {
    maps, inStrides: stridesOf(g.inSize), outStrides: stridesOf(outSize), inBlock: product(g.inSize), outBlock: product(outSize),
    lastBefore: rank === 0 ? 0 : g.before[rank - 1], lastLength: rank === 0 ? 0 : g.inSize[rank - 1],
  };
}

/**
 * Pads each of the `blocks` arrays of `x` into `out` (see the module comment); `value` fills the
 * constant border.
 *
 * @example
 * // x = [1, 2, 3], reflect, before 2, after 1 → out = [3, 2, 1, 2, 3, 2]
 * padForward({ mode: 'reflect', blocks: 1, inSize: [3], before: [2], after: [1] }, x, out, 0);
 */
export function padForward(g: PadGeometry, x: Float32Array, out: Float32Array, value: number): void {
  const plan = planPad('padForward', g);
  checkArrays('padForward', [['x', x, 0, g.blocks * plan.inBlock]], ['out', out, 0, g.blocks * plan.outBlock]);
  if (plan.maps.some((m) => m.length === 0)) return;
  for (let b = 0; b < g.blocks; b++) fillBlock(plan, 0, x, b * plan.inBlock, out, b * plan.outBlock, value);
}

/**
 * The adjoint of `padForward`: dx[i] = Σ of dy over the output elements copied from input i
 * (float64, rounded once). dx is overwritten.
 *
 * @example
 * // edge, before 1, after 2 of one value: dy = [1, 2, 3, 4] → dx = [10]
 * padBackward({ mode: 'edge', blocks: 1, inSize: [1], before: [1], after: [2] }, dy, dx);
 */
export function padBackward(g: PadGeometry, dy: Float32Array, dx: Float32Array): void {
  const plan = planPad('padBackward', g);
  checkArrays('padBackward', [['dy', dy, 0, g.blocks * plan.outBlock]], ['dx', dx, 0, g.blocks * plan.inBlock]);
  const sums = new Float64Array(g.blocks * plan.inBlock);
  if (!plan.maps.some((m) => m.length === 0)) {
    for (let b = 0; b < g.blocks; b++) gatherBlock(plan, 0, dy, b * plan.outBlock, sums, b * plan.inBlock);
  }
  dx.set(sums);
}

/** Writes one block's padded values from axis `a` down (recursion depth = rank). */
function fillBlock(plan: PadPlan, a: number, src: Float32Array, inBase: number, dst: Float32Array, outBase: number, value: number): void {
  if (a === plan.maps.length - 1) {
    fillRow(plan, src, inBase, dst, outBase, value);
    return;
  }
  const map = plan.maps[a];
  const [inStride, outStride] = [plan.inStrides[a], plan.outStrides[a]];
  for (let o = 0; o < map.length; o++) {
    const s = map[o];
    const at = outBase + o * outStride;
    if (s < 0) dst.fill(value, at, at + outStride);
    else fillBlock(plan, a + 1, src, inBase + s * inStride, dst, at, value);
  }
}

/** One row of the last axis: its interior copied as one run (memcpy speed), its borders by the map. */
function fillRow(plan: PadPlan, src: Float32Array, inBase: number, dst: Float32Array, outBase: number, value: number): void {
  const map = plan.maps[plan.maps.length - 1];
  const { lastBefore: before, lastLength: n } = plan;
  dst.set(src.subarray(inBase, inBase + n), outBase + before);
  const border = (o: number): void => {
    const s = map[o];
    dst[outBase + o] = s < 0 ? value : src[inBase + s];
  };
  for (let o = 0; o < before; o++) border(o);
  for (let o = before + n; o < map.length; o++) border(o);
}

/** The adjoint of fillBlock: adds each output gradient to the input it was copied from. */
function gatherBlock(plan: PadPlan, a: number, dy: Float32Array, outBase: number, dx: Float64Array, inBase: number): void {
  const map = plan.maps[a];
  const [inStride, outStride] = [plan.inStrides[a], plan.outStrides[a]];
  const last = a === plan.maps.length - 1;
  for (let o = 0; o < map.length; o++) {
    const s = map[o];
    if (s < 0) continue;
    if (last) dx[inBase + s] += dy[outBase + o];
    else gatherBlock(plan, a + 1, dy, outBase + o * outStride, dx, inBase + s * inStride);
  }
}

/**
 * A padding a kernel applies to its input as it reads it: the cached graph folds a `Pad` node
 * into the convolution that is its only reader (symbol/fusion.ts), so the padded copy is written
 * straight into the kernel's working memory instead of into a fresh array first. Same bits as the
 * separate node.
 */
export interface InputPad {
  /** The Pad's geometry over the whole input (its blocks: batch · axis-1 size). */
  readonly geometry: PadGeometry;
  /** The constant border value, already a float32. */
  readonly value: number;
}

/** Floats of one of `batch` items of the input before and after padding. */
export function inputPadItemLengths(pad: InputPad, batch: number): { before: number; after: number } {
  const { blocks, inSize, before, after } = pad.geometry;
  const perItem = batch === 0 ? 0 : blocks / batch;
  return { before: perItem * product(inSize), after: perItem * product(inSize.map((n, a) => before[a] + n + after[a])) };
}

/**
 * Pads item `n` of the `batch` items of x (from `xOffset`) into out at `outOffset`, as
 * padForward pads the whole input.
 *
 * @example padInputItem(pad, 2, 1, x, 0, arena, xAt); // the second image, padded, at xAt
 */
export function padInputItem(pad: InputPad, batch: number, n: number, x: Float32Array, xOffset: number, out: Float32Array, outOffset: number): void {
  const { before, after } = inputPadItemLengths(pad, batch);
  const item = { ...pad.geometry, blocks: pad.geometry.blocks / batch };
  padForward(item, x.subarray(xOffset + n * before, xOffset + (n + 1) * before), out.subarray(outOffset, outOffset + after), pad.value);
}
