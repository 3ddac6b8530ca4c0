/**
 * Shape helpers of the activation, softmax and normalization operators: the (outer, length,
 * inner) lane view of an array along one axis, and the inference of gradient operators whose
 * inputs all have the data's shape.
 */
import { normalizeAxis, shapeSize } from '../core/shape';
import type { LaneView } from '../kernels/cpu/softmax';
import type { MaybeShape, Shape, ShapeInference } from './operator';
import { expectShape } from './shape_checks';

/** The lanes along `axis` (negative counts from the end; checked against the rank, naming `who`). */
export function laneView(shape: Shape, axis: number, who: string): LaneView {
  const a = normalizeAxis(axis, shape.length, who);
  return { outer: shapeSize(shape.slice(0, a)), length: shape[a], inner: shapeSize(shape.slice(a + 1)) };
}

/**
 * Inference of an operator whose inputs (`names`) all have one shape, which is also its output's:
 * the last known one (a gradient operator's forward data or output) fills in the others, and
 * every given one must equal it.
 */
export function sameShapeInference(who: string, names: readonly string[], shapes: readonly MaybeShape[]): ShapeInference<never> {
  const known = [...shapes].reverse().find((s) => s !== undefined);
  if (known === undefined) return { inputs: shapes, outputs: [undefined] };
  shapes.forEach((s, i) => s !== undefined && expectShape(who, names[i], s, known));
  return { inputs: shapes.map(() => known), outputs: [known] };
}
