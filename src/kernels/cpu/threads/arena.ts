/**
 * The kernels' WebAssembly memory: one `WebAssembly.Memory` that the SIMD modules import, and,
 * where SharedArrayBuffer exists, shared with the thread pool's workers. It holds work tiles only
 * — the operands a kernel call copies in, packed panels, the pool's control block — never NDArray
 * storage: V8 does not count SharedArrayBuffer memory toward garbage collection, so arrays living
 * here would not put pressure on the collector.
 *
 * Layout (byte addresses): [0, 128 KiB) belongs to the modules (clang's default stack region,
 * unused by our loops, which need no stack), then the pool's control block, then whatever the
 * current kernel call lays out from {@link KernelMemory.heapBase}. The memory grows on demand up
 * to {@link MAX_ARENA_BYTES} and never shrinks; callers split work that would not fit.
 */

const PAGE_BYTES = 65536;
/** Pages the modules declare as their minimum (their stack region). */
const MODULE_PAGES = 2;
/** Bytes of the pool's control block (threads/pool.ts lays it out). */
export const CONTROL_BYTES = 16384;
/** The arena never grows past this (the shared builds declare 2 GiB as their maximum). */
export const MAX_ARENA_BYTES = 256 * 1024 * 1024;

/** The memory, with views that follow its growth. */
export class KernelMemory {
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is shared (a SharedArrayBuffer), so workers can run on it. */
  readonly shared: boolean;
  /** Byte address of the pool's control block. */
  readonly controlAddress = MODULE_PAGES * PAGE_BYTES;
  /** First byte a kernel call may lay out its buffers from. */
  readonly heapBase = MODULE_PAGES * PAGE_BYTES + CONTROL_BYTES;
  private floatView: Float32Array;

  constructor(shared: boolean) {
    const initial = MODULE_PAGES + 1;
    this.memory = shared
      ? new WebAssembly.Memory({ initial, maximum: MAX_ARENA_BYTES / PAGE_BYTES, shared: true })
      : new WebAssembly.Memory({ initial, maximum: MAX_ARENA_BYTES / PAGE_BYTES });
    this.shared = shared;
    this.floatView = new Float32Array(this.memory.buffer);
  }

  /** Grows the memory so that bytes [0, end) exist; `end` must not pass MAX_ARENA_BYTES. */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > MAX_ARENA_BYTES) throw new RangeError(`kernel arena: ${end} bytes requested, the limit is ${MAX_ARENA_BYTES}`);
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE_BYTES));
  }

  /** A Float32Array over the whole memory (a fresh view after growth). */
  floats(): Float32Array {
    const buffer = this.memory.buffer;
    if (this.floatView.buffer !== buffer || this.floatView.length * 4 !== buffer.byteLength) this.floatView = new Float32Array(buffer);
    return this.floatView;
  }
}

let instance: KernelMemory | undefined;

/** The process's kernel memory, shared where SharedArrayBuffer exists. */
export function kernelMemory(): KernelMemory {
  instance ??= new KernelMemory(sharedMemoryAvailable());
  return instance;
}

/** SharedArrayBuffer is missing in browsers on pages that are not cross-origin isolated. */
function sharedMemoryAvailable(): boolean {
  try {
    return typeof SharedArrayBuffer === 'function' && new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer instanceof SharedArrayBuffer;
  } catch {
    return false;
  }
}
