/**
 * The image-record header of MXNet's RecordIO (`mx.recordio.IRHeader`, `pack`, `unpack`): 24
 * bytes, little-endian — flag (uint32), label (float32), id (uint64), id2 (uint64) — then, when
 * flag > 0, `flag` float32 labels, then the payload (usually an encoded image).
 */
import { describeValue } from '../../core/checks';
import { GluonError } from '../../core/errors';

/** A record's header: `label` is a number, or a Float32Array of `flag` labels. */
export interface IRHeader {
  readonly flag: number;
  readonly label: number | Float32Array;
  readonly id: number;
  readonly id2: number;
}

const HEADER_BYTES = 24;

/**
 * `header` and `payload` as one record (MXNet's `recordio.pack`): a number label is stored in the
 * header (flag 0); a list of labels after it (flag = their count).
 *
 * @example recordio.pack({ label: 3, id: 0, id2: 0 }, imageBytes)
 */
export function pack(header: { label: number | ArrayLike<number>; id?: number; id2?: number }, payload: Uint8Array): Uint8Array {
  const who = 'recordio.pack';
  if (!(payload instanceof Uint8Array)) throw new GluonError(`${who}: expected the payload as a Uint8Array, but got ${describeValue(payload)}`);
  const { label, id = 0, id2 = 0 } = header;
  for (const [name, value] of [['id', id], ['id2', id2]] as const) {
    if (!Number.isSafeInteger(value) || value < 0) throw new GluonError(`${who}: expected ${name} to be an integer from 0 to 2^53 − 1, but got ${describeValue(value)}`);
  }
  const labels = typeof label === 'number' ? undefined : Float32Array.from(label);
  if (typeof label !== 'number' && (typeof label !== 'object' || label === null)) throw new GluonError(`${who}: expected label to be a number or a list of numbers, but got ${describeValue(label)}`);
  const out = new Uint8Array(HEADER_BYTES + (labels ? 4 * labels.length : 0) + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, labels ? labels.length : 0, true);
  view.setFloat32(4, labels ? 0 : (label as number), true);
  view.setBigUint64(8, BigInt(id), true);
  view.setBigUint64(16, BigInt(id2), true);
  if (labels) out.set(new Uint8Array(labels.buffer), HEADER_BYTES);
  out.set(payload, out.length - payload.length);
  return out;
}

/**
 * A record's header and payload (MXNet's `recordio.unpack`).
 *
 * @example const [header, imageBytes] = recordio.unpack(record);
 */
export function unpack(record: Uint8Array): [IRHeader, Uint8Array] {
  const who = 'recordio.unpack';
  if (!(record instanceof Uint8Array)) throw new GluonError(`${who}: expected the record as a Uint8Array, but got ${describeValue(record)}`);
  if (record.length < HEADER_BYTES) throw new GluonError(`${who}: expected a record of at least ${HEADER_BYTES} bytes (its header), but got ${record.length}`);
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const flag = view.getUint32(0, true);
  const id = Number(view.getBigUint64(8, true)), id2 = Number(view.getBigUint64(16, true));
  if (flag === 0) return [{ flag, label: view.getFloat32(4, true), id, id2 }, record.subarray(HEADER_BYTES)];
  const end = HEADER_BYTES + 4 * flag;
  if (end > record.length) throw new GluonError(`${who}: expected ${flag} labels after the header, but the record has ${record.length - HEADER_BYTES} bytes after it`);
  const label = new Float32Array(flag);
  for (let i = 0; i < flag; i++) label[i] = view.getFloat32(HEADER_BYTES + 4 * i, true);
  return [{ flag, label, id, id2 }, record.subarray(end)];
}
