import { mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { GluonError, NDArray, nd, nn } from '../../src';
import { briefList } from '../../src/nn/parameter_files';

/** The 137-byte file MXNet 1.9 writes for InstanceNorm(in_channels=2).save_parameters (mxnet-gluon-behaviour.md §8). */
const MXNET_INSTANCENORM_FILE = Uint8Array.from(
  `12 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 c9 fa 93 f9 00 00 00 00
   01 00 00 00 02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00 00 00 80 3f 00 00 80 3f
   c9 fa 93 f9 00 00 00 00 01 00 00 00 02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 00 00 00 00
   00 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 05 00 00 00 00 00 00 00 67 61 6d 6d 61 04 00 00
   00 00 00 00 00 62 65 74 61`
    .trim()
    .split(/\s+/)
    .map((byte) => parseInt(byte, 16)),
);

const values = (x: NDArray) => Array.from(x.toFloat32Array());

function twoNorms(): nn.Sequential {
  const net = new nn.Sequential();
  net.nameScope(() => net.add(new nn.InstanceNorm({ inChannels: 2 }), new nn.InstanceNorm({ inChannels: 3 })));
  return net;
}

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'tsgluon-params-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('saveParameters', () => {
  it("writes MXNet's exact bytes for InstanceNorm(in_channels=2)", () => {
    const layer = new nn.InstanceNorm({ inChannels: 2 });
    layer.initialize();
    expect(layer.saveParametersBytes()).toEqual(MXNET_INSTANCENORM_FILE);
    const path = join(dir, 'instancenorm.params');
    layer.saveParameters(path);
    expect(new Uint8Array(readFileSync(path))).toEqual(MXNET_INSTANCENORM_FILE);
  });

  it('keys parameters structurally, depth-first', () => {
    const net = twoNorms();
    net.initialize();
    expect(Object.keys(nd.loadBytes(net.saveParametersBytes()))).toEqual(['0.gamma', '0.beta', '1.gamma', '1.beta']);
  });

  it('saves a shared parameter once, under its last key, with deduplicate', () => {
    const first = new nn.InstanceNorm({ inChannels: 2 });
    const net = new nn.Sequential().add(first, new nn.InstanceNorm({ inChannels: 2, params: first.collectParams() }));
    net.initialize();
    expect(Object.keys(nd.loadBytes(net.saveParametersBytes()))).toEqual(['0.gamma', '0.beta', '1.gamma', '1.beta']);
    expect(Object.keys(nd.loadBytes(net.saveParametersBytes({ deduplicate: true })))).toEqual(['1.gamma', '1.beta']);
  });
});

describe('loadParameters', () => {
  it("loads MXNet's file into a deferred layer of any prefix (the legacy path)", () => {
    const layer = new nn.InstanceNorm({ prefix: 'anything_' });
    layer.initialize();
    layer.loadParameters(MXNET_INSTANCENORM_FILE);
    expect(values(layer.gamma.data())).toEqual([1, 1]);
    expect(values(layer.beta.data())).toEqual([0, 0]);
  });

  it('round-trips a network through a file without a prior initialize', () => {
    const source = twoNorms();
    source.initialize();
    source.get(1).collectParams('.*beta').values().next().value?.setData(nd.array([7, 8, 9]));
    const path = join(dir, 'two.params');
    source.saveParameters(path);
    const target = new nn.Sequential().add(new nn.InstanceNorm(), new nn.InstanceNorm());
    target.loadParameters(path);
    expect(values((target.get(1) as nn.InstanceNorm).beta.data())).toEqual([7, 8, 9]);
    expect((target.get(0) as nn.InstanceNorm).gamma.shape).toEqual([2]);
  });

  it("loads older full-name files ('sequential0_instancenorm0_gamma' minus the block prefix) and arg:/aux: keys", () => {
    const net = twoNorms();
    const p = net.prefix;
    const bytes = nd.saveBytes({
      'arg:instancenorm0_gamma': nd.array([1, 2]),
      'aux:instancenorm0_beta': nd.array([3, 4]),
      instancenorm1_gamma: nd.array([5, 6, 7]),
      instancenorm1_beta: nd.array([8, 9, 10]),
    });
    net.loadParameters(bytes);
    expect(values(net.collectParams().lookup(`${p}instancenorm0_beta`)!.data())).toEqual([3, 4]);
    expect(values(net.collectParams().lookup(`${p}instancenorm1_gamma`)!.data())).toEqual([5, 6, 7]);
  });

  it('names missing and extra keys with the file and the choices, unless allowed', () => {
    const net = twoNorms();
    const partial = nd.saveBytes({ '0.gamma': nd.ones([2]), '0.beta': nd.ones([2]), '9.extra': nd.ones([1]) });
    expect(() => net.loadParameters(partial)).toThrow(GluonError);
    expect(() => net.loadParameters(partial)).toThrow(
      "Parameter '1.gamma' is missing in file '<bytes>', which contains parameters: '0.gamma', '0.beta', '9.extra'. Set allowMissing=true to ignore missing parameters.",
    );
    expect(() => net.loadParameters(partial, { allowMissing: true })).toThrow(
      "Parameter '9.extra' loaded from file '<bytes>' is not present in the block, which contains parameters . Set ignoreExtra=true to ignore.",
    );
    net.loadParameters(partial, { allowMissing: true, ignoreExtra: true });
    expect(values((net.get(0) as nn.InstanceNorm).beta.data())).toEqual([1, 1]);
  });

  it('names the parameter, the file and both shapes on a shape mismatch', () => {
    const layer = new nn.InstanceNorm({ inChannels: 3, prefix: 'norm_' });
    expect(() => layer.loadParameters(MXNET_INSTANCENORM_FILE)).toThrow(
      "Failed loading Parameter 'norm_gamma' from saved params in '<bytes>': shape incompatible expected (3,) vs saved (2,)",
    );
  });

  it('names missing and extra keys on the legacy path, with the naming hint', () => {
    const layer = new nn.InstanceNorm({ inChannels: 2, prefix: 'norm_' });
    expect(() => layer.loadParameters(nd.saveBytes({ gamma: nd.ones([2]) }))).toThrow(
      /^Parameter 'beta' is missing in file '<bytes>', which contains parameters: 'gamma'\. Please make sure source and target networks have the same prefix\./,
    );
    expect(() => layer.loadParameters(nd.saveBytes({ gamma: nd.ones([2]), beta: nd.ones([2]), mean: nd.ones([2]) }))).toThrow(
      /^Parameter 'mean' loaded from file '<bytes>' is not present in ParameterDict, choices are: 'norm_gamma', 'norm_beta'\. Set ignoreExtra=true/,
    );
  });

  it('refuses an unnamed list file', () => {
    const layer = new nn.InstanceNorm();
    expect(() => layer.loadParameters(nd.saveBytes([nd.ones([2])]))).toThrow(
      "loadParameters: '<bytes>' holds an unnamed list of 1 arrays (nd.save of a list); a parameter file needs names",
    );
  });
});

describe('ParameterDict save and load', () => {
  it('strips and restores a prefix', () => {
    const layer = new nn.InstanceNorm({ inChannels: 2, prefix: 'norm_' });
    layer.initialize();
    layer.beta.setData(nd.array([4, 5]));
    const path = join(dir, 'dict.params');
    layer.collectParams().save(path, 'norm_');
    expect(Object.keys(nd.load(path))).toEqual(['gamma', 'beta']);
    const other = new nn.InstanceNorm({ prefix: 'copy_' });
    other.collectParams().load(path, { restorePrefix: 'copy_' });
    expect(values(other.beta.data())).toEqual([4, 5]);
    expect(() => layer.collectParams().save(path, 'other_')).toThrow(
      "Prefix 'other_' is to be stripped before saving, but Parameter's name 'norm_gamma' does not start with 'other_'",
    );
    expect(() => layer.collectParams().load(path, { restorePrefix: 'x_' })).toThrow(
      "restorePrefix is 'x_' but Parameters name 'norm_gamma' does not start with 'x_'",
    );
  });

  it("prints long key lists as Gluon's brief list", () => {
    expect(briefList(['a', 'b'])).toBe("'a', 'b'");
    expect(briefList(['1', '2', '3', '4', '5', '6', '7', '8'])).toBe("'1', '2', '3', ..., '5', '6', '7', '8'");
  });
});
