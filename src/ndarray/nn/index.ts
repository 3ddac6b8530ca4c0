/**
 * MXNet's neural-network operators (`mx.nd.InstanceNorm`, …), which the layers call through `F`.
 */
export { InstanceNorm } from './instance_norm';
export type { InstanceNormOpOptions } from './instance_norm';
export { BatchNorm } from './batch_norm';
export type { BatchNormOpOptions } from './batch_norm';
export { LayerNorm } from './layer_norm';
export type { LayerNormOpOptions } from './layer_norm';
export { GroupNorm } from './group_norm';
export type { GroupNormOpOptions } from './group_norm';
export { Activation } from './activation';
export type { ActType, ActivationOpOptions } from './activation';
export { LeakyReLU } from './leaky_relu';
export type { LeakyReLUActType, LeakyReLUOpOptions } from './leaky_relu';
export { Dropout } from './dropout';
export type { DropoutMode, DropoutOpOptions } from './dropout';
export { Flatten } from './flatten';
export { pad } from './pad';
export type { PadMode, PadOptions } from './pad';
export { UpSampling } from './upsampling';
export type { UpSamplingOpOptions, UpSamplingSampleType } from './upsampling';
export { Embedding } from './embedding';
export type { EmbeddingOpOptions } from './embedding';
export { Pooling } from './pooling';
export type { PoolingOpOptions } from './pooling';
