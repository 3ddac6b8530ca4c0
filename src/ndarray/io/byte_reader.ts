import { GluonError } from '../../errors';

/**
 * A bounds-checked little-endian cursor over untrusted bytes (a `.params` file).
 *
 * Every read first checks that enough bytes remain, and `count` checks a length field against the
 * bytes left *before* the caller allocates anything, so a lying length can neither crash, hang nor
 * allocate more than the input warrants. Failures throw a `GluonError` naming the caller (`what`),
 * the file and the byte offset. Uses only `DataView`/`Uint8Array`, so it also runs in browsers.
 *
 * @example
 * const reader = new ByteReader(bytes, 'nd.load', 'net.params');
 * const magic = reader.u64('the file magic'); // bigint, offset advances by 8
 */
export class ByteReader {
  /** The position of the next byte to read. */
  offset = 0;
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
    readonly fileName: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The number of unread bytes. */
  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  /** Throws unless `byteCount` more bytes remain for `field`. */
  need(byteCount: number, field: string): void {
    if (byteCount > this.remaining) {
      this.invalid(`truncated ${field}: expected ${byteCount} bytes, but only ${this.remaining} remain`);
    }
  }

  u32(field: string): number {
    this.need(4, field);
    const value = this.view.getUint32(this.offset, true);
    this.offset += 4;
    return value;
  }

  i32(field: string): number {
    this.need(4, field);
    const value = this.view.getInt32(this.offset, true);
    this.offset += 4;
    return value;
  }

  /** A u64 as a bigint: exact, so error messages can quote any value a corrupt file holds. */
  u64(field: string): bigint {
    this.need(8, field);
    const value = this.view.getBigUint64(this.offset, true);
    this.offset += 8;
    return value;
  }

  i64(field: string): bigint {
    this.need(8, field);
    const value = this.view.getBigInt64(this.offset, true);
    this.offset += 8;
    return value;
  }

  /** The next `byteCount` bytes as a view (no copy); callers copy what they keep. */
  take(byteCount: number, field: string): Uint8Array {
    this.need(byteCount, field);
    const view = this.bytes.subarray(this.offset, this.offset + byteCount);
    this.offset += byteCount;
    return view;
  }

  /**
   * Checks a count read from the file (at byte `at`) against the bytes left, given that each
   * counted item takes at least `minBytesEach`, and returns it as a number.
   */
  count(value: bigint, minBytesEach: number, field: string, at: number): number {
    if (value * BigInt(minBytesEach) > BigInt(this.remaining)) {
      const each = minBytesEach > 1 ? ` (each takes at least ${minBytesEach} bytes)` : '';
      this.invalid(`expected ${field} to fit in the ${this.remaining} bytes left${each}, but got ${value}`, at);
    }
    return Number(value);
  }

  /** Throws MXNet's `Invalid NDArray file format` error with our detail, file and offset. */
  invalid(detail: string, at: number = this.offset): never {
    throw new GluonError(`${this.what}: Invalid NDArray file format: ${detail} (in ${this.where(at)})`);
  }

  /** Throws for a well-formed feature tsgluon does not support (e.g. sparse storage). */
  unsupported(detail: string, at: number = this.offset): never {
    throw new GluonError(`${this.what}: ${detail} (in ${this.where(at)})`);
  }

  private where(at: number): string {
    return `'${this.fileName}' at byte ${at}`;
  }
}
