/**
 * MXNet's `where`, `tile` and `reverse` (alias `flip`): selecting, repeating and mirroring
 * values. Each gradient is written with registered operators, so it is differentiable again.
 */
import { GluonError, formatShape } from '../core/errors';
import { rowMajorStrides, shapeSize, shapesEqual } from '../core/shape';
import { gather } from '../kernels/cpu/copy';
import type { NDArray } from '../ndarray/ndarray';
import { tupleAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { Operator, defineOperator } from './operator';

/** `where(condition, x, y)`: x where condition ≠ 0, else y; all three of one shape. */
export const WHERE: Operator = defineOperator({
  name: 'where',
  attrs: {},
  inputs: ['condition', 'x', 'y'],
  inferShape: (_, shapes, who) => {
    const known = shapes.find((s) => s !== undefined);
    shapes.forEach((s, i) => {
      if (s !== undefined && known !== undefined && !shapesEqual(s, known)) {
        throw new GluonError(`${who}: expected condition, x and y of one shape, but got ${formatShape(known)} and ${formatShape(s)} (input ${i})`);
      }
    });
    return { inputs: shapes.map(() => known), outputs: [known] };
  },
  forward: ({ inputs: [c, x, y], outputs: [out] }) => {
    const cd = c.data, xd = x.data, yd = y.data, od = out.data;
    for (let i = 0; i < od.length; i++) od[i] = cd[i] !== 0 ? xd[i] : yd[i];
  },
  // The condition is piecewise constant: no gradient (MXNet gives it zeros).
  backward: ({ inputs: [c], outputGrads: [dy], needsGrad }, F) => [
    needsGrad[0] ? F.zerosLike(c) : undefined,
    needsGrad[1] ? F.where(c, dy, F.zerosLike(dy)) : undefined,
    needsGrad[2] ? F.where(c, F.zerosLike(dy), dy) : undefined,
  ],
});

/** The shapes of tile: reps padded to the rank (as MXNet: leading 1s on the shorter side). */
function tilePlan(shape: readonly number[], reps: readonly number[]): { inShape: number[]; reps: number[] } {
  const rank = Math.max(shape.length, reps.length);
  const pad = (v: readonly number[]) => [...new Array<number>(rank - v.length).fill(1), ...v];
  return { inShape: pad(shape), reps: pad(reps) };
}

/**
 * `tile(data, reps)`: the data repeated reps[i] times along axis i (MXNet's / numpy's tile).
 * Output dim i = inShape[i]·reps[i]; read as the (reps₀, d₀, reps₁, d₁, …) array whose rep axes
 * have stride 0, which is already the output's row-major order.
 */
export const TILE: Operator = defineOperator({
  name: 'tile',
  attrs: { reps: tupleAttr({ min: 0 }) },
  inputs: ['data'],
  inferShape: ({ reps }, shapes) => {
    const [shape] = shapes;
    if (shape === undefined) return { inputs: shapes, outputs: [undefined] };
    const plan = tilePlan(shape, reps);
    return { inputs: shapes, outputs: [plan.inShape.map((d, i) => d * plan.reps[i])], plan };
  },
  forward: ({ plan, outputs: [y], inputs: [x] }) => {
    const strides = rowMajorStrides(plan.inShape);
    const shape = plan.inShape.flatMap((d, i) => [plan.reps[i], d]);
    gather(x.data, plan.inShape.flatMap((_, i) => [0, strides[i]]), shape, y.data);
  },
  // Each input value feeds every repetition: the sum over the rep axes of dy viewed as (r₀, d₀, r₁, d₁, …).
  backward: ({ plan, inputs: [x], outputGrads: [dy] }, F) => {
    const interleaved = plan.inShape.flatMap((d, i) => [plan.reps[i], d]);
    const repAxes = plan.inShape.map((_, i) => 2 * i);
    return [F.reshape(F.sum(F.reshape(dy, { shape: interleaved }), { axis: repAxes }), { shape: x.shape })];
  },
});

/** `reverse(data, axis)`: the order of the values along each given axis reversed (`flip`). */
export const REVERSE: Operator = defineOperator({
  name: 'reverse',
  aliases: ['flip'],
  attrs: { axis: tupleAttr({ scalarOk: true }) },
  inputs: ['data'],
  inferShape: ({ axis }, shapes, who) => {
    const [shape] = shapes;
    if (shape === undefined) return { inputs: shapes, outputs: [undefined] };
    const axes = axis.map((a) => {
      if (a < -shape.length || a >= shape.length) throw new GluonError(`${who}: expected axes in [${-shape.length}, ${shape.length - 1}], but got ${a} for shape ${formatShape(shape)}`);
      return a < 0 ? a + shape.length : a;
    });
    return { inputs: shapes, outputs: [shape], plan: new Set(axes) };
  },
  forward: ({ plan, inputs: [x], outputs: [y] }) => reverseAxes(x, plan, y.data),
  backward: ({ attrs, outputGrads: [dy] }, F) => [F.reverse(dy, { axis: attrs.axis })],
});

/** Reads x with negated strides on the reversed axes, starting from the mirrored corner. */
function reverseAxes(x: NDArray, axes: ReadonlySet<number>, out: Float32Array): void {
  if (shapeSize(x.shape) === 0) return;
  const strides = rowMajorStrides(x.shape);
  let start = 0;
  const steps = strides.map((s, i) => {
    if (!axes.has(i)) return s;
    start += (x.shape[i] - 1) * s;
    return -s;
  });
  let n = 0;
  // Depth is the rank (at most 32).
  const walk = (axis: number, base: number): void => {
    if (axis === x.shape.length) {
      out[n++] = x.data[base];
      return;
    }
    for (let i = 0; i < x.shape[axis]; i++) walk(axis + 1, base + i * steps[axis]);
  };
  walk(0, start);
}

/** Selection and repetition of `nd` and `sym`. */
export interface SelectSignatures<T> {
  /**
   * x where condition ≠ 0, else y (MXNet's `where`; the three of one shape). Gradient: dy to x
   * where the condition holds, to y elsewhere; none to the condition.
   * @example nd.where(nd.array([1, 0]), nd.array([1, 2]), nd.array([3, 4])).toArray(); // [1, 4]
   */
  where(condition: T, x: T, y: T, options?: NameOption): T;
  /**
   * The data repeated `reps[i]` times along axis i (numpy's `tile`; reps and shape padded with
   * leading 1s to one length). Gradient: the sum over the repetitions.
   * @example nd.tile(nd.array([[1, 2]]), { reps: [2, 2] }).toArray(); // [[1, 2, 1, 2], [1, 2, 1, 2]]
   */
  tile(data: T, options: { reps: readonly number[] } & NameOption): T;
  /**
   * The values along each of `axis` (one axis or several) in reverse order (MXNet's `reverse`,
   * also `flip`). Gradient: dy reversed the same way.
   * @example nd.flip(nd.array([[1, 2, 3]]), { axis: 1 }).toArray(); // [[3, 2, 1]]
   */
  reverse(data: T, options: { axis: number | readonly number[] } & NameOption): T;
  /** The same as `reverse`. */
  flip(data: T, options: { axis: number | readonly number[] } & NameOption): T;
}

export const SELECT_FRONTENDS: FrontendTable<SelectSignatures<unknown>> = {
  where: standard(WHERE),
  tile: standard(TILE),
  reverse: standard(REVERSE),
  flip: standard(REVERSE),
};

