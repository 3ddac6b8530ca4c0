/**
 * Connectionist temporal classification (Graves et al. 2006), as MXNet's `CTCLoss` computes it:
 * for each batch item, −log p(label | activations) where p sums over every alignment of the label
 * (blanks between and around the symbols, symbols repeated) to the time steps, with a softmax over
 * the alphabet at each step; and the gradient with respect to the activations, softmax − the
 * posterior of each symbol at each step. Forward and backward (α, β) recursions in float64 log
 * space; each output rounded once.
 *
 * Layout: data (T, N, C) activations (time, batch, alphabet); the gradient has data's layout.
 */

/** One batch item's task: its label (symbol indices, blank excluded) and the time steps it uses. */
export interface CtcItem {
  readonly label: readonly number[];
  readonly steps: number;
}

const NEG_INF = -Infinity;

function logAdd(a: number, b: number): number {
  if (a === NEG_INF) return b;
  if (b === NEG_INF) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** log softmax over the alphabet of item n at every step below `steps`: (steps, C). */
function logSoftmax(data: Float32Array, n: number, batch: number, alphabet: number, steps: number): Float64Array {
  const out = new Float64Array(steps * alphabet);
  for (let t = 0; t < steps; t++) {
    const at = (t * batch + n) * alphabet;
    let max = NEG_INF;
    for (let k = 0; k < alphabet; k++) max = Math.max(max, data[at + k]);
    let sum = 0;
    for (let k = 0; k < alphabet; k++) sum += Math.exp(data[at + k] - max);
    const log = max + Math.log(sum);
    for (let k = 0; k < alphabet; k++) out[t * alphabet + k] = data[at + k] - log;
  }
  return out;
}

/** The label with blanks around and between its symbols: 2L + 1 entries. */
function extend(label: readonly number[], blank: number): number[] {
  const out = [blank];
  for (const symbol of label) out.push(symbol, blank);
  return out;
}

/** α (forward) or β (backward, `reverse`) in log space: (steps, S). */
function recursion(lp: Float64Array, ext: readonly number[], steps: number, alphabet: number, reverse: boolean): Float64Array {
  const S = ext.length;
  const table = new Float64Array(steps * S).fill(NEG_INF);
  const first = reverse ? steps - 1 : 0;
  const dir = reverse ? 1 : -1; // where the previous step's neighbours are: s + 1, s + 2 (β) or s − 1, s − 2 (α)
  const starts = reverse ? [S - 1, S - 2] : [0, 1];
  for (const s of starts) if (s >= 0 && s < S) table[first * S + s] = lp[first * alphabet + ext[s]];
  for (let i = 1; i < steps; i++) {
    const t = reverse ? steps - 1 - i : i;
    const prev = reverse ? t + 1 : t - 1;
    for (let s = 0; s < S; s++) {
      let sum = table[prev * S + s];
      const s1 = s + dir, s2 = s + 2 * dir;
      if (s1 >= 0 && s1 < S) sum = logAdd(sum, table[prev * S + s1]);
      if (s2 >= 0 && s2 < S && ext[s] !== ext[s2]) sum = logAdd(sum, table[prev * S + s2]);
      table[t * S + s] = sum === NEG_INF ? NEG_INF : sum + lp[t * alphabet + ext[s]];
    }
  }
  return table;
}

/**
 * Losses (N,) and, when `grad` is given, ∂loss_n/∂data (T, N, C) (zero past an item's steps).
 * An item whose label cannot be aligned in its steps (too long) has loss +Infinity and a zero
 * gradient.
 *
 * @example ctcForward(data, 1, 2, [{ label: [0], steps: 3 }], 1, losses, grad) // data (3, 1, 2), blank 1
 */
export function ctcForward(
  data: Float32Array, batch: number, alphabet: number, items: readonly CtcItem[], blank: number, losses: Float32Array, grad?: Float32Array,
): void {
  grad?.fill(0);
  items.forEach((item, n) => {
    const T = item.steps;
    const ext = extend(item.label, blank);
    const lp = logSoftmax(data, n, batch, alphabet, T);
    if (T === 0) {
      losses[n] = item.label.length === 0 ? 0 : Infinity;
      return;
    }
    const alpha = recursion(lp, ext, T, alphabet, false);
    const S = ext.length;
    const logP = logAdd(alpha[(T - 1) * S + S - 1], S > 1 ? alpha[(T - 1) * S + S - 2] : NEG_INF);
    losses[n] = -logP;
    if (grad === undefined || logP === NEG_INF) return;
    const beta = recursion(lp, ext, T, alphabet, true);
    for (let t = 0; t < T; t++) {
      // Posterior of each symbol at t: Σ over its positions s of α·β / y (both include y once).
      const posterior = new Float64Array(alphabet).fill(NEG_INF);
      for (let s = 0; s < S; s++) {
        const k = ext[s];
        posterior[k] = logAdd(posterior[k], alpha[t * S + s] + beta[t * S + s] - lp[t * alphabet + k]);
      }
      const at = (t * batch + n) * alphabet;
      for (let k = 0; k < alphabet; k++) grad[at + k] = Math.exp(lp[t * alphabet + k]) - Math.exp(posterior[k] - logP);
    }
  });
}
