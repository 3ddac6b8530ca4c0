/**
 * MXNet's `pad` operator (constant, edge and reflect padding of 4-D and 5-D arrays) with its
 * backward rule.
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { describeValue } from '../../core/checks';
import { checkShape, shapeSize } from '../../core/shape';
import { checkArray, checkChoice, checkOptions } from './op_checks';

/** How `nd.pad` fills the border: a constant, the edge values repeated, or the mirror image without the edge. */
export const PAD_MODES = ['constant', 'edge', 'reflect'] as const;
export type PadMode = (typeof PAD_MODES)[number];

/** Options of the `nd.pad` operator. */
export interface PadOptions {
  /** Required, as in MXNet. */
  mode: PadMode;
  /**
   * `(before₀, after₀, before₁, after₁, …)`: two widths per axis of data (numpy's pad_width,
   * flattened). Required; the four widths of axes 0 and 1 (N and C) must be 0, as MXNet.
   */
  padWidth: readonly number[];
  /** The fill value of mode 'constant' (rounded to float32). Default 0. */
  constantValue?: number;
}

/**
 * Where each output index of every padded (spatial) axis reads from: `maps[a][o]` is an input
 * index, or −1 for the constant border. `inner*` are the row-major strides within one (n, c) block.
 */
interface PadPlan {
  readonly outShape: number[];
  readonly blocks: number;
  readonly maps: Int32Array[];
  readonly inStrides: number[];
  readonly outStrides: number[];
}

/** The input index output index `o` reads on an axis of length n padded by `before`. */
function sourceIndex(mode: PadMode, o: number, before: number, n: number): number {
  const i = o - before;
  if (i >= 0 && i < n) return i;
  if (mode === 'constant') return -1;
  if (mode === 'edge') return i < 0 ? 0 : n - 1;
  return i < 0 ? -i : 2 * (n - 1) - i; // reflect: one bounce, since the widths are < n
}

function checkPadWidth(x: NDArray, padWidth: unknown): number[] {
  const count = 2 * x.ndim;
  if (!Array.isArray(padWidth) || padWidth.length !== count || !padWidth.every((w) => Number.isInteger(w) && w >= 0)) {
    const shown = Array.isArray(padWidth) ? formatShape(padWidth) : describeValue(padWidth);
    throw new GluonError(
      `pad: expected padWidth to be ${count} integers >= 0 (before and after for each of the ${x.ndim} axes of data), but got ${shown}`,
    );
  }
  if (padWidth.slice(0, 4).some((w) => w !== 0)) {
    throw new GluonError(`pad: expected no padding on axes 0 and 1 (padWidth[0..3] all 0, as MXNet), but got padWidth ${formatShape(padWidth)}`);
  }
  return padWidth.slice();
}

/** Checks that every padded axis can supply the values `mode` copies. */
function checkSources(x: NDArray, mode: PadMode, widths: readonly number[]): void {
  for (let axis = 2; axis < x.ndim; axis++) {
    const [before, after, n] = [widths[2 * axis], widths[2 * axis + 1], x.shape[axis]];
    if (mode === 'reflect' && before + after > 0 && (before >= n || after >= n)) {
      throw new GluonError(
        `pad: expected reflect widths smaller than the axis they pad, but got ${before} and ${after} for axis ${axis} of size ${n} in data of shape ${formatShape(x.shape)}`,
      );
    }
    if (mode === 'edge' && n === 0 && before + after > 0) {
      throw new GluonError(`pad: expected a non-empty axis to pad in mode 'edge', but axis ${axis} of data of shape ${formatShape(x.shape)} is empty`);
    }
  }
}

function makePlan(x: NDArray, mode: PadMode, widths: readonly number[]): PadPlan {
  const outShape = x.shape.map((n, axis) => widths[2 * axis] + n + widths[2 * axis + 1]);
  checkShape(outShape, 'pad');
  const spatialIn = x.shape.slice(2);
  const spatialOut = outShape.slice(2);
  const maps = spatialOut.map((size, a) => {
    const map = new Int32Array(shapeSize(outShape) === 0 ? 0 : size);
    for (let o = 0; o < map.length; o++) map[o] = sourceIndex(mode, o, widths[2 * (a + 2)], spatialIn[a]);
    return map;
  });
  const stridesOf = (dims: number[]): number[] => dims.map((_, a) => shapeSize(dims.slice(a + 1)));
  return { outShape, blocks: x.shape[0] * x.shape[1], maps, inStrides: stridesOf(spatialIn), outStrides: stridesOf(spatialOut) };
}

/** Writes one (n, c) block's padded values from axis `a` down (recursion depth ≤ 3). */
function fillBlock(plan: PadPlan, a: number, src: Float32Array, inBase: number, dst: Float32Array, outBase: number, value: number): void {
  const map = plan.maps[a];
  const [inStride, outStride] = [plan.inStrides[a], plan.outStrides[a]];
  const last = a === plan.maps.length - 1;
  for (let o = 0; o < map.length; o++) {
    const s = map[o];
    const at = outBase + o * outStride;
    if (s < 0) dst.fill(value, at, at + outStride);
    else if (last) dst[at] = src[inBase + s];
    else fillBlock(plan, a + 1, src, inBase + s * inStride, dst, at, value);
  }
}

/** The backward of fillBlock: adds each output gradient to the input it was copied from. */
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
 * MXNet's `pad` operator (`mx.nd.pad`) for 4-D (N, C, H, W) and 5-D (N, C, D, H, W) data:
 * each spatial axis grows by its `before` and `after` widths,
 *
 *     out.shape[a] = padWidth[2a] + data.shape[a] + padWidth[2a + 1]
 *
 * and the border holds `constantValue` ('constant'), the nearest edge value ('edge'), or the
 * mirror image excluding the edge ('reflect': [1, 2, 3] padded by 2 is [3, 2, 1, 2, 3, 2, 1];
 * widths must be smaller than the axis). Backward: each output gradient is added to the input
 * element it was copied from (in float64, rounded once); constant borders get none.
 *
 * @example
 * nd.pad(nd.array([[[[1, 2, 3]]]]), { mode: 'reflect', padWidth: [0, 0, 0, 0, 0, 0, 2, 1] }).toArray();
 * // [[[[3, 2, 1, 2, 3, 2]]]]
 */
export function pad(data: NDArray, options: PadOptions): NDArray {
  const x = checkArray('pad', 'data', data);
  const opts = checkOptions('pad', options);
  const mode = checkChoice('pad', 'mode', opts.mode, PAD_MODES);
  if (x.ndim !== 4 && x.ndim !== 5) {
    throw new GluonError(`pad: expected data of rank 4 or 5 (MXNet pads only 4-D and 5-D arrays), but got shape ${formatShape(x.shape)}`);
  }
  const widths = checkPadWidth(x, opts.padWidth);
  const value = opts.constantValue ?? 0;
  if (typeof value !== 'number') throw new GluonError(`pad: expected constantValue to be a number, but got ${describeValue(value)}`);
  checkSources(x, mode, widths);
  const plan = makePlan(x, mode, widths);
  const [inBlock, outBlock] = [shapeSize(x.shape.slice(2)), shapeSize(plan.outShape.slice(2))];
  const out = new Float32Array(shapeSize(plan.outShape));
  if (out.length > 0) {
    for (let b = 0; b < plan.blocks; b++) fillBlock(plan, 0, x.data, b * inBlock, out, b * outBlock, Math.fround(value));
  }
  return recordOp('pad', new NDArray(out, plan.outShape), [x], (dy) => {
    const dx = new Float64Array(x.size);
    if (dy.size > 0) for (let b = 0; b < plan.blocks; b++) gatherBlock(plan, 0, dy.data, b * outBlock, dx, b * inBlock);
    return [new NDArray(Float32Array.from(dx), x.shape)];
  });
}
