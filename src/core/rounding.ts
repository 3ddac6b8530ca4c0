/**
 * Rounding to an integer with ties to even: C's `rint` in the default rounding mode, numpy's
 * `around`, OpenCV's `cvRound`, and IEEE's rounding of a mantissa.
 *
 * @example [roundHalfEven(2.5), roundHalfEven(3.5), roundHalfEven(-2.5), roundHalfEven(-2.6)] // [2, 4, -2, -3]
 */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
