/**
 * nd.load reads files in windows (64 KiB for headers and names, large arrays straight into their
 * memory); it must give exactly what nd.loadBytes gives on the same bytes — the same arrays, or
 * the same error at the same offset — wherever records and names fall relative to the windows.
 */
import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import seedrandom from 'seedrandom';
import * as nd from '../../../src/ndarray';
import { NDArray } from '../../../src/ndarray';
import { f32s, paramsFile, u16s, v0Record, v2Record } from './spec_bytes';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsgluon-file-reader-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What a load gives, as one string (cheap to compare): keys, shapes and a hash of the values, or the error message. */
function outcome(load: () => nd.NDArrays, what: string): string {
  try {
    const loaded = load();
    const entries: Array<[string, NDArray]> = Array.isArray(loaded) ? loaded.map((a, i) => [`#${i}`, a]) : Object.entries(loaded);
    const hash = createHash('sha1');
    for (const [, array] of entries) hash.update(new Uint8Array(array.data.buffer));
    return `${entries.map(([key, array]) => `${key} ${array.shape.join('x')}`).join(',')} ${hash.digest('hex')}`;
  } catch (error) {
    return error instanceof Error ? error.message.replace(what, '<fn>') : String(error);
  }
}

function expectSameAsLoadBytes(bytes: Uint8Array, name: string): void {
  const file = path.join(dir, name);
  writeFileSync(file, bytes);
  const fromFile = outcome(() => nd.load(file), 'nd.load');
  const fromBytes = outcome(() => nd.loadBytes(bytes, file), 'nd.loadBytes');
  if (fromFile !== fromBytes) expect(fromFile.slice(0, 2000)).toBe(fromBytes.slice(0, 2000));
  expect(fromFile === fromBytes).toBe(true);
}

/** ~300 KB: many small records and long names crossing window edges, large float32 and float16 arrays. */
function bigMixedFile(): Uint8Array {
  const records: number[][] = [];
  const names: string[] = [];
  for (let i = 0; i < 600; i++) {
    records.push(v2Record({ shape: [3, 1 + (i % 5)], data: f32s(Array.from({ length: 3 * (1 + (i % 5)) }, (_, k) => i + k / 8)) }));
    names.push(`block${i}_${'x'.repeat(i % 97)}_weight`);
  }
  records.push(v2Record({ shape: [200, 200], data: f32s(Array.from({ length: 40000 }, (_, k) => k / 3)) }));
  names.push('large_f32');
  records.push(v2Record({ shape: [40000], data: u16s(Array.from({ length: 40000 }, (_, k) => k)), typeFlag: 2 }));
  names.push('large_f16');
  records.push(v0Record({ shape: [7], data: [1, 2, 3, 4, 5, 6, 7], typeFlag: 3 }));
  names.push('odd_uint8');
  return paramsFile(records, names);
}

describe('nd.load (file windows) agrees with nd.loadBytes', () => {
  test('a ~300 KB file with records and names across window edges', () => {
    const bytes = bigMixedFile();
    expect(bytes.length).toBeGreaterThan(3 * 65536);
    expectSameAsLoadBytes(bytes, 'big.params');
    const params = nd.load(path.join(dir, 'big.params')) as Record<string, NDArray>;
    expect(params.large_f32.data[39999]).toBe(Math.fround(39999 / 3));
    expect(params.odd_uint8.toArray()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('every truncation point near window edges and in the large arrays', () => {
    const bytes = bigMixedFile();
    const cuts = [0, 7, 23, 65535, 65536, 65537, 131071, 131072, bytes.length - 1];
    const rng = seedrandom('file-reader-cuts');
    for (let i = 0; i < 20; i++) cuts.push(Math.floor(rng() * bytes.length));
    cuts.forEach((cut, i) => expectSameAsLoadBytes(bytes.subarray(0, cut), `cut${i}.params`));
  });

  test('60 random corruptions give the same arrays or the same error at the same offset', () => {
    const bytes = bigMixedFile();
    const rng = seedrandom('file-reader-corruptions');
    for (let i = 0; i < 60; i++) {
      const mutated = bytes.slice();
      const at = rng() < 0.5 ? Math.floor(rng() * bytes.length) : 65536 * Math.floor(rng() * 4) + Math.floor(rng() * 64) - 32;
      mutated[Math.max(0, Math.min(at, bytes.length - 1))] = rng() < 0.5 ? 0xff : Math.floor(rng() * 256);
      expectSameAsLoadBytes(mutated, `corrupt${i}.params`);
    }
  });
});
