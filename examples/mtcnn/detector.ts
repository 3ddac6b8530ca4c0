/**
 * MTCNN face detection (Zhang et al., 2016) with the three networks MXNet exported, following the
 * reference pipeline pangyupo/mxnet_mtcnn_face_detection (`MtcnnDetector.detect_face` with
 * accurate_landmark=False, its default in main.py) step for step:
 *
 * 1. P-Net, a small fully convolutional net, runs on an image pyramid and proposes windows;
 * 2. R-Net rescores 24×24 crops of the surviving windows and refines their boxes;
 * 3. O-Net rescores 48×48 crops, refines the boxes again and places 5 landmarks.
 *
 * Between stages, non-maximum suppression merges duplicates, boxes are made square (the crops
 * are square) and cropped with zero padding where they leave the image.
 */
import * as path from 'path';
import { gluon, nd, NDArray } from '../../src';
import { Box, Candidate, Regression, calibrateBox, convertToSquare, generateBbox, nms, pad, roundBox } from './boxes';
import { BgrImage, Raster, resizeLinear } from './image';

/** A detected face: its box (inclusive corners, image pixels), O-Net's face probability and 5 landmarks. */
export interface Face {
  box: { x1: number; y1: number; x2: number; y2: number };
  score: number;
  /** Left eye, right eye, nose, left and right mouth corner ("left" as seen in the image). */
  landmarks: { x: number; y: number }[];
}

export interface MtcnnOptions {
  /** The smallest face to find, in pixels (20): it sets the first pyramid scale, 12 / minsize. */
  minsize?: number;
  /** Face probability above which P-Net, R-Net and O-Net keep a box ([0.6, 0.7, 0.8]). */
  thresholds?: readonly [number, number, number];
  /** The ratio between pyramid levels (0.709 ≈ 1/√2, so each level halves the area). */
  factor?: number;
}

/** How many boxes each stage passed on, and how long it took, for the last `detect` call. */
export interface DetectionStats {
  scales: number[];
  counts: { pnet: number; rnet: number; onet: number };
  ms: { pnet: number; rnet: number; onet: number };
}

/** The network's input window: P-Net sees 12×12, which is why the pyramid starts at 12 / minsize. */
const MIN_DET_SIZE = 12;

/**
 * The reference's `adjust_input`: HWC → CHW (the channels stay BGR; height and width stay in
 * place: unlike the original Caffe/MATLAB MTCNN, which fed transposed images, these converted
 * models take upright ones — fed faces.jpg transposed they find no face) and (x − 127.5) · 0.0078125,
 * which maps 0..255 to about −1..1. Written into `out` at `offset` (one item of a batch).
 */
function adjustInput(image: Raster, out: Float32Array, offset: number): void {
  const { width, height, data } = image;
  const plane = width * height;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < 3; c++) out[offset + c * plane + p] = Math.fround((data[p * 3 + c] - 127.5) * 0.0078125);
  }
}

/**
 * The pyramid's scales: 12/minsize, then × factor while the short side stays above 12 pixels,
 * each computed as the reference does, m · factor ** count (not by repeated multiplication).
 */
export function pyramidScales(width: number, height: number, minsize: number, factor: number): number[] {
  const scales: number[] = [];
  const m = MIN_DET_SIZE / minsize;
  let minl = Math.min(height, width) * m;
  for (let count = 0; minl > MIN_DET_SIZE; count++) {
    scales.push(m * powRounded(factor, count));
    minl *= factor;
  }
  return scales;
}

/**
 * x ** n for x > 0 and a whole n ≥ 0, correctly rounded. Python's `**` calls C's pow, which
 * glibc rounds correctly but in rare cases (its error bound is 0.52 ulp); V8's Math.pow is off
 * by an ulp far more often (0.709 ** 7 is), and an ulp in a scale can move a rounded corner. x = mant · 2^exp exactly, so
 * mant ** n is an exact BigInt; keeping its top 64 bits plus a sticky bit rounds it right.
 */
export function powRounded(x: number, n: number): number {
  if (!(x > 0 && Number.isFinite(x) && Number.isInteger(n) && n >= 0 && n <= 1000)) return x ** n;
  let exp = Math.floor(Math.log2(x)) - 52;
  let mant = x / 2 ** exp; // exact (a power-of-2 scaling); the nudges fix log2's rounding
  while (mant >= 2 ** 53) { mant /= 2; exp++; }
  while (mant < 2 ** 52) { mant *= 2; exp--; }
  let big = BigInt(mant) ** BigInt(n);
  let e = exp * n;
  const drop = big.toString(2).length - 64;
  if (drop > 0) {
    const sticky = big & ((1n << BigInt(drop)) - 1n) ? 1n : 0n;
    big = (big >> BigInt(drop)) | sticky;
    e += drop;
  }
  let v = Number(big); // round to nearest even, as the spec requires
  for (; e < -1000; e += 1000) v *= 2 ** -1000;
  for (; e > 1000; e -= 1000) v *= 2 ** 1000;
  return v * 2 ** e;
}

export class MtcnnDetector {
  readonly minsize: number;
  readonly thresholds: readonly [number, number, number];
  readonly factor: number;
  /** Filled by each `detect` call. */
  lastStats: DetectionStats | undefined;
  private readonly pnet: gluon.SymbolBlock;
  private readonly rnet: gluon.SymbolBlock;
  private readonly onet: gluon.SymbolBlock;

  /** Loads det1 (P-Net), det2 (R-Net) and det3 (O-Net) `-symbol.json` + `-0001.params` from `modelDir`. */
  constructor(modelDir: string, options: MtcnnOptions = {}) {
    const load = (name: string): gluon.SymbolBlock =>
      gluon.SymbolBlock.imports(path.join(modelDir, `${name}-symbol.json`), ['data'], path.join(modelDir, `${name}-0001.params`));
    this.pnet = load('det1');
    this.rnet = load('det2');
    this.onet = load('det3');
    this.minsize = options.minsize ?? 20;
    this.thresholds = options.thresholds ?? [0.6, 0.7, 0.8];
    this.factor = options.factor ?? 0.709;
  }

  /** The faces in an 8-bit BGR image (as `readImage` gives), best score first; [] if none. */
  detect(image: BgrImage): Face[] {
    const stats: DetectionStats = { scales: pyramidScales(image.width, image.height, this.minsize, this.factor), counts: { pnet: 0, rnet: 0, onet: 0 }, ms: { pnet: 0, rnet: 0, onet: 0 } };
    this.lastStats = stats;
    let t = Date.now();
    const proposals = this.proposeWindows(image, stats.scales);
    stats.counts.pnet = proposals.length;
    stats.ms.pnet = Date.now() - t;
    if (proposals.length === 0) return [];
    t = Date.now();
    const refined = this.refineWindows(image, proposals);
    stats.counts.rnet = refined.length;
    stats.ms.rnet = Date.now() - t;
    if (refined.length === 0) return [];
    t = Date.now();
    const faces = this.outputFaces(image, refined);
    stats.counts.onet = faces.length;
    stats.ms.onet = Date.now() - t;
    return faces;
  }

  /**
   * Stage 1. At each scale: resize the image (cv2.resize, 8-bit, so the pixels are rounded as
   * OpenCV rounds them), run P-Net, keep the cells above threshold and suppress duplicates
   * (NMS 0.5, Union). Then merge all scales (NMS 0.7, Union), apply P-Net's regression, square
   * the boxes and round them to whole pixels for cropping.
   */
  private proposeWindows(image: BgrImage, scales: number[]): Box[] {
    let all: Candidate[] = [];
    for (const scale of scales) {
      const hs = Math.ceil(image.height * scale);
      const ws = Math.ceil(image.width * scale);
      const input = new Float32Array(3 * hs * ws);
      adjustInput(resizeLinear(image, ws, hs), input, 0);
      const [reg, prob] = this.run(this.pnet, input, [1, 3, hs, ws], [4, 2]);
      const [, , rows, cols] = prob.shape;
      // Channel 1 of the softmax is "face".
      const face = prob.data.subarray(rows * cols, 2 * rows * cols);
      const boxes = generateBbox(face, reg.data, rows, cols, scale, this.thresholds[0]);
      all = all.concat(nms(boxes, 0.5, 'Union').map((i) => boxes[i]));
    }
    if (all.length === 0) return [];
    return nms(all, 0.7, 'Union').map((i) => roundBox(convertToSquare(calibrateBox(all[i], all[i].reg))));
  }

  /**
   * Stage 2. R-Net scores a 24×24 crop of each window (8-bit crops, as the reference makes
   * them); windows above threshold are deduplicated (NMS 0.7, Union), moved by R-Net's
   * regression, squared and rounded again.
   */
  private refineWindows(image: BgrImage, windows: Box[]): Box[] {
    const { boxes, input } = this.crops(image, windows, 24, 'u8');
    if (boxes.length === 0) return [];
    const [reg, prob] = this.run(this.rnet, input, [boxes.length, 3, 24, 24], [4, 2]);
    const kept = this.passing(boxes, prob, this.thresholds[1]);
    return nms(kept, 0.7, 'Union').map((k) => roundBox(convertToSquare(calibrateBox(kept[k], rowOf(reg, kept[k].index)))));
  }

  /**
   * Stage 3. O-Net scores a 48×48 crop of each window (float crops in the reference, so no
   * rounding after the resize) and predicts 5 landmarks as fractions of the window, mapped to
   * image pixels before the window is moved by O-Net's regression. Last, NMS 0.7 with 'Min',
   * which also drops a box lying inside a better one.
   */
  private outputFaces(image: BgrImage, windows: Box[]): Face[] {
    const { boxes, input } = this.crops(image, windows, 48, 'f32');
    if (boxes.length === 0) return [];
    const [points, reg, prob] = this.run(this.onet, input, [boxes.length, 3, 48, 48], [10, 4, 2]);
    const kept = this.passing(boxes, prob, this.thresholds[2]);
    const faces = kept.map((box) => {
      const p = rowOf(points, box.index, 10);
      const bbw = box.x2 - box.x1 + 1;
      const bbh = box.y2 - box.y1 + 1;
      // The reference stores the landmarks back into O-Net's float32 output array.
      const landmarks = [0, 1, 2, 3, 4].map((k) => ({ x: Math.fround(box.x1 + bbw * p[k]), y: Math.fround(box.y1 + bbh * p[k + 5]) }));
      return { box: calibrateBox(box, rowOf(reg, box.index)), landmarks };
    });
    return nms(faces.map((f) => f.box), 0.7, 'Min').map((k) => {
      const { x1, y1, x2, y2, score } = faces[k].box;
      return { box: { x1, y1, x2, y2 }, score, landmarks: faces[k].landmarks };
    });
  }

  /**
   * The crops of `windows` as one NCHW batch: each window (padded with zeros where it leaves
   * the image) resized to size × size and normalized. Returns the windows clamped to the image,
   * as the reference's `pad` leaves them (see `pad` in boxes.ts), with their batch index.
   * Windows with no area are dropped: the reference would fail on them.
   */
  private crops(image: BgrImage, windows: Box[], size: number, type: 'u8' | 'f32'): { boxes: (Box & { index: number })[]; input: Float32Array } {
    const padded = windows.map((w) => pad(w, image.width, image.height)).filter((p) => p.tmpw > 0 && p.tmph > 0);
    const input = new Float32Array(padded.length * 3 * size * size);
    padded.forEach((p, i) => {
      const data = type === 'u8' ? new Uint8Array(p.tmpw * p.tmph * 3) : new Float32Array(p.tmpw * p.tmph * 3);
      const rows = Math.min(p.ey - p.y, p.edy - p.dy) + 1;
      const cols = Math.min(p.ex - p.x, p.edx - p.dx) + 1;
      for (let r = 0; r < rows; r++) {
        const from = ((p.y + r) * image.width + p.x) * 3;
        data.set(image.data.subarray(from, from + cols * 3), ((p.dy + r) * p.tmpw + p.dx) * 3);
      }
      adjustInput(resizeLinear({ width: p.tmpw, height: p.tmph, channels: 3, data }, size, size), input, i * 3 * size * size);
    });
    return { boxes: padded.map((p, index) => ({ ...p.clamped, index })), input };
  }

  /** The boxes whose face probability (softmax channel 1, compared in float32) is above `threshold`, rescored with it. */
  private passing<B extends Box & { index: number }>(boxes: B[], prob: NDArray, threshold: number): B[] {
    const t = Math.fround(threshold);
    return boxes.filter((b) => prob.data[b.index * 2 + 1] > t).map((b) => ({ ...b, score: prob.data[b.index * 2 + 1] }));
  }

  /** Runs a stage on an NCHW batch, checking that its outputs have the expected channel counts. */
  private run(net: gluon.SymbolBlock, data: Float32Array, shape: number[], channels: number[]): NDArray[] {
    const outputs = net(nd.array(data, { shape })) as NDArray[];
    if (!Array.isArray(outputs) || outputs.length !== channels.length || outputs.some((o, k) => o.shape[1] !== channels[k])) {
      throw new Error(`MTCNN: expected outputs with ${channels.join(', ')} channels, got shapes ${JSON.stringify(Array.isArray(outputs) ? outputs.map((o) => o.shape) : outputs)}`);
    }
    return outputs;
  }
}

/** Row `i` of an (N, width) output. */
function rowOf(array: NDArray, i: number, width = 4): Regression & number[] {
  return Array.from(array.data.subarray(i * width, (i + 1) * width)) as Regression & number[];
}
