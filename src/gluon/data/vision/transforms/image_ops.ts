/**
 * Pixel loops of the vision transforms on (H, W, C) float32 images: bilinear resizing with
 * OpenCV's INTER_LINEAR geometry (pixel centres: source x = (x + ½)·w/W − ½, clamped to the
 * image), cropping and flipping. Values stay float32 (MXNet's uint8 images are rounded and
 * saturated by OpenCV; these are not).
 */

/** The (H, W, C) image `src` (h, w, c) resized to (outH, outW, c), bilinearly. */
export function resizeBilinear(src: Float32Array, h: number, w: number, c: number, outH: number, outW: number): Float32Array {
  const out = new Float32Array(outH * outW * c);
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
  return out;
}

/** The (height, width) window at (top, left) of an (h, w, c) image. */
export function crop(src: Float32Array, w: number, c: number, top: number, left: number, height: number, width: number): Float32Array {
  const out = new Float32Array(height * width * c);
  for (let y = 0; y < height; y++) out.set(src.subarray(((top + y) * w + left) * c, ((top + y) * w + left + width) * c), y * width * c);
  return out;
}

/** The (h, w, c) image mirrored left–right (`horizontal`) or top–bottom. */
export function flip(src: Float32Array, h: number, w: number, c: number, horizontal: boolean): Float32Array {
  const out = new Float32Array(src.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [sy, sx] = horizontal ? [y, w - 1 - x] : [h - 1 - y, x];
      out.set(src.subarray((sy * w + sx) * c, (sy * w + sx + 1) * c), (y * w + x) * c);
    }
  }
  return out;
}
