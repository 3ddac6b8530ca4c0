/**
 * SqueezeNet 1.0 (Iandola et al.) and 1.1 (the official repository's), as MXNet 1.9's
 * `gluon.model_zoo.vision.squeezenet`, with its parameter names (`squeezenet0_conv0_weight`, …).
 */
import { GluonError } from '../../../core/errors';
import type { BlockOptions, Tensor } from '../../../nn/block';
import type { HybridF } from '../../../nn/hybrid_block';
import { HybridBlock } from '../../../nn/hybrid_block';
import * as nn from '../../../nn';
import { HybridConcurrent } from '../../contrib/nn/basic_layers';
import { PretrainedOptions, withPretrained } from './model_store';
import { checkModelOptions } from './model_options';

function fireConv(channels: number, kernelSize: number, padding = 0): nn.HybridSequential {
  const out = new nn.HybridSequential({ prefix: '' });
  out.add(new nn.Conv2D(channels, kernelSize, { padding }), new nn.Activation('relu'));
  return out;
}

/** A fire module: a 1×1 squeeze, then 1×1 and 3×3 expansions concatenated on the channels. */
function fire(squeeze: number, expand1x1: number, expand3x3: number): nn.HybridSequential {
  const out = new nn.HybridSequential({ prefix: '' });
  out.add(fireConv(squeeze, 1));
  const paths = new HybridConcurrent(1, { prefix: '' });
  paths.add(fireConv(expand1x1, 1), fireConv(expand3x3, 3, 1));
  out.add(paths);
  return out;
}

/** Options of SqueezeNet. */
export interface SqueezeNetOptions extends BlockOptions {
  /** Number of classes of the output layer. Default 1000. */
  classes?: number;
}

/**
 * SqueezeNet `version` ('1.0' or '1.1'): a first convolution, fire modules between 3×3/2
 * max-poolings (ceil mode), Dropout(0.5), and a 1×1 convolution to the classes with relu and 13×13
 * average pooling. Input (N, 3, 224, 224), output (N, classes).
 *
 * @example new modelZoo.vision.SqueezeNet('1.1')
 */
export class SqueezeNet extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.HybridSequential;

  constructor(readonly version: '1.0' | '1.1', options: SqueezeNetOptions = {}) {
    const { classes, blockOptions } = checkModelOptions('SqueezeNet', options, ['classes'], { classes: 1000 });
    super(blockOptions);
    if (version !== '1.0' && version !== '1.1') throw new GluonError(`SqueezeNet: expected version '1.0' or '1.1', but got ${String(version)}`);
    this.features = this.nameScope(() => {
      const features = new nn.HybridSequential({ prefix: '' });
      const pool = () => new nn.MaxPool2D({ poolSize: 3, strides: 2, ceilMode: true });
      if (version === '1.0') {
        features.add(new nn.Conv2D(96, 7, { strides: 2 }), new nn.Activation('relu'), pool());
        features.add(fire(16, 64, 64), fire(16, 64, 64), fire(32, 128, 128), pool());
        features.add(fire(32, 128, 128), fire(48, 192, 192), fire(48, 192, 192), fire(64, 256, 256), pool(), fire(64, 256, 256));
      } else {
        features.add(new nn.Conv2D(64, 3, { strides: 2 }), new nn.Activation('relu'), pool());
        features.add(fire(16, 64, 64), fire(16, 64, 64), pool(), fire(32, 128, 128), fire(32, 128, 128), pool());
        features.add(fire(48, 192, 192), fire(48, 192, 192), fire(64, 256, 256), fire(64, 256, 256));
      }
      features.add(new nn.Dropout(0.5));
      return features;
    });
    this.output = this.nameScope(() => {
      const output = new nn.HybridSequential({ prefix: '' });
      output.add(new nn.Conv2D(classes, 1), new nn.Activation('relu'), new nn.AvgPool2D({ poolSize: 13 }), new nn.Flatten());
      return output;
    });
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/** SqueezeNet `version`; `pretrained` loads `squeezenet<version>` from `root`. */
export function getSqueezenet(version: '1.0' | '1.1', options: SqueezeNetOptions & PretrainedOptions = {}): SqueezeNet {
  const { pretrained, root, ...netOptions } = options;
  return withPretrained(new SqueezeNet(version, netOptions), `squeezenet${version}`, { pretrained, root });
}

/** SqueezeNet 1.0. @example modelZoo.vision.squeezenet1_0() */
export const squeezenet1_0 = (options: SqueezeNetOptions & PretrainedOptions = {}) => getSqueezenet('1.0', options);
/** SqueezeNet 1.1 (2.4× less computation than 1.0). */
export const squeezenet1_1 = (options: SqueezeNetOptions & PretrainedOptions = {}) => getSqueezenet('1.1', options);
