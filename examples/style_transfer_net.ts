/**
 * The fast style-transfer network (`npm run example:style`): the image transformation network of
 * Johnson et al., "Perceptual Losses for Real-Time Style Transfer and Super-Resolution" (2016),
 * with instance normalization (Ulyanov et al., 2016) and nearest-upsampling convolutions, as in
 * the PyTorch and MXNet `fast_neural_style` examples. It builds the network from small
 * HybridBlocks, prints Gluon's summary for a 1×3×256×256 image, and times the forward pass.
 *
 * Importing this module only defines the blocks: `main()` runs when it is executed directly.
 * Usage: `npm run example:style [-- runs]` (timed runs after the warm-up, default 3).
 */
import { GluonError, nd, nn, random } from '../src';

/**
 * A convolution whose input is first reflection-padded by ⌊k/2⌋ on every side, so a stride-1
 * layer keeps the height and width and a stride-2 layer halves them (rounding up): border pixels
 * see a mirror of the image rather than zeros, which avoids dark frames in stylized images.
 *
 *     out = Conv2D(ReflectionPad2D(x, ⌊k/2⌋)),  (N, inChannels, H, W) → (N, channels, ⌈H/s⌉, ⌈W/s⌉) for odd k
 *
 * @example
 * const layer = new ConvLayer(3, 32, 9, 1);
 * layer.initialize();
 * layer(nd.zeros([1, 3, 16, 16])).shape; // [1, 32, 16, 16]
 */
export class ConvLayer extends nn.HybridBlock {
  readonly pad: nn.ReflectionPad2D;
  readonly conv: nn.Conv2D;

  constructor(inChannels: number, channels: number, kernelSize: number, stride: number, options: nn.BlockOptions = {}) {
    super(options);
    this.pad = this.nameScope(() => new nn.ReflectionPad2D(Math.floor(kernelSize / 2)));
    this.conv = this.nameScope(() => new nn.Conv2D(channels, kernelSize, { strides: stride, inChannels }));
  }

  override hybridForward(_F: nn.HybridF, x: nn.Tensor): nn.Tensor {
    return this.conv(this.pad(x));
  }
}

/**
 * Instance normalization with a learned scale and shift (PyTorch's `InstanceNorm2d(affine=True)`):
 * Gluon's default `scale: false` would keep gamma fixed at 1.
 */
function instanceNorm(channels: number): nn.InstanceNorm {
  return new nn.InstanceNorm({ scale: true, inChannels: channels });
}

/**
 * Appends `layer`, an affine InstanceNorm of its `channels` outputs and, unless `relu` is false,
 * a ReLU to `seq`: the conv–norm–activation unit every stage of the network repeats.
 */
function addNormalized(seq: nn.HybridSequential, layer: nn.HybridBlock, channels: number, relu = true): void {
  seq.nameScope(() => {
    seq.add(layer, instanceNorm(channels));
    if (relu) seq.add(new nn.Activation('relu'));
  });
}

/**
 * The residual block of Johnson et al. (as He et al.'s, without the final ReLU):
 *
 *     out = x + IN(conv₃ₓ₃(ReLU(IN(conv₃ₓ₃(x)))))
 *
 * Shapes: (N, channels, H, W) → the same.
 *
 * @example
 * const block = new ResidualBlock(8);
 * block.initialize();
 * block(nd.ones([1, 8, 5, 5])).shape; // [1, 8, 5, 5]
 */
export class ResidualBlock extends nn.HybridBlock {
  readonly body: nn.HybridSequential;

  constructor(channels: number, options: nn.BlockOptions = {}) {
    super(options);
    this.body = this.nameScope(() => new nn.HybridSequential());
    addNormalized(this.body, this.body.nameScope(() => new ConvLayer(channels, channels, 3, 1)), channels);
    addNormalized(this.body, this.body.nameScope(() => new ConvLayer(channels, channels, 3, 1)), channels, false);
  }

  override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor {
    return F.add(x, this.body(x));
  }
}

/**
 * Nearest-neighbour upsampling by `upsample` followed by a ConvLayer (the `UpsampleConvLayer` of
 * the PyTorch and MXNet examples): unlike a strided transposed convolution it produces no
 * checkerboard artifacts (Odena et al., "Deconvolution and Checkerboard Artifacts", 2016).
 *
 *     out = ConvLayer(UpSampling(x, upsample)),  (N, inChannels, H, W) → (N, channels, H·u, W·u) for stride 1
 *
 * @example
 * const layer = new UpsampleConvLayer(8, 4, 3, 1, 2);
 * layer.initialize();
 * layer(nd.zeros([1, 8, 5, 5])).shape; // [1, 4, 10, 10]
 */
export class UpsampleConvLayer extends nn.HybridBlock {
  readonly upsample: number;
  readonly conv: ConvLayer;

  constructor(inChannels: number, channels: number, kernelSize: number, stride: number, upsample: number, options: nn.BlockOptions = {}) {
    super(options);
    this.upsample = upsample;
    this.conv = this.nameScope(() => new ConvLayer(inChannels, channels, kernelSize, stride));
  }

  override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor {
    return this.conv(F.UpSampling(x, { scale: this.upsample, sampleType: 'nearest' }));
  }
}

/**
 * Johnson et al.'s image transformation network for fast style transfer:
 *
 *     ConvLayer 9×9, 32 → IN → ReLU → ConvLayer 3×3/2, 64 → IN → ReLU → ConvLayer 3×3/2, 128 → IN → ReLU
 *     → 5 × ResidualBlock(128)
 *     → UpsampleConvLayer ×2, 3×3, 64 → IN → ReLU → UpsampleConvLayer ×2, 3×3, 32 → IN → ReLU
 *     → ConvLayer 9×9, 3
 *
 * Shapes: (N, 3, H, W) → (N, 3, H, W) for H and W divisible by 4. Every input channel count is
 * given, so nothing is deferred: 1,679,235 parameters (1,676,035 weights and biases, 3,200 norm
 * gammas and betas), as PyTorch's `TransformerNet`.
 *
 * @example
 * const net = new TransformerNet();
 * net.initialize('xavier');
 * net(nd.zeros([1, 3, 32, 32])).shape; // [1, 3, 32, 32]
 */
export class TransformerNet extends nn.HybridBlock {
  readonly model: nn.HybridSequential;

  constructor(options: nn.BlockOptions = {}) {
    super(options);
    const model = this.nameScope(() => new nn.HybridSequential());
    const layer = <T extends nn.HybridBlock>(make: () => T): T => model.nameScope(make);
    addNormalized(model, layer(() => new ConvLayer(3, 32, 9, 1)), 32);
    addNormalized(model, layer(() => new ConvLayer(32, 64, 3, 2)), 64);
    addNormalized(model, layer(() => new ConvLayer(64, 128, 3, 2)), 128);
    for (let i = 0; i < 5; i++) model.add(layer(() => new ResidualBlock(128)));
    addNormalized(model, layer(() => new UpsampleConvLayer(128, 64, 3, 1, 2)), 64);
    addNormalized(model, layer(() => new UpsampleConvLayer(64, 32, 3, 1, 2)), 32);
    model.add(layer(() => new ConvLayer(32, 3, 9, 1)));
    this.model = model;
  }

  override hybridForward(_F: nn.HybridF, x: nn.Tensor): nn.Tensor {
    return this.model(x);
  }
}

/** The median of `runs` timed calls of `body` (in milliseconds), after one untimed warm-up call. */
function medianTimeMs(body: () => void, runs: number): number {
  body();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const start = performance.now();
    body();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const mid = Math.floor(runs / 2);
  return runs % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

/** The number of timed runs: the first command-line argument, default 3 (a forward takes seconds). */
function timedRuns(): number {
  const runs = Number(process.argv[2] ?? 3);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new GluonError(`example:style: expected the number of timed runs (an integer >= 1), but got '${process.argv[2]}'`);
  }
  return runs;
}

function main(): void {
  const runs = timedRuns();
  random.seed(0);
  const net = new TransformerNet();
  net.initialize('xavier');
  const x = nd.random.uniform(0, 1, [1, 3, 256, 256]);
  net.summary(x);
  let y = x;
  const ms = medianTimeMs(() => {
    y = net(x);
  }, runs);
  console.log(`output ${JSON.stringify(y.shape)}, mean ${y.mean().toArray()}`);
  console.log(`forward on (1, 3, 256, 256): median ${ms.toFixed(0)} ms over ${runs} runs after a warm-up`);
}

if (require.main === module) main();
