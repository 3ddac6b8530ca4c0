/**
 * Python's text for the values Gluon prints in a block's repr, so that tsgluon's text forms
 * read exactly as Gluon's: `InstanceNorm(eps=1e-05, axis=1, center=True, ...)`.
 */

/**
 * Python's `repr(float)`: the shortest digits that round-trip, in fixed notation when the decimal
 * exponent is in [-4, 16), else `1e-05` style with at least two exponent digits.
 *
 * @example pyFloat(1e-5) // '1e-05'; pyFloat(0.9) // '0.9'; pyFloat(1) // '1.0'
 */
export function pyFloat(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = value.toFixed(Math.max(0, mantissa.replace(/^-?\d\.?/, '').length - exponent));
  return fixed.includes('.') ? fixed : `${fixed}.0`;
}

/** Python's `True`/`False`. */
export function pyBool(value: boolean): string {
  return value ? 'True' : 'False';
}
