/**
 * The kernel modules, both on the kernels' memory (threads/arena.ts), compiled from C by
 * `scripts/build_simd.js`:
 * - the matrix module (`gemm_simd.c`, `conv_simd.c`, `pool_simd.c`): GEMM, convolution and
 *   pooling; its relaxed-SIMD build (fused multiply-add where the hardware has it) is tried first,
 *   and runtimes without relaxed SIMD (Node 20, Safari) refuse it at compile time and get the
 *   plain SIMD128 build;
 * - the vector module (`elementwise_simd.c`, `activation_simd.c`, `rnn_simd.c`,
 *   `norm_mapped.c`): the loops between layers, plain SIMD128 (nothing in them fuses).
 * Both are built for a shared memory, which the thread pool's workers import too; where
 * SharedArrayBuffer is missing, their import is made unshared at load (wasm_loader.ts).
 */
import { GEMM_RELAXED_SIMD_WASM_BASE64 } from './gemm_relaxed_simd_wasm';
import { GEMM_SIMD_WASM_BASE64 } from './gemm_simd_wasm';
import { VECTOR_SIMD_WASM_BASE64 } from './vector_simd_wasm';
import { ModuleSource, compileModule, lazyModule } from './wasm_loader';
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

/** The instantiated modules, their memory, and the GEMM's blocking constants. */
export interface GemmSimd {
  readonly memory: KernelMemory;
  /** Whether the matrix module is the relaxed-SIMD build. */
  readonly relaxed: boolean;
  readonly sgemm: SgemmExport;
  /** What the thread pool runs: both modules, which its workers instantiate on the same (shared) memory. */
  readonly pool: PoolTarget;
  /** Floats of one thread's work buffer (packed panels and an edge tile). */
  readonly workFloats: number;
  /** Depth of a packed panel: a split of K must fall on a multiple of it (see gemm_wasm.ts). */
  readonly kc: number;
  readonly mr: number;
  readonly nr: number;
}

/** The exports the thread pool may run, of both modules. */
const POOL_FUNCTIONS = [
  'sgemm', 'conv_direct', 'max_pool_first', 'max_pool_last', 'pad_mapped',
  'add_floats', 'upsample_nearest_rows', 'activation_floats', 'activation_gradient_floats',
  'lstm_step', 'lstm_gate_gradients', 'gru_step', 'rnn_tanh_step', 'norm_runs_sums', 'norm_runs_apply',
];

/** The builds this runtime may load (matrix relaxed, matrix plain, vector), for {@link precompileModules} (ready()). */
export function kernelModuleSources(): ModuleSource[] {
  const unsharedMemory = !kernelMemory().shared;
  return [GEMM_RELAXED_SIMD_WASM_BASE64, GEMM_SIMD_WASM_BASE64, VECTOR_SIMD_WASM_BASE64].map((base64) => ({ base64, unsharedMemory }));
}

/** The SIMD kernels, or undefined where WebAssembly SIMD is missing or switched off (TSGLUON_SIMD=0). */
export const gemmSimd: () => GemmSimd | undefined = lazyModule(instantiate);

function instantiate(): GemmSimd | null {
  const memory = kernelMemory();
  const [relaxedSource, plainSource, vectorSource] = kernelModuleSources();
  const relaxedModule = compileModule(relaxedSource);
  const matrix = relaxedModule ?? compileModule(plainSource);
  const vector = compileModule(vectorSource);
  if (matrix === null || vector === null) return null;
  const modules = [matrix, vector];
  const exports: WebAssembly.Exports = Object.assign({}, ...modules.map((module) => new WebAssembly.Instance(module, { env: { memory: memory.memory } }).exports));
  const call = (name: string) => (exports[name] as () => number)();
  return {
    memory, relaxed: relaxedModule !== null, sgemm: exports.sgemm as SgemmExport,
    pool: { modules, memory, functions: POOL_FUNCTIONS, exports },
    workFloats: call('gemm_work_floats'), kc: call('gemm_kc'), mr: call('gemm_mr'), nr: call('gemm_nr'),
  };
}
