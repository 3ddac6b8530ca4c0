/**
 * The `init` namespace: initializers and their registry, as `mxnet.init`.
 *
 * @example
 * import { init } from 'tsgluon';
 * const weight = init.create('xavier').initialize('dense0_weight', [64, 32]);
 */
export { Initializer } from './initializer';
export type { InitializerKwargs } from './initializer';
export type { JsonValue } from './python_json';
export { Zero, Zeros, One, Ones, Constant } from './constant';
export type { ConstantValue } from './constant';
export { Uniform } from './uniform';
export { Normal } from './normal';
export { Xavier, MSRAPrelu } from './xavier';
export type { XavierOptions, MSRAPreluOptions, FactorType, XavierRandomType } from './xavier';
export { Orthogonal } from './orthogonal';
export type { OrthogonalOptions, OrthogonalRandomType } from './orthogonal';
export { Bilinear } from './bilinear';
export { Mixed, Load } from './composite';
export { LSTMBias } from './lstm_bias';
export { FusedRNN } from './fused_rnn';
export type { FusedRNNOptions } from './fused_rnn';
export type { LoadOptions } from './composite';
export { create, register, registeredNames } from './registry';
export type { InitializerSpec, InitializerObjectSpec, InitializerFactory, InitializerArgs } from './registry';
