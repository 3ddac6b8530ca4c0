/**
 * MXNet's fused recurrent operator `RNN` on the CPU: multi-layer, optionally bidirectional
 * RNN (relu/tanh), LSTM and GRU over a whole sequence, and its backward (back-propagation
 * through time). Layouts as MXNet's: data (T, N, C); the parameters one flat vector, every
 * weight first — per layer, per direction, i2h then h2h, each (G·H, inputs) row-major — then
 * every bias in the same order; states (L·D, N, H). Gate orders: LSTM i, f, g, o; GRU r, z, n.
 * Arithmetic in float64, each output rounded once.
 */

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
interface Slot { inputs: number; wi: number; wh: number; bi: number; bh: number }

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

/** What the backward needs from the forward of one (layer, direction): per step, inputs and activations. */
interface Trace { x: Float64Array[]; hPrev: Float64Array[]; cPrev: Float64Array[]; acts: Float64Array[]; c: Float64Array[]; r2: Float64Array[] }

/** Everything a forward computes: output (T, N, D·H), final states, the layer inputs and traces. */
export interface RnnForward {
  readonly output: Float64Array;
  readonly hy: Float64Array;
  readonly cy: Float64Array;
  readonly traces: Trace[];
  /** Dropout masks (already scaled by 1/(1 − p)) applied to each layer's output but the last. */
  readonly masks: (Float64Array | undefined)[];
}

/**
 * Runs the layers. `dropoutMask(size)` gives a layer's mask (scaled), or undefined for none.
 *
 * @example rnnForward(geometry, data, params, hx, cx, () => undefined).output
 */
export function rnnForward(
  g: RnnGeometry, data: ArrayLike<number>, params: ArrayLike<number>, hx: ArrayLike<number>, cx: ArrayLike<number> | undefined,
  dropoutMask: (size: number) => Float64Array | undefined,
): RnnForward {
  const { slots } = rnnParamLayout(g);
  const { steps: T, batch: N, hidden: H, directions: D } = g;
  let input = Float64Array.from(data);
  const hy = new Float64Array(g.layers * D * N * H), cy = new Float64Array(g.layers * D * N * H);
  const traces: Trace[] = [];
  const masks: (Float64Array | undefined)[] = [];
  for (let l = 0; l < g.layers; l++) {
    const out = new Float64Array(T * N * D * H);
    for (let d = 0; d < D; d++) {
      const k = l * D + d;
      const trace = runDirection(g, slots[k], params, input, d === 1, hx, cx, k, out);
      hy.set(trace.h, k * N * H);
      if (trace.c) cy.set(trace.c, k * N * H);
      traces.push(trace.trace);
    }
    const mask = l < g.layers - 1 ? dropoutMask(out.length) : undefined;
    masks.push(mask);
    if (mask) for (let i = 0; i < out.length; i++) out[i] *= mask[i];
    input = out;
  }
  return { output: input, hy, cy, traces, masks };
}

/** One direction of one layer; writes its H columns of `out` (T, N, D·H). */
function runDirection(
  g: RnnGeometry, slot: Slot, p: ArrayLike<number>, input: Float64Array, reverse: boolean,
  hx: ArrayLike<number>, cx: ArrayLike<number> | undefined, k: number, out: Float64Array,
): { h: Float64Array; c: Float64Array | undefined; trace: Trace } {
  const { steps: T, batch: N, hidden: H, directions: D, mode } = g;
  const G = GATE_COUNT[mode] * H, I = slot.inputs;
  let h = Float64Array.from({ length: N * H }, (_, i) => hx[k * N * H + i]);
  let c = mode === 'lstm' ? Float64Array.from({ length: N * H }, (_, i) => (cx as ArrayLike<number>)[k * N * H + i]) : undefined;
  const trace: Trace = { x: [], hPrev: [], cPrev: [], acts: [], c: [], r2: [] };
  for (let s = 0; s < T; s++) {
    const t = reverse ? T - 1 - s : s;
    const x = input.subarray(t * N * I, (t + 1) * N * I);
    const a = new Float64Array(N * G), r = new Float64Array(N * G);
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < G; j++) {
        let si = p[slot.bi + j], sh = p[slot.bh + j];
        for (let q = 0; q < I; q++) si += p[slot.wi + j * I + q] * x[n * I + q];
        for (let q = 0; q < H; q++) sh += p[slot.wh + j * H + q] * h[n * H + q];
        a[n * G + j] = si;
        r[n * G + j] = sh;
      }
    }
    trace.x.push(Float64Array.from(x));
    trace.hPrev.push(h);
    if (c) trace.cPrev.push(c);
    const next = cellStep(mode, a, r, h, c, N, H, trace);
    h = next.h;
    c = next.c;
    for (let n = 0; n < N; n++) for (let j = 0; j < H; j++) out[(t * N + n) * D * H + (reverse ? H : 0) + j] = h[n * H + j];
  }
  return { h, c, trace };
}

/** One step's new h (and c) from the projections a = W_ih·x + b_ih, r = W_hh·h + b_hh; records the activations. */
function cellStep(mode: RnnMode, a: Float64Array, r: Float64Array, h: Float64Array, c: Float64Array | undefined, N: number, H: number, trace: Trace) {
  const G = GATE_COUNT[mode] * H;
  const acts = new Float64Array(N * G);
  const nh = new Float64Array(N * H);
  const nc = mode === 'lstm' ? new Float64Array(N * H) : undefined;
  const r2 = mode === 'gru' ? new Float64Array(N * H) : undefined;
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      const pre = (q: number) => a[n * G + q * H + j] + r[n * G + q * H + j];
      const at = n * G, o = n * H + j;
      if (mode === 'lstm') {
        const [i, f, gg, og] = [sigmoid(pre(0)), sigmoid(pre(1)), Math.tanh(pre(2)), sigmoid(pre(3))];
        [acts[at + j], acts[at + H + j], acts[at + 2 * H + j], acts[at + 3 * H + j]] = [i, f, gg, og];
        (nc as Float64Array)[o] = f * (c as Float64Array)[o] + i * gg;
        nh[o] = og * Math.tanh((nc as Float64Array)[o]);
      } else if (mode === 'gru') {
        const rg = sigmoid(pre(0)), z = sigmoid(pre(1));
        const hn = r[n * G + 2 * H + j];
        const cand = Math.tanh(a[n * G + 2 * H + j] + rg * hn);
        [acts[at + j], acts[at + H + j], acts[at + 2 * H + j]] = [rg, z, cand];
        (r2 as Float64Array)[o] = hn;
        nh[o] = (1 - z) * cand + z * h[o];
      } else {
        const v = pre(0);
        nh[o] = mode === 'rnn_relu' ? Math.max(v, 0) : Math.tanh(v);
        acts[at + j] = nh[o];
      }
    }
  }
  trace.acts.push(acts);
  if (nc) trace.c.push(nc);
  if (r2) trace.r2.push(r2);
  return { h: nh, c: nc };
}
