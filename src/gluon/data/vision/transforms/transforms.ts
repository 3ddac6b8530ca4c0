/**
 * `gluon.data.vision.transforms` (MXNet 1.9's vision/transforms.py): callable Blocks for
 * `dataset.transformFirst(...)`. Images are (H, W, C) arrays of 0–255 (a batch (N, H, W, C) where
 * noted), uint8 as the vision datasets give them, or float32; the image transforms keep the dtype
 * (see image_ops.ts), `ToTensor` makes a float32 tensor, `Cast` converts. Random transforms draw
 * from the seeded generator, so `random.seed` repeats them.
 */
import { describeValue } from '../../../../core/checks';
import { DType, checkDType } from '../../../../ndarray/dtype';
import { GluonError, formatShape } from '../../../../core/errors';
import { NDArray } from '../../../../ndarray/ndarray';
import { nd } from '../../../../ops/nd';
import { uniform01 } from '../../../../random';
import { Block, Tensor } from '../../../../nn/block';
import { constructedFrom } from '../../recipes';
import { checkImageDType, crop, flip, resizeBilinear } from './image_ops';

// This file, for the workers of a DataLoader with numWorkers (recipes.ts; absent in an ES module build).
const THIS_MODULE = typeof __filename === 'string' ? __filename : undefined;


/** The image argument of a transform: an NDArray of rank 3 (H, W, C) or, where allowed, 4. */
function image(who: string, x: Tensor, batch = false): NDArray {
  if (!(x instanceof NDArray) || !(x.ndim === 3 || (batch && x.ndim === 4))) {
    throw new GluonError(`${who}: expected an image NDArray (H, W, C)${batch ? ' or a batch (N, H, W, C)' : ''}, but got ${x instanceof NDArray ? `shape ${formatShape(x.shape)}` : describeValue(x)}`);
  }
  return checkImageDType(who, x);
}

/** A size option: one side for both, or [width, height] (MXNet's order). */
function sizeOf(who: string, size: number | readonly [number, number]): [number, number] {
  const [w, h] = typeof size === 'number' ? [size, size] : size;
  for (const v of [w, h]) if (!Number.isInteger(v) || v < 1) throw new GluonError(`${who}: expected a size of integers ≥ 1 (one, or [width, height]), but got ${describeValue(size)}`);
  return [w, h];
}

/**
 * Transforms applied in order (Gluon's `Compose`).
 *
 * @example const t = new transforms.Compose([new transforms.Resize(32), new transforms.ToTensor()]);
 */
export class Compose extends Block {
  private readonly steps: Block<unknown>[];

  constructor(steps: readonly Block<unknown>[]) {
    super();
    if (!Array.isArray(steps) || !steps.every((s) => s instanceof Block)) throw new GluonError(`Compose: expected a list of transforms (Blocks), but got ${describeValue(steps)}`);
    this.steps = [...steps];
    this.steps.forEach((s) => this.registerChild(s));
    constructedFrom(this, THIS_MODULE, 'Compose', [steps], new.target === Compose);
  }

  override forward(x: Tensor): Tensor {
    return this.steps.reduce<Tensor>((v, step) => step(v) as Tensor, x);
  }
}

/**
 * (H, W, C) values 0–255 of a numeric dtype → a float32 (C, H, W) tensor of values in [0, 1] (÷ 255); a
 * batch (N, H, W, C) → (N, C, H, W) (Gluon's `ToTensor`).
 *
 * @example new transforms.ToTensor()(nd.full([28, 28, 1], 255, { dtype: 'uint8' })).shape; // [1, 28, 28]
 */
export class ToTensor extends Block {
  constructor() {
    super();
    constructedFrom(this, THIS_MODULE, 'ToTensor', [], new.target === ToTensor);
  }

  override forward(x: Tensor): Tensor {
    const img = image('ToTensor', x, true);
    const values = img.dtype === 'float32' ? img : img.astype('float32');
    return nd.divide(nd.transpose(values, { axes: img.ndim === 3 ? [2, 0, 1] : [0, 3, 1, 2] }), 255);
  }
}

/**
 * (x − mean[c]) / std[c] on a (C, H, W) tensor or an (N, C, H, W) batch (Gluon's `Normalize`);
 * mean and std one number for every channel or one per channel.
 *
 * @example new transforms.Normalize(0.1307, 0.3081)
 */
export class Normalize extends Block {
  readonly mean: readonly number[];
  readonly std: readonly number[];

  constructor(mean: number | readonly number[] = 0, std: number | readonly number[] = 1) {
    super();
    [this.mean, this.std] = [mean, std].map((v) => (typeof v === 'number' ? [v] : [...v]));
    if (this.std.some((s) => !(s > 0))) throw new GluonError(`Normalize: expected std > 0, but got ${describeValue(std)}`);
    constructedFrom(this, THIS_MODULE, 'Normalize', [mean, std], new.target === Normalize);
  }

  override forward(x: Tensor): Tensor {
    if (!(x instanceof NDArray) || (x.ndim !== 3 && x.ndim !== 4)) throw new GluonError(`Normalize: expected a tensor (C, H, W) or (N, C, H, W), but got ${x instanceof NDArray ? `shape ${formatShape(x.shape)}` : describeValue(x)}`);
    if (x.dtype !== 'float32') throw new GluonError(`Normalize: expected a float32 tensor (ToTensor makes one from an image), but got a ${x.dtype} array of shape ${formatShape(x.shape)}`);
    const channels = x.shape[x.ndim - 3];
    for (const [name, list] of [['mean', this.mean], ['std', this.std]] as const) {
      if (list.length !== 1 && list.length !== channels) throw new GluonError(`Normalize: expected ${name} of 1 or ${channels} values (the channels), but got ${list.length}`);
    }
    const perChannel = (list: readonly number[]) => nd.array(Float32Array.from({ length: channels }, (_, c) => list[list.length === 1 ? 0 : c]), { shape: [channels, 1, 1] });
    return nd.broadcastDiv(nd.broadcastSub(x, perChannel(this.mean)), perChannel(this.std));
  }
}

/**
 * Converts to `dtype` (Gluon's `Cast`; default 'float32'), as `x.astype(dtype)`: C's casts,
 * an error where C's is undefined (a float out of an integer type's range).
 *
 * @example new transforms.Cast('float32')(image).dtype; // 'float32'
 */
export class Cast extends Block {
  readonly dtype: DType;

  constructor(dtype: DType = 'float32') {
    super();
    this.dtype = checkDType('Cast', dtype);
    constructedFrom(this, THIS_MODULE, 'Cast', [dtype], new.target === Cast);
  }

  override forward(x: Tensor): Tensor {
    if (!(x instanceof NDArray)) throw new GluonError(`Cast: expected an NDArray, but got ${describeValue(x)}`);
    return x.astype(this.dtype);
  }
}

/**
 * Resizes an (H, W, C) image to `size` ([width, height], or one side for a square), bilinearly
 * (Gluon's `Resize`, interpolation 1); with `keepRatio` and one side, the shorter side becomes
 * `size` and the other keeps the aspect ratio.
 *
 * @example new transforms.Resize([64, 32])(img).shape; // [32, 64, C]
 */
export class Resize extends Block {
  readonly size: number | readonly [number, number];
  readonly keepRatio: boolean;

  constructor(size: number | readonly [number, number], keepRatio = false) {
    super();
    sizeOf('Resize', size);
    this.size = size;
    this.keepRatio = keepRatio === true;
    constructedFrom(this, THIS_MODULE, 'Resize', [size, keepRatio], new.target === Resize);
  }

  override forward(x: Tensor): Tensor {
    const img = image('Resize', x);
    const [h, w] = img.shape;
    let [outW, outH] = sizeOf('Resize', this.size);
    if (this.keepRatio && typeof this.size === 'number') {
      [outW, outH] = h > w ? [this.size, Math.round((h * this.size) / w)] : [Math.round((w * this.size) / h), this.size];
    }
    return resizeBilinear(img, outH, outW);
  }
}

/**
 * The centre window of `size` ([width, height] or a square side), as Gluon's `CenterCrop`: where
 * the image is smaller, the largest centred window of that aspect ratio is taken and resized to
 * `size`.
 *
 * @example new transforms.CenterCrop(224)(img).shape; // [224, 224, 3]
 */
export class CenterCrop extends Block {
  readonly size: [number, number];

  constructor(size: number | readonly [number, number]) {
    super();
    this.size = sizeOf('CenterCrop', size);
    constructedFrom(this, THIS_MODULE, 'CenterCrop', [size], new.target === CenterCrop);
  }

  override forward(x: Tensor): Tensor {
    const img = image('CenterCrop', x);
    const [h, w] = img.shape;
    const [width, height] = this.size;
    // MXNet's scale_down: shrink the window, keeping its ratio, until it fits.
    let [cw, ch] = [width, height];
    if (ch > h) [cw, ch] = [Math.floor((cw * h) / ch), h];
    if (cw > w) [cw, ch] = [w, Math.floor((ch * w) / cw)];
    const window = crop(img, Math.floor((h - ch) / 2), Math.floor((w - cw) / 2), ch, cw);
    return cw === width && ch === height ? window : resizeBilinear(window, height, width);
  }
}

/**
 * A random window of area `scale` (a fraction of the image's, uniform) and aspect ratio `ratio`
 * (log-uniform), resized to `size` (Gluon's `RandomResizedCrop`, Inception's augmentation): ten
 * tries for a window that fits, then the centre crop, as MXNet's `random_size_crop`.
 *
 * @example new transforms.RandomResizedCrop(224)
 */
export class RandomResizedCrop extends Block {
  readonly size: [number, number];

  constructor(size: number | readonly [number, number], readonly scale: readonly [number, number] = [0.08, 1], readonly ratio: readonly [number, number] = [3 / 4, 4 / 3]) {
    super();
    this.size = sizeOf('RandomResizedCrop', size);
    if (!(scale[0] > 0 && scale[0] <= scale[1] && scale[1] <= 1)) throw new GluonError(`RandomResizedCrop: expected 0 < scale[0] ≤ scale[1] ≤ 1, but got ${describeValue(scale)}`);
    if (!(ratio[0] > 0 && ratio[0] <= ratio[1])) throw new GluonError(`RandomResizedCrop: expected 0 < ratio[0] ≤ ratio[1], but got ${describeValue(ratio)}`);
    constructedFrom(this, THIS_MODULE, 'RandomResizedCrop', [size, scale, ratio], new.target === RandomResizedCrop);
  }

  override forward(x: Tensor): Tensor {
    const img = image('RandomResizedCrop', x);
    const [h, w] = img.shape;
    const [width, height] = this.size;
    const between = (lo: number, hi: number) => lo + (hi - lo) * uniform01();
    for (let attempt = 0; attempt < 10; attempt++) {
      const area = between(this.scale[0], this.scale[1]) * h * w;
      const aspect = Math.exp(between(Math.log(this.ratio[0]), Math.log(this.ratio[1])));
      const [cw, ch] = [Math.round(Math.sqrt(area * aspect)), Math.round(Math.sqrt(area / aspect))];
      if (cw < 1 || ch < 1 || cw > w || ch > h) continue;
      const [left, top] = [Math.floor(uniform01() * (w - cw + 1)), Math.floor(uniform01() * (h - ch + 1))];
      return resizeBilinear(crop(img, top, left, ch, cw), height, width);
    }
    return new CenterCrop(this.size)(img);
  }
}

/** Mirrors an (H, W, C) image left–right with probability ½ (Gluon's `RandomFlipLeftRight`). @example new transforms.RandomFlipLeftRight() */
export class RandomFlipLeftRight extends Block {
  constructor() {
    super();
    constructedFrom(this, THIS_MODULE, 'RandomFlipLeftRight', [], new.target === RandomFlipLeftRight);
  }

  override forward(x: Tensor): Tensor {
    const img = image('RandomFlipLeftRight', x);
    return uniform01() < 0.5 ? flip(img, true) : img.astype(img.dtype);
  }
}

/** Mirrors an (H, W, C) image top–bottom with probability ½ (Gluon's `RandomFlipTopBottom`). @example new transforms.RandomFlipTopBottom() */
export class RandomFlipTopBottom extends Block {
  constructor() {
    super();
    constructedFrom(this, THIS_MODULE, 'RandomFlipTopBottom', [], new.target === RandomFlipTopBottom);
  }

  override forward(x: Tensor): Tensor {
    const img = image('RandomFlipTopBottom', x);
    return uniform01() < 0.5 ? flip(img, false) : img.astype(img.dtype);
  }
}
