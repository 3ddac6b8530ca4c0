/**
 * The activation family, registered together: Activation, LeakyReLU, Dropout, softmax,
 * log_softmax, SoftmaxActivation, SoftmaxOutput and L2Normalization, with their gradient
 * operators (signatures.ts and table.ts list the family through this file).
 */
import { ACTIVATION, ACTIVATION_BACKWARD, ACTIVATION_FRONTENDS, ActivationSignatures } from './activation';
import { DROPOUT, DROPOUT_FRONTENDS, DropoutSignatures } from './dropout';
import type { FrontendTable } from './frontend';
import { L2_NORMALIZATION, L2_NORMALIZATION_BACKWARD, L2_NORMALIZATION_FRONTENDS, L2NormalizationSignatures } from './l2_normalization';
import { LEAKY_RELU, LEAKY_RELU_BACKWARD, LEAKY_RELU_FRONTENDS, LeakyReLUSignatures } from './leaky_relu';
import type { Operator } from './operator';
import {
  LOG_SOFTMAX, LOG_SOFTMAX_BACKWARD, SOFTMAX, SOFTMAX_ACTIVATION, SOFTMAX_BACKWARD, SOFTMAX_FRONTENDS, SoftmaxSignatures,
} from './softmax';
import { SOFTMAX_OUTPUT, SOFTMAX_OUTPUT_BACKWARD, SOFTMAX_OUTPUT_FRONTENDS, SoftmaxOutputSignatures } from './softmax_output';

/** The family's operators of `nd` and `sym`. */
export interface ActivationFamilySignatures<T>
  extends ActivationSignatures<T>, LeakyReLUSignatures<T>, DropoutSignatures<T>, SoftmaxSignatures<T>, SoftmaxOutputSignatures<T>,
    L2NormalizationSignatures<T> {}

export const ACTIVATION_FAMILY_FRONTENDS: FrontendTable<ActivationFamilySignatures<unknown>> = {
  ...ACTIVATION_FRONTENDS,
  ...LEAKY_RELU_FRONTENDS,
  ...DROPOUT_FRONTENDS,
  ...SOFTMAX_FRONTENDS,
  ...SOFTMAX_OUTPUT_FRONTENDS,
  ...L2_NORMALIZATION_FRONTENDS,
};

/** The family's operators, for the registry. */
export const ACTIVATION_FAMILY_OPERATORS: readonly Operator[] = [
  ACTIVATION, ACTIVATION_BACKWARD, LEAKY_RELU, LEAKY_RELU_BACKWARD, DROPOUT,
  SOFTMAX, SOFTMAX_BACKWARD, LOG_SOFTMAX, LOG_SOFTMAX_BACKWARD, SOFTMAX_ACTIVATION,
  SOFTMAX_OUTPUT, SOFTMAX_OUTPUT_BACKWARD, L2_NORMALIZATION, L2_NORMALIZATION_BACKWARD,
];
