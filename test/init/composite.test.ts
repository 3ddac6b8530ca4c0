/**
 * init.Mixed (first matching name pattern), init.Load (arrays by name, from a record or a file,
 * MXNet's arg:/aux: prefixes, a default) and init.LSTMBias (the forget gate's quarter): values
 * written out by hand, through net.initialize too; every error names the parameter.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GluonError, init, nd, nn } from '../../src';

describe('init.Mixed', () => {
  it('gives each parameter the initializer of the first pattern matching the start of its name', () => {
    const mixed = new init.Mixed(['.*bias', 'dense\\d+_weight', '.*'], ['zeros', new init.Constant(2), 'ones']);
    expect(mixed.initialize('dense0_bias', [2]).toArray()).toEqual([0, 0]);
    expect(mixed.initialize('dense3_weight', [2]).toArray()).toEqual([2, 2]);
    expect(mixed.initialize('conv0_weight', [1]).toArray()).toEqual([1]);
    // Anchored at the start only, as re.match: 'weight' does not match 'dense0_weight'.
    expect(() => new init.Mixed(['weight'], ['ones']).initialize('dense0_weight', [1]))
      .toThrow("init.Mixed: parameter name dense0_weight did not match any pattern; consider adding a '.*' pattern at the end with a default initializer");
  });

  it('initializes a network, and refuses mismatched lists and bad patterns', () => {
    const net = new nn.Dense(3, { inUnits: 2 });
    net.initialize(new init.Mixed(['.*weight', '.*'], [new init.Constant(0.5), 'ones']));
    expect(net.weight.data().toArray()).toEqual([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]);
    expect(net.bias?.data().toArray()).toEqual([0, 0, 0]); // a parameter's own initializer ('zeros') wins, as in Gluon
    expect(() => new init.Mixed(['.*'], [])).toThrow('init.Mixed: expected as many patterns as initializers (two lists), but got');
    expect(() => new init.Mixed(['('], ['ones'])).toThrow(/^init\.Mixed: pattern 0 \('\('\) is not a regular expression: /);
  });
});

describe('init.Load', () => {
  const arrays = { 'arg:dense0_weight': nd.array([[1, 2]]), 'aux:stat': nd.array([3]) };

  it('copies arrays by name (dropping arg:/aux:), from a record or a .params file, with a default for the rest', () => {
    const loader = new init.Load(arrays, { defaultInit: new init.Constant(7) });
    expect(loader.initialize('dense0_weight', [1, 2]).toArray()).toEqual([[1, 2]]);
    expect(loader.initialize('stat', [1]).toArray()).toEqual([3]);
    expect(loader.initialize('other', [2]).toArray()).toEqual([7, 7]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-load-'));
    try {
      const file = path.join(dir, 'w.params');
      nd.save(file, arrays);
      expect(new init.Load(file).initialize('dense0_weight', [1, 2]).toArray()).toEqual([[1, 2]]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names a missing parameter, a shape mismatch and a list of arrays', () => {
    expect(() => new init.Load(arrays).initialize('missing', [1])).toThrow('init.Load: cannot initialize missing: it is not among the loaded arrays and no defaultInit is given');
    expect(() => new init.Load(arrays).initialize('dense0_weight', [2, 1]))
      .toThrow('init.Load: parameter dense0_weight cannot be initialized from loading: expected shape (2, 1), but the loaded array has (1, 2)');
    expect(() => new init.Load([nd.ones([1])] as never)).toThrow(GluonError);
  });
});

describe('init.LSTMBias', () => {
  it("sets the forget gate's quarter of a 4·hidden bias, registered as 'lstmbias'", () => {
    expect(new init.LSTMBias(1).initialize('lstm0_i2h_bias', [8]).toArray()).toEqual([0, 0, 1, 1, 0, 0, 0, 0]);
    expect(init.create('lstmbias').initialize('b', [4]).toArray()).toEqual([0, 1, 0, 0]);
    expect(init.create({ initializer: 'lstmbias', forgetBias: 2.5 }).initialize('b', [4]).toArray()).toEqual([0, 2.5, 0, 0]);
    expect(new init.LSTMBias(0.5).dumps()).toBe('["lstmbias", {"forget_bias": 0.5}]');
    expect(() => new init.LSTMBias().initialize('b', [6])).toThrow("init.LSTMBias: expected a 1-D bias of 4·hidden values (MXNet's four gates) for b, but got shape (6,)");
  });
});
