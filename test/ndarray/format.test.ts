/**
 * NDArray printing (DESIGN §4, mxnet-gluon-behaviour.md §9): MXNet's repr with the values as
 * numpy 1.13 prints a float32 array, one newline between blocks.
 *
 * Expected strings are derived by hand from numpy 1.13's arrayprint rules (documented in
 * src/ndarray/format.ts): each float32 value widened to double; fixed notation '%#W.Nf' with
 * N = most decimals any non-zero value needs at 8 (trailing zeros stripped), W =
 * len(int(max|x|)) + N + 2, trailing zeros shown as spaces; exponent notation '%16.8e' when
 * max|x| >= 1e8, min|x| < 1e-4 or float32(max/min) > 1000; words joined by ' '; a row wraps
 * before a word when len(line.rstrip()) + len(word.rstrip()) >= 75; above 1000 elements each
 * axis longer than 6 shows 3 + '..., ' + 3. Float32 digits: numpy 1.13 printed a float32 1.1 as
 * 1.10000002 (e.g. `array([ 1.10000002,  2.20000005,  3.29999995,  4.4000001 ], dtype=float32)`
 * from numpy < 1.14), so that is what the seed's input prints.
 */
import { Writable } from 'stream';
import { Console } from 'console';
import { format, inspect } from 'util';
import * as nd from '../../src/ndarray';
import { NDArray } from '../../src/ndarray/ndarray';

/** The full repr for a body and a shape tag, so each case states only what it is about. */
const repr = (body: string, dims: string): string => `\n${body}\n<NDArray ${dims} @cpu(0)>`;

describe('NDArray.toString: the seed example', () => {
  it('prints the InstanceNorm doc output exactly (golden)', () => {
    const y = nd.array([[[-0.99998355, 0.99998331]], [[-0.99998319, 0.99998361]]]);
    expect(y.toString()).toBe('\n[[[-0.99998355  0.99998331]]\n [[-0.99998319  0.99998361]]]\n<NDArray 2x1x2 @cpu(0)>');
  });

  it("prints the seed's float32 input with numpy 1.13's widened digits", () => {
    // float32(1.1) = 1.10000002384…, '%.8f' gives 1.10000002; 4.4 → 4.40000010 → '4.4000001 '.
    const x = nd.array([[[1.1, 2.2]], [[3.3, 4.4]]]);
    expect(x.toString()).toBe(repr('[[[ 1.10000002  2.20000005]]\n [[ 3.29999995  4.4000001 ]]]', '2x1x2'));
  });

  it('prints short decimals when the float32 values are exact (the seed layout)', () => {
    const x = nd.array([[[1.5, 2.25]], [[3.5, 4.75]]]);
    expect(x.toString()).toBe(repr('[[[ 1.5   2.25]]\n [[ 3.5   4.75]]]', '2x1x2'));
  });
});

describe('NDArray.toString: fixed notation', () => {
  it.each<[string, number[], string]>([
    ['integers', [1, 2, 3], '[ 1.  2.  3.]'],
    ['zeros', [0, 0, 0], '[ 0.  0.  0.]'],
    ['width from the largest integer part', [10, 200, -3], '[  10.  200.   -3.]'],
    ['negative values use the sign column', [-1.5, 2.5], '[-1.5  2.5]'],
    ['negative zero keeps its sign', [-0, 0], '[-0.  0.]'],
    ['trailing zeros become spaces', [0.5, 0.125, 2], '[ 0.5    0.125  2.   ]'],
    ['ratio exactly 1000 stays fixed', [1, 1000], '[    1.  1000.]'],
    // 1400 / float32(1.4) is 1000.000017 in double but exactly 1000 in float32, as numpy divided.
    ['ratio taken in float32', [1.4, 1400], '[    1.39999998  1400.        ]'],
    // 0.001953125 is a tie at 8 decimals: printf rounds to even (toFixed would give ...313).
    ['ties round to even', [0.001953125, 1], '[ 0.00195312  1.        ]'],
  ])('%s', (_, values, body) => {
    expect(nd.array(values).toString()).toBe(repr(body, String(values.length)));
  });

  it('aligns a 2-d array in columns, one row per line', () => {
    expect(nd.array([[1.5, -2.25], [3, 4]]).toString()).toBe(repr('[[ 1.5  -2.25]\n [ 3.    4.  ]]', '2x2'));
  });
});

describe('NDArray.toString: exponent notation', () => {
  it.each<[string, number[], string]>([
    ['smallest magnitude below 1e-4', [1e-5, 1], '[  9.99999975e-06   1.00000000e+00]'],
    // float32(1e-4) = 9.99999975e-05 < 1e-4: numpy compared in double.
    ['float32 1e-4 is below the 1e-4 threshold', [1e-4, 1], '[  9.99999975e-05   1.00000000e+00]'],
    ['largest magnitude at least 1e8', [1e8], '[  1.00000000e+08]'],
    ['negative values and zero', [-2.5e9, 0], '[ -2.50000000e+09   0.00000000e+00]'],
    ['ratio above 1000', [1, 1001], '[  1.00000000e+00   1.00100000e+03]'],
    // 1.001953125 = 1 + 2^-9 is a tie at 8 decimals: rounds to even.
    ['ties round to even', [1.001953125, 1e-5], '[  1.00195312e+00   9.99999975e-06]'],
    ['the float32 extremes', [3.4028234663852886e38, 1e-45], '[  3.40282347e+38   1.40129846e-45]'],
  ])('%s', (_, values, body) => {
    expect(nd.array(values).toString()).toBe(repr(body, String(values.length)));
  });
});

describe('NDArray.toString: nan and inf', () => {
  it.each<[string, number[], string]>([
    ['among fixed values', [NaN, 1.5, -Infinity], '[ nan  1.5 -inf]'],
    ['alone: width 4 for -inf', [NaN, Infinity, -Infinity], '[ nan  inf -inf]'],
    ['inf only', [Infinity], '[ inf]'],
    ['among exponent values', [NaN, 1e-5], '[             nan   9.99999975e-06]'],
  ])('%s', (_, values, body) => {
    expect(nd.array(values).toString()).toBe(repr(body, String(values.length)));
  });
});

describe('NDArray.toString: 0-d and empty arrays', () => {
  it.each<[number, string]>([
    [1.5, '1.5'],
    [2, '2.0'],
    [1.1, '1.100000023841858'],
    [1e-5, '9.999999747378752e-06'],
    [1e20, '1.0000000200408773e+20'],
    [12345678, '12345678.0'],
    [-0, '-0.0'],
    [NaN, 'nan'],
    [-Infinity, '-inf'],
  ])("a 0-d %p prints Python's str() of the widened value", (value, body) => {
    expect(nd.array(value).toString()).toBe(repr(body, ''));
  });

  it('prints [] for any zero dimension', () => {
    expect(nd.zeros([0]).toString()).toBe(repr('[]', '0'));
    expect(nd.zeros([2, 0]).toString()).toBe(repr('[]', '2x0'));
  });
});

describe('NDArray.toString: line wrapping at 75 columns', () => {
  it('wraps a long row, continuation lines indented by one space', () => {
    const x = nd.array(Array.from({ length: 30 }, (_, i) => i + 0.5));
    const body =
      '[  0.5   1.5   2.5   3.5   4.5   5.5   6.5   7.5   8.5   9.5  10.5  11.5\n' +
      '  12.5  13.5  14.5  15.5  16.5  17.5  18.5  19.5  20.5  21.5  22.5  23.5\n' +
      '  24.5  25.5  26.5  27.5  28.5  29.5]';
    expect(x.toString()).toBe(repr(body, '30'));
  });

  it('indents wrapped rows of a 2-d array past both brackets', () => {
    const x = nd.array(Array.from({ length: 30 }, (_, i) => i + 0.5), { shape: [2, 15] });
    const body =
      '[[  0.5   1.5   2.5   3.5   4.5   5.5   6.5   7.5   8.5   9.5  10.5  11.5\n' +
      '   12.5  13.5  14.5]\n' +
      ' [ 15.5  16.5  17.5  18.5  19.5  20.5  21.5  22.5  23.5  24.5  25.5  26.5\n' +
      '   27.5  28.5  29.5]]';
    expect(x.toString()).toBe(repr(body, '2x15'));
  });
});

describe('NDArray.toString: summarization above 1000 elements', () => {
  it('shows 3 + 3 edge items of a 2000-element array; the shown values pick the format', () => {
    // Shown: 0, 1, 2, 1997, 1998, 1999 → max/min = 1999 > 1000 → exponent notation.
    const body =
      '[  0.00000000e+00   1.00000000e+00   2.00000000e+00 ...,   1.99700000e+03\n' +
      '   1.99800000e+03   1.99900000e+03]';
    expect(nd.arange(2000).toString()).toBe(repr(body, '2000'));
  });

  it('keeps fixed notation when the shown values allow it', () => {
    const x = nd.array(Array.from({ length: 2000 }, (_, i) => 1 + (i % 4) * 0.25));
    expect(x.toString()).toBe(repr('[ 1.    1.25  1.5  ...,  1.25  1.5   1.75]', '2000'));
  });

  it('summarizes rows and columns of a 2-d array', () => {
    const values = Array.from({ length: 40 * 50 }, (_, k) => (Math.floor(k / 50) - (k % 50)) * 0.25);
    const body = [
      '[[  0.    -0.25  -0.5  ..., -11.75 -12.   -12.25]',
      ' [  0.25   0.    -0.25 ..., -11.5  -11.75 -12.  ]',
      ' [  0.5    0.25   0.   ..., -11.25 -11.5  -11.75]',
      ' ..., ',
      ' [  9.25   9.     8.75 ...,  -2.5   -2.75  -3.  ]',
      ' [  9.5    9.25   9.   ...,  -2.25  -2.5   -2.75]',
      ' [  9.75   9.5    9.25 ...,  -2.    -2.25  -2.5 ]]',
    ].join('\n');
    expect(nd.array(values, { shape: [40, 50] }).toString()).toBe(repr(body, '40x50'));
  });

  it('summarizes the outer axis of a 3-d array, one newline between blocks', () => {
    const values = Array.from({ length: 8 * 130 }, (_, k) => (k % 3) - 1);
    const body = [
      '[[[-1.  0.  1. ...,  0.  1. -1.]]',
      ' [[ 0.  1. -1. ...,  1. -1.  0.]]',
      ' [[ 1. -1.  0. ..., -1.  0.  1.]]',
      ' ..., ',
      ' [[ 1. -1.  0. ..., -1.  0.  1.]]',
      ' [[-1.  0.  1. ...,  0.  1. -1.]]',
      ' [[ 0.  1. -1. ...,  1. -1.  0.]]]',
    ].join('\n');
    expect(nd.array(values, { shape: [8, 1, 130] }).toString()).toBe(repr(body, '8x1x130'));
  });

  it('does not summarize exactly 1000 elements', () => {
    const text = nd.zeros([1000]).toString();
    expect(text).not.toContain('...');
    expect(text.match(/0\./g)).toHaveLength(1000);
  });

  it('prints a large array from its corners only', () => {
    expect(nd.zeros([1_000_000]).toString()).toBe(repr('[ 0.  0.  0. ...,  0.  0.  0.]', '1000000'));
  });
});

describe('NDArray in Node: console.log and util.inspect', () => {
  const x = nd.array([[[-0.99998355, 0.99998331]], [[-0.99998319, 0.99998361]]]);

  it('util.inspect, util.format and string conversion give toString()', () => {
    expect(inspect(x)).toBe(x.toString());
    expect(format(x)).toBe(x.toString());
    expect(String(x)).toBe(x.toString());
    expect(`${x}`).toBe(x.toString());
  });

  it('console.log writes toString() and a newline', () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    new Console({ stdout: sink }).log(x);
    expect(written).toBe(`${x.toString()}\n`);
  });

  it('leaves the values untouched', () => {
    const y = new NDArray(Float32Array.of(-0, NaN, 1.25), [3]);
    y.toString();
    expect(Object.is(y.data[0], -0)).toBe(true);
    expect(Array.from(y.data.subarray(1))).toEqual([NaN, 1.25]);
  });
});
