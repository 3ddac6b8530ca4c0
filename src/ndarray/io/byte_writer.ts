import { GluonError } from '../../core/errors';

/** True on little-endian hosts (every browser and almost every Node), where float32 bytes copy as is. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A little-endian writer into one buffer allocated up front at its final length (the small
 * metadata parts of a file; array values go out as views of their storage (io/dtype.ts's `nativeBytes`), uncopied).
 *
 * @example
 * const writer = new ByteWriter(12, 'nd.save');
 * writer.u64(0x112);
 * writer.u32(0xf993fac9);
 * writer.finish(); // the 12 bytes; throws if fewer or more were written
 */
export class ByteWriter {
  readonly bytes: Uint8Array;
  private readonly view: DataView;
  private offset = 0;

  constructor(
    byteLength: number,
    private readonly what: string,
  ) {
    this.bytes = allocate(byteLength, what);
    this.view = new DataView(this.bytes.buffer);
  }

  u32(value: number): void {
    this.view.setUint32(this.offset, value, true);
    this.offset += 4;
  }

  i32(value: number): void {
    this.view.setInt32(this.offset, value, true);
    this.offset += 4;
  }

  /** Writes a non-negative safe integer as a u64 (its low and high 32-bit halves). */
  u64(value: number): void {
    this.view.setUint32(this.offset, value % 2 ** 32, true);
    this.view.setUint32(this.offset + 4, Math.floor(value / 2 ** 32), true);
    this.offset += 8;
  }

  /** i64 for shape dims: they are non-negative, so the u64 encoding is the same. */
  i64(value: number): void {
    this.u64(value);
  }

  raw(source: Uint8Array): void {
    this.bytes.set(source, this.offset);
    this.offset += source.length;
  }

  /** The written bytes; the precomputed length must have been filled exactly. */
  finish(): Uint8Array {
    if (this.offset !== this.bytes.length) {
      throw new GluonError(`${this.what}: internal error: expected to write ${this.bytes.length} bytes, but wrote ${this.offset}`);
    }
    return this.bytes;
  }
}

/** A zeroed buffer, or a GluonError (not the engine's RangeError) when it is larger than one buffer may be. */
function allocate(byteLength: number, what: string): Uint8Array {
  try {
    return new Uint8Array(byteLength);
  } catch (error) {
    throw new GluonError(`${what}: cannot allocate ${byteLength} bytes for the file: ${String(error)}`);
  }
}

/** The chunks joined into one new buffer. */
export function concatBytes(chunks: readonly Uint8Array[], what: string): Uint8Array {
  const out = allocate(chunks.reduce((total, chunk) => total + chunk.length, 0), what);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return out;
}
