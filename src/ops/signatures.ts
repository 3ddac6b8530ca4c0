/**
 * Every operator frontend of `nd` and `sym`: the signature interfaces of the operator families
 * (with their documentation) and the one table that builds them. `nd` binds the table to NDArrays,
 * `sym` to Symbols, and a HybridBlock's `F` is either.
 */
import { ARITHMETIC_FRONTENDS, ArithmeticSignatures } from './arithmetic';
import type { FrontendTable } from './frontend';
import { REDUCE_FRONTENDS, ReduceSignatures } from './reduce';
import { TRANSFORM_FRONTENDS, TransformSignatures } from './transform';
import { UNARY_FRONTENDS, UnarySignatures } from './unary';

/** The operators of `nd` (T = NDArray) and `sym` (T = Symbol). */
export interface OperatorSignatures<T>
  extends ArithmeticSignatures<T>, UnarySignatures<T>, ReduceSignatures<T>, TransformSignatures<T> {}

/** Every frontend, by name. */
export const FRONTENDS: FrontendTable<OperatorSignatures<unknown>> = {
  ...ARITHMETIC_FRONTENDS,
  ...UNARY_FRONTENDS,
  ...REDUCE_FRONTENDS,
  ...TRANSFORM_FRONTENDS,
};
