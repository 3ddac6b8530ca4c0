import { describeValue } from '../core/checks';
import { GluonError, formatShape } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { BlockOptions, Tensor } from './block';
import { HybridBlock, HybridF } from './hybrid_block';

/**
 * Pads the height and width of (N, C, H, W) input with the reflection of its border (Gluon's
 * `nn.ReflectionPad2D`), through `F.pad(x, { mode: 'reflect', padWidth })`:
 *
 *     out[n, c, i, j] = x[n, c, reflect(i − top, H), reflect(j − left, W)],
 *     reflect(k, n) = |k| mirrored at both ends without repeating the edge ([1, 2, 3] → 3 2 | 1 2 3 | 2 1)
 *
 * `padding` is, as Gluon, a number p (p on all four sides) or MXNet's full 8-value pad_width
 * `[0, 0, 0, 0, top, bottom, left, right]`; tsgluon also takes the 4 spatial values
 * `[top, bottom, left, right]` (note: PyTorch's 4-tuple is ordered left, right, top, bottom).
 * Each width must be smaller than the side it pads. Shapes: input (N, C, H, W); output
 * (N, C, H + top + bottom, W + left + right). Default padding 0. Gluon defines no text form for
 * it, so it prints as a plain Block: `ReflectionPad2D(\n\n)`.
 *
 * @example
 * const pad = new nn.ReflectionPad2D(1);
 * pad(nd.array([[[[1, 2], [3, 4]]]])).toArray();
 * // [[[[4, 3, 4, 3], [2, 1, 2, 1], [4, 3, 4, 3], [2, 1, 2, 1]]]]
 */
export class ReflectionPad2D extends HybridBlock {
  static override readonly inputCount = 1;
  /** MXNet's pad_width: `[0, 0, 0, 0, top, bottom, left, right]`. */
  readonly padding: readonly number[];

  constructor(padding: number | readonly number[] = 0, options: BlockOptions = {}) {
    super(options);
    this.padding = Object.freeze(this.padWidthOf(padding));
  }

  private padWidthOf(padding: unknown): number[] {
    const widths = typeof padding === 'number' ? [padding, padding, padding, padding] : padding;
    const valid = Array.isArray(widths) && (widths.length === 4 || widths.length === 8) && widths.every((w) => Number.isInteger(w) && w >= 0);
    if (!valid) {
      throw new GluonError(
        `${this.errorName}: expected padding to be an integer >= 0, 4 of them (top, bottom, left, right) or 8 (MXNet's pad_width), but got ${describeValue(padding)}`,
      );
    }
    if (widths.length === 4) return [0, 0, 0, 0, ...widths];
    if (widths.slice(0, 4).some((w) => w !== 0)) {
      throw new GluonError(`${this.errorName}: expected the first four of 8 padding widths (axes N and C) to be 0, but got ${formatShape(widths)}`);
    }
    return widths.slice();
  }

  override hybridForward(F: HybridF, x: Tensor): Tensor {
    // Pad also takes 5-D data: this layer is 2-D. (A traced input's shape is checked by graph inference.)
    if (x instanceof NDArray && x.ndim !== 4) {
      throw new GluonError(`${this.errorName}: expected a 4-D input (N, C, H, W), but got shape ${formatShape(x.shape)}`);
    }
    return F.pad(x, { mode: 'reflect', padWidth: this.padding });
  }
}
