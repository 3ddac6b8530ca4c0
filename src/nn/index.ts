/**
 * The `nn` namespace (also `gluon.nn`): Blocks, Parameters and layers, as `mxnet.gluon.nn`.
 */
export { Block } from './block';
export type { BlockOptions, ForwardHook, HookHandle } from './block';
export { Parameter } from './parameter';
export type { GradReq, InitializerSpec, ParameterOptions, ParameterInitOptions } from './parameter';
export { ParameterDict } from './parameter_dict';
export type { InitializeOptions } from './parameter_dict';
export { InstanceNorm } from './instance_norm';
export type { InstanceNormOptions } from './instance_norm';
export { HybridBlock } from './hybrid_block';
export type { NDNamespace, ParamArrays } from './hybrid_block';
export { Sequential, HybridSequential } from './sequential';
export type { SaveParametersOptions, LoadParametersOptions } from './parameter_files';
