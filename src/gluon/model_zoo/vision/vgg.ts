/**
 * VGG (Simonyan & Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
 * Recognition"), with or without BatchNorm, as MXNet 1.9's `gluon.model_zoo.vision.vgg`: MXNet's
 * layers, names (`vgg0_conv0_weight`, `vgg0_dense0_weight`, …) and initializers.
 */
import { GluonError } from '../../../core/errors';
import type { BlockOptions, Tensor } from '../../../nn/block';
import type { HybridF } from '../../../nn/hybrid_block';
import { HybridBlock } from '../../../nn/hybrid_block';
import * as nn from '../../../nn';
import { Xavier } from '../../../init/xavier';
import { PretrainedOptions, withPretrained } from './model_store';
import { checkModelOptions } from './model_options';

/** Options of VGG. */
export interface VGGOptions extends BlockOptions {
  /** Number of classes of the output layer. Default 1000. */
  classes?: number;
  /** A BatchNorm after every convolution. Default false. */
  batchNorm?: boolean;
}

/**
 * VGG: blocks of `layers[i]` 3×3 convolutions of `filters[i]` channels (each with relu, and
 * BatchNorm first when `batchNorm`), each block ending in 2×2 max-pooling; two Dense(4096, relu)
 * with Dropout(0.5); a Dense output. Input (N, 3, 224, 224) (the Dense layers expect a 7×7 map),
 * output (N, classes).
 *
 * @example new modelZoo.vision.VGG([2, 2, 3, 3, 3], [64, 128, 256, 512, 512], { batchNorm: true })
 */
export class VGG extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.Dense;

  constructor(layers: readonly number[], filters: readonly number[], options: VGGOptions = {}) {
    const { classes, batchNorm, blockOptions } = checkModelOptions('VGG', options, ['classes', 'batchNorm'], { classes: 1000, batchNorm: false });
    super(blockOptions);
    if (layers.length !== filters.length) throw new GluonError(`VGG: expected as many filter counts as layer counts, but got ${filters.length} and ${layers.length}`);
    this.features = this.nameScope(() => {
      const features = new nn.HybridSequential({ prefix: '' });
      const convInit = new Xavier({ rndType: 'gaussian', factorType: 'out', magnitude: 2 });
      layers.forEach((count, i) => {
        for (let k = 0; k < count; k++) {
          features.add(new nn.Conv2D(filters[i], 3, { padding: 1, weightInitializer: convInit, biasInitializer: 'zeros' }));
          if (batchNorm) features.add(new nn.BatchNorm());
          features.add(new nn.Activation('relu'));
        }
        features.add(new nn.MaxPool2D({ strides: 2 }));
      });
      for (let k = 0; k < 2; k++) features.add(new nn.Dense(4096, { activation: 'relu', weightInitializer: 'normal', biasInitializer: 'zeros' }), new nn.Dropout(0.5));
      return features;
    });
    this.output = this.nameScope(() => new nn.Dense(classes, { weightInitializer: 'normal', biasInitializer: 'zeros' }));
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/** MXNet's `vgg_spec`: convolutions per block and their channels. */
const VGG_SPEC: Readonly<Record<number, [number[], number[]]>> = {
  11: [[1, 1, 2, 2, 2], [64, 128, 256, 512, 512]],
  13: [[2, 2, 2, 2, 2], [64, 128, 256, 512, 512]],
  16: [[2, 2, 3, 3, 3], [64, 128, 256, 512, 512]],
  19: [[2, 2, 4, 4, 4], [64, 128, 256, 512, 512]],
};

/** Options of the VGG functions. */
export type VGGModelOptions = VGGOptions & PretrainedOptions;

/**
 * VGG of `numLayers` (11, 13, 16, 19), as MXNet's `get_vgg`; `pretrained` loads `vgg<n>` or
 * `vgg<n>_bn` from `root`.
 *
 * @example modelZoo.vision.getVgg(16, { batchNorm: true })
 */
export function getVgg(numLayers: 11 | 13 | 16 | 19, options: VGGModelOptions = {}): VGG {
  const spec = VGG_SPEC[numLayers];
  if (spec === undefined) throw new GluonError(`getVgg: expected numLayers to be one of 11, 13, 16, 19, but got ${String(numLayers)}`);
  const { pretrained, root, ...netOptions } = options;
  return withPretrained(new VGG(spec[0], spec[1], netOptions), `vgg${numLayers}${netOptions.batchNorm ? '_bn' : ''}`, { pretrained, root });
}

/** VGG-11. */
export const vgg11 = (options: VGGModelOptions = {}) => getVgg(11, options);
/** VGG-13. */
export const vgg13 = (options: VGGModelOptions = {}) => getVgg(13, options);
/** VGG-16. */
export const vgg16 = (options: VGGModelOptions = {}) => getVgg(16, options);
/** VGG-19. */
export const vgg19 = (options: VGGModelOptions = {}) => getVgg(19, options);
/** VGG-11 with BatchNorm. */
export const vgg11Bn = (options: VGGModelOptions = {}) => getVgg(11, { ...options, batchNorm: true });
/** VGG-13 with BatchNorm. */
export const vgg13Bn = (options: VGGModelOptions = {}) => getVgg(13, { ...options, batchNorm: true });
/** VGG-16 with BatchNorm. */
export const vgg16Bn = (options: VGGModelOptions = {}) => getVgg(16, { ...options, batchNorm: true });
/** VGG-19 with BatchNorm. */
export const vgg19Bn = (options: VGGModelOptions = {}) => getVgg(19, { ...options, batchNorm: true });
