/**
 * Builds MXNet NDArray files byte by byte from the layout in mxnet-gluon-behaviour.md §8,
 * independently of src/ndarray/io: plain number[] of bytes, little-endian by arithmetic.
 */

/** A u32 (or an i32, via two's complement) as 4 little-endian bytes. */
export function u32(value: number): number[] {
  const v = value >>> 0;
  return [v % 256, Math.floor(v / 256) % 256, Math.floor(v / 65536) % 256, Math.floor(v / 16777216) % 256];
}

export const i32 = u32;

/** A u64 (or an i64, via two's complement) as 8 little-endian bytes. */
export function u64(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  for (let i = 0; i < 8; i++) {
    out.push(Number(v % 256n));
    v /= 256n;
  }
  return out;
}

export const i64 = u64;

/** 16-bit patterns (float16, bfloat16, int16, uint16) as little-endian bytes. */
export function u16s(values: number[]): number[] {
  return values.flatMap((v) => [(v & 0xffff) % 256, Math.floor((v & 0xffff) / 256)]);
}

/** float32 values as little-endian bytes. */
export function f32s(values: number[]): number[] {
  return values.flatMap((v) => {
    const view = new DataView(new ArrayBuffer(4));
    view.setFloat32(0, v, true);
    return [view.getUint8(0), view.getUint8(1), view.getUint8(2), view.getUint8(3)];
  });
}

/** float64 values as little-endian bytes. */
export function f64s(values: number[]): number[] {
  return values.flatMap((v) => {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v, true);
    return Array.from({ length: 8 }, (_, i) => view.getUint8(i));
  });
}

export function utf8(text: string): number[] {
  return Array.from(Buffer.from(text, 'utf8'));
}

export const V1 = 0xf993fac8;
export const V2 = 0xf993fac9;
export const V3 = 0xf993faca;

export interface RecordSpec {
  shape: number[];
  /** Raw data bytes (already encoded for `typeFlag`). */
  data: number[];
  typeFlag?: number;
  devType?: number;
  devId?: number;
}

/** A V2 (or, with `magic = V3`, V3) dense record. */
export function v2Record(spec: RecordSpec, magic = V2, stype = 0): number[] {
  return [
    ...u32(magic),
    ...i32(stype),
    ...i32(spec.shape.length),
    ...spec.shape.flatMap((d) => i64(d)),
    ...i32(spec.devType ?? 1),
    ...i32(spec.devId ?? 0),
    ...i32(spec.typeFlag ?? 0),
    ...spec.data,
  ];
}

/** A legacy V1 record: magic, i32 ndim, i64 dims, context, dtype, data (no storage type). */
export function v1Record(spec: RecordSpec): number[] {
  return [
    ...u32(V1),
    ...i32(spec.shape.length),
    ...spec.shape.flatMap((d) => i64(d)),
    ...i32(spec.devType ?? 1),
    ...i32(spec.devId ?? 0),
    ...i32(spec.typeFlag ?? 0),
    ...spec.data,
  ];
}

/** A legacy V0 record: u32 ndim (no magic), u32 dims, context, dtype, data. */
export function v0Record(spec: RecordSpec): number[] {
  return [
    ...u32(spec.shape.length),
    ...spec.shape.flatMap((d) => u32(d)),
    ...i32(spec.devType ?? 1),
    ...i32(spec.devId ?? 0),
    ...i32(spec.typeFlag ?? 0),
    ...spec.data,
  ];
}

/** A whole file: header, the records, then the names (none for a list save). */
export function paramsFile(records: number[][], names: string[] = []): Uint8Array {
  const bytes = [...u64(0x112), ...u64(0), ...u64(records.length), ...records.flat(), ...u64(names.length)];
  for (const name of names) bytes.push(...u64(utf8(name).length), ...utf8(name));
  return Uint8Array.from(bytes);
}

/** Parses a hex dump like `0010: 02 00 ...   comment` (as in §8) into bytes. */
export function fromHexDump(dump: string): Uint8Array {
  const bytes: number[] = [];
  for (const line of dump.trim().split('\n')) {
    const body = line.replace(/^\s*[0-9a-f]{4}:/i, '').split(/\s{3,}/)[0];
    for (const pair of body.trim().split(/\s+/)) if (pair !== '') bytes.push(parseInt(pair, 16));
  }
  return Uint8Array.from(bytes);
}

/**
 * Where two byte arrays first differ (a length difference counts at the shorter length), or -1.
 * Jest's deep equality walks large typed arrays slowly, so byte-identity checks use this.
 */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
