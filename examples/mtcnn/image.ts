/**
 * Images for the MTCNN example: decoding JPEG/PNG into the layout OpenCV's `cv2.imread` gives
 * (height × width × channels, interleaved, channel order BGR), writing PNGs, OpenCV's bilinear
 * `cv2.resize`, and drawing boxes and dots on the result.
 *
 * The reference detector (pangyupo/mxnet_mtcnn_face_detection) reads images with OpenCV and the
 * networks were converted to take BGR pixels, so everything here keeps OpenCV's conventions.
 */
import * as fs from 'fs';
import { PNG } from 'pngjs';
import { decodeJpegBgr } from './jpeg';

/**
 * An interleaved image, row-major, `channels` values per pixel (BGR order when channels is 3).
 * `Uint8Array` data behaves like OpenCV's CV_8U (results rounded and saturated to 0..255),
 * `Float32Array` data like CV_32F.
 */
export interface Raster<T extends Uint8Array | Float32Array = Uint8Array | Float32Array> {
  width: number;
  height: number;
  channels: number;
  data: T;
}

/** A decoded photo as `cv2.imread(path)` returns it: 8-bit BGR. */
export type BgrImage = Raster<Uint8Array>;

/** A BGR colour, 0..255 each. */
export type Bgr = readonly [number, number, number];

/**
 * Decodes JPEG or PNG bytes (told apart by their signature) into 8-bit BGR. As `cv2.imread`
 * with its default IMREAD_COLOR, alpha is dropped (not blended) and grey is replicated.
 * JPEGs are decoded by jpeg-js with libjpeg's chroma upsampling and colour conversion (see
 * jpeg.ts), within a few levels of OpenCV's pixels.
 */
export function decodeImage(bytes: Uint8Array): BgrImage {
  if (bytes[0] === 0xff && bytes[1] === 0xd8) return { ...decodeJpegBgr(bytes), channels: 3 };
  if (!(bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47)) {
    throw new Error('decodeImage: not a JPEG or PNG file (unknown signature)');
  }
  const rgba = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  const { width, height } = rgba;
  const data = new Uint8Array(width * height * 3);
  for (let p = 0; p < width * height; p++) {
    data[p * 3] = rgba.data[p * 4 + 2];
    data[p * 3 + 1] = rgba.data[p * 4 + 1];
    data[p * 3 + 2] = rgba.data[p * 4];
  }
  return { width, height, channels: 3, data };
}

/** Reads and decodes a JPEG or PNG file (see `decodeImage`). */
export function readImage(file: string): BgrImage {
  return decodeImage(fs.readFileSync(file));
}

/** Encodes an 8-bit BGR image as an opaque RGB(A) PNG. */
export function encodePng(image: BgrImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height });
  for (let p = 0; p < image.width * image.height; p++) {
    png.data[p * 4] = image.data[p * 3 + 2];
    png.data[p * 4 + 1] = image.data[p * 3 + 1];
    png.data[p * 4 + 2] = image.data[p * 3];
    png.data[p * 4 + 3] = 255;
  }
  return PNG.sync.write(png);
}

/** A copy of `image` (so drawing does not touch the detector's input). */
export function cloneImage<T extends Uint8Array | Float32Array>(image: Raster<T>): Raster<T> {
  return { ...image, data: image.data.slice() as T };
}

// ---------------------------------------------------------------------------------------------
// cv2.resize(src, (width, height)) with its default interpolation, INTER_LINEAR
// ---------------------------------------------------------------------------------------------

/** OpenCV's fixed-point scale for 8-bit resize weights (INTER_RESIZE_COEF_BITS = 11). */
const COEF_SCALE = 2048;
const f32 = Math.fround;

/** Round half to even, as `cvRound`/`saturate_cast<short>(float)` (lrint) do. */
function rint(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Source taps and weights along one axis: output d reads source i0[d]·a0[d] + i1[d]·a1[d]. */
interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  a0: Float32Array;
  a1: Float32Array;
}

/**
 * OpenCV's linear taps (resizeGeneric in imgproc/src/resize.cpp): pixel centres are aligned
 * (source coordinate (d + 0.5)·scale − 0.5, in float32 as OpenCV computes it), and every output
 * reads just the two nearest source pixels, so a downscale does NOT average (no antialiasing).
 * Off the edges OpenCV treats the axes differently, and so do we: along x the weight is moved
 * onto the border pixel (`clampWeights`), along y the row index is clamped and the weights kept.
 */
function linearTaps(srcLen: number, dstLen: number, clampWeights: boolean): Taps {
  const taps: Taps = { i0: new Int32Array(dstLen), i1: new Int32Array(dstLen), a0: new Float32Array(dstLen), a1: new Float32Array(dstLen) };
  // OpenCV stores 1/inv_scale, which is not always the same double as srcLen / dstLen.
  const scale = 1 / (dstLen / srcLen);
  const clamp = (i: number): number => Math.min(Math.max(i, 0), srcLen - 1);
  for (let d = 0; d < dstLen; d++) {
    let f = f32((d + 0.5) * scale - 0.5);
    let s = Math.floor(f);
    f = f32(f - s);
    if (clampWeights && s < 0) { s = 0; f = 0; }
    if (clampWeights && s >= srcLen - 1) { s = srcLen - 1; f = 0; }
    taps.i0[d] = clamp(s);
    taps.i1[d] = clamp(s + 1);
    taps.a0[d] = 1 - f;
    taps.a1[d] = f;
  }
  return taps;
}

/**
 * `cv2.resize(src, (dstWidth, dstHeight))` with INTER_LINEAR, reproduced bit for bit as OpenCV
 * 4.x computes it on x86 (checked against python3-opencv 4.6 in test/fixtures/mtcnn_resize_*):
 * a horizontal pass then a vertical pass, each between the two nearest pixels.
 *
 * 8-bit images use OpenCV's fixed-point path (weights rounded to 1/2048, the vertical pass
 * with its kernel's intermediate shifts), float32 images plain float32 arithmetic. OpenCV
 * switches an exact 2× downscale to INTER_AREA; that averages the same four pixels, and we
 * reproduce its rounding for that case too.
 */
export function resizeLinear<T extends Uint8Array | Float32Array>(src: Raster<T>, dstWidth: number, dstHeight: number): Raster<T> {
  const { width: sw, height: sh, channels: cn } = src;
  if (!(sw > 0 && sh > 0 && dstWidth > 0 && dstHeight > 0)) throw new Error(`resizeLinear: cannot resize ${sw}×${sh} to ${dstWidth}×${dstHeight}`);
  const u8 = src.data instanceof Uint8Array;
  const out = (u8 ? new Uint8Array(dstWidth * dstHeight * cn) : new Float32Array(dstWidth * dstHeight * cn)) as T;
  const dst: Raster<T> = { width: dstWidth, height: dstHeight, channels: cn, data: out };
  if (sw === 2 * dstWidth && sh === 2 * dstHeight) return halve(src, dst);
  const tx = linearTaps(sw, dstWidth, true);
  const ty = linearTaps(sh, dstHeight, false);
  const rowLen = dstWidth * cn;
  // One horizontally resized row per source row (computed lazily: most rows are needed twice).
  const rows = new Map<number, Float64Array>();
  const row = (y: number): Float64Array => {
    let r = rows.get(y);
    if (r) return r;
    r = new Float64Array(rowLen);
    const s = src.data, base = y * sw * cn;
    for (let dx = 0; dx < dstWidth; dx++) {
      const p0 = base + tx.i0[dx] * cn, p1 = base + tx.i1[dx] * cn;
      if (u8) {
        const w0 = rint(tx.a0[dx] * COEF_SCALE), w1 = rint(tx.a1[dx] * COEF_SCALE);
        for (let c = 0; c < cn; c++) r[dx * cn + c] = s[p0 + c] * w0 + s[p1 + c] * w1;
      } else {
        const w0 = tx.a0[dx], w1 = tx.a1[dx];
        for (let c = 0; c < cn; c++) r[dx * cn + c] = f32(f32(s[p0 + c] * w0) + f32(s[p1 + c] * w1));
      }
    }
    rows.set(y, r);
    return r;
  };
  for (let dy = 0; dy < dstHeight; dy++) {
    const r0 = row(ty.i0[dy]), r1 = row(ty.i1[dy]);
    const o = dy * rowLen;
    if (u8) {
      const b0 = rint(ty.a0[dy] * COEF_SCALE), b1 = rint(ty.a1[dy] * COEF_SCALE);
      for (let x = 0; x < rowLen; x++) {
        // OpenCV's 8-bit vertical kernel: each product drops its low bits before the sum
        // ((·>>4)·b>>16, as its 16-bit SIMD lanes hold it), then rounds the sum by a final >>2.
        // This differs by one level from exact rounding now and then; it is what OpenCV returns
        // (for the whole row, leftover values included, as python3-opencv 4.6 shows).
        const v = ((((r0[x] >> 4) * b0) >> 16) + (((r1[x] >> 4) * b1) >> 16) + 2) >> 2;
        // saturate_cast<uchar>: the rounded weights may sum to 2049, pushing 255 over.
        out[o + x] = v > 255 ? 255 : v;
      }
    } else {
      const b0 = ty.a0[dy], b1 = ty.a1[dy];
      for (let x = 0; x < rowLen; x++) out[o + x] = f32(r0[x] * b0) + f32(r1[x] * b1);
    }
  }
  return dst;
}

/** OpenCV's INTER_AREA fast path for an exact 2× downscale: the mean of each 2×2 block. */
function halve<T extends Uint8Array | Float32Array>(src: Raster<T>, dst: Raster<T>): Raster<T> {
  const cn = src.channels, stride = src.width * cn, s = src.data;
  for (let y = 0; y < dst.height; y++) {
    for (let x = 0; x < dst.width; x++) {
      for (let c = 0; c < cn; c++) {
        const p = 2 * y * stride + 2 * x * cn + c;
        const a = s[p], b = s[p + cn], d = s[p + stride], e = s[p + stride + cn];
        // 8-bit: (sum + 2) >> 2, rounding halves up; float: ((a + b) + d) + e, then × 0.25.
        dst.data[(y * dst.width + x) * cn + c] = s instanceof Uint8Array ? (a + b + d + e + 2) >> 2 : f32(f32(f32(a + b) + d) + e) * 0.25;
      }
    }
  }
  return dst;
}

// ---------------------------------------------------------------------------------------------
// Drawing (in place, on 8-bit BGR images)
// ---------------------------------------------------------------------------------------------

function setPixel(image: BgrImage, x: number, y: number, color: Bgr): void {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
  const p = (y * image.width + x) * 3;
  image.data[p] = color[0];
  image.data[p + 1] = color[1];
  image.data[p + 2] = color[2];
}

/** Outlines the rectangle with corners (x1, y1) and (x2, y2) inclusive, `thickness` pixels inwards; clipped to the image. */
export function drawRect(image: BgrImage, x1: number, y1: number, x2: number, y2: number, color: Bgr, thickness = 1): void {
  [x1, y1, x2, y2] = [Math.round(x1), Math.round(y1), Math.round(x2), Math.round(y2)];
  for (let t = 0; t < thickness; t++) {
    for (let x = x1; x <= x2; x++) {
      setPixel(image, x, y1 + t, color);
      setPixel(image, x, y2 - t, color);
    }
    for (let y = y1; y <= y2; y++) {
      setPixel(image, x1 + t, y, color);
      setPixel(image, x2 - t, y, color);
    }
  }
}

/** Fills a disc of `radius` pixels around (cx, cy); clipped to the image. */
export function fillCircle(image: BgrImage, cx: number, cy: number, radius: number, color: Bgr): void {
  const [x0, y0] = [Math.round(cx), Math.round(cy)];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) if (dx * dx + dy * dy <= radius * radius + radius) setPixel(image, x0 + dx, y0 + dy, color);
  }
}
