/**
 * The `nn` namespace (also `gluon.nn`): Blocks, Parameters and layers, as `mxnet.gluon.nn`.
 */
export { Block } from './block';
export type { BlockOptions, ForwardHook, HookHandle, HybridizeOptions, Tensor } from './block';
export { Parameter } from './parameter';
export type { GradReq, InitializerSpec, ParameterOptions, ParameterInitOptions } from './parameter';
export { ParameterDict } from './parameter_dict';
export type { DictLoadOptions, InitializeOptions } from './parameter_dict';
export { InstanceNorm } from './instance_norm';
export type { InstanceNormOptions } from './instance_norm';
export { BatchNorm } from './batch_norm';
export type { BatchNormOptions } from './batch_norm';
export { LayerNorm } from './layer_norm';
export type { LayerNormOptions } from './layer_norm';
export { GroupNorm } from './group_norm';
export type { GroupNormOptions } from './group_norm';
export { Activation, LeakyReLU, PReLU, ELU, SELU, GELU, Swish } from './activations';
export type { PReLUOptions } from './activations';
export { Dropout } from './dropout';
export type { DropoutOptions } from './dropout';
export { Flatten } from './flatten';
export { Lambda, HybridLambda } from './lambda';
export { ReflectionPad2D } from './reflection_pad';
export { Embedding } from './embedding';
export type { EmbeddingOptions } from './embedding';
export { Dense } from './dense';
export type { DenseOptions } from './dense';
export { ConvBase, Conv1D, Conv2D, Conv3D, Conv1DTranspose, Conv2DTranspose, Conv3DTranspose } from './conv';
export type { ConvOptions, ConvTransposeOptions, SpatialSize } from './conv';
export {
  PoolingBase, MaxPool1D, MaxPool2D, MaxPool3D, AvgPool1D, AvgPool2D, AvgPool3D,
  GlobalMaxPool1D, GlobalMaxPool2D, GlobalMaxPool3D, GlobalAvgPool1D, GlobalAvgPool2D, GlobalAvgPool3D,
} from './pooling';
export type { MaxPoolOptions, AvgPoolOptions, GlobalPoolOptions } from './pooling';
export { HybridBlock } from './hybrid_block';
export type { HybridF, NDNamespace, ParamArrays, TensorRecord } from './hybrid_block';
export { SymbolBlock } from './symbol_block';
export type { ExportedModel } from './export';
export { Sequential, HybridSequential } from './sequential';
export type { SaveParametersOptions, LoadParametersOptions } from './parameter_files';
