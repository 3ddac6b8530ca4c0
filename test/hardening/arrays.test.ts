/**
 * Hostile arrays, sizes and files: each row is a call and the GluonError message it must give.
 * No row may hang or allocate: oversized requests are refused from their shapes alone.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GluonError, NDArray, nd, nn, sym } from '../../src';

const cyclic: unknown[] = [1];
cyclic[0] = cyclic;
let deep: unknown = [1];
for (let i = 0; i < 100; i++) deep = [deep];
const LIMIT = 'more than the limit of 1073741824 per array (nd.setMaxElements raises it, up to 2147483647)';

const REJECTED: [string, () => unknown, string | RegExp][] = [
  ['a nested array that contains itself', () => nd.array(cyclic as never), /^nd\.array: expected at most 32 levels of nesting \(the largest rank\), but got more/],
  ['nesting deeper than 32 levels', () => nd.array(deep as never), /^nd\.array: expected at most 32 levels of nesting/],
  ['a dtype other than float32', () => nd.array([1.7], { dtype: 'int32' as never }), "nd.array: tsgluon's arrays are float32; expected dtype 'float32', but got the string 'int32'"],
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
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const copy = require('../../src') as typeof import('../../src');
      other = copy.nd.ones([2]);
      expect(copy.NDArray).not.toBe(NDArray);
    });
    expect(other instanceof NDArray).toBe(true);
    expect(nd.add(other as NDArray, 1).toArray()).toEqual([2, 2]);
    expect({ shape: [2] } instanceof NDArray).toBe(false);
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
