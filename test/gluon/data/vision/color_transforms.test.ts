/**
 * The colour transforms against their formulas written here: brightness α·x; contrast toward the
 * mean luminance; saturation toward each pixel's luminance; hue as a YIQ rotation (gray stays gray,
 * a half turn negates I and Q); PCA lighting as one RGB shift for the whole image; the jitters'
 * factors in range and repeatable under random.seed; errors.
 */
import { NDArray, gluon, nd, random } from '../../../../src';
import { adjustBrightness, adjustContrast, adjustHue, adjustSaturation } from '../../../../src/gluon/data/vision/transforms/color';

const { transforms } = gluon.data.vision;
const img = nd.array([[[10, 200, 30], [255, 0, 128]], [[50, 50, 50], [90, 120, 240]]]);
const pixels = () => img.toArray() as number[][][];
const luma = ([r, g, b]: number[]) => 0.299 * r + 0.587 * g + 0.114 * b;

function expectNear(actual: NDArray, expected: number[][][], tol = 1e-3): void {
  (actual.toArray() as number[][][]).forEach((row, i) => row.forEach((px, j) => px.forEach((v, k) => expect(Math.abs(v - expected[i][j][k])).toBeLessThan(tol))));
}

test('brightness, contrast and saturation follow their formulas', () => {
  expectNear(adjustBrightness(img, 1.5), pixels().map((r) => r.map((p) => p.map((v) => v * 1.5))));
  const mean = pixels().flat().reduce((s, p) => s + luma(p), 0) / 4;
  expectNear(adjustContrast(img, 0.5), pixels().map((r) => r.map((p) => p.map((v) => v * 0.5 + 0.5 * mean))));
  expectNear(adjustSaturation(img, 0), pixels().map((r) => r.map((p) => p.map(() => luma(p)))));
});

test('hue: no turn is the identity, gray stays gray, a half turn negates I and Q', () => {
  expect(adjustHue(img, 0).toArray()).toEqual(img.toArray());
  const turned = adjustHue(img, 1).toArray() as number[][][];
  expect(turned[1][0].every((v) => Math.abs(v - 50) < 0.2)).toBe(true); // the matrices are 3-digit
  // YIQ of a pixel, and of the half-turned one: Y kept, I and Q negated.
  const yiq = ([r, g, b]: number[]) => [luma([r, g, b]), 0.596 * r - 0.274 * g - 0.321 * b, 0.211 * r - 0.523 * g + 0.311 * b];
  const [before, after] = [yiq(pixels()[0][0]), yiq(turned[0][0])];
  // Within the 3-digit matrices' round trip (~0.2 on 0–255 values).
  [after[0] - before[0], after[1] + before[1], after[2] + before[2]].forEach((d) => expect(Math.abs(d)).toBeLessThan(0.3));
});

test('random jitters stay in range, repeat under random.seed, and lighting shifts every pixel alike', () => {
  random.seed(2);
  const a = (new transforms.RandomBrightness(0.2)(img) as NDArray).toFloat32Array();
  const ratio = a[0] / 10;
  expect(ratio).toBeGreaterThanOrEqual(0.8);
  expect(ratio).toBeLessThanOrEqual(1.2);
  random.seed(2);
  expect((new transforms.RandomBrightness(0.2)(img) as NDArray).toFloat32Array()).toEqual(a);
  const lit = (new transforms.RandomLighting(0.5)(img) as NDArray).toArray() as number[][][];
  const shift = lit[0][0].map((v, k) => v - pixels()[0][0][k]);
  lit.flat().forEach((px, n) => px.forEach((v, k) => expect(v - pixels().flat()[n][k]).toBeCloseTo(shift[k], 3)));
  expect((new transforms.RandomLighting(0)(img) as NDArray).toArray()).toEqual(img.toArray());
  const jitter = new transforms.RandomColorJitter({ brightness: 0.1, contrast: 0.1, saturation: 0.1, hue: 0.05 });
  expect((jitter(img) as NDArray).shape).toEqual([2, 2, 3]);
  expect(() => new transforms.RandomHue(2)).toThrow('RandomHue: expected hue in [0, 1], but got the number 2');
  expect(() => new transforms.RandomContrast(-1)).toThrow('RandomContrast: expected contrast in [0, Infinity], but got the number -1');
  expect(() => new transforms.RandomSaturation(0.5)(nd.zeros([2, 2, 1]))).toThrow('RandomSaturation: expected an RGB image NDArray (H, W, 3), but got shape (2, 2, 1)');
});

test("on a uint8 image the results are rounded half to even and clamped to 0–255 (MXNet's saturate_cast); a float image's are not clamped", () => {
  const bytes = nd.array([[[10, 200, 30], [255, 0, 128]], [[50, 51, 50], [90, 120, 240]]], { dtype: 'uint8' });
  const values = bytes.toArray() as number[][][];
  const saturate = (v: number) => Math.min(255, Math.max(0, Math.round(v) - (Math.abs(v % 1) === 0.5 && Math.round(v) % 2 !== 0 ? 1 : 0)));
  const bright = adjustBrightness(bytes, 1.25);
  expect(bright.dtype).toBe('uint8');
  // 10·1.25 = 12.5 → 12 (tie to even), 30·1.25 = 37.5 → 38, 200·1.25 and 255·1.25 saturate.
  expect(bright.toArray()).toEqual(values.map((r) => r.map((p) => p.map((v) => saturate(v * 1.25)))));
  expect((bright.toArray() as number[][][])[0][0]).toEqual([12, 250, 38]);
  const mean = values.flat().reduce((s, p) => s + luma(p), 0) / 4;
  expect(adjustContrast(bytes, 3).toArray()).toEqual(values.map((r) => r.map((p) => p.map((v) => saturate(v * 3 - 2 * mean)))));
  expect(adjustSaturation(bytes, 0).toArray()).toEqual(values.map((r) => r.map((p) => p.map(() => saturate(luma(p))))));
  expect(adjustHue(bytes, 0.5).dtype).toBe('uint8');
  expect(Math.max(...adjustBrightness(img, 2).toFloat32Array())).toBe(510);
  expect(() => new transforms.RandomBrightness(0.1)(nd.array([[[1, 0, 1]]], { dtype: 'bool' })))
    .toThrow('RandomBrightness: expected an image of numbers (uint8, float32, …), but got a bool array of shape (1, 1, 3)');
});
