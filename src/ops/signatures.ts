/**
 * Every operator frontend of `nd` and `sym`: the signature interfaces of the operator families
 * (with their documentation) and the one table that builds them. `nd` binds the table to NDArrays,
 * `sym` to Symbols, and a HybridBlock's `F` is either.
 */
import { ACTIVATION_FAMILY_FRONTENDS, ActivationFamilySignatures } from './activation_family';
import { ARITHMETIC_FRONTENDS, ArithmeticSignatures } from './arithmetic';
import { CONVOLUTION_FRONTENDS, ConvolutionSignatures } from './convolution';
import { CTC_FRONTENDS, CTCLossSignatures } from './ctc_loss';
import { BOOLEAN_MASK_FRONTENDS, BooleanMaskSignatures } from './boolean_mask';
import { CAST_FRONTENDS, CastSignatures } from './cast';
import { CUMSUM_FRONTENDS, CumsumSignatures } from './cumsum';
import { DIAG_FRONTENDS, DiagSignatures } from './diag';
import { GATHER_ND_FRONTENDS, GatherNdSignatures } from './gather_nd';
import { RNN_FRONTENDS, RNNSignatures } from './rnn';
import { DOT_FRONTENDS, DotSignatures } from './dot';
import { EMBEDDING_FRONTENDS, EmbeddingSignatures } from './embedding';
import type { FrontendTable } from './frontend';
import { FULLY_CONNECTED_FRONTENDS, FullyConnectedSignatures } from './fully_connected';
import { INDEX_FRONTENDS, IndexSignatures } from './index_ops';
import { JOIN_FRONTENDS, JoinSignatures } from './join';
import { NORMALIZATION_FRONTENDS, NormalizationSignatures } from './normalization';
import { PAD_FRONTENDS, PadSignatures } from './pad';
import { POOLING_FRONTENDS, PoolingSignatures } from './pooling';
import { REDUCE_FRONTENDS, ReduceSignatures } from './reduce';
import { PRODUCT_REDUCE_FRONTENDS, ProductReduceSignatures } from './reduce_prod';
import { SEQUENCE_FRONTENDS, SequenceSignatures } from './sequence';
import { SLICE_FRONTENDS, SliceSignatures } from './slice';
import { SLICE_ASSIGN_FRONTENDS, SliceAssignSignatures } from './slice_assign';
import { TRANSFORM_FRONTENDS, TransformSignatures } from './transform';
import { UNARY_FRONTENDS, UnarySignatures } from './unary';
import { UNARY_MATH_FRONTENDS, UnaryMathSignatures } from './unary_math';
import { SELECT_FRONTENDS, SelectSignatures } from './select';
import { ORDERING_FRONTENDS, OrderingSignatures } from './ordering';
import { UPSAMPLING_FRONTENDS, UpSamplingSignatures } from './upsampling';

/** The operators of `nd` (T = NDArray) and `sym` (T = Symbol). */
export interface OperatorSignatures<T>
  extends ArithmeticSignatures<T>, UnarySignatures<T>, ReduceSignatures<T>, TransformSignatures<T>,
    ConvolutionSignatures<T>, FullyConnectedSignatures<T>, DotSignatures<T>,
    JoinSignatures<T>, SliceSignatures<T>, IndexSignatures<T>, ActivationFamilySignatures<T>,
    NormalizationSignatures<T>, PoolingSignatures<T>, UnaryMathSignatures<T>, SelectSignatures<T>, OrderingSignatures<T>, UpSamplingSignatures<T>, PadSignatures<T>, EmbeddingSignatures<T>,
    ProductReduceSignatures<T>, SequenceSignatures<T>, CTCLossSignatures<T>, RNNSignatures<T>, SliceAssignSignatures<T>, CumsumSignatures<T>, CastSignatures<T>, GatherNdSignatures<T>, DiagSignatures<T>, BooleanMaskSignatures<T> {}

/** Every frontend, by name. */
export const FRONTENDS: FrontendTable<OperatorSignatures<unknown>> = {
  ...ARITHMETIC_FRONTENDS,
  ...UNARY_FRONTENDS,
  ...UNARY_MATH_FRONTENDS,
  ...SELECT_FRONTENDS,
  ...ORDERING_FRONTENDS,
  ...REDUCE_FRONTENDS,
  ...PRODUCT_REDUCE_FRONTENDS,
  ...SEQUENCE_FRONTENDS,
  ...CTC_FRONTENDS,
  ...RNN_FRONTENDS,
  ...CUMSUM_FRONTENDS,
  ...CAST_FRONTENDS,
  ...BOOLEAN_MASK_FRONTENDS,
  ...DIAG_FRONTENDS,
  ...GATHER_ND_FRONTENDS,
  ...TRANSFORM_FRONTENDS,
  ...CONVOLUTION_FRONTENDS,
  ...FULLY_CONNECTED_FRONTENDS,
  ...DOT_FRONTENDS,
  ...JOIN_FRONTENDS,
  ...SLICE_FRONTENDS,
  ...SLICE_ASSIGN_FRONTENDS,
  ...INDEX_FRONTENDS,
  ...ACTIVATION_FAMILY_FRONTENDS,
  ...NORMALIZATION_FRONTENDS,
  ...POOLING_FRONTENDS,
  ...UPSAMPLING_FRONTENDS,
  ...PAD_FRONTENDS,
  ...EMBEDDING_FRONTENDS,
};
