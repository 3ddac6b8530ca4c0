/**
 * Naive float64 references for the dense kernels (GEMM, convolution, transposed convolution,
 * pooling), written from the definitions with plain loops and N-D index arithmetic — no packing,
 * no im2col, no normalization to three dims — so they share no code or structure with
 * src/kernels/cpu. Each also returns, per output element, the sum of the absolute values of the
 * terms that formed it, the scale for a rounding-error tolerance.
 */

// Jest runs tests in a vm context where every global lookup (Math, …) is slow: bind once.
const { abs, floor, min, ceil, imul } = Math;

/** A value per output element and the Σ|term| bound per element. */
export interface Reference {
  value: Float64Array;
  bound: Float64Array;
}

/** Seeded uniform generator in [-1, 1) (mulberry32), so failures reproduce. */
export function makeRng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = imul(t ^ (t >>> 15), t | 1);
    t ^= t + imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 31 - 1;
  };
}

export function randomArray(size: number, rng: () => number): Float32Array {
  const a = new Float32Array(size);
  for (let i = 0; i < size; i++) a[i] = rng();
  return a;
}

/** Random integer in [lo, hi]. */
export function randInt(rng: () => number, lo: number, hi: number): number {
  return lo + floor(((rng() + 1) / 2) * (hi - lo + 1));
}

/** Calls fn with every index tuple of `shape` in row-major order. */
export function forEachIndex(shape: readonly number[], fn: (idx: number[]) => void): void {
  if (shape.some((d) => d === 0)) return;
  const idx = shape.map(() => 0);
  for (;;) {
    fn(idx);
    let axis = shape.length - 1;
    while (axis >= 0 && ++idx[axis] === shape[axis]) idx[axis--] = 0;
    if (axis < 0) return;
  }
}

/** Row-major flat index of `idx` in `shape`. */
export function flatIndex(idx: readonly number[], shape: readonly number[]): number {
  let f = 0;
  for (let i = 0; i < shape.length; i++) f = f * shape[i] + idx[i];
  return f;
}

/** C = alpha·op(A)·op(B) + beta·C by the triple loop; returns the m×n result (row-major, packed). */
export function naiveGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: Float32Array, aOff: number, lda: number, b: Float32Array, bOff: number, ldb: number,
  beta: number, c: Float32Array, cOff: number, ldc: number,
): Reference {
  const value = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let absSum = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        const bv = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        s += av * bv;
        absSum += abs(av * bv);
      }
      const old = beta === 0 ? 0 : beta * c[cOff + i * ldc + j];
      value[i * n + j] = alpha * s + old;
      bound[i * n + j] = abs(alpha) * absSum + abs(old);
    }
  }
  return { value, bound };
}

/** Convolution hyperparameters in the references' own terms (one entry per spatial dim). */
export interface NaiveConv {
  batch: number;
  inChannels: number;
  outChannels: number;
  inSize: number[];
  kernel: number[];
  strides: number[];
  padding: number[];
  dilation: number[];
  groups: number;
  channelsLast: boolean;
}

/** Flat index of element (n, c, pos) of an activation tensor in either layout. */
export function activationIndex(n: number, c: number, pos: readonly number[], channels: number, size: readonly number[], last: boolean): number {
  const spatial = flatIndex(pos, size);
  const volume = size.reduce((x, y) => x * y, 1);
  return last ? (n * volume + spatial) * channels + c : (n * channels + c) * volume + spatial;
}

/** Flat index of weight element (a, b, tap) with b "inner" channel: (A, B, *k) or (A, *k, B). */
export function weightIndex(a: number, b: number, tap: readonly number[], inner: number, kernel: readonly number[], last: boolean): number {
  const t = flatIndex(tap, kernel);
  const volume = kernel.reduce((x, y) => x * y, 1);
  return last ? (a * volume + t) * inner + b : (a * inner + b) * volume + t;
}

export function naiveConvOutSize(p: NaiveConv): number[] {
  return p.inSize.map((n, i) => floor((n + 2 * p.padding[i] - p.dilation[i] * (p.kernel[i] - 1) - 1) / p.strides[i]) + 1);
}

/** Direct convolution: every output element summed over its group's channels and kernel taps. */
export function naiveConv(p: NaiveConv, x: Float32Array, w: Float32Array, bias: Float32Array | null): Reference {
  const outSize = naiveConvOutSize(p);
  const cinG = p.inChannels / p.groups;
  const coutG = p.outChannels / p.groups;
  const total = p.batch * p.outChannels * outSize.reduce((a, b) => a * b, 1);
  const value = new Float64Array(total);
  const bound = new Float64Array(total);
  for (let n = 0; n < p.batch; n++) {
    for (let o = 0; o < p.outChannels; o++) {
      const g = floor(o / coutG);
      forEachIndex(outSize, (y) => {
        let s = bias ? bias[o] : 0;
        let absSum = abs(s);
        for (let ci = 0; ci < cinG; ci++) {
          forEachIndex(p.kernel, (t) => {
            const pos = y.map((yi, i) => yi * p.strides[i] - p.padding[i] + t[i] * p.dilation[i]);
            if (pos.some((v, i) => v < 0 || v >= p.inSize[i])) return;
            const term = x[activationIndex(n, g * cinG + ci, pos, p.inChannels, p.inSize, p.channelsLast)] *
              w[weightIndex(o, ci, t, cinG, p.kernel, p.channelsLast)];
            s += term;
            absSum += abs(term);
          });
        }
        const at = activationIndex(n, o, y, p.outChannels, outSize, p.channelsLast);
        value[at] = s;
        bound[at] = absSum;
      });
    }
  }
  return { value, bound };
}

export function naiveConvTransposeOutSize(p: NaiveConv & { outputPadding: number[] }): number[] {
  return p.inSize.map((n, i) => (n - 1) * p.strides[i] - 2 * p.padding[i] + p.dilation[i] * (p.kernel[i] - 1) + p.outputPadding[i] + 1);
}

/** Direct transposed convolution: every input element scattered through the kernel. */
export function naiveConvTranspose(p: NaiveConv & { outputPadding: number[] }, x: Float32Array, w: Float32Array, bias: Float32Array | null): Reference {
  const outSize = naiveConvTransposeOutSize(p);
  const cinG = p.inChannels / p.groups;
  const coutG = p.outChannels / p.groups;
  const total = p.batch * p.outChannels * outSize.reduce((a, b) => a * b, 1);
  const value = new Float64Array(total);
  const bound = new Float64Array(total);
  for (let n = 0; n < p.batch; n++) {
    for (let c = 0; c < p.inChannels; c++) {
      const g = floor(c / cinG);
      forEachIndex(p.inSize, (y) => {
        const xv = x[activationIndex(n, c, y, p.inChannels, p.inSize, p.channelsLast)];
        for (let oc = 0; oc < coutG; oc++) {
          forEachIndex(p.kernel, (t) => {
            const pos = y.map((yi, i) => yi * p.strides[i] - p.padding[i] + t[i] * p.dilation[i]);
            if (pos.some((v, i) => v < 0 || v >= outSize[i])) return;
            const at = activationIndex(n, g * coutG + oc, pos, p.outChannels, outSize, p.channelsLast);
            const term = xv * w[weightIndex(c, oc, t, coutG, p.kernel, p.channelsLast)];
            value[at] += term;
            bound[at] += abs(term);
          });
        }
      });
    }
  }
  if (bias) {
    forEachIndex([p.batch, p.outChannels], ([n, o]) => forEachIndex(outSize, (y) => {
      const at = activationIndex(n, o, y, p.outChannels, outSize, p.channelsLast);
      value[at] += bias[o];
      bound[at] += abs(bias[o]);
    }));
  }
  return { value, bound };
}

/** Pooling hyperparameters in the references' own terms. */
export interface NaivePool {
  batch: number;
  channels: number;
  inSize: number[];
  poolSize: number[];
  strides: number[];
  padding: number[];
  ceilMode: boolean;
  channelsLast: boolean;
}

/** Random pooling hyperparameters of `rank` spatial dims, sized for the naive references. */
export function randomPool(rng: () => number, rank: number): NaivePool {
  const poolSize: number[] = [], strides: number[] = [], padding: number[] = [], inSize: number[] = [];
  for (let i = 0; i < rank; i++) {
    poolSize.push(randInt(rng, 1, 3));
    strides.push(randInt(rng, 1, 3));
    // Padding up to the window size, so some ceil-mode windows lie entirely in the padding.
    padding.push(randInt(rng, 0, poolSize[i]));
    inSize.push(randInt(rng, Math.max(1, poolSize[i] - 2 * padding[i]), rank === 3 ? 5 : 9));
  }
  return { batch: randInt(rng, 1, 2), channels: randInt(rng, 1, 3), inSize, poolSize, strides, padding,
    ceilMode: rng() > 0, channelsLast: rng() > 0 };
}

export function naivePoolOutSize(p: NaivePool): number[] {
  return p.inSize.map((n, i) => {
    const r = (n + 2 * p.padding[i] - p.poolSize[i]) / p.strides[i];
    return (p.ceilMode ? ceil(r) : floor(r)) + 1;
  });
}

/**
 * Direct pooling by MXNet's rules, window by window. 'max' starts at −FLT_MAX and takes strictly
 * greater values (index = first maximum, −1 if none); 'avg' divides by the window clipped to the
 * padded input (includePad) or by the count of real input values (0 if none).
 */
export function naivePool(
  p: NaivePool, kind: 'max' | 'avg', includePad: boolean, x: Float32Array,
): { value: Float64Array; index: Int32Array } {
  const outSize = naivePoolOutSize(p);
  const total = p.batch * p.channels * outSize.reduce((a, b) => a * b, 1);
  const value = new Float64Array(total);
  const index = new Int32Array(total);
  forEachIndex([p.batch, p.channels], ([n, c]) => forEachIndex(outSize, (y) => {
    const start = y.map((yi, i) => yi * p.strides[i] - p.padding[i]);
    let best = -3.4028234663852886e38;
    let bestIndex = -1;
    let sum = 0;
    let count = 0;
    forEachIndex(p.poolSize, (t) => {
      const pos = start.map((s, i) => s + t[i]);
      if (pos.some((v, i) => v < 0 || v >= p.inSize[i])) return;
      const v = x[activationIndex(n, c, pos, p.channels, p.inSize, p.channelsLast)];
      count++;
      sum += v;
      if (v > best) {
        best = v;
        bestIndex = flatIndex(pos, p.inSize);
      }
    });
    const padded = start.reduce((acc, s, i) => acc * (min(s + p.poolSize[i], p.inSize[i] + p.padding[i]) - s), 1);
    const divisor = includePad ? padded : count;
    const at = activationIndex(n, c, y, p.channels, outSize, p.channelsLast);
    value[at] = kind === 'max' ? best : count === 0 ? 0 : sum / divisor;
    index[at] = bestIndex;
  }));
  return { value, index };
}

/** Largest |got − ref| / (scale·bound + floor) over all elements; ≤ 1 means within tolerance. */
export function worstError(got: ArrayLike<number>, ref: Reference, scale = 1e-5, absFloor = 1e-30): number {
  let worst = 0;
  for (let i = 0; i < ref.value.length; i++) {
    const err = abs(got[i] - ref.value[i]) / (scale * ref.bound[i] + absFloor);
    if (Number.isNaN(err)) return Infinity;
    if (err > worst) worst = err;
  }
  return worst;
}

/** Whether two arrays hold bit-identical values (a fast replacement for toEqual on big arrays). */
export function sameBits(x: Float32Array, y: Float32Array): boolean {
  return x.length === y.length && Buffer.compare(
    Buffer.from(x.buffer, x.byteOffset, x.byteLength), Buffer.from(y.buffer, y.byteOffset, y.byteLength)) === 0;
}

/**
 * Moves axis 1 of a row-major tensor to the end: (N, C, *S) → (N, *S, C). Turns PyTorch's
 * channels-first data, conv weights (O, I, *K) and transposed-conv weights (I, O, *K) into the
 * channels-last layouts (N, *S, C), (O, *K, I) and (I, *K, O).
 */
export function moveAxis1ToEnd(data: ArrayLike<number>, shape: readonly number[]): { data: Float64Array; shape: number[] } {
  const outShape = [shape[0], ...shape.slice(2), shape[1]];
  const out = new Float64Array(data.length);
  forEachIndex(shape, (idx) => {
    const moved = [idx[0], ...idx.slice(2), idx[1]];
    out[flatIndex(moved, outShape)] = data[flatIndex(idx, shape)];
  });
  return { data: out, shape: outShape };
}

/** One convolution output element out[n, o, y] and its Σ|term|, by the defining sum. */
export function naiveConvAt(p: NaiveConv, x: Float32Array, w: Float32Array, n: number, o: number, y: readonly number[]): [number, number] {
  const cinG = p.inChannels / p.groups;
  const g = floor(o / (p.outChannels / p.groups));
  let s = 0;
  let absSum = 0;
  for (let ci = 0; ci < cinG; ci++) {
    forEachIndex(p.kernel, (t) => {
      const pos = y.map((yi, i) => yi * p.strides[i] - p.padding[i] + t[i] * p.dilation[i]);
      if (pos.some((v, i) => v < 0 || v >= p.inSize[i])) return;
      const term = x[activationIndex(n, g * cinG + ci, pos, p.inChannels, p.inSize, p.channelsLast)] *
        w[weightIndex(o, ci, t, cinG, p.kernel, p.channelsLast)];
      s += term;
      absSum += abs(term);
    });
  }
  return [s, absSum];
}

/**
 * One transposed-convolution output element out[n, o, z] (no bias), gathered instead of
 * scattered: the input positions y with y·s − p + t·d = z for some tap t.
 */
export function naiveConvTransposeAt(
  p: NaiveConv & { outputPadding: number[] }, x: Float32Array, w: Float32Array, n: number, o: number, z: readonly number[],
): [number, number] {
  const cinG = p.inChannels / p.groups;
  const coutG = p.outChannels / p.groups;
  const g = floor(o / coutG);
  let s = 0;
  let absSum = 0;
  for (let ci = 0; ci < cinG; ci++) {
    forEachIndex(p.kernel, (t) => {
      const num = z.map((zi, i) => zi + p.padding[i] - t[i] * p.dilation[i]);
      if (num.some((v, i) => v < 0 || v % p.strides[i] !== 0 || v / p.strides[i] >= p.inSize[i])) return;
      const y = num.map((v, i) => v / p.strides[i]);
      const term = x[activationIndex(n, g * cinG + ci, y, p.inChannels, p.inSize, p.channelsLast)] *
        w[weightIndex(g * cinG + ci, o - g * coutG, t, coutG, p.kernel, p.channelsLast)];
      s += term;
      absSum += abs(term);
    });
  }
  return [s, absSum];
}
