/**
 * The WebAssembly SIMD loops of the normalization kernel (`norm_simd.c`, compiled into
 * `norm_simd_wasm.ts` by `scripts/build_simd.js`), instantiated once, synchronously, on first use.
 *
 * Why: V8 runs the kernel's JavaScript loops one scalar element at a time (about five cycles
 * per element even for a plain copy loop); the SIMD loops handle four floats per instruction.
 * A WebAssembly module can only read its own memory, so the callers copy each chunk of their
 * Float32Array views into the regions below (`Float32Array.prototype.set`, memcpy speed) and copy
 * the results back. The kernels' signatures and buffers stay what DESIGN §3 says.
 *
 * Where WebAssembly SIMD is missing (old browsers) or `TSGLUON_SIMD=0` is set, {@link normSimd}
 * returns undefined and the kernels run their JavaScript loops, which compute the same formulas.
 */
import { NORM_SIMD_WASM_BASE64 } from './norm_simd_wasm';
import { compileModule, lazyModule } from './wasm_loader';

/** Views of the module's memory and its loops; see norm_simd.c for each loop's formula. */
export interface NormSimd {
  /** Input and output regions of `chunk` floats. */
  readonly x: Float32Array;
  readonly dy: Float32Array;
  readonly out: Float32Array;
  /** Per-channel float64 vectors of `maxChannels` values (shift or mean, sums or coefficients). */
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly c: Float64Array;
  readonly d: Float64Array;
  /** The two sums the run loops return. */
  readonly result: Float64Array;
  /** A LayerNorm row's gamma (first `maxChannels` values) and beta, per element. */
  readonly affine: Float32Array;
  readonly chunk: number;
  readonly maxChannels: number;
  runSums(n: number, shift: number): void;
  runApply(n: number, mean: number, scale: number, beta: number): void;
  runBackwardSums(n: number, mean: number): void;
  runDx(n: number, a: number, b: number, k: number, mean: number): void;
  rowsSums(rows: number, channels: number): void;
  rowsApply(rows: number, channels: number): void;
  rowsBackwardSums(rows: number, channels: number): void;
  rowsDx(rows: number, channels: number): void;
  affineApply(n: number, mean: number, rstd: number): void;
  affineBackwardSums(n: number, mean: number, rstd: number): void;
  affineDx(n: number, mean: number, rstd: number, meanG: number, meanGX: number): void;
  /** out[i] = max(out[i], 0) for i < n: a fused ReLU. */
  reluOut(n: number): void;
}

/** The module, for {@link precompileModules} (ready()). */
export const NORM_SIMD_SOURCES = [NORM_SIMD_WASM_BASE64];

/** The SIMD loops, or undefined when they are unavailable or switched off. */
export const normSimd: () => NormSimd | undefined = lazyModule(instantiate);

function instantiate(): NormSimd | null {
  // Synchronous compilation, also on a browser's main thread: Chromium 156 accepts it (older
  // Chrome refused modules over 4 KiB there; null then keeps the JavaScript loops).
  const module = compileModule(NORM_SIMD_WASM_BASE64);
  return module && wrap(new WebAssembly.Instance(module, {}).exports);
}

/** A loop (every export but the memory is a function of numbers), checked to exist. */
type Loop = (...args: number[]) => number;

function wrap(exports: WebAssembly.Exports): NormSimd {
  const memory = exports.memory;
  if (!(memory instanceof WebAssembly.Memory)) throw new Error('norm_simd: the module exports no memory');
  const loop = (name: string): Loop => {
    const f = exports[name];
    if (typeof f !== 'function') throw new Error(`norm_simd: the module exports no ${name}`);
    return f as Loop;
  };
  // The module never grows its memory (it has no allocator), so these views stay valid.
  const buffer = memory.buffer;
  const chunk = loop('chunk_floats')(), maxChannels = loop('max_channels')();
  const floats = (pointer: string, length: number) => new Float32Array(buffer, loop(pointer)(), length);
  const doubles = (pointer: string, length: number) => new Float64Array(buffer, loop(pointer)(), length);
  return {
    x: floats('region_x_ptr', chunk), dy: floats('region_dy_ptr', chunk), out: floats('region_out_ptr', chunk),
    a: doubles('vec_a_ptr', maxChannels), b: doubles('vec_b_ptr', maxChannels),
    c: doubles('vec_c_ptr', maxChannels), d: doubles('vec_d_ptr', maxChannels),
    result: doubles('result_ptr', 2), affine: floats('affine_ptr', 2 * maxChannels), chunk, maxChannels,
    runSums: loop('run_sums'), runApply: loop('run_apply'), runBackwardSums: loop('run_backward_sums'), runDx: loop('run_dx'),
    rowsSums: loop('rows_sums'), rowsApply: loop('rows_apply'), rowsBackwardSums: loop('rows_backward_sums'), rowsDx: loop('rows_dx'),
    affineApply: loop('affine_apply'), affineBackwardSums: loop('affine_backward_sums'), affineDx: loop('affine_dx'),
    reluOut: loop('relu_out'),
  };
}
