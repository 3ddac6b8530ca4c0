/**
 * Box arithmetic of the MTCNN cascade, as the reference (pangyupo/mxnet_mtcnn_face_detection,
 * helper.py and mtcnn_detector.py) does it, in float64 like its numpy code.
 *
 * Boxes are in image pixels with inclusive corners, so a box's width is x2 − x1 + 1: that "+1"
 * comes from the original MATLAB code and runs through every formula here.
 */

/** A box with inclusive corners (x1, y1)–(x2, y2) and the score of the stage that kept it. */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  score: number;
}

/** Offsets that a network predicts for a box, as fractions of its width and height: [dx1, dy1, dx2, dy2]. */
export type Regression = readonly [number, number, number, number];

/** A P-Net candidate: its box in the full image and the offsets P-Net predicted for it. */
export interface Candidate extends Box {
  reg: Regression;
}

/** numpy's `np.round` (round half to even); JavaScript's Math.round rounds halves up instead. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The box with its corners rounded as `np.round` does (the score is kept). */
export function roundBox<B extends Box>(box: B): B {
  return { ...box, x1: roundHalfEven(box.x1), y1: roundHalfEven(box.y1), x2: roundHalfEven(box.x2), y2: roundHalfEven(box.y2) };
}

/**
 * Non-maximum suppression: repeatedly keeps the best-scoring box left and drops every other box
 * that overlaps it by more than `threshold`, where overlap is intersection over union ('Union')
 * or intersection over the smaller box ('Min', which also drops boxes nested in a kept one).
 * Returns the kept indices, best first.
 *
 * Ties in score: the reference sorts with `np.argsort` (quicksort, whose order of equal keys is
 * unspecified beyond 16 boxes); we sort stably, so among equal scores the later index wins.
 */
export function nms(boxes: readonly Box[], threshold: number, mode: 'Union' | 'Min' = 'Union'): number[] {
  const area = boxes.map((b) => (b.x2 - b.x1 + 1) * (b.y2 - b.y1 + 1));
  let order = boxes.map((_, i) => i).sort((a, b) => boxes[a].score - boxes[b].score || a - b);
  const pick: number[] = [];
  while (order.length > 0) {
    const i = order[order.length - 1];
    pick.push(i);
    const bi = boxes[i];
    order = order.slice(0, -1).filter((j) => {
      const bj = boxes[j];
      const w = Math.max(0, Math.min(bi.x2, bj.x2) - Math.max(bi.x1, bj.x1) + 1);
      const h = Math.max(0, Math.min(bi.y2, bj.y2) - Math.max(bi.y1, bj.y1) + 1);
      const inter = w * h;
      const overlap = mode === 'Min' ? inter / Math.min(area[i], area[j]) : inter / (area[i] + area[j] - inter);
      // Written as "keep unless overlap > threshold" so that a NaN overlap keeps the box, as numpy's `where(overlap > t)` does.
      return !(overlap > threshold);
    });
  }
  return pick;
}

/**
 * Moves each side of the box by the predicted offset times the box's width or height (bounding
 * box regression): the networks see a fixed window and say how the face's box differs from it.
 */
export function calibrateBox<B extends Box>(box: B, reg: Regression): B {
  const w = box.x2 - box.x1 + 1;
  const h = box.y2 - box.y1 + 1;
  return { ...box, x1: box.x1 + reg[0] * w, y1: box.y1 + reg[1] * h, x2: box.x2 + reg[2] * w, y2: box.y2 + reg[3] * h };
}

/**
 * The square of side max(width, height) with the same centre: R-Net and O-Net take square crops,
 * so the crop is made square instead of stretching the face.
 */
export function convertToSquare<B extends Box>(box: B): B {
  const h = box.y2 - box.y1 + 1;
  const w = box.x2 - box.x1 + 1;
  const side = Math.max(h, w);
  const x1 = box.x1 + w * 0.5 - side * 0.5;
  const y1 = box.y1 + h * 0.5 - side * 0.5;
  return { ...box, x1, y1, x2: x1 + side - 1, y2: y1 + side - 1 };
}

/**
 * Where a box's crop comes from when part of it lies outside the image (`pad` in the reference):
 * the crop is a `tmpw × tmph` canvas of zeros into whose rows dy..edy and columns dx..edx the
 * image's rows y..ey and columns x..ex are copied. All values are integers (truncated, as the
 * reference's `astype(np.int32)`; the detector only passes boxes with integral corners).
 *
 * `clamped` is the box cut to the image. The reference computes x, y, ex, ey as numpy views of
 * its box array, so its `pad` clamps the boxes themselves as a side effect, and the rest of its
 * cascade (regression, landmarks, the final boxes) works on the clamped boxes; the detector
 * carries `clamped` on to reproduce that.
 */
export interface Padding {
  dy: number;
  edy: number;
  dx: number;
  edx: number;
  y: number;
  ey: number;
  x: number;
  ex: number;
  tmpw: number;
  tmph: number;
}

export function pad<B extends Box>(box: B, width: number, height: number): Padding & { clamped: B } {
  const tmpw = box.x2 - box.x1 + 1;
  const tmph = box.y2 - box.y1 + 1;
  let [dx, dy, edx, edy] = [0, 0, tmpw - 1, tmph - 1];
  let { x1: x, y1: y, x2: ex, y2: ey } = box;
  if (ex > width - 1) { edx = tmpw + width - 2 - ex; ex = width - 1; }
  if (ey > height - 1) { edy = tmph + height - 2 - ey; ey = height - 1; }
  if (x < 0) { dx = -x; x = 0; }
  if (y < 0) { dy = -y; y = 0; }
  const t = Math.trunc;
  return {
    dy: t(dy), edy: t(edy), dx: t(dx), edx: t(edx), y: t(y), ey: t(ey), x: t(x), ex: t(ex), tmpw: t(tmpw), tmph: t(tmph),
    clamped: { ...box, x1: x, y1: y, x2: ex, y2: ey },
  };
}

/**
 * P-Net's output maps to candidate boxes (`generate_bbox`). P-Net is a 12×12 detector slid with
 * stride 2 over the image scaled by `scale`: output cell (row, col) looks at the scaled window
 * from (2·col + 1, 2·row + 1) to 12 pixels further (MATLAB's 1-based origin kept), which divided
 * by `scale` and rounded is the box in the full image. Cells whose face probability is above
 * `threshold` become candidates, in row-major order, with their 4 regression offsets.
 *
 * `prob` is the face channel of P-Net's softmax (rows × cols), `reg` its regression output
 * (4 × rows × cols). The comparison is in float32, as numpy compares a float32 array with a
 * Python float.
 */
export function generateBbox(prob: Float32Array, reg: Float32Array, rows: number, cols: number, scale: number, threshold: number): Candidate[] {
  const stride = 2;
  const cellsize = 12;
  const t = Math.fround(threshold);
  const plane = rows * cols;
  const out: Candidate[] = [];
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = r * cols + c;
      if (!(prob[k] > t)) continue;
      out.push({
        x1: roundHalfEven((stride * c + 1) / scale),
        y1: roundHalfEven((stride * r + 1) / scale),
        x2: roundHalfEven((stride * c + 1 + cellsize) / scale),
        y2: roundHalfEven((stride * r + 1 + cellsize) / scale),
        score: prob[k],
        reg: [reg[k], reg[plane + k], reg[2 * plane + k], reg[3 * plane + k]],
      });
    }
  }
  return out;
}
