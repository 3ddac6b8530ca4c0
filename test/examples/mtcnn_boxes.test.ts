/**
 * The box arithmetic of the MTCNN example (examples/mtcnn/boxes.ts) against values worked out by
 * hand from the reference's formulas (pangyupo/mxnet_mtcnn_face_detection, helper.py and
 * mtcnn_detector.py), and NMS against a naive transcription of the reference's loop.
 */
import { Box, calibrateBox, convertToSquare, generateBbox, nms, pad, roundBox, roundHalfEven } from '../../examples/mtcnn/boxes';
import { powRounded, pyramidScales } from '../../examples/mtcnn/detector';

const box = (x1: number, y1: number, x2: number, y2: number, score = 1): Box => ({ x1, y1, x2, y2, score });
const corners = (b: Box): number[] => [b.x1, b.y1, b.x2, b.y2];

describe('roundHalfEven (np.round)', () => {
  it('rounds halves to even and everything else to nearest', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999, 2.5001, 7, -7.2].map(roundHalfEven)).toEqual([0, 2, 2, 4, -0, -2, -2, 2, 3, 7, -7]);
    expect(corners(roundBox(box(0.5, 1.5, 2.5, 10.49)))).toEqual([0, 2, 2, 10]);
  });
});

describe('nms', () => {
  // A and B overlap by IoU 81/119 = 0.68; D (16 px²) lies inside A and B, IoU 0.16 with each.
  const boxes = [box(0, 0, 9, 9, 0.9), box(1, 1, 10, 10, 0.8), box(20, 20, 29, 29, 0.7), box(2, 2, 5, 5, 0.95)];

  it("'Union' keeps the best box and drops others overlapping it by more than the threshold (IoU)", () => {
    expect(nms(boxes, 0.5, 'Union')).toEqual([3, 0, 2]);
    expect(nms(boxes, 0.7, 'Union')).toEqual([3, 0, 1, 2]); // 0.68 is not above 0.7
    expect(nms(boxes, 0.15, 'Union')).toEqual([3, 2]);
  });

  it("'Min' divides by the smaller area, so a box nested in a better one goes", () => {
    expect(nms(boxes, 0.5, 'Min')).toEqual([3, 2]);
    expect(nms([box(0, 0, 9, 9, 0.9), box(2, 2, 5, 5, 0.5)], 0.7, 'Min')).toEqual([0]);
    expect(nms([box(0, 0, 9, 9, 0.9), box(2, 2, 5, 5, 0.5)], 0.7, 'Union')).toEqual([0, 1]);
  });

  it('handles no boxes, and takes the later of two equal scores first', () => {
    expect(nms([], 0.5)).toEqual([]);
    expect(nms([box(0, 0, 9, 9, 0.5), box(0, 0, 9, 9, 0.5), box(50, 50, 59, 59, 0.5)], 0.5)).toEqual([2, 1]);
  });

  it('matches a naive transcription of the reference loop on random boxes', () => {
    let seed = 12345;
    const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 20; trial++) {
      const many = Array.from({ length: 60 }, () => {
        const [x, y, s] = [rand() * 100 - 10, rand() * 100 - 10, 5 + rand() * 40];
        return box(Math.round(x), Math.round(y), Math.round(x + s), Math.round(y + s * (0.8 + rand() * 0.4)), Math.round(rand() * 1000) / 1000);
      });
      for (const [t, mode] of [[0.5, 'Union'], [0.7, 'Union'], [0.7, 'Min'], [0.3, 'Min']] as const) expect(nms(many, t, mode)).toEqual(naiveNms(many, t, mode));
    }
  });
});

/** helper.py's nms, line by line: argsort scores (stably), take the last, delete it and all it overlaps. */
function naiveNms(b: Box[], threshold: number, mode: 'Union' | 'Min'): number[] {
  const area = b.map((r) => (r.x2 - r.x1 + 1) * (r.y2 - r.y1 + 1));
  let idxs = b.map((_, i) => i).sort((p, q) => b[p].score - b[q].score || p - q);
  const pick: number[] = [];
  while (idxs.length > 0) {
    const last = idxs.length - 1;
    const i = idxs[last];
    pick.push(i);
    const remove = new Set([last]);
    for (let k = 0; k < last; k++) {
      const j = idxs[k];
      const w = Math.max(0, Math.min(b[i].x2, b[j].x2) - Math.max(b[i].x1, b[j].x1) + 1);
      const h = Math.max(0, Math.min(b[i].y2, b[j].y2) - Math.max(b[i].y1, b[j].y1) + 1);
      const overlap = mode === 'Min' ? (w * h) / Math.min(area[i], area[j]) : (w * h) / (area[i] + area[j] - w * h);
      if (overlap > threshold) remove.add(k);
    }
    idxs = idxs.filter((_, k) => !remove.has(k));
  }
  return pick;
}

describe('calibrateBox', () => {
  it('moves each side by its offset times the width or height (x2 − x1 + 1)', () => {
    // w = 20, h = 40: x1 + 0.1·20, y1 − 0.05·40, x2 + 0.2·20, y2 + 0.5·40.
    const b = calibrateBox({ ...box(10, 20, 29, 59, 0.7), extra: 'kept' }, [0.1, -0.05, 0.2, 0.5]);
    expect(corners(b)).toEqual([12, 18, 33, 79]);
    expect(b.score).toBe(0.7);
    expect(b.extra).toBe('kept');
  });
});

describe('convertToSquare', () => {
  it('grows the short side around the same centre', () => {
    expect(corners(convertToSquare(box(10, 20, 29, 59)))).toEqual([0, 20, 39, 59]); // w 20, h 40
    expect(corners(convertToSquare(box(0, 0, 40, 9)))).toEqual([0, -15.5, 40, 24.5]); // w 41, h 10
    expect(corners(convertToSquare(box(5, 5, 14, 14)))).toEqual([5, 5, 14, 14]);
  });
});

describe('pad', () => {
  it('leaves a box inside the image alone', () => {
    const p = pad(box(10, 20, 29, 39), 100, 80);
    expect([p.dy, p.edy, p.dx, p.edx, p.y, p.ey, p.x, p.ex, p.tmpw, p.tmph]).toEqual([0, 19, 0, 19, 20, 39, 10, 29, 20, 20]);
  });

  it('shifts the copy into the crop where the box starts left of or above the image', () => {
    const p = pad(box(-5, -3, 14, 16), 100, 80);
    expect([p.dy, p.edy, p.dx, p.edx, p.y, p.ey, p.x, p.ex, p.tmpw, p.tmph]).toEqual([3, 19, 5, 19, 0, 16, 0, 14, 20, 20]);
    expect(corners(p.clamped)).toEqual([0, 0, 14, 16]);
  });

  it('ends the copy early where the box runs past the right or bottom edge (edx = tmpw + w − 2 − ex)', () => {
    const p = pad(box(90, 70, 109, 89, 0.4), 100, 80);
    expect([p.dy, p.edy, p.dx, p.edx, p.y, p.ey, p.x, p.ex, p.tmpw, p.tmph]).toEqual([0, 9, 0, 9, 70, 79, 90, 99, 20, 20]);
    // The crop's copied span and the image's have the same size.
    expect(p.edx - p.dx).toBe(p.ex - p.x);
    expect(p.edy - p.dy).toBe(p.ey - p.y);
    expect(p.clamped).toEqual(box(90, 70, 99, 79, 0.4));
  });
});

describe('generateBbox', () => {
  // A 3 × 4 map; reg channels hold 10·channel + cell index so each box's offsets can be told apart.
  const rows = 3, cols = 4;
  const prob = new Float32Array(rows * cols);
  const reg = Float32Array.from({ length: 4 * rows * cols }, (_, i) => Math.floor(i / 12) * 10 + (i % 12));

  it('maps cells above the threshold to 12-pixel windows at stride 2, divided by the scale', () => {
    prob[1 * cols + 2] = 0.9; // row 1, col 2
    prob[2 * cols + 0] = 0.7; // row 2, col 0
    prob[0] = 0.5; // below
    const out = generateBbox(prob, reg, rows, cols, 0.5, 0.6);
    expect(out).toHaveLength(2);
    // (2·2 + 1)/0.5 = 10, (2·1 + 1)/0.5 = 6, (2·2 + 13)/0.5 = 34, (2·1 + 13)/0.5 = 30.
    expect(corners(out[0])).toEqual([10, 6, 34, 30]);
    expect(out[0].score).toBe(Math.fround(0.9));
    expect(out[0].reg).toEqual([6, 16, 26, 36]);
    expect(corners(out[1])).toEqual([2, 10, 26, 34]);
    expect(out[1].reg).toEqual([8, 18, 28, 38]);
  });

  it('rounds half to even, and compares with the threshold in float32', () => {
    const p = new Float32Array(rows * cols);
    p[0] = 0.9;
    p[1] = Math.fround(0.6); // equal to float32(0.6): not above it, though above the double 0.6
    const out = generateBbox(p, reg, rows, cols, 0.4, 0.6);
    expect(out).toHaveLength(1);
    // 1/0.4 = 2.5 → 2 (not 3), 13/0.4 = 32.5 → 32.
    expect(corners(out[0])).toEqual([2, 2, 32, 32]);
  });
});

describe('pyramidScales', () => {
  it("is 12/minsize · factor^k while the scaled short side exceeds 12, with Python's pow", () => {
    expect(pyramidScales(612, 345, 20, 0.709)).toEqual([
      0.6, 0.42539999999999994, 0.30160859999999995, 0.21384049739999994, 0.15161291265659996, 0.10749355507352938, 0.07621293054713232,
      0.054034967757916816, 0.038310792140363016,
    ]); // as Python computes them (12.0 / 20 * 0.709 ** k)
    expect(pyramidScales(24, 100, 12, 0.5)).toEqual([1]);
    expect(pyramidScales(12, 12, 20, 0.709)).toEqual([]);
  });

  it('powRounded is the correctly rounded x ** n', () => {
    expect(powRounded(0.709, 7)).toBe(0.09005827959652803); // Python; V8's 0.709 ** 7 is an ulp lower
    expect(powRounded(0.5, 10)).toBe(2 ** -10);
    expect(powRounded(3, 0)).toBe(1);
    expect(powRounded(0.999, 900)).toBeCloseTo(0.999 ** 900, 15);
    expect(powRounded(1.1, 5)).toBe(1.6105100000000006); // exact 1.61051000000000035..., rounded
  });
});
