/**
 * MXNet's `UpSampling` operator (nearest-neighbour mode) with its backward rule.
 */
import { GluonError, formatShape } from '../../core/errors';
import { recordOp } from '../../autograd/tape';
import { NDArray } from '../ndarray';
import { describeValue } from '../../core/checks';
import { checkShape } from '../../core/shape';
import { checkArray, checkOptions } from './op_checks';

/** MXNet's two sample types; only 'nearest' is computed here (see `UpSampling`). */
export type UpSamplingSampleType = 'nearest' | 'bilinear';

/** Options of the `nd.UpSampling` operator (MXNet's `scale` and `sample_type`). */
export interface UpSamplingOpOptions {
  /** The integer factor (≥ 1) by which height and width grow. Required, as in MXNet. */
  scale: number;
  /** Required, as in MXNet; must be 'nearest' ('bilinear' needs a weight: see `UpSampling`). */
  sampleType: UpSamplingSampleType;
}

/** The checked scale: an integer ≥ 1 (MXNet's lower bound). */
function checkScale(scale: unknown): number {
  if (typeof scale !== 'number' || !Number.isInteger(scale) || scale < 1) {
    throw new GluonError(`UpSampling: expected scale to be an integer >= 1, but got ${describeValue(scale)}`);
  }
  return scale;
}

function checkSampleType(sampleType: unknown): 'nearest' {
  if (sampleType === 'nearest') return sampleType;
  if (sampleType === 'bilinear') {
    // MXNet's bilinear mode is a Deconvolution whose (C, 1, 2s − s%2, 2s − s%2) weight is a second
    // input; one input cannot express it, and silently inventing the weight would hide that.
    throw new GluonError(
      "UpSampling: expected sampleType 'nearest', but got 'bilinear': MXNet's bilinear upsampling is a deconvolution that " +
        "needs a weight input; use sampleType 'nearest', or nn.Conv2DTranspose with weightInitializer init.Bilinear",
    );
  }
  const shown = typeof sampleType === 'string' ? `'${sampleType}'` : describeValue(sampleType);
  throw new GluonError(`UpSampling: expected sampleType to be 'nearest', but got ${shown}`);
}

/** Writes the s×s-enlarged copy of each of the `blocks` (h, w) planes of `src` into `dst`. */
function upsampleNearest(src: Float32Array, dst: Float32Array, blocks: number, h: number, w: number, s: number): void {
  const ow = w * s;
  let o = 0;
  for (let row = 0; row < blocks * h; row++) {
    const rowStart = o;
    const inRow = row * w;
    for (let j = 0; j < w; j++) {
      const value = src[inRow + j];
      for (let b = 0; b < s; b++) dst[o++] = value;
    }
    // The other s − 1 output rows of this input row are copies of the first.
    for (let a = 1; a < s; a++, o += ow) dst.copyWithin(o, rowStart, rowStart + ow);
  }
}

/** The backward of upsampleNearest: each input gradient is the float64 sum of its s×s block. */
function sumBlocks(dy: Float32Array, dx: Float32Array, blocks: number, h: number, w: number, s: number): void {
  const acc = new Float64Array(w);
  let o = 0;
  for (let row = 0; row < blocks * h; row++) {
    acc.fill(0);
    for (let a = 0; a < s; a++) {
      for (let j = 0; j < w; j++) {
        for (let b = 0; b < s; b++) acc[j] += dy[o++];
      }
    }
    dx.set(acc, row * w);
  }
}

/**
 * MXNet's `UpSampling` operator (`mx.nd.UpSampling(x, scale=s, sample_type='nearest')`) for one
 * 4-D (N, C, H, W) input: nearest-neighbour upsampling by an integer factor,
 *
 *     out[n, c, i, j] = x[n, c, ⌊i / s⌋, ⌊j / s⌋],   out.shape = (N, C, H·s, W·s)
 *
 * Backward: each input gradient is the sum of the output gradients of its s×s block (summed in
 * float64, rounded once). Both options are required, as in MXNet. `sampleType: 'bilinear'` is
 * rejected: in MXNet it is a deconvolution taking a weight as a second input, which this one-input
 * operator cannot express (use `nn.Conv2DTranspose` with `init.Bilinear` for it). MXNet's
 * several-input form (`num_args` > 1, concatenated or summed) is not provided.
 *
 * @example
 * nd.UpSampling(nd.array([[[[1, 2], [3, 4]]]]), { scale: 2, sampleType: 'nearest' }).toArray();
 * // [[[[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]]]
 */
export function UpSampling(data: NDArray, options: UpSamplingOpOptions): NDArray {
  const x = checkArray('UpSampling', 'data', data);
  const opts = checkOptions('UpSampling', options);
  const scale = checkScale(opts.scale);
  checkSampleType(opts.sampleType);
  if (x.ndim !== 4) {
    throw new GluonError(`UpSampling: expected data of rank 4 (N, C, H, W), but got shape ${formatShape(x.shape)}`);
  }
  const [n, c, h, w] = x.shape;
  const outShape = [n, c, h * scale, w * scale];
  checkShape(outShape, 'UpSampling');
  const out = new Float32Array(n * c * h * scale * w * scale);
  upsampleNearest(x.data, out, n * c, h, w, scale);
  return recordOp('UpSampling', new NDArray(out, outShape), [x], (dy) => {
    const dx = new Float32Array(x.size);
    sumBlocks(dy.data, dx, n * c, h, w, scale);
    return [new NDArray(dx, x.shape)];
  });
}
