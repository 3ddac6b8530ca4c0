/**
 * The product and NaN-skipping reductions, MXNet's `prod`, `nanprod` and `nansum` (options as
 * `sum`: axis, keepdims, exclude), accumulated in float64 and rounded once.
 *
 * Gradients. nansum: dy where x is not NaN, 0 at NaN (MXNet's). prod: dy times the product of
 * the *other* values of the slice, computed exactly by prefix and suffix products
 * (`_backward_prod`). MXNet divides instead (dy·prod/x), which is NaN wherever x = 0 and loses the
 * one nonzero gradient of a slice holding a single zero; ours is exact there (and wherever prod/x
 * would over- or underflow). nanprod: the same with NaNs counted as 1, and 0 at NaN (MXNet: dy·prod/x).
 * Second derivatives are exact too (`_backward_backward_prod`); a third derivative of prod or
 * nanprod is not supported.
 */
import { GluonError } from '../core/errors';
import * as k from '../kernels/cpu/reduce';
import { lanesOf, productsOfOthers, productsOfOthersAdjoint } from '../kernels/cpu/reduce_lanes';
import type { NDArray } from '../ndarray/ndarray';
import { tupleAttr } from './attrs';
import { FrontendTable, standard } from './frontend';
import type { Nd } from './nd';
import { MaybeShape, Operator, Shape, ShapeInference, defineOperator } from './operator';
import { ReduceOptions, ReducePlan, reduction, spread } from './reduce';
import { runInto } from './run_into';
import { expectShape } from './shape_checks';

/** Which axes are reduced (1) and which kept (0), as `_broadcast_reduced` takes them. */
const LANE_ATTRS = { reduced: tupleAttr({ min: 0 }) };

/** The reduced shape of data of `shape`: the reduced axes kept with length 1. */
function keptShape(shape: readonly number[], reduced: readonly number[]): number[] {
  return shape.map((d, i) => (reduced[i] ? 1 : d));
}

/** Checks `reduced` and ograd (data's shape with the reduced axes of length 1) against data. */
function checkLanes(reduced: readonly number[], ograd: MaybeShape, data: Shape, who: string): void {
  if (reduced.length !== data.length) throw new GluonError(`${who}: expected reduced to have one flag per axis of data of rank ${data.length}, but got ${reduced.length}`);
  if (ograd !== undefined) expectShape(who, 'ograd', ograd, keptShape(data, reduced), data);
}

/** The sums of `values` (data's shape) over each slice, in ograd's shape; no axis reduced (`exclude` of every axis) leaves them. */
function sliceSums(F: Nd, values: NDArray, reduced: readonly number[], ograd: NDArray): NDArray {
  const axis = reduced.flatMap((r, d) => (r ? [d] : []));
  return axis.length === 0 ? values : F.reshapeLike(F.sum(values, { axis, keepdims: true }), ograd);
}

/**
 * `_backward_prod(ograd, data)`: dx = ograd (repeated over its slice) times the product of the
 * other values of the slice. ograd has the reduced shape with the reduced axes of length 1.
 * Gradient: to ograd, the slice sums of g times the products of the others; to data, the adjoint.
 */
export const BACKWARD_PROD: Operator = defineOperator({
  name: '_backward_prod',
  attrs: LANE_ATTRS,
  inputs: ['ograd', 'data'],
  inferShape: ({ reduced }, shapes, who): ShapeInference => {
    const [ograd, data] = shapes;
    if (data !== undefined) checkLanes(reduced, ograd, data, who);
    return { inputs: shapes, outputs: [data] };
  },
  forward: ({ attrs, inputs: [dy, x], outputs: [dx] }) => productsOfOthers(x.data, dy.data, lanesOf(x.shape, attrs.reduced.map(Boolean)), dx.data),
  backward: ({ attrs, inputs: [dy, x], outputGrads: [g], needsGrad }, F) => {
    return [
      needsGrad[0] ? sliceSums(F, F.multiply(g, runInto(F, BACKWARD_PROD, [F.onesLike(dy), x], attrs)), attrs.reduced, dy) : undefined,
      needsGrad[1] ? runInto(F, BACKWARD_BACKWARD_PROD, [dy, g, x], attrs) : undefined,
    ];
  },
});

/**
 * `_backward_backward_prod(ograd, head, data)`: the gradient of Σ head·_backward_prod(ograd, data)
 * with respect to data, ograd·Σ_{u≠v} head[u]·Π_{t≠u,v} data[t] per slice. Not differentiable.
 */
export const BACKWARD_BACKWARD_PROD: Operator = defineOperator({
  name: '_backward_backward_prod',
  attrs: LANE_ATTRS,
  inputs: ['ograd', 'head', 'data'],
  inferShape: ({ reduced }, shapes, who): ShapeInference => {
    const [ograd, head, data] = shapes;
    if (data !== undefined) checkLanes(reduced, ograd, data, who);
    if (data !== undefined && head !== undefined) expectShape(who, 'head', head, data, data);
    return { inputs: shapes, outputs: [data] };
  },
  forward: ({ attrs, inputs: [dy, w, x], outputs: [dx] }) =>
    productsOfOthersAdjoint(x.data, w.data, dy.data, lanesOf(x.shape, attrs.reduced.map(Boolean)), dx.data),
});

/** dy (spread over the slice) times the product of the others of each value, NaNs as 1 and 0 at NaN when `skipNaN`. */
function productGrad(skipNaN: boolean) {
  return (x: NDArray, _y: NDArray, dy: NDArray, plan: ReducePlan, F: Nd): NDArray => {
    const reduced = plan.reduced.map(Number);
    const ograd = F.reshape(dy, { shape: keptShape(x.shape, reduced) });
    if (!skipNaN) return runInto(F, BACKWARD_PROD, [ograd, x], { reduced });
    const isNumber = F.equal(x, x);
    const numbers = F.where(isNumber, x, F.onesLike(x));
    return F.multiply(runInto(F, BACKWARD_PROD, [ograd, numbers], { reduced }), isNumber);
  };
}

/** The reductions of this file, by frontend name. */
export const PRODUCT_REDUCE = {
  prod: reduction('prod', k.PROD, false, productGrad(false)),
  nanprod: reduction('nanprod', k.NANPROD, false, productGrad(true)),
  nansum: reduction('nansum', k.NANSUM, false, (x, _y, dy, plan, F) => F.multiply(spread(F, dy, x, plan), F.equal(x, x))),
} as const;

/** The product and NaN-skipping reductions of `nd` and `sym`. */
export interface ProductReduceSignatures<T> {
  /**
   * Product over `axis` (all axes when absent; options as `sum`), in float64; the product of
   * nothing is 1. Gradient: dy times the product of the other values of the slice, exact where
   * values are 0 (MXNet's dy·prod/x is NaN there).
   * @example nd.prod(nd.array([[1, 2, 3], [4, 5, 0]]), { axis: 1 }).toArray(); // [6, 0]
   */
  prod(data: T, options?: ReduceOptions): T;
  /**
   * Product over `axis` treating NaN as 1 (numpy's nanprod). Gradient: 0 at NaN, elsewhere dy
   * times the product of the other non-NaN values of the slice.
   * @example nd.nanprod(nd.array([[2, NaN, 3]]), { axis: 1 }).toArray(); // [6]
   */
  nanprod(data: T, options?: ReduceOptions): T;
  /**
   * Sum over `axis` treating NaN as 0 (numpy's nansum); a slice of NaNs sums to 0. Gradient: dy
   * where the value is not NaN, 0 at NaN.
   * @example nd.nansum(nd.array([[1, NaN], [NaN, NaN]]), { axis: 1 }).toArray(); // [1, 0]
   */
  nansum(data: T, options?: ReduceOptions): T;
}

export const PRODUCT_REDUCE_FRONTENDS: FrontendTable<ProductReduceSignatures<unknown>> = {
  prod: standard(PRODUCT_REDUCE.prod),
  nanprod: standard(PRODUCT_REDUCE.nanprod),
  nansum: standard(PRODUCT_REDUCE.nansum),
};
