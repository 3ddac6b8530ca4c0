import { GluonError, formatShape } from '../core/errors';
import { Initializer } from './initializer';

/**
 * Fills a 4-D (out, in, h, w) deconvolution weight with a bilinear upsampling kernel (Gluon's
 * `Bilinear`, registered as `'bilinear'`). With f = ceil(w / 2) and c = (2f − 1 − f mod 2) / (2f),
 * the element at flat index i, x = i mod w, y = (i div w) mod h, is
 * `(1 − |x / f − c|) · (1 − |y / f − c|)`. As in MXNet, f comes from the width alone, also for y.
 *
 * @example
 * new init.Bilinear().initialize('deconv0_weight', [1, 1, 4, 4]).toArray();
 * // [[[[0.0625, 0.1875, 0.1875, 0.0625], [0.1875, 0.5625, 0.5625, 0.1875], ...]]]
 */
export class Bilinear extends Initializer {
  constructor() {
    super('bilinear');
  }

  protected override fill(paramName: string, shape: readonly number[], out: Float32Array): void {
    if (shape.length !== 4) {
      throw new GluonError(
        `init.Bilinear: cannot initialize parameter '${paramName}': expected a 4-D shape (out, in, h, w), but got ${formatShape(shape)}`,
      );
    }
    const [, , height, width] = shape;
    const f = Math.ceil(width / 2);
    const c = (2 * f - 1 - (f % 2)) / (2 * f);
    // The kernel depends only on (y, x): compute one h×w plane and repeat it.
    const plane = new Float64Array(height * width);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) plane[y * width + x] = (1 - Math.abs(x / f - c)) * (1 - Math.abs(y / f - c));
    }
    for (let start = 0; start < out.length; start += plane.length) out.set(plane, start);
  }
}
