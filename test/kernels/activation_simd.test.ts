/**
 * The act types on the kernel module (activation_wasm.ts, simd/activation_simd.c), against float64
 * references written here: within one float32 ulp of the rounded reference everywhere — exactly
 * it at the special values (±0, ±∞, NaN, subnormals, the saturation points) — for every length
 * (the vector tails), in place, on arrays in the kernel memory and through the arena in chunks,
 * with the same bits on one and two threads; and their gradients against dy·f'(x) in float64.
 */
import { ACTIVATION_FORWARD } from '../../src/kernels/cpu/activation_forward';
import { ACTIVATION_GRAD } from '../../src/kernels/cpu/activation';
import { ModuleActivation, activateInModule, activationGradientInModule } from '../../src/kernels/cpu/activation_wasm';
import { gemmSimd } from '../../src/kernels/cpu/simd/gemm_simd';
import * as loops from '../../src/kernels/cpu/unary';
import { setSimdEnabled } from '../../src/kernels/cpu/simd/wasm_loader';
import * as pool from '../../src/kernels/cpu/threads/pool';
import { sameBits } from '../helpers/naive_dense';
import { makeRng } from '../helpers/naive_ops';
import { simdTest } from '../helpers/simd_mode';

const logistic = (v: number) => 1 / (1 + Math.exp(-v));
const softplus = (v: number) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

/** Each act type in float64, from its definition. */
const REFERENCES: Record<ModuleActivation, (v: number) => number> = {
  sigmoid: logistic,
  tanh: Math.tanh,
  softrelu: softplus,
  softsign: (v) => (Math.abs(v) === Infinity ? Math.sign(v) : v / (1 + Math.abs(v))),
  log_sigmoid: (v) => -softplus(-v),
  mish: (v) => v * Math.tanh(softplus(v)),
};
const KINDS = Object.keys(REFERENCES) as ModuleActivation[];

const JAVASCRIPT_LOOPS: Record<ModuleActivation, loops.UnaryKernel> = {
  sigmoid: loops.SIGMOID, tanh: loops.TANH, softrelu: loops.SOFTRELU, softsign: loops.SOFTSIGN, log_sigmoid: loops.LOG_SIGMOID, mish: loops.MISH,
};

const SPECIAL = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45, 1e-38, -1e-38, 3.4e38, -3.4e38, 1e-8, -1e-8, 0.5, -0.5,
  0.49999997, -0.49999997, 0.50000006, 1, -1, 9, -9, 17, -17, 88.7, -88.7, 103.9, -103.9, 709, -709, 746, -746, 800, -800];

/** SPECIAL, then values from the ranges activations see (|v| up to 1e-3, 4, 30 and 300). */
function inputs(length: number, seed: number): Float32Array {
  const rng = makeRng(seed);
  const spreads = [1e-3, 4, 30, 300];
  const x = Float32Array.from({ length }, (_, i) => (rng() - 0.5) * spreads[i % 4]);
  x.set(SPECIAL.slice(0, length));
  return x;
}

/** Distance in float32 steps (ulps) between two finite float32 values of the same sign. */
function ulps(a: number, b: number): number {
  const bits = new Int32Array(Float32Array.of(a, b).buffer);
  return Math.abs(bits[0] - bits[1]);
}

function expectNearReference(kind: ModuleActivation, x: Float32Array, y: Float32Array): void {
  const special = new Set(SPECIAL.map((v) => Math.fround(v)));
  for (let i = 0; i < x.length; i++) {
    const expected = Math.fround(REFERENCES[kind](x[i]));
    const exact = special.has(x[i]) || Number.isNaN(x[i]) || !Number.isFinite(expected) || expected === 0;
    if (exact ? Object.is(y[i], expected) : ulps(y[i], expected) <= 1) continue;
    expect([kind, x[i], y[i]]).toEqual([kind, x[i], expected]);
  }
}

const simd = gemmSimd();

describe('the act types on the kernel module', () => {
  simdTest('the module loads here', () => expect(simd).toBeDefined());

  simdTest.each(KINDS)('%s: within one float32 ulp of the float64 reference, exact at the special values; in place too', (kind) => {
    const x = inputs(20_003, KINDS.indexOf(kind));
    const y = new Float32Array(x.length);
    expect(activateInModule(kind, x, y)).toBe(true);
    expectNearReference(kind, x, y);
    const inPlace = Float32Array.from(x);
    activateInModule(kind, inPlace, inPlace);
    expect(sameBits(inPlace, y)).toBe(true);
    // Not guaranteed (a float64 result within a few ulps of a float32 boundary may round the other
    // way), but true of every value here and of 9.4 M others tried: a finer check of the polynomials.
    const loop = new Float32Array(x.length);
    JAVASCRIPT_LOOPS[kind](x, loop);
    expect(y.every((v, i) => Object.is(v, loop[i]) || (Number.isNaN(v) && Number.isNaN(loop[i])))).toBe(true);
  });

  simdTest.each([1, 2, 3, 5, 6, 7])('every tail: %i values', (length) => {
    for (const kind of KINDS) {
      const x = inputs(length, 3).map((v, i) => v + i), y = new Float32Array(length + 1).fill(7);
      activateInModule(kind, x, y.subarray(0, length));
      expectNearReference(kind, x, y.subarray(0, length));
      expect(y[length]).toBe(7);
    }
  });

  /** Each act type's derivative in float64, from its definition (independent of the kernels). */
  const DERIVATIVES: Record<ModuleActivation, (v: number) => number> = {
    sigmoid: (v) => 1 / (2 + 2 * Math.cosh(v)), // σ(v)·σ(−v), with no cancellation in the tails
    tanh: (v) => 1 / Math.cosh(v) ** 2,
    softrelu: logistic,
    softsign: (v) => 1 / (1 + Math.abs(v)) ** 2,
    log_sigmoid: (v) => logistic(-v),
    mish: (v) => {
      const t = Math.tanh(softplus(v));
      return t + v * (1 - t * t) * logistic(v);
    },
  };

  simdTest.each(KINDS)('%s gradient: within two float32 ulps of dy·f\'(x) in float64, dx in place of dy, the JavaScript loop\'s bits', (kind) => {
    const x = inputs(20_003, 20 + KINDS.indexOf(kind)).map((v) => (Number.isFinite(v) ? v : 0));
    const dy = inputs(20_003, 40).map((v) => (Number.isFinite(v) && Math.abs(v) < 1e30 ? v : 1));
    const dx = new Float32Array(x.length);
    expect(activationGradientInModule(kind, x, dy, dx)).toBe(true);
    for (let i = 0; i < x.length; i++) {
      const expected = Math.fround(dy[i] * DERIVATIVES[kind](x[i]));
      // The kernels multiply dy in first (dy·s·(1 − s)): two roundings of float64 products apart at most.
      if (Object.is(dx[i], expected) || Math.abs(dx[i] - expected) <= 2 * Math.abs(expected) * 2 ** -24) continue;
      expect([kind, x[i], dy[i], dx[i]]).toEqual([kind, x[i], dy[i], expected]);
    }
    const inPlace = Float32Array.from(dy);
    activationGradientInModule(kind, x, inPlace, inPlace);
    expect(sameBits(inPlace, dx)).toBe(true);
    const loop = new Float32Array(x.length);
    setSimdEnabled(false);
    try {
      ACTIVATION_GRAD[kind](x, dy, loop);
    } finally {
      setSimdEnabled(true);
    }
    const differing = Array.from(dx.keys()).filter((i) => !Object.is(dx[i], loop[i]));
    expect(differing.map((i) => [x[i], dy[i], dx[i], loop[i]])).toEqual([]);
  });

  const shared = simd !== undefined && simd.memory.shared;
  (shared ? it : it.skip)('in the kernel memory, and through the arena in several chunks: the same bits on 1 and 2 threads', async () => {
    const memory = simd!.memory;
    const threads = pool.getNumThreads();
    const length = (1 << 17) + 5; // one chunk more than the arena takes at once
    const x = inputs(length, 9);
    const start = memory.reserve(length * 8) as number;
    try {
      const results: Float32Array[] = [];
      for (const n of [1, 2]) {
        pool.setNumThreads(n);
        activateInModule('tanh', x, new Float32Array(length));
        await pool.workersReady();
        const outside = new Float32Array(length);
        activateInModule('tanh', x, outside);
        const input = new Float32Array(memory.memory.buffer, start, length), output = new Float32Array(memory.memory.buffer, start + length * 4, length);
        input.set(x);
        activateInModule('tanh', input, output);
        expect(sameBits(output, outside)).toBe(true);
        results.push(outside);
      }
      expect(sameBits(results[0], results[1])).toBe(true);
      expectNearReference('tanh', x, results[0]);
    } finally {
      memory.release(start);
      pool.setNumThreads(threads);
    }
  });

  it('a float64 array, or the module switched off, is left to the JavaScript loops', () => {
    expect(activateInModule('sigmoid', Float64Array.of(1) as unknown as Float32Array, new Float32Array(1))).toBe(false);
    const previous = setSimdEnabled(false);
    try {
      const x = inputs(1000, 4), y = new Float32Array(1000);
      expect(activateInModule('sigmoid', x, y)).toBe(false);
      ACTIVATION_FORWARD.sigmoid(x, y); // the JavaScript loop
      expectNearReference('sigmoid', x, y);
    } finally {
      setSimdEnabled(previous);
    }
  });
});
