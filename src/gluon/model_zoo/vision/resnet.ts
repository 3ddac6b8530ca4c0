/**
 * ResNets V1 (He et al., "Deep Residual Learning for Image Recognition") and V2 (He et al.,
 * "Identity Mappings in Deep Residual Networks"), as MXNet 1.9's `gluon.model_zoo.vision.resnet`:
 * the same layers, in the same order and name scopes, so the parameters carry MXNet's names
 * (`resnetv10_conv0_weight`, `resnetv10_stage1_conv0_weight`, …) and its published `.params` load.
 *
 * MXNet's BottleneckV1 strides its first 1×1 convolution and gives both 1×1 convolutions a bias
 * (torchvision's "v1.5" strides the 3×3 and has no biases): resnet50_v1 and deeper are not
 * torchvision's networks.
 */
import { GluonError } from '../../../core/errors';
import type { BlockOptions, Tensor } from '../../../nn/block';
import type { HybridF } from '../../../nn/hybrid_block';
import { HybridBlock } from '../../../nn/hybrid_block';
import * as nn from '../../../nn';
import { PretrainedOptions, withPretrained } from './model_store';
import { checkModelOptions } from './model_options';

/** A 3×3 convolution without bias, padded to keep the size (MXNet's `_conv3x3`). */
function conv3x3(channels: number, stride: number, inChannels: number): nn.Conv2D {
  return new nn.Conv2D(channels, 3, { strides: stride, padding: 1, useBias: false, inChannels });
}

/** What every residual block takes: (channels, stride, downsample, inChannels, options). */
export type ResidualBlockClass = new (channels: number, stride: number, downsample?: boolean, inChannels?: number, options?: BlockOptions) => HybridBlock;

/** ResNet V1's block for 18 and 34 layers: two 3×3 convolutions, relu after the sum. */
export class BasicBlockV1 extends HybridBlock {
  readonly body: nn.HybridSequential;
  readonly downsample: nn.HybridSequential | undefined;

  constructor(channels: number, stride: number, downsample = false, inChannels = 0, options: BlockOptions = {}) {
    super(options);
    this.body = new nn.HybridSequential({ prefix: '' });
    this.body.add(conv3x3(channels, stride, inChannels), new nn.BatchNorm(), new nn.Activation('relu'), conv3x3(channels, 1, channels), new nn.BatchNorm());
    this.downsample = downsample ? shortcut(channels, stride, inChannels) : undefined;
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    const residual = this.downsample ? this.downsample(x) : x;
    return F.Activation(F.add(residual, this.body(x)), { actType: 'relu' });
  }
}

/** ResNet V1's block for 50 layers and more: 1×1 (strided, with bias), 3×3, 1×1 (with bias). */
export class BottleneckV1 extends HybridBlock {
  readonly body: nn.HybridSequential;
  readonly downsample: nn.HybridSequential | undefined;

  constructor(channels: number, stride: number, downsample = false, inChannels = 0, options: BlockOptions = {}) {
    super(options);
    const inner = Math.floor(channels / 4);
    this.body = new nn.HybridSequential({ prefix: '' });
    this.body.add(
      new nn.Conv2D(inner, 1, { strides: stride }), new nn.BatchNorm(), new nn.Activation('relu'),
      conv3x3(inner, 1, inner), new nn.BatchNorm(), new nn.Activation('relu'),
      new nn.Conv2D(channels, 1, { strides: 1 }), new nn.BatchNorm(),
    );
    this.downsample = downsample ? shortcut(channels, stride, inChannels) : undefined;
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    const residual = this.downsample ? this.downsample(x) : x;
    return F.Activation(F.add(this.body(x), residual), { actType: 'relu' });
  }
}

/** V1's projection shortcut: a strided 1×1 convolution and a BatchNorm. */
function shortcut(channels: number, stride: number, inChannels: number): nn.HybridSequential {
  const out = new nn.HybridSequential({ prefix: '' });
  out.add(new nn.Conv2D(channels, 1, { strides: stride, useBias: false, inChannels }), new nn.BatchNorm());
  return out;
}

/** ResNet V2's block for 18 and 34 layers: pre-activation (BatchNorm, relu) before each 3×3 convolution. */
export class BasicBlockV2 extends HybridBlock {
  readonly bn1: nn.BatchNorm;
  readonly conv1: nn.Conv2D;
  readonly bn2: nn.BatchNorm;
  readonly conv2: nn.Conv2D;
  readonly downsample: nn.Conv2D | undefined;

  constructor(channels: number, stride: number, downsample = false, inChannels = 0, options: BlockOptions = {}) {
    super(options);
    this.bn1 = new nn.BatchNorm();
    this.conv1 = conv3x3(channels, stride, inChannels);
    this.bn2 = new nn.BatchNorm();
    this.conv2 = conv3x3(channels, 1, channels);
    this.downsample = downsample ? new nn.Conv2D(channels, 1, { strides: stride, useBias: false, inChannels }) : undefined;
  }

  override hybridForward(F: HybridF, input: Tensor): Tensor {
    const x = F.Activation(this.bn1(input), { actType: 'relu' });
    const residual = this.downsample ? this.downsample(x) : input;
    const y = this.conv2(F.Activation(this.bn2(this.conv1(x)), { actType: 'relu' }));
    return F.add(y, residual);
  }
}

/** ResNet V2's block for 50 layers and more: pre-activation 1×1, 3×3 (strided), 1×1, no biases. */
export class BottleneckV2 extends HybridBlock {
  readonly bn1: nn.BatchNorm;
  readonly conv1: nn.Conv2D;
  readonly bn2: nn.BatchNorm;
  readonly conv2: nn.Conv2D;
  readonly bn3: nn.BatchNorm;
  readonly conv3: nn.Conv2D;
  readonly downsample: nn.Conv2D | undefined;

  constructor(channels: number, stride: number, downsample = false, inChannels = 0, options: BlockOptions = {}) {
    super(options);
    const inner = Math.floor(channels / 4);
    this.bn1 = new nn.BatchNorm();
    this.conv1 = new nn.Conv2D(inner, 1, { strides: 1, useBias: false });
    this.bn2 = new nn.BatchNorm();
    this.conv2 = conv3x3(inner, stride, inner);
    this.bn3 = new nn.BatchNorm();
    this.conv3 = new nn.Conv2D(channels, 1, { strides: 1, useBias: false });
    this.downsample = downsample ? new nn.Conv2D(channels, 1, { strides: stride, useBias: false, inChannels }) : undefined;
  }

  override hybridForward(F: HybridF, input: Tensor): Tensor {
    const relu = (t: Tensor) => F.Activation(t, { actType: 'relu' });
    const x = relu(this.bn1(input));
    const residual = this.downsample ? this.downsample(x) : input;
    const y = this.conv3(relu(this.bn3(this.conv2(relu(this.bn2(this.conv1(x)))))));
    return F.add(y, residual);
  }
}

/** Options of ResNetV1 and ResNetV2. */
export interface ResNetOptions extends BlockOptions {
  /** Number of classes of the output layer. Default 1000. */
  classes?: number;
  /** A 3×3 stride-1 first convolution without pooling, for small images (CIFAR). Default false. */
  thumbnail?: boolean;
}

const RESNET_KEYS = ['classes', 'thumbnail'] as const;

/** One stage: `count` blocks under the prefix `stage<i>_`, the first one changing width and stride. */
function makeStage(block: ResidualBlockClass, count: number, channels: number, stride: number, stageIndex: number, inChannels: number): nn.HybridSequential {
  const layer = new nn.HybridSequential({ prefix: `stage${stageIndex}_` });
  layer.nameScope(() => {
    layer.add(new block(channels, stride, channels !== inChannels, inChannels, { prefix: '' }));
    for (let i = 1; i < count; i++) layer.add(new block(channels, 1, false, channels, { prefix: '' }));
  });
  return layer;
}

/** Stage i + 1 of `layers[i]` blocks for each i: stride 1 for the first stage, 2 after. */
function addStages(features: nn.HybridSequential, block: ResidualBlockClass, layers: readonly number[], channels: readonly number[]): void {
  layers.forEach((count, i) => features.add(makeStage(block, count, channels[i + 1], i === 0 ? 1 : 2, i + 1, channels[i])));
}

/** The stem of both versions: a 7×7/2 convolution, BatchNorm, relu, 3×3/2 max-pooling (or the thumbnail's 3×3 convolution). */
function addStem(features: nn.HybridSequential, channels: number, thumbnail: boolean): void {
  if (thumbnail) features.add(conv3x3(channels, 1, 0));
  else features.add(new nn.Conv2D(channels, 7, { strides: 2, padding: 3, useBias: false }), new nn.BatchNorm(), new nn.Activation('relu'), new nn.MaxPool2D({ poolSize: 3, strides: 2, padding: 1 }));
}

function checkSpec(who: string, layers: readonly number[], channels: readonly number[]): void {
  if (layers.length !== channels.length - 1) {
    throw new GluonError(`${who}: expected one more channel count than layer counts, but got ${layers.length} layer counts and ${channels.length} channel counts`);
  }
}

/**
 * ResNet V1: the stem, one stage per entry of `layers` (stage i has `layers[i]` blocks of
 * `channels[i + 1]` channels, stride 2 from the second stage), global average pooling, and a Dense
 * output. Input (N, 3, H, W), H and W ≥ 32 (224 for ImageNet); output (N, classes).
 *
 * @example new modelZoo.vision.ResNetV1(modelZoo.vision.BasicBlockV1, [2, 2, 2, 2], [64, 64, 128, 256, 512])
 */
export class ResNetV1 extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.Dense;

  constructor(block: ResidualBlockClass, layers: readonly number[], channels: readonly number[], options: ResNetOptions = {}) {
    const { classes, thumbnail, blockOptions } = checkModelOptions('ResNetV1', options, RESNET_KEYS, { classes: 1000, thumbnail: false });
    super(blockOptions);
    checkSpec('ResNetV1', layers, channels);
    this.features = this.nameScope(() => {
      const features = new nn.HybridSequential({ prefix: '' });
      addStem(features, channels[0], thumbnail);
      addStages(features, block, layers, channels);
      features.add(new nn.GlobalAvgPool2D());
      return features;
    });
    this.output = this.nameScope(() => new nn.Dense(classes, { inUnits: channels[channels.length - 1] }));
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/**
 * ResNet V2: an input BatchNorm (no scale, no shift), the stem, pre-activation stages, a final
 * BatchNorm and relu, global average pooling, and a Dense output. Shapes as ResNetV1.
 *
 * @example new modelZoo.vision.ResNetV2(modelZoo.vision.BottleneckV2, [3, 4, 6, 3], [64, 256, 512, 1024, 2048])
 */
export class ResNetV2 extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.Dense;

  constructor(block: ResidualBlockClass, layers: readonly number[], channels: readonly number[], options: ResNetOptions = {}) {
    const { classes, thumbnail, blockOptions } = checkModelOptions('ResNetV2', options, RESNET_KEYS, { classes: 1000, thumbnail: false });
    super(blockOptions);
    checkSpec('ResNetV2', layers, channels);
    this.features = this.nameScope(() => {
      const features = new nn.HybridSequential({ prefix: '' });
      features.add(new nn.BatchNorm({ scale: false, center: false }));
      addStem(features, channels[0], thumbnail);
      addStages(features, block, layers, channels);
      features.add(new nn.BatchNorm(), new nn.Activation('relu'), new nn.GlobalAvgPool2D(), new nn.Flatten());
      return features;
    });
    this.output = this.nameScope(() => new nn.Dense(classes, { inUnits: channels[channels.length - 1] }));
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/** MXNet's `resnet_spec`: block kind, blocks per stage, channels of the stem and each stage. */
const RESNET_SPEC: Readonly<Record<number, ['basic' | 'bottleneck', number[], number[]]>> = {
  18: ['basic', [2, 2, 2, 2], [64, 64, 128, 256, 512]],
  34: ['basic', [3, 4, 6, 3], [64, 64, 128, 256, 512]],
  50: ['bottleneck', [3, 4, 6, 3], [64, 256, 512, 1024, 2048]],
  101: ['bottleneck', [3, 4, 23, 3], [64, 256, 512, 1024, 2048]],
  152: ['bottleneck', [3, 8, 36, 3], [64, 256, 512, 1024, 2048]],
};

/** Options of the ResNet functions. */
export type ResNetModelOptions = ResNetOptions & PretrainedOptions;

/**
 * ResNet `version` (1 or 2) of `numLayers` (18, 34, 50, 101, 152) layers, as MXNet's
 * `get_resnet`; `pretrained` loads `resnet<numLayers>_v<version>` from `root`.
 *
 * @example const net = modelZoo.vision.getResnet(1, 18); net.initialize(); net(nd.zeros([1, 3, 224, 224])); // (1, 1000)
 */
export function getResnet(version: 1 | 2, numLayers: 18 | 34 | 50 | 101 | 152, options: ResNetModelOptions = {}): ResNetV1 | ResNetV2 {
  const spec = RESNET_SPEC[numLayers];
  if (spec === undefined) throw new GluonError(`getResnet: expected numLayers to be one of 18, 34, 50, 101, 152, but got ${String(numLayers)}`);
  if (version !== 1 && version !== 2) throw new GluonError(`getResnet: expected version 1 or 2, but got ${String(version)}`);
  const [kind, layers, channels] = spec;
  const { pretrained, root, ...netOptions } = options;
  const block = version === 1 ? (kind === 'basic' ? BasicBlockV1 : BottleneckV1) : kind === 'basic' ? BasicBlockV2 : BottleneckV2;
  const net = version === 1 ? new ResNetV1(block, layers, channels, netOptions) : new ResNetV2(block, layers, channels, netOptions);
  return withPretrained(net, `resnet${numLayers}_v${version}`, { pretrained, root });
}

/** ResNet-18 V1. @example modelZoo.vision.resnet18V1({ classes: 10 }) */
export const resnet18V1 = (options: ResNetModelOptions = {}) => getResnet(1, 18, options);
/** ResNet-34 V1. */
export const resnet34V1 = (options: ResNetModelOptions = {}) => getResnet(1, 34, options);
/** ResNet-50 V1 (MXNet's bottleneck: see the file comment). */
export const resnet50V1 = (options: ResNetModelOptions = {}) => getResnet(1, 50, options);
/** ResNet-101 V1. */
export const resnet101V1 = (options: ResNetModelOptions = {}) => getResnet(1, 101, options);
/** ResNet-152 V1. */
export const resnet152V1 = (options: ResNetModelOptions = {}) => getResnet(1, 152, options);
/** ResNet-18 V2. */
export const resnet18V2 = (options: ResNetModelOptions = {}) => getResnet(2, 18, options);
/** ResNet-34 V2. */
export const resnet34V2 = (options: ResNetModelOptions = {}) => getResnet(2, 34, options);
/** ResNet-50 V2. */
export const resnet50V2 = (options: ResNetModelOptions = {}) => getResnet(2, 50, options);
/** ResNet-101 V2. */
export const resnet101V2 = (options: ResNetModelOptions = {}) => getResnet(2, 101, options);
/** ResNet-152 V2. */
export const resnet152V2 = (options: ResNetModelOptions = {}) => getResnet(2, 152, options);
