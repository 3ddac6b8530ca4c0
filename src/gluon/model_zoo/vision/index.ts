/**
 * `gluon.modelZoo.vision`, as MXNet 1.9's `gluon.model_zoo.vision`: every model, by MXNet's name
 * through `getModel` or by its function (MXNet's, in camelCase), with MXNet's architectures and
 * parameter names, so its published `.params` load (`pretrained: true`, read from disk).
 */
import { describeValue } from '../../../core/checks';
import { GluonError } from '../../../core/errors';
import type { HybridBlock } from '../../../nn/hybrid_block';
import { alexnet } from './alexnet';
import { densenet121, densenet161, densenet169, densenet201 } from './densenet';
import { inceptionV3 } from './inception';
import { mobilenet0_25, mobilenet0_5, mobilenet0_75, mobilenet1_0, mobilenetV2_0_25, mobilenetV2_0_5, mobilenetV2_0_75, mobilenetV2_1_0 } from './mobilenet';
import type { PretrainedOptions } from './model_store';
import { resnet101V1, resnet101V2, resnet152V1, resnet152V2, resnet18V1, resnet18V2, resnet34V1, resnet34V2, resnet50V1, resnet50V2 } from './resnet';
import { squeezenet1_0, squeezenet1_1 } from './squeezenet';
import { vgg11, vgg11Bn, vgg13, vgg13Bn, vgg16, vgg16Bn, vgg19, vgg19Bn } from './vgg';

export * from './alexnet';
export * from './densenet';
export * from './inception';
export * from './mobilenet';
export * from './resnet';
export * from './squeezenet';
export * from './vgg';
export { getModelFile, shortHash } from './model_store';
export type { PretrainedOptions } from './model_store';

/** Options of `getModel`: `pretrained`, `root`, `classes`, and the model's own. */
export type GetModelOptions = PretrainedOptions & { classes?: number } & Record<string, unknown>;

type ModelFunction = (options: never) => HybridBlock;

/** Every model by MXNet's name (`get_model`'s table). */
const MODELS: Readonly<Record<string, ModelFunction>> = {
  resnet18_v1: resnet18V1, resnet34_v1: resnet34V1, resnet50_v1: resnet50V1, resnet101_v1: resnet101V1, resnet152_v1: resnet152V1,
  resnet18_v2: resnet18V2, resnet34_v2: resnet34V2, resnet50_v2: resnet50V2, resnet101_v2: resnet101V2, resnet152_v2: resnet152V2,
  vgg11, vgg13, vgg16, vgg19, vgg11_bn: vgg11Bn, vgg13_bn: vgg13Bn, vgg16_bn: vgg16Bn, vgg19_bn: vgg19Bn,
  alexnet,
  densenet121, densenet161, densenet169, densenet201,
  'squeezenet1.0': squeezenet1_0, 'squeezenet1.1': squeezenet1_1,
  inceptionv3: inceptionV3,
  'mobilenet1.0': mobilenet1_0, 'mobilenet0.75': mobilenet0_75, 'mobilenet0.5': mobilenet0_5, 'mobilenet0.25': mobilenet0_25,
  'mobilenetv2_1.0': mobilenetV2_1_0, 'mobilenetv2_0.75': mobilenetV2_0_75, 'mobilenetv2_0.5': mobilenetV2_0_5, 'mobilenetv2_0.25': mobilenetV2_0_25,
};

/** The model names `getModel` takes, sorted. */
export function modelNames(): string[] {
  return Object.keys(MODELS).sort();
}

/**
 * A model by MXNet's name (any letter case), as MXNet's `get_model(name, **kwargs)`.
 *
 * @example
 * const net = gluon.modelZoo.vision.getModel('resnet18_v1', { classes: 10 });
 * net.initialize();
 * net(nd.zeros([1, 3, 224, 224])).shape; // [1, 10]
 */
export function getModel(name: string, options: GetModelOptions = {}): HybridBlock {
  const model = typeof name === 'string' ? MODELS[name.toLowerCase()] : undefined;
  if (model === undefined) {
    throw new GluonError(`getModel: model ${describeValue(name)} is not supported; available options are ${modelNames().join(', ')}`);
  }
  return model(options as never);
}
