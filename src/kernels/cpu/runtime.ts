/**
 * The compute runtime as a user sees it: `await tsgluon.ready()`, `tsgluon.setNumThreads(n)`,
 * `tsgluon.getNumThreads()` and `tsgluon.runtimeInfo()`.
 */
import { gemmSimd, kernelModuleSources } from './simd/gemm_simd';
import { NORM_SIMD_SOURCES, normSimd } from './simd/norm_simd';
import { precompileModules } from './simd/wasm_loader';
import { getNumThreads, readyThreads, setNumThreads, startWorkers, workersReady } from './threads/pool';

export { getNumThreads, setNumThreads };

/** What the kernels run on. */
export interface RuntimeInfo {
  /** Whether the WebAssembly SIMD kernels run (false: the JavaScript loops, or TSGLUON_SIMD=0). */
  simd: boolean;
  /** Whether the GEMM uses relaxed SIMD (fused multiply-add where the hardware has it). */
  relaxedSimd: boolean;
  /** The thread count asked for (setNumThreads, TSGLUON_NUM_THREADS, or the number of cores). */
  numThreads: number;
  /** Threads that take part now: the caller and the workers that are up. */
  readyThreads: number;
  /** Whether the kernel memory is shared (false where SharedArrayBuffer is missing: one thread). */
  sharedMemory: boolean;
}

/**
 * Compiles every WebAssembly module asynchronously and starts the thread pool; resolves when the
 * workers are up. Optional in Node (everything starts on first use, and runs on the calling
 * thread until the workers are ready); in a browser, call it before the first computation, since
 * a page's main thread may not compile large modules synchronously and workers start only after
 * it returns to the event loop.
 *
 * @example
 * await tsgluon.ready();
 * console.log(tsgluon.runtimeInfo()); // { simd: true, relaxedSimd: false, numThreads: 2, readyThreads: 2, sharedMemory: true }
 */
export async function ready(): Promise<RuntimeInfo> {
  await precompileModules([...kernelModuleSources(), ...NORM_SIMD_SOURCES]);
  normSimd();
  const gemm = gemmSimd();
  if (gemm) startWorkers(gemm.pool);
  await workersReady();
  return runtimeInfo();
}

/** What the kernels run on now; see {@link RuntimeInfo}. */
export function runtimeInfo(): RuntimeInfo {
  const gemm = gemmSimd();
  return {
    simd: gemm !== undefined, relaxedSimd: gemm?.relaxed ?? false, numThreads: getNumThreads(),
    readyThreads: gemm?.memory.shared ? readyThreads() : 1, sharedMemory: gemm?.memory.shared ?? false,
  };
}
