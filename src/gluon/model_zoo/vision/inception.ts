/**
 * Inception v3 (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision"), as
 * MXNet 1.9's `gluon.model_zoo.vision.inception` (no auxiliary classifier), with its parameter
 * names (`inception30_conv0_weight`, `inception30_A1_conv0_weight`, …).
 */
import type { BlockOptions, Tensor } from '../../../nn/block';
import type { HybridF } from '../../../nn/hybrid_block';
import { HybridBlock } from '../../../nn/hybrid_block';
import * as nn from '../../../nn';
import type { SpatialSize } from '../../../nn/conv';
import { HybridConcurrent } from '../../contrib/nn/basic_layers';
import { PretrainedOptions, withPretrained } from './model_store';
import { checkModelOptions } from './model_options';

/** A convolution's settings: [channels, kernel, strides, padding] (undefined: the default). */
type ConvSetting = readonly [number, SpatialSize, number?, SpatialSize?];

/** Convolution (no bias), BatchNorm (ε 0.001), relu. */
function basicConv(channels: number, kernelSize: SpatialSize, strides?: number, padding?: SpatialSize): nn.HybridSequential {
  const out = new nn.HybridSequential({ prefix: '' });
  out.add(new nn.Conv2D(channels, kernelSize, { useBias: false, ...(strides === undefined ? {} : { strides }), ...(padding === undefined ? {} : { padding }) }));
  out.add(new nn.BatchNorm({ epsilon: 0.001 }), new nn.Activation('relu'));
  return out;
}

/** An optional pooling ('avg' 3×3/1 padded, 'max' 3×3/2), then basic convolutions. */
function branch(pool: 'avg' | 'max' | undefined, ...settings: ConvSetting[]): nn.HybridSequential {
  const out = new nn.HybridSequential({ prefix: '' });
  if (pool === 'avg') out.add(new nn.AvgPool2D({ poolSize: 3, strides: 1, padding: 1 }));
  else if (pool === 'max') out.add(new nn.MaxPool2D({ poolSize: 3, strides: 2 }));
  for (const [channels, kernel, strides, padding] of settings) out.add(basicConv(channels, kernel, strides, padding));
  return out;
}

/** Branches concatenated on the channels, named under `prefix` (MXNet's `A1_`, `B_`, …). */
function concurrent(prefix: string, branches: () => HybridBlock[]): HybridConcurrent {
  const out = new HybridConcurrent(1, { prefix });
  out.nameScope(() => out.add(...branches()));
  return out;
}

const blockA = (poolFeatures: number, prefix: string) => concurrent(prefix, () => [
  branch(undefined, [64, 1]),
  branch(undefined, [48, 1], [64, 5, undefined, 2]),
  branch(undefined, [64, 1], [96, 3, undefined, 1], [96, 3, undefined, 1]),
  branch('avg', [poolFeatures, 1]),
]);

const blockB = (prefix: string) => concurrent(prefix, () => [
  branch(undefined, [384, 3, 2]),
  branch(undefined, [64, 1], [96, 3, undefined, 1], [96, 3, 2]),
  branch('max'),
]);

const blockC = (c7: number, prefix: string) => concurrent(prefix, () => [
  branch(undefined, [192, 1]),
  branch(undefined, [c7, 1], [c7, [1, 7], undefined, [0, 3]], [192, [7, 1], undefined, [3, 0]]),
  branch(undefined, [c7, 1], [c7, [7, 1], undefined, [3, 0]], [c7, [1, 7], undefined, [0, 3]], [c7, [7, 1], undefined, [3, 0]], [192, [1, 7], undefined, [0, 3]]),
  branch('avg', [192, 1]),
]);

const blockD = (prefix: string) => concurrent(prefix, () => [
  branch(undefined, [192, 1], [320, 3, 2]),
  branch(undefined, [192, 1], [192, [1, 7], undefined, [0, 3]], [192, [7, 1], undefined, [3, 0]], [192, 3, 2]),
  branch('max'),
]);

/** A branch that splits into a 1×3 and a 3×1 convolution, concatenated. */
function splitBranch(...head: ConvSetting[]): nn.HybridSequential {
  const out = new nn.HybridSequential({ prefix: '' });
  out.add(branch(undefined, ...head));
  const split = new HybridConcurrent(1, { prefix: '' });
  split.add(branch(undefined, [384, [1, 3], undefined, [0, 1]]), branch(undefined, [384, [3, 1], undefined, [1, 0]]));
  out.add(split);
  return out;
}

const blockE = (prefix: string) => concurrent(prefix, () => [
  branch(undefined, [320, 1]),
  splitBranch([384, 1]),
  splitBranch([448, 1], [384, 3, undefined, 1]),
  branch('avg', [192, 1]),
]);

/** Options of Inception3. */
export interface Inception3Options extends BlockOptions {
  /** Number of classes of the output layer. Default 1000. */
  classes?: number;
}

/**
 * Inception v3: the stem, three A blocks, B, four C blocks, D, two E blocks, 8×8 average pooling,
 * Dropout(0.5), a Dense output. Input (N, 3, 299, 299), output (N, classes).
 *
 * @example new modelZoo.vision.Inception3({ classes: 10 })
 */
export class Inception3 extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.Dense;

  constructor(options: Inception3Options = {}) {
    const { classes, blockOptions } = checkModelOptions('Inception3', options, ['classes'], { classes: 1000 });
    super(blockOptions);
    this.features = this.nameScope(() => {
      const features = new nn.HybridSequential({ prefix: '' });
      features.add(basicConv(32, 3, 2), basicConv(32, 3), basicConv(64, 3, undefined, 1), new nn.MaxPool2D({ poolSize: 3, strides: 2 }));
      features.add(basicConv(80, 1), basicConv(192, 3), new nn.MaxPool2D({ poolSize: 3, strides: 2 }));
      features.add(blockA(32, 'A1_'), blockA(64, 'A2_'), blockA(64, 'A3_'), blockB('B_'));
      features.add(blockC(128, 'C1_'), blockC(160, 'C2_'), blockC(160, 'C3_'), blockC(192, 'C4_'), blockD('D_'));
      features.add(blockE('E1_'), blockE('E2_'), new nn.AvgPool2D({ poolSize: 8 }), new nn.Dropout(0.5));
      return features;
    });
    this.output = this.nameScope(() => new nn.Dense(classes));
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/** Inception v3; `pretrained` loads `inceptionv3` from `root`. @example modelZoo.vision.inceptionV3() */
export function inceptionV3(options: Inception3Options & PretrainedOptions = {}): Inception3 {
  const { pretrained, root, ...netOptions } = options;
  return withPretrained(new Inception3(netOptions), 'inceptionv3', { pretrained, root });
}
