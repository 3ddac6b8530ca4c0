/**
 * DenseNet-BC (Huang et al., "Densely Connected Convolutional Networks"), as MXNet 1.9's
 * `gluon.model_zoo.vision.densenet`, with its parameter names (`densenet0_stage1_conv0_weight`, …).
 */
import { GluonError } from '../../../core/errors';
import type { BlockOptions, Tensor } from '../../../nn/block';
import type { HybridF } from '../../../nn/hybrid_block';
import { HybridBlock } from '../../../nn/hybrid_block';
import * as nn from '../../../nn';
import { HybridConcurrent, Identity } from '../../contrib/nn/basic_layers';
import { PretrainedOptions, withPretrained } from './model_store';
import { checkModelOptions } from './model_options';

/** One dense layer: BN, relu, 1×1 conv to bnSize·growth, BN, relu, 3×3 conv to growth, concatenated to its input. */
function denseLayer(growthRate: number, bnSize: number, dropout: number): HybridConcurrent {
  const features = new nn.HybridSequential({ prefix: '' });
  features.add(new nn.BatchNorm(), new nn.Activation('relu'), new nn.Conv2D(bnSize * growthRate, 1, { useBias: false }));
  features.add(new nn.BatchNorm(), new nn.Activation('relu'), new nn.Conv2D(growthRate, 3, { padding: 1, useBias: false }));
  if (dropout > 0) features.add(new nn.Dropout(dropout));
  const out = new HybridConcurrent(1, { prefix: '' });
  out.add(new Identity(), features);
  return out;
}

function denseBlock(layers: number, bnSize: number, growthRate: number, dropout: number, stageIndex: number): nn.HybridSequential {
  const out = new nn.HybridSequential({ prefix: `stage${stageIndex}_` });
  out.nameScope(() => {
    for (let i = 0; i < layers; i++) out.add(denseLayer(growthRate, bnSize, dropout));
  });
  return out;
}

/** A transition: BN, relu, 1×1 conv to `channels`, 2×2/2 average pooling. */
function transition(channels: number): nn.HybridSequential {
  const out = new nn.HybridSequential({ prefix: '' });
  out.add(new nn.BatchNorm(), new nn.Activation('relu'), new nn.Conv2D(channels, 1, { useBias: false }), new nn.AvgPool2D({ poolSize: 2, strides: 2 }));
  return out;
}

/** Options of DenseNet. */
export interface DenseNetOptions extends BlockOptions {
  /** Multiplier of the bottleneck's width (bnSize · growthRate). Default 4. */
  bnSize?: number;
  /** Dropout rate after each dense layer. Default 0. */
  dropout?: number;
  /** Number of classes of the output layer. Default 1000. */
  classes?: number;
}

/**
 * DenseNet-BC: a 7×7/2 convolution and 3×3/2 max-pooling, dense blocks of `blockConfig[i]` layers
 * (each adding `growthRate` channels) separated by halving transitions, BN, relu, 7×7 average
 * pooling, a Dense output. Input (N, 3, 224, 224), output (N, classes).
 *
 * @example new modelZoo.vision.DenseNet(64, 32, [6, 12, 24, 16])
 */
export class DenseNet extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.Dense;

  constructor(numInitFeatures: number, growthRate: number, blockConfig: readonly number[], options: DenseNetOptions = {}) {
    const { bnSize, dropout, classes, blockOptions } = checkModelOptions('DenseNet', options, ['bnSize', 'dropout', 'classes'], { bnSize: 4, dropout: 0, classes: 1000 });
    super(blockOptions);
    this.features = this.nameScope(() => {
      const features = new nn.HybridSequential({ prefix: '' });
      features.add(new nn.Conv2D(numInitFeatures, 7, { strides: 2, padding: 3, useBias: false }), new nn.BatchNorm(), new nn.Activation('relu'));
      features.add(new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }));
      let channels = numInitFeatures;
      blockConfig.forEach((layers, i) => {
        features.add(denseBlock(layers, bnSize, growthRate, dropout, i + 1));
        channels += layers * growthRate;
        if (i !== blockConfig.length - 1) {
          channels = Math.floor(channels / 2);
          features.add(transition(channels));
        }
      });
      features.add(new nn.BatchNorm(), new nn.Activation('relu'), new nn.AvgPool2D({ poolSize: 7 }), new nn.Flatten());
      return features;
    });
    this.output = this.nameScope(() => new nn.Dense(classes));
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/** MXNet's `densenet_spec`: initial features, growth rate, layers per dense block. */
const DENSENET_SPEC: Readonly<Record<number, [number, number, number[]]>> = {
  121: [64, 32, [6, 12, 24, 16]],
  161: [96, 48, [6, 12, 36, 24]],
  169: [64, 32, [6, 12, 32, 32]],
  201: [64, 32, [6, 12, 48, 32]],
};

/** Options of the DenseNet functions. */
export type DenseNetModelOptions = DenseNetOptions & PretrainedOptions;

/** DenseNet-BC of `numLayers` (121, 161, 169, 201); `pretrained` loads `densenet<n>` from `root`. @example modelZoo.vision.getDensenet(121) */
export function getDensenet(numLayers: 121 | 161 | 169 | 201, options: DenseNetModelOptions = {}): DenseNet {
  const spec = DENSENET_SPEC[numLayers];
  if (spec === undefined) throw new GluonError(`getDensenet: expected numLayers to be one of 121, 161, 169, 201, but got ${String(numLayers)}`);
  const { pretrained, root, ...netOptions } = options;
  return withPretrained(new DenseNet(spec[0], spec[1], spec[2], netOptions), `densenet${numLayers}`, { pretrained, root });
}

/** DenseNet-121. */
export const densenet121 = (options: DenseNetModelOptions = {}) => getDensenet(121, options);
/** DenseNet-161. */
export const densenet161 = (options: DenseNetModelOptions = {}) => getDensenet(161, options);
/** DenseNet-169. */
export const densenet169 = (options: DenseNetModelOptions = {}) => getDensenet(169, options);
/** DenseNet-201. */
export const densenet201 = (options: DenseNetModelOptions = {}) => getDensenet(201, options);
