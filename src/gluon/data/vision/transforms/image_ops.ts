/**
 * Pixel loops of the vision transforms on (H, W, C) images of every dtype but bool (MXNet's are
 * uint8 or float32): bilinear resizing with OpenCV's INTER_LINEAR geometry (pixel centres: source
 * x = (x + ½)·w/W − ½, clamped to the image), cropping and flipping. Cropping and flipping move
 * values unchanged; resizing interpolates in double precision and stores as OpenCV's
 * `saturate_cast` (integer images rounded half to even and clamped; OpenCV's own uint8 path
 * interpolates in 11-bit fixed point, so it can differ by one).
 */
import { GluonError, formatShape } from '../../../../core/errors';
import { allocate, saturateCast, toNumbers } from '../../../../ndarray/dtype';
import { NDArray } from '../../../../ndarray/ndarray';

/** Checks that `x` can be an image for `who`: not bool (a mask is no image). */
export function checkImageDType(who: string, x: NDArray): NDArray {
  if (x.dtype === 'bool') throw new GluonError(`${who}: expected an image of numbers (uint8, float32, …), but got a bool array of shape ${formatShape(x.shape)}`);
  return x;
}

/** The (H, W, C) image resized to (outH, outW, C), bilinearly, in its dtype. */
export function resizeBilinear(img: NDArray, outH: number, outW: number): NDArray {
  const [h, w, c] = img.shape;
  const src = toNumbers(img.dtype, img.values);
  const out = new Float64Array(outH * outW * c);
  const axis = (o: number, n: number, outN: number): [number, number, number] => {
    const s = Math.max(0, (o + 0.5) * (n / outN) - 0.5);
    const i0 = Math.min(Math.floor(s), n - 1);
    return [i0, Math.min(i0 + 1, n - 1), s - i0];
  };
  for (let y = 0; y < outH; y++) {
    const [y0, y1, fy] = axis(y, h, outH);
    for (let x = 0; x < outW; x++) {
      const [x0, x1, fx] = axis(x, w, outW);
      for (let k = 0; k < c; k++) {
        const at = (yy: number, xx: number) => src[(yy * w + xx) * c + k];
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
        out[(y * outW + x) * c + k] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return new NDArray(saturateCast(img.dtype, out), [outH, outW, c], img.dtype);
}

/** The (height, width) window at (top, left) of an (H, W, C) image. */
export function crop(img: NDArray, top: number, left: number, height: number, width: number): NDArray {
  const [, w, c] = img.shape;
  const src = img.values;
  const out = allocate(img.dtype, height * width * c);
  for (let y = 0; y < height; y++) out.set(src.subarray(((top + y) * w + left) * c, ((top + y) * w + left + width) * c), y * width * c);
  return new NDArray(out, [height, width, c], img.dtype);
}

/** The (H, W, C) image mirrored left–right (`horizontal`) or top–bottom. */
export function flip(img: NDArray, horizontal: boolean): NDArray {
  const [h, w, c] = img.shape;
  const src = img.values;
  const out = allocate(img.dtype, src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sy, sx] = horizontal ? [y, w - 1 - x] : [h - 1 - y, x];
      out.set(src.subarray((sy * w + sx) * c, (sy * w + sx + 1) * c), (y * w + x) * c);
    }
  }
  return new NDArray(out, img.shape, img.dtype);
}
