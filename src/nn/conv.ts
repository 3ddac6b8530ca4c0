import { checkFlag, checkIntAtLeast } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import type { ActType } from '../ops/activation';
import type { DeconvolutionOptions } from '../ops/convolution';
import { CHANNELS_FIRST, ConvLayout } from '../ops/layout_checks';
import { Activation } from './activations';
import { BlockOptions, Tensor } from './block';
import { activationChild } from './dense';
import { HybridBlock, HybridF, TensorRecord } from './hybrid_block';
import { InitializerSpec, Parameter } from './parameter';
import { layerOptionKeys } from './block_checks';
import { checkChannelCount, checkInitializerOption, checkLayerLayout, checkSpatialSize } from './layer_checks';

/** A size per spatial dimension: one number for all of them, or one each. */
export type SpatialSize = number | readonly number[];

/** Options of the convolution layers; every default is Gluon 1.9's. */
export interface ConvOptions extends BlockOptions {
  /** Default 1. */
  strides?: SpatialSize;
  /** Zero padding on both sides of each spatial dimension. Default 0. */
  padding?: SpatialSize;
  /** Default 1. */
  dilation?: SpatialSize;
  /** Input and output channels are split into `groups` independent convolutions. Default 1. */
  groups?: number;
  /** 'NCW' / 'NCHW' / 'NCDHW' (the default for the rank) or channels-last 'NWC' / 'NHWC' / 'NDHWC'. */
  layout?: ConvLayout;
  /** Applied to the output through an `nn.Activation` child (e.g. `conv0_relu_`). Default none. */
  activation?: ActType;
  /** Whether to add a learned bias. Default true. */
  useBias?: boolean;
  /** Default none: the initializer passed to `initialize()`. */
  weightInitializer?: InitializerSpec;
  /** Default `'zeros'`. */
  biasInitializer?: InitializerSpec;
  /** The number of input channels; 0 infers it from the first input. Default 0. */
  inChannels?: number;
}

/** Options of the transposed convolution layers: a convolution's, plus `outputPadding`. */
export interface ConvTransposeOptions extends ConvOptions {
  /** Extra output rows at the end of each spatial dimension (MXNet's `adj`), each < strides. Default 0. */
  outputPadding?: SpatialSize;
}

const CONV_OPTION_KEYS = layerOptionKeys<ConvOptions>({
  strides: true, padding: true, dilation: true, groups: true, layout: true, activation: true, useBias: true,
  weightInitializer: true, biasInitializer: true, inChannels: true,
});
const CONV_TRANSPOSE_OPTION_KEYS = ['outputPadding', ...CONV_OPTION_KEYS];

/**
 * The shared implementation of Gluon's convolution layers (Gluon's `_Conv`): the weight and
 * bias Parameters with deferred input channels, the optional activation child, and the call of
 * `nd.Convolution` or `nd.Deconvolution`. Named `conv0_`, `conv1_`, … for every rank and for the
 * transposed layers alike, as Gluon (`_alias() == 'conv'`).
 *
 * Weight shapes (channels-first; channels-last layouts move the inner channel axis last):
 * convolution (channels, inChannels/groups, *kernelSize), transposed (inChannels,
 * channels/groups, *kernelSize); bias (channels,).
 */
export abstract class ConvBase extends HybridBlock {
  static override readonly optionKeys = CONV_OPTION_KEYS;
  static override readonly inputCount = 1;
  readonly channels: number;
  readonly kernelSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: readonly number[];
  readonly dilation: readonly number[];
  readonly outputPadding: readonly number[];
  readonly groups: number;
  readonly layout: ConvLayout;
  readonly weight: Parameter;
  /** null when `useBias` is false. */
  readonly bias: Parameter | null;
  /** null without an activation. */
  readonly act: Activation | null;
  private readonly transposed: boolean;
  private readonly channelsLast: boolean;
  /** The data's channel axis: 1, or the last one in a channels-last layout. */
  private readonly channelAxis: number;

  protected constructor(rank: number, transposed: boolean, channels: number, kernelSize: SpatialSize, options: ConvTransposeOptions = {}) {
    if (new.target === ConvBase) throw new GluonError('nn.ConvBase is abstract: use Conv1D, Conv2D, Conv3D or their Transpose layers');
    super(options, 'conv'); // Gluon's `_alias()`: every convolution layer is named `conv<N>_`
    const layer = this.errorName;
    const { strides = 1, padding = 0, dilation = 1, outputPadding = 0, groups = 1, layout, activation } = options;
    const { useBias = true, weightInitializer, biasInitializer = 'zeros', inChannels = 0 } = options;
    this.transposed = transposed;
    this.channels = checkIntAtLeast(layer, 'channels', channels, 1);
    this.kernelSize = checkSpatialSize(layer, 'kernelSize', kernelSize, rank, 1);
    this.strides = checkSpatialSize(layer, 'strides', strides, rank, 1);
    this.padding = checkSpatialSize(layer, 'padding', padding, rank, 0);
    this.dilation = checkSpatialSize(layer, 'dilation', dilation, rank, 1);
    // Only a transposed convolution has an outputPadding (Gluon's Conv2D takes none).
    this.outputPadding = checkSpatialSize(layer, 'outputPadding', transposed ? outputPadding : 0, rank, 0);
    this.groups = checkIntAtLeast(layer, 'groups', groups, 1);
    this.layout = checkLayerLayout(layer, layout, rank);
    this.channelsLast = this.layout !== CHANNELS_FIRST[rank - 1];
    this.channelAxis = this.layout.indexOf('C');
    checkFlag(layer, 'useBias', useBias);
    checkIntAtLeast(layer, 'inChannels (0 = infer)', inChannels, 0);
    this.outputPadding.forEach((a, i) => {
      if (a >= this.strides[i]) throw new GluonError(`${layer}: expected outputPadding[${i}] < strides[${i}] = ${this.strides[i]}, but got ${a}`);
    });
    checkDivisible(layer, 'channels', channels, this.groups);
    checkDivisible(layer, 'inChannels', inChannels, this.groups);
    const weightInit = checkInitializerOption(layer, 'weightInitializer', weightInitializer);
    const biasInit = checkInitializerOption(layer, 'biasInitializer', biasInitializer);
    this.weight = this.params.get('weight', { shape: this.weightShape(inChannels), init: weightInit, allowDeferredInit: true });
    this.bias = useBias ? this.params.get('bias', { shape: [channels], init: biasInit, allowDeferredInit: true }) : null;
    this.act = activationChild(this, activation);
  }

  /** The arguments of `nd.Convolution` / `nd.Deconvolution` (Gluon's `_kwargs`). */
  get operatorOptions(): DeconvolutionOptions {
    return {
      kernel: this.kernelSize, stride: this.strides, dilate: this.dilation, pad: this.padding, numFilter: this.channels,
      numGroup: this.groups, layout: this.layout, noBias: this.bias === null, ...(this.transposed ? { adj: this.outputPadding } : {}),
    };
  }


  /** `activation(Convolution(x, weight, bias))` (or Deconvolution); see the class comment. */
  override hybridForward(F: HybridF, x: Tensor, { weight, bias }: TensorRecord): Tensor {
    // The channels must be those the weight was made for; the operator checks everything else.
    if (x instanceof NDArray && x.ndim === this.kernelSize.length + 2) checkChannelCount(this.errorName, this.channelAxis, this.inChannelsOf((weight as NDArray).shape), x.shape);
    const options = { ...this.operatorOptions, noBias: bias === undefined, name: 'fwd' };
    const y = this.transposed ? F.Deconvolution(x, weight, bias, options) : F.Convolution(x, weight, bias, options);
    return this.act === null ? y : this.act(y);
  }

  /** The weight shape for `inChannels` input channels (0 while unknown). */
  private weightShape(inChannels: number): number[] {
    const outer = this.transposed ? inChannels : this.channels;
    const inner = (this.transposed ? this.channels : inChannels) / this.groups;
    return this.channelsLast ? [outer, ...this.kernelSize, inner] : [outer, inner, ...this.kernelSize];
  }

  /** The input channels a weight of `shape` takes. */
  private inChannelsOf(shape: readonly number[]): number {
    if (this.transposed) return shape[0];
    return shape[this.channelsLast ? shape.length - 1 : 1] * this.groups;
  }

  /**
   * Gluon's text, e.g. `Conv2D(None -> 16, kernel_size=(3, 3), stride=(1, 1))`, then `padding`,
   * `dilation` and `groups` where not the default, `bias=False`, and the activation.
   */
  override toString(): string {
    const shape = this.weight.shape ?? [];
    // MXNet prints weight.shape[1] -> weight.shape[0]; for channels-last weights that axis is a
    // kernel size, so the inner channel axis (last) is read instead.
    const inner = shape[this.channelsLast ? shape.length - 1 : 1];
    const parts = [`${inner || 'None'} -> ${shape[0]}`, `kernel_size=${formatShape(this.kernelSize)}`, `stride=${formatShape(this.strides)}`];
    if (this.padding.some((p) => p !== 0)) parts.push(`padding=${formatShape(this.padding)}`);
    if (this.dilation.some((d) => d !== 1)) parts.push(`dilation=${formatShape(this.dilation)}`);
    if (this.groups !== 1) parts.push(`groups=${this.groups}`);
    if (this.bias === null) parts.push('bias=False');
    if (this.act !== null) parts.push(this.act.toString());
    return `${this.constructor.name}(${parts.join(', ')})`;
  }
}

function checkDivisible(layer: string, option: string, value: number, groups: number): void {
  if (value % groups !== 0) throw new GluonError(`${layer}: expected ${option} divisible by groups = ${groups}, but got ${option} = ${value}`);
}

/**
 * 1-D convolution (e.g. over time), as Gluon's `nn.Conv1D`, through `nd.Convolution`:
 *
 *     out[n, o, y] = bias[o] + Σ_{c ∈ group(o), t} weight[o, c, t] · x[n, c, y·strides − padding + t·dilation]
 *
 * Shapes: x (N, inChannels, W) for layout 'NCW', or (N, W, inChannels) for 'NWC'; output
 * (N, channels, outW) with outW = floor((W + 2·padding − dilation·(kernelSize − 1) − 1)/strides) + 1;
 * weight (channels, inChannels/groups, kernelSize) ('NWC': (channels, kernelSize, inChannels/groups)).
 * Defaults: strides 1, padding 0, dilation 1, groups 1, layout 'NCW', no activation, useBias
 * true, biasInitializer 'zeros', inChannels 0 (inferred). Gluon 1.9 only accepts 'NCW' here;
 * tsgluon also runs 'NWC'.
 *
 * @example
 * const conv = new nn.Conv1D(8, 3, { padding: 1 });
 * conv.initialize();
 * conv(nd.ones([2, 4, 10])).shape; // [2, 8, 10]
 */
export class Conv1D extends ConvBase {
  constructor(channels: number, kernelSize: SpatialSize, options: ConvOptions = {}) {
    super(1, false, channels, kernelSize, options);
  }
}

/**
 * 2-D convolution (e.g. over images), as Gluon's `nn.Conv2D`, through `nd.Convolution`:
 *
 *     out[n, o, y, x] = bias[o] + Σ_{c ∈ group(o), i, j} weight[o, c, i, j] · in[n, c, y·s₀ − p₀ + i·d₀, x·s₁ − p₁ + j·d₁]
 *
 * Shapes: x (N, inChannels, H, W) for 'NCHW', or (N, H, W, inChannels) for 'NHWC'; output
 * (N, channels, outH, outW), outH = floor((H + 2·p₀ − d₀·(k₀ − 1) − 1)/s₀) + 1 and likewise outW;
 * weight (channels, inChannels/groups, k₀, k₁) ('NHWC': (channels, k₀, k₁, inChannels/groups)).
 * groups = inChannels gives a depthwise convolution. Sizes are a number or a pair.
 * Defaults: strides 1, padding 0, dilation 1, groups 1, layout 'NCHW', no activation, useBias
 * true, biasInitializer 'zeros', inChannels 0 (inferred).
 *
 * @example
 * const conv = new nn.Conv2D(16, 3, { activation: 'relu' });
 * conv.toString(); // 'Conv2D(None -> 16, kernel_size=(3, 3), stride=(1, 1), Activation(relu))'
 * conv.initialize();
 * conv(nd.ones([1, 3, 28, 28])).shape; // [1, 16, 26, 26]
 */
export class Conv2D extends ConvBase {
  constructor(channels: number, kernelSize: SpatialSize, options: ConvOptions = {}) {
    super(2, false, channels, kernelSize, options);
  }
}

/**
 * 3-D convolution (e.g. over volumes or video), as Gluon's `nn.Conv3D`, through
 * `nd.Convolution` — the formula of Conv2D with a third spatial dimension.
 *
 * Shapes: x (N, inChannels, D, H, W) for 'NCDHW', or (N, D, H, W, inChannels) for 'NDHWC';
 * output (N, channels, outD, outH, outW), each floor((in + 2p − d·(k − 1) − 1)/s) + 1; weight
 * (channels, inChannels/groups, k₀, k₁, k₂) ('NDHWC': (channels, k₀, k₁, k₂, inChannels/groups)).
 * Defaults: strides 1, padding 0, dilation 1, groups 1, layout 'NCDHW', no activation, useBias
 * true, biasInitializer 'zeros', inChannels 0 (inferred).
 *
 * @example
 * const conv = new nn.Conv3D(4, [1, 3, 3], { padding: [0, 1, 1] });
 * conv.initialize();
 * conv(nd.ones([1, 2, 5, 8, 8])).shape; // [1, 4, 5, 8, 8]
 */
export class Conv3D extends ConvBase {
  constructor(channels: number, kernelSize: SpatialSize, options: ConvOptions = {}) {
    super(3, false, channels, kernelSize, options);
  }
}

/**
 * Transposed 1-D convolution (deconvolution), as Gluon's `nn.Conv1DTranspose`, through
 * `nd.Deconvolution` — the adjoint of Conv1D in its input:
 *
 *     out[n, o, y·strides − padding + t·dilation] += Σ_{c ∈ group(o)} weight[c, o, t] · x[n, c, y]   (+ bias[o])
 *
 * Shapes: x (N, inChannels, W) ('NWC': (N, W, inChannels)); output (N, channels, outW) with
 * outW = (W − 1)·strides − 2·padding + dilation·(kernelSize − 1) + outputPadding + 1; weight
 * (inChannels, channels/groups, kernelSize) ('NWC': (inChannels, kernelSize, channels/groups)).
 * Defaults: strides 1, padding 0, outputPadding 0, dilation 1, groups 1, layout 'NCW', no
 * activation, useBias true, inChannels 0 (inferred). As MXNet 1.9, the text form never shows
 * outputPadding and reads `channels/groups -> inChannels` off the weight.
 *
 * @example
 * const up = new nn.Conv1DTranspose(4, 2, { strides: 2 });
 * up.initialize();
 * up(nd.ones([1, 3, 5])).shape; // [1, 4, 10]
 */
export class Conv1DTranspose extends ConvBase {
  static override readonly optionKeys = CONV_TRANSPOSE_OPTION_KEYS;

  constructor(channels: number, kernelSize: SpatialSize, options: ConvTransposeOptions = {}) {
    super(1, true, channels, kernelSize, options);
  }
}

/**
 * Transposed 2-D convolution (deconvolution), as Gluon's `nn.Conv2DTranspose`, through
 * `nd.Deconvolution`: each input value is spread through the kernel onto a `strides`-spaced
 * grid of the output (the adjoint of Conv2D in its input),
 *
 *     out[n, o, y·s − p + t·d] += Σ_{c ∈ group(o)} weight[c, o, t] · x[n, c, y]   (+ bias[o]), per spatial dim
 *
 * Shapes: x (N, inChannels, H, W) ('NHWC': (N, H, W, inChannels)); output (N, channels, outH,
 * outW) with outH = (H − 1)·s₀ − 2·p₀ + d₀·(k₀ − 1) + outputPadding₀ + 1 and likewise outW;
 * weight (inChannels, channels/groups, k₀, k₁) ('NHWC': (inChannels, k₀, k₁, channels/groups)).
 * outputPadding (< strides) resolves which of the input sizes a strided Conv2D maps to the same
 * output size is meant. Defaults: strides 1, padding 0, outputPadding 0, dilation 1, groups 1,
 * layout 'NCHW', no activation, useBias true, inChannels 0 (inferred). As MXNet 1.9, the text
 * form never shows outputPadding and reads `channels/groups -> inChannels` off the weight.
 *
 * @example
 * const up = new nn.Conv2DTranspose(8, 3, { strides: 2, padding: 1, outputPadding: 1 });
 * up.initialize();
 * up(nd.ones([1, 16, 7, 7])).shape; // [1, 8, 14, 14]
 */
export class Conv2DTranspose extends ConvBase {
  static override readonly optionKeys = CONV_TRANSPOSE_OPTION_KEYS;

  constructor(channels: number, kernelSize: SpatialSize, options: ConvTransposeOptions = {}) {
    super(2, true, channels, kernelSize, options);
  }
}

/**
 * Transposed 3-D convolution, as Gluon's `nn.Conv3DTranspose`, through `nd.Deconvolution` — the
 * formula of Conv2DTranspose with a third spatial dimension.
 *
 * Shapes: x (N, inChannels, D, H, W) ('NDHWC': (N, D, H, W, inChannels)); output (N, channels,
 * outD, outH, outW), each (in − 1)·s − 2p + d·(k − 1) + outputPadding + 1; weight (inChannels,
 * channels/groups, k₀, k₁, k₂) ('NDHWC': (inChannels, k₀, k₁, k₂, channels/groups)). Defaults:
 * strides 1, padding 0, outputPadding 0, dilation 1, groups 1, layout 'NCDHW', no activation,
 * useBias true, inChannels 0 (inferred).
 *
 * @example
 * const up = new nn.Conv3DTranspose(2, 2, { strides: 2 });
 * up.initialize();
 * up(nd.ones([1, 4, 2, 3, 3])).shape; // [1, 2, 4, 6, 6]
 */
export class Conv3DTranspose extends ConvBase {
  static override readonly optionKeys = CONV_TRANSPOSE_OPTION_KEYS;

  constructor(channels: number, kernelSize: SpatialSize, options: ConvTransposeOptions = {}) {
    super(3, true, channels, kernelSize, options);
  }
}
