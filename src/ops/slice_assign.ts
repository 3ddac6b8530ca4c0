/**
 * MXNet's `_slice_assign` and `_slice_assign_scalar`: a new array equal to the data with the
 * region `slice` selects (the same begin/end/step rules) replaced by an array of the slice's shape
 * or by a number. The inputs are not modified (tsgluon's arrays are immutable from the outside;
 * MXNet's `x[a:b] = v` writes in place). Gradients: the output gradient with the region zeroed
 * for the data, the region of it for the value; both differentiable again.
 */
import { GluonError, formatShape } from '../core/errors';
import { assignStrided } from '../kernels/cpu/strided_slice';
import { floatAttr } from './attrs';
import { FrontendTable, standard } from './frontend';
import { Shape, ShapeInference, defineOperator } from './operator';
import { SLICE_ATTRS, SlicePlan, SliceOptions, planSlice } from './slice';

/** `_slice_assign(lhs, rhs)`: lhs with the slice replaced by rhs (the slice's shape). */
export const SLICE_ASSIGN = defineOperator({
  name: '_slice_assign',
  aliases: ['_crop_assign'],
  attrs: SLICE_ATTRS,
  inputs: ['lhs', 'rhs'],
  inferShape: (attrs, shapes, who): ShapeInference<SlicePlan> => {
    const [lhs, rhs] = shapes;
    if (lhs === undefined) return { inputs: shapes, outputs: [undefined] };
    const plan = planSlice(attrs, lhs, who);
    if (rhs !== undefined && (rhs.length !== plan.outShape.length || rhs.some((d, i) => d !== plan.outShape[i]))) {
      throw new GluonError(`${who}: expected rhs of the slice's shape ${formatShape(plan.outShape)}, but got ${formatShape(rhs)}`);
    }
    return { inputs: [lhs, plan.outShape], outputs: [lhs], plan };
  },
  forward: ({ plan, inputs: [lhs, rhs], outputs: [y] }) => {
    y.data.set(lhs.data);
    assignStrided(rhs.data, plan.base, plan.strides, plan.outShape, y.data);
  },
  backward: ({ attrs, outputGrads: [dy], needsGrad }, F) => [
    needsGrad[0] ? F.sliceAssignScalar(dy, { ...attrs, scalar: 0 }) : undefined,
    needsGrad[1] ? F.slice(dy, attrs) : undefined,
  ],
});

const SLICE_ASSIGN_SCALAR_ATTRS = { scalar: floatAttr({ default: 0, finite: false }), ...SLICE_ATTRS };

/** `_slice_assign_scalar(data)`: data with the slice set to `scalar` (rounded to float32). */
export const SLICE_ASSIGN_SCALAR = defineOperator({
  name: '_slice_assign_scalar',
  aliases: ['_crop_assign_scalar'],
  attrs: SLICE_ASSIGN_SCALAR_ATTRS,
  inputs: ['data'],
  inferShape: (attrs, shapes, who): ShapeInference<SlicePlan> => {
    const [data] = shapes;
    if (data === undefined) return { inputs: shapes, outputs: [undefined] };
    return { inputs: shapes, outputs: [data as Shape], plan: planSlice(attrs, data, who) };
  },
  forward: ({ attrs, plan, inputs: [x], outputs: [y] }) => {
    y.data.set(x.data);
    const fill = new Float32Array(plan.outShape.reduce((a, b) => a * b, 1)).fill(Math.fround(attrs.scalar));
    assignStrided(fill, plan.base, plan.strides, plan.outShape, y.data);
  },
  backward: ({ attrs, outputGrads: [dy] }, F) => [F.sliceAssignScalar(dy, { ...attrs, scalar: 0 })],
});

/** Options of `sliceAssignScalar`: the slice and the value. */
export interface SliceAssignScalarOptions extends SliceOptions {
  /** The value written into the slice. Default 0. */
  scalar?: number;
}

/** Slice assignment of `nd` and `sym`. */
export interface SliceAssignSignatures<T> {
  /**
   * MXNet's `_slice_assign`: a new array, `lhs` with `slice(lhs, { begin, end, step })` replaced
   * by `rhs` (which has the slice's shape); lhs itself is unchanged. Gradient: dy with the slice
   * zeroed (lhs), the slice of dy (rhs).
   * @example nd.sliceAssign(nd.zeros([2, 3]), nd.ones([2, 1]), { begin: [null, 1], end: [null, 2] }).toArray(); // [[0, 1, 0], [0, 1, 0]]
   */
  sliceAssign(lhs: T, rhs: T, options: SliceOptions): T;
  /**
   * MXNet's `_slice_assign_scalar`: a new array, `data` with the slice set to `scalar`.
   * @example nd.sliceAssignScalar(nd.ones([3]), { begin: [1], end: [null], scalar: 5 }).toArray(); // [1, 5, 5]
   */
  sliceAssignScalar(data: T, options: SliceAssignScalarOptions): T;
}

export const SLICE_ASSIGN_FRONTENDS: FrontendTable<SliceAssignSignatures<unknown>> = {
  sliceAssign: standard(SLICE_ASSIGN),
  sliceAssignScalar: standard(SLICE_ASSIGN_SCALAR),
};
