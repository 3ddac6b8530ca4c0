/**
 * `gluon.data.RecordFileDataset` (MXNet 1.9): the records of a RecordIO file `x.rec`, in the
 * order of its index file `x.idx`; sample i is record i's bytes. Node only.
 */
import { GluonError } from '../../core/errors';
import { MXIndexedRecordIO } from '../../ndarray/io/recordio';
import { Dataset } from './dataset';
import { constructedFrom } from './recipes';

// This file, for the workers of a DataLoader with numWorkers (absent in an ES module build).
const THIS_MODULE = typeof __filename === 'string' ? __filename : undefined;

/**
 * The records of `filename` (a `.rec` file whose index is the same path with `.idx`).
 *
 * @example
 * const ds = new gluon.data.RecordFileDataset('/data/train.rec');
 * const [header, image] = recordio.unpack(ds.get(0));
 */
export class RecordFileDataset extends Dataset<Uint8Array> {
  readonly filename: string;
  protected readonly record: MXIndexedRecordIO;

  constructor(filename: string) {
    super();
    if (typeof filename !== 'string' || filename === '') throw new GluonError(`${new.target.name}: expected filename to be a .rec file path, but got ${String(filename)}`);
    this.filename = filename;
    const dot = filename.lastIndexOf('.');
    const stem = dot > filename.lastIndexOf('/') ? filename.slice(0, dot) : filename;
    this.record = new MXIndexedRecordIO(`${stem}.idx`, filename, 'r');
    if (new.target === RecordFileDataset) constructedFrom(this, THIS_MODULE, 'RecordFileDataset', [filename]);
  }

  get length(): number {
    return this.record.keys.length;
  }

  get(index: number): Uint8Array {
    if (!Number.isInteger(index) || index < 0 || index >= this.length) {
      throw new GluonError(`${this.constructor.name}.get: expected an index in [0, ${this.length}), but got ${String(index)}`);
    }
    return this.record.readIdx(this.record.keys[index]);
  }
}
