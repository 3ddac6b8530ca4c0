/**
 * MobileNet (Howard et al.) and MobileNetV2 (Sandler et al.), as MXNet 1.9's
 * `gluon.model_zoo.vision.mobilenet`, with its parameter names (`mobilenet0_conv0_weight`,
 * `mobilenetv20_features_linearbottleneck0_conv0_weight`, …).
 *
 * MXNet's MobileNetV2 differs from the paper's (and torchvision's): its first bottleneck (t = 1)
 * keeps the 1×1 expansion convolution, and the classifier is a 1×1 convolution without bias.
 */
import { GluonError } from '../../../core/errors';
import type { BlockOptions, Tensor } from '../../../nn/block';
import type { HybridF } from '../../../nn/hybrid_block';
import { HybridBlock } from '../../../nn/hybrid_block';
import * as nn from '../../../nn';
import { PretrainedOptions, withPretrained } from './model_store';
import { checkModelOptions } from './model_options';

/** min(max(x, 0), 6), MXNet's `RELU6` block (named `relu6<N>_`). */
class RELU6 extends HybridBlock {
  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.clip(x, { aMin: 0, aMax: 6 });
  }
}

interface ConvSpec { channels: number; kernel?: number; stride?: number; pad?: number; groups?: number; active?: boolean; relu6?: boolean }

/** A convolution without bias, a BatchNorm and (when `active`) relu or relu6, appended to `out` (MXNet's `_add_conv`). */
function addConv(out: nn.HybridSequential, { channels, kernel = 1, stride = 1, pad = 0, groups = 1, active = true, relu6 = false }: ConvSpec): void {
  out.add(new nn.Conv2D(channels, kernel, { strides: stride, padding: pad, groups, useBias: false }), new nn.BatchNorm({ scale: true }));
  if (active) out.add(relu6 ? new RELU6() : new nn.Activation('relu'));
}

/** A depthwise 3×3 then a pointwise 1×1 convolution (MXNet's `_add_conv_dw`). */
function addConvDw(out: nn.HybridSequential, dwChannels: number, channels: number, stride: number): void {
  addConv(out, { channels: dwChannels, kernel: 3, stride, pad: 1, groups: dwChannels });
  addConv(out, { channels });
}

/**
 * MobileNetV2's inverted residual: 1×1 expansion by `t`, depthwise 3×3 (stride), linear 1×1
 * projection; the input is added back when the stride is 1 and the widths agree.
 */
export class LinearBottleneck extends HybridBlock {
  readonly useShortcut: boolean;
  readonly out: nn.HybridSequential;

  constructor(inChannels: number, channels: number, t: number, stride: number, options: BlockOptions = {}) {
    super(options);
    this.useShortcut = stride === 1 && inChannels === channels;
    this.out = this.nameScope(() => {
      const out = new nn.HybridSequential();
      addConv(out, { channels: inChannels * t, relu6: true });
      addConv(out, { channels: inChannels * t, kernel: 3, stride, pad: 1, groups: inChannels * t, relu6: true });
      addConv(out, { channels, active: false, relu6: true });
      return out;
    });
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    const out = this.out(x);
    return this.useShortcut ? F.elemwiseAdd(out, x) : out;
  }
}

/** Options of MobileNet and MobileNetV2. */
export interface MobileNetOptions extends BlockOptions {
  /** Number of classes of the output layer. Default 1000. */
  classes?: number;
}

const widths = (multiplier: number, counts: readonly number[]) => counts.map((c) => Math.trunc(c * multiplier));
const repeat = (value: number, times: number) => Array<number>(times).fill(value);

function checkMultiplier(who: string, multiplier: number): void {
  if (!(typeof multiplier === 'number' && multiplier > 0 && Number.isFinite(multiplier))) throw new GluonError(`${who}: expected a positive width multiplier, but got ${String(multiplier)}`);
}

/**
 * MobileNet with width `multiplier`: a 3×3/2 convolution, 13 depthwise-separable convolutions,
 * global average pooling, a Dense output. Input (N, 3, 224, 224), output (N, classes).
 *
 * @example new modelZoo.vision.MobileNet(0.5)
 */
export class MobileNet extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.Dense;

  constructor(readonly multiplier = 1, options: MobileNetOptions = {}) {
    const { classes, blockOptions } = checkModelOptions('MobileNet', options, ['classes'], { classes: 1000 });
    super(blockOptions);
    checkMultiplier('MobileNet', multiplier);
    this.features = this.nameScope(() => {
      const features = new nn.HybridSequential({ prefix: '' });
      addConv(features, { channels: Math.trunc(32 * multiplier), kernel: 3, pad: 1, stride: 2 });
      const dwChannels = widths(multiplier, [32, 64, ...repeat(128, 2), ...repeat(256, 2), ...repeat(512, 6), 1024]);
      const channels = widths(multiplier, [64, ...repeat(128, 2), ...repeat(256, 2), ...repeat(512, 6), ...repeat(1024, 2)]);
      const strides = [1, 2, 1, 2, 1, 2, ...repeat(1, 5), 2, 1];
      dwChannels.forEach((dw, i) => addConvDw(features, dw, channels[i], strides[i]));
      features.add(new nn.GlobalAvgPool2D(), new nn.Flatten());
      return features;
    });
    this.output = this.nameScope(() => new nn.Dense(classes));
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/**
 * MobileNetV2 with width `multiplier`: a 3×3/2 convolution, 17 linear bottlenecks, a 1×1
 * convolution to 1280 (more above multiplier 1), global average pooling, and a 1×1 convolution to
 * the classes (no bias). Input (N, 3, 224, 224), output (N, classes).
 *
 * @example new modelZoo.vision.MobileNetV2(1)
 */
export class MobileNetV2 extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.HybridSequential;

  constructor(readonly multiplier = 1, options: MobileNetOptions = {}) {
    const { classes, blockOptions } = checkModelOptions('MobileNetV2', options, ['classes'], { classes: 1000 });
    super(blockOptions);
    checkMultiplier('MobileNetV2', multiplier);
    this.features = this.nameScope(() => new nn.HybridSequential({ prefix: 'features_' }));
    this.features.nameScope(() => {
      addConv(this.features, { channels: Math.trunc(32 * multiplier), kernel: 3, stride: 2, pad: 1, relu6: true });
      const inChannels = widths(multiplier, [32, 16, ...repeat(24, 2), ...repeat(32, 3), ...repeat(64, 4), ...repeat(96, 3), ...repeat(160, 3)]);
      const channels = widths(multiplier, [16, ...repeat(24, 2), ...repeat(32, 3), ...repeat(64, 4), ...repeat(96, 3), ...repeat(160, 3), 320]);
      const ts = [1, ...repeat(6, 16)];
      const strides = [1, 2, 1, 2, 1, 1, 2, ...repeat(1, 6), 2, ...repeat(1, 3)];
      inChannels.forEach((c, i) => this.features.add(new LinearBottleneck(c, channels[i], ts[i], strides[i])));
      addConv(this.features, { channels: multiplier > 1 ? Math.trunc(1280 * multiplier) : 1280, relu6: true });
      this.features.add(new nn.GlobalAvgPool2D());
    });
    this.output = this.nameScope(() => new nn.HybridSequential({ prefix: 'output_' }));
    this.output.nameScope(() => this.output.add(new nn.Conv2D(classes, 1, { useBias: false, prefix: 'pred_' }), new nn.Flatten()));
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/** MXNet's file-name suffix of a multiplier: '{:.2f}', with '1.00' and '0.50' cut to '1.0', '0.5'. */
function versionSuffix(multiplier: number): string {
  const text = multiplier.toFixed(2);
  return text === '1.00' || text === '0.50' ? text.slice(0, -1) : text;
}

/** Options of the MobileNet functions. */
export type MobileNetModelOptions = MobileNetOptions & PretrainedOptions;

/** MobileNet of width `multiplier`; `pretrained` loads `mobilenet<multiplier>` from `root`. @example modelZoo.vision.getMobilenet(0.25) */
export function getMobilenet(multiplier: number, options: MobileNetModelOptions = {}): MobileNet {
  const { pretrained, root, ...netOptions } = options;
  return withPretrained(new MobileNet(multiplier, netOptions), `mobilenet${versionSuffix(multiplier)}`, { pretrained, root });
}

/** MobileNetV2 of width `multiplier`; `pretrained` loads `mobilenetv2_<multiplier>` from `root`. */
export function getMobilenetV2(multiplier: number, options: MobileNetModelOptions = {}): MobileNetV2 {
  const { pretrained, root, ...netOptions } = options;
  return withPretrained(new MobileNetV2(multiplier, netOptions), `mobilenetv2_${versionSuffix(multiplier)}`, { pretrained, root });
}

/** MobileNet 1.0. */
export const mobilenet1_0 = (options: MobileNetModelOptions = {}) => getMobilenet(1, options);
/** MobileNet 0.75. */
export const mobilenet0_75 = (options: MobileNetModelOptions = {}) => getMobilenet(0.75, options);
/** MobileNet 0.5. */
export const mobilenet0_5 = (options: MobileNetModelOptions = {}) => getMobilenet(0.5, options);
/** MobileNet 0.25. */
export const mobilenet0_25 = (options: MobileNetModelOptions = {}) => getMobilenet(0.25, options);
/** MobileNetV2 1.0. */
export const mobilenetV2_1_0 = (options: MobileNetModelOptions = {}) => getMobilenetV2(1, options);
/** MobileNetV2 0.75. */
export const mobilenetV2_0_75 = (options: MobileNetModelOptions = {}) => getMobilenetV2(0.75, options);
/** MobileNetV2 0.5. */
export const mobilenetV2_0_5 = (options: MobileNetModelOptions = {}) => getMobilenetV2(0.5, options);
/** MobileNetV2 0.25. */
export const mobilenetV2_0_25 = (options: MobileNetModelOptions = {}) => getMobilenetV2(0.25, options);
