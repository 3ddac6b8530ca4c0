/**
 * Decoding JPEG and PNG bytes into an image array, as MXNet's `mx.image.imdecode` (OpenCV) does
 * for the vision datasets: (height, width, 3) RGB for flag 1, (height, width, 1) gray for flag 0,
 * uint8 values 0–255, as MXNet's. The decoders are the
 * maintained `jpeg-js` and `pngjs` packages, loaded on first use (Node; a browser decodes with
 * its own image elements). Images over 100 megapixels are refused before anything is allocated
 * for them, so a hostile header cannot ask for gigabytes.
 */
import { GluonError } from '../../../core/errors';
import { NDArray } from '../../../ndarray/ndarray';

/** 0: grayscale (one channel), 1: color (three, RGB). */
export type ImageFlag = 0 | 1;

const MAX_PIXELS = 100 * 1024 * 1024;

/** Decodes JPEG or PNG `bytes` (told apart by their signatures); `source` names the file in errors. */
export function decodeImage(who: string, bytes: Uint8Array, flag: ImageFlag, source: string): NDArray {
  const rgba = isPng(bytes) ? decodePng(who, bytes, source) : isJpeg(bytes) ? decodeJpeg(who, bytes, source) : undefined;
  if (rgba === undefined) throw new GluonError(`${who}: expected a JPEG or PNG image in ${source}, but its bytes are neither`);
  return toImage(rgba, flag);
}

interface Rgba { width: number; height: number; data: Uint8Array }

const isPng = (b: Uint8Array) => b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47;
const isJpeg = (b: Uint8Array) => b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

function decodePng(who: string, bytes: Uint8Array, source: string): Rgba {
  // IHDR is the first chunk: width and height at bytes 16 and 20, big-endian.
  if (bytes.length >= 24) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, 24);
    checkSize(who, view.getUint32(16), view.getUint32(20), source);
  }
  const { PNG } = pngjs(who);
  try {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    return { width: png.width, height: png.height, data: png.data };
  } catch (error) {
    throw new GluonError(`${who}: cannot decode the PNG image in ${source}: ${(error as Error).message}`);
  }
}

function decodeJpeg(who: string, bytes: Uint8Array, source: string): Rgba {
  const jpeg = jpegJs(who);
  try {
    return jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, maxResolutionInMP: MAX_PIXELS / (1024 * 1024), maxMemoryUsageInMB: 2048 });
  } catch (error) {
    throw new GluonError(`${who}: cannot decode the JPEG image in ${source}: ${(error as Error).message}`);
  }
}

/** The jpeg-js package's functions this module uses. */
export interface JpegJs {
  decode(data: Uint8Array, options: object): Rgba;
  encode(raw: { data: Uint8Array; width: number; height: number }, quality: number): { data: Uint8Array };
}

/**
 * The pngjs package's functions this module uses (declared here, so the published types need
 * no @types/pngjs).
 */
export interface PngJs {
  PNG: {
    new (options: { width: number; height: number }): Rgba;
    sync: { read(buffer: Uint8Array): Rgba; write(png: Rgba): Uint8Array };
  };
}

/**
 * The `pngjs` and `jpeg-js` packages, loaded on first use; a browser bundle leaves them out
 * (package.json's "browser" field), which is a GluonError naming `who`.
 */
export function pngjs(who: string): PngJs {
  const loaded: Partial<PngJs> = require('pngjs');
  if (typeof loaded.PNG !== 'function') throw missingPackage(who, 'pngjs');
  return loaded as PngJs;
}

export function jpegJs(who: string): JpegJs {
  const loaded: Partial<JpegJs> = require('jpeg-js');
  if (typeof loaded.decode !== 'function' || typeof loaded.encode !== 'function') throw missingPackage(who, 'jpeg-js');
  return loaded as JpegJs;
}

function missingPackage(who: string, name: string): GluonError {
  return new GluonError(`${who}: expected the '${name}' package (Node), but this build has none: a browser bundle leaves it out; decode images with the browser's own image elements`);
}

function checkSize(who: string, width: number, height: number, source: string): void {
  if (width * height > MAX_PIXELS) throw new GluonError(`${who}: expected an image of at most ${MAX_PIXELS} pixels in ${source}, but its header says ${width}×${height}`);
}

/** RGBA bytes to (h, w, 3) RGB, or (h, w, 1) gray by OpenCV's rounded 0.299 R + 0.587 G + 0.114 B. */
function toImage({ width, height, data }: Rgba, flag: ImageFlag): NDArray {
  const pixels = width * height;
  const out = new Uint8Array(pixels * (flag === 1 ? 3 : 1));
  for (let p = 0; p < pixels; p++) {
    const [r, g, b] = [data[4 * p], data[4 * p + 1], data[4 * p + 2]];
    if (flag === 1) out.set([r, g, b], 3 * p);
    else out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
  }
  return new NDArray(out, [height, width, flag === 1 ? 3 : 1], 'uint8');
}
