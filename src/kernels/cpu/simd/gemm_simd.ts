/**
 * The kernel module: the WebAssembly SIMD GEMM (`gemm_simd.c`) with the convolution
 * (`conv_simd.c`), pooling (`pool_simd.c`), elementwise (`elementwise_simd.c`), activation
 * (`activation_simd.c`), recurrent gate (`rnn_simd.c`) and normalization runs (`norm_mapped.c`)
 * loops, compiled together into `gemm_*simd_wasm.ts` by `scripts/build_simd.js`. This file picks
 * the variant this runtime accepts and instantiates it on the kernels' memory (threads/arena.ts).
 * The relaxed-SIMD build (fused multiply-add where the hardware has it) is tried first; runtimes
 * without relaxed SIMD (Node 20, Safari) refuse it at compile time and get the plain SIMD128
 * build. Where SharedArrayBuffer exists, the shared-memory builds are used, so the thread pool's
 * workers can run the same module on the same memory.
 */
import { GEMM_RELAXED_SIMD_WASM_BASE64 } from './gemm_relaxed_simd_wasm';
import { GEMM_SHARED_RELAXED_SIMD_WASM_BASE64 } from './gemm_shared_relaxed_simd_wasm';
import { GEMM_SHARED_SIMD_WASM_BASE64 } from './gemm_shared_simd_wasm';
import { GEMM_SIMD_WASM_BASE64 } from './gemm_simd_wasm';
import { compileModule, lazyModule } from './wasm_loader';
import { KernelMemory, kernelMemory } from '../threads/arena';
import { PoolTarget } from '../threads/pool';

/**
 * `sgemm(transA, transB, k, alpha, a, lda, b, ldb, beta, c, ldc, iBegin, iEnd, jBegin, jEnd,
 * work)`: rows [iBegin, iEnd) × columns [jBegin, jEnd) of C = alpha·op(A)·op(B) + beta·C, every
 * matrix a byte address in the module's memory (see gemm_simd.c).
 */
export type SgemmExport = (
  transA: number, transB: number, k: number, alpha: number, a: number, lda: number, b: number, ldb: number,
  beta: number, c: number, ldc: number, iBegin: number, iEnd: number, jBegin: number, jEnd: number, work: number,
) => void;

/** The instantiated module, its memory, and its blocking constants. */
export interface GemmSimd {
  readonly memory: KernelMemory;
  /** The compiled module, which the pool's workers instantiate on the same (shared) memory. */
  readonly module: WebAssembly.Module;
  readonly relaxed: boolean;
  readonly sgemm: SgemmExport;
  /** What the thread pool runs: `sgemm` of this module on this memory. */
  readonly pool: PoolTarget;
  /** Floats of one thread's work buffer (packed panels and an edge tile). */
  readonly workFloats: number;
  /** Depth of a packed panel: a split of K must fall on a multiple of it (see gemm_wasm.ts). */
  readonly kc: number;
  readonly mr: number;
  readonly nr: number;
}

/** Every build, for {@link precompileModules} (ready()). */
export const GEMM_SOURCES = [GEMM_SHARED_RELAXED_SIMD_WASM_BASE64, GEMM_SHARED_SIMD_WASM_BASE64, GEMM_RELAXED_SIMD_WASM_BASE64, GEMM_SIMD_WASM_BASE64];

/** The SIMD GEMM, or undefined where WebAssembly SIMD is missing or switched off (TSGLUON_SIMD=0). */
export const gemmSimd: () => GemmSimd | undefined = lazyModule(instantiate);

function instantiate(): GemmSimd | null {
  const memory = kernelMemory();
  const [relaxedSource, plainSource] = memory.shared
    ? [GEMM_SHARED_RELAXED_SIMD_WASM_BASE64, GEMM_SHARED_SIMD_WASM_BASE64]
    : [GEMM_RELAXED_SIMD_WASM_BASE64, GEMM_SIMD_WASM_BASE64];
  const relaxedModule = compileModule(relaxedSource);
  const module = relaxedModule ?? compileModule(plainSource);
  if (module === null) return null;
  const exports = new WebAssembly.Instance(module, { env: { memory: memory.memory } }).exports;
  const call = (name: string) => (exports[name] as () => number)();
  return {
    memory, module, relaxed: relaxedModule !== null, sgemm: exports.sgemm as SgemmExport,
    pool: { module, memory, functions: ['sgemm', 'conv_direct', 'max_pool_first', 'max_pool_last', 'pad_mapped', 'add_floats', 'upsample_nearest_rows', 'activation_floats', 'activation_gradient_floats', 'lstm_step', 'lstm_gate_gradients', 'gru_step', 'rnn_tanh_step', 'norm_runs_sums', 'norm_runs_apply'], exports },
    workFloats: call('gemm_work_floats'), kc: call('gemm_kc'), mr: call('gemm_mr'), nr: call('gemm_nr'),
  };
}
