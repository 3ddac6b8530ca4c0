/**
 * The gate arithmetic of the LSTM (forward and backward), the GRU and the tanh RNN (forward) on
 * the kernel module (`simd/rnn_simd.c`): one step's gates, with the same float64 formulas as
 * rnn.ts's and rnn_backward.ts's loops (the other backwards have no transcendental functions and
 * stay there), the batch
 * rows split across the thread pool. The step's arrays are copied into the arena and the results
 * out. The module's exp and tanh are its own polynomials (simd/activation_math.h), so a value can
 * differ from the JavaScript loop's in its last float32 bit, rarely (none of 9.4 M activation
 * inputs tried did). Each returns false, having done nothing, when the module is off or the
 * arrays do not fit the arena; the caller then runs its JavaScript loop.
 */
import { arenaLayout } from './gemm_wasm';
import { gemmSimd } from './simd/gemm_simd';
import { runParts, threadRanges } from './threads/pool';

/** A transcendental-heavy cell costs about as much as copying 40 floats: worth splitting from a small batch. */
const CELL_WEIGHT = 40;

/**
 * One LSTM step for N rows of H cells: a, r (N, 4H) pre-activations, c (N, H) the cell state;
 * writes acts (N, 4H), next (N, H) and h (N, H).
 */
export function lstmStepInModule(
  a: Float32Array, r: Float32Array, c: Float32Array, N: number, H: number, acts: Float32Array, next: Float32Array, h: Float32Array,
): boolean {
  return stepInModule('lstm_step', [a, r, c], [acts, next, h], N, H);
}

/**
 * One GRU step for N rows of H cells: a, r (N, 3H) projections, h (N, H) the state; writes acts
 * (N, 3H), hn (N, H, the hidden side's n projection) and next (N, H).
 */
export function gruStepInModule(
  a: Float32Array, r: Float32Array, h: Float32Array, N: number, H: number, acts: Float32Array, hn: Float32Array, next: Float32Array,
): boolean {
  return stepInModule('gru_step', [a, r, h], [acts, hn, next], N, H);
}

/** One tanh RNN step for N rows of H: a, r (N, H) projections; writes acts and next = tanh(a + r) (N, H). */
export function rnnTanhStepInModule(a: Float32Array, r: Float32Array, N: number, H: number, acts: Float32Array, next: Float32Array): boolean {
  return stepInModule('rnn_tanh_step', [a, r], [acts, next], N, H);
}

/**
 * One LSTM backward step for N rows of H cells: acts (N, 4H), c and cPrev (N, H) from the
 * forward, dh (N, H) the gradient of h'; writes the gate gradients dGates (N, 4H) and turns dc
 * (N, H, the gradient of c') into c's.
 */
export function lstmGatesInModule(
  acts: Float32Array, c: Float32Array, cPrev: Float32Array, dh: Float32Array, dc: Float32Array, N: number, H: number, dGates: Float32Array,
): boolean {
  return stepInModule('lstm_gate_gradients', [acts, c, cPrev, dh, dc], [dc, dGates], N, H);
}

/**
 * Copies `inputs` into the arena, runs `fn(...regions, H, begin, end)` over the N rows split
 * across the pool — the regions being the inputs' and then those of the outputs that are not
 * inputs — and copies `outputs` back.
 */
function stepInModule(fn: string, inputs: readonly Float32Array[], outputs: readonly Float32Array[], N: number, H: number): boolean {
  const arrays = [...inputs, ...outputs.filter((x) => !inputs.includes(x))];
  const simd = gemmSimd();
  const at = simd && arenaLayout(simd, arrays.map((x) => x.length));
  if (simd === undefined || at === undefined) return false;
  const floats = simd.memory.floats();
  inputs.forEach((x, i) => floats.set(x, at[i]));
  const addresses = at.map((p) => p * 4);
  runParts(simd.pool, fn, threadRanges(N, N * H * CELL_WEIGHT).map(([begin, end]) => [...addresses, H, begin, end]));
  for (const x of outputs) {
    const from = at[arrays.indexOf(x)];
    x.set(floats.subarray(from, from + x.length));
  }
  return true;
}
