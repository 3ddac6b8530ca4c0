/**
 * MXNet's text form of an NDArray: `\n<values as numpy < 1.14 prints them>\n<NDArray 2x1x2 @cpu(0)>`.
 *
 * MXNet's `NDArray.__repr__` is `'\n%s\n<%s %s @%s>' % (str(self.asnumpy()), 'NDArray',
 * 'x'.join(shape), ctx)`, and the Gluon docs were generated with numpy < 1.14. This file ports
 * numpy 1.13's `arrayprint.py` (`array2string`, `_leading_trailing`, `FloatFormat`, `_digits`,
 * `_formatArray`, `_extendLine`) with its default options — precision 8, threshold 1000, edge
 * items 3, line width 75, `nan`/`inf` — applied to a float32 array, with one deliberate change:
 * numpy 1.13 put `rank - 1` newlines between the sub-blocks of a rank ≥ 3 array (a blank line
 * between 2-D blocks); tsgluon puts one, as the seed's documented output does (DESIGN §4).
 *
 * Float32 values: numpy 1.13 formats each element with Python's `'%.8f' % x`, which widens the
 * float32 to a double and prints that double's exact value correctly rounded (ties to even). So a
 * float32 1.1 (= 1.10000002384…) prints `1.10000002`, as numpy 1.13 did (its users saw
 * `array([ 1.10000002,  2.20000005], dtype=float32)`); only numpy ≥ 1.14 prints the shortest
 * float32 digits (`1.1`). The seed's `-0.99998355  0.99998331` are such widened digits: the
 * shortest float32 digits of the second value are `0.9999833`.
 *
 * @example
 * nd.array([[[-0.99998355, 0.99998331]], [[-0.99998319, 0.99998361]]]).toString();
 * // '\n[[[-0.99998355  0.99998331]]\n [[-0.99998319  0.99998361]]]\n<NDArray 2x1x2 @cpu(0)>'
 */
import type { NDArray } from './ndarray';
import { rowMajorStrides } from '../core/shape';
import { DType, isIntegerDType, roundToHalf, toNumbers } from './dtype';

/** numpy 1.13 defaults (`np.get_printoptions()`). */
const PRECISION = 8;
const THRESHOLD = 1000;
const EDGE_ITEMS = 3;
const LINE_WIDTH = 75;
/** What numpy prints in a summarized row (its `summary_insert`, trailing space included). */
const SUMMARY = '..., ';

/**
 * MXNet's repr of `x`: a newline, the values as numpy 1.13's `str()` prints them (see the file
 * comment), a newline, then `<NDArray d0xd1x… @cpu(0)>`.
 *
 * - 0-d: Python 3's `str()` of the value widened to double (`1.5`, `2.0`, `1.100000023841858`),
 *   as numpy's `array2string` does for shape `()`; the tag is `<NDArray  @cpu(0)>`.
 * - Any dimension 0: `[]`.
 * - More than 1000 elements: every axis longer than 6 shows its first 3 and last 3 entries with
 *   `...,` between them; only the shown values decide the number format.
 *
 * @example
 * nd.array([1, 2, 3]).toString();   // '\n[ 1.  2.  3.]\n<NDArray 3 @cpu(0)>'
 * nd.array([1.5, -2]).toString();   // '\n[ 1.5 -2. ]\n<NDArray 2 @cpu(0)>'
 */
export function formatNDArray(x: NDArray): string {
  return `\n${formatValues(toNumbers(x.dtype, x.values), x.shape, x.dtype)}\n<NDArray ${x.shape.join('x')} @cpu(0)>`;
}

/**
 * numpy 1.13's `array_str(a)` for a row-major array of `dtype`: floats by `FloatFormat`, integers
 * by `IntegerFormat` (right-aligned to the widest shown value: `[  1  20 -300]`), bools by
 * `BoolFormat` (`' True'`, `'False'`); a 0-d array as Python's `str` of its value.
 */
function formatValues(data: ArrayLike<number>, shape: readonly number[], dtype: DType): string {
  if (shape.length === 0) return dtype === 'bool' ? (data[0] ? 'True' : 'False') : isIntegerDType(dtype) ? String(data[0]) : pythonFloatStr(data[0]);
  if (data.length === 0) return '[]';
  const summarize = data.length > THRESHOLD;
  const layout: Layout = { data, shape, strides: rowMajorStrides(shape), summarize };
  const shown: number[] = [];
  collectShown(layout, 0, 0, shown);
  return formatBlock({ ...layout, format: elementFormatter(dtype, shown) }, 0, 0, ' ');
}

/** The element format numpy 1.13 picks for the shown values of a `dtype` array. */
function elementFormatter(dtype: DType, shown: readonly number[]): (value: number) => string {
  if (dtype === 'bool') return (v) => (v ? ' True' : 'False');
  if (isIntegerDType(dtype)) {
    const width = Math.max(String(Math.max(...shown)).length, String(Math.min(...shown)).length);
    return (v) => String(v).padStart(width);
  }
  return floatFormatter(shown, QUOTIENT_ROUNDING[dtype] ?? Math.fround);
}

/** numpy divides max by min as scalars of the array's dtype (see floatFormatter). */
const QUOTIENT_ROUNDING: Partial<Record<DType, (v: number) => number>> = {
  float64: (v) => v,
  float16: roundToHalf,
};

/** The array being printed. */
interface Layout {
  readonly data: ArrayLike<number>;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  /** Whether the array has more than THRESHOLD elements (numpy's `summary_insert` is set). */
  readonly summarize: boolean;
}

/** The array and the element formatter chosen from its shown values. */
interface Grid extends Layout {
  readonly format: (value: number) => string;
}

/**
 * The indices printed along an axis of `length`, and how many come before the `...,` gap
 * (numpy's `leading_items`; 0 when nothing is elided). An axis is elided only when summarizing
 * and `length > 2 * EDGE_ITEMS`.
 */
function shownIndices(length: number, summarize: boolean): { indices: number[]; gapAfter: number } {
  if (summarize && length > 2 * EDGE_ITEMS) {
    const tail = Array.from({ length: EDGE_ITEMS }, (_, i) => length - EDGE_ITEMS + i);
    return { indices: [...Array(EDGE_ITEMS).keys(), ...tail], gapAfter: EDGE_ITEMS };
  }
  return { indices: [...Array(length).keys()], gapAfter: 0 };
}

/** Appends the printed elements to `out` (numpy's `_leading_trailing`: the data the format sees). */
function collectShown(grid: Layout, axis: number, offset: number, out: number[]): void {
  for (const i of shownIndices(grid.shape[axis], grid.summarize).indices) {
    const at = offset + i * grid.strides[axis];
    if (axis === grid.shape.length - 1) out.push(grid.data[at]);
    else collectShown(grid, axis + 1, at, out);
  }
}

/**
 * numpy 1.13's `_formatArray` for the sub-array at `axis`/`offset`; `prefix` is the indent of
 * its continuation lines (one space per enclosing bracket). Sub-blocks are joined by a newline
 * plus `prefix`; a summarized axis shows a `...,` line (with numpy's trailing space) at the gap.
 *
 * @example
 * // a 2x2 array prints '[[ 1.  2.]\n [ 3.  4.]]'
 */
function formatBlock(grid: Grid, axis: number, offset: number, prefix: string): string {
  if (axis === grid.shape.length - 1) return formatRow(grid, offset, prefix);
  const { indices, gapAfter } = shownIndices(grid.shape[axis], grid.summarize);
  const blocks = indices.map((i) =>
    formatBlock(grid, axis + 1, offset + i * grid.strides[axis], prefix + ' '),
  );
  if (gapAfter > 0) blocks.splice(gapAfter, 0, SUMMARY);
  return `[${blocks.join(`\n${prefix}`)}]`;
}

/**
 * numpy 1.13's `_formatArray` for one row (the last axis). Each element but the last is followed
 * by the separator `' '`. Before a word is added, `_extendLine` starts a new line (indented by
 * `prefix`) when `len(line.rstrip()) + len(word.rstrip()) >= 75` — a quirk kept exactly: the
 * space between the two is not counted and the check runs even on an empty line.
 */
function formatRow(grid: Grid, offset: number, prefix: string): string {
  const stride = grid.strides[grid.shape.length - 1];
  const { indices, gapAfter } = shownIndices(grid.shape[grid.shape.length - 1], grid.summarize);
  const last = indices.length - 1;
  const words = indices.map((i, k) => grid.format(grid.data[offset + i * stride]) + (k < last ? ' ' : ''));
  if (gapAfter > 0) words.splice(gapAfter, 0, SUMMARY);
  let text = '';
  let line = prefix;
  for (const word of words) {
    if (line.trimEnd().length + word.trimEnd().length >= LINE_WIDTH) {
      text += `${line.trimEnd()}\n`;
      line = prefix;
    }
    line += word;
  }
  text += `${line}]`;
  return `[${text.slice(prefix.length)}`;
}

/**
 * numpy 1.13's `FloatFormat` built from the shown values: a function printing one element.
 *
 * Over the finite non-zero |values| (max, min):
 * - exponent notation if `max >= 1e8`, `min < 1e-4` or `max / min > 1000` (the quotient is
 *   taken in float32, as numpy divides the two float32 scalars; the comparisons in double);
 *   every element then prints `'%16.8e'` (Python's `%e`, two-digit exponent) — numpy's 3-digit
 *   exponent branch needs |x| >= 1e100 or < 1e-99, which float32 cannot hold;
 * - otherwise fixed: N = the most decimals any of them needs (`'%.8f'`, trailing zeros
 *   stripped), width W = len(str(int(max))) + N + 2 (a sign column and the point), and each
 *   element prints `'%#W.Nf'` with its trailing zeros turned into spaces (`' 1.5 '`, `' 0.  '`);
 *   with a nan or inf present W is at least 4.
 * nan, inf and -inf print as `nan`, `inf`, `-inf` right-aligned to the width.
 *
 * @example
 * floatFormatter([1.5, -2])(1.5);       // ' 1.5'   (N = 1, W = 4)
 * floatFormatter([1e-5, 1])(1);         // '  1.00000000e+00'
 */
function floatFormatter(values: readonly number[], roundQuotient: (v: number) => number = Math.fround): (value: number) => string {
  const magnitudes = values.filter((v) => Number.isFinite(v) && v !== 0).map(Math.abs);
  const hasSpecial = values.some((v) => !Number.isFinite(v));
  const max = magnitudes.reduce((a, b) => Math.max(a, b), 0);
  const min = magnitudes.reduce((a, b) => Math.min(a, b), Infinity);
  if (magnitudes.length > 0 && (max >= 1e8 || min < 1e-4 || roundQuotient(max / min) > 1000)) {
    const width = PRECISION + 8;
    return (v) => (Number.isFinite(v) ? fixedExponent(v, PRECISION) : special(v)).padStart(width);
  }
  const decimals = magnitudes.reduce((most, v) => Math.max(most, decimalsNeeded(v)), 0);
  const intDigits = String(Math.trunc(max)).length;
  const width = Math.max(intDigits + decimals + 2, hasSpecial ? 4 : 0);
  return (v) => {
    if (!Number.isFinite(v)) return special(v).padStart(width);
    const text = fixedPoint(v, decimals).padStart(width);
    const stripped = text.replace(/0+$/, '');
    return stripped.padEnd(text.length);
  };
}

/** numpy's `_digits`: the decimals `'%.8f' % value` keeps once its trailing zeros are stripped. */
function decimalsNeeded(value: number): number {
  const text = fixedPoint(value, PRECISION);
  return PRECISION - (text.length - text.replace(/0+$/, '').length);
}

function special(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  return value > 0 ? 'inf' : '-inf';
}

/** The sign C's printf shows: negative values and negative zero get `-`. */
function signOf(value: number): string {
  return value < 0 || Object.is(value, -0) ? '-' : '';
}

/**
 * round(|value| · 10^k) to an integer, ties to even, computed exactly on the double's binary
 * value — what C's printf (and so Python's `%`) rounds to. `toFixed` and `toExponential` round
 * ties away from zero instead (`(0.001953125).toFixed(8)` is `0.00195313`, printf gives
 * `0.00195312`), so they cannot be used.
 */
function scaledRoundHalfEven(value: number, k: number): bigint {
  let mantissa = Math.abs(value);
  let shift = 0;
  while (!Number.isInteger(mantissa)) {
    mantissa *= 2; // exact: |value| = mantissa / 2^shift
    shift++;
  }
  const power = 10n ** BigInt(Math.abs(k));
  const numerator = BigInt(mantissa) * (k >= 0 ? power : 1n);
  const denominator = (1n << BigInt(shift)) * (k >= 0 ? 1n : power);
  const quotient = numerator / denominator;
  const twiceRemainder = 2n * (numerator % denominator);
  const roundUp = twiceRemainder > denominator || (twiceRemainder === denominator && quotient % 2n === 1n);
  return roundUp ? quotient + 1n : quotient;
}

/** Python's `'%#.{decimals}f' % value` for a finite value: the point is always printed. */
function fixedPoint(value: number, decimals: number): string {
  const digits = scaledRoundHalfEven(value, decimals).toString().padStart(decimals + 1, '0');
  const cut = digits.length - decimals;
  return `${signOf(value)}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/** Python's `'%.{decimals}e' % value` for a finite value, e.g. `1.00000000e+05`, `-2.5e-07`. */
function fixedExponent(value: number, decimals: number): string {
  // Start from the exponent of the shortest digits; it can be one off (they may round up to
  // 10^k, and rounding to `decimals + 1` digits may too), so settle it on the exact digits.
  let exponent = value === 0 ? 0 : Number(Math.abs(value).toExponential().split('e')[1]);
  let digits = scaledRoundHalfEven(value, decimals - exponent);
  while (value !== 0 && digits >= 10n ** BigInt(decimals + 1)) {
    exponent++;
    digits = scaledRoundHalfEven(value, decimals - exponent);
  }
  while (value !== 0 && digits < 10n ** BigInt(decimals)) {
    exponent--;
    digits = scaledRoundHalfEven(value, decimals - exponent);
  }
  const text = digits.toString().padStart(decimals + 1, '0');
  const fraction = decimals > 0 ? `.${text.slice(1)}` : '';
  return `${signOf(value)}${text[0]}${fraction}${exponentSuffix(exponent)}`;
}

/** Python's exponent suffix: sign always, at least two digits (`e+05`, `e-12`). */
function exponentSuffix(exponent: number): string {
  return `e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
}

/**
 * Python 3's `str(float)` (= `repr`): the shortest digits that round-trip (as JavaScript's),
 * written positionally with at least one decimal (`2.0`) unless the decimal point position
 * (value = 0.d1d2… · 10^p) has p <= -4 or p > 16, which gives `1e-05`, `1.5e+20`.
 *
 * @example
 * pythonFloatStr(2);       // '2.0'
 * pythonFloatStr(1e-5);    // '1e-05'
 */
function pythonFloatStr(value: number): string {
  if (!Number.isFinite(value)) return special(value);
  if (value === 0) return `${signOf(value)}0.0`;
  const [mantissa, exponentText] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const point = Number(exponentText) + 1;
  let body: string;
  if (point <= -4 || point > 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    body = `${digits[0]}${fraction}${exponentSuffix(point - 1)}`;
  } else if (point <= 0) {
    body = `0.${'0'.repeat(-point)}${digits}`;
  } else if (point >= digits.length) {
    body = `${digits}${'0'.repeat(point - digits.length)}.0`;
  } else {
    body = `${digits.slice(0, point)}.${digits.slice(point)}`;
  }
  return signOf(value) + body;
}
