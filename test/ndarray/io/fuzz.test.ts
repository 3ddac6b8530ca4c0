/**
 * Seeded fuzzing of loadBytes: valid files mutated (bit flips, extreme bytes and words, truncation,
 * insertion, deletion) must either load or throw a GluonError — never another error, a hang, or
 * arrays larger than the input warrants. 12,000 mutations in about a second.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import seedrandom from 'seedrandom';
import { GluonError } from '../../../src/core/errors';
import * as nd from '../../../src/ndarray';
import { NDArray } from '../../../src/ndarray';
import { V3, f32s, f64s, i32, i64, paramsFile, u16s, u32, v0Record, v1Record, v2Record } from './spec_bytes';

type Rng = () => number;

const EXTREME_BYTES = [0x00, 0xff, 0x7f, 0x80, 0x01, 0xfe];
const EXTREME_WORDS = [0, 1, 2, 0xff, 0x7fffffff, 0x80000000, 0xffffffff, 1e9, 0xf993fac8, 0xf993fac9, 0xf993faca, 0x112];

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)];
}

function randomInt(rng: Rng, below: number): number {
  return Math.floor(rng() * below);
}

/** One random mutation of `bytes` (a new array); offsets are drawn from `region` when given. */
function mutate(rng: Rng, bytes: Uint8Array, region: [number, number]): Uint8Array {
  const [from, to] = region;
  const at = from + randomInt(rng, Math.max(1, Math.min(to, bytes.length) - from));
  const out = bytes.slice();
  switch (randomInt(rng, 6)) {
    case 0:
      out[at] ^= 1 << randomInt(rng, 8);
      return out;
    case 1:
      out[at] = rng() < 0.7 ? pick(rng, EXTREME_BYTES) : randomInt(rng, 256);
      return out;
    case 2: {
      const word = u32(pick(rng, EXTREME_WORDS));
      const start = rng() < 0.5 ? at - (at % 4) : at;
      const wide = rng() < 0.3 ? [...word, ...(rng() < 0.5 ? [0xff, 0xff, 0xff, 0xff] : [0, 0, 0, 0])] : word;
      wide.forEach((b, k) => {
        if (start + k < out.length) out[start + k] = b;
      });
      return out;
    }
    case 3:
      return bytes.slice(0, at);
    case 4: {
      const inserted = Array.from({ length: 1 + randomInt(rng, 16) }, () => pick(rng, EXTREME_BYTES));
      return concat(bytes.subarray(0, at), Uint8Array.from(inserted), bytes.subarray(at));
    }
    default:
      return concat(bytes.subarray(0, at), bytes.subarray(at + 1 + randomInt(rng, 16)));
  }
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, part) => n + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Loads `bytes`; returns a failure description, or undefined when it loaded sanely or threw a GluonError. */
function check(bytes: Uint8Array): string | undefined {
  let loaded: nd.NDArrays;
  try {
    loaded = nd.loadBytes(bytes, 'fuzz.params');
  } catch (error) {
    return error instanceof GluonError ? undefined : `threw ${String(error)}`;
  }
  const arrays: NDArray[] = Array.isArray(loaded) ? loaded : Object.values(loaded);
  let floatBytes = 0;
  let dims = 0;
  for (const array of arrays) {
    if (!(array instanceof NDArray) || array.values.length !== array.size) return 'returned a malformed array';
    floatBytes += 4 * array.size;
    dims += array.ndim;
  }
  // float32 data is at most the input's size; 1-byte dtypes (uint8, int8, bool) widen 4×.
  if (floatBytes > 4 * bytes.length) return `returned ${floatBytes} bytes of float32 from ${bytes.length} input bytes`;
  if (dims > bytes.length) return `returned ${dims} dims from ${bytes.length} input bytes`;
  return undefined;
}

/** Applies `count` mutations (1–3 stacked) to `seed` and returns the first failure, if any. */
function fuzz(seedName: string, seed: Uint8Array, count: number, region: [number, number] = [0, seed.length]): string | undefined {
  const rng = seedrandom(`params-io-fuzz:${seedName}`);
  for (let i = 0; i < count; i++) {
    let bytes = seed;
    const stacked = 1 + randomInt(rng, 3);
    for (let m = 0; m < stacked; m++) bytes = mutate(rng, bytes, region);
    const failure = check(bytes);
    if (failure !== undefined) return `${seedName}, mutation ${i}: ${failure}`;
  }
  return undefined;
}

const mixedVersions = paramsFile(
  [
    v0Record({ shape: [2, 2], data: f32s([1, 2, 3, 4]) }),
    v1Record({ shape: [3], data: [1, 2, 3], typeFlag: 3 }),
    v2Record({ shape: [], data: f32s([7]) }, V3),
    v2Record({ shape: [2], data: u16s([0x3c00, 0x7c00]), typeFlag: 2 }),
    v2Record({ shape: [1, 2], data: [...i64(-5), ...i64(2n ** 62n)], typeFlag: 6 }),
    v2Record({ shape: [2], data: f64s([0.5, -1e300]), typeFlag: 1 }),
    v2Record({ shape: [1], data: [...i32(9)], typeFlag: 4, devType: 2 }),
  ],
  ['arg:a', 'aux:b', 'scalar', 'half', 'long', 'double', '名前'],
);

describe('loadBytes survives mutated files', () => {
  test('spec-built files: 9,000 mutations', () => {
    const instanceNorm = nd.saveBytes({ gamma: nd.ones([2]), beta: nd.zeros([2]) });
    const list = nd.saveBytes([nd.array([1, 2, 3, 4]), nd.array([[3, 4], [2, 4]])]);
    expect(fuzz('instance_norm', instanceNorm, 3000)).toBeUndefined();
    expect(fuzz('list', list, 3000)).toBeUndefined();
    expect(fuzz('mixed_versions', mixedVersions, 3000)).toBeUndefined();
  });

  const dir = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'mxnet');
  const lenet = path.join(dir, 'lenet_fashionmnist.params');
  if (!existsSync(lenet)) console.warn(`fuzz.test.ts: skipping the LeNet fuzz, ${lenet} is missing`);
  (existsSync(lenet) ? test : test.skip)('the MXNet LeNet file: 3,000 mutations, mostly in its headers and names', () => {
    const bytes = new Uint8Array(readFileSync(lenet));
    // Record 0's header, record 4's header (at byte 4344), the names, then anywhere.
    expect(fuzz('lenet_head', bytes, 1000, [0, 64])).toBeUndefined();
    expect(fuzz('lenet_record4', bytes, 500, [4330, 4400])).toBeUndefined();
    expect(fuzz('lenet_names', bytes, 1000, [bytes.length - 160, bytes.length])).toBeUndefined();
    expect(fuzz('lenet_anywhere', bytes, 500)).toBeUndefined();
  });
});
