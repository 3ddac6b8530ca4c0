/**
 * The operator registry: every operator by MXNet's name and aliases, from an explicit table (no
 * registration as a side effect of importing a file). Symbol files name operators this way.
 */
import { GluonError } from '../core/errors';
import { ACTIVATION_FAMILY_OPERATORS } from './activation_family';
import { CAST } from './cast';
import { CONVOLUTION, CONVOLUTION_WEIGHT_GRAD, DECONVOLUTION } from './convolution';
import { CTC_LOSS } from './ctc_loss';
import { CUMSUM } from './cumsum';
import { BACKWARD_DIAG, DIAG } from './diag';
import { BACKWARD_GATHER_ND, GATHER_ND, SCATTER_ND } from './gather_nd';
import { RNN } from './rnn';
import { BATCH_DOT, DOT } from './dot';
import { BROADCAST, ELEMWISE } from './elementwise';
import { EMBEDDING, EMBEDDING_GRAD } from './embedding';
import { FULLY_CONNECTED, FULLY_CONNECTED_DATA_GRAD, FULLY_CONNECTED_WEIGHT_GRAD } from './fully_connected';
import { BACKWARD_PICK, BACKWARD_TAKE, ONE_HOT, PICK, TAKE } from './index_ops';
import { CONCAT, SLICE_CHANNEL, STACK } from './join';
import { BATCH_NORM_GRAD, GROUP_NORM_GRAD, INSTANCE_NORM_GRAD, LAYER_NORM_GRAD } from './norm_backward';
import { BATCH_NORM, GROUP_NORM, INSTANCE_NORM, LAYER_NORM } from './normalization';
import type { Operator } from './operator';
import { POLYGAMMA, UNARY_MATH } from './unary_math';
import { REVERSE, TILE, WHERE } from './select';
import { ARGSORT, GATHER_LANES, SCATTER_LANES, SORT, TOPK } from './ordering';
import { PAD, PAD_GRAD } from './pad';
import { POOLING, POOLING_GATHER, POOLING_GRAD } from './pooling';
import { ARG, BROADCAST_REDUCED, NORM, REDUCE } from './reduce';
import { BACKWARD_BACKWARD_PROD, BACKWARD_PROD, PRODUCT_REDUCE } from './reduce_prod';
import { SCALAR, SMOOTH_L1 } from './scalar';
import { BACKWARD_SEQUENCE_LAST, SEQUENCE_LAST, SEQUENCE_MASK, SEQUENCE_REVERSE } from './sequence';
import { BACKWARD_SLICE, BACKWARD_SLICE_AXIS, SLICE, SLICE_AXIS } from './slice';
import { SLICE_ASSIGN, SLICE_ASSIGN_SCALAR } from './slice_assign';
import {
  BROADCAST_LIKE, BROADCAST_TO, EXPAND_DIMS, FLATTEN, RESHAPE, RESHAPE_LIKE, SQUEEZE, SWAP_AXIS, TRANSPOSE,
} from './transform';
import { CLIP, UNARY } from './unary';
import { UPSAMPLING, UPSAMPLING_GRAD } from './upsampling';

/** Every operator. */
export const OPERATORS: readonly Operator[] = [
  ...Object.values(BROADCAST), ...Object.values(ELEMWISE), ...Object.values(SCALAR),
  ...Object.values(UNARY), CLIP,
  ...Object.values(REDUCE), ...Object.values(ARG), BROADCAST_REDUCED, NORM,
  ...Object.values(PRODUCT_REDUCE), BACKWARD_PROD, BACKWARD_BACKWARD_PROD,
  RESHAPE, RESHAPE_LIKE, FLATTEN, EXPAND_DIMS, SQUEEZE, TRANSPOSE, SWAP_AXIS, BROADCAST_TO, BROADCAST_LIKE,
  CONVOLUTION, DECONVOLUTION, CONVOLUTION_WEIGHT_GRAD, FULLY_CONNECTED, FULLY_CONNECTED_DATA_GRAD, FULLY_CONNECTED_WEIGHT_GRAD, DOT, BATCH_DOT,
  CONCAT, STACK, SLICE_CHANNEL, SLICE_AXIS, BACKWARD_SLICE_AXIS, SLICE, BACKWARD_SLICE, SLICE_ASSIGN, SLICE_ASSIGN_SCALAR, PICK, BACKWARD_PICK, TAKE, BACKWARD_TAKE, ONE_HOT,
  ...ACTIVATION_FAMILY_OPERATORS,
  ...Object.values(UNARY_MATH), POLYGAMMA, SMOOTH_L1, CAST,
  SEQUENCE_MASK, SEQUENCE_LAST, BACKWARD_SEQUENCE_LAST, SEQUENCE_REVERSE,
  WHERE, TILE, REVERSE, TOPK, SORT, ARGSORT, GATHER_LANES, SCATTER_LANES,
  INSTANCE_NORM, BATCH_NORM, LAYER_NORM, GROUP_NORM, INSTANCE_NORM_GRAD, BATCH_NORM_GRAD, LAYER_NORM_GRAD, GROUP_NORM_GRAD,
  POOLING, POOLING_GRAD, POOLING_GATHER,
  UPSAMPLING, UPSAMPLING_GRAD, PAD, PAD_GRAD, EMBEDDING, EMBEDDING_GRAD, CTC_LOSS, RNN, CUMSUM, GATHER_ND, SCATTER_ND, BACKWARD_GATHER_ND, DIAG, BACKWARD_DIAG,
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
