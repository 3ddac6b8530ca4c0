/**
 * The kernels' WebAssembly memory: one `WebAssembly.Memory` that the SIMD modules import, and,
 * where SharedArrayBuffer exists, shared with the thread pool's workers. It holds work tiles —
 * the operands a kernel call copies in, packed panels, the pool's control block — and, when
 * shared, the blocks a cached graph reserves for its intermediates (symbol/cached_graph.ts), so
 * that convolutions and the work between them (conv_wasm.ts, elementwise_wasm.ts, norm_wasm.ts)
 * read and write those in place instead of copying them in and out. Ordinary
 * NDArrays never live here: V8 does not count SharedArrayBuffer memory toward garbage collection,
 * so short-lived arrays here would not put pressure on the collector; a graph's block is one
 * long-lived allocation, released explicitly.
 *
 * Layout (byte addresses): [0, 128 KiB) belongs to the modules (clang's default stack region,
 * unused by our loops, which need no stack), then the pool's control block, then the reserved
 * blocks, then whatever the current kernel call lays out from {@link KernelMemory.heapBase} (just
 * past the last block). The memory grows on demand up to {@link MAX_ARENA_BYTES} and never
 * shrinks; callers split work that would not fit.
 */

const PAGE_BYTES = 65536;
/** Pages the modules declare as their minimum (their stack region). */
const MODULE_PAGES = 2;
/** Bytes of the pool's control block (threads/pool.ts lays it out). */
export const CONTROL_BYTES = 16384;
/** The arena never grows past this (the shared builds declare 2 GiB as their maximum). */
export const MAX_ARENA_BYTES = 256 * 1024 * 1024;
/** Reserved blocks together stay below this, leaving the rest to the kernels' work. */
export const MAX_RESERVED_BYTES = MAX_ARENA_BYTES / 2;
/** Blocks start on cache lines. */
const BLOCK_ALIGN = 64;

/** The memory, with views that follow its growth. */
export class KernelMemory {
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is shared (a SharedArrayBuffer), so workers can run on it. */
  readonly shared: boolean;
  /** Byte address of the pool's control block. */
  readonly controlAddress = MODULE_PAGES * PAGE_BYTES;
  /** Where reserved blocks start. */
  private readonly blocksBase = MODULE_PAGES * PAGE_BYTES + CONTROL_BYTES;
  /** Reserved blocks, [start, end) byte ranges in address order. */
  private blocks: { start: number; end: number }[] = [];
  /** Every buffer object this memory has had (a grown memory hands out a new one). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private floatView: Float32Array;

  constructor(shared: boolean) {
    const initial = MODULE_PAGES + 1;
    this.memory = shared
      ? new WebAssembly.Memory({ initial, maximum: MAX_ARENA_BYTES / PAGE_BYTES, shared: true })
      : new WebAssembly.Memory({ initial, maximum: MAX_ARENA_BYTES / PAGE_BYTES });
    this.shared = shared;
    this.floatView = new Float32Array(this.memory.buffer);
    this.buffers.add(this.memory.buffer);
  }

  /** First byte a kernel call may lay out its buffers from: past the last reserved block. */
  get heapBase(): number {
    return this.blocks.length === 0 ? this.blocksBase : this.blocks[this.blocks.length - 1].end;
  }

  /**
   * Reserves `bytes` (first fit, cache-line aligned) and returns its byte address, or undefined
   * when the memory is not shared (growing an unshared memory would detach the block's views) or
   * the blocks would pass MAX_RESERVED_BYTES. Never call it during a kernel call.
   */
  reserve(bytes: number): number | undefined {
    const size = Math.ceil(bytes / BLOCK_ALIGN) * BLOCK_ALIGN;
    const used = this.blocks.reduce((total, b) => total + (b.end - b.start), 0);
    if (!this.shared || used + size > MAX_RESERVED_BYTES) return undefined;
    let start = this.blocksBase;
    let at = 0;
    for (; at < this.blocks.length && this.blocks[at].start - start < size; at++) start = this.blocks[at].end;
    this.blocks.splice(at, 0, { start, end: start + size });
    this.ensure(this.heapBase);
    return start;
  }

  /** Frees the block reserved at `start` (a no-op for an unknown address). */
  release(start: number): void {
    this.blocks = this.blocks.filter((b) => b.start !== start);
  }

  /** Whether `buffer` is (a generation of) this memory's buffer: an array over it can be used in place. */
  owns(buffer: ArrayBufferLike): boolean {
    return buffer === this.memory.buffer || this.buffers.has(buffer);
  }

  /**
   * The float index of `array[offset]` in this memory, when the array is a view of it (a cached
   * graph's intermediate, which a kernel can then read or write in place); else undefined.
   */
  floatIndex(array: Float32Array, offset = 0): number | undefined {
    return this.owns(array.buffer) ? array.byteOffset / 4 + offset : undefined;
  }

  /** Grows the memory so that bytes [0, end) exist; `end` must not pass MAX_ARENA_BYTES. */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end > MAX_ARENA_BYTES) throw new RangeError(`kernel arena: ${end} bytes requested, the limit is ${MAX_ARENA_BYTES}`);
    if (end > have) {
      this.memory.grow(Math.ceil((end - have) / PAGE_BYTES));
      this.buffers.add(this.memory.buffer);
    }
  }

  /** A Float32Array over the whole memory (a fresh view after growth). */
  floats(): Float32Array {
    const buffer = this.memory.buffer;
    if (this.floatView.buffer !== buffer || this.floatView.length * 4 !== buffer.byteLength) {
      this.floatView = new Float32Array(buffer);
      this.buffers.add(buffer);
    }
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
