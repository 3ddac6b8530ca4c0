/** nd.save / nd.load: files on disk, and the errors for paths that cannot be read or written. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GluonError } from '../../../src/core/errors';
import * as nd from '../../../src/ndarray';
import { NDArray } from '../../../src/ndarray';
import { f32s, firstDifference, paramsFile, v2Record } from './spec_bytes';

let dir = '';
beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tsgluon-params-io-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('nd.save and nd.load', () => {
  test('save writes the bytes of the spec; load reads them back', () => {
    const file = path.join(dir, 'record.params');
    nd.save(file, { weight: nd.array([[1, 2], [3, 4]]), bias: nd.array([0.5]) });
    const expected = paramsFile(
      [v2Record({ shape: [2, 2], data: f32s([1, 2, 3, 4]) }), v2Record({ shape: [1], data: f32s([0.5]) })],
      ['weight', 'bias'],
    );
    expect(firstDifference(new Uint8Array(readFileSync(file)), expected)).toBe(-1);
    const params = nd.load(file) as Record<string, NDArray>;
    expect(params.weight.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(params.bias.toArray()).toEqual([0.5]);
  });

  test('save writes large arrays straight from memory and small ones joined: same bytes as saveBytes', () => {
    const file = path.join(dir, 'mixed.params');
    const large = nd.array(Float32Array.from({ length: 40000 }, (_, i) => i / 7), { shape: [200, 200] });
    const small = Array.from({ length: 3000 }, (_, i) => nd.array([i, -i]));
    const arrays = [small[0], large, ...small, large, nd.zeros([0])];
    nd.save(file, arrays);
    const written = new Uint8Array(readFileSync(file));
    expect(written.length).toBe(24 + 2 * (40 + 160000) + 3001 * 40 + 32 + 8);
    expect(firstDifference(written, nd.saveBytes(arrays))).toBe(-1);
    const loaded = nd.load(file) as NDArray[];
    expect(firstDifference(new Uint8Array(loaded[1].data.buffer), new Uint8Array(large.data.buffer))).toBe(-1);
    expect(loaded[3001].toArray()).toEqual([2999, -2999]);
  });

  test('a list saves without names and loads as a list; save overwrites', () => {
    const file = path.join(dir, 'list.params');
    writeFileSync(file, 'old contents');
    nd.save(file, [nd.ones([3])]);
    expect(nd.load(file)).toEqual([expect.any(NDArray)]);
    expect((nd.load(file) as NDArray[])[0].toArray()).toEqual([1, 1, 1]);
  });

  test('load of a missing file names the path', () => {
    const missing = path.join(dir, 'missing.params');
    expect(() => nd.load(missing)).toThrow(new GluonError(`nd.load: expected an existing file, but '${missing}' does not exist`));
  });

  test('load of a directory, or of a corrupt file, names the path', () => {
    expect(() => nd.load(dir)).toThrow(new GluonError(`nd.load: cannot read '${dir}': expected a file, but it is a directory`));
    const corrupt = path.join(dir, 'corrupt.params');
    writeFileSync(corrupt, 'not a params file');
    expect(() => nd.load(corrupt)).toThrow(
      new GluonError(`nd.load: Invalid NDArray file format: expected magic 0x112, but got 0x6170206120746f6e (in '${corrupt}' at byte 0)`),
    );
  });

  test('save into a missing folder names the path; bad arguments are named as nd.save', () => {
    const target = path.join(dir, 'no', 'such', 'folder', 'x.params');
    expect(() => nd.save(target, [nd.ones([1])])).toThrow(new RegExp(`^nd\\.save: cannot write '${escape(target)}': .*ENOENT`));
    expect(() => Reflect.apply(nd.save, undefined, [path.join(dir, 'y.params'), [7]])).toThrow(
      /^nd\.save: save only accept dict str->NDArray or list of NDArray: expected an NDArray at index 0, but got the number 7$/,
    );
  });

  test('a path that is not a non-empty string', () => {
    expect(() => Reflect.apply(nd.load, undefined, [42])).toThrow(new GluonError('nd.load: expected a file path string, but got number'));
    expect(() => nd.save('', [])).toThrow(new GluonError('nd.save: expected a file path string, but got an empty string'));
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
