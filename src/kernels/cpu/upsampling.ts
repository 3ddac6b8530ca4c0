/**
 * Nearest-neighbour upsampling by an integer factor and its adjoint, the sum of each s×s block
 * (MXNet's `UpSampling` with sample_type 'nearest', `src/operator/nn/upsampling-inl.h`), on
 * row-major (h, w) planes:
 *
 *     up:   dst[i, j] (+)= src[⌊i/s⌋, ⌊j/s⌋],   dst plane (h·s, w·s)
 *     down: dx[i, j] = Σ_{a, b < s} dy[i·s + a, j·s + b]   (float64, rounded once)
 */
import { checkArrays, checkInt } from './check_args';
import { upsampleInKernelMemory } from './elementwise_wasm';

/** `planes` consecutive (h, w) planes upsampled by `scale` into as many (h·scale, w·scale) planes. */
export interface UpsampleGeometry {
  readonly planes: number;
  readonly height: number;
  readonly width: number;
  readonly scale: number;
}

function checkGeometry(name: string, g: UpsampleGeometry): { inCount: number; outCount: number } {
  checkInt(name, 'planes', g.planes, 0);
  checkInt(name, 'height', g.height, 0);
  checkInt(name, 'width', g.width, 0);
  checkInt(name, 'scale', g.scale, 1);
  const inCount = g.planes * g.height * g.width;
  return { inCount, outCount: inCount * g.scale * g.scale };
}

/**
 * Writes (or, with `accumulate`, adds) the nearest-neighbour upsampling of `src`'s planes into
 * `dst`'s (MXNet's multi_input_mode 'sum' adds the inputs). Where both lie in the kernel memory
 * (a cached graph's intermediates), the kernel module writes it, split across threads.
 *
 * @example
 * // src = [[1, 2]] (h 1, w 2), scale 2 → dst = [[1, 1, 2, 2], [1, 1, 2, 2]]
 * upsampleNearest({ planes: 1, height: 1, width: 2, scale: 2 }, src, 0, dst, 0, false);
 */
export function upsampleNearest(
  g: UpsampleGeometry, src: Float32Array, srcOffset: number, dst: Float32Array, dstOffset: number, accumulate: boolean,
): void {
  const { inCount, outCount } = checkGeometry('upsampleNearest', g);
  checkArrays('upsampleNearest', [['src', src, srcOffset, inCount]], ['dst', dst, dstOffset, outCount]);
  if (!accumulate && upsampleInKernelMemory(g, src, srcOffset, dst, dstOffset)) return;
  const { width: w, scale: s } = g;
  const ow = w * s;
  let o = dstOffset;
  for (let row = 0; row < g.planes * g.height; row++) {
    const rowStart = o;
    const inRow = srcOffset + row * w;
    for (let a = 0; a < s; a++) {
      if (!accumulate && a > 0) {
        // The other s − 1 output rows of this input row are copies of the first.
        dst.copyWithin(o, rowStart, rowStart + ow);
        o += ow;
        continue;
      }
      for (let j = 0; j < w; j++) {
        const value = src[inRow + j];
        if (accumulate) for (let b = 0; b < s; b++) dst[o++] += value;
        else for (let b = 0; b < s; b++) dst[o++] = value;
      }
    }
  }
}

/**
 * The adjoint of `upsampleNearest`: each (h, w) value of `dx` is the float64 sum of its s×s
 * block of `dy` (an (h·s, w·s) plane). dx is overwritten.
 *
 * @example
 * // dy = [[1, 2, 3, 4], [5, 6, 7, 8]], scale 2 → dx = [[14, 22]]
 * sumBlocks({ planes: 1, height: 1, width: 2, scale: 2 }, dy, 0, dx, 0);
 */
export function sumBlocks(g: UpsampleGeometry, dy: Float32Array, dyOffset: number, dx: Float32Array, dxOffset: number): void {
  const { inCount, outCount } = checkGeometry('sumBlocks', g);
  checkArrays('sumBlocks', [['dy', dy, dyOffset, outCount]], ['dx', dx, dxOffset, inCount]);
  const { width: w, scale: s } = g;
  const acc = new Float64Array(w);
  let o = dyOffset;
  for (let row = 0; row < g.planes * g.height; row++) {
    acc.fill(0);
    for (let a = 0; a < s; a++) {
      for (let j = 0; j < w; j++) {
        for (let b = 0; b < s; b++) acc[j] += dy[o++];
      }
    }
    dx.set(acc, dxOffset + row * w);
  }
}
