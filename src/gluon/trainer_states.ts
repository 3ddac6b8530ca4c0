/**
 * The Trainer's states file (`Trainer.saveStates` / `loadStates`): what a resumed run needs to
 * continue bit for bit — the optimizer's update counts, its fixed learning rate, the learning-rate
 * scheduler's state and every parameter's state arrays (momentum, Adam's moments).
 *
 * MXNet pickles its Python Updater object, which nothing outside Python can read; tsgluon writes
 * a portable format of its own instead (the names are for reading; parameters are matched by
 * position and size, as Gluon keeps states by position):
 *
 *     TSGLUON-TRAINER-STATES 1\n
 *     {"optimizer":"Adam","params":[…names…],"learningRate":…,"numUpdate":…,"counts":[[i, n],…],"scheduler":{…}|null}\n
 *     <an MXNet .params file>  the state arrays, keyed "<parameter index>:<state index>"
 *
 * Numbers in the JSON header are JavaScript doubles, which JSON writes and reads back exactly.
 */
import { GluonError } from '../core/errors';
import { NDArray } from '../ndarray/ndarray';
import { loadBytes, saveBytes } from '../ndarray/io/params_file';
import type { OptimizerState } from './optimizers/optimizer';

const MAGIC = 'TSGLUON-TRAINER-STATES 1\n';
/** The JSON header's most bytes: far above any real header, so a corrupt file cannot make us scan gigabytes. */
const MAX_HEADER_BYTES = 1 << 26;

interface Header {
  optimizer: string;
  params: string[];
  learningRate: number;
  numUpdate: number;
  counts: [number, number][];
  scheduler: Record<string, number> | null;
}

/** What the states must match when loaded: the Trainer's optimizer and parameters. */
export interface StatesTarget {
  readonly optimizer: string;
  /** Parameter names in the Trainer's order. */
  readonly params: readonly string[];
  /** Each parameter's number of values, or undefined while its shape is not known yet. */
  readonly sizes: readonly (number | undefined)[];
  /** State arrays the optimizer keeps per parameter. */
  readonly stateArrays: number;
  readonly hasScheduler: boolean;
}

/** The states file's bytes for `state`, saved by a Trainer of `target`'s optimizer and parameters. */
export function encodeTrainerStates(target: StatesTarget, state: OptimizerState): Uint8Array {
  const header: Header = {
    optimizer: target.optimizer, params: [...target.params], learningRate: state.learningRate, numUpdate: state.numUpdate,
    counts: state.counts.map(([i, n]) => [i, n]), scheduler: state.scheduler === undefined ? null : { ...state.scheduler },
  };
  const arrays: Record<string, NDArray> = {};
  for (const [index, list] of state.states) list.forEach((values, k) => { arrays[`${index}:${k}`] = new NDArray(values.slice(), [values.length]); });
  const text = new TextEncoder().encode(`${MAGIC}${JSON.stringify(header)}\n`);
  const body = saveBytes(arrays);
  const bytes = new Uint8Array(text.length + body.length);
  bytes.set(text);
  bytes.set(body, text.length);
  return bytes;
}

/**
 * Reads a states file's bytes and checks them against `target`.
 *
 * @throws GluonError naming `who` when the bytes are not a states file, or were saved for another
 *   optimizer, other parameters, or parameters of other sizes.
 */
export function decodeTrainerStates(bytes: Uint8Array, who: string, target: StatesTarget): OptimizerState {
  const { header, bodyStart } = readHeader(bytes, who);
  checkHeader(header, who, target);
  const loaded = loadBytes(bytes.subarray(bodyStart), who);
  // No state arrays at all (SGD without momentum) are written as an empty file, which reads back as an empty list.
  const arrays = Array.isArray(loaded) && loaded.length === 0 ? {} : loaded;
  if (Array.isArray(arrays)) throw new GluonError(`${who}: expected the state arrays by key, but the file holds an unnamed list`);
  const states = new Map<number, Float32Array[]>();
  for (const [key, array] of Object.entries(arrays)) {
    const [index, k] = parseKey(key, who, target);
    const size = target.sizes[index];
    if (size !== undefined && array.size !== size) {
      throw new GluonError(`${who}: expected ${size} values in the state of Parameter '${target.params[index]}', but the file has ${array.size}`);
    }
    const list = states.get(index) ?? Array<Float32Array>(target.stateArrays);
    list[k] = array.toFloat32Array();
    states.set(index, list);
  }
  for (const [index, list] of states) {
    if (list.some((values) => values === undefined)) throw new GluonError(`${who}: expected ${target.stateArrays} state arrays for Parameter '${target.params[index]}', but some are missing`);
  }
  return {
    learningRate: header.learningRate, numUpdate: header.numUpdate, counts: header.counts, states: [...states],
    scheduler: header.scheduler ?? undefined,
  };
}

function readHeader(bytes: Uint8Array, who: string): { header: Header; bodyStart: number } {
  const notStates = (why: string) => new GluonError(`${who}: expected a tsgluon Trainer states file (saved by Trainer.saveStates), but ${why}`);
  const magic = new TextEncoder().encode(MAGIC);
  if (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b)) throw notStates('it does not start with the states header');
  const limit = Math.min(bytes.length, magic.length + MAX_HEADER_BYTES);
  const end = bytes.subarray(magic.length, limit).indexOf(0x0a);
  if (end < 0) throw notStates('its JSON header does not end');
  try {
    const header: unknown = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(magic.length, magic.length + end)));
    if (!isHeader(header)) throw notStates('its JSON header lacks fields or has values of the wrong type');
    return { header, bodyStart: magic.length + end + 1 };
  } catch (error) {
    if (error instanceof GluonError) throw error;
    throw notStates(`its JSON header cannot be read (${(error as Error).message})`);
  }
}

const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;

function isHeader(value: unknown): value is Header {
  if (typeof value !== 'object' || value === null) return false;
  const h = value as Partial<Record<keyof Header, unknown>>;
  return typeof h.optimizer === 'string' && Array.isArray(h.params) && h.params.every((p) => typeof p === 'string') &&
    typeof h.learningRate === 'number' && Number.isFinite(h.learningRate) && h.learningRate >= 0 && isCount(h.numUpdate) &&
    Array.isArray(h.counts) && h.counts.every((c) => Array.isArray(c) && c.length === 2 && isCount(c[0]) && isCount(c[1])) &&
    (h.scheduler === null || (typeof h.scheduler === 'object' && h.scheduler !== null &&
      Object.values(h.scheduler).every((v) => typeof v === 'number' && Number.isFinite(v))));
}

function checkHeader(header: Header, who: string, target: StatesTarget): void {
  if (header.optimizer !== target.optimizer) {
    throw new GluonError(`${who}: expected states of the Trainer's optimizer ${target.optimizer}, but the file holds ${header.optimizer}'s`);
  }
  // Counted, not named: a network built again in the same process has new names (dense2_… for
  // dense0_…), as in Gluon, whose states are kept by position too. Sizes are checked per array.
  if (header.params.length !== target.params.length) {
    throw new GluonError(`${who}: expected states of the Trainer's ${target.params.length} parameters (${target.params.join(', ')}), but the file holds states of ${header.params.length} (${header.params.join(', ')})`);
  }
  if (header.counts.some(([index]) => index >= target.params.length)) throw new GluonError(`${who}: the file counts updates of a parameter index past the ${target.params.length} parameters`);
  if ((header.scheduler !== null) !== target.hasScheduler) {
    throw new GluonError(`${who}: expected states ${target.hasScheduler ? 'with' : 'without'} a learning-rate scheduler, as the Trainer's optimizer has, but the file holds them ${header.scheduler !== null ? 'with' : 'without'} one`);
  }
}

function parseKey(key: string, who: string, target: StatesTarget): [number, number] {
  const match = /^(\d+):(\d+)$/.exec(key);
  const [index, k] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(index < target.params.length) || !(k < target.stateArrays)) {
    throw new GluonError(`${who}: expected state keys '<parameter index>:<state index>' below ${target.params.length} and ${target.stateArrays}, but the file has '${key}'`);
  }
  return [index, k];
}
