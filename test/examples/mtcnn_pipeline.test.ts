/**
 * The MTCNN face detector example (examples/mtcnn): OpenCV's bilinear resize against
 * python3-opencv's output (test/fixtures/mtcnn_resize_fixtures.json, made by
 * make_mtcnn_resize_fixtures.py) and a naive float64 formula; image decoding and encoding; and the
 * whole detector on faces.jpg, against an independent numpy + OpenCV re-implementation of the
 * reference pipeline (mtcnn_pipeline_fixtures.json and mtcnn_faces_cv2.png, made by
 * make_mtcnn_pipeline_fixtures.py) and for plausibility, and the command line.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Face, MtcnnDetector } from '../../examples/mtcnn/detector';
import { BgrImage, Raster, decodeImage, encodePng, readImage, resizeLinear } from '../../examples/mtcnn/image';

const MODELS = path.resolve(__dirname, '../../../shared/fixtures/mxnet/mtcnn');
const present = fs.existsSync(MODELS);
if (!present) console.warn(`Skipping the MTCNN detector tests: ${MODELS} (MXNet's exported MTCNN models and faces.jpg) is absent in this checkout.`);
const FIXTURES = path.join(__dirname, '../fixtures');

interface ResizeCase {
  dtype: 'uint8' | 'float32';
  src: [number, number, number];
  dst: [number, number];
  frac: boolean;
  data: number[];
}

/** make_mtcnn_resize_fixtures.py's synthetic source pixel. */
function pixel(x: number, y: number, c: number, frac: boolean): number {
  const v = (x * x * 7 + y * y * 13 + x * y * 5 + c * 101 + x * 31 + y * 17 + x * y * c) % 256;
  return frac ? v + ((x * 7 + y * 3 + c) % 10) / 10 : v;
}

function synthetic(w: number, h: number, cn: number, u8: boolean, value: (x: number, y: number, c: number) => number): Raster {
  const data = u8 ? new Uint8Array(w * h * cn) : new Float32Array(w * h * cn);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let c = 0; c < cn; c++) data[(y * w + x) * cn + c] = value(x, y, c);
  return { width: w, height: h, channels: cn, data };
}

/**
 * INTER_LINEAR as a formula, in float64: source coordinate (d + 0.5)·src/dst − 0.5, the two nearest
 * pixels weighted linearly; past the left/right edge the border pixel alone, past the top/bottom
 * the row index clamped.
 */
function naiveResize(src: Raster, dw: number, dh: number): Float64Array {
  const { width: sw, height: sh, channels: cn, data } = src;
  const out = new Float64Array(dw * dh * cn);
  const clampRow = (y: number): number => Math.min(Math.max(y, 0), sh - 1);
  for (let dy = 0; dy < dh; dy++) {
    const sy = (dy + 0.5) * (sh / dh) - 0.5;
    const y0 = Math.floor(sy), fy = sy - y0;
    for (let dx = 0; dx < dw; dx++) {
      const sx = (dx + 0.5) * (sw / dw) - 0.5;
      let x0 = Math.floor(sx), fx = sx - x0;
      if (x0 < 0) { x0 = 0; fx = 0; }
      if (x0 >= sw - 1) { x0 = sw - 1; fx = 0; }
      const x1 = Math.min(x0 + 1, sw - 1);
      for (let c = 0; c < cn; c++) {
        const at = (y: number, x: number): number => data[(clampRow(y) * sw + x) * cn + c];
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x1) * fx;
        out[(dy * dw + dx) * cn + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}

describe('resizeLinear (cv2.resize, INTER_LINEAR)', () => {
  const doc: { opencv: string; cases: ResizeCase[] } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'mtcnn_resize_fixtures.json'), 'utf8'));

  it.each(doc.cases.map((c) => [`${c.dtype} ${c.src.join('×')} → ${c.dst.join('×')}`, c] as const))("gives OpenCV's values bit for bit: %s", (_name, c) => {
    const [w, h, cn] = c.src;
    const out = resizeLinear(synthetic(w, h, cn, c.dtype === 'uint8', (x, y, ch) => pixel(x, y, ch, c.frac)), c.dst[0], c.dst[1]);
    expect(out.data).toBeInstanceOf(c.dtype === 'uint8' ? Uint8Array : Float32Array);
    expect([out.width, out.height, out.channels]).toEqual([c.dst[0], c.dst[1], cn]);
    expect(Array.from(out.data)).toEqual(c.dtype === 'uint8' ? c.data : c.data.map(Math.fround));
  });

  it("is the INTER_LINEAR formula (float64) up to OpenCV's float32 coordinates, and 8-bit within a level of it", () => {
    let seed = 7;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const sizes: [number, number, number, number][] = [[37, 23, 12, 9], [20, 20, 24, 24], [100, 61, 59, 37], [5, 8, 48, 48], [64, 48, 16, 12], [9, 9, 10, 3]];
    for (const [sw, sh, dw, dh] of sizes) {
      for (const u8 of [false, true]) {
        const src = synthetic(sw, sh, 3, u8, () => (u8 ? Math.floor(rand() * 256) : rand() * 255));
        const want = naiveResize(src, dw, dh);
        const got = resizeLinear(src, dw, dh).data;
        // OpenCV takes the source coordinate in float32, so a weight can be off by an ulp of the
        // coordinate (up to size · 2⁻²⁴), times a pixel step of up to 255; plus float32 sums.
        const tolerance = u8 ? 1 : 255 * Math.max(sw, sh) * 2 ** -24 + 1e-4;
        want.forEach((v, i) => expect(Math.abs(got[i] - v)).toBeLessThanOrEqual(tolerance));
      }
    }
  });

  it('samples two pixels even when shrinking a lot (no antialiasing), as OpenCV', () => {
    // Columns 255, 0, 0, 0, … shrunk 4×: output x reads source 4x + 1.5, between two black columns.
    const stripes = synthetic(16, 4, 1, true, (x) => (x % 4 === 0 ? 255 : 0));
    expect(Array.from(resizeLinear(stripes, 4, 1).data)).toEqual([0, 0, 0, 0]);
    expect(Array.from(resizeLinear(stripes, 16, 4).data)).toEqual(Array.from(stripes.data)); // same size: a copy
  });
});

describe('image files', () => {
  it('encodes BGR to PNG and decodes it back unchanged', () => {
    const image = synthetic(7, 5, 3, true, (x, y, c) => (x * 40 + y * 7 + c * 90) % 256) as BgrImage;
    const png = encodePng(image);
    expect(Array.from(png.subarray(1, 4))).toEqual([0x50, 0x4e, 0x47]);
    expect(decodeImage(png)).toEqual(image);
    expect(() => decodeImage(new Uint8Array([1, 2, 3, 4]))).toThrow(/not a JPEG or PNG/);
  });

  (present ? it : it.skip)("decodes faces.jpg within 3 levels of OpenCV's pixels (libjpeg's chroma upsampling)", () => {
    const ours = readImage(path.join(MODELS, 'faces.jpg'));
    const opencv = readImage(path.join(FIXTURES, 'mtcnn_faces_cv2.png'));
    expect([ours.width, ours.height]).toEqual([opencv.width, opencv.height]);
    let worst = 0, exact = 0;
    ours.data.forEach((v, i) => ((worst = Math.max(worst, Math.abs(v - opencv.data[i]))), (exact += v === opencv.data[i] ? 1 : 0)));
    expect(worst).toBeLessThanOrEqual(3);
    expect(exact / ours.data.length).toBeGreaterThan(0.85);
  });
});

interface RefFace {
  box: [number, number, number, number];
  score: number;
  landmarks: [number, number][];
}

(present ? describe : describe.skip)('MtcnnDetector on faces.jpg', () => {
  const ref: { scales: number[]; stage1: number[][]; stage2: number[][]; faces: RefFace[] } = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'mtcnn_pipeline_fixtures.json'), 'utf8'));
  let detector: MtcnnDetector;
  let jpegFaces: Face[] = [];
  beforeAll(() => {
    detector = new MtcnnDetector(MODELS);
  });

  it("finds the reference pipeline's faces on the same pixels: boxes, scores and landmarks", () => {
    const faces = detector.detect(readImage(path.join(FIXTURES, 'mtcnn_faces_cv2.png')));
    const stats = detector.lastStats!;
    expect(stats.scales).toEqual(ref.scales);
    expect(stats.counts).toEqual({ pnet: ref.stage1.length, rnet: ref.stage2.length, onet: ref.faces.length });
    expect(faces).toHaveLength(ref.faces.length);
    faces.forEach((f, i) => {
      const r = ref.faces[i];
      // The reference's networks ran in float64, ours in float32 (as MXNet): boxes agree to ~1e-5 px.
      [f.box.x1, f.box.y1, f.box.x2, f.box.y2].forEach((v, k) => expect(Math.abs(v - r.box[k])).toBeLessThan(1e-3));
      expect(Math.abs(f.score - r.score)).toBeLessThan(1e-5);
      f.landmarks.forEach((p, k) => expect(Math.abs(p.x - r.landmarks[k][0]) + Math.abs(p.y - r.landmarks[k][1])).toBeLessThan(1e-3));
    });
  });

  it('finds plausible faces decoding the JPEG itself: confident, inside the image, landmarks inside their boxes', () => {
    const image = readImage(path.join(MODELS, 'faces.jpg'));
    const faces = (jpegFaces = detector.detect(image));
    expect(faces.length).toBeGreaterThan(0);
    for (const { box, score, landmarks } of faces) {
      expect(score).toBeGreaterThan(0.8);
      expect(box.x1).toBeGreaterThanOrEqual(0);
      expect(box.y1).toBeGreaterThanOrEqual(0);
      expect(box.x2).toBeLessThan(image.width);
      expect(box.y2).toBeLessThan(image.height);
      expect(box.x2 - box.x1).toBeGreaterThan(20);
      expect(landmarks).toHaveLength(5);
      for (const p of landmarks) {
        expect(p.x).toBeGreaterThanOrEqual(box.x1);
        expect(p.x).toBeLessThanOrEqual(box.x2);
        expect(p.y).toBeGreaterThanOrEqual(box.y1);
        expect(p.y).toBeLessThanOrEqual(box.y2);
      }
      // Eyes above the nose, the nose above the mouth corners.
      expect(Math.max(landmarks[0].y, landmarks[1].y)).toBeLessThan(landmarks[2].y);
      expect(landmarks[2].y).toBeLessThan(Math.min(landmarks[3].y, landmarks[4].y));
    }
    // The same four players as from OpenCV's pixels, within a few pixels (JPEG decoders differ slightly).
    expect(faces).toHaveLength(ref.faces.length);
    faces.forEach((f, i) => [f.box.x1, f.box.y1, f.box.x2, f.box.y2].forEach((v, k) => expect(Math.abs(v - ref.faces[i].box[k])).toBeLessThan(5)));
  });

  it('is what `npm run example:mtcnn` prints and draws', () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mtcnn-')), 'faces.png');
    const root = path.join(__dirname, '../..');
    const run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'examples/mtcnn/main.ts', MODELS, path.join(MODELS, 'faces.jpg'), out], { cwd: root, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/O-Net 4 faces/);
    expect(run.stdout.match(/^face \d+: box \(.*\), score (0\.9\d+|1\.0+)$/gm)).toHaveLength(4);
    expect(run.stdout).toMatch(/left eye \([\d.]+, [\d.]+\), right eye/);
    const drawn = readImage(out);
    expect([drawn.width, drawn.height]).toEqual([612, 345]);
    // The box outlines are pure green somewhere along the top edge of the first face's box.
    const face = jpegFaces[0].box;
    const p = (Math.round(face.y1) * drawn.width + Math.round((face.x1 + face.x2) / 2)) * 3;
    expect(Array.from(drawn.data.subarray(p, p + 3))).toEqual([0, 255, 0]);
  });
});
