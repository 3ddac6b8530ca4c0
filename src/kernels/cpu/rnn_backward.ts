/**
 * Back-propagation through time for rnn.ts's forward: from the gradients of the output
 * (T, N, D·H) and of the final states, the gradients of the data, the flat parameters and the
 * initial states. Walks the layers from the last, each direction backwards through its steps,
 * with the forward's recorded activations. Per step only the gate gradients and
 * dh_prev += dR · W_hh are computed; the weight gradients dW_ih = dAᵀ · X, dW_hh = dRᵀ · H_prev
 * and the data gradient dX = dA · W_ih are one GEMM each over all T·N rows once the steps are
 * done (single precision, as the forward; gate arithmetic in double).
 */
import { gemm } from './gemm';
import { lstmGatesInModule } from './rnn_wasm';
import { GATE_COUNT, RnnForward, RnnGeometry, Slot, Trace, rnnParamLayout, rows } from './rnn';

export interface RnnGradients {
  readonly data: Float32Array;
  readonly params: Float32Array;
  readonly hx: Float32Array;
  readonly cx: Float32Array;
}

/** The gradients; `dhy`/`dcy` may be undefined (no gradient on the final states). Reads, never writes, its arguments. */
export function rnnBackward(
  g: RnnGeometry, params: Float32Array, forward: RnnForward,
  dy: Float32Array, dhy: Float32Array | undefined, dcy: Float32Array | undefined,
): RnnGradients {
  const { slots, size } = rnnParamLayout(g);
  const { steps: T, batch: N, hidden: H, directions: D } = g;
  const dParams = new Float32Array(size);
  const dhx = new Float32Array(g.layers * D * N * H), dcx = new Float32Array(g.layers * D * N * H);
  let dOut = Float32Array.from(dy);
  let dInput = new Float32Array(0);
  for (let l = g.layers - 1; l >= 0; l--) {
    const mask = forward.masks[l];
    if (mask) for (let i = 0; i < dOut.length; i++) dOut[i] *= mask[i];
    dInput = new Float32Array(T * N * slots[l * D].inputs);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const final = { dh: dhy?.subarray(k * N * H, (k + 1) * N * H), dc: dcy?.subarray(k * N * H, (k + 1) * N * H) };
      const initial = backDirection(g, slots[k], params, forward.traces[k], d === 1, dOut, final, dInput, dParams);
      dhx.set(initial.dh, k * N * H);
      dcx.set(initial.dc, k * N * H);
    }
    dOut = dInput;
  }
  return { data: dInput, params: dParams, hx: dhx, cx: dcx };
}

/** One direction of one layer: adds to dInput and dP, returns the gradients of its initial states. */
function backDirection(
  g: RnnGeometry, slot: Slot, p: Float32Array, trace: Trace, reverse: boolean, dOut: Float32Array,
  final: { dh?: Float32Array; dc?: Float32Array }, dInput: Float32Array, dP: Float32Array,
): { dh: Float32Array; dc: Float32Array } {
  const { steps: T, batch: N, hidden: H, directions: D, mode } = g;
  const G = GATE_COUNT[mode] * H, I = slot.inputs;
  // Gradients of the step's projections onto the gates, input side (dA) and hidden side (dR), by time.
  const dA = new Float32Array(T * N * G);
  const dR = mode === 'gru' ? new Float32Array(T * N * G) : dA;
  let dh = Float32Array.from(final.dh ?? new Float32Array(N * H));
  const dc = Float32Array.from(final.dc ?? new Float32Array(N * H));
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    for (let n = 0; n < N; n++) {
      const from = (t * N + n) * D * H + (reverse ? H : 0);
      for (let j = 0; j < H; j++) dh[n * H + j] += dOut[from + j];
    }
    const dhPrev = new Float32Array(N * H);
    gateGradients(mode, trace, t, N, H, dh, dc, rows(dA, t, G, N), rows(dR, t, G, N), dhPrev);
    gemm(false, false, N, H, G, 1, dR, t * N * G, G, p, slot.wh, H, 1, dhPrev, 0, H);
    dh = dhPrev;
  }
  gemm(true, false, G, I, T * N, 1, dA, 0, G, trace.x, 0, I, 1, dP, slot.wi, I);
  gemm(true, false, G, H, T * N, 1, dR, 0, G, trace.hPrev, 0, H, 1, dP, slot.wh, H);
  gemm(false, false, T * N, I, G, 1, dA, 0, G, p, slot.wi, I, 1, dInput, 0, I);
  addColumnSums(dA, G, dP, slot.bi);
  addColumnSums(dR, G, dP, slot.bh);
  return { dh, dc };
}

/** target[at + j] += Σ_rows matrix[row, j], summed in double. */
function addColumnSums(matrix: Float32Array, width: number, target: Float32Array, at: number): void {
  const sums = new Float64Array(width);
  for (let row = 0; row < matrix.length; row += width) for (let j = 0; j < width; j++) sums[j] += matrix[row + j];
  for (let j = 0; j < width; j++) target[at + j] += sums[j];
}

/**
 * Time t's gate gradients into dA (input side) and dR (hidden side; the same array but for a
 * GRU), the part of the previous h's gradient that does not go through W_hh into dhPrev; `dc`
 * becomes the previous c's gradient. An LSTM's run on the kernel module where it is loaded
 * (rnn_wasm.ts).
 */
function gateGradients(
  mode: RnnGeometry['mode'], trace: Trace, t: number, N: number, H: number,
  dh: Float32Array, dc: Float32Array, dA: Float32Array, dR: Float32Array, dhPrev: Float32Array,
): void {
  const G = GATE_COUNT[mode] * H;
  const acts = rows(trace.acts, t, G, N);
  if (mode === 'lstm') {
    const c = rows(trace.c, t, H, N), cPrev = rows(trace.cPrev, t, H, N);
    if (lstmGatesInModule(acts, c, cPrev, dh, dc, N, H, dA)) return;
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < H; j++) {
        const o = n * H + j, at = n * G + j;
        const i = acts[at], f = acts[at + H], gg = acts[at + 2 * H], og = acts[at + 3 * H];
        const tc = Math.tanh(c[o]);
        const dcTotal = dc[o] + dh[o] * og * (1 - tc * tc);
        dA[at] = dcTotal * gg * i * (1 - i);
        dA[at + H] = dcTotal * cPrev[o] * f * (1 - f);
        dA[at + 2 * H] = dcTotal * i * (1 - gg * gg);
        dA[at + 3 * H] = dh[o] * tc * og * (1 - og);
        dc[o] = dcTotal * f;
      }
    }
  } else if (mode === 'gru') {
    const hPrev = rows(trace.hPrev, t, H, N), hn = rows(trace.hn, t, H, N);
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < H; j++) {
        const o = n * H + j, at = n * G + j;
        const rg = acts[at], z = acts[at + H], cand = acts[at + 2 * H];
        const dCand = dh[o] * (1 - z) * (1 - cand * cand);
        const dz = dh[o] * (hPrev[o] - cand) * z * (1 - z);
        const drg = dCand * hn[o] * rg * (1 - rg);
        dA[at] = dR[at] = drg;
        dA[at + H] = dR[at + H] = dz;
        dA[at + 2 * H] = dCand;
        dR[at + 2 * H] = dCand * rg;
        dhPrev[o] = dh[o] * z;
      }
    }
  } else {
    for (let o = 0; o < N * H; o++) {
      const y = acts[o];
      dA[o] = dh[o] * (mode === 'rnn_tanh' ? 1 - y * y : y > 0 ? 1 : 0);
    }
  }
}
