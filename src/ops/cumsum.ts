/**
 * MXNet's `cumsum` (`np.cumsum`, `_np_cumsum`): running sums along an axis, or over the
 * flattened array. Gradient: the running sums of the output gradient from the end (reverse,
 * cumsum, reverse), differentiable again.
 */
import { normalizeAxis, shapeSize } from '../core/shape';
import { cumsum } from '../kernels/cpu/cumsum';
import { intAttr, optionalAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { ShapeInference, defineOperator } from './operator';

/** The view cumsum runs on: (outer, length, inner), and the output shape. */
interface CumsumPlan {
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
  readonly outShape: readonly number[];
}

export const CUMSUM = defineOperator({
  name: '_np_cumsum',
  aliases: ['cumsum'],
  attrs: { axis: optionalAttr(intAttr()) },
  inputs: ['a'],
  inferShape: ({ axis }, [shape], who): ShapeInference<CumsumPlan> => {
    if (shape === undefined) return { inputs: [shape], outputs: [undefined] };
    if (axis === null) {
      const size = shapeSize(shape);
      return { inputs: [shape], outputs: [[size]], plan: { outer: 1, length: size, inner: 1, outShape: [size] } };
    }
    const a = normalizeAxis(axis, shape.length, who);
    const plan = { outer: shapeSize(shape.slice(0, a)), length: shape[a], inner: shapeSize(shape.slice(a + 1)), outShape: shape };
    return { inputs: [shape], outputs: [shape], plan };
  },
  forward: ({ plan, inputs: [x], outputs: [y] }) => cumsum(x.data, y.data, plan.outer, plan.length, plan.inner),
  backward: ({ attrs: { axis }, inputs: [x], outputGrads: [dy] }, F) => {
    const along = axis ?? 0;
    const suffix = F.reverse(F.cumsum(F.reverse(dy, { axis: along }), { axis: along }), { axis: along });
    return [axis === null ? F.reshapeLike(suffix, x) : suffix];
  },
});

/** Options of `cumsum`. */
export interface CumsumOptions extends NameOption {
  /** The axis (negative counts from the end); null (default) sums over the flattened array. */
  axis?: number | null;
}

/** Cumulative sums of `nd` and `sym`. */
export interface CumsumSignatures<T> {
  /**
   * numpy's `cumsum` (MXNet's `np.cumsum`): out[…, k, …] = Σ_{j ≤ k} x[…, j, …] along `axis`,
   * or over the flattened array (1-D output) when `axis` is null; float64 sums rounded once.
   * @example nd.cumsum(nd.array([[1, 2], [3, 4]]), { axis: 1 }).toArray(); // [[1, 3], [3, 7]]
   */
  cumsum(a: T, options?: CumsumOptions): T;
}

export const CUMSUM_FRONTENDS: FrontendTable<CumsumSignatures<unknown>> = { cumsum: standard(CUMSUM) };
