/**
 * MXNet's fused recurrent operator `RNN` on the CPU: multi-layer, optionally bidirectional
 * RNN (relu/tanh), LSTM and GRU over a whole sequence; its backward (back-propagation through
 * time) is rnn_backward.ts. Layouts as MXNet's: data (T, N, C); the parameters one flat vector,
 * every weight first — per layer, per direction, i2h then h2h, each (G·H, inputs) row-major —
 * then every bias in the same order; states (L·D, N, H). Gate orders: LSTM i, f, g, o; GRU r, z, n.
 *
 * As MXNet's CPU kernel (rnn_impl.h), the matrix products are single-precision GEMMs (gemm.ts:
 * SIMD and threaded where available): the input projection of a whole layer,
 * X (T·N, I) · W_ihᵀ, is one product, and each step adds h (N, H) · W_hhᵀ. The gate functions
 * are evaluated in double precision and stored as float32 (on the kernel module where it is
 * loaded, rnn_wasm.ts), so the fused layer agrees with the cells unrolled step by step
 * (gluon/rnn) to float32 rounding.
 */
import { gemm } from './gemm';
import { gruStepInModule, lstmStepInModule, rnnTanhStepInModule } from './rnn_wasm';

export type RnnMode = 'rnn_relu' | 'rnn_tanh' | 'lstm' | 'gru';

export interface RnnGeometry {
  readonly mode: RnnMode;
  readonly steps: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hidden: number;
  readonly layers: number;
  readonly directions: number;
}

export const GATE_COUNT: Record<RnnMode, number> = { rnn_relu: 1, rnn_tanh: 1, lstm: 4, gru: 3 };

/** Where one (layer, direction)'s weights and biases start in the flat parameters. */
export interface Slot { inputs: number; wi: number; wh: number; bi: number; bh: number }

/** The slots of every (layer, direction), index layer·D + d, and the parameter count. */
export function rnnParamLayout(g: RnnGeometry): { slots: Slot[]; size: number } {
  const G = GATE_COUNT[g.mode] * g.hidden;
  const slots: Slot[] = [];
  let at = 0;
  for (let l = 0; l < g.layers; l++) {
    const inputs = l === 0 ? g.inputSize : g.hidden * g.directions;
    for (let d = 0; d < g.directions; d++) {
      slots.push({ inputs, wi: at, wh: at + G * inputs, bi: 0, bh: 0 });
      at += G * (inputs + g.hidden);
    }
  }
  for (const slot of slots) {
    slot.bi = at;
    slot.bh = at + G;
    at += 2 * G;
  }
  return { slots, size: at };
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/**
 * What the backward needs from one (layer, direction), every array indexed by time t (not by
 * step: a reverse direction walks t from T − 1 down), rows of N:
 * the layer's input (T·N, I), the h each step started from (T·N, H), the gate activations
 * (T·N, G), for an LSTM the cell state before and after each step, for a GRU h's projection
 * onto the candidate gate W_hn·h + b_hn (T·N, H).
 */
export interface Trace {
  readonly x: Float32Array;
  readonly hPrev: Float32Array;
  readonly acts: Float32Array;
  readonly cPrev: Float32Array;
  readonly c: Float32Array;
  readonly hn: Float32Array;
}

/** Everything a forward computes: output (T, N, D·H), final states, the traces. */
export interface RnnForward {
  readonly output: Float32Array;
  readonly hy: Float32Array;
  readonly cy: Float32Array;
  readonly traces: Trace[];
  /** Dropout masks (already scaled by 1/(1 − p)) applied to each layer's output but the last. */
  readonly masks: (Float64Array | undefined)[];
}

/**
 * Runs the layers. `dropoutMask(size)` gives a layer's mask (scaled), or undefined for none.
 * Reads, never writes, the given arrays.
 *
 * @example rnnForward(geometry, data, params, hx, cx, () => undefined).output
 */
export function rnnForward(
  g: RnnGeometry, data: Float32Array, params: Float32Array, hx: Float32Array, cx: Float32Array | undefined,
  dropoutMask: (size: number) => Float64Array | undefined,
): RnnForward {
  const { slots } = rnnParamLayout(g);
  const { steps: T, batch: N, hidden: H, directions: D } = g;
  let input = data;
  const hy = new Float32Array(g.layers * D * N * H), cy = new Float32Array(g.layers * D * N * H);
  const traces: Trace[] = [];
  const masks: (Float64Array | undefined)[] = [];
  for (let l = 0; l < g.layers; l++) {
    const out = new Float32Array(T * N * D * H);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const h0 = hx.subarray(k * N * H, (k + 1) * N * H);
      const c0 = cx?.subarray(k * N * H, (k + 1) * N * H);
      const run = runDirection(g, slots[k], params, input, d === 1, h0, c0, out);
      hy.set(run.h, k * N * H);
      cy.set(run.c, k * N * H);
      traces.push(run.trace);
    }
    const mask = l < g.layers - 1 ? dropoutMask(out.length) : undefined;
    masks.push(mask);
    if (mask) for (let i = 0; i < out.length; i++) out[i] *= mask[i];
    input = out;
  }
  return { output: input, hy, cy, traces, masks };
}

/** Time t's block of N rows of `width` floats (the traces are indexed by time). */
export const rows = (array: Float32Array, t: number, width: number, N: number) => array.subarray(t * N * width, (t + 1) * N * width);

/** One direction of one layer; writes its H columns of `out` (T, N, D·H). */
function runDirection(
  g: RnnGeometry, slot: Slot, p: Float32Array, x: Float32Array, reverse: boolean,
  h0: Float32Array, c0: Float32Array | undefined, out: Float32Array,
): { h: Float32Array; c: Float32Array; trace: Trace } {
  const { steps: T, batch: N, hidden: H, directions: D, mode } = g;
  const G = GATE_COUNT[mode] * H, I = slot.inputs;
  // The input side of every step at once: A = X · W_ihᵀ + b_ih, (T·N, G).
  const a = new Float32Array(T * N * G);
  gemm(false, true, T * N, G, I, 1, x, 0, I, p, slot.wi, I, 0, a, 0, G);
  addBias(a, p, slot.bi, G);
  const trace: Trace = {
    x, hPrev: new Float32Array(T * N * H), acts: new Float32Array(T * N * G),
    cPrev: new Float32Array(mode === 'lstm' ? T * N * H : 0), c: new Float32Array(mode === 'lstm' ? T * N * H : 0),
    hn: new Float32Array(mode === 'gru' ? T * N * H : 0),
  };
  let h = h0, c = c0 ?? new Float32Array(N * H);
  const r = new Float32Array(N * G);
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    // The hidden side: r = h · W_hhᵀ + b_hh, (N, G).
    for (let n = 0; n < N; n++) r.set(p.subarray(slot.bh, slot.bh + G), n * G);
    gemm(false, true, N, G, H, 1, h, 0, H, p, slot.wh, H, 1, r, 0, G);
    rows(trace.hPrev, t, H, N).set(h);
    const nextH = new Float32Array(N * H);
    if (mode === 'lstm') {
      rows(trace.cPrev, t, H, N).set(c);
      c = lstmStep(rows(a, t, G, N), r, c, N, H, rows(trace.acts, t, G, N), nextH);
      rows(trace.c, t, H, N).set(c);
    } else if (mode === 'gru') {
      gruStep(rows(a, t, G, N), r, h, N, H, rows(trace.acts, t, G, N), rows(trace.hn, t, H, N), nextH);
    } else {
      simpleStep(mode, rows(a, t, G, N), r, N, H, rows(trace.acts, t, G, N), nextH);
    }
    h = nextH;
    for (let n = 0; n < N; n++) out.set(h.subarray(n * H, (n + 1) * H), (t * N + n) * D * H + (reverse ? H : 0));
  }
  return { h, c, trace };
}

/** Adds bias[at … at + width) to every row of `matrix` (rows of `width`). */
function addBias(matrix: Float32Array, bias: Float32Array, at: number, width: number): void {
  for (let row = 0; row < matrix.length; row += width) for (let j = 0; j < width; j++) matrix[row + j] += bias[at + j];
}

/**
 * LSTM: i, f, g, o = σ, σ, tanh, σ of a + r; c' = f·c + i·g; h' = o·tanh(c'). Returns c'. On the
 * kernel module where it is loaded (rnn_wasm.ts), else this loop.
 */
function lstmStep(a: Float32Array, r: Float32Array, c: Float32Array, N: number, H: number, acts: Float32Array, h: Float32Array): Float32Array {
  const G = 4 * H;
  const next = new Float32Array(N * H);
  if (lstmStepInModule(a, r, c, N, H, acts, next, h)) return next;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      const at = n * G + j, o = n * H + j;
      const i = sigmoid(a[at] + r[at]), f = sigmoid(a[at + H] + r[at + H]);
      const gg = Math.tanh(a[at + 2 * H] + r[at + 2 * H]), og = sigmoid(a[at + 3 * H] + r[at + 3 * H]);
      acts[at] = i;
      acts[at + H] = f;
      acts[at + 2 * H] = gg;
      acts[at + 3 * H] = og;
      next[o] = f * c[o] + i * gg;
      h[o] = og * Math.tanh(next[o]);
    }
  }
  return next;
}

/** GRU: r, z = σ(a + r); n = tanh(a_n + r·(W_hn·h + b_hn)); h' = (1 − z)·n + z·h. On the kernel module where it is loaded. */
function gruStep(a: Float32Array, r: Float32Array, h: Float32Array, N: number, H: number, acts: Float32Array, hn: Float32Array, next: Float32Array): void {
  const G = 3 * H;
  if (gruStepInModule(a, r, h, N, H, acts, hn, next)) return;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      const at = n * G + j, o = n * H + j;
      const rg = sigmoid(a[at] + r[at]), z = sigmoid(a[at + H] + r[at + H]);
      const cand = Math.tanh(a[at + 2 * H] + rg * r[at + 2 * H]);
      acts[at] = rg;
      acts[at + H] = z;
      acts[at + 2 * H] = cand;
      hn[o] = r[at + 2 * H];
      next[o] = (1 - z) * cand + z * h[o];
    }
  }
}

/** Plain RNN: h' = relu(a + r) or tanh(a + r) (tanh on the kernel module where it is loaded). */
function simpleStep(mode: RnnMode, a: Float32Array, r: Float32Array, N: number, H: number, acts: Float32Array, next: Float32Array): void {
  if (mode === 'rnn_tanh' && rnnTanhStepInModule(a, r, N, H, acts, next)) return;
  for (let i = 0; i < N * H; i++) {
    const v = a[i] + r[i];
    next[i] = mode === 'rnn_relu' ? Math.max(v, 0) : Math.tanh(v);
    acts[i] = next[i];
  }
}
