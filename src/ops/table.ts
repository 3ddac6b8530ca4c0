/**
 * The operator registry: every operator by MXNet's name and aliases, from an explicit table (no
 * registration as a side effect of importing a file). Symbol files name operators this way.
 */
import { GluonError } from '../core/errors';
import { CONVOLUTION, CONVOLUTION_WEIGHT_GRAD, DECONVOLUTION } from './convolution';
import { BATCH_DOT, DOT } from './dot';
import { BROADCAST, ELEMWISE } from './elementwise';
import { FULLY_CONNECTED, FULLY_CONNECTED_DATA_GRAD, FULLY_CONNECTED_WEIGHT_GRAD } from './fully_connected';
import type { Operator } from './operator';
import { ARG, BROADCAST_REDUCED, REDUCE } from './reduce';
import { SCALAR } from './scalar';
import {
  BROADCAST_LIKE, BROADCAST_TO, EXPAND_DIMS, FLATTEN, RESHAPE, RESHAPE_LIKE, SQUEEZE, SWAP_AXIS, TRANSPOSE,
} from './transform';
import { CLIP, UNARY } from './unary';

/** Every operator. */
export const OPERATORS: readonly Operator[] = [
  ...Object.values(BROADCAST), ...Object.values(ELEMWISE), ...Object.values(SCALAR),
  ...Object.values(UNARY), CLIP,
  ...Object.values(REDUCE), ...Object.values(ARG), BROADCAST_REDUCED,
  RESHAPE, RESHAPE_LIKE, FLATTEN, EXPAND_DIMS, SQUEEZE, TRANSPOSE, SWAP_AXIS, BROADCAST_TO, BROADCAST_LIKE,
  CONVOLUTION, DECONVOLUTION, CONVOLUTION_WEIGHT_GRAD, FULLY_CONNECTED, FULLY_CONNECTED_DATA_GRAD, FULLY_CONNECTED_WEIGHT_GRAD, DOT, BATCH_DOT,
];

const BY_NAME = new Map<string, Operator>(OPERATORS.flatMap((op) => [[op.name, op], ...op.aliases.map((alias): [string, Operator] => [alias, op])]));

/** Whether an operator is public (MXNet's internal `_backward_*` ones are not listed to users). */
function isPublic(name: string): boolean {
  return !name.startsWith('_backward') && !name.startsWith('_broadcast_reduced');
}

/** The operator called `name` (MXNet's name or an alias); `who` names the asker in the error. */
export function lookupOperator(name: string, who: string): Operator {
  const op = BY_NAME.get(name);
  if (op !== undefined) return op;
  const known = OPERATORS.map((o) => o.name).filter(isPublic).sort().join(', ');
  throw new GluonError(`${who}: operator '${name}' is not supported by tsgluon; the supported operators are: ${known}`);
}
