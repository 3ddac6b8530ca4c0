/**
 * MXNet's `L2Normalization` over lanes of an (outer, length, inner) view (see softmax.ts's
 * LaneView): every lane is divided by its norm `√(Σ x² + eps)`, accumulated in float64. The
 * backward recomputes the norm from x rather than keeping it, so it needs only x and dy. Both
 * read a lane before writing it, so the output may be an input.
 */
import type { LaneView } from './softmax';

/** √(Σ x² + eps) of the lane starting at `base`. */
function laneNorm(x: Float32Array, base: number, length: number, inner: number, eps: number): number {
  let sum = 0;
  for (let k = 0; k < length; k++) {
    const v = x[base + k * inner];
    sum += v * v;
  }
  return Math.sqrt(sum + eps);
}

/** `out = x / √(Σ_lane x² + eps)`. */
export function l2NormalizeForward(x: Float32Array, out: Float32Array, { outer, length, inner }: LaneView, eps: number): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * length * inner + j;
      const norm = laneNorm(x, base, length, inner, eps);
      for (let k = 0; k < length; k++) out[base + k * inner] = x[base + k * inner] / norm;
    }
  }
}

/** With n the lane's norm and y = x/n: `dx = (dy − y·Σ_lane dy·y) / n`, the exact gradient (eps included). */
export function l2NormalizeBackward(x: Float32Array, dy: Float32Array, dx: Float32Array, { outer, length, inner }: LaneView, eps: number): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * length * inner + j;
      const norm = laneNorm(x, base, length, inner, eps);
      let dot = 0;
      for (let k = 0; k < length; k++) dot += dy[base + k * inner] * x[base + k * inner];
      dot /= norm;
      for (let k = 0; k < length; k++) {
        const at = base + k * inner;
        dx[at] = (dy[at] - (x[at] / norm) * dot) / norm;
      }
    }
  }
}
