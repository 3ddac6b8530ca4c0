/**
 * The gate arithmetic of the LSTM (forward and backward) and the GRU (forward) on the kernel
 * module (`simd/rnn_simd.c`): one step's gates, with the same float64 formulas as rnn.ts's and
 * rnn_backward.ts's loops (a GRU's backward has no transcendental functions and stays there), the batch
 * rows split across the thread pool. The step's arrays are copied into the arena and the results
 * out. The module's exp and tanh are its own polynomials (simd/activation_math.h), so a value can
 * differ from the JavaScript loop's in its last float32 bit, rarely (none of 9.4 M activation
 * inputs tried did). Each returns false, having done nothing, when the module is off or the
 * arrays do not fit the arena; the caller then runs its JavaScript loop.
 */
import { threadRanges } from './elementwise_wasm';
import { arenaLayout } from './gemm_wasm';
import { GemmSimd, gemmSimd } from './simd/gemm_simd';
import { runParts } from './threads/pool';

/** A transcendental-heavy cell costs about as much as copying 40 floats: worth splitting from a small batch. */
const CELL_WEIGHT = 40;

/**
 * One LSTM step for N rows of H cells: a, r (N, 4H) pre-activations, c (N, H) the cell state;
 * writes acts (N, 4H), next (N, H) and h (N, H).
 */
export function lstmStepInModule(
  a: Float32Array, r: Float32Array, c: Float32Array, N: number, H: number, acts: Float32Array, next: Float32Array, h: Float32Array,
): boolean {
  const staged = stage([a, r, c], [acts.length, next.length, h.length]);
  if (staged === undefined) return false;
  const { simd, at } = staged;
  run(simd, 'lstm_step', N, H, (begin, end) => [...at.map((p) => p * 4), H, begin, end]);
  unstage(simd, at.slice(3), [acts, next, h]);
  return true;
}

/**
 * One GRU step for N rows of H cells: a, r (N, 3H) projections, h (N, H) the state; writes acts
 * (N, 3H), hn (N, H, the hidden side's n projection) and next (N, H).
 */
export function gruStepInModule(
  a: Float32Array, r: Float32Array, h: Float32Array, N: number, H: number, acts: Float32Array, hn: Float32Array, next: Float32Array,
): boolean {
  const staged = stage([a, r, h], [acts.length, hn.length, next.length]);
  if (staged === undefined) return false;
  const { simd, at } = staged;
  run(simd, 'gru_step', N, H, (begin, end) => [...at.map((p) => p * 4), H, begin, end]);
  unstage(simd, at.slice(3), [acts, hn, next]);
  return true;
}

/**
 * One LSTM backward step for N rows of H cells: acts (N, 4H), c and cPrev (N, H) from the
 * forward, dh (N, H) the gradient of h'; writes the gate gradients dGates (N, 4H) and turns dc
 * (N, H, the gradient of c') into c's.
 */
export function lstmGatesInModule(
  acts: Float32Array, c: Float32Array, cPrev: Float32Array, dh: Float32Array, dc: Float32Array, N: number, H: number, dGates: Float32Array,
): boolean {
  const staged = stage([acts, c, cPrev, dh, dc], [dGates.length]);
  if (staged === undefined) return false;
  const { simd, at } = staged;
  run(simd, 'lstm_gate_gradients', N, H, (begin, end) => [...at.map((p) => p * 4), H, begin, end]);
  unstage(simd, [at[4], at[5]], [dc, dGates]);
  return true;
}

/** Lays out the inputs (copied in) and `outputs` more regions; float indices of all of them. */
function stage(inputs: readonly Float32Array[], outputs: readonly number[]): { simd: GemmSimd; at: number[] } | undefined {
  const simd = gemmSimd();
  const at = simd && arenaLayout(simd, [...inputs.map((x) => x.length), ...outputs]);
  if (simd === undefined || at === undefined) return undefined;
  const floats = simd.memory.floats();
  inputs.forEach((x, i) => floats.set(x, at[i]));
  return { simd, at };
}

function unstage(simd: GemmSimd, at: readonly number[], targets: readonly Float32Array[]): void {
  const floats = simd.memory.floats();
  targets.forEach((target, i) => target.set(floats.subarray(at[i], at[i] + target.length)));
}

function run(simd: GemmSimd, fn: string, N: number, H: number, args: (begin: number, end: number) => number[]): void {
  runParts(simd.pool, fn, threadRanges(N, N * H * CELL_WEIGHT).map(([begin, end]) => args(begin, end)));
}
