/**
 * MXNet's `gather_nd`, `scatter_nd` and `_backward_gather_nd` (src/operator/tensor/indexing_op.h):
 * indices (M, Y0, …) address the first M axes of an array; gather_nd reads the blocks there,
 * scatter_nd writes blocks into zeros of a given shape. Indices are float32 integers (negative
 * ones count from the end of their axis); one outside its axis is a GluonError naming it — MXNet
 * reads or writes out of bounds there.
 */
import { GluonError, formatShape } from '../core/errors';
import { shapeSize } from '../core/shape';
import { blockOffsets, gatherBlocks, scatterBlocks } from '../kernels/cpu/gather_nd';
import { tupleAttr } from './attrs';
import { FrontendTable, NameOption, standard } from './frontend';
import { MaybeShape, Shape, ShapeInference, defineOperator } from './operator';
import { runInto } from './run_into';
import type { NDArray } from '../ndarray/ndarray';

/** The addressed array's shape, the indices' shape and the result's: (Y…, X_M…). */
interface NdPlan { readonly data: Shape; readonly indices: Shape; readonly out: Shape }

function planNd(who: string, data: Shape, indices: Shape): NdPlan {
  const m = indices[0];
  if (indices.length < 1 || m < 1 || m > data.length) {
    throw new GluonError(`${who}: expected indices of shape (M, …) with 1 ≤ M ≤ ${data.length} (the addressed array's rank), but got ${formatShape(indices)}`);
  }
  return { data, indices, out: [...indices.slice(1), ...data.slice(m)] };
}

/** The block offsets of `indices` into an array of `plan.data`'s shape; a bad index is a GluonError. */
function offsetsOf(who: string, plan: NdPlan, indices: NDArray): Int32Array {
  const m = plan.indices[0];
  const positions = shapeSize(plan.indices.slice(1));
  const result = blockOffsets(indices.data, plan.data.slice(0, m), positions, shapeSize(plan.data.slice(m)));
  if (result instanceof Int32Array) return result;
  throw new GluonError(`${who}: expected indices on axis ${result.axis} to be integers in [-${plan.data[result.axis]}, ${plan.data[result.axis]}), but position ${result.position} has ${result.value}`);
}

const innerOf = (plan: NdPlan) => shapeSize(plan.data.slice(plan.indices[0]));

/** `gather_nd(data, indices)`: (Y…, X_M…). */
export const GATHER_ND = defineOperator({
  name: 'gather_nd',
  attrs: {},
  inputs: ['data', 'indices'],
  indexInputs: [1],
  inferShape: (_a, [data, indices], who): ShapeInference<NdPlan> => {
    if (data === undefined || indices === undefined) return { inputs: [data, indices], outputs: [undefined] };
    const plan = planNd(who, data, indices);
    return { inputs: [data, indices], outputs: [plan.out], plan };
  },
  forward: ({ plan, inputs: [data, indices], outputs: [y], who }) => gatherBlocks(data.data, offsetsOf(who, plan, indices), innerOf(plan), y.data),
  backward: ({ plan, inputs: [, indices], outputGrads: [dy], needsGrad, into }, F) => [
    needsGrad[0] ? runInto(F, BACKWARD_GATHER_ND, [dy, indices], { shape: plan.data }, into[0]) : undefined, undefined,
  ],
});

/** The plan of scatter_nd and _backward_gather_nd: data (Y…, X_M…) written into `shape`. */
function scatterInference(who: string, shape: readonly number[], data: MaybeShape, indices: MaybeShape): ShapeInference<NdPlan> {
  if (indices === undefined) return { inputs: [data, indices], outputs: [shape] };
  const plan = planNd(who, shape, indices);
  if (data !== undefined && (data.length !== plan.out.length || data.some((d, i) => d !== plan.out[i]))) {
    throw new GluonError(`${who}: expected data of shape ${formatShape(plan.out)} (indices ${formatShape(indices)} into ${formatShape(shape)}), but got ${formatShape(data)}`);
  }
  return { inputs: [plan.out, indices], outputs: [shape], plan };
}

/** `scatter_nd(data, indices, shape)`: zeros of `shape` with data's blocks written at indices (a repeated index: the last write wins). */
export const SCATTER_ND = defineOperator({
  name: 'scatter_nd',
  attrs: { shape: tupleAttr() },
  inputs: ['data', 'indices'],
  indexInputs: [1],
  inferShape: ({ shape }, [data, indices], who) => scatterInference(who, shape, data, indices),
  forward: ({ plan, inputs: [data, indices], outputs: [y], who }) => scatterBlocks(data.data, offsetsOf(who, plan, indices), innerOf(plan), y.data, false),
  backward: ({ inputs: [, indices], outputGrads: [dy], needsGrad }, F) => [needsGrad[0] ? F.gatherNd(dy, indices) : undefined, undefined],
});

/** `_backward_gather_nd(data, indices, shape)`: as scatter_nd, repeated indices summed (float64). */
export const BACKWARD_GATHER_ND = defineOperator({
  name: '_backward_gather_nd',
  attrs: { shape: tupleAttr() },
  inputs: ['data', 'indices'],
  inferShape: ({ shape }, [data, indices], who) => scatterInference(who, shape, data, indices),
  forward: ({ plan, inputs: [data, indices], outputs: [y], who }) => scatterBlocks(data.data, offsetsOf(who, plan, indices), innerOf(plan), y.data, true),
  backward: ({ inputs: [, indices], outputGrads: [dy], needsGrad }, F) => [needsGrad[0] ? F.gatherNd(dy, indices) : undefined, undefined],
});

/** N-d gathering and scattering of `nd` and `sym`. */
export interface GatherNdSignatures<T> {
  /**
   * MXNet's `gather_nd`: with indices (M, Y0, …), out[y…] = data[indices[0, y…], …, indices[M−1, y…], …],
   * shape (Y0, …, data.shape[M], …). Gradient: scatter-add into data's shape.
   * @example nd.gatherNd(nd.array([[0, 1], [2, 3]]), nd.array([[1, 0], [0, 1]])).toArray(); // [2, 1]
   */
  gatherNd(data: T, indices: T, options?: NameOption): T;
  /**
   * MXNet's `scatter_nd`: zeros of `shape` with out[indices[:, y…]] = data[y…] (a repeated index: the last wins).
   * @example nd.scatterNd(nd.array([2, 3]), nd.array([[1, 1], [0, 1]]), { shape: [2, 2] }).toArray(); // [[0, 0], [2, 3]]
   */
  scatterNd(data: T, indices: T, options: { shape: readonly number[] } & NameOption): T;
}

export const GATHER_ND_FRONTENDS: FrontendTable<GatherNdSignatures<unknown>> = {
  gatherNd: standard(GATHER_ND),
  scatterNd: standard(SCATTER_ND),
};
