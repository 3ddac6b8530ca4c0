/**
 * MXNet's neural-network operators (`mx.nd.InstanceNorm`, …), which the layers call through `F`.
 */
export { Flatten } from './flatten';
export { pad } from './pad';
export type { PadMode, PadOptions } from './pad';
export { UpSampling } from './upsampling';
export type { UpSamplingOpOptions, UpSamplingSampleType } from './upsampling';
export { Embedding } from './embedding';
export type { EmbeddingOpOptions } from './embedding';
export { Pooling } from './pooling';
export type { PoolingOpOptions } from './pooling';
