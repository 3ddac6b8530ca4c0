/**
 * MXNet's `Dropout` operator with its backward rule. Masks come from the global seeded generator
 * (src/random.ts), so `random.seed(n)` reproduces them.
 */
import { GluonError } from '../../core/errors';
import { isTraining } from '../../autograd/mode';
import { recordOp } from '../../autograd/tape';
import { uniform01 } from '../../random';
import { NDArray } from '../ndarray';
import { multiply } from '../ops/elementwise';
import { describeValue, normalizeAxes } from '../ops/validate';
import { shapeSize } from '../../core/shape';
import { checkArray, checkChoice, checkOptions } from './op_checks';

/** When Dropout drops: only in training mode (MXNet's default), or on every call. */
export const DROPOUT_MODES = ['training', 'always'] as const;
export type DropoutMode = (typeof DROPOUT_MODES)[number];

/** Options of the `nd.Dropout` operator; the defaults are MXNet's. */
export interface DropoutOpOptions {
  /** The fraction of elements to zero, in [0, 1]. Default 0.5. */
  p?: number;
  /** Axes along which one mask value is shared (e.g. [2, 3] drops whole feature maps of NCHW). Default [] (none). */
  axes?: readonly number[];
  /** Default 'training': drop only while autograd.isTraining(); 'always' drops in prediction too. */
  mode?: DropoutMode;
}

/** Checks `p`: a number in [0, 1]; `who` names the caller, `option` the argument. @internal */
export function checkDropoutRate(who: string, option: string, p: unknown): number {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new GluonError(`${who}: expected ${option} to be a number in [0, 1], but got ${describeValue(p)}`);
  }
  return p;
}

/** Checks `axes`: an array of integers (ranges are checked against the input later). @internal */
export function checkDropoutAxes(who: string, axes: unknown): number[] {
  if (!Array.isArray(axes) || !axes.every((axis) => Number.isInteger(axis))) {
    throw new GluonError(`${who}: expected axes to be an array of integer axes, but got ${describeValue(axes)}`);
  }
  return axes.slice();
}

/**
 * A mask of `shape`: each value is 1/(1 − p) with probability 1 − p, else 0, drawn in row-major
 * order from the global generator. The scale is MXNet's float32 `1.0f / (1.0f - p)`.
 */
function drawMask(shape: readonly number[], p: number): NDArray {
  const keep = Math.fround(1 - Math.fround(p));
  // p = 1 keeps nothing: MXNet's mask is then 0·(1/0) = NaN; zeros are what "drop all" means.
  const scale = keep > 0 ? Math.fround(1 / keep) : 0;
  const mask = new Float32Array(shapeSize(shape));
  for (let i = 0; i < mask.length; i++) mask[i] = uniform01() < keep ? scale : 0;
  return new NDArray(mask, shape);
}

/**
 * MXNet's `Dropout` operator (Srivastava et al., 2014):
 *
 *     out = x · mask,   mask = 1/(1 − p) with probability 1 − p, else 0
 *
 * when dropping (p > 0 and, in mode 'training', autograd.isTraining()); otherwise a copy of x.
 * The mask has x's shape with every axis in `axes` reduced to 1, so one draw is shared along
 * those axes (e.g. axes [2, 3] on NCHW zeroes whole channels). Backward: dx = dy · mask, the
 * same mask. Shapes: x of every shape, output of x's shape. Defaults: p 0.5, axes [], mode 'training'.
 * p = 1 gives zeros (MXNet's kernel gives NaN there: 0 · 1/0).
 *
 * @example
 * random.seed(0);
 * const y = autograd.trainMode(() => nd.Dropout(nd.ones([2, 4]), { p: 0.5 }));
 * // each value is 0 or 2, about half of each
 */
export function Dropout(data: NDArray, options?: DropoutOpOptions): NDArray {
  const x = checkArray('Dropout', 'data', data);
  const opts = checkOptions('Dropout', options);
  const p = checkDropoutRate('Dropout', 'p', opts.p ?? 0.5);
  const axes = checkDropoutAxes('Dropout', opts.axes ?? []);
  const mode = checkChoice('Dropout', 'mode', opts.mode ?? 'training', DROPOUT_MODES);
  const shared = axes.length === 0 ? [] : normalizeAxes('Dropout', axes, x.ndim);
  if (p === 0 || (mode === 'training' && !isTraining())) {
    return recordOp('Dropout', new NDArray(x.data.slice(), x.shape), [x], (dy) => [dy]);
  }
  const mask = drawMask(
    x.shape.map((dim, axis) => (shared.includes(axis) ? 1 : dim)),
    p,
  );
  return recordOp('Dropout', multiply(x, mask), [x], (dy) => [multiply(dy, mask)]);
}
