/**
 * The colour augmentations of `gluon.data.vision.transforms` (MXNet 1.9's image_random-inl.h):
 * brightness, contrast, saturation and hue jitter, their combination in a random order, and
 * AlexNet's PCA lighting noise, on (H, W, 3) RGB images of 0–255, computed in double precision and
 * stored in the image's dtype as MXNet's `saturate_cast` stores them: a uint8 image's results
 * rounded (half to even) and clamped to 0–255, a float image's not clamped. Factors are drawn from
 * the seeded generator.
 */
import { describeValue } from '../../../../core/checks';
import { GluonError, formatShape } from '../../../../core/errors';
import { saturateCast, toNumbers } from '../../../../ndarray/dtype';
import { NDArray } from '../../../../ndarray/ndarray';
import { normal01, uniform01 } from '../../../../random';
import { Block, Tensor } from '../../../../nn/block';
import { constructedFrom } from '../../recipes';
import { checkImageDType } from './image_ops';

// This file, for the workers of a DataLoader with numWorkers (recipes.ts; absent in an ES module build).
const THIS_MODULE = typeof __filename === 'string' ? __filename : undefined;


const LUMA = [0.299, 0.587, 0.114];

function rgb(who: string, x: Tensor): NDArray {
  if (!(x instanceof NDArray) || x.ndim !== 3 || x.shape[2] !== 3) {
    throw new GluonError(`${who}: expected an RGB image NDArray (H, W, 3), but got ${x instanceof NDArray ? `shape ${formatShape(x.shape)}` : describeValue(x)}`);
  }
  return checkImageDType(who, x);
}

function checkAmount(who: string, name: string, value: number, max = Infinity): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= max)) throw new GluonError(`${who}: expected ${name} in [0, ${max}], but got ${describeValue(value)}`);
  return value;
}

/** A factor 1 + U(−amount, amount) (MXNet's), or exactly 1 for amount 0. */
const jitter = (amount: number) => (amount === 0 ? 1 : 1 + (2 * uniform01() - 1) * amount);

/** Values computed for the image `x`, stored in its dtype (see the module comment). */
const stored = (x: NDArray, values: Float64Array) => new NDArray(saturateCast(x.dtype, values), x.shape, x.dtype);

/** Per pixel: out = f(r, g, b) for every pixel of an (H, W, 3) image. */
function mapPixels(x: NDArray, f: (r: number, g: number, b: number, out: Float64Array, at: number) => void): NDArray {
  const v = toNumbers(x.dtype, x.values);
  const out = new Float64Array(x.size);
  for (let at = 0; at < x.size; at += 3) f(v[at], v[at + 1], v[at + 2], out, at);
  return stored(x, out);
}

/** x·α, α = 1 + U(−brightness, brightness). */
export function adjustBrightness(x: NDArray, alpha: number): NDArray {
  return stored(x, Float64Array.from(toNumbers(x.dtype, x.values), (v) => v * alpha));
}

/** x·α + (1 − α)·mean luminance (0.299 R + 0.587 G + 0.114 B over the image). */
export function adjustContrast(x: NDArray, alpha: number): NDArray {
  const v = toNumbers(x.dtype, x.values);
  let sum = 0;
  for (let at = 0; at < x.size; at += 3) sum += LUMA[0] * v[at] + LUMA[1] * v[at + 1] + LUMA[2] * v[at + 2];
  const beta = (1 - alpha) * (sum / (x.size / 3));
  return stored(x, Float64Array.from(v, (value) => value * alpha + beta));
}

/** Each pixel blended with its luminance: c·α + (1 − α)·(0.299 R + 0.587 G + 0.114 B). */
export function adjustSaturation(x: NDArray, alpha: number): NDArray {
  return mapPixels(x, (r, g, b, out, at) => {
    const gray = (1 - alpha) * (LUMA[0] * r + LUMA[1] * g + LUMA[2] * b);
    out.set([r * alpha + gray, g * alpha + gray, b * alpha + gray], at);
  });
}

/** RGB → YIQ, and back (the NTSC matrices MXNet uses). */
const TO_YIQ = [[0.299, 0.587, 0.114], [0.596, -0.274, -0.321], [0.211, -0.523, 0.311]];
const FROM_YIQ = [[1, 0.956, 0.621], [1, -0.272, -0.647], [1, -1.107, 1.705]];

/** The hue rotated by α·π in YIQ space: FROM_YIQ · R(α·π) · TO_YIQ applied to each pixel. */
export function adjustHue(x: NDArray, alpha: number): NDArray {
  // The 3-digit matrices are inverse only to ~1e-3: no turn returns the image itself (as MXNet).
  if (alpha === 0) return x.astype(x.dtype);
  const [u, w] = [Math.cos(alpha * Math.PI), Math.sin(alpha * Math.PI)];
  const rotation = [[1, 0, 0], [0, u, -w], [0, w, u]];
  const product = (a: number[][], b: number[][]) => a.map((row) => b[0].map((_, j) => row.reduce((s, v, k) => s + v * b[k][j], 0)));
  const t = product(FROM_YIQ, product(rotation, TO_YIQ));
  return mapPixels(x, (r, g, b, out, at) => out.set(t.map((row) => row[0] * r + row[1] * g + row[2] * b), at));
}

/** Brightness jitter (Gluon's `RandomBrightness`). @example new transforms.RandomBrightness(0.3) */
export class RandomBrightness extends Block {
  constructor(readonly brightness: number) {
    super();
    checkAmount('RandomBrightness', 'brightness', brightness);
    constructedFrom(this, THIS_MODULE, 'RandomBrightness', [brightness], new.target === RandomBrightness);
  }

  override forward(x: Tensor): Tensor {
    return adjustBrightness(rgb('RandomBrightness', x), jitter(this.brightness));
  }
}

/** Contrast jitter (Gluon's `RandomContrast`). @example new transforms.RandomContrast(0.3) */
export class RandomContrast extends Block {
  constructor(readonly contrast: number) {
    super();
    checkAmount('RandomContrast', 'contrast', contrast);
    constructedFrom(this, THIS_MODULE, 'RandomContrast', [contrast], new.target === RandomContrast);
  }

  override forward(x: Tensor): Tensor {
    return adjustContrast(rgb('RandomContrast', x), jitter(this.contrast));
  }
}

/** Saturation jitter (Gluon's `RandomSaturation`). @example new transforms.RandomSaturation(0.3) */
export class RandomSaturation extends Block {
  constructor(readonly saturation: number) {
    super();
    checkAmount('RandomSaturation', 'saturation', saturation);
    constructedFrom(this, THIS_MODULE, 'RandomSaturation', [saturation], new.target === RandomSaturation);
  }

  override forward(x: Tensor): Tensor {
    return adjustSaturation(rgb('RandomSaturation', x), jitter(this.saturation));
  }
}

/** Hue jitter: a rotation by U(−hue, hue)·π in YIQ space (Gluon's `RandomHue`, hue in [0, 1]). @example new transforms.RandomHue(0.1) */
export class RandomHue extends Block {
  constructor(readonly hue: number) {
    super();
    checkAmount('RandomHue', 'hue', hue, 1);
    constructedFrom(this, THIS_MODULE, 'RandomHue', [hue], new.target === RandomHue);
  }

  override forward(x: Tensor): Tensor {
    return adjustHue(rgb('RandomHue', x), this.hue === 0 ? 0 : (2 * uniform01() - 1) * this.hue);
  }
}

/**
 * Brightness, contrast, saturation and hue jitter in a random order, each only when its amount
 * is > 0 (Gluon's `RandomColorJitter`).
 *
 * @example new transforms.RandomColorJitter({ brightness: 0.4, contrast: 0.4, saturation: 0.4 })
 */
export class RandomColorJitter extends Block {
  private readonly steps: Block<unknown>[];

  constructor(options: { brightness?: number; contrast?: number; saturation?: number; hue?: number } = {}) {
    super();
    const { brightness = 0, contrast = 0, saturation = 0, hue = 0 } = options;
    this.steps = [
      ...(brightness > 0 ? [new RandomBrightness(brightness)] : []), ...(contrast > 0 ? [new RandomContrast(contrast)] : []),
      ...(saturation > 0 ? [new RandomSaturation(saturation)] : []), ...(hue > 0 ? [new RandomHue(hue)] : []),
    ];
    [brightness, contrast, saturation].forEach((v, i) => checkAmount('RandomColorJitter', ['brightness', 'contrast', 'saturation'][i], v));
    checkAmount('RandomColorJitter', 'hue', hue, 1);
    constructedFrom(this, THIS_MODULE, 'RandomColorJitter', [options], new.target === RandomColorJitter);
  }

  override forward(x: Tensor): Tensor {
    const order = [...this.steps];
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.min(i, Math.floor(uniform01() * (i + 1)));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order.reduce<Tensor>((v, step) => step(v) as Tensor, rgb('RandomColorJitter', x));
  }
}

/** AlexNet's ImageNet eigenvalues and eigenvectors (columns), as MXNet's. */
const EIGVAL = [55.46, 4.794, 1.148];
const EIGVEC = [[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.814], [-0.5836, -0.6948, 0.4203]];

/**
 * PCA lighting noise (Krizhevsky et al. 2012; Gluon's `RandomLighting`): α ~ N(0, alpha)³ and every
 * pixel shifted by EIGVEC · (α ⊙ EIGVAL) in RGB.
 *
 * @example new transforms.RandomLighting(0.1)
 */
export class RandomLighting extends Block {
  constructor(readonly alpha: number) {
    super();
    checkAmount('RandomLighting', 'alpha', alpha);
    constructedFrom(this, THIS_MODULE, 'RandomLighting', [alpha], new.target === RandomLighting);
  }

  override forward(x: Tensor): Tensor {
    const img = rgb('RandomLighting', x);
    const a = EIGVAL.map((e) => e * normal01() * this.alpha);
    const shift = EIGVEC.map((row) => row.reduce((s, v, k) => s + v * a[k], 0));
    return mapPixels(img, (r, g, b, out, at) => out.set([r + shift[0], g + shift[1], b + shift[2]], at));
  }
}
