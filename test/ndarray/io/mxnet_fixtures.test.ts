/**
 * Real files written by MXNet 1.9 (/work/shared/fixtures/mxnet): load them, check keys, shapes and
 * values (read independently with Python's struct module), and re-save them byte for byte.
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import * as nd from '../../../src/ndarray';
import { NDArray } from '../../../src/ndarray';
import { firstDifference } from './spec_bytes';

const dir = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'mxnet');
const present = existsSync(dir);
if (!present) console.warn(`mxnet_fixtures.test.ts: skipping, the MXNet fixture folder ${dir} is missing`);
const describeFixtures = present ? describe : describe.skip;

function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(path.join(dir, name)));
}

describeFixtures('MXNet 1.9 files', () => {
  test('two_arrays_list.params: a list save of two float32 (4,) arrays, 128 bytes', () => {
    const bytes = fixture('two_arrays_list.params');
    expect(bytes.length).toBe(128);
    const loaded = nd.loadBytes(bytes, 'two_arrays_list.params');
    expect(Array.isArray(loaded)).toBe(true);
    const list = loaded as NDArray[];
    expect(list.map((a) => a.shape)).toEqual([[4], [4]]);
    expect(list.map((a) => a.toArray())).toEqual([
      [1, 2, 3, 4],
      [3, 4, 2, 4],
    ]);
    expect(firstDifference(nd.saveBytes(list), bytes)).toBe(-1);
  });

  test('lenet_fashionmnist.params: save_parameters keys, shapes and values', () => {
    const bytes = fixture('lenet_fashionmnist.params');
    const loaded = nd.loadBytes(bytes, 'lenet_fashionmnist.params');
    expect(Array.isArray(loaded)).toBe(false);
    const params = loaded as Record<string, NDArray>;
    // Keys, shapes and the first values as Python's struct.unpack_from('<f', ...) reads them.
    const expected: Array<[string, number[], number[]]> = [
      ['0.weight', [6, 1, 5, 5], [0.05949854850769043, 0.17931130528450012, 0.31288397312164307]],
      ['0.bias', [6], [0.024853723123669624, 0.05162109062075615, 0.01892840676009655]],
      ['2.weight', [16, 6, 3, 3], [-0.031036607921123505, -0.005460744723677635, -0.08668338507413864]],
      ['2.bias', [16], [-0.066838338971138, -0.052046265453100204, 0.08138205111026764]],
      ['5.weight', [120, 400], [0.02628522925078869, 0.003997078165411949, -0.04044118896126747]],
      ['5.bias', [120], [0.0438443087041378, -0.0008958128746598959, 0.01707206480205059]],
      ['6.weight', [84, 120], [0.10300834476947784, -0.050035931169986725, 0.06701929867267609]],
      ['6.bias', [84], [0.1136639267206192, 0.2262216955423355, 0.01492408849298954]],
      ['7.weight', [10, 84], [0.3104022443294525, -0.1356794238090515, 0.09366744756698608]],
      ['7.bias', [10], [-0.030679976567626, -0.14965692162513733, -0.06481852382421494]],
    ];
    expect(Object.keys(params)).toEqual(expected.map(([key]) => key));
    for (const [key, shape, first] of expected) {
      expect(params[key].shape).toEqual(shape);
      expect(Array.from(params[key].data.subarray(0, 3))).toEqual(first);
    }
  });

  test('lenet_fashionmnist.params re-saves byte-identical', () => {
    const bytes = fixture('lenet_fashionmnist.params');
    expect(firstDifference(nd.saveBytes(nd.loadBytes(bytes)), bytes)).toBe(-1);
  });

  test('nd.load reads the files from disk', () => {
    const list = nd.load(path.join(dir, 'two_arrays_list.params')) as NDArray[];
    expect(list[1].toArray()).toEqual([3, 4, 2, 4]);
    const params = nd.load(path.join(dir, 'lenet_fashionmnist.params')) as Record<string, NDArray>;
    expect(params['7.bias'].shape).toEqual([10]);
  });
});
