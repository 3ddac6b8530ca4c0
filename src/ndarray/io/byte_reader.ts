import { GluonError } from '../../core/errors';

/**
 * Bytes a `ByteReader` reads that are not in memory: `nd.load` reads a file through this, so
 * large arrays go from the file straight into their own memory, with no whole-file buffer.
 */
export interface ByteSource {
  /** The total number of bytes. */
  readonly length: number;
  /** Fills `target` with the bytes starting at `offset` (the caller keeps within `length`). */
  read(offset: number, target: Uint8Array): void;
}

/** How much a file-backed reader reads at once for the small fields (headers, shapes, names). */
const WINDOW_BYTES = 1 << 16;

/**
 * A bounds-checked little-endian cursor over untrusted bytes (a `.params` file), in memory or
 * read on demand from a `ByteSource`.
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
  /**
   * What is being read (e.g. `record 3`), prefixed to the field names of errors. Callers pass
   * constant field names and set this once per record, so no message text is built until a read fails.
   */
  scope = '';
  /** The total number of bytes. */
  readonly length: number;
  private readonly source: ByteSource | undefined;
  /** Bytes [windowStart, windowStart + window.length): all of them for in-memory input. */
  private window: Uint8Array;
  private windowView: DataView;
  private windowStart = 0;

  constructor(
    input: Uint8Array | ByteSource,
    readonly what: string,
    readonly fileName: string,
  ) {
    this.source = input instanceof Uint8Array ? undefined : input;
    this.window = input instanceof Uint8Array ? input : new Uint8Array(0);
    this.windowView = new DataView(this.window.buffer, this.window.byteOffset, this.window.byteLength);
    this.length = input.length;
  }

  /** The number of unread bytes. */
  get remaining(): number {
    return this.length - this.offset;
  }

  /** Throws unless `byteCount` more bytes remain for `field`. */
  need(byteCount: number, field: string): void {
    if (byteCount > this.remaining) {
      this.invalid(`truncated ${this.label(field)}: expected ${byteCount} bytes, but only ${this.remaining} remain`);
    }
  }

  // Each read takes its position first: advance() may swap in a new window (and view).
  u32(field: string): number {
    const at = this.advance(4, field);
    return this.windowView.getUint32(at, true);
  }

  i32(field: string): number {
    const at = this.advance(4, field);
    return this.windowView.getInt32(at, true);
  }

  /** A u64 as a bigint: exact, so error messages can quote any value a corrupt file holds. */
  u64(field: string): bigint {
    const at = this.advance(8, field);
    return this.windowView.getBigUint64(at, true);
  }

  i64(field: string): bigint {
    const at = this.advance(8, field);
    return this.windowView.getBigInt64(at, true);
  }

  /** The next `byteCount` bytes: a view into the input (or a fresh buffer); callers copy what they keep. */
  take(byteCount: number, field: string): Uint8Array {
    if (byteCount > WINDOW_BYTES && this.source !== undefined && !this.inWindow(byteCount)) {
      const out = new Uint8Array(byteCount);
      this.takeInto(out, field);
      return out;
    }
    const at = this.advance(byteCount, field);
    return this.window.subarray(at, at + byteCount);
  }

  /** Copies the next `target.length` bytes into `target`: straight from a file for large reads. */
  takeInto(target: Uint8Array, field: string): void {
    this.need(target.length, field);
    if (this.source !== undefined && !this.inWindow(target.length) && target.length > WINDOW_BYTES) {
      this.source.read(this.offset, target);
      this.offset += target.length;
      return;
    }
    const at = this.advance(target.length, field);
    target.set(this.window.subarray(at, at + target.length));
  }

  /**
   * Checks a count read from the file (at byte `at`) against the bytes left, given that each
   * counted item takes at least `minBytesEach`, and returns it as a number.
   */
  count(value: bigint, minBytesEach: number, field: string, at: number): number {
    if (value * BigInt(minBytesEach) > BigInt(this.remaining)) {
      const each = minBytesEach > 1 ? ` (each takes at least ${minBytesEach} bytes)` : '';
      this.invalid(`expected ${this.label(field)} to fit in the ${this.remaining} bytes left${each}, but got ${value}`, at);
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

  private label(field: string): string {
    return this.scope === '' ? field : `${this.scope} ${field}`;
  }

  private where(at: number): string {
    return `'${this.fileName}' at byte ${at}`;
  }

  private inWindow(byteCount: number): boolean {
    const start = this.offset - this.windowStart;
    return start >= 0 && start + byteCount <= this.window.length;
  }

  /**
   * Checks and consumes the next `byteCount` bytes, and returns where they start in the window,
   * first reading a new window from the source if they are not in the current one. A new window
   * is a new buffer, so views handed out earlier stay valid.
   */
  private advance(byteCount: number, field: string): number {
    this.need(byteCount, field);
    if (!this.inWindow(byteCount) && this.source !== undefined) {
      this.window = new Uint8Array(Math.min(Math.max(byteCount, WINDOW_BYTES), this.remaining));
      this.source.read(this.offset, this.window);
      this.windowView = new DataView(this.window.buffer);
      this.windowStart = this.offset;
    }
    const at = this.offset - this.windowStart;
    this.offset += byteCount;
    return at;
  }
}
