/**
 * hybridize(): the block is traced into a graph on its next call and later calls run the cached
 * graph — bitwise the imperative results and gradients; export writes MXNet's files, which
 * SymbolBlock.imports reads back.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { GluonError, autograd, gluon, nd, NDArray, nn, random, sym } from '../../src';
import { makeRng, randomArray } from '../helpers/naive_ops';

const rng = makeRng(41);

/** relu(x)·scale + x: a user block with a parameter, written against F. */
class ScaledRelu extends nn.HybridBlock {
  readonly scale: nn.Parameter;
  constructor() {
    super();
    this.scale = this.params.get('scale', { shape: [1], init: 'ones' });
  }
  override hybridForward(F: nn.HybridF, x: nn.Tensor, { scale }: nn.TensorRecord): nn.Tensor {
    return F.add(F.multiply(F.relu(x), scale), x);
  }
}

/**
 * Conv2D → ScaledRelu → Dense → ScaledRelu → Dense, its parameters drawn from seed 7 (once their
 * shapes are known: `finished` runs one imperative forward first, so every net has the same values).
 */
function makeNet(finished = true): nn.HybridSequential {
  random.seed(7);
  const net = new nn.HybridSequential();
  net.nameScope(() => net.add(new nn.Conv2D(4, 3, { padding: 1 }), new ScaledRelu(), new nn.Dense(5), new ScaledRelu(), new nn.Dense(2)));
  net.initialize('xavier');
  if (finished) net(nd.zeros([1, 3, 6, 6]));
  return net;
}

describe('a hybridized network', () => {
  it('gives bitwise the imperative outputs, on every call and for new batch sizes', () => {
    const imperative = makeNet();
    const hybrid = makeNet();
    hybrid.hybridize();
    expect(hybrid.isHybridized).toBe(true);
    for (const batch of [2, 2, 5, 2]) {
      const x = randomArray(rng, [batch, 3, 6, 6]);
      expect(hybrid(x).data).toEqual(imperative(x).data);
    }
  });

  it('infers deferred parameter shapes from its graph on the first call', () => {
    const net = makeNet(false);
    net.hybridize();
    net(randomArray(rng, [1, 3, 6, 6]));
    const weights = [...net.collectParams('.*weight').values()].map((p) => p.shape);
    expect(weights).toEqual([[4, 3, 3, 3], [5, 144], [2, 5]]);
  });

  it('gives the imperative gradients through autograd.record', () => {
    const imperative = makeNet();
    const hybrid = makeNet();
    hybrid.hybridize();
    const x = randomArray(rng, [2, 3, 6, 6]);
    hybrid(x);
    imperative(x);
    for (const net of [hybrid, imperative]) autograd.record(() => net(x).square().sum()).backward();
    const grads = (net: nn.Block) => [...net.collectParams().values()].map((p) => Array.from(p.grad().data));
    expect(grads(hybrid)).toEqual(grads(imperative));
  });

  it('returns to imperative execution with hybridize(false)', () => {
    const net = makeNet();
    net.hybridize();
    net.hybridize(false);
    expect(net.isHybridized).toBe(false);
    const x = randomArray(rng, [1, 3, 6, 6]);
    expect(net(x).data).toEqual(makeNet()(x).data);
  });

  it('prints the same summary as when imperative', () => {
    const x = randomArray(rng, [1, 3, 6, 6]);
    const log = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const plain = makeNet().summary(x);
      const net = makeNet();
      net.hybridize();
      expect(net.summary(x)).toBe(plain);
      expect(net.isHybridized).toBe(true);
    } finally {
      log.mockRestore();
    }
  });

  it('requires staticAlloc with staticShape, as Gluon', () => {
    expect(() => makeNet().hybridize({ staticShape: true })).toThrow(/hybridize with staticShape requires staticAlloc/);
    const net = makeNet();
    net.hybridize({ staticAlloc: true, staticShape: true });
    const x = randomArray(rng, [2, 3, 6, 6]);
    expect(net(x).data).toEqual(makeNet()(x).data);
  });
});

describe('tracing', () => {
  it('refuses to read values from a Symbol, saying why', () => {
    class Peeks extends nn.HybridBlock {
      override hybridForward(_F: nn.HybridF, x: nn.Tensor): nn.Tensor {
        if (x instanceof NDArray) return x;
        x.toArray();
        return x;
      }
    }
    const block = new Peeks();
    block.hybridize();
    expect(() => block(nd.ones([1]))).toThrow(/a Symbol has no values \(toArray\(\)\)/);
  });

  it('refuses to trace a plain Block', () => {
    const seq = new nn.Sequential();
    seq.add(new ScaledRelu());
    seq.initialize();
    expect(() => seq(sym.var('x'))).toThrow(`${seq.name}: a Sequential is not a HybridBlock, so it cannot be traced into a graph (it was called on a Symbol)`);
  });

  it('makes one variable of a parameter read by two layers', () => {
    const first = new ScaledRelu();
    const net = new nn.HybridSequential();
    net.add(first, new (class extends nn.HybridBlock {
      override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor {
        return F.multiply(x, first.scale.var());
      }
    })());
    net.initialize();
    net.hybridize();
    net(nd.ones([2]));
    const graph = sym.loadJson(net.exportBytes().symbol);
    expect(graph.listArguments().filter((name) => name === first.scale.name)).toHaveLength(1);
  });
});

describe('export and SymbolBlock.imports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-export-'));

  it("write MXNet's two files, which SymbolBlock.imports reads back into the same function", () => {
    const net = makeNet();
    net.hybridize();
    const x = randomArray(rng, [2, 3, 6, 6]);
    const expected = net(x);
    const prefix = path.join(dir, 'net');
    net.export(prefix);
    expect(fs.existsSync(`${prefix}-symbol.json`)).toBe(true);
    const keys = Object.keys(nd.load(`${prefix}-0000.params`) as Record<string, NDArray>);
    expect(keys).toEqual([...net.collectParams().keys()].map((name) => `arg:${name}`));
    const back = gluon.SymbolBlock.imports(`${prefix}-symbol.json`, ['data'], `${prefix}-0000.params`);
    expect((back(x) as NDArray).data).toEqual(expected.data);
  });

  it("names the layers' nodes as Gluon does (<prefix>fwd)", () => {
    const net = makeNet();
    const names = JSON.parse(net.exportBytes().symbol).nodes.filter((n: { op: string }) => n.op !== 'null').map((n: { name: string }) => n.name);
    const [conv, dense] = [net.get(0), net.get(2)];
    expect(names).toContain(`${conv.prefix}fwd`);
    expect(names).toContain(`${dense.prefix}fwd`);
  });

  it("exports an InstanceNorm over axis 3 as Gluon's graph (swapaxes around the operator), which reads back", () => {
    const norm = new nn.InstanceNorm({ axis: 3, inChannels: 2 });
    norm.initialize();
    const x = randomArray(rng, [2, 3, 4, 2]);
    const expected = norm(x);
    const model = norm.exportBytes();
    const nodes = JSON.parse(model.symbol).nodes as { op: string; attrs?: Record<string, string> }[];
    expect(nodes.filter((n) => n.op !== 'null').map((n) => n.op)).toEqual(['SwapAxis', 'InstanceNorm', 'SwapAxis']);
    expect(nodes.find((n) => n.op === 'InstanceNorm')?.attrs).toEqual({ eps: '1e-05' });
    const back = gluon.SymbolBlock.imports(model.symbol, ['data'], model.params);
    const got = back(x) as NDArray;
    got.toFloat32Array().forEach((v, i) => expect(v).toBeCloseTo(expected.toFloat32Array()[i], 5));
  });

  it('names the epoch with four digits and gives the same files as bytes', () => {
    const net = makeNet();
    net(randomArray(rng, [1, 3, 6, 6]));
    net.export(path.join(dir, 'e'), 12);
    const bytes = net.exportBytes();
    expect(fs.readFileSync(path.join(dir, 'e-symbol.json'), 'utf8')).toBe(bytes.symbol);
    expect(new Uint8Array(fs.readFileSync(path.join(dir, 'e-0012.params')))).toEqual(bytes.params);
  });

  it('needs one forward first, and a valid prefix and epoch', () => {
    expect(() => makeNet(false).exportBytes()).toThrow(GluonError);
    expect(() => makeNet(false).exportBytes()).toThrow(/export needs the number of inputs: run the block forward at least once/);
    const net = makeNet();
    net(randomArray(rng, [1, 3, 6, 6]));
    expect(() => net.export(path.join(dir, 'x'), -1)).toThrow('export: expected epoch to be an integer >= 0, but got -1');
    expect(() => net.export('')).toThrow('export: expected a path prefix string, but got ');
  });
});

describe("the README's example", () => {
  it('traces, exports and imports a block with a parameter declared as a field', () => {
    class Scaled extends nn.HybridBlock {
      readonly alpha = this.params.get('alpha', { shape: [1], init: 'ones' });
      override hybridForward(F: nn.HybridF, x: nn.Tensor, { alpha }: nn.TensorRecord): nn.Tensor {
        return F.multiply(F.relu(x), alpha);
      }
    }
    const net = new Scaled();
    net.initialize();
    net.alpha.setData(nd.array([3]));
    net.hybridize();
    const x = nd.array([-1, 2]);
    expect(net(x).toArray()).toEqual([0, 6]);
    const prefix = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsgluon-readme-')), 'net');
    net.export(prefix);
    const back = gluon.SymbolBlock.imports(`${prefix}-symbol.json`, ['data'], `${prefix}-0000.params`);
    expect((back(x) as NDArray).toArray()).toEqual([0, 6]);
  });
});
