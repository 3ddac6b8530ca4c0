/**
 * JPEG decoding closer to OpenCV's `cv2.imread` (libjpeg-turbo) than jpeg-js's own output.
 *
 * jpeg-js decodes the coefficients well, but turns subsampled chroma into full resolution by
 * repeating each sample, and converts YCbCr to RGB in floating point. libjpeg, which OpenCV uses,
 * interpolates chroma ("fancy upsampling", a triangle filter) and converts with fixed-point
 * tables. On a typical 4:2:0 photo that changes pixels by up to ~70 levels at colour edges, which
 * is enough to move the detector's scores. So we take jpeg-js's raw Y, Cb, Cr planes and do those
 * two steps as libjpeg does (jdsample.c h2v1/h2v2_fancy_upsample, jdcolor.c ycc_rgb_convert).
 * What remains are ±1–3 level differences from jpeg-js's inverse DCT rounding.
 *
 * Only the common layouts take this path (3 components, chroma sampled 1×1 and luma 1×1, 2×1 or
 * 2×2, not an Adobe RGB file); anything else is left to jpeg-js's own conversion.
 */
import * as jpeg from 'jpeg-js';

/** Sampling factors per component and the Adobe transform flag, read from the JPEG's markers. */
function readLayout(bytes: Uint8Array): { sampling: [number, number][]; adobeTransform?: number } | undefined {
  let sampling: [number, number][] | undefined;
  let adobeTransform: number | undefined;
  for (let p = 2; p + 4 <= bytes.length; ) {
    if (bytes[p] !== 0xff) return undefined;
    const marker = bytes[p + 1];
    if (marker === 0xff) { p++; continue; } // fill byte
    const length = (bytes[p + 2] << 8) | bytes[p + 3];
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      const n = bytes[p + 9];
      sampling = [];
      for (let c = 0; c < n; c++) sampling.push([bytes[p + 11 + 3 * c] >> 4, bytes[p + 11 + 3 * c] & 15]);
    } else if (marker === 0xee && length >= 12 && String.fromCharCode(...bytes.subarray(p + 4, p + 9)) === 'Adobe') {
      adobeTransform = bytes[p + 15];
    }
    if (marker === 0xda) break; // start of scan: the header is over
    p += 2 + length;
  }
  return sampling ? { sampling, adobeTransform } : undefined;
}

/**
 * libjpeg's fancy upsampling of one chroma plane (cw × ch) by 2 horizontally and `v` (1 or 2)
 * vertically, cropped to width × height. Every output sample lies a quarter of the way from its
 * source sample towards the neighbour on its side, so it mixes them 3:1; edges are replicated.
 * Rounding biases alternate (+8/+7, +1/+2) exactly as libjpeg's so the results match to the bit.
 */
function upsample(plane: Int32Array, cw: number, ch: number, v: number, width: number, height: number): Int32Array {
  const out = new Int32Array(width * height);
  const row = new Int32Array(2 * cw + 2);
  for (let y = 0; y < height; y++) {
    const cy = v === 2 ? y >> 1 : y;
    if (v === 2) {
      // Vertically: 3 × this chroma row + 1 × the nearer neighbour row, so sums carry weight 4 (16 after both passes).
      const near = Math.min(Math.max(y & 1 ? cy + 1 : cy - 1, 0), ch - 1);
      const col = (i: number): number => plane[cy * cw + Math.min(i, cw - 1)] * 3 + plane[near * cw + Math.min(i, cw - 1)];
      for (let i = 0; i < cw; i++) {
        row[2 * i] = i === 0 ? (col(0) * 4 + 8) >> 4 : (col(i) * 3 + col(i - 1) + 8) >> 4;
        row[2 * i + 1] = i === cw - 1 ? (col(i) * 4 + 7) >> 4 : (col(i) * 3 + col(i + 1) + 7) >> 4;
      }
    } else {
      const val = (i: number): number => plane[cy * cw + i];
      for (let i = 0; i < cw; i++) {
        row[2 * i] = i === 0 ? val(0) : (val(i) * 3 + val(i - 1) + 1) >> 2;
        row[2 * i + 1] = i === cw - 1 ? val(i) : (val(i) * 3 + val(i + 1) + 2) >> 2;
      }
    }
    out.set(row.subarray(0, width), y * width);
  }
  return out;
}

/** libjpeg's fixed-point YCbCr → RGB (16 fractional bits, tables rounded as FIX() rounds). */
const FIX = (x: number): number => Math.floor(x * 65536 + 0.5);
const [CR_R, CB_B, CB_G, CR_G] = [FIX(1.402), FIX(1.772), FIX(0.34414), FIX(0.71414)];
const clamp8 = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : v);

/** Decodes a JPEG into 8-bit BGR (height × width × 3), as close to `cv2.imread` as described above. */
export function decodeJpegBgr(bytes: Uint8Array): { width: number; height: number; data: Uint8Array } {
  const layout = readLayout(bytes);
  const s = layout?.sampling;
  const [h0, v0] = s?.[0] ?? [0, 0];
  const libjpegPath =
    s !== undefined && s.length === 3 && layout?.adobeTransform !== 0 && s[1][0] === 1 && s[1][1] === 1 && s[2][0] === 1 && s[2][1] === 1 && ((h0 === 1 && v0 === 1) || (h0 === 2 && (v0 === 1 || v0 === 2)));
  const raw = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, colorTransform: libjpegPath ? false : undefined });
  const { width, height } = raw;
  const n = width * height;
  const data = new Uint8Array(n * 3);
  if (raw.data.length !== n * 3) {
    // Grey (or CMYK turned into RGB by jpeg-js): one or more values per pixel; grey is replicated.
    const cn = raw.data.length / n;
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = raw.data[i * cn + (cn === 1 ? 0 : 2 - c)];
    return { width, height, data };
  }
  if (!libjpegPath) {
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) data[i * 3 + c] = raw.data[i * 3 + 2 - c];
    return { width, height, data };
  }
  // jpeg-js repeats each chroma sample h0 × v0 times: read one per block back as the plane.
  const cw = Math.ceil(width / h0), ch = Math.ceil(height / v0);
  const [cb, cr] = [1, 2].map((k) => {
    const plane = new Int32Array(cw * ch);
    for (let y = 0; y < ch; y++) for (let x = 0; x < cw; x++) plane[y * cw + x] = raw.data[(y * v0 * width + x * h0) * 3 + k];
    if (h0 === 1) return plane; // not subsampled
    return upsample(plane, cw, ch, v0, width, height);
  });
  for (let i = 0; i < n; i++) {
    const y = raw.data[i * 3], b = cb[i] - 128, r = cr[i] - 128;
    data[i * 3] = clamp8(y + ((CB_B * b + 32768) >> 16));
    data[i * 3 + 1] = clamp8(y + ((-CB_G * b - CR_G * r + 32768) >> 16));
    data[i * 3 + 2] = clamp8(y + ((CR_R * r + 32768) >> 16));
  }
  return { width, height, data };
}
