import { GluonError, nd, nn } from '../../src';

/** A HybridBlock written as Gluon code would be: y = alpha * x. */
class Scale extends nn.HybridBlock {
  readonly alpha: nn.Parameter;
  constructor(options: nn.BlockOptions = {}) {
    super(options);
    this.alpha = this.params.get('alpha', { shape: [1], init: 'ones' });
  }
  override hybridForward(F: nn.HybridF, x: nn.Tensor, { alpha }: nn.TensorRecord): nn.Tensor {
    return F.multiply(x, alpha);
  }
}

const noWarn = () => jest.spyOn(console, 'log').mockImplementation(() => undefined);

describe('Sequential and HybridSequential', () => {
  it('chain children keyed 0, 1, … and name them inside the name scope', () => {
    const net = new nn.HybridSequential();
    net.nameScope(() => net.add(new Scale(), new nn.InstanceNorm()));
    expect([...net.childEntries().keys()]).toEqual(['0', '1']);
    expect(net.get(1).prefix).toBe(`${net.prefix}instancenorm0_`);
    expect([...net.collectParams().keys()]).toEqual([`${net.prefix}scale0_alpha`, `${net.prefix}instancenorm0_gamma`, `${net.prefix}instancenorm0_beta`]);
    net.initialize();
    (net.get(0) as Scale).alpha.setData(nd.array([3]));
    net.get(1).collectParams('.*beta').lookup(`${net.prefix}instancenorm0_beta`)?.setData(nd.array([5]));
    const y = Array.from(net(nd.array([[[1, 1]]])).toFloat32Array());
    expect(y).toEqual([5, 5]); // 3·x is constant per instance, so InstanceNorm gives beta
  });

  it('support length, negative indexing and iteration', () => {
    const net = new nn.Sequential().add(new Scale(), new Scale(), new nn.InstanceNorm());
    expect(net.length).toBe(3);
    expect(net.get(-1)).toBeInstanceOf(nn.InstanceNorm);
    expect([...net].map((b) => b.constructor.name)).toEqual(['Scale', 'Scale', 'InstanceNorm']);
    expect(() => net.get(3)).toThrow(`${net.name}: expected an integer index in [-3, 2], but got the number 3`);
  });

  it('keep the global names of blocks made outside the scope', () => {
    const outside = new nn.InstanceNorm();
    const net = new nn.Sequential().add(outside);
    expect(net.get(0).prefix).toBe(outside.prefix);
  });

  it("print Gluon's text form", () => {
    const net = new nn.Sequential().add(new nn.InstanceNorm(), new nn.InstanceNorm({ axis: -1 }));
    expect(net.toString()).toBe(
      'Sequential(\n  (0): InstanceNorm(eps=1e-05, axis=1, center=True, scale=False, in_channels=0)\n' +
        '  (1): InstanceNorm(eps=1e-05, axis=-1, center=True, scale=False, in_channels=0)\n)',
    );
  });

  it('reject non-blocks, and non-hybrid children of a HybridBlock', () => {
    const net = new nn.HybridSequential();
    const child = new nn.Sequential();
    expect(() => net.add(child as unknown as nn.HybridBlock)).toThrow(GluonError);
    expect(() => net.add(child as unknown as nn.HybridBlock)).toThrow(
      `${net.name}: children of a HybridBlock must also be HybridBlocks, but got a Sequential (${child.name}) as child '0'. If you are using Sequential, please try HybridSequential instead.`,
    );
    const plain = new nn.Sequential();
    expect(() => plain.add(42 as unknown as nn.Block)).toThrow(`${plain.name}: expected a Block to register as child '0', but got the number 42`);
  });

  it('accept hybridize() as a no-op', () => {
    const net = new nn.HybridSequential().add(new Scale());
    net.initialize();
    net.hybridize();
    expect(Array.from(net(nd.array([2])).toFloat32Array())).toEqual([2]);
  });
});

describe('HybridBlock', () => {
  it('passes F = nd and its parameters by attribute name', () => {
    const scale = new Scale();
    scale.initialize();
    scale.alpha.setData(nd.array([-2]));
    expect(Array.from(scale(nd.array([1, 2])).toFloat32Array())).toEqual([-2, -4]);
  });

  it('says that a subclass must implement hybridForward', () => {
    const block = new nn.HybridBlock();
    expect(() => block(nd.zeros([1]))).toThrow(`HybridBlock '${block.name}' has no hybridForward: a HybridBlock subclass must override it, got 1 inputs`);
  });
});

describe('summary', () => {
  it("prints Gluon's table for InstanceNorm on a (2, 1, 2) input", () => {
    const log = noWarn();
    const layer = new nn.InstanceNorm();
    layer.initialize();
    const table = layer.summary(nd.zeros([2, 1, 2]));
    const expected = [
      '-'.repeat(80),
      '        Layer (type)                                Output Shape         Param #',
      '='.repeat(80),
      '               Input                                   (2, 1, 2)               0',
      '      InstanceNorm-1                                   (2, 1, 2)               2',
      '='.repeat(80),
      'Parameters in forward computation graph, duplicate included',
      '   Total params: 2',
      '   Trainable params: 1',
      '   Non-trainable params: 1',
      'Shared params in forward computation graph: 0',
      'Unique parameters in model: 2',
      '-'.repeat(80),
    ].join('\n');
    expect(table).toBe(expected);
    expect(log).toHaveBeenCalledWith(expected);
    log.mockRestore();
  });

  it('lists layers in order of completion, skips containers and counts shared parameters', () => {
    const log = noWarn();
    const first = new Scale();
    const net = new nn.Sequential().add(first, new Scale({ params: first.collectParams() }), new nn.InstanceNorm({ inChannels: 1 }));
    net.initialize();
    const lines = net.summary(nd.zeros([1, 1, 3])).split('\n');
    expect(lines.slice(3, 7).map((l) => l.trim().split(/\s+/)[0])).toEqual(['Input', 'Scale-1', 'Scale-2', 'InstanceNorm-3']);
    expect(lines).toContain('Shared params in forward computation graph: 1');
    expect(lines).toContain('Unique parameters in model: 3');
    expect(lines).toContain('   Total params: 4');
    log.mockRestore();
  });
});
