/**
 * Strided iteration shared by the elementwise, broadcasting, reduction and transpose ops.
 *
 * An op describes each operand by its strides (in elements) over the axes of an iteration
 * shape, visited in row-major order. `planStrided` drops size-1 axes and merges neighbours
 * that are contiguous for every operand, so the common cases collapse to a single long run
 * (same shapes, a scalar, a per-channel bias); `forEachRun` then hands each innermost run to a
 * tight kernel loop. No per-element index arithmetic, no per-element index arrays.
 */
import { rowMajorStrides } from '../../core/shape';

/**
 * Strides of a row-major array of `shape` read as an array of the (broadcast) shape `target`:
 * `shape` is aligned at the last axis and its size-1 or missing axes get stride 0.
 */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = rowMajorStrides(shape);
  const offset = target.length - shape.length;
  return target.map((_, d) => (d < offset || shape[d - offset] === 1 ? 0 : own[d - offset]));
}

/** A collapsed iteration space: loop extents outermost first, with each operand's strides. */
export interface StridedPlan {
  /** Loop extents; the last one is the run handed to a kernel. Never empty. */
  readonly dims: readonly number[];
  readonly strides0: readonly number[];
  readonly strides1: readonly number[];
  /** The number of iterated elements (the product of `dims`). */
  readonly size: number;
}

/**
 * Plans a row-major walk over `shape` for up to two strided operands (`s1` defaults to an
 * operand that never moves). Axes of extent 1 are dropped and adjacent axes merged when both
 * operands step through them contiguously, which is what makes the kernels' runs long.
 */
export function planStrided(shape: readonly number[], s0: readonly number[], s1?: readonly number[]): StridedPlan {
  const dims: number[] = [];
  const strides0: number[] = [];
  const strides1: number[] = [];
  let size = 1;
  for (let d = 0; d < shape.length; d++) {
    const extent = shape[d];
    size *= extent;
    if (extent === 1) continue;
    const t0 = s0[d];
    const t1 = s1 === undefined ? 0 : s1[d];
    const last = dims.length - 1;
    if (last >= 0 && strides0[last] === t0 * extent && strides1[last] === t1 * extent) {
      dims[last] *= extent;
      strides0[last] = t0;
      strides1[last] = t1;
    } else {
      dims.push(extent);
      strides0.push(t0);
      strides1.push(t1);
    }
  }
  if (dims.length === 0) return { dims: [1], strides0: [0], strides1: [0], size };
  return { dims, strides0, strides1, size };
}

/**
 * Visits the innermost runs of a plan in row-major order. `visit(pos, off0, off1, n)` receives
 * the run's position in the walk (the offset into a contiguous output), each operand's offset,
 * and the run length; within the run operand k advances by the plan's last `stridesK`.
 */
export function forEachRun(plan: StridedPlan, visit: (pos: number, off0: number, off1: number, n: number) => void): void {
  const { dims, strides0, strides1, size } = plan;
  if (size === 0) return;
  const last = dims.length - 1;
  const run = dims[last];
  const index = new Array<number>(last).fill(0);
  let off0 = 0;
  let off1 = 0;
  for (let pos = 0; pos < size; pos += run) {
    visit(pos, off0, off1, run);
    // Odometer over the outer axes: step the innermost outer axis, carrying into the next.
    for (let d = last - 1; d >= 0; d--) {
      off0 += strides0[d];
      off1 += strides1[d];
      if (++index[d] < dims[d]) break;
      off0 -= strides0[d] * dims[d];
      off1 -= strides1[d] * dims[d];
      index[d] = 0;
    }
  }
}

/** The per-element step of each operand within a run of `plan`. */
export function innerStrides(plan: StridedPlan): [number, number] {
  const last = plan.dims.length - 1;
  return [plan.strides0[last], plan.strides1[last]];
}
