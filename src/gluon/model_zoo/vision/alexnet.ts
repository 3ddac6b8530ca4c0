/**
 * AlexNet (Krizhevsky, "One weird trick for parallelizing convolutional neural networks"), as
 * MXNet 1.9's `gluon.model_zoo.vision.alexnet`, with its parameter names (`alexnet0_conv0_weight`, …).
 */
import type { BlockOptions, Tensor } from '../../../nn/block';
import type { HybridF } from '../../../nn/hybrid_block';
import { HybridBlock } from '../../../nn/hybrid_block';
import * as nn from '../../../nn';
import { PretrainedOptions, withPretrained } from './model_store';
import { checkModelOptions } from './model_options';

/** Options of AlexNet. */
export interface AlexNetOptions extends BlockOptions {
  /** Number of classes of the output layer. Default 1000. */
  classes?: number;
}

/**
 * Five convolutions (11×11/4, 5×5, three 3×3; relu) with three 3×3/2 max-poolings, two
 * Dense(4096, relu) with Dropout(0.5), a Dense output. Input (N, 3, 224, 224), output (N, classes).
 *
 * @example new modelZoo.vision.AlexNet({ classes: 10 })
 */
export class AlexNet extends HybridBlock {
  readonly features: nn.HybridSequential;
  readonly output: nn.Dense;

  constructor(options: AlexNetOptions = {}) {
    const { classes, blockOptions } = checkModelOptions('AlexNet', options, ['classes'], { classes: 1000 });
    super(blockOptions);
    this.features = this.nameScope(() => {
      const features = new nn.HybridSequential({ prefix: '' });
      // MXNet names these layers inside the features' own (empty-prefix) scope: the same names.
      features.nameScope(() => {
        const pool = () => new nn.MaxPool2D({ poolSize: 3, strides: 2 });
        features.add(
          new nn.Conv2D(64, 11, { strides: 4, padding: 2, activation: 'relu' }), pool(),
          new nn.Conv2D(192, 5, { padding: 2, activation: 'relu' }), pool(),
          new nn.Conv2D(384, 3, { padding: 1, activation: 'relu' }),
          new nn.Conv2D(256, 3, { padding: 1, activation: 'relu' }),
          new nn.Conv2D(256, 3, { padding: 1, activation: 'relu' }), pool(),
          new nn.Flatten(),
          new nn.Dense(4096, { activation: 'relu' }), new nn.Dropout(0.5),
          new nn.Dense(4096, { activation: 'relu' }), new nn.Dropout(0.5),
        );
      });
      return features;
    });
    this.output = this.nameScope(() => new nn.Dense(classes));
  }

  override hybridForward(_F: HybridF, x: Tensor): Tensor {
    return this.output(this.features(x));
  }
}

/** AlexNet; `pretrained` loads `alexnet` from `root`. @example modelZoo.vision.alexnet() */
export function alexnet(options: AlexNetOptions & PretrainedOptions = {}): AlexNet {
  const { pretrained, root, ...netOptions } = options;
  return withPretrained(new AlexNet(netOptions), 'alexnet', { pretrained, root });
}
