/**
 * Back-propagation through time for rnn.ts's forward: from the gradients of the output
 * (T, N, D·H) and of the final states, the gradients of the data, the flat parameters and the
 * initial states. Walks the layers from the last, each direction backwards through its steps,
 * with the forward's recorded activations. Float64 throughout.
 */
import { GATE_COUNT, RnnForward, RnnGeometry, rnnParamLayout } from './rnn';

export interface RnnGradients {
  readonly data: Float64Array;
  readonly params: Float64Array;
  readonly hx: Float64Array;
  readonly cx: Float64Array;
}

/** The gradients; `dhy`/`dcy` may be undefined (no gradient on the final states). */
export function rnnBackward(
  g: RnnGeometry, params: ArrayLike<number>, forward: RnnForward,
  dy: ArrayLike<number>, dhy: ArrayLike<number> | undefined, dcy: ArrayLike<number> | undefined,
): RnnGradients {
  const { slots, size } = rnnParamLayout(g);
  const { steps: T, batch: N, hidden: H, directions: D } = g;
  const dParams = new Float64Array(size);
  const dhx = new Float64Array(g.layers * D * N * H), dcx = new Float64Array(g.layers * D * N * H);
  let dOut = Float64Array.from(dy);
  let dInput = new Float64Array(0);
  for (let l = g.layers - 1; l >= 0; l--) {
    const mask = forward.masks[l];
    if (mask) for (let i = 0; i < dOut.length; i++) dOut[i] *= mask[i];
    const I = slots[l * D].inputs;
    dInput = new Float64Array(T * N * I);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      backDirection(g, slots[k], params, forward.traces[k], d === 1, dOut, dhy, dcy, k, dInput, dParams, dhx, dcx);
    }
    dOut = dInput;
  }
  return { data: dInput, params: dParams, hx: dhx, cx: dcx };
}

interface SlotLike { inputs: number; wi: number; wh: number; bi: number; bh: number }

function backDirection(
  g: RnnGeometry, slot: SlotLike, p: ArrayLike<number>, trace: RnnForward['traces'][number], reverse: boolean,
  dOut: Float64Array, dhy: ArrayLike<number> | undefined, dcy: ArrayLike<number> | undefined, k: number,
  dInput: Float64Array, dP: Float64Array, dhx: Float64Array, dcx: Float64Array,
): void {
  const { steps: T, batch: N, hidden: H, directions: D, mode } = g;
  const G = GATE_COUNT[mode] * H, I = slot.inputs;
  const dh = Float64Array.from({ length: N * H }, (_, i) => dhy?.[k * N * H + i] ?? 0);
  const dc = Float64Array.from({ length: N * H }, (_, i) => dcy?.[k * N * H + i] ?? 0);
  // Steps in the forward's order s = 0 … T − 1 are walked backwards.
  for (let s = T - 1; s >= 0; s--) {
    const t = reverse ? T - 1 - s : s;
    for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) dh[n * H + j] += dOut[(t * N + n) * D * H + (reverse ? H : 0) + j];
    const { da, dr, dhDirect } = gateGradients(mode, trace, s, dh, dc, N, H);
    const x = trace.x[s], hPrev = trace.hPrev[s];
    const dhPrev = dhDirect;
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < G; j++) {
        const ga = da[n * G + j], gr = dr[n * G + j];
        dP[slot.bi + j] += ga;
        dP[slot.bh + j] += gr;
        for (let q = 0; q < I; q++) {
          dP[slot.wi + j * I + q] += ga * x[n * I + q];
          dInput[(t * N + n) * I + q] += ga * p[slot.wi + j * I + q];
        }
        for (let q = 0; q < H; q++) {
          dP[slot.wh + j * H + q] += gr * hPrev[n * H + q];
          dhPrev[n * H + q] += gr * p[slot.wh + j * H + q];
        }
      }
    }
    dh.set(dhPrev);
  }
  dhx.set(dh, k * N * H);
  if (mode === 'lstm') dcx.set(dc, k * N * H);
}

/**
 * The gradients of the step's projections a (input side) and r (hidden side), and the part of
 * the previous h's gradient that does not go through W_hh; `dc` is updated to the previous c's.
 */
function gateGradients(mode: RnnGeometry['mode'], trace: RnnForward['traces'][number], s: number, dh: Float64Array, dc: Float64Array, N: number, H: number) {
  const G = GATE_COUNT[mode] * H;
  const acts = trace.acts[s];
  const da = new Float64Array(N * G), dr = new Float64Array(N * G);
  const dhDirect = new Float64Array(N * H);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      const o = n * H + j, at = n * G;
      if (mode === 'lstm') {
        const [i, f, gg, og] = [acts[at + j], acts[at + H + j], acts[at + 2 * H + j], acts[at + 3 * H + j]];
        const tc = Math.tanh(trace.c[s][o]);
        const dcTotal = dc[o] + dh[o] * og * (1 - tc * tc);
        const pre = [dcTotal * gg * i * (1 - i), dcTotal * trace.cPrev[s][o] * f * (1 - f), dcTotal * i * (1 - gg * gg), dh[o] * tc * og * (1 - og)];
        pre.forEach((v, q) => { da[at + q * H + j] = v; dr[at + q * H + j] = v; });
        dc[o] = dcTotal * f;
      } else if (mode === 'gru') {
        const [rg, z, cand] = [acts[at + j], acts[at + H + j], acts[at + 2 * H + j]];
        const dCand = dh[o] * (1 - z) * (1 - cand * cand);
        const dz = dh[o] * (trace.hPrev[s][o] - cand) * z * (1 - z);
        const drg = dCand * trace.r2[s][o] * rg * (1 - rg);
        [da[at + j], da[at + H + j], da[at + 2 * H + j]] = [drg, dz, dCand];
        [dr[at + j], dr[at + H + j], dr[at + 2 * H + j]] = [drg, dz, dCand * rg];
        dhDirect[o] = dh[o] * z;
      } else {
        const y = acts[at + j];
        const v = dh[o] * (mode === 'rnn_tanh' ? 1 - y * y : y > 0 ? 1 : 0);
        da[at + j] = v;
        dr[at + j] = v;
      }
    }
  }
  return { da, dr, dhDirect };
}
