/**
 * The cached graph's arena as a block of the shared kernel memory (kernels/cpu/threads/arena.ts):
 * the block allocator (first fit, heap base past the last block, limits, unshared memory refused),
 * convolutions that read and write intermediates in place — with a fused Pad of every mode run in
 * the module — giving the imperative bits on one and two threads, the work between them (residual
 * addition, nearest upsampling, InstanceNorm with its fused ReLU) in the module too, and blocks
 * released on re-plan.
 */
import { nd, NDArray, nn, setNumThreads } from '../../src';
import { ResidualBlock, UpsampleConvLayer } from '../../examples/style_transfer_net';
import * as convWasm from '../../src/kernels/cpu/conv_wasm';
import * as elementwiseWasm from '../../src/kernels/cpu/elementwise_wasm';
import * as normWasm from '../../src/kernels/cpu/norm_wasm';
import { gemmSimd } from '../../src/kernels/cpu/simd/gemm_simd';
import { KernelMemory, MAX_RESERVED_BYTES } from '../../src/kernels/cpu/threads/arena';
import { getNumThreads, workersReady } from '../../src/kernels/cpu/threads/pool';
import { makeRng, randomArray } from '../helpers/naive_ops';

test('blocks: first fit, cache-line aligned, the heap base past the last, limits; an unshared memory reserves nothing', () => {
  const memory = new KernelMemory(true);
  const base = memory.heapBase;
  const a = memory.reserve(100) as number, b = memory.reserve(64) as number, c = memory.reserve(1000) as number;
  expect([a, b - a, c - b]).toEqual([base, 128, 64]);
  expect(memory.heapBase).toBe(c + 1024);
  memory.release(b);
  expect(memory.reserve(10)).toBe(b); // the gap it left
  expect(memory.reserve(100)).toBe(c + 1024); // too big for any gap
  memory.release(c);
  expect(memory.heapBase).toBe(c + 1024 + 128); // the last block still ends there
  expect(memory.reserve(MAX_RESERVED_BYTES)).toBeUndefined();
  expect(memory.memory.buffer.byteLength).toBeGreaterThanOrEqual(memory.heapBase);
  expect(memory.owns(memory.memory.buffer)).toBe(true);
  expect(memory.owns(new ArrayBuffer(8))).toBe(false);
  expect(new KernelMemory(false).reserve(64)).toBeUndefined();
});

/** conv → pad → conv → pad → conv: the second and third convolutions read a padded intermediate. */
function chain(mode: 'reflect' | 'edge' | 'constant'): nn.HybridBlock {
  class Chain extends nn.HybridBlock {
    readonly first = this.nameScope(() => new nn.Conv2D(6, 3));
    readonly second = this.nameScope(() => new nn.Conv2D(5, 3, { activation: 'relu' }));
    readonly third = this.nameScope(() => new nn.Conv2D(3, 3));
    override hybridForward(F: nn.HybridF, x: nn.Tensor): nn.Tensor {
      const pad = (v: nn.Tensor) => F.pad(v, { mode, padWidth: [0, 0, 0, 0, 1, 2, 2, 1], constantValue: 0.5 });
      return this.third(pad(this.second(pad(this.first(x)))) as nn.Tensor) as nn.Tensor;
    }
  }
  const net = new Chain();
  net.initialize('xavier');
  return net;
}

/**
 * Hybridizes `net` and expects the bits of its imperative output from it on 1 and 2 threads
 * (workers up); returns how many hybridized calls it made.
 */
async function expectImperativeBits(net: nn.HybridBlock, x: NDArray): Promise<number> {
  const imperative = (net(x) as NDArray).toFloat32Array();
  net.hybridize();
  let calls = 0;
  const call = () => {
    calls++;
    return (net(x) as NDArray).toFloat32Array();
  };
  call();
  for (const n of [1, 2]) {
    setNumThreads(n);
    call();
    await workersReady();
    expect(call()).toEqual(imperative);
  }
  return calls;
}

describe('convolutions on intermediates in the kernel memory', () => {
  const simd = gemmSimd();
  const run = simd && simd.memory.shared ? it : it.skip;
  let threads: number;
  beforeAll(() => { threads = getNumThreads(); });
  afterAll(() => setNumThreads(threads));

  run.each(['reflect', 'edge', 'constant'] as const)('%s pads: read and written in place, the imperative bits on 1 and 2 threads', async (mode) => {
    const net = chain(mode);
    const x = randomArray(makeRng(3), [2, 4, 110, 104]); // padded intermediates of ~70 K floats: the pad splits across threads
    const spy = jest.spyOn(convWasm, 'convPassWasm');
    try {
      await expectImperativeBits(net, x);
      const inPlace = spy.mock.calls.filter(([s, , , input, , , , , , output]) => s.memory.owns(input.buffer) && s.memory.owns(output.buffer));
      expect(inPlace.length).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
  });

  run('the style network\'s residual block and upsampling layer: every step in the module, the imperative bits on 1 and 2 threads', async () => {
    const net = new nn.HybridSequential();
    // The residual block's input must be an intermediate (a graph input lies outside the kernel memory).
    net.add(new nn.Conv2D(8, 3, { padding: 1, inChannels: 3 }), new ResidualBlock(8), new nn.InstanceNorm({ inChannels: 8 }), new nn.Activation('relu'), new UpsampleConvLayer(8, 4, 3, 1, 2));
    net.initialize('xavier');
    const x = randomArray(makeRng(5), [1, 3, 48, 40]);
    const spies = [jest.spyOn(elementwiseWasm, 'addInKernelMemory'), jest.spyOn(elementwiseWasm, 'upsampleInKernelMemory'), jest.spyOn(normWasm, 'normalizeInKernelMemory')];
    try {
      const calls = await expectImperativeBits(net, x);
      // One addition, one upsampling, three InstanceNorms in each hybridized call, each run in the module.
      expect(spies.map((spy) => spy.mock.results.filter((r) => r.value === true).length)).toEqual([calls, calls, 3 * calls]);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
  });

  run('a re-plan to a larger arena releases the old block', () => {
    const memory = (simd as NonNullable<typeof simd>).memory;
    const net = chain('reflect');
    net.hybridize();
    net(nd.ones([1, 4, 12, 12]));
    const reserve = jest.spyOn(memory, 'reserve'), release = jest.spyOn(memory, 'release');
    try {
      net(nd.ones([1, 4, 40, 40]));
      net(nd.ones([1, 4, 12, 12])); // the first plan's views move to the larger arena: nothing reserved
      expect([reserve.mock.calls.length, release.mock.calls.length]).toEqual([1, 1]);
    } finally {
      reserve.mockRestore();
      release.mockRestore();
    }
  });
});
