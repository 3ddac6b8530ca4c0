/**
 * `booleanMask` (MXNet's `contrib.boolean_mask`): the slices of `data` along `axis` whose mask
 * entry is non-zero. The output's length depends on the mask's values, which a traced graph does
 * not have, so this is an `nd` function (a `take` of the kept positions, whose gradient puts the
 * output gradient back at them); `sym.booleanMask` throws, saying so.
 */
import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { normalizeAxis } from '../core/shape';
import { NDArray } from '../ndarray/ndarray';
import { Frontend, FrontendTable, NameOption, OpCaller } from './frontend';
import { TAKE } from './index_ops';

/** Options of `booleanMask`. */
export interface BooleanMaskOptions extends NameOption {
  /** The axis the mask runs along. Default 0. */
  axis?: number;
}

/** Boolean masking of `nd` (not `sym`: see the module comment). */
export interface BooleanMaskSignatures<T> {
  /**
   * The slices of `data` along `axis` where `index` (1-D, one entry per slice) is non-zero, in
   * order. Gradient: dy at the kept slices, zeros at the others.
   * @example nd.booleanMask(nd.array([[1, 2], [3, 4], [5, 6]]), nd.array([0, 1, 1])).toArray(); // [[3, 4], [5, 6]]
   */
  booleanMask(data: T, index: T, options?: BooleanMaskOptions): T;
}

const booleanMask: Frontend = <T>(caller: OpCaller<T>) => (data: unknown, index: unknown, options: BooleanMaskOptions = {}) => {
  const who = 'booleanMask';
  if (!(data instanceof NDArray) || !(index instanceof NDArray)) {
    throw new GluonError(`${who}: expected NDArrays (the output's length depends on the mask's values, so a traced graph cannot hold it; use it outside hybridized blocks), but got ${describeValue(data)} and ${describeValue(index)}`);
  }
  const axis = normalizeAxis(options.axis ?? 0, data.ndim, who);
  if (index.ndim !== 1 || index.size !== data.shape[axis]) {
    throw new GluonError(`${who}: expected a 1-D mask of ${data.shape[axis]} entries (data's axis ${axis}), but got shape ${formatShape(index.shape)}`);
  }
  // The mask may be any dtype (bool, as MXNet's comparisons give for numpy arrays, or int32).
  const mask = index.values;
  const kept = [...mask.keys()].filter((i) => mask[i] !== 0);
  const indices = new NDArray(Float32Array.from(kept), [kept.length]);
  return caller.call(TAKE, [data as T, indices as T], TAKE.resolveOptions({ axis }, who))[0];
};

export const BOOLEAN_MASK_FRONTENDS: FrontendTable<BooleanMaskSignatures<unknown>> = { booleanMask };
