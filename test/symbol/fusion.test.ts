/**
 * The cached graph's activation fusion (symbol/fusion.ts): a hybridized network whose ReLU
 * follows a convolution, dense or normalization layer runs the ReLU inside that layer's kernel,
 * with the same bits as the imperative run and as max(y, 0) of the layer's own output (computed
 * here); ReLUs that cannot be fused (other readers, a graph output, no fusing producer) still
 * run; recording keeps every node, so gradients are the imperative ones.
 */
import { autograd, nd, NDArray, nn } from '../../src';
import { ACTIVATION } from '../../src/ops/activation';
import { UNARY } from '../../src/ops/unary';
import { makeRng, randomArray } from '../helpers/naive_ops';

const rng = makeRng(57);

/** How many times the Activation and relu operators ran during `body`. */
function reluRuns(body: () => void): number {
  const spies = [jest.spyOn(ACTIVATION, 'forward'), jest.spyOn(UNARY.relu, 'forward')];
  try {
    body();
    return spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
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

describe('ReLUs that stay separate', () => {
  it('when the layer output has another reader, is a graph output, or comes from a layer without a fused form', () => {
    class Branches extends nn.HybridBlock<NDArray[]> {
      readonly conv = this.nameScope(() => new nn.Conv2D(4, 3));
      readonly pool = this.nameScope(() => new nn.MaxPool2D());
      override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor[] {
        const y = this.conv(x);
        // relu(y) + y: y has two readers; relu(pool(x)): pooling does not fuse; sigmoid never does.
        return [F.add(F.relu(y), y), F.relu(this.pool(x)), F.sigmoid(y), y, F.relu(y)];
      }
    }
    const net = new Branches();
    net.initialize();
    const x = randomArray(rng, [1, 2, 6, 6]);
    const imperative = net(x);
    net.hybridize();
    net(x);
    let hybrid: NDArray[] = [];
    expect(reluRuns(() => { hybrid = net(x); })).toBe(3);
    hybrid.forEach((y, i) => expect(y.data).toEqual(imperative[i].data));
  });

  it('relu(relu(conv)): the first is fused, the second runs', () => {
    const net = sequential(new nn.Conv2D(3, 1, { activation: 'relu' }), new nn.Activation('relu'));
    const x = randomArray(rng, [1, 2, 4, 4]);
    const imperative = net(x) as NDArray;
    net.hybridize();
    net(x);
    let hybrid: NDArray | undefined;
    expect(reluRuns(() => { hybrid = net(x) as NDArray; })).toBe(1);
    expect(hybrid?.data).toEqual(imperative.data);
  });

  it('while recording every node runs, and the gradients are the imperative ones', () => {
    const net = sequential(new nn.Conv2D(5, 3, { activation: 'relu' }), new nn.Dense(3, { activation: 'relu' }));
    const x = randomArray(rng, [2, 3, 6, 6]);
    const gradients = (hybridize: boolean): Float32Array[] => {
      if (hybridize) net.hybridize();
      const input = nd.array(x);
      input.attachGrad();
      expect(reluRuns(() => autograd.record(() => (net(input) as NDArray).sum()).backward())).toBe(2);
      return [input.grad!.toFloat32Array(), ...[...net.collectParams().values()].map((p) => p.grad().toFloat32Array())];
    };
    const imperative = gradients(false);
    expect(gradients(true)).toEqual(imperative);
  });
});
