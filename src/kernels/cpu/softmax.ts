/**
 * Softmax and log-softmax over lanes, and their backward. The data is viewed as (outer, length,
 * inner): a lane is `length` values `inner` apart, and there are outer·inner lanes (softmax along
 * one axis, MXNet's SoftmaxActivation and SoftmaxOutput views). Each lane is computed in float64
 * after subtracting its maximum, so inputs like 1e4 neither overflow nor lose the differences
 * between values; a NaN in a lane makes the whole lane NaN. Every loop reads a lane before it
 * writes it, so the output may be the input itself.
 */

/** The lanes of a row-major array: lane (o, j) holds the elements o·length·inner + j + k·inner, k < length. */
export interface LaneView {
  readonly outer: number;
  readonly length: number;
  readonly inner: number;
}

/**
 * `out = softmax(x / temperature)` (or its logarithm, computed without taking the log of a
 * rounded probability) along every lane. `lengths`, when given, holds one valid length per lane
 * (in lane order, o·inner + j): the lane's first `lengths[lane]` values are normalized and the
 * rest set to 0 (MXNet's `use_length`); the caller checked that each is an integer in [0, length].
 */
export function softmaxForward(
  x: Float32Array, out: Float32Array, { outer, length, inner }: LaneView, temperature: number, log: boolean, lengths?: Float32Array,
): void {
  const exps = new Float64Array(length);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * length * inner + j;
      const valid = lengths === undefined ? length : lengths[o * inner + j];
      let max = -Infinity;
      for (let k = 0; k < valid; k++) {
        const v = x[base + k * inner] / temperature;
        if (v > max || v !== v) max = v;
      }
      let total = 0;
      for (let k = 0; k < valid; k++) total += exps[k] = Math.exp(x[base + k * inner] / temperature - max);
      const logTotal = Math.log(total);
      for (let k = 0; k < valid; k++) {
        const at = base + k * inner;
        out[at] = log ? x[at] / temperature - max - logTotal : exps[k] / total;
      }
      for (let k = valid; k < length; k++) out[base + k * inner] = 0;
    }
  }
}

/**
 * The backward of `softmaxForward` from its output y: softmax `dx = y·(dy − Σ dy·y) / T`,
 * log-softmax `dx = (dy − e^y·Σ dy) / T`, the sums over each lane in float64. Masked positions
 * (y = 0 of a softmax with lengths) get 0 without being told the lengths.
 */
export function softmaxBackward(
  dy: Float32Array, y: Float32Array, dx: Float32Array, { outer, length, inner }: LaneView, temperature: number, log: boolean,
): void {
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      const base = o * length * inner + j;
      let sum = 0;
      for (let k = 0; k < length; k++) {
        const at = base + k * inner;
        sum += log ? dy[at] : dy[at] * y[at];
      }
      for (let k = 0; k < length; k++) {
        const at = base + k * inner;
        dx[at] = (log ? dy[at] - Math.exp(y[at]) * sum : y[at] * (dy[at] - sum)) / temperature;
      }
    }
  }
}
