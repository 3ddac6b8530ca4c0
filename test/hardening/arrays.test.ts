/**
 * Hostile arrays, sizes and files: each row is a call and the GluonError message it must give.
 * No row may hang or allocate: oversized requests are refused from their shapes alone.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GluonError, NDArray, autograd, nd, nn, sym } from '../../src';

const cyclic: unknown[] = [1];
cyclic[0] = cyclic;
let deep: unknown = [1];
for (let i = 0; i < 100; i++) deep = [deep];
const LIMIT = 'more than the limit of 1073741824 per array (nd.setMaxElements raises it, up to 2147483647)';

const REJECTED: [string, () => unknown, string | RegExp][] = [
  ['a nested array that contains itself', () => nd.array(cyclic as never), /^nd\.array: expected at most 32 levels of nesting \(the largest rank\), but got more/],
  ['nesting deeper than 32 levels', () => nd.array(deep as never), /^nd\.array: expected at most 32 levels of nesting/],
  ['an unknown dtype', () => nd.array([1.7], { dtype: 'float128' as never }), "nd.array: expected dtype to be one of 'float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool', but got the string 'float128'"],
  ['a value the dtype cannot hold', () => nd.array([1, 300], { dtype: 'uint8' }), 'nd.array: expected values that fit uint8 ([0, 255]), but got 300'],
  ['null options', () => nd.array([1, 2], null as never), 'nd.array: expected an options object, but got null'],
  ['an unknown option', () => nd.array([1, 2], { shap: [2] } as never), "nd.array: expected options among shape, dtype, but got unknown option 'shap'"],
  ['a string as source', () => nd.array('12' as never), "nd.array: expected nested arrays of numbers, a typed array, a number or an NDArray, but got the string '12'"],
  ['a string inside', () => nd.array([1, '2'] as never), "nd.array: expected a number at depth 1, but got the string '2'"],
  ['a ragged array', () => nd.array([[1, 2], [3]]), 'nd.array: ragged nested array: expected length 2 at depth 1, but got [3]'],
  ['a string fill value', () => nd.full([2], 'a' as never), "nd.full: expected the fill value to be a number, but got the string 'a'"],
  ['a string dimension', () => nd.zeros(['2'] as never), "nd.zeros: expected a shape of non-negative integers, but got the string '2' at index 0"],
  ['a negative dimension', () => nd.ones([2, -1]), 'nd.ones: expected a shape of non-negative integers, but got (2, -1)'],
  ['a shape over the limit', () => nd.zeros([46341, 46341]), `nd.zeros: shape (46341, 46341) has 2147488281 elements, ${LIMIT}`],
  ['a broadcast over the limit', () => nd.ones([46341, 1]).add(nd.ones([1, 46341])), `add: shape (46341, 46341) has 2147488281 elements, ${LIMIT}`],
  ['a dot of (50000, 1)·(1, 50000)', () => nd.dot(nd.ones([50000, 1]), nd.ones([1, 50000])), `dot output: shape (50000, 50000) has 2500000000 elements, ${LIMIT}`],
  ['a dot of two empty matrices with a huge product', () => nd.dot(nd.zeros([46341, 0]), nd.zeros([0, 46341])), `dot output: shape (46341, 46341) has 2147488281 elements, ${LIMIT}`],
  ['a reduction of an empty array to a huge one', () => nd.zeros([46341, 46341, 0]).sum(2), `sum: shape (46341, 46341) has 2147488281 elements, ${LIMIT}`],
  ['a limit that is not an integer', () => nd.setMaxElements(1.5), 'nd.setMaxElements: expected an integer in [0, 2147483647], but got the number 1.5'],
  ['the NDArray constructor with numbers', () => new NDArray([1, 2] as never, [2]), 'NDArray: expected the data as a Float32Array, but got [1, 2] (use nd.array to convert)'],
];

describe('arrays and sizes: hostile input gets a GluonError that says what was expected', () => {
  it.each(REJECTED)('%s', (_name, call, message) => {
    expect(call).toThrow(GluonError);
    expect(call).toThrow(message);
  });
});

describe('accepted sources', () => {
  it.each([
    ['a Float64Array', new Float64Array([1.5, 2.5]), [1.5, 2.5]],
    ['an Int32Array', new Int32Array([-3, 4]), [-3, 4]],
    ['a Uint8Array', new Uint8Array([255, 0]), [255, 0]],
  ])('%s is copied to float32, as MXNet does without a dtype', (_name, source, values) => {
    const x = nd.array(source as ArrayLike<number> as never);
    expect(x.shape).toEqual([values.length]);
    expect(Array.from(x.toFloat32Array())).toEqual(values);
  });

  it('takes a typed array with a shape, and a lowered limit applies to every allocation', () => {
    expect(nd.array(new Float64Array(6), { shape: [2, 3] }).shape).toEqual([2, 3]);
    nd.setMaxElements(10);
    try {
      expect(nd.getMaxElements()).toBe(10);
      expect(() => nd.zeros([11])).toThrow('nd.zeros: shape (11,) has 11 elements, more than the limit of 10 per array');
      expect(() => nd.ones([2, 1]).add(nd.ones([1, 6]))).toThrow('add: shape (2, 6) has 12 elements, more than the limit of 10 per array');
      expect(nd.zeros([10]).size).toBe(10);
    } finally {
      nd.setMaxElements(2 ** 30);
    }
  });

  it('recognises an NDArray made by a second copy of the package', () => {
    let other: unknown;
    jest.isolateModules(() => {
      const copy = require('../../src') as typeof import('../../src');
      other = copy.nd.ones([2]);
      expect(copy.NDArray).not.toBe(NDArray);
    });
    expect(other instanceof NDArray).toBe(true);
    expect(nd.add(other as NDArray, 1).toArray()).toEqual([2, 2]);
    expect({ shape: [2] } instanceof NDArray).toBe(false);
  });

  it('keeps the prototype test for a subclass of NDArray', () => {
    class Tagged extends NDArray {}
    const tagged = new Tagged(new Float32Array(2), [2]);
    expect(tagged instanceof Tagged).toBe(true);
    expect(tagged instanceof NDArray).toBe(true);
    expect(nd.ones([2]) instanceof Tagged).toBe(false);
  });
});

/** The bytes of an unnamed one-array file (nd.saveBytes) whose only dim is patched to `dim`: the header may claim anything. */
function fileClaiming(dim: number): Uint8Array {
  const bytes = nd.saveBytes([nd.zeros([1])]);
  // 24 bytes of file header, then the record: u32 magic, i32 stype, i32 ndim, i64 dim.
  new DataView(bytes.buffer, bytes.byteOffset).setBigInt64(36, BigInt(dim), true);
  return bytes;
}

describe('sizes: files are checked against the limit before their arrays are read', () => {
  it('refuses a header claiming a huge shape, naming the shape, its count and the limit', () => {
    expect(() => nd.loadBytes(fileClaiming(2 ** 31 - 1))).toThrow(
      new GluonError(`nd.loadBytes: record 0: shape (2147483647,) has 2147483647 elements, ${LIMIT} (in '<bytes>' at byte 52)`),
    );
  });

  it('refuses an honest file holding an array over a lowered limit, by its path', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-limit-')), 'big.params');
    nd.save(file, { big: nd.ones([2, 3]) });
    nd.setMaxElements(4);
    try {
      expect(() => nd.load(file)).toThrow(GluonError);
      expect(() => nd.load(file)).toThrow(/^nd\.load: record 0: shape \(2, 3\) has 6 elements, more than the limit of 4 per array \(nd\.setMaxElements raises it, up to 2147483647\) \(in '.*big\.params' at byte \d+\)$/);
    } finally {
      nd.setMaxElements(2 ** 30);
    }
    expect(nd.load(file)).toEqual({ big: expect.any(NDArray) });
  });
});

describe('empty arrays: an empty result computes nothing, however large its other dimensions', () => {
  const HUGE = 2 ** 40;
  // Each call used to loop over, or size a float64 scratch by, the huge dimension (a hang or a RangeError).
  const EMPTY: [string, () => NDArray, number[]][] = [
    ['softmax over rows of length 0', () => nd.softmax(nd.zeros([HUGE, 0])), [HUGE, 0]],
    ['softmax along the huge axis', () => nd.softmax(nd.zeros([HUGE, 0]), { axis: 0 }), [HUGE, 0]],
    ['LayerNorm', () => nd.LayerNorm(nd.zeros([HUGE, 0]), nd.zeros([0]), nd.zeros([0])), [HUGE, 0]],
    ['L2Normalization', () => nd.L2Normalization(nd.zeros([HUGE, 0])), [HUGE, 0]],
    ['InstanceNorm', () => nd.InstanceNorm(nd.zeros([HUGE, 1, 0]), nd.ones([1]), nd.zeros([1])), [HUGE, 1, 0]],
    ['max Pooling of an empty batch', () => nd.Pooling(nd.zeros([0, 1, HUGE]), { kernel: [1], poolType: 'max' }), [0, 1, HUGE]],
    ['Convolution', () => nd.Convolution(nd.zeros([HUGE, 1, 0, 4]), nd.ones([1, 1, 1, 1]), nd.zeros([1]), { kernel: [1, 1], numFilter: 1 }), [HUGE, 1, 0, 4]],
    ['batchDot', () => nd.batchDot(nd.zeros([HUGE, 0, 3]), nd.zeros([HUGE, 3, 0])), [HUGE, 0, 0]],
    ['concat', () => nd.concat(nd.zeros([HUGE, 0]), nd.zeros([HUGE, 0]), { dim: 1 }), [HUGE, 0]],
    ['LeakyReLU prelu', () => nd.LeakyReLU(nd.zeros([HUGE, 1, 0]), nd.ones([1]), { actType: 'prelu' }), [HUGE, 1, 0]],
  ];
  it.each(EMPTY)('%s', (_name, call, shape) => {
    const y = call();
    expect(y.shape).toEqual(shape);
    expect(y.size).toBe(0);
  });

  it('a non-empty result of empty inputs is still computed (the reduction of nothing is 0)', () => {
    expect(nd.sum(nd.zeros([HUGE, 3, 0]), { axis: [0, 2] }).toArray()).toEqual([0, 0, 0]);
    expect(nd.dot(nd.zeros([2, 0]), nd.zeros([0, 2])).toArray()).toEqual([[0, 0], [0, 0]]);
  });

  it('passes a zero gradient through an empty result, overwriting a previous one', () => {
    const w = nd.ones([2, 1, 1, 1]);
    w.attachGrad();
    const conv = (x: NDArray): NDArray => nd.Convolution(x, w, { kernel: [1, 1], numFilter: 2, noBias: true });
    autograd.record(() => conv(nd.ones([1, 1, 2, 2])).sum()).backward();
    expect(Array.from(w.grad?.toFloat32Array() ?? [])).toEqual([4, 4]);
    autograd.record(() => conv(nd.ones([0, 1, 2, 2])).sum()).backward();
    expect(Array.from(w.grad?.toFloat32Array() ?? [])).toEqual([0, 0]);
  });
});

describe('nested typed arrays', () => {
  it('takes typed arrays as the innermost level, converted to float32', () => {
    expect(nd.array([Int32Array.of(1, 2), Float64Array.of(3.5, 4)]).toArray()).toEqual([[1, 2], [3.5, 4]]);
    expect(nd.array([[Uint8Array.of(255)], [[7]]] as never).toArray()).toEqual([[[255]], [[7]]]);
  });

  it('rejects ragged typed levels, describing them', () => {
    const call = () => nd.array([new Float64Array(2), new Float64Array(3)]);
    expect(call).toThrow(GluonError);
    expect(call).toThrow('nd.array: ragged nested array: expected length 2 at depth 1, but got a Float64Array of 3 elements');
  });
});

describe('files: only regular files are read or written, and nothing waits forever', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-files-'));
  const fifo = path.join(dir, 'pipe');
  let hasFifo = false;
  try {
    execFileSync('mkfifo', [fifo]);
    hasFifo = true;
  } catch {
    // No mkfifo on this platform: the named-pipe rows are skipped below.
  }
  const onPipe: [string, () => unknown, RegExp][] = [
    ['nd.load', () => nd.load(fifo), /^nd\.load: cannot read '.*pipe': expected a file, but it is a special file$/],
    ['nd.save', () => nd.save(fifo, nd.ones([1])), /^nd\.save: cannot write '.*pipe': /],
    ['sym.load', () => sym.load(fifo), /^sym\.load: '.*pipe' is not a regular file$/],
    ['loadParameters', () => { const d = new nn.Dense(1, { inUnits: 1 }); d.initialize(); d.loadParameters(fifo); }, /cannot read '.*pipe'|not a regular file|special file/],
  ];
  (hasFifo ? it.each(onPipe) : it.skip.each(onPipe))('%s on a named pipe throws at once', (_name, call, message) => {
    expect(call).toThrow(GluonError);
    expect(call).toThrow(message);
  });

  it('nd.load on a directory names it', () => {
    expect(() => nd.load(dir)).toThrow(/^nd\.load: cannot read '.*': expected a file, but it is a directory$/);
  });
});
