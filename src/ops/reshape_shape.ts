/**
 * MXNet's `Reshape` shape rule, with its special codes (matrix_op-inl.h `InferReshapeShape`):
 *
 *     0   copy this dimension of the input          -1  infer it from the remaining size
 *     -2  copy all remaining input dimensions       -3  merge two consecutive input dimensions
 *     -4  split one input dimension into the next two values (one of them may be -1)
 *
 * With `reverse` both shapes are read right to left (so 0 and -1 match from the last axis).
 */
import { GluonError, formatShape } from '../core/errors';
import { checkShape, shapeSize } from '../core/shape';

/**
 * The output shape of `Reshape(data of shape `from`, shape = `spec`)`.
 *
 * @example
 * reshapeShape([2, 3, 4], [0, -1], false, 'Reshape');      // [2, 12]
 * reshapeShape([2, 3, 4], [-4, 1, 2, -2], false, 'Reshape'); // [1, 2, 3, 4]
 * reshapeShape([2, 3, 4], [-3, -2], false, 'Reshape');     // [6, 4]
 */
export function reshapeShape(from: readonly number[], spec: readonly number[], reverse: boolean, who: string): number[] {
  const src = reverse ? from.slice().reverse() : from.slice();
  const codes = reverse ? spec.slice().reverse() : spec.slice();
  const bad = (why: string): GluonError =>
    new GluonError(`${who}: cannot reshape an input of shape ${formatShape(from)} to ${formatShape(spec)}${reverse ? ' (reverse)' : ''}: ${why}`);
  const out: number[] = [];
  let at = 0;
  let inferAt = -1;
  const take = (): number => {
    if (at >= src.length) throw bad('the codes read more input dimensions than there are');
    return src[at++];
  };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) out.push(take());
    else if (code === -1) {
      if (inferAt >= 0) throw bad('only one dimension can be inferred (-1)');
      inferAt = out.length;
      out.push(1);
      at++;
    } else if (code === -2) while (at < src.length) out.push(src[at++]);
    else if (code === -3) out.push(take() * take());
    else if (code === -4) {
      if (i + 2 >= codes.length) throw bad('-4 must be followed by two dimensions');
      const whole = take();
      let [d1, d2] = [codes[++i], codes[++i]];
      if (d1 === -1 && d2 === -1) throw bad('the two dimensions after -4 cannot both be -1');
      if (d1 === -1) d1 = d2 === 0 ? 0 : whole / d2;
      if (d2 === -1) d2 = d1 === 0 ? 0 : whole / d1;
      if (d1 * d2 !== whole || !Number.isInteger(d1) || !Number.isInteger(d2)) throw bad(`${codes[i - 1]}, ${codes[i]} do not split ${whole}`);
      out.push(d1, d2);
    } else if (code > 0) {
      out.push(code);
      at++;
    } else throw bad(`${code} is not a dimension or one of the codes 0, -1, -2, -3, -4`);
  }
  if (inferAt >= 0) out[inferAt] = inferred(out, inferAt, shapeSize(from), bad);
  const shape = reverse ? out.reverse() : out;
  checkShape(shape, who);
  if (shapeSize(shape) !== shapeSize(from)) throw bad(`the result has ${shapeSize(shape)} elements, the input ${shapeSize(from)}`);
  return shape;
}

function inferred(out: readonly number[], inferAt: number, size: number, bad: (why: string) => GluonError): number {
  const known = out.reduce((product, d, i) => (i === inferAt ? product : product * d), 1);
  if (known === 0 || size % known !== 0) throw bad(`the other dimensions (product ${known}) do not divide the input size ${size}`);
  return size / known;
}

/**
 * The deprecated `target_shape` form of old files: one 0 is inferred; with `keepHighest` the first
 * dimension is always the input's.
 */
export function legacyTargetShape(from: readonly number[], target: readonly number[], keepHighest: boolean, who: string): number[] {
  const spec = target.map((d) => (d === 0 ? -1 : d));
  if (keepHighest) spec[0] = 0;
  return reshapeShape(from, spec, false, who);
}
