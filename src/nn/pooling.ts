import { checkFlag } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import type { ConvLayout } from '../ops/layout_checks';
import type { PoolingOptions } from '../ops/pooling';
import { BlockOptions, Tensor } from './block';
import type { SpatialSize } from './conv';
import { HybridBlock, HybridF } from './hybrid_block';
import { pyBool } from '../core/py_format';
import { layerOptionKeys } from './block_checks';
import { checkLayerLayout, checkSpatialSize } from './layer_checks';

/** Options of the max pooling layers; every default is Gluon 1.9's. */
export interface MaxPoolOptions extends BlockOptions {
  /** The window size. Default 2 per spatial dimension. */
  poolSize?: SpatialSize;
  /** The step between windows. Default: poolSize (non-overlapping windows). */
  strides?: SpatialSize;
  /** Padding on both sides of each spatial dimension (never read as a value). Default 0. */
  padding?: SpatialSize;
  /** Round the output size up instead of down (MXNet's pooling_convention 'full'). Default false. */
  ceilMode?: boolean;
  /** 'NCW' / 'NCHW' / 'NCDHW' (the default for the rank) or channels-last 'NWC' / 'NHWC' / 'NDHWC'. */
  layout?: ConvLayout;
}

/** Options of the average pooling layers: max pooling's, plus `countIncludePad`. */
export interface AvgPoolOptions extends MaxPoolOptions {
  /** Whether the padding counts in the divisor of windows that overlap it. Default true. */
  countIncludePad?: boolean;
}

/** Options of the global pooling layers. */
export interface GlobalPoolOptions extends BlockOptions {
  /** 'NCW' / 'NCHW' / 'NCDHW' (the default for the rank) or channels-last 'NWC' / 'NHWC' / 'NDHWC'. */
  layout?: ConvLayout;
}

const MAX_POOL_OPTION_KEYS = layerOptionKeys<MaxPoolOptions>({ poolSize: true, strides: true, padding: true, ceilMode: true, layout: true });
const AVG_POOL_OPTION_KEYS = layerOptionKeys<AvgPoolOptions>({
  poolSize: true, strides: true, padding: true, ceilMode: true, layout: true, countIncludePad: true,
});
const GLOBAL_POOL_OPTION_KEYS = layerOptionKeys<GlobalPoolOptions>({ layout: true });

/**
 * The shared implementation of Gluon's pooling layers (Gluon's `_Pooling`), a call of
 * `nd.Pooling` with fixed options; no parameters. Named `pool0_`, `pool1_`, … as Gluon
 * (`_alias() == 'pool'`).
 *
 * Window o covers [o·strides − padding, o·strides − padding + poolSize) of each spatial
 * dimension; the output size is floor((in + 2·padding − poolSize)/strides) + 1, or with ceilMode
 * ceil(...) + 1 — MXNet's 'full' convention, which keeps a last window that starts in the right
 * padding where PyTorch's ceil_mode drops it. Max pooling reads only input values (a window
 * entirely in the padding gives −3.4028235e38); average pooling divides by the window clipped
 * at the padded edge (countIncludePad) or by the input values it covers.
 */
export abstract class PoolingBase extends HybridBlock {
  static override readonly optionKeys = MAX_POOL_OPTION_KEYS;
  static override readonly inputCount = 1;
  readonly poolSize: readonly number[];
  readonly strides: readonly number[];
  readonly padding: readonly number[];
  readonly ceilMode: boolean;
  readonly globalPool: boolean;
  readonly poolType: 'max' | 'avg';
  readonly layout: ConvLayout;
  /** Only meaningful for average pooling. */
  readonly countIncludePad: boolean;

  protected constructor(rank: number, poolType: 'max' | 'avg', globalPool: boolean, options: AvgPoolOptions = {}) {
    if (new.target === PoolingBase) throw new GluonError('nn.PoolingBase is abstract: use a pooling layer (MaxPool2D, AvgPool2D, GlobalAvgPool2D, ...)');
    super(options, 'pool'); // Gluon's `_alias()`: every pooling layer is named `pool<N>_`
    const layer = this.errorName;
    this.poolType = poolType;
    this.globalPool = globalPool;
    // Gluon's global layers are a fixed (1, …) window, stride 1, no padding, ceil_mode True (their options hold none of these).
    const { poolSize = 2, strides, padding = 0, ceilMode = false, countIncludePad = true, layout } = options;
    this.poolSize = checkSpatialSize(layer, 'poolSize', globalPool ? 1 : poolSize, rank, 1);
    this.strides = checkSpatialSize(layer, 'strides', globalPool ? 1 : strides === undefined ? this.poolSize : strides, rank, 1);
    this.padding = checkSpatialSize(layer, 'padding', globalPool ? 0 : padding, rank, 0);
    this.ceilMode = globalPool || checkFlag(layer, 'ceilMode', ceilMode);
    this.countIncludePad = checkFlag(layer, 'countIncludePad', countIncludePad);
    this.layout = checkLayerLayout(layer, layout, rank);
  }

  /** The arguments of `nd.Pooling` (Gluon's `_kwargs`). */
  get operatorOptions(): PoolingOptions {
    return {
      kernel: this.poolSize, stride: this.strides, pad: this.padding, globalPool: this.globalPool, poolType: this.poolType,
      layout: this.layout, poolingConvention: this.ceilMode ? 'full' : 'valid', countIncludePad: this.countIncludePad,
    };
  }

  /** `Pooling(x)`; see the class comment. */
  override hybridForward(F: HybridF, x: Tensor): Tensor {
    return F.Pooling(x, { ...this.operatorOptions, name: 'fwd' });
  }

  /**
   * Gluon's text, e.g. `MaxPool2D(size=(2, 2), stride=(2, 2), padding=(0, 0), ceil_mode=False,
   * global_pool=False, pool_type=max, layout=NCHW)`.
   */
  override toString(): string {
    return `${this.constructor.name}(size=${formatShape(this.poolSize)}, stride=${formatShape(this.strides)}, ` +
      `padding=${formatShape(this.padding)}, ceil_mode=${pyBool(this.ceilMode)}, global_pool=${pyBool(this.globalPool)}, ` +
      `pool_type=${this.poolType}, layout=${this.layout})`;
  }
}

/**
 * Max pooling over one spatial dimension, as Gluon's `nn.MaxPool1D`: out[n, c, o] = the largest
 * x[n, c, i] in window o (see PoolingBase). Shapes: x (N, C, W) ('NWC': (N, W, C)); output
 * (N, C, outW), outW = floor((W + 2·padding − poolSize)/strides) + 1 (ceil with ceilMode).
 * Defaults: poolSize 2, strides = poolSize, padding 0, ceilMode false, layout 'NCW'.
 *
 * @example
 * new nn.MaxPool1D()(nd.array([[[1, 3, 2, 5]]])).toArray(); // [[[3, 5]]]
 */
export class MaxPool1D extends PoolingBase {
  constructor(options: MaxPoolOptions = {}) {
    super(1, 'max', false, options);
  }
}

/**
 * Max pooling over two spatial dimensions, as Gluon's `nn.MaxPool2D`: out[n, c, oy, ox] = the
 * largest value of window (oy, ox) (see PoolingBase). Shapes: x (N, C, H, W) ('NHWC':
 * (N, H, W, C)); output (N, C, outH, outW), outH = floor((H + 2·p₀ − k₀)/s₀) + 1 (ceil with
 * ceilMode), likewise outW. Defaults: poolSize 2, strides = poolSize, padding 0, ceilMode false,
 * layout 'NCHW'.
 *
 * @example
 * const pool = new nn.MaxPool2D({ poolSize: 2, strides: 2 });
 * pool(nd.ones([1, 6, 24, 24])).shape; // [1, 6, 12, 12]
 */
export class MaxPool2D extends PoolingBase {
  constructor(options: MaxPoolOptions = {}) {
    super(2, 'max', false, options);
  }
}

/**
 * Max pooling over three spatial dimensions, as Gluon's `nn.MaxPool3D` (see MaxPool2D). Shapes:
 * x (N, C, D, H, W) ('NDHWC': (N, D, H, W, C)); output (N, C, outD, outH, outW). Defaults:
 * poolSize 2, strides = poolSize, padding 0, ceilMode false, layout 'NCDHW'.
 *
 * @example
 * new nn.MaxPool3D()(nd.ones([1, 2, 4, 4, 4])).shape; // [1, 2, 2, 2, 2]
 */
export class MaxPool3D extends PoolingBase {
  constructor(options: MaxPoolOptions = {}) {
    super(3, 'max', false, options);
  }
}

/**
 * Average pooling over one spatial dimension, as Gluon's `nn.AvgPool1D`: out[n, c, o] = (Σ of
 * window o's input values) / divisor, the divisor counting the padding when countIncludePad
 * (see PoolingBase). Shapes as MaxPool1D. Defaults: poolSize 2, strides = poolSize, padding 0,
 * ceilMode false, layout 'NCW', countIncludePad true.
 *
 * @example
 * new nn.AvgPool1D()(nd.array([[[1, 3, 2, 6]]])).toArray(); // [[[2, 4]]]
 */
export class AvgPool1D extends PoolingBase {
  static override readonly optionKeys = AVG_POOL_OPTION_KEYS;

  constructor(options: AvgPoolOptions = {}) {
    super(1, 'avg', false, options);
  }
}

/**
 * Average pooling over two spatial dimensions, as Gluon's `nn.AvgPool2D` (see AvgPool1D and
 * PoolingBase). Shapes as MaxPool2D. Defaults: poolSize 2, strides = poolSize, padding 0,
 * ceilMode false, layout 'NCHW', countIncludePad true.
 *
 * @example
 * const pool = new nn.AvgPool2D({ poolSize: 3, strides: 1, padding: 1, countIncludePad: false });
 * pool(nd.ones([1, 1, 4, 4])).toArray(); // all ones: the padding is not counted
 */
export class AvgPool2D extends PoolingBase {
  static override readonly optionKeys = AVG_POOL_OPTION_KEYS;

  constructor(options: AvgPoolOptions = {}) {
    super(2, 'avg', false, options);
  }
}

/**
 * Average pooling over three spatial dimensions, as Gluon's `nn.AvgPool3D` (see AvgPool1D).
 * Shapes as MaxPool3D. Defaults: poolSize 2, strides = poolSize, padding 0, ceilMode false,
 * layout 'NCDHW', countIncludePad true.
 *
 * @example
 * new nn.AvgPool3D({ poolSize: [1, 2, 2] })(nd.ones([1, 1, 3, 4, 4])).shape; // [1, 1, 3, 2, 2]
 */
export class AvgPool3D extends PoolingBase {
  static override readonly optionKeys = AVG_POOL_OPTION_KEYS;

  constructor(options: AvgPoolOptions = {}) {
    super(3, 'avg', false, options);
  }
}

/**
 * Global max pooling, as Gluon's `nn.GlobalMaxPool1D` / `2D` / `3D`: out[n, c, 1, …] = the largest
 * x[n, c, …] over every spatial position (NaNs are skipped). Shapes: x (N, C, *spatial) or
 * channels-last (N, *spatial, C); output (N, C, 1, …) or (N, 1, …, C). Default layout
 * channels-first.
 *
 * @example
 * new nn.GlobalMaxPool1D()(nd.array([[[1, 7, 3]]])).toArray();         // [[[7]]]
 * new nn.GlobalMaxPool2D()(nd.array([[[[1, 7], [3, 5]]]])).toArray(); // [[[[7]]]]
 */
export class GlobalMaxPool1D extends PoolingBase {
  static override readonly optionKeys = GLOBAL_POOL_OPTION_KEYS;

  constructor(options: GlobalPoolOptions = {}) {
    super(1, 'max', true, options);
  }
}

/** Global max pooling over (H, W); see GlobalMaxPool1D. */
export class GlobalMaxPool2D extends PoolingBase {
  static override readonly optionKeys = GLOBAL_POOL_OPTION_KEYS;

  constructor(options: GlobalPoolOptions = {}) {
    super(2, 'max', true, options);
  }
}

/** Global max pooling over (D, H, W); see GlobalMaxPool1D. */
export class GlobalMaxPool3D extends PoolingBase {
  static override readonly optionKeys = GLOBAL_POOL_OPTION_KEYS;

  constructor(options: GlobalPoolOptions = {}) {
    super(3, 'max', true, options);
  }
}

/**
 * Global average pooling, as Gluon's `nn.GlobalAvgPool1D` / `2D` / `3D`: out[n, c, 1, …] = the
 * mean of x[n, c, …] over every spatial position. Shapes as GlobalMaxPool1D. Default layout
 * channels-first.
 *
 * @example
 * new nn.GlobalAvgPool1D()(nd.array([[[1, 7, 4]]])).toArray();         // [[[4]]]
 * new nn.GlobalAvgPool2D()(nd.array([[[[1, 7], [3, 5]]]])).toArray(); // [[[[4]]]]
 */
export class GlobalAvgPool1D extends PoolingBase {
  static override readonly optionKeys = GLOBAL_POOL_OPTION_KEYS;

  constructor(options: GlobalPoolOptions = {}) {
    super(1, 'avg', true, options);
  }
}

/** Global average pooling over (H, W); see GlobalAvgPool1D. */
export class GlobalAvgPool2D extends PoolingBase {
  static override readonly optionKeys = GLOBAL_POOL_OPTION_KEYS;

  constructor(options: GlobalPoolOptions = {}) {
    super(2, 'avg', true, options);
  }
}

/** Global average pooling over (D, H, W); see GlobalAvgPool1D. */
export class GlobalAvgPool3D extends PoolingBase {
  static override readonly optionKeys = GLOBAL_POOL_OPTION_KEYS;

  constructor(options: GlobalPoolOptions = {}) {
    super(3, 'avg', true, options);
  }
}
