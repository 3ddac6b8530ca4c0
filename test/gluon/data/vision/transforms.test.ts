/**
 * gluon.data.vision.transforms: ToTensor and Normalize against element formulas, Resize against
 * OpenCV's INTER_LINEAR result for a 2×2 image (cv2.resize of [[0, 10], [20, 30]] to 4×4 in
 * float), CenterCrop's window, flips (exact mirrors, about half the time, repeatable under
 * random.seed), Compose, and every error.
 */
import { NDArray, gluon, nd, random } from '../../../../src';

const { transforms } = gluon.data.vision;
const img = nd.array(Array.from({ length: 3 }, (_, r) => Array.from({ length: 4 }, (_, c) => [r * 40 + c, 255 - r * c, 7])));

test('ToTensor moves channels first and divides by 255, for an image and a batch', () => {
  const t = new transforms.ToTensor()(img) as NDArray;
  expect(t.shape).toEqual([3, 3, 4]);
  const v = img.toArray() as number[][][];
  (t.toArray() as number[][][]).forEach((plane, ch) => plane.forEach((row, r) => row.forEach((x, c) => expect(x).toBeCloseTo(v[r][c][ch] / 255, 7))));
  expect((new transforms.ToTensor()(nd.stack(img, img)) as NDArray).shape).toEqual([2, 3, 3, 4]);
});

test('Normalize subtracts and divides per channel', () => {
  const t = new transforms.ToTensor()(img) as NDArray;
  const n = new transforms.Normalize([0.5, 0.25, 0], [0.5, 2, 1])(t) as NDArray;
  const tv = t.toArray() as number[][][];
  (n.toArray() as number[][][]).forEach((plane, ch) => plane.forEach((row, r) => row.forEach((x, c) => expect(x).toBeCloseTo((tv[ch][r][c] - [0.5, 0.25, 0][ch]) / [0.5, 2, 1][ch], 6))));
  expect(() => new transforms.Normalize([0, 0], 1)(t)).toThrow('Normalize: expected mean of 1 or 3 values (the channels), but got 2');
  expect(() => new transforms.Normalize(0, 0)).toThrow('Normalize: expected std > 0, but got the number 0');
});

test("Resize is OpenCV's bilinear INTER_LINEAR; keepRatio scales the shorter side", () => {
  const small = nd.array([[[0], [10]], [[20], [30]]]);
  const r = new transforms.Resize(4)(small) as NDArray;
  expect(r.reshape([4, 4]).toArray()).toEqual([[0, 2.5, 7.5, 10], [5, 7.5, 12.5, 15], [15, 17.5, 22.5, 25], [20, 22.5, 27.5, 30]]);
  expect((new transforms.Resize([8, 6])(img) as NDArray).shape).toEqual([6, 8, 3]);
  expect((new transforms.Resize(6, true)(img) as NDArray).shape).toEqual([6, 8, 3]);
  expect((new transforms.Resize([4, 3])(img) as NDArray).toArray()).toEqual(img.toArray());
  expect(() => new transforms.Resize(0)).toThrow('Resize: expected a size of integers ≥ 1 (one, or [width, height]), but got the number 0');
  expect(() => new transforms.Resize(4)(nd.zeros([2, 2]))).toThrow('Resize: expected an image NDArray (H, W, C), but got shape (2, 2)');
});

test('CenterCrop takes the centre window (resizing only when the image is smaller)', () => {
  const c = new transforms.CenterCrop([2, 1])(img) as NDArray;
  expect(c.toArray()).toEqual([(img.toArray() as number[][][])[1].slice(1, 3)]);
  expect((new transforms.CenterCrop(5)(img) as NDArray).shape).toEqual([5, 5, 3]);
});

test('random flips mirror exactly, about half the time, and repeat under random.seed', () => {
  const v = img.toArray() as number[][][];
  const mirrored = v.map((row) => [...row].reverse());
  random.seed(3);
  const flips = Array.from({ length: 200 }, () => JSON.stringify((new transforms.RandomFlipLeftRight()(img) as NDArray).toArray()) === JSON.stringify(mirrored));
  const count = flips.filter(Boolean).length;
  expect(count).toBeGreaterThan(70);
  expect(count).toBeLessThan(130);
  random.seed(3);
  expect(Array.from({ length: 200 }, () => JSON.stringify((new transforms.RandomFlipLeftRight()(img) as NDArray).toArray()) === JSON.stringify(mirrored))).toEqual(flips);
  random.seed(1);
  const outs = Array.from({ length: 20 }, () => (new transforms.RandomFlipTopBottom()(img) as NDArray).toArray());
  expect(outs.some((o) => JSON.stringify(o) === JSON.stringify([...v].reverse()))).toBe(true);
});

test('Compose chains; Cast converts as astype; transforms apply through transformFirst', () => {
  const t = new transforms.Compose([new transforms.Resize(2), new transforms.ToTensor(), new transforms.Normalize(0.5, 0.5)]);
  expect((t(img) as NDArray).shape).toEqual([3, 2, 2]);
  expect((new transforms.Cast()(img) as NDArray).toArray()).toEqual(img.toArray());
  const bytes = new transforms.Cast('uint8')(nd.array([[[0.7, 254.9, 3]]])) as NDArray;
  expect([bytes.dtype, bytes.toArray()]).toEqual(['uint8', [[[0, 254, 3]]]]);
  expect(() => new transforms.Cast('uint9' as never)).toThrow("Cast: expected dtype to be one of 'float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool', but got the string 'uint9'");
  expect(() => new transforms.Cast('uint8')(nd.array([300]))).toThrow('expected values that fit uint8 ([0, 255]), but got 300');
  expect(() => new transforms.Cast()(5 as never)).toThrow('Cast: expected an NDArray, but got the number 5');
  const toTensor = new transforms.ToTensor();
  const ds = new gluon.data.ArrayDataset(nd.stack(img, img), nd.array([0, 1])).transformFirst((x) => toTensor(x as NDArray));
  expect((ds.get(1) as [NDArray, number])[0].shape).toEqual([3, 3, 4]);
  expect(() => new transforms.Compose([5 as never])).toThrow('Compose: expected a list of transforms (Blocks), but got');
});

test('RandomResizedCrop gives `size`, from a window of the original (a constant image stays constant), repeatably', () => {
  const ramp = nd.array(Array.from({ length: 20 }, (_, r) => Array.from({ length: 30 }, (_, c) => [r, c, 5])));
  random.seed(8);
  const a = new transforms.RandomResizedCrop([6, 4])(ramp) as NDArray;
  expect(a.shape).toEqual([4, 6, 3]);
  // Bilinear resizing of a linear ramp stays within the ramp's range; the constant channel stays 5.
  (a.toArray() as number[][][]).flat().forEach(([r, c, k]) => {
    expect(r).toBeGreaterThanOrEqual(0);
    expect(r).toBeLessThanOrEqual(19);
    expect(c).toBeLessThanOrEqual(29);
    expect(k).toBeCloseTo(5, 5);
  });
  random.seed(8);
  expect((new transforms.RandomResizedCrop([6, 4])(ramp) as NDArray).toArray()).toEqual(a.toArray());
  // No window of aspect 100 fits a 30×20 image: ten misses, then the centre crop.
  expect((new transforms.RandomResizedCrop([6, 4], [0.5, 1], [100, 200])(ramp) as NDArray).toArray()).toEqual((new transforms.CenterCrop([6, 4])(ramp) as NDArray).toArray());
  expect(() => new transforms.RandomResizedCrop(4, [0.5, 2])).toThrow('RandomResizedCrop: expected 0 < scale[0] ≤ scale[1] ≤ 1, but got');
  expect(() => new transforms.RandomResizedCrop(4, [0.5, 1], [2, 1])).toThrow('RandomResizedCrop: expected 0 < ratio[0] ≤ ratio[1], but got');
});

describe('uint8 images (what the vision datasets give)', () => {
  const bytes = img.astype('uint8');

  it('ToTensor makes a float32 tensor of values ÷ 255; Normalize wants float32', () => {
    const t = new transforms.ToTensor()(bytes) as NDArray;
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.toFloat32Array())).toEqual(Array.from((new transforms.ToTensor()(img) as NDArray).toFloat32Array()));
    expect(() => new transforms.Normalize(0.5, 0.5)(nd.transpose(bytes, { axes: [2, 0, 1] })))
      .toThrow('Normalize: expected a float32 tensor (ToTensor makes one from an image), but got a uint8 array of shape (3, 3, 4)');
  });

  it('Resize interpolates and rounds half to even (OpenCV saturate_cast); crops and flips move the bytes', () => {
    // Width 2 → 4: source columns 0, 0.25, 0.75, 1 (clamped at the ends).
    const row = (values: number[]) => nd.array([values.map((v) => [v])], { dtype: 'uint8' });
    const resized = new transforms.Resize([4, 1])(row([0, 255])) as NDArray;
    expect([resized.dtype, resized.reshape([4]).toArray()]).toEqual(['uint8', [0, 64, 191, 255]]); // 63.75, 191.25
    expect((new transforms.Resize([4, 1])(row([0, 2])) as NDArray).reshape([4]).toArray()).toEqual([0, 0, 2, 2]); // 0.5 → 0, 1.5 → 2
    const crop = new transforms.CenterCrop([2, 1])(bytes) as NDArray;
    expect([crop.dtype, crop.toArray()]).toEqual(['uint8', [(img.toArray() as number[][][])[1].slice(1, 3)]]);
    random.seed(1);
    const flipped = Array.from({ length: 8 }, () => new transforms.RandomFlipTopBottom()(bytes) as NDArray);
    expect(flipped.every((f) => f.dtype === 'uint8')).toBe(true);
    expect(flipped.some((f) => JSON.stringify(f.toArray()) === JSON.stringify([...(img.toArray() as number[][][])].reverse()))).toBe(true);
    random.seed(2);
    const window = new transforms.RandomResizedCrop(3)(bytes) as NDArray;
    expect([window.dtype, window.shape]).toEqual(['uint8', [3, 3, 3]]);
  });

  it('a bool array is no image', () => {
    expect(() => new transforms.Resize(2)(nd.zeros([2, 2, 1], { dtype: 'bool' })))
      .toThrow('Resize: expected an image of numbers (uint8, float32, …), but got a bool array of shape (2, 2, 1)');
  });
});
