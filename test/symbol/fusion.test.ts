/**
 * The cached graph's activation fusion (symbol/fusion.ts): a hybridized network whose ReLU (or
 * other act type) follows a convolution, dense or normalization layer runs it inside that layer's kernel,
 * with the same bits as the imperative run and as max(y, 0) of the layer's own output (computed
 * here); ReLUs that cannot be fused (other readers, a graph output, no fusing producer) still
 * run; recording keeps every node, so gradients are the imperative ones. A Pad whose only reader
 * is a convolution's data is folded into it, with the imperative bits.
 */
import { autograd, nd, NDArray, nn } from '../../src';
import { ACTIVATION } from '../../src/ops/activation';
import { PAD } from '../../src/ops/pad';
import { UNARY } from '../../src/ops/unary';
import { makeRng, randomArray } from '../helpers/naive_ops';

const rng = makeRng(57);

/** How many times the forwards of `ops` ran during `body`. */
function runsOf(ops: readonly { forward: unknown }[], body: () => void): number {
  const spies = ops.map((op) => jest.spyOn(op as { forward: () => unknown }, 'forward'));
  try {
    body();
    return spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}

const reluRuns = (body: () => void) => runsOf([ACTIVATION, UNARY.relu], body);
const padRuns = (body: () => void) => runsOf([PAD], body);

/**
 * Runs `net` on x imperatively, then hybridized (after a tracing call): expects `counted` to
 * count `expectedRuns` operator runs in the hybridized call, and the imperative bits.
 */
function expectHybridMatches(net: nn.HybridBlock<NDArray | NDArray[]>, x: NDArray, counted: (body: () => void) => number, expectedRuns: number): void {
  const list = (y: NDArray | NDArray[]) => (Array.isArray(y) ? y : [y]);
  const imperative = list(net(x));
  net.hybridize();
  net(x); // traces
  let hybrid: NDArray[] = [];
  expect(counted(() => { hybrid = list(net(x)); })).toBe(expectedRuns);
  expect(hybrid.map((y) => y.data)).toEqual(imperative.map((y) => y.data));
}

/** Expects `counted` to count `expectedRuns` while recording, and the imperative gradients of sum(net(x)) after hybridizing. */
function expectRecordedGradientsMatch(net: nn.HybridBlock, x: NDArray, counted: (body: () => void) => number, expectedRuns: number): void {
  const gradients = (hybridize: boolean): Float32Array[] => {
    if (hybridize) net.hybridize();
    const input = nd.array(x);
    input.attachGrad();
    expect(counted(() => autograd.record(() => (net(input) as NDArray).sum()).backward())).toBe(expectedRuns);
    return [input.grad!.toFloat32Array(), ...[...net.collectParams().values()].map((p) => p.grad().toFloat32Array())];
  };
  const imperative = gradients(false);
  expect(gradients(true)).toEqual(imperative);
}

function sequential(...blocks: nn.HybridBlock[]): nn.HybridSequential {
  const net = new nn.HybridSequential();
  net.add(...blocks);
  net.initialize('xavier');
  return net;
}

/** Produces the layer's output, then applies ReLU: the block `net` should fuse. */
const CASES: [string, () => nn.HybridBlock[], number[]][] = [
  ['Conv2D with activation relu', () => [new nn.Conv2D(6, 3, { padding: 1, activation: 'relu' })], [2, 3, 9, 7]],
  ['Conv2D (3 channels: direct kernel) then Activation', () => [new nn.Conv2D(3, 3), new nn.Activation('relu')], [1, 4, 8, 8]],
  ['Conv2DTranspose then Activation', () => [new nn.Conv2DTranspose(4, 3, { strides: 2 }), new nn.Activation('relu')], [1, 3, 5, 5]],
  ['Dense with activation relu', () => [new nn.Dense(7, { activation: 'relu' })], [5, 11]],
  ['BatchNorm then Activation', () => [new nn.BatchNorm(), new nn.Activation('relu')], [4, 3, 5, 5]],
  ['InstanceNorm then Activation', () => [new nn.InstanceNorm({ scale: true }), new nn.Activation('relu')], [2, 3, 17, 17]],
  ['LayerNorm then Activation', () => [new nn.LayerNorm(), new nn.Activation('relu')], [3, 300]],
  ['GroupNorm then Activation', () => [new nn.GroupNorm({ numGroups: 2 }), new nn.Activation('relu')], [2, 4, 6, 6]],
];

describe('fusing a ReLU into the layer before it', () => {
  it.each(CASES)('%s: no separate ReLU, the imperative bits, max(y, 0) of the layer output', (_name, blocks, shape) => {
    const net = sequential(...blocks());
    const x = randomArray(rng, shape);
    const imperative = net(x) as NDArray;
    const layerOutput = (net.get(0) as nn.HybridBlock)(x) as NDArray;
    net.hybridize();
    net(x); // traces
    let hybrid: NDArray | undefined;
    expect(reluRuns(() => { hybrid = net(x) as NDArray; })).toBe(0);
    expect(hybrid?.data).toEqual(imperative.data);
    const withoutActivation = blocks().length === 1 ? undefined : layerOutput.data;
    if (withoutActivation !== undefined) expect(hybrid?.data).toEqual(withoutActivation.map((v) => Math.max(v, 0)));
    expect(imperative.data.some((v) => v === 0)).toBe(true);
  });

  it('applies in training mode too (BatchNorm with batch statistics, outside recording)', () => {
    const net = sequential(new nn.BatchNorm(), new nn.Activation('relu'));
    const twin = sequential(new nn.BatchNorm(), new nn.Activation('relu'));
    const x = randomArray(rng, [4, 3, 2, 2]);
    const imperative = autograd.trainMode(() => twin(x) as NDArray);
    net.hybridize();
    let hybrid: NDArray | undefined;
    expect(reluRuns(() => { hybrid = autograd.trainMode(() => net(x) as NDArray); })).toBe(0);
    expect(hybrid?.data).toEqual(imperative.data);
    const runningMean = (block: nn.Block) => [...block.collectParams().values()].find((p) => p.name.endsWith('running_mean'))?.data().data;
    expect(runningMean(net)).toEqual(runningMean(twin));
    expect(runningMean(net)).not.toEqual(new Float32Array(3));
  });
});

describe('fusing the other act types', () => {
  const activationRuns = (body: () => void) => runsOf([ACTIVATION, UNARY.relu, UNARY.sigmoid, UNARY.tanh, UNARY.softsign], body);
  const KINDS = ['sigmoid', 'tanh', 'softrelu', 'softsign', 'log_sigmoid', 'mish'] as const;

  it.each(KINDS)('%s after a convolution, an InstanceNorm and a dense layer: no separate node, the imperative bits', (kind) => {
    const net = sequential(
      new nn.Conv2D(6, 3, { padding: 1, activation: kind }),
      new nn.InstanceNorm({ scale: true }), new nn.Activation(kind),
      new nn.Dense(5, { activation: kind }),
    );
    expectHybridMatches(net, randomArray(rng, [2, 3, 9, 7]), activationRuns, 0);
  });

  it.each(['sigmoid', 'tanh', 'softsign'] as const)('the %s operator after a convolution', (kind) => {
    class ConvThen extends nn.HybridBlock {
      readonly conv = this.nameScope(() => new nn.Conv2D(4, 3));
      override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor {
        return F[kind](this.conv(x));
      }
    }
    const net = new ConvThen();
    net.initialize('xavier');
    expectHybridMatches(net, randomArray(rng, [1, 2, 7, 7]), activationRuns, 0);
  });
});

describe('ReLUs that stay separate', () => {
  it('when the layer output has another reader, is a graph output, or comes from a layer without a fused form', () => {
    class Branches extends nn.HybridBlock<NDArray[]> {
      readonly conv = this.nameScope(() => new nn.Conv2D(4, 3));
      readonly pool = this.nameScope(() => new nn.MaxPool2D());
      override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor[] {
        const y = this.conv(x);
        // relu(y) + y: y has two readers; relu(pool(x)): pooling does not fuse; sigmoid(y): y has other readers.
        return [F.add(F.relu(y), y), F.relu(this.pool(x)), F.sigmoid(y), y, F.relu(y)];
      }
    }
    const net = new Branches();
    net.initialize();
    expectHybridMatches(net, randomArray(rng, [1, 2, 6, 6]), reluRuns, 3);
  });

  it('relu(relu(conv)): the first is fused, the second runs', () => {
    const net = sequential(new nn.Conv2D(3, 1, { activation: 'relu' }), new nn.Activation('relu'));
    expectHybridMatches(net, randomArray(rng, [1, 2, 4, 4]), reluRuns, 1);
  });

  it('while recording every node runs, and the gradients are the imperative ones', () => {
    const net = sequential(new nn.Conv2D(5, 3, { activation: 'relu' }), new nn.Dense(3, { activation: 'relu' }));
    expectRecordedGradientsMatch(net, randomArray(rng, [2, 3, 6, 6]), reluRuns, 2);
  });
});

describe('fusing a Pad into the convolution after it', () => {
  it.each([
    ['ReflectionPad2D then Conv2D with ReLU (both fused)', () => [new nn.ReflectionPad2D(1), new nn.Conv2D(6, 3, { activation: 'relu' })], [2, 3, 9, 7]],
    ['ReflectionPad2D (4) then a 9×9 Conv2D with 3 channels (direct kernel)', () => [new nn.ReflectionPad2D(4), new nn.Conv2D(3, 9)], [1, 4, 12, 10]],
    ['ReflectionPad2D then a strided, padded Conv2D', () => [new nn.ReflectionPad2D([1, 2, 0, 1]), new nn.Conv2D(5, 3, { strides: 2, padding: 1 })], [2, 3, 8, 9]],
  ] as [string, () => nn.HybridBlock[], number[]][])('%s: no separate Pad, the imperative bits', (_name, blocks, shape) => {
    expectHybridMatches(sequential(...blocks()), randomArray(rng, shape), padRuns, 0);
  });

  it('keeps a Pad with another reader, one that is a graph output, and one before a transposed convolution', () => {
    class Branches extends nn.HybridBlock<NDArray[]> {
      readonly conv = this.nameScope(() => new nn.Conv2D(4, 3));
      readonly deconv = this.nameScope(() => new nn.Conv2DTranspose(2, 3));
      override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor[] {
        const twice = F.pad(x, { mode: 'edge', padWidth: [0, 0, 0, 0, 1, 1, 1, 1] });
        const head = F.pad(x, { mode: 'reflect', padWidth: [0, 0, 0, 0, 2, 2, 2, 2] });
        const beforeDeconv = F.pad(x, { mode: 'constant', padWidth: [0, 0, 0, 0, 1, 0, 0, 1], constantValue: 2 });
        return [this.conv(twice), F.sigmoid(twice), this.conv(head), head, this.deconv(beforeDeconv)];
      }
    }
    const net = new Branches();
    net.initialize();
    expectHybridMatches(net, randomArray(rng, [1, 2, 6, 6]), padRuns, 3);
  });

  it('while recording the Pad runs, and the gradients are the imperative ones', () => {
    const net = sequential(new nn.ReflectionPad2D(1), new nn.Conv2D(4, 3));
    expectRecordedGradientsMatch(net, randomArray(rng, [2, 3, 5, 5]), padRuns, 1);
  });
});
