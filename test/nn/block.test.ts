import { inspect } from 'util';
import { GluonError, NDArray, nd, nn } from '../../src';
import { Parameter } from '../../src/nn/parameter';

/** A user-defined block: a residual InstanceNorm with a learned scalar gate. */
class Residual extends nn.Block {
  readonly norm: nn.InstanceNorm;
  readonly gate: Parameter;
  constructor() {
    super();
    this.gate = this.params.get('gate', { shape: [1], init: 'ones' });
    this.norm = this.nameScope(() => new nn.InstanceNorm());
  }
  override forward(x: NDArray): NDArray {
    const gate = this.gate.data().toFloat32Array()[0];
    return x.add(this.norm(x).mul(gate));
  }
}

function counterOf(prefix: string): number {
  return Number(/(\d+)_$/.exec(prefix)?.[1]);
}

describe('Block naming', () => {
  it('numbers blocks of a class from a global counter', () => {
    const a = new nn.InstanceNorm();
    const b = new nn.InstanceNorm();
    expect(a.prefix).toMatch(/^instancenorm\d+_$/);
    expect(counterOf(b.prefix)).toBe(counterOf(a.prefix) + 1);
    expect(a.name).toBe(a.prefix.slice(0, -1));
    expect(a.gamma.name).toBe(`${a.prefix}gamma`);
  });

  it("prefixes children made in a parent's name scope, counting per parent", () => {
    const net = new Residual();
    expect(net.norm.prefix).toBe(`${net.prefix}instancenorm0_`);
    expect(net.norm.gamma.name).toBe(`${net.prefix}instancenorm0_gamma`);
    const second = net.nameScope(() => new nn.InstanceNorm());
    expect(second.prefix).toBe(`${net.prefix}instancenorm1_`);
  });

  it('uses an explicit prefix verbatim', () => {
    expect(new nn.InstanceNorm({ prefix: 'mine_' }).gamma.name).toBe('mine_gamma');
  });

  it('shares parameters through the params option', () => {
    const a = new nn.InstanceNorm();
    const b = new nn.InstanceNorm({ params: a.collectParams() });
    expect(b.gamma).toBe(a.gamma);
    expect(b.beta).toBe(a.beta);
  });
});

describe('Block registration and parameters', () => {
  it('registers children and parameters by assignment', () => {
    const net = new Residual();
    expect([...net.childEntries().keys()]).toEqual(['norm']);
    expect([...net.parameterEntries().keys()]).toEqual(['gate']);
  });

  it('collects its own parameters first, then children depth-first', () => {
    const net = new Residual();
    const p = net.prefix;
    expect([...net.collectParams().keys()]).toEqual([`${p}gate`, `${p}instancenorm0_gamma`, `${p}instancenorm0_beta`]);
    expect(net.collectParams().prefix).toBe(p);
  });

  it('selects with a regular expression anchored at the start, as re.match', () => {
    const net = new Residual();
    expect([...net.collectParams('.*beta').keys()]).toEqual([`${net.prefix}instancenorm0_beta`]);
    expect([...net.collectParams('beta').keys()]).toEqual([]);
    expect([...net.collectParams(/.*(gamma|gate)/).keys()]).toEqual([`${net.prefix}gate`, `${net.prefix}instancenorm0_gamma`]);
  });

  it('refuses to change the type of a block attribute or to override a parameter', () => {
    class Bad extends nn.Block {
      child: nn.Block | number;
      weight: Parameter;
      constructor() {
        super();
        this.child = new nn.InstanceNorm();
        this.weight = this.params.get('weight', { shape: [1] });
      }
    }
    const bad = new Bad();
    expect(() => (bad.child = 3)).toThrow(GluonError);
    expect(() => (bad.child = 3)).toThrow(`${bad.name}: changing attribute type for 'child' from Block to the number 3 is not allowed`);
    expect(() => (bad.weight = new Parameter('other'))).toThrow(`${bad.name}: overriding Parameter attribute 'weight' is not allowed.`);
  });

  it('registers children under their count by default and rejects non-blocks', () => {
    const net = new nn.Block();
    net.registerChild(new nn.InstanceNorm());
    net.registerChild(new nn.InstanceNorm());
    expect([...net.childEntries().keys()]).toEqual(['0', '1']);
    expect(() => net.registerChild({} as nn.Block)).toThrow(`${net.name}: expected a Block to register as child '2', but got an object (Object)`);
  });

  it('initializes the whole tree and runs forward when called', () => {
    const net = new Residual();
    net.initialize();
    const x = nd.array([[[1, 3]], [[2, 2]]]);
    const y = net(x);
    // x + instance-normalized x: (±1/sqrt(1 + 1e-5)) added to [1, 3]; a constant instance adds 0.
    const r = 1 / Math.sqrt(1 + 1e-5);
    const got = Array.from(y.toFloat32Array());
    [1 - r, 3 + r, 2, 2].forEach((v, i) => expect(got[i]).toBeCloseTo(v, 6));
  });

  it('runs forward hooks after forward, until detached', () => {
    const layer = new nn.InstanceNorm();
    layer.initialize();
    const seen: number[][] = [];
    const handle = layer.registerForwardHook((_block, inputs, output) => seen.push([inputs.length, ...(output as NDArray).shape]));
    const x = nd.array([[[1, 2]]]);
    layer(x);
    handle.detach();
    layer(x);
    expect(seen).toEqual([[1, 1, 1, 2]]);
  });

  it('apply visits children, then the block itself', () => {
    const net = new Residual();
    const visited: string[] = [];
    net.apply((block) => visited.push(block.constructor.name));
    expect(visited).toEqual(['InstanceNorm', 'Residual']);
  });

  it('says that a plain Block needs a forward', () => {
    const block = new nn.Block();
    expect(() => block(nd.zeros([1]))).toThrow(`Block '${block.name}' has no forward: a Block subclass must override forward(), got 1 inputs`);
  });
});

describe('Block text form', () => {
  it("prints children as Gluon's repr, and console.log shows the same", () => {
    const net = new Residual();
    const text = 'Residual(\n  (norm): InstanceNorm(eps=1e-05, axis=1, center=True, scale=False, in_channels=0)\n)';
    expect(net.toString()).toBe(text);
    expect(inspect(net)).toBe(text);
  });
});
